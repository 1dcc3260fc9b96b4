//! Score stage: discrepancies in, flags out. For each discrepancy the evidence files measure
//! what they can (`evidence`), the model weighs it (`model`), and this file builds the `Flag`:
//! its place in the transcript and on the page, its text, context and suggestion. Second
//! readings are asked for here (`reread_requests`), made by the caller that owns the OCR
//! engines (`SecondReader`), and weighed here (`add_second_readings`). It renders nothing.

use crate::align::Alignment;
use crate::evidence::{self, confusion::Confusions, consistency::Spellings, width::Pitch, Candidate, Context, Place};
use crate::lexicon::Lexicon;
use crate::model::Model;
use crate::policy::Rules;
use crate::reading::{ReadRequest, SecondReader};
use crate::transcript::{suggest, word_core};
use crate::types::{BBox, Discrepancy, DiscrepancyKind, Flag, OcrPage, SecondReading, Transcript};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Params {
    /// What weighs the evidence (`models/default.json` unless `--model` gives another).
    pub model: Arc<Model>,
    /// Flags at or above this score are shown. 0.5 is where the evidence says "more likely
    /// than not"; see README for the precision/recall trade-off measured by `scanproof eval`.
    pub threshold: f32,
    /// Which flags are read a second time.
    pub reread: Reread,
    /// Characters of transcript context kept on each side of a flag for reports.
    pub context_chars: usize,
    /// Which differences from the page count as errors (`--policy`, `scanproof.toml`): a
    /// flag under a rule the policy tolerates is not shown.
    pub rules: Rules,
}

/// Which flags get a second reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reread {
    /// Those whose verdict a second reading could change (`Model::counts_reread`): `check`.
    Doubtful,
    /// Every flag that has a box: `eval` and `train`, which weigh the same flags with several
    /// models (each then drops the readings it would not have made).
    All,
}

impl Default for Params {
    fn default() -> Self {
        let model = Model::default_model();
        Params {
            threshold: model.threshold,
            model,
            reread: Reread::Doubtful,
            context_chars: 40,
            rules: Rules::default(),
        }
    }
}

/// Code-point offset of a byte offset in `text`.
fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Weigh every discrepancy of the alignment into a flag, in transcript order. What the
/// document teaches (its spellings, the OCR's habits) is learned from all candidates first.
pub fn weigh_discrepancies(
    transcript: &Transcript,
    pages: &[OcrPage],
    alignment: &Alignment,
    lexicon: &Lexicon,
    params: &Params,
) -> Vec<Flag> {
    weigh_with_witness(transcript, pages, alignment, lexicon, None, params, None)
}

/// `weigh_discrepancies` with what a translation says (`witness`): its evidence joins the
/// discrepancies' evidence, and the places it doubts where scan and transcript agree become
/// flags of their own, weighed on the translation's evidence alone. With `second_reading`, the
/// flags a second reading could change are read again and weighed with it.
pub fn weigh_with_witness(
    transcript: &Transcript,
    pages: &[OcrPage],
    alignment: &Alignment,
    lexicon: &Lexicon,
    witness: Option<&crate::witness::Findings>,
    params: &Params,
    second_reading: Option<SecondReader>,
) -> Vec<Flag> {
    let noise = page_noise(alignment, pages.len());
    // Once per page, not per discrepancy: an --ocr-text page holds the whole document.
    let confidence: Vec<f32> = pages.iter().map(OcrPage::mean_confidence).collect();
    let pitch: Vec<Option<Pitch>> = pages.iter().map(Pitch::of).collect();
    let differing = differing_words(pages, alignment);
    let at: Vec<usize> = alignment.discrepancies.iter().map(|d| d.transcript.start).collect();
    let candidates: Vec<Candidate> = alignment
        .discrepancies
        .iter()
        .map(|d| {
            let mut c = candidate(transcript, pages, alignment, d, (&noise, &confidence, &pitch, &differing));
            c.place.crowding = crowding(&at, d.transcript.start);
            c
        })
        .collect();
    let mut spellings = Spellings::new(transcript.tokens[alignment.region.clone()].iter().map(|t| t.key.as_str()));
    spellings.learn_readings(&candidates);
    let confusions = Confusions::learn(&candidates, lexicon);
    let ctx = Context { lexicon, spellings: &spellings, confusions: &confusions, witness };
    let mut flags: Vec<Flag> = alignment
        .discrepancies
        .iter()
        .zip(&candidates)
        .map(|(d, c)| {
            let mut flag = build(transcript, pages, alignment, d, c, params);
            flag.evidence = evidence::gather(c, &ctx);
            rescore(&mut flag, params);
            flag
        })
        .collect();
    if let Some(read) = second_reading {
        let readings = read(&reread_requests(&flags, params));
        add_second_readings(&mut flags, &candidates, readings, &ctx, params);
    }
    if let Some(w) = witness {
        for (k, d) in w.unopposed(alignment) {
            let c = candidate(transcript, pages, alignment, &d, (&noise, &confidence, &pitch, &differing));
            let mut flag = build(transcript, pages, alignment, &d, &c, params);
            // The scan says nothing against the transcript here; only the translation speaks.
            flag.evidence = evidence::witness::unopposed(&c, w);
            rescore(&mut flag, params);
            flag.suggestion = suggest(&flag.transcript, &w.findings[k].suggestion, d.kind);
            flags.push(flag);
        }
        flags.sort_by_key(|f| (f.start, f.end));
    }
    assign_ids(&mut flags);
    flags
}

/// Words either side within which other discrepancies count as crowding a place.
const CROWD_WORDS: usize = 6;

/// How many other discrepancies stand within `CROWD_WORDS` transcript words (`at` is sorted,
/// one entry per discrepancy), as a share of four.
fn crowding(at: &[usize], here: usize) -> f32 {
    let lo = at.partition_point(|&p| p + CROWD_WORDS < here);
    let hi = at.partition_point(|&p| p <= here + CROWD_WORDS);
    let others = (hi - lo).saturating_sub(1);
    (others.min(4) as f32) / 4.0
}

/// Per page and OCR word: whether the word stands in a discrepancy.
fn differing_words(pages: &[OcrPage], alignment: &Alignment) -> Vec<Vec<bool>> {
    let mut out: Vec<Vec<bool>> = pages.iter().map(|p| vec![false; p.words.len()]).collect();
    for t in alignment.discrepancies.iter().flat_map(|d| &alignment.ocr_tokens[d.ocr.clone()]) {
        if let Some(words) = out.get_mut(t.page) {
            words[t.words.clone()].iter_mut().for_each(|w| *w = true);
        }
    }
    out
}

/// Per page: the share of its transcript words that stand in a discrepancy.
fn page_noise(alignment: &Alignment, pages: usize) -> Vec<f32> {
    let mut words = vec![0usize; pages];
    let mut differing = vec![0usize; pages];
    for p in alignment.token_page.iter().flatten() {
        words[*p] += 1;
    }
    for d in &alignment.discrepancies {
        let page = d
            .ocr
            .clone()
            .next()
            .map(|o| alignment.ocr_tokens[o].page)
            .or_else(|| d.transcript.clone().find_map(|t| alignment.token_page.get(t).copied().flatten()));
        if let Some(p) = page {
            differing[p] += d.transcript.len().max(1);
        }
    }
    words.iter().zip(&differing).map(|(&w, &d)| if w == 0 { 0.0 } else { (d as f32 / w as f32).min(1.0) }).collect()
}

fn candidate<'a>(
    transcript: &Transcript,
    pages: &'a [OcrPage],
    alignment: &Alignment,
    d: &Discrepancy,
    (noise, confidence, pitch, differing): (&[f32], &[f32], &[Option<Pitch>], &[Vec<bool>]),
) -> Candidate<'a> {
    let tokens = &transcript.tokens[d.transcript.clone()];
    let ocr = &alignment.ocr_tokens[d.ocr.clone()];
    let page = ocr.first().map(|t| t.page);
    let (line_edge, gaps) = match (ocr.first(), ocr.last()) {
        (Some(a), Some(b)) => {
            let words = &pages[a.page].words;
            let (first, last) = (a.words.start, b.words.end - 1);
            let starts = first == 0 || words[first - 1].line != words[first].line;
            let ends = last + 1 >= words.len() || words[last + 1].line != words[last].line;
            // A neighbour in a discrepancy of its own may be a piece of this word: no gap known.
            let apart = |i: usize| !differing[a.page][i];
            let before = (!starts && apart(first - 1))
                .then(|| words[first].bbox.x.saturating_sub(words[first - 1].bbox.x + words[first - 1].bbox.w));
            let after = (!ends && apart(last + 1))
                .then(|| words[last + 1].bbox.x.saturating_sub(words[last].bbox.x + words[last].bbox.w));
            (starts || ends, [before, after])
        }
        _ => (false, [None, None]),
    };
    let page = page.or_else(|| alignment.token_page.get(d.transcript.start).copied().flatten());
    Candidate {
        kind: d.kind,
        transcript: tokens.iter().map(|t| word_core(&t.text)).collect::<Vec<_>>().join(" "),
        scan: ocr.iter().map(|t| word_core(&t.text)).collect::<Vec<_>>().join(" "),
        scan_raw: ocr.iter().map(|t| t.text.replace('\n', " ")).collect::<Vec<_>>().join(" "),
        words: ocr.iter().flat_map(|t| pages[t.page].words[t.words.clone()].iter()).collect(),
        tokens: d.transcript.clone(),
        place: Place {
            page_noise: page.and_then(|p| noise.get(p)).copied().unwrap_or(0.0),
            page_confidence: page.and_then(|p| confidence.get(p)).copied().filter(|c| *c > 0.0),
            line_edge,
            crowding: 0.0,
            doubled: doubled(transcript, d),
            sentence_start: d.transcript.start.checked_sub(1).is_none_or(|p| {
                transcript.tokens[p].text.trim_end_matches(['"', '\'', '»', '”', ')']).ends_with(['.', '!', '?'])
            }),
            pitch: page.and_then(|p| pitch.get(p)).copied().flatten(),
            gaps,
        },
    }
}

/// Whether the transcript's words of a discrepancy repeat the word next to them.
fn doubled(transcript: &Transcript, d: &Discrepancy) -> bool {
    let tokens = &transcript.tokens;
    let Some(first) = tokens.get(d.transcript.start).filter(|_| !d.transcript.is_empty()) else {
        return false;
    };
    let last = &tokens[d.transcript.end - 1];
    let same = |a: &crate::types::Token, b: &crate::types::Token| a.key.to_lowercase() == b.key.to_lowercase();
    d.transcript.start.checked_sub(1).is_some_and(|p| same(&tokens[p], first))
        || tokens.get(d.transcript.end).is_some_and(|n| same(n, last))
}

/// The flag of a discrepancy, before its evidence: where it is and what both sides read.
fn build(
    transcript: &Transcript,
    pages: &[OcrPage],
    alignment: &Alignment,
    d: &Discrepancy,
    candidate: &Candidate,
    params: &Params,
) -> Flag {
    let tokens = &transcript.tokens[d.transcript.clone()];
    let ocr = &alignment.ocr_tokens[d.ocr.clone()];
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
    let bbox = candidate.words.iter().map(|w| w.bbox).fold(BBox::default(), BBox::union);
    let raw = &text[byte_start..byte_end];
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
        ocr: candidate.scan_raw.clone(),
        suggestion: suggest(raw, &candidate.scan, d.kind),
        kind: d.kind,
        problem: Default::default(),
        rule: Default::default(),
        score: 0.0,
        bbox,
        ocr_confidence: (candidate.confidence() * 1000.0).round() / 1000.0,
        shown: false,
        context_before: context(text, byte_start, params.context_chars, true),
        context_after: context(text, byte_end, params.context_chars, false),
        evidence: Vec::new(),
        decision: None,
        element_id: None,
        line_bbox: None,
        iiif: None,
    }
}

/// Weigh a flag's evidence with the model: its score, its problem, whether it is shown (likely
/// enough, and counted by the policy), and (when a second reading replaced a garbled first
/// one) its suggestion.
pub fn rescore(flag: &mut Flag, params: &Params) {
    flag.score = params.model.weigh(&mut flag.evidence);
    (flag.problem, flag.rule) = crate::problem::classify(flag);
    flag.shown = flag.score >= params.threshold && params.rules.counts(flag.rule);
    if let Some(reading) = flag.evidence.iter().rev().find_map(|e| e.reading.as_deref()) {
        // A line read alone loses its sentence, and with it the case of a first letter: the
        // transcript's own case of that letter is kept.
        let core = first_letter_case_of(&word_core(&flag.transcript), &word_core(reading));
        flag.suggestion = suggest(&flag.transcript, &core, flag.kind);
    }
}

/// The flags to read a second time: word-level discrepancies on the page (with a box) whose
/// verdict a second reading could change, or all of them (`Reread::All`).
pub fn reread_requests(flags: &[Flag], params: &Params) -> Vec<ReadRequest> {
    flags
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            matches!(f.kind, DiscrepancyKind::Substitute | DiscrepancyKind::Split | DiscrepancyKind::Merge)
                && f.bbox.w > 0
                && !f.evidence.iter().any(|e| e.kind == crate::model::REREAD)
        })
        .filter(|(_, f)| params.reread == Reread::All || params.model.counts_reread(&f.evidence))
        .map(|(i, f)| ReadRequest { flag: i, page: f.page, bbox: f.bbox })
        .collect()
}

/// Add what the second readings say to their flags (`flags[i]` was weighed from
/// `candidates[i]`), and weigh them again. Where a clear second reading replaced a garbled first
/// one, everything the scan's side was measured on is measured again on the second reading, word
/// for word («кровопийца» read again where «призма» was read first): the garbled reading's
/// confidence, dictionary verdict and distance to the transcript say nothing about the page.
fn add_second_readings(
    flags: &mut [Flag],
    candidates: &[Candidate],
    readings: Vec<(usize, SecondReading)>,
    ctx: &Context,
    params: &Params,
) {
    for (i, second) in readings {
        let flag = &mut flags[i];
        let first = evidence::reread::Reading { text: &flag.ocr, confidence: flag.ocr_confidence };
        let Some(mut e) = evidence::reread::measure(&second, &flag.transcript, &first, ctx.lexicon) else { continue };
        match candidates.get(i).filter(|c| e.reading.is_some() && c.words.len() == second.words.len()) {
            Some(c) => {
                // The alternatives evidence now reads the second reading's own alternatives:
                // counting them here as well would count one fact twice.
                e.features.remove("alt_spell_transcript");
                let again = Candidate {
                    scan: second.words.iter().map(|w| word_core(&w.text)).collect::<Vec<_>>().join(" "),
                    scan_raw: second.text.trim().to_string(),
                    words: second.words.iter().collect(),
                    ..c.clone()
                };
                e.first = std::mem::replace(&mut flag.evidence, evidence::gather(&again, ctx));
                flag.evidence.push(e);
            }
            None => flag.evidence.push(e),
        }
        rescore(flag, params);
    }
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

    /// A page read as `text`, every word boxed, at 0.9 but `garbled` at 0.1; the transcript
    /// `transcript`; every flag read again as `again`.
    fn weigh_read_again(text: &str, garbled: &str, transcript: &str, again: &str) -> Flag {
        let mut page = OcrPage::from_text(1, "p1.png", text, 0.9);
        for (k, w) in page.words.iter_mut().enumerate() {
            w.bbox = BBox { x: 10 + 60 * k as u32, y: 10, w: 50, h: 20 };
            if w.text == garbled {
                w.confidence = 0.1;
            }
        }
        let t = Transcript {
            path: "t.txt".into(),
            sha256: String::new(),
            tokens: crate::transcript::tokenize(transcript),
            text: transcript.to_string(),
        };
        let pages = [page];
        let alignment = crate::align::align(&t.tokens, &pages, &crate::align::Params::default());
        let params = Params { reread: Reread::All, ..Params::default() };
        let mut read = |requests: &[ReadRequest]| {
            let words: Vec<_> = again
                .split_whitespace()
                .map(|w| crate::types::OcrWord {
                    text: w.into(),
                    confidence: 0.9,
                    bbox: BBox::default(),
                    line: 0,
                    chars: Vec::new(),
                })
                .collect();
            requests
                .iter()
                .map(|r| (r.flag, SecondReading { text: again.into(), confidence: 0.9, words: words.clone() }))
                .collect()
        };
        let flags = weigh_with_witness(&t, &pages, &alignment, &Lexicon::empty(), None, &params, Some(&mut read));
        flags.into_iter().find(|f| f.transcript == "Viena").expect("a flag for the transcript's word")
    }

    fn feature(flag: &Flag, kind: &str, name: &str) -> Option<f32> {
        flag.evidence.iter().find(|e| e.kind == kind).and_then(|e| e.features.get(name).copied())
    }

    #[test]
    fn a_clear_second_reading_replaces_a_garbled_first_one_in_every_measure() {
        let text = "the committee met in Qxzwrt on the first of March";
        let transcript = "the committee met in Viena on the first of March";
        let flag = weigh_read_again(text, "Qxzwrt", transcript, "Vienna");
        // Confidence and resemblance are those of «Vienna», one letter from the transcript.
        assert_eq!(feature(&flag, "confidence", "value"), Some(0.9));
        assert_eq!(feature(&flag, "resemblance", "edits_1"), Some(1.0));
        assert_eq!(feature(&flag, "reread", "replaced"), Some(1.0));
        assert_eq!(flag.suggestion, "Vienna");
        // A second reading of another word count is weighed beside the first, not instead.
        let flag = weigh_read_again(text, "Qxzwrt", transcript, "Vien na");
        assert_eq!(feature(&flag, "confidence", "value"), Some(0.1));
        assert_eq!(feature(&flag, "resemblance", "edits_1"), None);
    }

    #[test]
    fn a_second_reading_keeps_the_transcript_case_of_the_first_letter() {
        assert_eq!(first_letter_case_of("word", "Ward"), "ward");
        assert_eq!(first_letter_case_of("Word", "ward"), "Ward");
        assert_eq!(first_letter_case_of("слово", "Слава"), "слава");
        assert_eq!(first_letter_case_of("NATO", "NAT0"), "NAT0");
        assert_eq!(first_letter_case_of("", "x"), "x");
    }
}
