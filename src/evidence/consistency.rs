//! The document's own spellings: a transcriber who writes «Кавам» six times and «Кавем» once,
//! where the scan reads «Кавам», slipped once. Conversely a word the transcript uses again and
//! again that the OCR reads as something the transcript never uses is the OCR's misread.

use super::{evidence, Candidate};
use crate::types::{DiscrepancyKind, Evidence};
use std::collections::HashMap;

/// How often each word (lower-cased core) occurs in the scanned region of the transcript, and
/// which transcript words the scan's readings stand against.
#[derive(Debug, Default)]
pub struct Spellings {
    counts: HashMap<String, usize>,
    /// Scan reading → the transcript words it stands against, over all substitutions.
    readings: HashMap<String, Vec<String>>,
}

impl Spellings {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut counts = HashMap::new();
        for w in words {
            *counts.entry(w.to_lowercase()).or_insert(0) += 1;
        }
        Spellings { counts, readings: HashMap::new() }
    }

    /// Learn which transcript words each scan reading stands against.
    pub fn learn_readings<'a>(&mut self, candidates: impl IntoIterator<Item = &'a Candidate<'a>>) {
        for c in candidates {
            if c.kind == DiscrepancyKind::Substitute && !c.scan.contains(' ') {
                self.readings.entry(c.scan.to_lowercase()).or_default().push(c.transcript.to_lowercase());
            }
        }
    }

    pub fn count(&self, word: &str) -> usize {
        self.counts.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
}

/// Letters a word needs before its spelling says anything (initials and particles do not).
const MIN_LETTERS: usize = 3;

pub fn weigh(c: &Candidate, spellings: &Spellings) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || c.transcript.contains(' ') || c.scan.contains(' ') {
        return None;
    }
    if c.transcript.chars().filter(|ch| ch.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    // The scan reads one word at several places where the transcript has several different
    // words: random misreads do not repeat a word, so the transcript varies, not the scan.
    if let Some(against) = spellings.readings.get(&c.scan.to_lowercase()) {
        let mut distinct: Vec<&String> = against.iter().collect();
        distinct.sort();
        distinct.dedup();
        // Short words are the exception: the OCR misreads «the» as «tie» wherever the type is worn.
        let long = c.scan.chars().filter(|ch| ch.is_alphabetic()).count() >= 5;
        if long && against.len() >= 2 && distinct.len() == against.len() && spellings.count(&c.scan) == 0 {
            let list: Vec<&str> = distinct.iter().map(|s| s.as_str()).collect();
            let note = format!(
                "the scan reads «{}» at {} places where the transcript has {} different words ({})",
                c.scan,
                against.len(),
                distinct.len(),
                list.join(", ")
            );
            return Some(evidence("consistency", 1.4, note));
        }
    }
    if c.transcript.to_lowercase() == c.scan.to_lowercase() {
        return None;
    }
    // This occurrence itself counts once for the transcript's form.
    let here = spellings.count(&c.transcript).saturating_sub(1);
    let scan = spellings.count(&c.scan);
    let (t, s) = (&c.transcript, &c.scan);
    if scan >= 1 && here == 0 {
        let times = if scan == 1 { "once".to_string() } else { format!("{scan} times") };
        // One other occurrence is no majority: an inflected language writes «Grube» and
        // «Gruben» in one letter as a matter of course.
        return Some(evidence(
            "consistency",
            if scan >= 2 { 1.6 } else { 0.8 },
            format!("the transcript writes «{s}» {times} elsewhere and «{t}» only here"),
        ));
    }
    if here >= 1 && scan == 0 {
        let w = if here >= 3 { -1.2 } else { -0.6 };
        return Some(evidence(
            "consistency",
            w,
            format!("the transcript writes «{t}» {} more time(s) and never «{s}»", here),
        ));
    }
    None
}
