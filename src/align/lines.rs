//! Whole scan lines the transcript lacks. A transcriber's eye that skips a line leaves a run of
//! scan words that fills whole lines, with transcribed text on the line just above and the
//! line just below; a stamp, a marginal note or a signature block seldom sits so.

use crate::types::{OcrPage, OcrToken};
use std::ops::Range;

/// Skipped lines are one or two; more is a passage left out on purpose (untranscribed).
pub const MAX_LINES: usize = 2;

/// Whether the OCR tokens `run` are whole lines of one page (at most `MAX_LINES`) between
/// the lines of the tokens just before and after it: on the same page, the lines right above
/// and below; across a page break, the last line of the page before or the first of the next.
pub fn is_skipped_line(ocr: &[OcrToken], pages: &[OcrPage], run: &Range<usize>) -> bool {
    if run.is_empty() || run.start == 0 || run.end >= ocr.len() {
        return false;
    }
    let (first, last, before, after) = (&ocr[run.start], &ocr[run.end - 1], &ocr[run.start - 1], &ocr[run.end]);
    let page = first.page;
    if last.page != page {
        return false;
    }
    let words = &pages[page].words;
    let line = |w: usize| words[w].line;
    // A word the page breaks with a hyphen at the skipped line's edge is one token of two
    // lines («exam-» + «ple»). The transcript keeps the half on the line it kept, so the
    // skipped line ends before that token or starts after it; or, when the aligner gave the
    // token to the run, the skipped line is the token's half on it.
    let broken = |t: &OcrToken| t.words.len() == 2 && t.text.contains('\n');
    let a = first.words.start + usize::from(broken(first));
    let b = last.words.end - 1 - usize::from(broken(last));
    let broken_before = before.page == page && broken(before) && before.words.end == a;
    let broken_after = after.page == page && broken(after) && after.words.start == b + 1;
    // Specks and marks the aligner skips (no letters or digits) do not make a line partial.
    let word = |w: usize| words[w].text.chars().any(char::is_alphanumeric);
    let starts = broken_before || (0..a).rev().find(|&w| word(w)).is_none_or(|w| line(w) != line(a));
    let ends = broken_after || (b + 1..words.len()).find(|&w| word(w)).is_none_or(|w| line(w) != line(b));
    if !(starts && ends && line(b) >= line(a) && line(b) - line(a) < MAX_LINES) {
        return false;
    }
    let above = if before.page == page {
        (broken_before && line(before.words.start) + 1 == line(a)) || line(before.words.end - 1) + 1 == line(a)
    } else {
        before.page + 1 == page && !(0..a).any(word) && before.words.end == pages[before.page].words.len()
    };
    let below = if after.page == page {
        (broken_after && line(after.words.end - 1) == line(b) + 1) || line(after.words.start) == line(b) + 1
    } else {
        after.page == page + 1 && !(b + 1..words.len()).any(word) && after.words.start == 0
    };
    above && below
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::OcrWord;

    fn page(lines: &[&str]) -> (Vec<OcrPage>, Vec<OcrToken>) {
        let mut words = Vec::new();
        for (l, text) in lines.iter().enumerate() {
            for w in text.split_whitespace() {
                words.push(OcrWord {
                    text: w.into(),
                    confidence: 0.9,
                    bbox: Default::default(),
                    line: l,
                    chars: vec![],
                });
            }
        }
        // As `align::ocr_tokens` makes them: words without letters or digits are no tokens.
        let tokens = (0..words.len())
            .filter(|&i| words[i].text.chars().any(char::is_alphanumeric))
            .map(|i| OcrToken { key: words[i].text.clone(), text: words[i].text.clone(), page: 0, words: i..i + 1 })
            .collect();
        (vec![OcrPage { words, ..OcrPage::default() }], tokens)
    }

    #[test]
    fn a_whole_line_between_lines_is_skipped_a_part_or_a_block_is_not() {
        let (pages, ocr) = page(&["the first line", "a line left out here", "the last line", "x y", "z w"]);
        assert!(is_skipped_line(&ocr, &pages, &(3..8)));
        assert!(!is_skipped_line(&ocr, &pages, &(4..8)), "not from the line's start");
        assert!(!is_skipped_line(&ocr, &pages, &(3..7)), "not to the line's end");
        assert!(!is_skipped_line(&ocr, &pages, &(3..12)), "three lines");
        assert!(!is_skipped_line(&ocr, &pages, &(0..3)), "nothing transcribed before it");
        // A speck read at the line's start is no word of it.
        let (pages, ocr) = page(&["the first line", "— a line left out here", "the last line"]);
        assert!(is_skipped_line(&ocr, &pages, &(3..8)));
    }

    #[test]
    fn the_last_line_of_a_page_is_skipped_when_the_next_page_goes_on() {
        let (mut pages, mut ocr) = page(&["the first line", "the last line of the page"]);
        let (next, more) = page(&["the next page", "goes on"]);
        let base = ocr.len();
        pages.extend(next);
        ocr.extend(more.into_iter().map(|t| OcrToken { page: 1, ..t }));
        assert!(is_skipped_line(&ocr, &pages, &(3..base)));
        assert!(!is_skipped_line(&ocr, &pages, &(3..base - 1)), "not to the page's end");
    }

    /// A word broken with a hyphen at the skipped line's end or start is one token of two
    /// lines; the line is skipped up to it, or from after it.
    #[test]
    fn a_word_broken_at_the_edge_of_a_skipped_line_stays_with_its_kept_half() {
        let (pages, mut ocr) = page(&["the first line", "a line left out for exam-", "ple the last line"]);
        // As `align::ocr_tokens` joins «exam-» and «ple».
        let joined = OcrToken { key: "example".into(), text: "exam-\nple".into(), page: 0, words: 8..10 };
        ocr.splice(8..10, [joined]);
        assert!(is_skipped_line(&ocr, &pages, &(3..8)));
        assert!(!is_skipped_line(&ocr, &pages, &(3..7)), "not to the line's end");

        let (pages, mut ocr) = page(&["the first some-", "thing a line left out", "the last line"]);
        let joined = OcrToken { key: "something".into(), text: "some-\nthing".into(), page: 0, words: 2..4 };
        ocr.splice(2..4, [joined]);
        assert!(is_skipped_line(&ocr, &pages, &(3..7)));
        assert!(!is_skipped_line(&ocr, &pages, &(4..7)), "not from the line's start");
    }
}
