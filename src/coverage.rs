//! Coverage stage: the alignment, the pages and the weighed flags in; what the scans say about
//! every transcript word out (verified, unverified, not on the scans), by transcript line, by
//! scan line, by page and for the document, with the unverified stretches and their boxes.
//! It judges no discrepancy (`score` does): a difference weighed on a usable reading is
//! verified whatever its score, and so is one whose flag is shown (the reviewer sees it).

use crate::align::{Alignment, StepKind};
use crate::types::{
    BBox, Favours, Flag, LineStatus, NotOnScans, OcrPage, OcrWord, ScanLine, Transcript, TranscriptLine, Unverified,
};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct Params {
    /// A reading below this word confidence is no reading: it neither verifies the transcript
    /// nor speaks against it. On the EHRI English pages (`coverage_figures floor`, README
    /// "Coverage") Tesseract's words below 0.3 equal the transcript's in 15-24% of cases,
    /// from 0.3 to 0.7 in 38-47%, above 0.9 in 99%: 0.3 is where that share halves.
    pub confidence_floor: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params { confidence_floor: 0.30 }
    }
}

/// What the scans say about the transcript.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Per transcript token.
    pub status: Vec<LineStatus>,
    /// Per page (index into the pages): transcript words placed on it, and those verified.
    pub pages: Vec<(usize, usize)>,
    pub lines: Vec<TranscriptLine>,
    pub scan_lines: Vec<ScanLine>,
    pub unverified: Vec<Unverified>,
    pub not_on_scans: Vec<NotOnScans>,
    pub words_verified: usize,
    pub words_unverified: usize,
    pub words_not_on_scans: usize,
}

impl Coverage {
    /// Share of the words expected on the scans that were verified (1 when none is expected).
    pub fn share(&self) -> f32 {
        ratio(self.words_verified, self.words_verified + self.words_unverified)
    }
}

/// `a / b` rounded to four places; 1 when there is nothing to count.
pub fn ratio(a: usize, b: usize) -> f32 {
    if b == 0 {
        1.0
    } else {
        ((a as f32 / b as f32) * 10_000.0).round() / 10_000.0
    }
}

/// Where a transcript word was found on the scans.
#[derive(Debug, Clone, Copy, Default)]
struct Place {
    /// Index into pages.
    page: Option<usize>,
    bbox: Option<BBox>,
}

/// A transcript word's share of a scan line: all of it, or the part before or after the
/// point where the page breaks it across two lines (a code-point offset into the word).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Whole,
    Head(usize),
    Tail(usize),
}

pub fn assess(
    transcript: &Transcript,
    pages: &[OcrPage],
    alignment: &Alignment,
    flags: &[Flag],
    params: &Params,
) -> Coverage {
    let tokens = &transcript.tokens;
    let n = tokens.len();
    let mut status = vec![LineStatus::NotOnScans; n];
    let mut place = vec![Place::default(); n];
    // Scan lines: (page index, OCR line) -> the transcript words on it, in order.
    let mut on_line: BTreeMap<(usize, usize), Vec<(usize, Part)>> = BTreeMap::new();
    let by_span: HashMap<(usize, usize), &Flag> = flags.iter().map(|f| ((f.start, f.end), f)).collect();
    let usable = |w: &OcrWord| w.confidence >= params.confidence_floor && w.text.chars().any(char::is_alphanumeric);

    let mut last_line: Option<(usize, usize)> = None;
    for s in &alignment.steps {
        if s.transcript.is_empty() {
            continue;
        }
        let words: Vec<(usize, &OcrWord)> = s
            .ocr
            .clone()
            .flat_map(|o| {
                let t = &alignment.ocr_tokens[o];
                pages[t.page].words[t.words.clone()].iter().map(move |w| (t.page, w))
            })
            .collect();
        let verified = match s.kind {
            StepKind::Equal => true,
            StepKind::Differ(_) if words.iter().any(|(_, w)| usable(w)) => true,
            StepKind::Differ(_) => {
                let span = (tokens[s.transcript.start].chars.start, tokens[s.transcript.end - 1].chars.end);
                // A flag shown puts the place before the reviewer already; a second reading
                // that found the transcript's word is a usable reading.
                by_span.get(&span).is_some_and(|f| {
                    f.shown || f.evidence.iter().any(|e| e.kind == "reread" && e.favours == Favours::Transcript)
                })
            }
        };
        let bbox = words.iter().map(|(_, w)| w.bbox).reduce(BBox::union);
        let page = words.first().map(|(p, _)| *p);
        let count = s.transcript.len();
        for (k, t) in s.transcript.clone().enumerate() {
            status[t] = if verified { LineStatus::Verified } else { LineStatus::Unverified };
            place[t] = Place { page: page.or(alignment.token_page[t]), bbox };
            if words.is_empty() {
                // A word the scan shows nothing for stays with the line before it.
                if let Some(line) = last_line {
                    on_line.entry(line).or_default().push((t, Part::Whole));
                }
                continue;
            }
            let lines: Vec<(usize, usize)> = {
                let mut l: Vec<(usize, usize)> = words.iter().map(|(p, w)| (*p, w.line)).collect();
                l.dedup();
                l
            };
            if count == 1 && lines.len() == 2 {
                // One word broken across two of the page's lines.
                let at = break_point(&tokens[t].text, &words.iter().map(|(_, w)| *w).collect::<Vec<_>>());
                on_line.entry(lines[0]).or_default().push((t, Part::Head(at)));
                on_line.entry(lines[1]).or_default().push((t, Part::Tail(at)));
                last_line = Some(lines[1]);
            } else {
                let (p, w) = words[(k * words.len() / count).min(words.len() - 1)];
                on_line.entry((p, w.line)).or_default().push((t, Part::Whole));
                last_line = Some((p, w.line));
            }
        }
    }

    let mut cov = Coverage { status, ..Default::default() };
    cov.not_on_scans = not_on_scans(transcript, &cov.status);
    cov.unverified = unverified_runs(transcript, pages, &cov.status, &place);
    cov.pages = vec![(0, 0); pages.len()];
    for (t, st) in cov.status.iter().enumerate() {
        match st {
            LineStatus::Verified => cov.words_verified += 1,
            LineStatus::Unverified => cov.words_unverified += 1,
            LineStatus::NotOnScans => {
                cov.words_not_on_scans += 1;
                continue;
            }
        }
        if let Some(p) = place[t].page {
            cov.pages[p].0 += 1;
            cov.pages[p].1 += usize::from(*st == LineStatus::Verified);
        }
    }
    cov.lines = transcript_lines(transcript, pages, &cov.status, &place);
    cov.scan_lines = on_line
        .into_iter()
        .map(|((p, line), parts)| scan_line(transcript, &pages[p], line, &parts, &cov.status))
        .collect();
    cov
}

/// Where the page breaks a word (code points into the word's transcript text): at the
/// transcript's own line break when it has one, else after as many letters as the scan's
/// first part has.
fn break_point(text: &str, words: &[&OcrWord]) -> usize {
    if let Some(i) = text.find('\n') {
        return text[..i].chars().count();
    }
    let first = words.first().map_or(0, |w| w.text.chars().filter(|c| c.is_alphanumeric()).count());
    let mut letters = 0;
    for (i, c) in text.chars().enumerate() {
        if letters == first {
            return i;
        }
        letters += usize::from(c.is_alphanumeric());
    }
    text.chars().count()
}

fn status_of(words: usize, verified: usize, unverified: usize) -> LineStatus {
    if verified == words && words > 0 {
        LineStatus::Verified
    } else if unverified > 0 {
        LineStatus::Unverified
    } else {
        LineStatus::NotOnScans
    }
}

/// One scan line with the transcript's text for it: the transcript from the line's first word
/// (or the second part of a word the page broke) to its last (or the first part of one).
fn scan_line(
    transcript: &Transcript,
    page: &OcrPage,
    line: usize,
    parts: &[(usize, Part)],
    status: &[LineStatus],
) -> ScanLine {
    let tokens = &transcript.tokens;
    // Code-point and byte offsets of a point inside a token.
    let at = |t: usize, chars: usize| -> (usize, usize) {
        let tok = &tokens[t];
        let byte = tok.text.char_indices().nth(chars).map_or(tok.text.len(), |(b, _)| b);
        (tok.chars.start + chars, tok.bytes.start + byte)
    };
    let (first, first_part) = parts[0];
    let (last, last_part) = parts[parts.len() - 1];
    let (mut start, mut start_byte) = match first_part {
        Part::Tail(k) => at(first, k),
        _ => (tokens[first].chars.start, tokens[first].bytes.start),
    };
    let (mut end, mut end_byte) = match last_part {
        Part::Head(k) => at(last, k),
        _ => (tokens[last].chars.end, tokens[last].bytes.end),
    };
    let text = &transcript.text;
    // A broken word's parts lose the line break between them.
    while start_byte < end_byte {
        match text[start_byte..].chars().next() {
            Some(c) if c.is_whitespace() => {
                start_byte += c.len_utf8();
                start += 1;
            }
            _ => break,
        }
    }
    while end_byte > start_byte {
        match text[..end_byte].chars().next_back() {
            Some(c) if c.is_whitespace() => {
                end_byte -= c.len_utf8();
                end -= 1;
            }
            _ => break,
        }
    }
    // Marks standing alone in the transcript (a quote before a word, a tick) belong to no
    // word; they go with this line when the page shows one at its start (alone or not), or a
    // word of one character there: a mark the OCR took for a letter (a quote read «в»).
    let line_words: Vec<&OcrWord> = page.words.iter().filter(|w| w.line == line).collect();
    let mark = |w: Option<&&OcrWord>| {
        w.is_some_and(|w| w.text.chars().next().is_some_and(|c| !c.is_alphanumeric()) || w.text.chars().count() == 1)
    };
    if !matches!(first_part, Part::Tail(_)) && mark(line_words.first()) {
        let from = if first == 0 { 0 } else { tokens[first - 1].bytes.end };
        let gap = &text[from..start_byte];
        let gap = gap.rfind('\n').map_or(gap, |i| &gap[i + 1..]);
        if let Some(i) = gap.find(|c: char| !c.is_whitespace()) {
            start -= gap[i..].chars().count();
            start_byte -= gap.len() - i;
        }
    }
    // At the end only a word of marks alone: most lines end in a word's own comma or stop.
    let marks_only = |w: &&OcrWord| !w.text.is_empty() && !w.text.chars().any(char::is_alphanumeric);
    if !matches!(last_part, Part::Head(_)) && line_words.last().is_some_and(marks_only) {
        let to = tokens.get(last + 1).map_or(text.len(), |t| t.bytes.start);
        let gap = &text[end_byte..to];
        let gap = gap.find('\n').map_or(gap, |i| &gap[..i]);
        let kept = gap.trim_end();
        if !kept.trim_start().is_empty() {
            end += kept.chars().count();
            end_byte += kept.len();
        }
    }
    let mut line_text = text[start_byte..end_byte].split_whitespace().collect::<Vec<_>>().join(" ");
    let broken = matches!(last_part, Part::Head(_)) && !line_text.ends_with(['-', '‐', '¬']);
    if broken {
        line_text.push('-');
    }
    let words = parts.len();
    let verified = parts.iter().filter(|(t, _)| status[*t] == LineStatus::Verified).count();
    let unverified = parts.iter().filter(|(t, _)| status[*t] == LineStatus::Unverified).count();
    let bbox = page.words.iter().filter(|w| w.line == line).map(|w| w.bbox).fold(BBox::default(), BBox::union);
    ScanLine {
        page: page.index,
        line: line + 1,
        bbox,
        start,
        end,
        text: line_text,
        broken,
        status: status_of(words, verified, unverified),
        words,
        words_verified: verified,
    }
}

/// The transcript's lines with what the scans say of their words.
fn transcript_lines(
    transcript: &Transcript,
    pages: &[OcrPage],
    status: &[LineStatus],
    place: &[Place],
) -> Vec<TranscriptLine> {
    let tokens = &transcript.tokens;
    let mut out: Vec<TranscriptLine> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let line = tokens[i].line;
        let mut j = i;
        while j < tokens.len() && tokens[j].line == line {
            j += 1;
        }
        let range = i..j;
        let count = |s: LineStatus| range.clone().filter(|&t| status[t] == s).count();
        let (verified, unverified) = (count(LineStatus::Verified), count(LineStatus::Unverified));
        // The page most of its words are on.
        let mut votes: BTreeMap<usize, usize> = BTreeMap::new();
        for t in range.clone().filter(|&t| status[t] != LineStatus::NotOnScans) {
            if let Some(p) = place[t].page {
                *votes.entry(p).or_default() += 1;
            }
        }
        let page = votes.iter().max_by_key(|(p, n)| (**n, std::cmp::Reverse(**p))).map(|(p, _)| *p);
        let bbox = page.map_or(BBox::default(), |p| {
            range
                .clone()
                .filter(|&t| place[t].page == Some(p))
                .filter_map(|t| place[t].bbox)
                .fold(BBox::default(), BBox::union)
        });
        out.push(TranscriptLine {
            line,
            page: page.map_or(0, |p| pages[p].index),
            start: tokens[i].chars.start,
            end: tokens[j - 1].chars.end,
            bbox,
            status: status_of(j - i, verified, unverified),
            words: j - i,
            words_verified: verified,
        });
        i = j;
    }
    out
}

/// Runs of unverified words, one entry per page (0 for a run between pages: a page the scans
/// lack), with the box where they should be.
/// The nearest page beyond `from` (after it, or before it) with lines of type the OCR read
/// nothing of (`OcrPage::unread`), and the box around those lines.
fn unread_box(pages: &[OcrPage], from: Place, after: bool) -> Option<(Option<usize>, BBox)> {
    let p = from.page?;
    let on = |k: usize, at: Option<BBox>| {
        let lines = &pages[k].unread;
        let boxes = match at {
            Some(at) => crate::ocr::unread::lines_beyond(lines, at, after).map(|l| l.bbox).reduce(BBox::union),
            None => lines.iter().map(|l| l.bbox).reduce(BBox::union),
        };
        boxes.map(|b| (Some(k), b))
    };
    let beyond: Vec<usize> = if after { (p + 1..pages.len()).collect() } else { (0..p).rev().collect() };
    on(p, Some(from.bbox?)).or_else(|| beyond.into_iter().find_map(|k| on(k, None)))
}

fn unverified_runs(
    transcript: &Transcript,
    pages: &[OcrPage],
    status: &[LineStatus],
    place: &[Place],
) -> Vec<Unverified> {
    let tokens = &transcript.tokens;
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if status[i] != LineStatus::Unverified {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < tokens.len() && status[j] == LineStatus::Unverified && place[j].page == place[i].page {
            j += 1;
        }
        let boxes: Vec<BBox> = (i..j).filter_map(|t| place[t].bbox).collect();
        let before = i.checked_sub(1).map(|t| place[t]);
        let after = (j < tokens.len()).then(|| place[j]);
        let (page, bbox) = if let Some(b) = boxes.iter().copied().reduce(BBox::union) {
            (place[i].page, b)
        } else {
            match (before, after) {
                (Some(b), Some(a)) if b.page == a.page && b.page.is_some() => (b.page, estimate_box(b.bbox, a.bbox)),
                // Past the last word read: where lines of type were left unread, if any.
                (Some(b), None) => unread_box(pages, b, true).unwrap_or((b.page, b.bbox.unwrap_or_default())),
                (None, Some(a)) => unread_box(pages, a, false).unwrap_or((a.page, a.bbox.unwrap_or_default())),
                // Nothing was read anywhere: where the scans hold lines of type, if anywhere.
                (None, None) => pages
                    .iter()
                    .position(|p| !p.unread.is_empty())
                    .and_then(|k| pages[k].unread.iter().map(|l| l.bbox).reduce(BBox::union).map(|b| (Some(k), b)))
                    .unwrap_or((None, BBox::default())),
                // Between two pages: a page missing from the scans.
                _ => (None, BBox::default()),
            }
        };
        let (a, b) = (tokens[i].bytes.start, tokens[j - 1].bytes.end);
        out.push(Unverified {
            page: page.map_or(0, |p| pages[p].index),
            start: tokens[i].chars.start,
            end: tokens[j - 1].chars.end,
            line: tokens[i].line,
            bbox,
            words: j - i,
            preview: preview(&transcript.text[a..b]),
        });
        i = j;
    }
    out
}

/// The box between two neighbours: the gap on their line when they share one, else every line
/// from the one to the other.
fn estimate_box(before: Option<BBox>, after: Option<BBox>) -> BBox {
    match (before, after) {
        (Some(b), Some(a)) => {
            let same_line = b.y < a.y + a.h && a.y < b.y + b.h;
            if same_line && b.x + b.w <= a.x {
                let y = b.y.min(a.y);
                let h = (b.y + b.h).max(a.y + a.h) - y;
                BBox { x: b.x + b.w, y, w: a.x - (b.x + b.w), h }
            } else {
                b.union(a)
            }
        }
        (Some(b), None) => b,
        (None, Some(a)) => a,
        (None, None) => BBox::default(),
    }
}

fn preview(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut p: String = collapsed.chars().take(100).collect();
    if collapsed.chars().count() > 100 {
        p.push('…');
    }
    p
}

/// Transcript text outside the scanned region (a citation header, a translation): each run of
/// words not on the scans once, as a range, with the text around it at the ends.
fn not_on_scans(transcript: &Transcript, status: &[LineStatus]) -> Vec<NotOnScans> {
    let text = &transcript.text;
    let tokens = &transcript.tokens;
    let mut ranges: Vec<(usize, usize)> = Vec::new(); // byte ranges
    let mut i = 0;
    while i < tokens.len() {
        if status[i] != LineStatus::NotOnScans {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < tokens.len() && status[j] == LineStatus::NotOnScans {
            j += 1;
        }
        let a = if i == 0 { 0 } else { tokens[i].bytes.start };
        let b = if j == tokens.len() { text.len() } else { tokens[j - 1].bytes.end };
        ranges.push((a, b));
        i = j;
    }
    // Text before the first word and after the last (markup, numbers standing alone) belongs
    // with its neighbour; when that neighbour is on the scans it is not reported.
    let mut out = Vec::new();
    let mut chars_before = 0;
    let mut counted = 0;
    for (a, b) in ranges {
        let slice = &text[a..b];
        let lead = slice.len() - slice.trim_start().len();
        let trimmed = slice.trim();
        if trimmed.is_empty() {
            continue;
        }
        let (a, b) = (a + lead, a + lead + trimmed.len());
        chars_before += text[counted..a].chars().count();
        let len = trimmed.chars().count();
        out.push(NotOnScans { start: chars_before, end: chars_before + len, preview: preview(trimmed) });
        chars_before += len;
        counted = b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::InkLine;

    /// Issue 13: text on a page the OCR called empty, though it shows lines of type, is
    /// unverified, and the reviewer is pointed at those lines.
    #[test]
    fn text_on_lines_left_unread_is_unverified_where_the_lines_are() {
        let first = "The committee met on Tuesday in the library of the old school and heard the treasurer \
            read the accounts of the year, which showed a small surplus after the repairs to the roof.";
        let second = "Members then discussed the summer excursion, agreed to hire two coaches for the journey \
            to the coast, and asked the secretary to write to the hotel about lunch for sixty people.";
        let transcript = crate::transcript::from_text(std::path::Path::new("t.txt"), format!("{first}\n\n{second}"));
        let mut page1 = OcrPage::from_text(1, "p1.png", first, 0.9);
        for (k, w) in page1.words.iter_mut().enumerate() {
            w.bbox = BBox { x: 100 + 60 * (k as u32 % 20), y: 100 + 40 * (k as u32 / 20), w: 50, h: 30 };
        }
        let mut page2 = OcrPage::from_text(2, "p2.png", "", 0.9);
        let lines = BBox { x: 120, y: 200, w: 1400, h: 90 };
        let letters = second.chars().filter(|c| c.is_alphanumeric()).count() as u32;
        page2.unread = vec![InkLine { bbox: lines, letters }];
        let pages = [page1, page2];
        let alignment = crate::align::align(&transcript.tokens, &pages, &crate::align::Params::default());
        let cov = assess(&transcript, &pages, &alignment, &[], &Params::default());
        assert!(cov.not_on_scans.is_empty(), "{:?}", cov.not_on_scans);
        assert_eq!(cov.unverified.len(), 1, "{:?}", cov.unverified);
        let u = &cov.unverified[0];
        assert_eq!((u.page, u.bbox, u.words), (2, lines, second.split_whitespace().count()));

        // One page, read as nothing at all: the whole text is unverified, on that page's lines.
        let transcript = crate::transcript::from_text(std::path::Path::new("t.txt"), second.to_string());
        let mut page = OcrPage::from_text(1, "p1.png", "", 0.9);
        page.unread = vec![InkLine { bbox: lines, letters }];
        let pages = [page];
        let alignment = crate::align::align(&transcript.tokens, &pages, &crate::align::Params::default());
        let cov = assess(&transcript, &pages, &alignment, &[], &Params::default());
        assert!(cov.not_on_scans.is_empty(), "{:?}", cov.not_on_scans);
        let u = &cov.unverified[0];
        assert_eq!((u.page, u.bbox, u.words), (1, lines, second.split_whitespace().count()));
    }
}
