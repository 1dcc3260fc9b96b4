//! The discrepancy itself, before any other evidence: its kind (a bare difference is most
//! often the OCR's), how long the words are (short words are the OCR's commonest misreads),
//! whether they are capitalized, how noisy the page's reading is, and whether the words sit at
//! a line's edge (cut-off or smudged edges).

use super::{evidence, letters, Candidate, Features};
use crate::problem::LINE_WORDS;
use crate::types::{DiscrepancyKind, Evidence};

pub fn measure(c: &Candidate) -> Evidence {
    let mut f = Features::default();
    f.set("bias", 1.0);
    // The side that has words: the transcript's, or the scan's for a word only on the scan.
    let side = if c.transcript.is_empty() { &c.scan } else { &c.transcript };
    let n_words = side.split_whitespace().count();
    // A skipped line (the aligner offers whole lines only, `align::lines`) is a kind of its
    // own: what runs of one or two dropped words teach about their length says nothing of it.
    let line = c.kind == DiscrepancyKind::Delete && n_words >= LINE_WORDS;
    let kind = match c.kind {
        DiscrepancyKind::Substitute => "substitute",
        DiscrepancyKind::Split => "split",
        DiscrepancyKind::Merge => "merge",
        DiscrepancyKind::Insert => "insert",
        DiscrepancyKind::Delete if line => "line",
        DiscrepancyKind::Delete => "delete",
    };
    f.flag(&format!("kind_{kind}"), true);
    if matches!(c.kind, DiscrepancyKind::Insert | DiscrepancyKind::Delete) && !line {
        f.set("run_words", ((n_words.max(1)) as f32).ln());
    }
    let first = side.split_whitespace().next().unwrap_or("");
    f.flag("short_word", n_words == 1 && letters(first) <= 3);
    f.flag("capitalized", first.chars().next().is_some_and(char::is_uppercase));
    f.set("page_noise", c.place.page_noise);
    f.flag("line_edge", c.place.line_edge);
    f.set("crowding", c.place.crowding);
    f.flag("isolated", c.place.crowding == 0.0);
    f.flag("doubled", c.place.doubled);
    let note = format!(
        "a {kind} where the scan's reading differs from the transcript at {:.0}% of this page's words; \
         on its own such a difference is more often the OCR's than the transcriber's",
        c.place.page_noise * 100.0
    );
    evidence("prior", f, note).expect("the bias is always measured")
}
