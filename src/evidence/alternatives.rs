//! The OCR's own alternatives: Tesseract's LSTM keeps, for each symbol, the other characters it
//! weighed. When the transcript's reading can be spelled from those (with real weight, not
//! the zero-confidence tail), the OCR itself hesitated towards the transcript.

use super::{evidence, Candidate};
use crate::types::{DiscrepancyKind, Evidence};

/// An alternative counts when the LSTM gave it at least this confidence; the long tail at 0
/// lists every letter of similar shape and says nothing.
const MIN_ALTERNATIVE: f32 = 0.1;

pub fn weigh(c: &Candidate) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || c.words.len() != 1 {
        return None;
    }
    let word = c.words[0];
    let symbols: Vec<_> = word.chars.iter().filter(|ch| ch.text.chars().any(char::is_alphanumeric)).collect();
    let target: Vec<char> = c.transcript.chars().filter(|ch| ch.is_alphanumeric()).collect();
    if symbols.is_empty() || symbols.len() != target.len() {
        return None;
    }
    let mut used = Vec::new();
    for (sym, want) in symbols.iter().zip(&target) {
        let want = want.to_string();
        if sym.text == want {
            continue;
        }
        match sym.alternatives.iter().find(|(alt, conf)| *alt == want && *conf >= MIN_ALTERNATIVE) {
            Some((_, conf)) => used.push(format!("«{}» ({:.0}%) for «{}»", want, conf * 100.0, sym.text)),
            None => return None,
        }
    }
    if used.is_empty() {
        return None;
    }
    Some(evidence(
        "alternatives",
        -1.2,
        format!("the OCR also considered {}, which spells the transcript's «{}»", used.join(", "), c.transcript),
    ))
}
