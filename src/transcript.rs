//! Transcript stage: bytes in, a `Transcript` of word tokens out (raw text, normalized key,
//! byte and code-point spans, line and column). It does not decide what is on the scans.

use crate::error::{Error, Result};
use crate::types::{Token, Transcript};
use sha2::{Digest, Sha256};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// Read and tokenize a transcript file: plain text or ALTO, PAGE-XML or hOCR (detected from the
/// content), in UTF-8 or a detected legacy encoding. See `formats` for the readers.
pub fn read_transcript(path: &Path) -> Result<Transcript> {
    crate::formats::read_transcript(path, &crate::formats::ReadOptions::default()).map(|d| d.transcript)
}

/// A transcript from text already in memory (its hash is the hash of its UTF-8 bytes).
pub fn from_text(path: &Path, text: String) -> Transcript {
    Transcript { path: path.to_path_buf(), sha256: sha256_hex(text.as_bytes()), tokens: tokenize(&text), text }
}

/// The text of an ALTO document; the reader now lives in `formats::alto`.
pub use crate::formats::alto::alto_text;

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// UTF-8, with a BOM tolerated (and dropped: offsets count from the first real character).
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            Err(Error::InvalidUtf8 { path: path.to_path_buf(), offset: e.valid_up_to() + (bytes.len() - body.len()) })
        }
    }
}

/// The comparison key of a word: NFC, typographic quotes folded to ASCII, hyphens and dashes
/// dropped (a typist's line-end hyphen and a compound's hyphen look alike on the page, so
/// "генерал-\nгубернатора" and "генерал-губернатора" must compare equal), and punctuation at
/// either edge stripped (OCR misreads punctuation far more
/// often than letters, and a comma is rarely what a reviewer is looking for). Case is kept:
/// "The" for "the" can be a real transcription error.
pub fn normalize_key(word: &str) -> String {
    let folded: String = word.nfc().map(fold_char).filter(|&c| c != '-' && c != '\u{00AD}').collect();
    let trimmed = folded.trim_matches(is_edge_punctuation);
    trimmed.to_string()
}

/// A word as a reviewer and a dictionary see it: NFC, quotes folded, a line-end hyphen and its
/// line break removed, edge punctuation stripped; inner hyphens kept ("генерал-губернатора").
pub fn word_core(raw: &str) -> String {
    let letter_spaced = raw.split(' ').count() >= 4 && raw.split(' ').all(|p| p.chars().count() == 1);
    let joined;
    let raw = if letter_spaced {
        joined = raw.replace(' ', "");
        joined.as_str()
    } else {
        raw
    };
    let mut out = String::new();
    let mut chars = raw.nfc().map(fold_char).filter(|&c| c != '\u{00AD}').peekable();
    while let Some(c) = chars.next() {
        if c == '-' && chars.peek().is_some_and(|n| *n == '\n') {
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            continue;
        }
        out.push(c);
    }
    out.trim_matches(is_edge_punctuation).to_string()
}

/// What is stripped from a word's edges: anything but letters, digits and combining marks (a
/// stress accent on a final vowel is part of the word).
fn is_edge_punctuation(c: char) -> bool {
    !c.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(c)
}

fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// A word carries at least one letter or digit; runs of bare punctuation (a lone dash or quote)
/// are not words to compare.
fn is_word(raw: &str) -> bool {
    raw.chars().any(char::is_alphanumeric)
}

/// Whether a raw word ends in a line-end hyphen that joins it to the next word.
pub fn ends_with_hyphen(raw: &str) -> bool {
    let mut chars = raw.chars().rev();
    match chars.next() {
        Some('-' | '\u{00AD}' | '\u{2010}' | '¬') => chars.next().is_some_and(char::is_alphabetic),
        _ => false,
    }
}

/// The key of a word hyphenated across a line end: both halves joined without the hyphen.
pub fn join_hyphenated(first: &str, second: &str) -> String {
    let head = normalize_key(first);
    format!("{head}{}", normalize_key(second))
}

/// The replacement a reviewer would accept: the scan's reading, keeping the transcript's own
/// punctuation around the word ("Тетерана," becomes "Тегерана,").
pub fn suggest(raw: &str, scan_core: &str, kind: crate::types::DiscrepancyKind) -> String {
    use crate::types::DiscrepancyKind;
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

/// Split text into word tokens on whitespace. A word that ends a line with a hyphen and is
/// followed by a word on the next line becomes one token spanning both (its raw text keeps the
/// hyphen and the line break, its key does not).
pub fn tokenize(text: &str) -> Vec<Token> {
    struct Raw {
        bytes: std::ops::Range<usize>,
        chars: std::ops::Range<usize>,
        line: usize,
        col: usize,
    }
    let mut raws: Vec<Raw> = Vec::new();
    let (mut line, mut col, mut char_idx) = (1usize, 1usize, 0usize);
    let mut current: Option<Raw> = None;
    for (byte_idx, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(mut r) = current.take() {
                r.bytes.end = byte_idx;
                r.chars.end = char_idx;
                raws.push(r);
            }
        } else if current.is_none() {
            current = Some(Raw { bytes: byte_idx..byte_idx, chars: char_idx..char_idx, line, col });
        }
        char_idx += 1;
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    if let Some(mut r) = current.take() {
        r.bytes.end = text.len();
        r.chars.end = char_idx;
        raws.push(r);
    }

    let mut tokens = Vec::with_capacity(raws.len());
    let mut i = 0;
    while i < raws.len() {
        let r = &raws[i];
        let raw = &text[r.bytes.clone()];
        if !is_word(raw) {
            i += 1;
            continue;
        }
        // Letter-spaced emphasis (Sperrsatz: "H u s s e r l"): four or more single letters
        // one space apart on one line are one word, as the OCR usually reads them.
        let single = |k: usize| {
            raws.get(k).is_some_and(|r| text[r.bytes.clone()].chars().count() == 1 && is_word(&text[r.bytes.clone()]))
        };
        let mut end = i;
        while single(end)
            && raws.get(end + 1).is_some_and(|n| n.bytes.start == raws[end].bytes.end + 1 && n.line == r.line)
            && single(end + 1)
        {
            end += 1;
        }
        if end + 1 - i >= 4 {
            let last = &raws[end];
            let spaced = &text[r.bytes.start..last.bytes.end];
            tokens.push(Token {
                text: spaced.to_string(),
                key: normalize_key(&spaced.replace(' ', "")),
                bytes: r.bytes.start..last.bytes.end,
                chars: r.chars.start..last.chars.end,
                line: r.line,
                col: r.col,
            });
            i = end + 1;
            continue;
        }
        // Hyphen at a line end, next word on the next line: one word.
        if let Some(next) = raws.get(i + 1) {
            let next_raw = &text[next.bytes.clone()];
            let gap = &text[r.bytes.end..next.bytes.start];
            if ends_with_hyphen(raw)
                && gap.matches('\n').count() == 1
                && next_raw.chars().next().is_some_and(char::is_alphabetic)
            {
                tokens.push(Token {
                    text: text[r.bytes.start..next.bytes.end].to_string(),
                    key: join_hyphenated(raw, next_raw),
                    bytes: r.bytes.start..next.bytes.end,
                    chars: r.chars.start..next.chars.end,
                    line: r.line,
                    col: r.col,
                });
                i += 2;
                continue;
            }
        }
        tokens.push(Token {
            text: raw.to_string(),
            key: normalize_key(raw),
            bytes: r.bytes.clone(),
            chars: r.chars.clone(),
            line: r.line,
            col: r.col,
        });
        i += 1;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_keeps_transcript_punctuation() {
        use crate::types::DiscrepancyKind;
        assert_eq!(suggest("Тетерана,", "Тегерана", DiscrepancyKind::Substitute), "Тегерана,");
        assert_eq!(suggest("(Зенджан", "Зенжан", DiscrepancyKind::Substitute), "(Зенжан");
        assert_eq!(suggest("1444.", "144 4", DiscrepancyKind::Merge), "144 4.");
        assert_eq!(suggest("", "of", DiscrepancyKind::Delete), " of");
        assert_eq!(suggest("extra", "", DiscrepancyKind::Insert), "");
    }

    #[test]
    fn keys_fold_quotes_dashes_and_edge_punctuation() {
        let cases = [
            ("«Тегерана»,", "Тегерана"),
            ("десяти–месячной", "десятимесячной"),
            ("1444.", "1444"),
            ("don’t", "don't"),
            ("(Зенджан,", "Зенджан"),
            ("ВКП(б)", "ВКП(б"),
            ("е\u{0301}", "\u{0435}\u{0301}"), // NFC keeps a combining acute that has no precomposed form
            ("—", ""),
        ];
        for (raw, key) in cases {
            assert_eq!(normalize_key(raw), key, "key of {raw:?}");
        }
    }

    #[test]
    fn word_core_keeps_inner_hyphens_and_drops_line_end_ones() {
        assert_eq!(word_core("«генерал-губернатора»,"), "генерал-губернатора");
        assert_eq!(word_core("обезору-\nжена."), "обезоружена");
        assert_eq!(word_core("so-\n  called"), "socalled");
    }

    #[test]
    fn nfc_makes_composed_and_decomposed_equal() {
        assert_eq!(normalize_key("Jose\u{0301}"), normalize_key("Jos\u{00E9}"));
        assert_eq!(normalize_key("и\u{0306}"), "й");
    }

    #[test]
    fn tokens_carry_byte_and_char_spans_lines_and_columns() {
        let text = "Мы просим\n  вашей помощи.";
        let t = tokenize(text);
        let got: Vec<_> = t.iter().map(|t| (t.text.as_str(), t.chars.clone(), t.line, t.col)).collect();
        assert_eq!(
            got,
            vec![("Мы", 0..2, 1, 1), ("просим", 3..9, 1, 4), ("вашей", 12..17, 2, 3), ("помощи.", 18..25, 2, 9)]
        );
        for tok in &t {
            assert_eq!(&text[tok.bytes.clone()], tok.text);
            let by_chars: String = text.chars().skip(tok.chars.start).take(tok.chars.len()).collect();
            assert_eq!(by_chars, tok.text);
        }
    }

    #[test]
    fn line_end_hyphen_joins_words() {
        let t = tokenize("the so-\ncalled refugees and a well-known man");
        let keys: Vec<_> = t.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["the", "socalled", "refugees", "and", "a", "wellknown", "man"]);
        assert_eq!(t[1].text, "so-\ncalled");
        assert_eq!(t[1].line, 1);
    }

    #[test]
    fn hyphen_not_joined_across_blank_line_or_before_digit() {
        let keys: Vec<_> = tokenize("word-\n\nnext a-\n12").into_iter().map(|t| t.key).collect();
        assert_eq!(keys, ["word", "next", "a", "12"]);
    }

    #[test]
    fn letter_spaced_names_are_one_word() {
        let t = tokenize("Familie H u s s e r l und in u a b");
        let keys: Vec<_> = t.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["Familie", "Husserl", "und", "in", "u", "a", "b"]);
        assert_eq!(t[1].text, "H u s s e r l");
        assert_eq!(word_core("H u s s e r l"), "Husserl");
    }

    #[test]
    fn bare_punctuation_is_not_a_word() {
        let keys: Vec<_> = tokenize("Кавам — \" Умереть, но не отступить\".").into_iter().map(|t| t.key).collect();
        assert_eq!(keys, ["Кавам", "Умереть", "но", "не", "отступить"]);
    }

    #[test]
    fn bom_is_dropped_and_bad_utf8_names_offset() {
        let p = Path::new("t.txt");
        assert_eq!(decode(p, b"\xEF\xBB\xBFabc").unwrap(), "abc");
        match decode(p, b"ab\xFFc") {
            Err(Error::InvalidUtf8 { offset, .. }) => assert_eq!(offset, 2),
            other => panic!("expected InvalidUtf8, got {other:?}"),
        }
        match decode(p, b"\xEF\xBB\xBFab\xFFc") {
            Err(Error::InvalidUtf8 { offset, .. }) => assert_eq!(offset, 5),
            other => panic!("expected InvalidUtf8, got {other:?}"),
        }
    }
}
