//! OCR certainty: how sure Tesseract is of its reading. A confident reading that differs from
//! the transcript is worth a look; an unsure one is most likely the OCR's own error.

use super::{evidence, Candidate};
use crate::types::Evidence;

/// Confidence at which the evidence is neutral. Tesseract's LSTM gives clean typewritten words
/// 0.90-0.97 and its misreads mostly below 0.80; 0.82 sits between the two.
const NEUTRAL: f32 = 0.82;
/// The confidence given to a reading whose certainty is unknown (OCR text or an OCR file
/// without confidences): the neutral point, which weighs nothing and so shows no evidence.
pub const UNKNOWN: f32 = NEUTRAL;
/// Log-odds per unit of confidence: 0.95 gives +0.65, 0.60 gives -1.1.
const SLOPE: f32 = 5.0;

pub fn weigh(c: &Candidate) -> Option<Evidence> {
    if c.words.is_empty() {
        return None;
    }
    let conf = c.confidence();
    let weight = (SLOPE * (conf - NEUTRAL)).clamp(-2.5, 1.0);
    if weight == 0.0 {
        // Unknown certainty (or exactly the neutral point): nothing to tell the reviewer.
        return None;
    }
    let pct = (conf * 100.0).round();
    let note = if weight >= 0.0 {
        format!("the OCR is confident of its reading ({pct}%)")
    } else {
        format!("the OCR is unsure of its reading ({pct}%), so it may have misread")
    };
    Some(evidence("confidence", weight, note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{BBox, DiscrepancyKind, OcrWord};

    #[test]
    fn unknown_certainty_shows_no_evidence() {
        let word =
            |confidence| OcrWord { text: "word".into(), confidence, bbox: BBox::default(), line: 0, chars: vec![] };
        let weigh_one = |w: &OcrWord| {
            let c = Candidate {
                kind: DiscrepancyKind::Substitute,
                transcript: "ward".into(),
                scan: "word".into(),
                words: vec![w],
                tokens: 0..1,
            };
            weigh(&c).map(|e| e.weight)
        };
        assert_eq!(weigh_one(&word(UNKNOWN)), None);
        assert!(weigh_one(&word(0.95)).unwrap() > 0.0);
        assert!(weigh_one(&word(0.40)).unwrap() < 0.0);
    }
}
