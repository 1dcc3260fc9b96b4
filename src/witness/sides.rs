//! One side of the comparison (original or translation) read as paragraphs, names and
//! initials, with the passage and code points a finding quotes.

use super::numbers::Lang;
use super::translit::{self, Script};
use crate::lexicon::{Lexicon, Verdict};
use crate::transcript::word_core;
use crate::types::Token;
use std::ops::Range;

/// One side of the comparison: a text, its word tokens, and the paragraphs (token ranges) that
/// belong to this side.
pub(super) struct Side<'a> {
    pub(super) text: &'a str,
    pub(super) tokens: &'a [Token],
    pub(super) paragraphs: Vec<Range<usize>>,
    pub(super) lang: Lang,
}

/// Paragraphs as token ranges.
pub(super) type Paragraphs = Vec<Range<usize>>;

/// The paragraphs of `tokens[range]`: a blank line between two words parts them.
pub(super) fn split_paragraphs(text: &str, tokens: &[Token], range: Range<usize>) -> Vec<Range<usize>> {
    let mut paragraphs: Vec<Range<usize>> = Vec::new();
    let mut start = range.start;
    for i in range.start + 1..range.end {
        let gap = &text[tokens[i - 1].bytes.end..tokens[i].bytes.start];
        if gap.matches('\n').count() >= 2 {
            paragraphs.push(start..i);
            start = i;
        }
    }
    if start < range.end {
        paragraphs.push(start..range.end);
    }
    paragraphs
}

pub(super) fn script_of(text: &str, tokens: &[Token], p: &Range<usize>) -> (Option<Script>, usize) {
    translit::dominant_script(&text[tokens[p.start].bytes.start..tokens[p.end - 1].bytes.end])
}

impl<'a> Side<'a> {
    pub(super) fn core(&self, i: usize) -> String {
        word_core(&self.tokens[i].text)
    }

    /// Whether token `i` starts a sentence (after . ! ? : or a quote, or at a paragraph start).
    fn sentence_initial(&self, i: usize, paragraph_start: usize) -> bool {
        if i == paragraph_start {
            return true;
        }
        let prev = self.tokens[i - 1].text.trim_end_matches(['"', '»', '“', '”', ')', ']']);
        prev.ends_with(['.', '!', '?', ':', ';']) || self.tokens[i].text.starts_with(['"', '«', '“', '„'])
    }
}

/// A name-like word (or two, joined) of one side.
#[derive(Debug, Clone)]
pub(super) struct NameAt {
    pub(super) tokens: Range<usize>,
    pub(super) form: String,
}

/// Whether a word is a name for the comparison: letters only (hyphens allowed), three or more,
/// and capitalized inside a sentence or unknown to the dictionary.
fn name_like(core: &str, initial: bool, lexicon: &Lexicon) -> bool {
    let letters = core.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 || !core.chars().all(|c| c.is_alphabetic() || c == '-') {
        return false;
    }
    let capital = core.chars().next().is_some_and(char::is_uppercase);
    if lexicon.is_empty() {
        return capital && !initial;
    }
    (capital && !initial) || lexicon.verdict(core) == Verdict::Unknown
}

pub(super) fn names_of(side: &Side, paragraph: &Range<usize>, lexicon: &Lexicon) -> Vec<NameAt> {
    paragraph
        .clone()
        .filter_map(|i| {
            let core = side.core(i);
            // A short word with a full stop is an abbreviation (Cde., Dr., тов.), not a name.
            if core.chars().count() <= 3 && side.tokens[i].text.trim_end_matches(['"', '»', ')']).ends_with('.') {
                return None;
            }
            name_like(&core, side.sentence_initial(i, paragraph.start), lexicon)
                .then(|| NameAt { tokens: i..i + 1, form: core })
        })
        .collect()
}

/// Initials directly before token `i` («И. Д.» before «Багиров»), as letters.
pub(super) fn initials_before(side: &Side, i: usize, floor: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut k = i;
    while k > floor {
        let t = &side.tokens[k - 1].text;
        let core = word_core(t);
        if core.chars().count() == 1 && core.chars().all(char::is_uppercase) && t.trim_end().ends_with('.') {
            out.push((k - 1, core));
            k -= 1;
        } else {
            break;
        }
    }
    out.reverse();
    out
}

/// The translated passage around one word: the paragraph, cut to about 60 characters either
/// side on word boundaries.
pub(super) fn passage(text: &str, tokens: &[Token], paragraph: &Range<usize>, at: &Range<usize>) -> String {
    const SIDE: usize = 60;
    let (mut a, mut b) = (at.start, at.end);
    let len = |a: usize, b: usize| text[tokens[a].bytes.start..tokens[b - 1].bytes.end].chars().count();
    while a > paragraph.start && len(a - 1, at.end) <= SIDE + len(at.start, at.end) {
        a -= 1;
    }
    while b < paragraph.end && len(at.start, b + 1) <= SIDE + len(at.start, at.end) {
        b += 1;
    }
    let mut s: String =
        text[tokens[a].bytes.start..tokens[b - 1].bytes.end].split_whitespace().collect::<Vec<_>>().join(" ");
    if a > paragraph.start {
        s.insert(0, '…');
    }
    if b < paragraph.end {
        s.push('…');
    }
    s
}

/// Code points of tokens `r` without the punctuation at their outer edges (an initial keeps
/// its full stop).
pub(super) fn chars_of(tokens: &[Token], r: &Range<usize>) -> Range<usize> {
    let (first, last) = (&tokens[r.start].text, &tokens[r.end - 1].text);
    let lead = first.chars().take_while(|c| !c.is_alphanumeric()).count();
    let letters = last.trim_end_matches(|c: char| !c.is_alphanumeric());
    let mut trail = last.chars().count() - letters.chars().count();
    if letters.chars().filter(|c| c.is_alphanumeric()).count() == 1 && last[letters.len()..].starts_with('.') {
        trail -= 1;
    }
    tokens[r.start].chars.start + lead..tokens[r.end - 1].chars.end - trail
}
