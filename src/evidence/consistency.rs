//! The document's own spellings: a transcriber who writes «Кавам» six times and «Кавем» once,
//! where the scan reads «Кавам», slipped once. Conversely a word the transcript uses again and
//! again that the OCR reads as something the transcript never uses is the OCR's misread.

use super::{evidence, letters, Candidate, Features};
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

pub fn measure(c: &Candidate, spellings: &Spellings) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || c.transcript.contains(' ') || c.scan.contains(' ') {
        return None;
    }
    if letters(&c.transcript) < MIN_LETTERS {
        return None;
    }
    let mut f = Features::default();
    let mut notes = Vec::new();
    // The scan reads one word at several places where the transcript has several different
    // words: random misreads do not repeat a word, so the transcript varies, not the scan.
    // Short words are the exception: the OCR misreads «the» as «tie» wherever the type is worn.
    if let Some(against) = spellings.readings.get(&c.scan.to_lowercase()) {
        let mut distinct: Vec<&String> = against.iter().collect();
        distinct.sort();
        distinct.dedup();
        if letters(&c.scan) >= 5
            && against.len() >= 2
            && distinct.len() == against.len()
            && spellings.count(&c.scan) == 0
        {
            f.flag("reading_repeats", true);
            let list: Vec<&str> = distinct.iter().map(|s| s.as_str()).collect();
            notes.push(format!(
                "the scan reads «{}» at {} places where the transcript has {} different words ({})",
                c.scan,
                against.len(),
                distinct.len(),
                list.join(", ")
            ));
        }
    }
    if c.transcript.to_lowercase() != c.scan.to_lowercase() {
        // This occurrence itself counts once for the transcript's form.
        let here = spellings.count(&c.transcript).saturating_sub(1);
        let scan = spellings.count(&c.scan);
        let (t, s) = (&c.transcript, &c.scan);
        if scan >= 1 && here == 0 {
            // One other occurrence is no majority: an inflected language writes «Grube» and
            // «Gruben» in one letter as a matter of course.
            f.set("scan_elsewhere", (1.0 + scan as f32).ln()).flag("scan_majority", scan >= 2);
            notes.push(format!("the transcript writes «{s}» {scan} time(s) elsewhere and «{t}» only here"));
        } else if here >= 1 && scan == 0 {
            f.set("t_elsewhere", (1.0 + here as f32).ln());
            notes.push(format!("the transcript writes «{t}» {here} more time(s) and never «{s}»"));
        } else if here >= 1 && scan >= 1 {
            f.flag("both_elsewhere", true);
            notes.push(format!("the transcript writes both «{t}» and «{s}» elsewhere"));
        }
    }
    evidence("consistency", f, notes.join("; "))
}
