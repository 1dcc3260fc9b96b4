//! The OCR's own alternatives: Tesseract's LSTM keeps, for each symbol, the other characters it
//! weighed. When the transcript's reading can be spelled from those (with real weight, not
//! the zero-confidence tail), the OCR itself hesitated towards the transcript.

use super::{evidence, Candidate, Features};
use crate::types::{DiscrepancyKind, Evidence, OcrWord};

/// An alternative counts when the LSTM gave it at least this confidence; the long tail at 0
/// lists every letter of similar shape and says nothing.
const MIN_ALTERNATIVE: f32 = 0.1;

pub fn measure(c: &Candidate) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || c.words.len() != 1 {
        return None;
    }
    spelled(c.words[0], &c.transcript).map(|(least, used)| {
        let mut f = Features::default();
        f.set("spell_transcript", 1.0).set("least", least);
        let note =
            format!("the OCR also considered {}, which spells the transcript's «{}»", used.join(", "), c.transcript);
        evidence("alternatives", f, note).expect("measured")
    })
}

/// Whether `word`'s symbols, with their alternatives, spell `target`: the least confidence of
/// the alternatives used and how they read. `None` when they do not (or nothing to replace).
pub fn spelled(word: &OcrWord, target: &str) -> Option<(f32, Vec<String>)> {
    let symbols: Vec<_> = word.chars.iter().filter(|ch| ch.text.chars().any(char::is_alphanumeric)).collect();
    let target: Vec<char> = target.chars().filter(|ch| ch.is_alphanumeric()).collect();
    if symbols.is_empty() || symbols.len() != target.len() {
        return None;
    }
    let mut used = Vec::new();
    let mut least = 1.0f32;
    for (sym, want) in symbols.iter().zip(&target) {
        let want = want.to_string();
        if sym.text == want {
            continue;
        }
        let (_, conf) = sym.alternatives.iter().find(|(alt, conf)| *alt == want && *conf >= MIN_ALTERNATIVE)?;
        least = least.min(*conf);
        used.push(format!("«{}» ({:.0}%) for «{}»", want, conf * 100.0, sym.text));
    }
    (!used.is_empty()).then_some((least, used))
}
