//! Evidence: for one candidate discrepancy, what can be measured about it. One file per kind
//! of evidence; each returns an `Evidence` holding named features (values it measured:
//! confidences, dictionary verdicts, counts, agreement of a second reading …) and a sentence
//! for the reviewer. It weighs nothing: the model (`crate::model`) turns the features into
//! signed contributions to the log-odds that the transcript is wrong.

pub mod alternatives;
pub mod confidence;
pub mod confusion;
pub mod consistency;
pub mod lexicon;
pub mod numbers;
pub mod omission;
pub mod prior;
pub mod reread;
pub mod resemblance;
pub mod variant;
pub mod width;
pub mod witness;

use crate::lexicon::Lexicon;
use crate::types::{DiscrepancyKind, Evidence, Favours, OcrWord};
use std::collections::BTreeMap;

/// What the evidence functions see of one discrepancy.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub kind: DiscrepancyKind,
    /// The transcript's words (cores, space-joined); empty for `Delete`.
    pub transcript: String,
    /// The scan's reading (cores, space-joined); empty for `Insert`.
    pub scan: String,
    /// The scan's reading as the OCR gave it (punctuation kept), space-joined.
    pub scan_raw: String,
    /// The OCR words of the scan's reading.
    pub words: Vec<&'a OcrWord>,
    /// The transcript tokens it covers (indices into `Transcript::tokens`), so that evidence
    /// about places (a translation's paragraph) can find it.
    pub tokens: std::ops::Range<usize>,
    /// Where the discrepancy stands on its page.
    pub place: Place,
}

/// The page around a discrepancy: how noisy its reading is, and where the words sit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    /// Share of the page's transcript words that stand in some discrepancy (0..=1): on a page
    /// the OCR reads badly, any one difference is less likely the transcript's.
    pub page_noise: f32,
    /// Mean word confidence of the page (0..=1), `None` when the OCR gave none.
    pub page_confidence: Option<f32>,
    /// The scan's words touch the start or end of an OCR line (cut-off or smudged edges).
    pub line_edge: bool,
    /// Other discrepancies within a few words (0..=1, saturating at four): misreads cluster
    /// where the page is smudged, a transcriber's slip stands alone.
    pub crowding: f32,
    /// The transcript's words repeat the word before or after them («the the»).
    pub doubled: bool,
    /// The place starts a sentence (the word before ends with . ! ?, or none is before).
    pub sentence_start: bool,
    /// How wide the page's words are for their length, `None` without boxes to measure.
    pub pitch: Option<width::Pitch>,
    /// The blank between the scan's words and the OCR words before and after them on their
    /// line, in pixels; `None` at the line's start or end, or where that neighbour stands in a
    /// discrepancy of its own (it may be a piece of the same word).
    pub gaps: [Option<u32>; 2],
}

impl Candidate<'_> {
    /// A line the transcript lacks (a skipped line, `align::lines`), not a word or two.
    pub fn is_line(&self) -> bool {
        self.kind == DiscrepancyKind::Delete && self.scan.split_whitespace().count() >= crate::problem::LINE_WORDS
    }

    /// The least confident OCR word of the reading (0..=1); 0 when the scan shows nothing. For
    /// a line, its median word: one smudged word does not make a line's reading unsure.
    pub fn confidence(&self) -> f32 {
        if self.is_line() {
            let mut c: Vec<f32> = self.words.iter().map(|w| w.confidence).collect();
            c.sort_by(f32::total_cmp);
            return c[c.len() / 2];
        }
        self.words
            .iter()
            .map(|w| w.confidence)
            .fold(None, |m: Option<f32>, c| Some(m.map_or(c, |m| m.min(c))))
            .unwrap_or(0.0)
    }
}

/// Shared, read-only inputs of the evidence functions.
pub struct Context<'a> {
    pub lexicon: &'a Lexicon,
    pub spellings: &'a consistency::Spellings,
    pub confusions: &'a confusion::Confusions,
    /// What a translation says against the transcript, when there is one.
    pub witness: Option<&'a crate::witness::Findings>,
}

/// Every kind of evidence for one candidate, in a fixed order (the prior first).
pub fn gather(c: &Candidate, ctx: &Context) -> Vec<Evidence> {
    [
        Some(prior::measure(c)),
        confidence::measure(c),
        alternatives::measure(c),
        lexicon::measure(c, ctx.lexicon),
        resemblance::measure(c),
        width::measure(c),
        variant::measure(c, ctx.lexicon),
        consistency::measure(c, ctx.spellings),
        confusion::measure(c, ctx.confusions),
        numbers::measure(c),
        omission::measure(c, ctx.lexicon),
        witness::measure(c, ctx.witness),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Named measurements, as an evidence file builds them.
#[derive(Debug, Default)]
pub struct Features(BTreeMap<String, f32>);

impl Features {
    /// Record `value` under `name`; zero values are left out (a feature that is absent is 0).
    pub fn set(&mut self, name: &str, value: f32) -> &mut Self {
        if value != 0.0 && value.is_finite() {
            self.0.insert(name.to_string(), (value * 1000.0).round() / 1000.0);
        }
        self
    }

    /// Record an indicator: 1 when `on`.
    pub fn flag(&mut self, name: &str, on: bool) -> &mut Self {
        self.set(name, if on { 1.0 } else { 0.0 })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Evidence of `kind` with its features and the reviewer's sentence; the model sets its
/// weight. `None` when nothing was measured.
pub(crate) fn evidence(kind: &str, features: Features, note: String) -> Option<Evidence> {
    if features.is_empty() {
        return None;
    }
    Some(Evidence {
        kind: kind.to_string(),
        favours: Favours::Scan,
        weight: 0.0,
        note,
        reading: None,
        features: features.0,
        first: Vec::new(),
    })
}

/// A word's letters only (no digits, marks or punctuation).
pub(crate) fn letters(word: &str) -> usize {
    word.chars().filter(|c| c.is_alphabetic()).count()
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A candidate with no OCR words behind it, for evidence that needs only the texts.
    pub fn cand(kind: DiscrepancyKind, transcript: &str, scan: &str) -> Candidate<'static> {
        Candidate {
            kind,
            transcript: transcript.into(),
            scan: scan.into(),
            scan_raw: scan.into(),
            words: vec![],
            tokens: 0..1,
            place: Place::default(),
        }
    }

    pub fn feature(e: &Option<Evidence>, name: &str) -> f32 {
        e.as_ref().and_then(|e| e.features.get(name).copied()).unwrap_or(0.0)
    }
}
