//! Words and lines the scan shows and the transcript lacks. A dropped word is a word, read
//! with confidence; a skipped line is a line of words (the aligner only offers whole lines
//! between transcribed ones, `align::lines`), where a stamp or a smudge reads as scraps.

use super::{evidence, Candidate, Features};
use crate::lexicon::Lexicon;
use crate::types::{DiscrepancyKind, Evidence};

pub fn measure(c: &Candidate, lexicon: &Lexicon) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Delete || c.words.is_empty() {
        return None;
    }
    let mut f = Features::default();
    let line = c.is_line();
    f.flag("line", line);
    let n = c.words.len() as f32;
    let confident = c.words.iter().filter(|w| w.confidence >= 0.8).count() as f32 / n;
    f.set("confident_share", confident);
    let mut note = if line {
        format!(
            "the scan shows a whole line the transcript lacks ({} words, {:.0}% read with confidence)",
            c.words.len(),
            confident * 100.0
        )
    } else {
        format!("the scan shows «{}» here and the transcript has nothing", c.scan)
    };
    if line && !lexicon.is_empty() {
        if let Some(known) = lexicon.known_share(&c.scan) {
            f.set("known_share", known);
            note.push_str(&format!("; {:.0}% of its words are in the dictionary", known * 100.0));
        }
    }
    evidence("omission", f, note)
}
