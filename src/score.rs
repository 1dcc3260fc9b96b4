//! Score stage: discrepancies and their evidence in, flags out. The score behaves like the
//! probability that the *transcript* is wrong at that place: a prior log-odds for the kind of
//! discrepancy plus the signed weights of every piece of evidence, through the logistic
//! function. It builds the `Flag`s (text copied only here) but renders nothing.

use crate::align::Alignment;
use crate::evidence::{self, confusion::Confusions, consistency::Spellings, Candidate, Context};
use crate::lexicon::Lexicon;
use crate::transcript::word_core;
use crate::types::{BBox, Discrepancy, DiscrepancyKind, Evidence, Flag, OcrPage, Transcript};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Params {
    /// Prior log-odds that a discrepancy is the transcript's fault, by kind. On typewritten
    /// pages the OCR misreads several words in a hundred and a careful transcriber about one in
    /// several hundred, so a bare difference is most likely the OCR's: e^-1.2 ≈ 0.3 odds.
    pub prior_substitute: f32,
    /// The transcript joins words the scan reads apart: the OCR splits words at uneven
    /// typewriter spacing more often than it reads a wrong letter, so this starts lower.
    pub prior_merge: f32,
    /// The transcript splits a word the scan reads whole: a typed space is a whole character
    /// cell, which the OCR seldom reads through, so this starts higher than a merge.
    pub prior_split: f32,
    /// A word only in the transcript is nearly always a faint word the OCR skipped.
    pub prior_insert: f32,
    /// A word only on the scan is usually OCR noise (a speck read as a letter), sometimes a
    /// word the transcriber dropped.
    pub prior_delete: f32,
    /// Flags at or above this score are shown. 0.5 is where the evidence says "more likely
    /// than not"; see README for the precision/recall trade-off measured by `scanproof eval`.
    pub threshold: f32,
    /// Characters of transcript context kept on each side of a flag for reports.
    pub context_chars: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            prior_substitute: -1.2,
            prior_merge: -1.6,
            prior_split: -1.0,
            prior_insert: -2.5,
            prior_delete: -2.0,
            threshold: 0.5,

            context_chars: 40,
        }
    }
}

impl Params {
    fn prior(&self, kind: DiscrepancyKind) -> f32 {
        match kind {
            DiscrepancyKind::Substitute => self.prior_substitute,
            DiscrepancyKind::Split => self.prior_split,
            DiscrepancyKind::Merge => self.prior_merge,
            DiscrepancyKind::Insert => self.prior_insert,
            DiscrepancyKind::Delete => self.prior_delete,
        }
    }
}

fn logistic(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Code-point offset of a byte offset in `text`.
fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Weigh every discrepancy of the alignment into a flag, in transcript order.
/// Weigh every discrepancy of the alignment into a flag, in transcript order. What the
/// document teaches (its spellings, the OCR's habits) is learned from all candidates first.
pub fn weigh_discrepancies(
    transcript: &Transcript,
    pages: &[OcrPage],
    alignment: &Alignment,
    lexicon: &Lexicon,
    params: &Params,
) -> Vec<Flag> {
    weigh_with_witness(transcript, pages, alignment, lexicon, None, params)
}

/// `weigh_discrepancies` with what a translation says (`witness`): its evidence joins the
/// discrepancies' evidence, and the places it doubts where scan and transcript agree become
/// flags of their own, weighed on the translation's evidence alone.
pub fn weigh_with_witness(
    transcript: &Transcript,
    pages: &[OcrPage],
    alignment: &Alignment,
    lexicon: &Lexicon,
    witness: Option<&crate::witness::Findings>,
    params: &Params,
) -> Vec<Flag> {
    let candidates: Vec<Candidate> =
        alignment.discrepancies.iter().map(|d| candidate(transcript, pages, alignment, d)).collect();
    let mut spellings = Spellings::new(transcript.tokens[alignment.region.clone()].iter().map(|t| t.key.as_str()));
    spellings.learn_readings(&candidates);
    let confusions = Confusions::learn(&candidates, lexicon);
    let ctx = Context { lexicon, spellings: &spellings, confusions: &confusions, witness };
    let mut flags: Vec<Flag> = alignment
        .discrepancies
        .iter()
        .zip(&candidates)
        .map(|(d, c)| weigh_one(transcript, pages, alignment, d, c, &ctx, params))
        .collect();
    if let Some(w) = witness {
        for (k, d) in w.unopposed(alignment) {
            let c = candidate(transcript, pages, alignment, &d);
            let mut flag = weigh_one(transcript, pages, alignment, &d, &c, &ctx, params);
            // The scan says nothing against the transcript here; only the translation speaks.
            flag.evidence = evidence::witness::weigh(&c, Some(w)).into_iter().collect();
            rescore(&mut flag, params);
            flag.suggestion = suggest(&flag.transcript, &w.findings[k].suggestion, d.kind);
            flags.push(flag);
        }
        flags.sort_by_key(|f| (f.start, f.end));
    }
    assign_ids(&mut flags);
    flags
}

fn candidate<'a>(
    transcript: &Transcript,
    pages: &'a [OcrPage],
    alignment: &Alignment,
    d: &Discrepancy,
) -> Candidate<'a> {
    let tokens = &transcript.tokens[d.transcript.clone()];
    let ocr = &alignment.ocr_tokens[d.ocr.clone()];
    Candidate {
        kind: d.kind,
        transcript: tokens.iter().map(|t| word_core(&t.text)).collect::<Vec<_>>().join(" "),
        scan: ocr.iter().map(|t| word_core(&t.text)).collect::<Vec<_>>().join(" "),
        words: ocr.iter().flat_map(|t| pages[t.page].words[t.words.clone()].iter()).collect(),
        tokens: d.transcript.clone(),
    }
}

fn weigh_one(
    transcript: &Transcript,
    pages: &[OcrPage],
    alignment: &Alignment,
    d: &Discrepancy,
    candidate: &Candidate,
    ctx: &Context,
    params: &Params,
) -> Flag {
    let tokens = &transcript.tokens[d.transcript.clone()];
    let ocr = &alignment.ocr_tokens[d.ocr.clone()];
    let words = &candidate.words;
    let evidence = evidence::gather(candidate, ctx);
    let score = combine(params.prior(d.kind), &evidence);

    // Span: the transcript tokens, or for a dropped word an empty span after its predecessor.
    let text = &transcript.text;
    let (byte_start, byte_end) = match (tokens.first(), tokens.last()) {
        (Some(a), Some(b)) => (a.bytes.start, b.bytes.end),
        _ => {
            let at = d.transcript.start.checked_sub(1).map_or(0, |p| transcript.tokens[p].bytes.end);
            (at, at)
        }
    };
    let (line, column) = match tokens.first() {
        Some(t) => (t.line, t.col),
        None => line_col(text, byte_start),
    };
    let page = ocr
        .first()
        .map(|t| t.page)
        .or_else(|| alignment.token_page.get(d.transcript.start).copied().flatten())
        .or_else(|| d.transcript.start.checked_sub(1).and_then(|p| alignment.token_page[p]))
        .unwrap_or(0);
    let bbox = words.iter().map(|w| w.bbox).fold(BBox::default(), BBox::union);
    let raw = &text[byte_start..byte_end];
    let scan_raw = ocr.iter().map(|t| t.text.replace('\n', " ")).collect::<Vec<_>>().join(" ");
    Flag {
        id: String::new(),
        page: pages.get(page).map_or(0, |p| p.index),
        line,
        column,
        // Tokens carry their code-point spans; counting from the start of the text per flag
        // would make scoring quadratic on a long document.
        start: tokens.first().map_or_else(|| char_offset(text, byte_start), |t| t.chars.start),
        end: tokens.last().map_or_else(|| char_offset(text, byte_end), |t| t.chars.end),
        transcript: raw.to_string(),
        ocr: scan_raw,
        suggestion: suggest(raw, &candidate.scan, d.kind),
        kind: d.kind,
        score,
        bbox,
        ocr_confidence: (candidate.confidence() * 1000.0).round() / 1000.0,
        shown: score >= params.threshold,
        context_before: context(text, byte_start, params.context_chars, true),
        context_after: context(text, byte_end, params.context_chars, false),
        evidence,
        decision: None,
        element_id: None,
        line_bbox: None,
        iiif: None,
    }
}

fn combine(prior: f32, evidence: &[Evidence]) -> f32 {
    let logit = prior + evidence.iter().map(|e| e.weight).sum::<f32>();
    (logistic(logit) * 1000.0).round() / 1000.0
}

/// Score a flag again after evidence was added to it.
pub fn rescore(flag: &mut Flag, params: &Params) {
    if let Some(reading) = flag.evidence.iter().rev().find_map(|e| e.reading.as_deref()) {
        // A line read alone loses its sentence, and with it the case of a first letter: the
        // transcript's own case of that letter is kept («Федаи» read again for «фелай»).
        let core = first_letter_case_of(&word_core(&flag.transcript), &word_core(reading));
        flag.suggestion = suggest(&flag.transcript, &core, flag.kind);
    }
    flag.score = combine(params.prior(flag.kind), &flag.evidence);
    flag.shown = flag.score >= params.threshold;
}

/// Whether a second reading could change the verdict: a word-level discrepancy on the page
/// whose score is neither near 0 nor near 1.
pub fn worth_rereading(flag: &Flag, params: &Params) -> bool {
    if !matches!(flag.kind, DiscrepancyKind::Substitute | DiscrepancyKind::Split | DiscrepancyKind::Merge)
        || flag.bbox.w == 0
    {
        return false;
    }
    // Only where a second reading could move the flag across the threshold: at best it adds
    // 1.0 and gives back the doubt of a low confidence; at worst it takes 1.6.
    let logit = |p: f32| (p.clamp(1e-4, 1.0 - 1e-4) / (1.0 - p.clamp(1e-4, 1.0 - 1e-4))).ln();
    let doubt: f32 = flag.evidence.iter().filter(|e| e.kind == "confidence" && e.weight < 0.0).map(|e| -e.weight).sum();
    let now = logit(flag.score);
    // Both at the user's --min-score and at the default: a flag's score must not depend on
    // the threshold it is shown at (`--min-score 0` shows the same scores, only more flags).
    [params.threshold, Params::default().threshold].iter().any(|&t| {
        let bar = logit(t);
        now + 1.0 + doubt >= bar && now - 1.6 < bar
    })
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// `word` with its first letter in the case of `reference`'s first letter.
fn first_letter_case_of(reference: &str, word: &str) -> String {
    let (Some(r), Some(w)) = (reference.chars().next(), word.chars().next()) else {
        return word.to_string();
    };
    let rest = &word[w.len_utf8()..];
    if r.is_lowercase() && w.is_uppercase() {
        w.to_lowercase().chain(rest.chars()).collect()
    } else if r.is_uppercase() && w.is_lowercase() {
        w.to_uppercase().chain(rest.chars()).collect()
    } else {
        word.to_string()
    }
}

/// The replacement a reviewer would accept: the scan's reading, keeping the transcript's own
/// punctuation around the word ("Тетерана," becomes "Тегерана,").
pub(crate) fn suggest(raw: &str, scan_core: &str, kind: DiscrepancyKind) -> String {
    match kind {
        DiscrepancyKind::Insert => String::new(),
        DiscrepancyKind::Delete => format!(" {scan_core}"),
        _ => {
            let lead: String = raw.chars().take_while(|c| !c.is_alphanumeric()).collect();
            let trail: String =
                raw.chars().rev().take_while(|c| !c.is_alphanumeric()).collect::<Vec<_>>().into_iter().rev().collect();
            if lead.len() + trail.len() >= raw.len() {
                return scan_core.to_string();
            }
            format!("{lead}{scan_core}{trail}")
        }
    }
}

fn context(text: &str, at: usize, n: usize, before: bool) -> String {
    let s: String = if before {
        let v: Vec<char> = text[..at].chars().rev().take(n).collect();
        v.into_iter().rev().collect()
    } else {
        text[at..].chars().take(n).collect()
    };
    s.replace(['\n', '\r', '\t'], " ")
}

/// Ids come from what a flag is about, not its position: the page, the flagged text and its
/// immediate context. Editing the transcript elsewhere leaves them unchanged; identical
/// contexts get a running suffix in document order.
fn assign_ids(flags: &mut [Flag]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in flags.iter_mut() {
        let near_before: String = f.context_before.chars().rev().take(16).collect();
        let near_after: String = f.context_after.chars().take(16).collect();
        let mut h = Sha256::new();
        for part in [f.page.to_string().as_str(), &f.transcript, &near_before, &near_after, &f.ocr] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        let base: String = h.finalize().iter().take(5).map(|b| format!("{b:02x}")).collect();
        let n = seen.entry(base.clone()).or_insert(0);
        f.id = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
        *n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_keeps_transcript_punctuation() {
        assert_eq!(suggest("Тетерана,", "Тегерана", DiscrepancyKind::Substitute), "Тегерана,");
        assert_eq!(suggest("(Зенджан", "Зенжан", DiscrepancyKind::Substitute), "(Зенжан");
        assert_eq!(suggest("1444.", "144 4", DiscrepancyKind::Merge), "144 4.");
        assert_eq!(suggest("", "of", DiscrepancyKind::Delete), " of");
        assert_eq!(suggest("extra", "", DiscrepancyKind::Insert), "");
    }

    #[test]
    fn a_second_reading_keeps_the_transcript_case_of_the_first_letter() {
        assert_eq!(first_letter_case_of("word", "Ward"), "ward");
        assert_eq!(first_letter_case_of("Word", "ward"), "Ward");
        assert_eq!(first_letter_case_of("слово", "Слава"), "слава");
        assert_eq!(first_letter_case_of("NATO", "NAT0"), "NAT0");
        assert_eq!(first_letter_case_of("", "x"), "x");
    }

    #[test]
    fn logistic_is_a_probability() {
        assert!((logistic(0.0) - 0.5).abs() < 1e-6);
        assert!(logistic(5.0) > 0.99 && logistic(-5.0) < 0.01);
    }
}
