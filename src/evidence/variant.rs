//! Spelling variants: the transcript and the scan spell one word two ways («Romanian» /
//! «Rumanian», «Strasse» / «Straße»). OCR seldom turns one spelling of a word into another, so
//! a confident reading of the other spelling is likely what the page has, and the edition
//! changed it (on purpose, if its policy normalizes).

use super::{evidence, Candidate, Features};
use crate::lexicon::Lexicon;
use crate::types::{DiscrepancyKind, Evidence};
use crate::variants::Variant;

pub fn measure(c: &Candidate, lexicon: &Lexicon) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || c.transcript.contains(' ') || c.scan.contains(' ') {
        return None;
    }
    let variant = lexicon.variants().relate(&c.transcript, &c.scan)?;
    let mut f = Features::default();
    // Which side has the older form: an OCR model trained on today's spelling reads old
    // letters as new ones («будетъ» read «будет»), while a transcriber who modernizes writes
    // the new form for the old one; the model weighs the two directions apart.
    let older = |w: &str| !lexicon.variants().modern_forms(w).is_empty();
    f.flag("t_older", older(&c.transcript) && !older(&c.scan));
    let what = match variant {
        Variant::Letters => {
            f.flag("letters", true);
            "the same word in older and modern letters"
        }
        Variant::Spelling => {
            f.flag("spelling", true);
            "two spellings of one word"
        }
    };
    let note = format!(
        "«{}» and «{}» are {what}: where the page has «{}», the edition changed it",
        c.transcript, c.scan, c.scan
    );
    evidence("variant", f, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::test_support::{cand, feature};

    #[test]
    fn spellings_of_one_word_are_measured() {
        let lex = Lexicon::variants_only("eng");
        let e = measure(&cand(DiscrepancyKind::Substitute, "Romanian", "Rumanian"), &lex);
        assert_eq!(feature(&e, "spelling"), 1.0);
        assert_eq!(feature(&e, "t_older"), 0.0);
        assert!(measure(&cand(DiscrepancyKind::Substitute, "from", "form"), &lex).is_none());
        // The transcript in the old letters, the scan in the new: the OCR's way.
        let rus = Lexicon::variants_only("rus");
        let e = measure(&cand(DiscrepancyKind::Substitute, "будетъ", "будет"), &rus);
        assert_eq!((feature(&e, "letters"), feature(&e, "t_older")), (1.0, 1.0));
        let e = measure(&cand(DiscrepancyKind::Substitute, "лес", "лѣсъ"), &rus);
        assert_eq!((feature(&e, "letters"), feature(&e, "t_older")), (1.0, 0.0));
    }
}
