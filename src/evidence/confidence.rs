//! OCR certainty: how sure Tesseract is of its reading. A confident reading that differs from
//! the transcript is worth a look; an unsure one is most likely the OCR's own error. Measured
//! on the word itself and against the page's own level, since a faint carbon copy reads every
//! word with less confidence than a clean original.

use super::{evidence, Candidate, Features};
use crate::types::{Evidence, UNKNOWN_CONFIDENCE};

pub fn measure(c: &Candidate) -> Option<Evidence> {
    if c.words.is_empty() {
        return None;
    }
    let conf = c.confidence();
    if c.words.iter().all(|w| w.confidence == UNKNOWN_CONFIDENCE) {
        // Unknown certainty (OCR text or a file without confidences): nothing to measure.
        return None;
    }
    let mut f = Features::default();
    // Piecewise linear in the confidence: the model can make the very unsure and the very sure
    // ends count differently from the middle.
    f.set("value", conf);
    f.set("below_60", (0.6 - conf).max(0.0));
    f.set("above_90", (conf - 0.9).max(0.0));
    if let Some(page) = c.place.page_confidence {
        f.set("relative", conf - page);
    }
    let pct = (conf * 100.0).round();
    let note = match c.place.page_confidence {
        Some(page) => format!("the OCR's confidence in its reading is {pct}% (page average {:.0}%)", page * 100.0),
        None => format!("the OCR's confidence in its reading is {pct}%"),
    };
    evidence("confidence", f, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::test_support::{cand, feature};
    use crate::types::{BBox, DiscrepancyKind, OcrWord};

    #[test]
    fn unknown_certainty_measures_nothing() {
        let word =
            |confidence| OcrWord { text: "word".into(), confidence, bbox: BBox::default(), line: 0, chars: vec![] };
        let measure_one = |w: &OcrWord| {
            let mut c = cand(DiscrepancyKind::Substitute, "ward", "word");
            c.words = vec![w];
            measure(&c)
        };
        assert!(measure_one(&word(UNKNOWN_CONFIDENCE)).is_none());
        let sure = measure_one(&word(0.95));
        assert_eq!(feature(&sure, "value"), 0.95);
        assert!(feature(&sure, "above_90") > 0.0 && feature(&sure, "below_60") == 0.0);
        let unsure = measure_one(&word(0.40));
        assert!(feature(&unsure, "below_60") > 0.19);
    }
}
