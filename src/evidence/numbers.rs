//! Numbers: a date, a sum or a folio that differs is worth a reviewer's look even when the OCR
//! is only fairly sure, because a wrong digit changes the meaning and no dictionary catches it.

use super::{evidence, Candidate, Features};
use crate::types::Evidence;

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Runs of consecutive digits: "40-41,42" gives [40, 41, 42], "144 4." gives [144, 4].
fn digit_runs(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).collect()
}

pub fn measure(c: &Candidate) -> Option<Evidence> {
    let (t, s) = (digits(&c.transcript), digits(&c.scan));
    if t.is_empty() || s.is_empty() {
        return None;
    }
    let mut f = Features::default();
    if t == s {
        // Same digits, other spacing or punctuation (1444. / 144 4.): a folio and a page number
        // run together, or one number split; the OCR rarely invents a space between digits.
        if digit_runs(&c.transcript) == digit_runs(&c.scan) {
            return None;
        }
        f.flag("grouping_differs", true);
        let note = format!(
            "the same digits are grouped differently: «{}» on the scan, «{}» in the transcript",
            c.scan, c.transcript
        );
        return evidence("numbers", f, note);
    }
    f.flag("digits_differ", true).flag("same_length", t.len() == s.len());
    evidence(
        "numbers",
        f,
        format!("the number differs: the scan reads «{}», the transcript «{}»", c.scan, c.transcript),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DiscrepancyKind;

    fn cand(t: &str, s: &str) -> Candidate<'static> {
        crate::evidence::test_support::cand(DiscrepancyKind::Substitute, t, s)
    }

    #[test]
    fn digits_and_their_grouping() {
        assert!(measure(&cand("1936", "1938")).is_some());
        assert!(measure(&cand("1444", "144 4")).is_some());
        assert!(measure(&cand("40-41,42,43", "40-41, 42, 43")).is_none());
        assert!(measure(&cand("Кавам", "Кавем")).is_none());
    }
}
