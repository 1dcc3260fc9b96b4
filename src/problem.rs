//! What kind of problem a flag is, in a reviewer's words (typo, misreading, omitted word or
//! line, added word, case, normalized spelling, spacing), and which rule of the transcription
//! policy it falls under. It reads what the evidence measured; it weighs nothing.

use crate::align::letters;
use crate::policy::Rule;
use crate::transcript::word_core;
use crate::types::{DiscrepancyKind, Flag, Problem};

/// A scan run of this many words or more that the transcript lacks is a line, not a word.
pub const LINE_WORDS: usize = 3;

/// The problem a flag shows and the policy rule it counts under.
pub fn classify(flag: &Flag) -> (Problem, Rule) {
    let has = |kind: &str, feature: &str| {
        flag.evidence.iter().any(|e| e.kind == kind && e.features.get(feature).is_some_and(|v| *v != 0.0))
    };
    let (t, s) = (cores(&flag.transcript), cores(&flag.ocr));
    match flag.kind {
        DiscrepancyKind::Delete if flag.ocr.split_whitespace().count() >= LINE_WORDS => {
            (Problem::OmittedLine, Rule::Text)
        }
        DiscrepancyKind::Delete => (Problem::OmittedWord, Rule::Text),
        DiscrepancyKind::Insert => (Problem::AddedWord, Rule::Text),
        DiscrepancyKind::Split | DiscrepancyKind::Merge if letters(&t) == letters(&s) => {
            // The side that has one word where the other has two: punctuation at the join is
            // spacing; letters run together are the typist's (split) or transcriber's (merge).
            let joined = if flag.kind == DiscrepancyKind::Split { &s } else { &t };
            if joined.chars().any(|c| !c.is_alphanumeric() && !c.is_whitespace()) {
                (Problem::Spacing, Rule::Spacing)
            } else if flag.kind == DiscrepancyKind::Split && has("lexicon", "spacing_t_words") {
                // The page runs two words together («ofthe») and the transcription parts them.
                (Problem::Normalized, Rule::Slips)
            } else {
                (Problem::Typo, Rule::Text)
            }
        }
        DiscrepancyKind::Split | DiscrepancyKind::Merge => (Problem::Typo, Rule::Text),
        DiscrepancyKind::Substitute => {
            if t == s {
                // Scan and transcript agree; something else (a translation) doubts the word.
                (Problem::Misreading, Rule::Text)
            } else if t.to_lowercase() == s.to_lowercase() {
                (Problem::Case, Rule::Case)
            } else if letters(&t) == letters(&s) {
                (Problem::Spacing, Rule::Spacing)
            } else if has("variant", "letters") {
                (Problem::Normalized, Rule::Letters)
            } else if has("variant", "spelling") {
                (Problem::Normalized, Rule::Spelling)
            } else if has("lexicon", "t_known_s_unknown") && has("resemblance", "edits_1") && typed_so(flag) {
                // A confident non-word on the page, one letter from the transcript's word: the
                // typist's slip, which the transcription corrected.
                (Problem::Normalized, Rule::Slips)
            } else if ["t_unknown_s_known", "t_near_word", "t_mixed", "t_digit_for_letter", "t_odd_case"]
                .iter()
                .any(|f| has("lexicon", f))
                || has("lexicon", "both_unknown") && (has("resemblance", "edits_1") || has("resemblance", "edits_2"))
            {
                (Problem::Typo, Rule::Text)
            } else {
                (Problem::Misreading, Rule::Text)
            }
        }
    }
}

/// The scan's non-word is what the page has: read confidently, and again on its own.
fn typed_so(flag: &Flag) -> bool {
    let reread_same = flag.evidence.iter().any(|e| e.kind == "reread" && e.features.contains_key("same_nonword"));
    reread_same || flag.ocr_confidence >= 0.9
}

fn cores(text: &str) -> String {
    text.split_whitespace().map(word_core).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Evidence;

    fn flag(kind: DiscrepancyKind, transcript: &str, ocr: &str, features: &[(&str, &str)]) -> Flag {
        let evidence = features
            .iter()
            .map(|(k, f)| Evidence {
                kind: k.to_string(),
                features: [(f.to_string(), 1.0)].into_iter().collect(),
                ..Evidence::default()
            })
            .collect();
        Flag { kind, transcript: transcript.into(), ocr: ocr.into(), evidence, ..Flag::default() }
    }

    #[test]
    fn problems_in_a_reviewers_words() {
        use DiscrepancyKind::*;
        let c = |f: Flag| classify(&f);
        assert_eq!(c(flag(Substitute, "The", "the", &[])), (Problem::Case, Rule::Case));
        assert_eq!(c(flag(Substitute, "Romanian", "Rumanian", &[("variant", "spelling")])).0, Problem::Normalized);
        assert_eq!(c(flag(Substitute, "amound", "amount", &[("lexicon", "t_unknown_s_known")])).0, Problem::Typo);
        assert_eq!(c(flag(Substitute, "some", "same", &[("lexicon", "both_known")])).0, Problem::Misreading);
        assert_eq!(c(flag(Substitute, "8yly", "byly", &[("lexicon", "t_digit_for_letter")])).0, Problem::Typo);
        assert_eq!(c(flag(Delete, "", "of", &[])).0, Problem::OmittedWord);
        assert_eq!(c(flag(Delete, "", "amounting to less than", &[])).0, Problem::OmittedLine);
        assert_eq!(c(flag(Insert, "the", "", &[])).0, Problem::AddedWord);
        assert_eq!(c(flag(Merge, "yearsof", "years of", &[])), (Problem::Typo, Rule::Text));
        assert_eq!(
            c(flag(Split, "of the", "ofthe", &[("lexicon", "spacing_t_words")])),
            (Problem::Normalized, Rule::Slips)
        );
        assert_eq!(c(flag(Split, "hou se", "house", &[("lexicon", "spacing_s_words")])), (Problem::Typo, Rule::Text));
        assert_eq!(c(flag(Split, "Dr. Smith", "Dr.Smith", &[])), (Problem::Spacing, Rule::Spacing));
        assert_eq!(c(flag(Substitute, "to the", "to-the", &[])).1, Rule::Spacing);
    }
}
