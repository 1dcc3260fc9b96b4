//! The properties the fuzz targets (fuzz/) hold the readers to, as functions that panic when one
//! fails, so the fuzzers and the regression tests of the inputs they found run the same checks.
//! Arbitrary bytes in; nothing out but a panic on a broken promise.

use super::{read_document, ReadOptions, TranscriptFormat};
use crate::types::{OcrPage, Token};
use std::path::{Path, PathBuf};

/// Tokens cover the text exactly: in order, disjoint, each span holding the token's text, and
/// every character outside them whitespace or part of a run without letters or digits.
pub fn assert_tokens_cover(text: &str, tokens: &[Token]) {
    let mut at = 0usize;
    let mut char_at = 0usize;
    for t in tokens {
        assert!(t.bytes.start >= at, "tokens overlap or go back");
        let gap = &text[at..t.bytes.start];
        assert!(
            gap.split_whitespace().all(|w| !w.chars().any(char::is_alphanumeric)),
            "a word outside every token: {gap:?}"
        );
        char_at += gap.chars().count();
        assert_eq!(t.chars.start, char_at, "code-point span out of step");
        assert_eq!(&text[t.bytes.clone()], t.text, "token text is not its span");
        char_at += t.text.chars().count();
        assert_eq!(t.chars.end, char_at, "code-point span out of step");
        at = t.bytes.end;
    }
    let tail = &text[at..];
    assert!(tail.split_whitespace().all(|w| !w.chars().any(char::is_alphanumeric)), "a word after the last token");
}

/// Read `bytes` as a transcript (format forced or detected). When it reads: tokens cover the
/// text; writing it back unchanged gives the same bytes; and a correction of its first word
/// writes a file that reads back with exactly that correction.
pub fn check_transcript(bytes: &[u8], format: Option<TranscriptFormat>) {
    let path = Path::new("fuzz.input");
    let Ok(doc) = read_document(path, bytes, &ReadOptions { format, ..Default::default() }) else { return };
    let text = &doc.transcript.text;
    assert_tokens_cover(text, &doc.transcript.tokens);
    assert_eq!(doc.rewrite(bytes, &[]).expect("an empty rewrite"), bytes, "read then write changed the bytes");
    for t in &doc.transcript.tokens {
        let _ = doc.layout.element_at(t.chars.clone());
    }
    let _ = super::ocr_pages(&super::parse_markup(&doc.decoded.text, doc.format).unwrap_or_default(), 1, |s: &str| {
        PathBuf::from(s)
    });
    let Some(first) = doc.transcript.tokens.first() else { return };
    let replacement = "Zq&<'\"]]>";
    let Ok(out) = doc.rewrite(bytes, &[(first.chars.clone(), replacement.to_string())]) else { return };
    let again = read_document(
        path,
        &out,
        &ReadOptions { format: Some(doc.format), encoding: Some(doc.decoded.encoding), ..Default::default() },
    )
    .unwrap_or_else(|e| panic!("a corrected file no longer reads: {e}"));
    let one_element = doc.format == TranscriptFormat::Text
        || doc.layout.segments.iter().any(|s| s.chars.start <= first.chars.start && first.chars.end <= s.chars.end);
    if one_element {
        let expected = format!("{}{replacement}{}", &text[..first.bytes.start], &text[first.bytes.end..]);
        assert_eq!(again.transcript.text, expected, "the correction did not land exactly");
    }
}

/// Read `bytes` as a decisions file; what reads must write and read back the same.
pub fn check_decisions(bytes: &[u8]) {
    let path = Path::new("fuzz.decisions.json");
    let Ok(d) = crate::review::decisions::parse_decisions(path, bytes) else { return };
    let json = serde_json::to_vec(&d).expect("decisions serialize");
    let back = crate::review::decisions::parse_decisions(path, &json).expect("written decisions read back");
    assert_eq!(back, d);
}

/// A page whose words are those of `text`, a line per line.
pub fn page_of(text: &str) -> OcrPage {
    OcrPage::from_text(1, "p1.png", text, 0.9)
}

/// Align the transcript before the first 0xFF byte with the scan reading after it: index ranges
/// stay in bounds; and the transcript aligned with its own words has no discrepancy.
pub fn check_alignment(bytes: &[u8]) {
    let split = bytes.iter().position(|&b| b == 0xFF).unwrap_or(bytes.len());
    let transcript = String::from_utf8_lossy(&bytes[..split]);
    let scan = String::from_utf8_lossy(bytes.get(split + 1..).unwrap_or_default());
    let tokens = crate::transcript::tokenize(&transcript);
    let params = crate::align::Params::default();
    let a = crate::align::align(&tokens, &[page_of(&scan)], &params);
    for d in &a.discrepancies {
        assert!(d.transcript.end <= tokens.len() && d.ocr.end <= a.ocr_tokens.len(), "a range out of bounds");
    }
    let own = crate::align::align(&tokens, &[page_of(&transcript)], &params);
    assert!(own.discrepancies.is_empty(), "a text differs from itself: {:?}", own.discrepancies);
}
