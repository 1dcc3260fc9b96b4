//! Evidence: for one candidate discrepancy, what speaks for the transcript and what for the
//! scan. One file per kind of evidence; each returns `Evidence` with a signed weight (its
//! contribution to the log-odds that the transcript is wrong) and a sentence for the reviewer.
//! Weighing them into a score is `score`'s job.

pub mod alternatives;
pub mod confidence;
pub mod confusion;
pub mod consistency;
pub mod lexicon;
pub mod numbers;
pub mod reread;
pub mod resemblance;
pub mod witness;

use crate::lexicon::Lexicon;
use crate::types::{DiscrepancyKind, Evidence, Favours, OcrWord};

/// What the evidence functions see of one discrepancy.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub kind: DiscrepancyKind,
    /// The transcript's words (cores, space-joined); empty for `Delete`.
    pub transcript: String,
    /// The scan's reading (cores, space-joined); empty for `Insert`.
    pub scan: String,
    /// The OCR words of the scan's reading.
    pub words: Vec<&'a OcrWord>,
    /// The transcript tokens it covers (indices into `Transcript::tokens`), so that evidence
    /// about places (a translation's paragraph) can find it.
    pub tokens: std::ops::Range<usize>,
}

impl Candidate<'_> {
    /// The least confident OCR word of the reading (0..=1); 0 when the scan shows nothing.
    pub fn confidence(&self) -> f32 {
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

/// Every kind of evidence for one candidate, in a fixed order.
pub fn gather(c: &Candidate, ctx: &Context) -> Vec<Evidence> {
    [
        confidence::weigh(c),
        alternatives::weigh(c),
        lexicon::weigh(c, ctx.lexicon),
        resemblance::weigh(c),
        consistency::weigh(c, ctx.spellings),
        confusion::weigh(c, ctx.confusions),
        numbers::weigh(c),
        witness::weigh(c, ctx.witness),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(crate) fn evidence(kind: &str, weight: f32, note: String) -> Evidence {
    Evidence {
        kind: kind.to_string(),
        favours: if weight >= 0.0 { Favours::Scan } else { Favours::Transcript },
        weight: (weight * 100.0).round() / 100.0,
        note,
        reading: None,
    }
}
