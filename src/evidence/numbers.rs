//! Numbers: a date, a sum or a folio that differs is worth a reviewer's look even when the OCR
//! is only fairly sure, because a wrong digit changes the meaning and no dictionary catches it.

use super::{evidence, Candidate};
use crate::types::Evidence;

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

pub fn weigh(c: &Candidate) -> Option<Evidence> {
    let (t, s) = (digits(&c.transcript), digits(&c.scan));
    if t.is_empty() || s.is_empty() {
        return None;
    }
    if t == s {
        // Same digits, other spacing or punctuation (1444. / 144 4.): a folio and a page number
        // run together, or one number split; the OCR rarely invents a space between digits.
        if c.transcript.replace(' ', "") != c.scan.replace(' ', "")
            || c.transcript.contains(' ') != c.scan.contains(' ')
        {
            return Some(evidence("numbers", 0.8, format!("the same digits are grouped differently: «{}» on the scan, «{}» in the transcript", c.scan, c.transcript)));
        }
        return None;
    }
    Some(evidence(
        "numbers",
        0.8,
        format!(
            "the number differs: the scan reads «{}», the transcript «{}»",
            c.scan, c.transcript
        ),
    ))
}
