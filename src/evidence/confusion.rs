//! Confusions learned from the document: across all its pages, which letter changes separate
//! the scan's reading from the transcript, in which direction. A change the OCR makes again and
//! again (reading «д» as «л» on a worn typeface) is its habit; a change seen nowhere else in
//! the document is suspect, the more so when it runs against the OCR's habit.

use super::{evidence, Candidate, Features};
use crate::align::char_edits;
use crate::lexicon::{Lexicon, Verdict};
use crate::types::{DiscrepancyKind, Evidence};
use std::collections::HashMap;

/// Times a change must recur elsewhere in the document to count as the OCR's habit.
const HABIT: usize = 3;
/// Fewer candidates than this and the document has not shown its habits yet.
const MIN_SAMPLE: usize = 15;

#[derive(Debug, Default)]
pub struct Confusions {
    /// (transcript side, scan side) → times seen, lower-cased.
    counts: HashMap<(String, String), usize>,
    total: usize,
}

fn edits(c: &Candidate) -> Vec<(String, String)> {
    char_edits(&c.transcript.replace(' ', "").to_lowercase(), &c.scan.replace(' ', "").to_lowercase())
}

impl Confusions {
    /// Learn from the substitutions whose transcript word is a word of the language: there the
    /// transcript is most likely right, so the change is the OCR's. (A transcriber who writes
    /// «т» for «г» three times leaves non-words, which do not teach the OCR's habits.)
    pub fn learn<'a>(candidates: impl IntoIterator<Item = &'a Candidate<'a>>, lexicon: &Lexicon) -> Self {
        let mut me = Confusions::default();
        for c in candidates {
            if c.kind != DiscrepancyKind::Substitute || lexicon.verdict(&c.transcript) != Verdict::Known {
                continue;
            }
            me.total += 1;
            for e in edits(c) {
                *me.counts.entry(e).or_insert(0) += 1;
            }
        }
        me
    }

    fn count(&self, e: &(String, String)) -> usize {
        self.counts.get(e).copied().unwrap_or(0)
    }
}

pub fn measure(c: &Candidate, confusions: &Confusions) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || confusions.total < MIN_SAMPLE {
        return None;
    }
    let edits = edits(c);
    if edits.is_empty() || edits.len() > 3 {
        return None;
    }
    // This candidate's own edits are in the counts once.
    let elsewhere: Vec<usize> = edits.iter().map(|e| confusions.count(e).saturating_sub(1)).collect();
    let show = |e: &(String, String)| format!("«{}» as «{}»", or_nothing(&e.0), or_nothing(&e.1));
    let what: Vec<String> = edits.iter().map(show).collect();
    let mut f = Features::default();
    if elsewhere.iter().all(|&n| n >= HABIT) {
        let n = elsewhere.iter().min().copied().unwrap_or(0);
        f.flag("habit", true);
        let note = format!("the OCR reads {} {n}+ times elsewhere in this document: its habit", what.join(" and "));
        return evidence("confusion", f, note);
    }
    if elsewhere.iter().all(|&n| n == 0) {
        let against = edits.iter().any(|(a, b)| confusions.count(&(b.clone(), a.clone())) >= HABIT);
        f.flag("novel", true).flag("against_habit", against);
        let tail = if against { ", and the OCR's habit runs the other way" } else { "" };
        let note = format!("reading {} happens nowhere else in this document{tail}", what.join(" and "));
        return evidence("confusion", f, note);
    }
    None
}

fn or_nothing(s: &str) -> &str {
    if s.is_empty() {
        "∅"
    } else {
        s
    }
}
