//! Align stage: transcript tokens and OCR pages in; the scanned region of the transcript, the
//! pairs of equal words, the discrepancies (by index ranges) and the untranscribed scan text
//! out. It does not judge who is right; `score` does.
//!
//! Anchor first, then diff locally: `similar`'s patience diff anchors on words unique to both
//! sides, and every replaced stretch between anchors is resolved by a small dynamic programme
//! over substitute / split / merge / insert / delete with character edit distance as cost.

mod counts;
mod lines;
mod region;

/// Letters and digits of a text, lower-cased (what fuzzy matching compares).
pub(crate) use region::core as letters;

pub use counts::ErrorCounts;

use crate::transcript::{ends_with_hyphen, join_hyphenated, normalize_key};
use crate::types::{Discrepancy, DiscrepancyKind, OcrPage, OcrToken, Token};
use similar::{Algorithm, DiffOp};
use std::ops::Range;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Params {
    /// Matches further apart than this many transcript words start a new cluster when the
    /// scanned region is located; a page of typescript is ~300 words, a citation header ~50.
    pub cluster_gap: usize,
    /// An unmatched run of scan words at least this long is untranscribed text (a stamp, a
    /// block the transcriber left out), not a word the transcript dropped.
    pub untranscribed_min_words: usize,
    /// A transcript-only run at least this long is text not on the scans (an editor's note,
    /// a block the OCR could not read), reported once rather than word by word.
    pub not_on_scans_min_words: usize,
    /// Bound on any single diff, for pathological input.
    pub deadline: Duration,
    /// Largest replaced stretch (words x words) given to the exact dynamic programme; a larger
    /// one is cut at fuzzy matches first.
    pub max_dp_cells: usize,
    /// Words at most this far apart (normalized edit distance) are a fuzzy match when the
    /// scanned region is located: a word of six letters with two misread still counts, which
    /// OCR of heavy or faint typescript (CER 20-40%) needs.
    pub fuzzy_distance: f32,
    /// Looser still at the region's ends, where only a few words are weighed: past the last
    /// match, words that share half their letters in order belong to the page.
    pub loose_distance: f32,
    /// Fuzzy matches at the region's ends further apart than this many transcript words (and
    /// not with as many scan words between) stop the region's extension.
    pub edge_gap: usize,
    /// Scan text beyond the region's ends read at a mean letter confidence below this, with
    /// at least `unreadable_min_letters` letters (a line), is a passage the OCR could not read:
    /// the transcript's words beyond the ends that fit in it are left unverified, not set
    /// aside; and all of them beyond an end with a whole page of such text past it (a page
    /// with less read, a speck or nothing, is taken for blank).
    pub unreadable_mean: f32,
    pub unreadable_min_letters: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            cluster_gap: 60,
            untranscribed_min_words: 3,
            not_on_scans_min_words: 5,
            deadline: Duration::from_secs(2),
            max_dp_cells: 250_000,
            fuzzy_distance: 0.4,
            loose_distance: 0.5,
            edge_gap: 8,
            unreadable_mean: 0.6,
            unreadable_min_letters: 40.0,
        }
    }
}

/// One aligned step: transcript tokens against OCR tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    pub transcript: Range<usize>,
    pub ocr: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Equal,
    Differ(DiscrepancyKind),
}

#[derive(Debug, Clone, Default)]
pub struct Alignment {
    pub ocr_tokens: Vec<OcrToken>,
    /// Transcript tokens the scans cover.
    pub region: Range<usize>,
    /// Every step over the region, in order (equal and differing).
    pub steps: Vec<Step>,
    pub discrepancies: Vec<Discrepancy>,
    /// OCR token ranges with no transcript counterpart.
    pub untranscribed: Vec<Range<usize>>,
    /// Transcript token ranges inside the region that the scans do not show.
    pub unread: Vec<Range<usize>>,
    /// For each transcript token, the page (index into pages) it was matched on, if any.
    pub token_page: Vec<Option<usize>>,
}

/// Build the aligner's view of the scan: one token per OCR word, except that a word ending a
/// line with a hyphen is joined with the first word of the next line, as in the transcript.
pub fn ocr_tokens(pages: &[OcrPage]) -> Vec<OcrToken> {
    let mut out = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let words = &page.words;
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            if !w.text.chars().any(char::is_alphanumeric) {
                i += 1;
                continue;
            }
            // Letter-spaced emphasis read letter by letter: one word, as the transcript's
            // tokenizer makes it (`transcript::tokenize`), so a text aligns with itself.
            let single = |k: usize| {
                words.get(k).is_some_and(|x: &crate::types::OcrWord| {
                    x.line == w.line && x.text.chars().count() == 1 && x.text.chars().all(char::is_alphanumeric)
                })
            };
            let mut end = i;
            while single(end) && single(end + 1) {
                end += 1;
            }
            if end + 1 - i >= 4 {
                let run = &words[i..=end];
                let text = run.iter().map(|x| x.text.as_str()).collect::<Vec<_>>().join(" ");
                out.push(OcrToken { key: normalize_key(&text.replace(' ', "")), text, page: p, words: i..end + 1 });
                i = end + 1;
                continue;
            }
            if let Some(next) = words.get(i + 1) {
                if next.line == w.line + 1
                    && ends_with_hyphen(&w.text)
                    && next.text.chars().next().is_some_and(char::is_alphabetic)
                {
                    out.push(OcrToken {
                        key: join_hyphenated(&w.text, &next.text),
                        text: format!("{}\n{}", w.text, next.text),
                        page: p,
                        words: i..i + 2,
                    });
                    i += 2;
                    continue;
                }
            }
            out.push(OcrToken { key: normalize_key(&w.text), text: w.text.clone(), page: p, words: i..i + 1 });
            i += 1;
        }
    }
    out
}

/// Normalized edit distance in [0, 1], case-insensitive: how unlike two readings are.
pub fn distance(a: &str, b: &str) -> f32 {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let n = a.chars().count().max(b.chars().count());
    if n == 0 {
        return 0.0;
    }
    strsim::levenshtein(&a, &b) as f32 / n as f32
}

/// Align a transcript with the OCR of its pages.
pub fn align(tokens: &[Token], pages: &[OcrPage], params: &Params) -> Alignment {
    let ocr = ocr_tokens(pages);
    let t_keys: Vec<&str> = tokens.iter().map(|t| t.key.as_str()).collect();
    let o_keys: Vec<&str> = ocr.iter().map(|t| t.key.as_str()).collect();
    let deadline = Some(Instant::now() + params.deadline);
    // Patience anchoring that stays near-linear on book-length texts (see `word_diff`).
    let ops = crate::word_diff::diff(&t_keys, &o_keys, deadline);

    let region = region::locate_scanned_region(&ops, tokens, &ocr, pages, params);
    let mut alignment =
        Alignment { region: region.clone(), token_page: vec![None; tokens.len()], ..Default::default() };
    if region.is_empty() {
        alignment.untranscribed = if ocr.is_empty() { vec![] } else { vec![0..ocr.len()] };
        alignment.ocr_tokens = ocr;
        return alignment;
    }

    // Diff again over the region alone, so that header and translation words cannot steal
    // anchors from the text the scans show.
    let t_region = &t_keys[region.clone()];
    let ops = crate::word_diff::diff(t_region, &o_keys, deadline);
    let mut steps = Vec::new();
    for op in ops {
        let (_, old, new) = op.as_tag_tuple();
        let old = old.start + region.start..old.end + region.start;
        match op {
            DiffOp::Equal { .. } => {
                for k in 0..old.len() {
                    steps.push(Step {
                        kind: StepKind::Equal,
                        transcript: old.start + k..old.start + k + 1,
                        ocr: new.start + k..new.start + k + 1,
                    });
                }
            }
            _ => steps.extend(resolve_replace(tokens, &ocr, old, new, params)),
        }
    }
    let steps = repair_crossings(steps, tokens, &ocr, params);
    classify_steps(&mut alignment, steps, &ocr, pages, params);
    alignment.ocr_tokens = ocr;
    alignment
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Move {
    Sub,
    Split(usize),
    Merge(usize),
    Ins,
    Del,
}

/// Resolve one replaced stretch (transcript tokens `t` against OCR tokens `o`) into steps by a
/// minimum-cost alignment. Costs: leaving a word unpaired costs 1; pairing costs twice the
/// normalized edit distance, a little less, so words in the same place pair up; splits and
/// merges cost a little more than a plain pairing so they are chosen only when the joined
/// words really match.
fn resolve_replace(tokens: &[Token], ocr: &[OcrToken], t: Range<usize>, o: Range<usize>, params: &Params) -> Vec<Step> {
    let (n, m) = (t.len(), o.len());
    if n > 0 && m > 0 && n * m > params.max_dp_cells {
        if let Some(steps) = resolve_by_fuzzy_anchors(tokens, ocr, t.clone(), o.clone(), params) {
            return steps;
        }
    }
    if n == 0 || m == 0 || n * m > params.max_dp_cells {
        let kind = match (n, m) {
            (_, 0) => DiscrepancyKind::Insert,
            (0, _) => DiscrepancyKind::Delete,
            _ => DiscrepancyKind::Substitute,
        };
        return vec![Step { kind: StepKind::Differ(kind), transcript: t, ocr: o }];
    }
    // Inner punctuation ("40-41,42") is not what pairs words; letters and digits are.
    let alnum = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let tkeys: Vec<String> = tokens[t.clone()].iter().map(|x| alnum(&x.key)).collect();
    let okeys: Vec<String> = ocr[o.clone()].iter().map(|x| alnum(&x.key)).collect();
    let tk = |i: usize| tkeys[i].as_str();
    let ok = |j: usize| okeys[j].as_str();
    // Words in the same place pair up even when unlike (2 * 1 - 0.1 < 1 + 1): a wrong initial
    // («И.» for «М.») is a substitution, not an insertion beside a deletion.
    const PAIR: f32 = -0.1;
    const JOIN: f32 = 0.3;
    // A split or merge that also changes letters is rare; a loose bound lets a speck next to
    // a misread word pass for a merge.
    const MAX_JOIN_DISTANCE: f32 = 0.25;
    let mut cost = vec![f32::INFINITY; (n + 1) * (m + 1)];
    let mut back = vec![Move::Sub; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    cost[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[at(i, j)];
            if !here.is_finite() {
                continue;
            }
            let mut relax = |ni: usize, nj: usize, c: f32, mv: Move| {
                if ni <= n && nj <= m && here + c < cost[at(ni, nj)] {
                    cost[at(ni, nj)] = here + c;
                    back[at(ni, nj)] = mv;
                }
            };
            if i < n && j < m {
                relax(i + 1, j + 1, 2.0 * distance(tk(i), ok(j)) + PAIR, Move::Sub);
            }
            // A split or merge only where the joined words really are the other side's word.
            for k in 2..=3 {
                if i + k <= n && j < m {
                    let joined: String = (i..i + k).map(tk).collect();
                    let d = distance(&joined, ok(j));
                    if d <= MAX_JOIN_DISTANCE {
                        relax(i + k, j + 1, 2.0 * d + JOIN * (k - 1) as f32, Move::Split(k));
                    }
                }
                if i < n && j + k <= m {
                    let joined: String = (j..j + k).map(ok).collect();
                    let d = distance(tk(i), &joined);
                    if d <= MAX_JOIN_DISTANCE {
                        relax(i + 1, j + k, 2.0 * d + JOIN * (k - 1) as f32, Move::Merge(k));
                    }
                }
            }
            relax(i + 1, j, 1.0, Move::Ins);
            relax(i, j + 1, 1.0, Move::Del);
        }
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let mv = back[at(i, j)];
        let (di, dj, kind) = match mv {
            Move::Sub => (1, 1, DiscrepancyKind::Substitute),
            Move::Split(k) => (k, 1, DiscrepancyKind::Split),
            Move::Merge(k) => (1, k, DiscrepancyKind::Merge),
            Move::Ins => (1, 0, DiscrepancyKind::Insert),
            Move::Del => (0, 1, DiscrepancyKind::Delete),
        };
        let (ti, oj) = (t.start + i - di..t.start + i, o.start + j - dj..o.start + j);
        // Pairs equal but for case stay discrepancies (a wrong capital is an error too), but
        // keys that are identical (only punctuation differed) are equal.
        let same = di == 1 && dj == 1 && tokens[ti.start].key == ocr[oj.start].key;
        steps.push(Step { kind: if same { StepKind::Equal } else { StepKind::Differ(kind) }, transcript: ti, ocr: oj });
        i -= di;
        j -= dj;
    }
    steps.reverse();
    steps
}

/// A run of transcript-only words next to a run of scan-only words, with at most a couple of
/// equal short words between them, is one stretch aligned wrongly: a word the diff took as an
/// anchor (a «в» read right among misread ones) pulled the two sides apart. Such stretches are
/// aligned again as one.
fn repair_crossings(steps: Vec<Step>, tokens: &[Token], ocr: &[OcrToken], params: &Params) -> Vec<Step> {
    let one_sided = |s: &Step| match s.kind {
        StepKind::Differ(DiscrepancyKind::Insert) => Some(true),
        StepKind::Differ(DiscrepancyKind::Delete) => Some(false),
        _ => None,
    };
    let run_end = |from: usize, side: bool| {
        let mut end = from;
        while end + 1 < steps.len() && one_sided(&steps[end + 1]) == Some(side) {
            end += 1;
        }
        end
    };
    let mut out = Vec::with_capacity(steps.len());
    let mut i = 0;
    while i < steps.len() {
        let Some(side) = one_sided(&steps[i]) else {
            out.push(steps[i].clone());
            i += 1;
            continue;
        };
        let end = run_end(i, side);
        // The other side's run, after at most two equal steps.
        let mut k = end + 1;
        while k < steps.len() && k <= end + 2 && steps[k].kind == StepKind::Equal {
            k += 1;
        }
        let long = |a: usize, b: usize| b + 1 - a >= 2;
        match steps.get(k).and_then(one_sided) {
            Some(other) if other != side && long(i, end) && long(k, run_end(k, other)) => {
                let last = run_end(k, other);
                let t = steps[i].transcript.start..steps[last].transcript.end;
                let o = steps[i].ocr.start..steps[last].ocr.end;
                out.extend(resolve_replace(tokens, ocr, t, o, params));
                i = last + 1;
            }
            _ => {
                out.extend(steps[i..=end].iter().cloned());
                i = end + 1;
            }
        }
    }
    out
}

/// A stretch too large for the dynamic programme (a page whose reading matched few words
/// exactly) cut at the fuzzy matches between its sides, each piece resolved on its own. `None`
/// when nothing matches even fuzzily.
fn resolve_by_fuzzy_anchors(
    tokens: &[Token],
    ocr: &[OcrToken],
    t: Range<usize>,
    o: Range<usize>,
    params: &Params,
) -> Option<Vec<Step>> {
    let a: Vec<String> = tokens[t.clone()].iter().map(|x| region::core(&x.key)).collect();
    let b: Vec<String> = ocr[o.clone()].iter().map(|x| region::core(&x.key)).collect();
    let chain = region::fuzzy_chain(&a, &b, params.fuzzy_distance, 4);
    if chain.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    let (mut ti, mut oj) = (t.start, o.start);
    for (i, j) in chain.into_iter().map(|(i, j)| (t.start + i, o.start + j)) {
        if ti < i || oj < j {
            steps.extend(resolve_replace(tokens, ocr, ti..i, oj..j, params));
        }
        let kind =
            if tokens[i].key == ocr[j].key { StepKind::Equal } else { StepKind::Differ(DiscrepancyKind::Substitute) };
        steps.push(Step { kind, transcript: i..i + 1, ocr: j..j + 1 });
        (ti, oj) = (i + 1, j + 1);
    }
    if ti < t.end || oj < o.end {
        steps.extend(resolve_replace(tokens, ocr, ti..t.end, oj..o.end, params));
    }
    Some(steps)
}

/// Turn steps into discrepancies, untranscribed runs and unread runs, and map tokens to pages.
fn classify_steps(alignment: &mut Alignment, steps: Vec<Step>, ocr: &[OcrToken], pages: &[OcrPage], params: &Params) {
    // Runs of consecutive insert (or delete) steps are judged together.
    let mut k = 0;
    while k < steps.len() {
        let s = &steps[k];
        match s.kind {
            StepKind::Equal => {}
            StepKind::Differ(DiscrepancyKind::Delete) | StepKind::Differ(DiscrepancyKind::Insert) => {
                let kind = s.kind;
                let mut end = k;
                while end + 1 < steps.len() && steps[end + 1].kind == kind {
                    end += 1;
                }
                let t = steps[k].transcript.start..steps[end].transcript.end;
                let o = steps[k].ocr.start..steps[end].ocr.end;
                let long = if kind == StepKind::Differ(DiscrepancyKind::Delete) {
                    o.len() >= params.untranscribed_min_words
                } else {
                    t.len() >= params.not_on_scans_min_words
                };
                if long && !o.is_empty() {
                    // A skipped line is a candidate too; it stays untranscribed text unless it
                    // is shown as a flag.
                    let transcribed = |s: &Step| !s.ocr.is_empty() && !s.transcript.is_empty();
                    let inside =
                        k > 0 && end + 1 < steps.len() && transcribed(&steps[k - 1]) && transcribed(&steps[end + 1]);
                    if inside && lines::is_skipped_line(ocr, pages, &o) {
                        alignment.discrepancies.push(Discrepancy {
                            kind: DiscrepancyKind::Delete,
                            transcript: t.clone(),
                            ocr: o.clone(),
                        });
                    }
                    alignment.untranscribed.push(o);
                } else if long {
                    alignment.unread.push(t);
                } else {
                    for st in &steps[k..=end] {
                        if let StepKind::Differ(kind) = st.kind {
                            alignment.discrepancies.push(Discrepancy {
                                kind,
                                transcript: st.transcript.clone(),
                                ocr: st.ocr.clone(),
                            });
                        }
                    }
                }
                k = end + 1;
                continue;
            }
            StepKind::Differ(kind) => {
                alignment.discrepancies.push(Discrepancy {
                    kind,
                    transcript: s.transcript.clone(),
                    ocr: s.ocr.clone(),
                });
            }
        }
        k += 1;
    }
    // Pages: a token takes the page of its OCR counterpart, else of its nearest neighbour.
    let mut last_page = None;
    for s in &steps {
        let page = s.ocr.clone().next().map(|o| ocr[o].page).or(last_page);
        for t in s.transcript.clone() {
            alignment.token_page[t] = page;
        }
        last_page = page.or(last_page);
    }
    let first = alignment.token_page.iter().flatten().next().copied();
    for p in alignment.token_page[alignment.region.clone()].iter_mut() {
        if p.is_none() {
            *p = first;
        }
    }
    // OCR before and after the region's matches is untranscribed too.
    let covered_lo = steps.iter().find_map(|s| s.ocr.clone().next()).unwrap_or(ocr.len());
    let covered_hi = steps.iter().rev().find_map(|s| s.ocr.clone().last()).map_or(0, |o| o + 1);
    if covered_lo > 0 {
        alignment.untranscribed.insert(0, 0..covered_lo.min(ocr.len()));
    }
    if covered_hi < ocr.len() && covered_hi > 0 {
        alignment.untranscribed.push(covered_hi..ocr.len());
    }
    alignment.untranscribed.retain(|r| !r.is_empty());
    alignment.steps = steps;
}

/// Character-level differences between two readings, as (transcript side, scan side) pairs,
/// e.g. ("т", "г") for Тетерана / Тегерана.
pub fn char_edits(transcript: &str, scan: &str) -> Vec<(String, String)> {
    let a: Vec<char> = transcript.chars().collect();
    let b: Vec<char> = scan.chars().collect();
    let ops = similar::capture_diff_slices(Algorithm::Myers, &a, &b);
    let mut out = Vec::new();
    for op in ops {
        let (tag, old, new) = op.as_tag_tuple();
        if tag != similar::DiffTag::Equal {
            out.push((a[old].iter().collect(), b[new].iter().collect()));
        }
    }
    out
}

#[cfg(test)]
mod tests;
