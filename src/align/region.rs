//! Where the scans' text lies in the transcript: exact anchors (words unique to both sides)
//! and fuzzy ones (words a few letters apart, in the same order), gathered into the densest
//! cluster, so that a noisy reading does not shrink the region. Only stretches that match
//! nothing at character level are left outside (a citation header, a translation).

use super::{distance, Params};
use crate::ocr::unread::{letters_beyond, letters_held};
use crate::types::{OcrPage, OcrToken, OcrWord, Token};
use similar::DiffOp;
use std::collections::HashMap;
use std::ops::Range;

/// Words left over at an end of the region that join it when the scan has as many words left.
const EDGE_WORDS: usize = 3;

/// Letters and digits of a comparison key, lower-cased: what fuzzy matching compares.
pub(crate) fn core(key: &str) -> String {
    key.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A posting list longer than this belongs to a letter pair too common to say where a word is
/// («th», «in»): it is skipped, which keeps the search near-linear on long texts.
const MAX_POSTING: usize = 400;

/// The longest chain of fuzzy word matches in order on both sides: pairs (i, j) of `a[i]` and
/// `b[j]` at most `max_distance` apart (normalized edit distance), both at least `min_chars`
/// long, increasing in i and j. Candidates come from shared letter pairs (a four-letter word
/// with its middle letter misread shares no trigram with itself).
pub(crate) fn fuzzy_chain(a: &[String], b: &[String], max_distance: f32, min_chars: usize) -> Vec<(usize, usize)> {
    let trigrams = |w: &str| -> Vec<String> {
        let c: Vec<char> = w.chars().collect();
        if c.len() < 2 {
            return vec![w.to_string()];
        }
        c.windows(2).map(|t| t.iter().collect()).collect()
    };
    let mut postings: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, w) in b.iter().enumerate() {
        if w.chars().count() >= min_chars {
            for t in trigrams(w) {
                let list = postings.entry(t).or_default();
                if list.last() != Some(&j) {
                    list.push(j);
                }
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (i, w) in a.iter().enumerate() {
        if w.chars().count() < min_chars {
            continue;
        }
        candidates.clear();
        for t in trigrams(w) {
            if let Some(list) = postings.get(&t).filter(|l| l.len() <= MAX_POSTING) {
                candidates.extend_from_slice(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        // Sorted by j descending within one i, so the chain below takes at most one j per i.
        for &j in candidates.iter().rev() {
            if distance(w, &b[j]) <= max_distance {
                pairs.push((i, j));
            }
        }
    }
    longest_chain(&pairs)
}

/// Longest subsequence of `pairs` (sorted by i, then j descending) increasing in j: patience
/// sorting with back links, O(P log P).
fn longest_chain(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut tails: Vec<usize> = Vec::new(); // index into pairs of the smallest tail of each length
    let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let pos = tails.partition_point(|&t| pairs[t].1 < j);
        back[k] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        out.push(pairs[k]);
        at = back[k];
    }
    out.reverse();
    out
}

/// Two neighbouring matches belong together when they are close in the transcript, or when the
/// scan has about as many words between them as the transcript: a stretch read too badly to
/// match anything, not a passage the scans lack.
fn together(a: (usize, usize), b: (usize, usize), gap: usize) -> bool {
    let (dt, d_o) = (b.0 - a.0, b.1.saturating_sub(a.1));
    dt <= gap || (d_o * 2 >= dt && d_o <= dt * 2)
}

/// Every match between transcript and scan that says where the scans' text is: the exact
/// anchors of `ops`, and fuzzy matches in the stretches between them.
fn matches(ops: &[DiffOp], t_core: &[String], o_core: &[String], params: &Params) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for op in ops {
        match *op {
            DiffOp::Equal { old_index, new_index, len } => out.extend((0..len).map(|k| (old_index + k, new_index + k))),
            _ => {
                let (_, old, new) = op.as_tag_tuple();
                if old.is_empty() || new.is_empty() {
                    continue;
                }
                let chain = fuzzy_chain(&t_core[old.clone()], &o_core[new.clone()], params.fuzzy_distance, 4);
                out.extend(chain.into_iter().map(|(i, j)| (old.start + i, new.start + j)));
            }
        }
    }
    out
}

/// Find the stretch of the transcript that the scans show: the densest cluster of matches (with
/// neighbouring clusters of substance joined to it: a page missing from the scans splits the
/// text, a chance match in a translation does not join it), extended at each end over words
/// that still resemble the scan's at character level.
pub(super) fn locate_scanned_region(
    ops: &[DiffOp],
    tokens: &[Token],
    ocr: &[OcrToken],
    pages: &[OcrPage],
    params: &Params,
) -> Range<usize> {
    let t_core: Vec<String> = tokens.iter().map(|t| core(&t.key)).collect();
    let o_core: Vec<String> = ocr.iter().map(|t| core(&t.key)).collect();
    let matches = matches(ops, &t_core, &o_core, params);
    // Scans that match nothing because the OCR read nothing usable (garbage, or no word at all
    // where lines of type stand: a heavy-ink copy at 96 dpi that Tesseract reads as empty, even
    // enlarged): where the text lies on them is unknown, so all of it is expected there (and
    // left unverified).
    let unread_letters = |p: &[OcrPage]| p.iter().map(|p| letters_held(&p.unread, &p.words)).sum::<f32>();
    let unreadable_scans = || {
        if unreadable(ocr, pages, params).is_some() || unread_letters(pages) >= params.unreadable_min_letters {
            tokens.len()
        } else {
            0
        }
    };
    if matches.is_empty() {
        return 0..unreadable_scans();
    }
    // Clusters: (first, last) indices into matches.
    let mut clusters: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=matches.len() {
        if i == matches.len() || !together(matches[i - 1], matches[i], params.cluster_gap) {
            clusters.push((start, i - 1));
            start = i;
        }
    }
    let size = |c: (usize, usize)| c.1 + 1 - c.0;
    let best = (0..clusters.len()).max_by_key(|&k| (size(clusters[k]), std::cmp::Reverse(k))).unwrap_or(0);
    // A cluster of one or two words is chance, not a region.
    if size(clusters[best]) < 3 && matches.len() >= 3 {
        return 0..unreadable_scans();
    }
    let substantial = |c: (usize, usize)| size(c) >= 10 && size(c) * 10 >= size(clusters[best]);
    let (mut lo, mut hi) = (best, best);
    while lo > 0 && substantial(clusters[lo - 1]) {
        lo -= 1;
    }
    while hi + 1 < clusters.len() && substantial(clusters[hi + 1]) {
        hi += 1;
    }
    let (mut t_lo, mut o_lo) = matches[clusters[lo].0];
    let (mut t_hi, mut o_hi) = matches[clusters[hi].1];

    // Extend over words that still match at character level, loosely, near the ends.
    if t_lo > 0 && o_lo > 0 {
        let chain = fuzzy_chain(&t_core[..t_lo], &o_core[..o_lo], params.loose_distance, 4);
        let mut at = (t_lo, o_lo);
        for &(i, j) in chain.iter().rev() {
            if !together((i, j), at, params.edge_gap) {
                break;
            }
            at = (i, j);
        }
        (t_lo, o_lo) = at;
    }
    if t_hi + 1 < tokens.len() && o_hi + 1 < ocr.len() {
        let chain = fuzzy_chain(&t_core[t_hi + 1..], &o_core[o_hi + 1..], params.loose_distance, 4);
        let mut at = (t_hi, o_hi);
        for &(i, j) in &chain {
            let next = (t_hi + 1 + i, o_hi + 1 + j);
            if !together(at, next, params.edge_gap) {
                break;
            }
            at = next;
        }
        (t_hi, o_hi) = at;
    }
    // A few words left at an end, with at least as many scan words left there, were read
    // (badly): a page's first word misread is still the page's.
    let take = |t_left: usize, o_left: usize| if t_left <= EDGE_WORDS && o_left >= t_left { t_left } else { 0 };
    let k = take(t_lo, o_lo);
    (t_lo, o_lo) = (t_lo - k, o_lo - k);
    let k = take(tokens.len() - 1 - t_hi, ocr.len() - 1 - o_hi);
    (t_hi, o_hi) = (t_hi + k, o_hi + k);
    // Then word by word while the neighbours still resemble each other (the first word of a
    // page may itself be misspelled), or one word the other side split in two («1.89,112»
    // read as «1.89,» «112»).
    let t_key = |i: usize| tokens[i].key.as_str();
    let o_key = |j: usize| ocr[j].key.as_str();
    while let Some((dt, dobs)) = edge_step(t_lo, o_lo, true, |k| t_key(t_lo - k), |k| o_key(o_lo - k)) {
        (t_lo, o_lo) = (t_lo - dt, o_lo - dobs);
    }
    loop {
        let (t_left, o_left) = (tokens.len() - 1 - t_hi, ocr.len() - 1 - o_hi);
        match edge_step(t_left, o_left, false, |k| t_key(t_hi + k), |k| o_key(o_hi + k)) {
            Some((dt, dobs)) => (t_hi, o_hi) = (t_hi + dt, o_hi + dobs),
            None => break,
        }
    }
    // Last, what the scans hold beyond the ends but the OCR could not read: a whole page
    // beyond the region's first or last page read as garbage may hold any of the transcript
    // beyond that end; within the end pages, as much as the garbage's letters.
    // Lines of type the OCR read nothing of, beyond the ends, hold about as many letters; but
    // a page read as nothing with type on it counts as garbage: faint strokes break its lines
    // into pieces, and their letters were half the text on a faint carbon (1,098 of ~2,000).
    let garbage_page = |p: &OcrPage| {
        unreadable_words(&p.words, params).is_some()
            || (crate::ocr::Strength::of(&p.words).letters < params.unreadable_min_letters
                && unread_letters(std::slice::from_ref(p)) >= params.unreadable_min_letters)
    };
    let bbox = |t: &OcrToken, last: bool| {
        let words = &pages[t.page].words[t.words.clone()];
        if last { words.last() } else { words.first() }.map(|w| w.bbox)
    };
    let (first, last) = (&ocr[o_lo], &ocr[o_hi]);
    let before = if pages[..first.page].iter().any(garbage_page) {
        t_lo
    } else {
        let ink = unread_letters(&pages[..first.page])
            + bbox(first, false)
                .map_or(0.0, |b| letters_beyond(&pages[first.page].unread, &pages[first.page].words, b, false));
        unread_words(tokens[..t_lo].iter().rev(), &ocr[..o_lo], pages, params, ink)
    };
    let after = if pages[last.page + 1..].iter().any(garbage_page) {
        tokens.len() - 1 - t_hi
    } else {
        let ink = unread_letters(&pages[last.page + 1..])
            + bbox(last, true)
                .map_or(0.0, |b| letters_beyond(&pages[last.page].unread, &pages[last.page].words, b, true));
        unread_words(tokens[t_hi + 1..].iter(), &ocr[o_hi + 1..], pages, params, ink)
    };
    t_lo - before..t_hi + 1 + after
}

/// How many of the transcript words `outwards` (nearest first) most likely lie on the scan
/// words `left` (on the region's end page) that the OCR read too poorly to match anything, or
/// in the `ink` letters of lines it read nothing of: as many as fit in those letters. Scan
/// words count only when they are such a passage (`unreadable_words`: a heavy-ink or faint
/// page read as garbage; a readable stamp or an untranscribed annexe is not garbage; a page
/// of text read as garbage still has about as many letters). Those transcript words are
/// expected on the scans, so they are left unverified instead of set aside as «not on the
/// scans».
fn unread_words<'a>(
    outwards: impl Iterator<Item = &'a Token>,
    left: &[OcrToken],
    pages: &[OcrPage],
    params: &Params,
    ink: f32,
) -> usize {
    let room = unreadable(left, pages, params).unwrap_or(0.0) + ink;
    if room <= 0.0 {
        return 0;
    }
    let mut letters = 0.0;
    outwards
        .take_while(|t| {
            letters += core(&t.key).chars().count() as f32;
            letters <= room
        })
        .count()
}

/// The letters read in `ocr` when it is a passage the OCR could not read.
fn unreadable(ocr: &[OcrToken], pages: &[OcrPage], params: &Params) -> Option<f32> {
    unreadable_words(ocr.iter().flat_map(|t| &pages[t.page].words[t.words.clone()]), params)
}

/// The letters read when `words` hold at least `params.unreadable_min_letters` letters (a
/// line: a speck on a blank page is no passage) at a mean confidence below
/// `params.unreadable_mean`.
pub(super) fn unreadable_words<'a>(words: impl IntoIterator<Item = &'a OcrWord>, params: &Params) -> Option<f32> {
    let strength = crate::ocr::Strength::of(words);
    (strength.letters >= params.unreadable_min_letters && strength.mean() < params.unreadable_mean)
        .then_some(strength.letters)
}

/// One step outwards at a region end: how many transcript and scan words the next ones take
/// when they still resemble each other, one to one (edit distance ≤ 0.5) or one to two
/// joined (≤ 1/3: a joined pair is longer, so it is held tighter). `t(k)`/`o(k)` give the
/// k-th word outwards (1 = the nearest) of the `t_left`/`o_left` there are; `before`: the
/// step goes towards the start (so the far word comes first in reading order).
fn edge_step<'a>(
    t_left: usize,
    o_left: usize,
    before: bool,
    t: impl Fn(usize) -> &'a str,
    o: impl Fn(usize) -> &'a str,
) -> Option<(usize, usize)> {
    if t_left == 0 || o_left == 0 {
        return None;
    }
    if distance(t(1), o(1)) <= 0.5 {
        return Some((1, 1));
    }
    let pair =
        |w: &dyn Fn(usize) -> &'a str| if before { format!("{}{}", w(2), w(1)) } else { format!("{}{}", w(1), w(2)) };
    if o_left >= 2 && distance(t(1), &pair(&o)) <= 1.0 / 3.0 {
        return Some((1, 2));
    }
    if t_left >= 2 && distance(&pair(&t), o(1)) <= 1.0 / 3.0 {
        return Some((2, 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(core).collect()
    }

    #[test]
    fn fuzzy_chain_matches_misread_words_in_order() {
        let a = words("the government of Azerbaijan sent four thousand soldiers");
        let b = words("tbe govermnent ot Azerbaljan sent fonr thousaud soldlers");
        let chain = fuzzy_chain(&a, &b, 0.4, 4);
        let got: Vec<(&str, &str)> = chain.iter().map(|&(i, j)| (a[i].as_str(), b[j].as_str())).collect();
        assert_eq!(
            got,
            [
                ("government", "govermnent"),
                ("azerbaijan", "azerbaljan"),
                ("sent", "sent"),
                ("four", "fonr"),
                ("thousand", "thousaud"),
                ("soldiers", "soldlers")
            ]
        );
        // Out of order, only the longest chain survives.
        let b = words("soldiers thousand four sent");
        assert_eq!(fuzzy_chain(&a, &b, 0.4, 4).len(), 1);
    }

    /// Issue 13/17: a page's first line read as two words where the transcript has one is
    /// still the page's, at either end; unrelated words are not.
    #[test]
    fn region_ends_take_a_word_the_scan_split() {
        let t = ["header", "1.89,112"];
        let o = ["1.89", "112"];
        // Towards the start: nearest first (t: 1.89,112 then header; o: 112 then 1.89).
        let step = edge_step(2, 2, true, |k| t[2 - k], |k| o[2 - k]);
        assert_eq!(step, Some((1, 2)));
        let step = edge_step(2, 2, false, |k| ["sincerely", "end"][k - 1], |k| ["sinc", "erely"][k - 1]);
        assert_eq!(step, Some((1, 2)));
        assert_eq!(edge_step(1, 2, true, |_| "translation", |k| o[2 - k]), None);
        assert_eq!(edge_step(0, 2, true, |_| "x", |k| o[2 - k]), None);
    }

    #[test]
    fn longest_chain_takes_one_partner_per_word() {
        let pairs = [(0, 3), (0, 1), (1, 2), (2, 0), (3, 4), (3, 3)];
        assert_eq!(longest_chain(&pairs), [(0, 1), (1, 2), (3, 3)]);
    }
}
