//! OCR certainty: how sure Tesseract is of its reading. A confident reading that differs from
//! the transcript is worth a look; an unsure one is most likely the OCR's own error.

use super::{evidence, Candidate};
use crate::types::Evidence;

/// Confidence at which the evidence is neutral. Tesseract's LSTM gives clean typewritten words
/// 0.90-0.97 and its misreads mostly below 0.80; 0.82 sits between the two.
const NEUTRAL: f32 = 0.82;
/// Log-odds per unit of confidence: 0.95 gives +0.65, 0.60 gives -1.1.
const SLOPE: f32 = 5.0;

pub fn weigh(c: &Candidate) -> Option<Evidence> {
    if c.words.is_empty() {
        return None;
    }
    let conf = c.confidence();
    let weight = (SLOPE * (conf - NEUTRAL)).clamp(-2.5, 1.0);
    let pct = (conf * 100.0).round();
    let note = if weight >= 0.0 {
        format!("the OCR is confident of its reading ({pct}%)")
    } else {
        format!("the OCR is unsure of its reading ({pct}%), so it may have misread")
    };
    Some(evidence("confidence", weight, note))
}
