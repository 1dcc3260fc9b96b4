//! Character and word error counts of an alignment: the OCR's error rate against the
//! transcript, per page and in total (the report's CER and WER).

use super::region::core;
use super::{Alignment, StepKind};
use crate::types::{OcrPage, OcrToken, Shared, Token};

/// The word confidence from which a scan word counts as read, for `Shared`: on the EHRI
/// English pages (README "Coverage") Tesseract's words from 0.7 equal the truth's in 64-99%
/// of cases, below it in under half.
const SURE_READING: f32 = 0.7;

/// Error counts of the scan reading against the transcript, for one page or the whole region.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ErrorCounts {
    pub char_errors: usize,
    pub ref_chars: usize,
    pub word_errors: usize,
    pub ref_words: usize,
}

impl ErrorCounts {
    pub fn cer(&self) -> f32 {
        ratio(self.char_errors, self.ref_chars)
    }
    pub fn wer(&self) -> f32 {
        ratio(self.word_errors, self.ref_words)
    }
}

fn ratio(a: usize, b: usize) -> f32 {
    if b == 0 {
        0.0
    } else {
        ((a as f32 / b as f32) * 10_000.0).round() / 10_000.0
    }
}

impl Alignment {
    /// Character and word error counts per page (index into pages) and in total, on the
    /// comparison keys (so punctuation and spacing are not counted). Untranscribed scan text
    /// is not counted: it is reported apart.
    pub fn error_counts(&self, tokens: &[Token], pages: usize) -> (Vec<ErrorCounts>, ErrorCounts) {
        let mut per_page = vec![ErrorCounts::default(); pages];
        let mut total = ErrorCounts::default();
        for s in &self.steps {
            let t: Vec<&str> = tokens[s.transcript.clone()].iter().map(|t| t.key.as_str()).collect();
            let o: Vec<&str> = self.ocr_tokens[s.ocr.clone()].iter().map(|t| t.key.as_str()).collect();
            let ref_chars: usize = t.iter().map(|k| k.chars().count()).sum();
            let (char_errors, word_errors) = match s.kind {
                StepKind::Equal => (0, 0),
                StepKind::Differ(_) => (strsim::levenshtein(&t.concat(), &o.concat()), t.len().max(o.len())),
            };
            let page = s
                .ocr
                .clone()
                .next()
                .map(|o| self.ocr_tokens[o].page)
                .or_else(|| s.transcript.clone().next().and_then(|t| self.token_page[t]));
            let c = ErrorCounts { char_errors, ref_chars, word_errors, ref_words: t.len() };
            for target in page.and_then(|p| per_page.get_mut(p)).into_iter().chain(std::iter::once(&mut total)) {
                target.char_errors += c.char_errors;
                target.ref_chars += c.ref_chars;
                target.word_errors += c.word_errors;
                target.ref_words += c.ref_words;
            }
        }
        (per_page, total)
    }
}

impl Alignment {
    /// How much the transcript and the scans have in common (see `Shared`). A scan word
    /// counts when the OCR read it with some confidence, on a page not read as garbage
    /// (`region::unreadable_words`): what a page too faint or too heavy
    /// to read yields is no evidence that the transcript belongs elsewhere (a faint German
    /// page read at 0.53 had 23 sure long words, fragments like «ertsilten», and was
    /// refused as the wrong transcript).
    pub fn shared_words(&self, tokens: &[Token], pages: &[OcrPage], params: &super::Params) -> Shared {
        let long = |k: &str| core(k).chars().count() >= 5;
        let legible: Vec<bool> =
            pages.iter().map(|p| super::region::unreadable_words(&p.words, params).is_none()).collect();
        let sure = |t: &OcrToken| {
            legible.get(t.page).copied().unwrap_or(false)
                && pages
                    .get(t.page)
                    .and_then(|p| p.words.get(t.words.clone()))
                    .is_some_and(|ws| !ws.is_empty() && ws.iter().all(|w| w.confidence >= SURE_READING))
        };
        let mut shared = Shared {
            matched: 0,
            transcript: tokens.iter().filter(|t| long(&t.key)).count(),
            scans: self.ocr_tokens.iter().filter(|t| long(&t.key) && sure(t)).count(),
        };
        for s in &self.steps {
            if s.transcript.len() != 1 || s.ocr.is_empty() || !long(&tokens[s.transcript.start].key) {
                continue;
            }
            let scan: String = self.ocr_tokens[s.ocr.clone()].iter().map(|t| core(&t.key)).collect();
            if s.kind == StepKind::Equal || super::distance(&core(&tokens[s.transcript.start].key), &scan) <= 0.34 {
                shared.matched += 1;
            }
        }
        shared
    }
}
