//! The document's own spellings: a transcriber who writes «Кавам» six times and «Кавем» once,
//! where the scan reads «Кавам», slipped once. Conversely a word the transcript uses again and
//! again that the OCR reads as something the transcript never uses is the OCR's misread.

use super::{evidence, Candidate};
use crate::types::{DiscrepancyKind, Evidence};
use std::collections::HashMap;

/// How often each word (lower-cased core) occurs in the scanned region of the transcript.
#[derive(Debug, Default)]
pub struct Spellings {
    counts: HashMap<String, usize>,
}

impl Spellings {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut counts = HashMap::new();
        for w in words {
            *counts.entry(w.to_lowercase()).or_insert(0) += 1;
        }
        Spellings { counts }
    }

    pub fn count(&self, word: &str) -> usize {
        self.counts.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
}

pub fn weigh(c: &Candidate, spellings: &Spellings) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || c.transcript.contains(' ') || c.scan.contains(' ') {
        return None;
    }
    if c.transcript.to_lowercase() == c.scan.to_lowercase() {
        return None;
    }
    // This occurrence itself counts once for the transcript's form.
    let here = spellings.count(&c.transcript).saturating_sub(1);
    let scan = spellings.count(&c.scan);
    let (t, s) = (&c.transcript, &c.scan);
    if scan >= 1 && here == 0 {
        let times = if scan == 1 {
            "once".to_string()
        } else {
            format!("{scan} times")
        };
        return Some(evidence(
            "consistency",
            1.6,
            format!("the transcript writes «{s}» {times} elsewhere and «{t}» only here"),
        ));
    }
    if here >= 1 && scan == 0 {
        let w = if here >= 3 { -1.2 } else { -0.6 };
        return Some(evidence(
            "consistency",
            w,
            format!(
                "the transcript writes «{t}» {} more time(s) and never «{s}»",
                here
            ),
        ));
    }
    None
}
