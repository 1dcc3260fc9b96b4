//! Archive formats: a transcript file's bytes in (plain text, ALTO v2-v4, PAGE-XML 2013/2019,
//! hOCR, TEI P5 or Word .docx, in UTF-8, UTF-16 or a legacy code page), a `Transcript` out
//! together with the table that ties each stretch of its text to the element it came from; and
//! the way back, corrected text written into the same bytes, changing only the corrected
//! elements (TEI: as `<choice>`s; Word: as tracked changes). The same readers turn OCR files
//! (`--ocr`) into `OcrPage`s. Nothing here aligns or scores.

pub mod alto;
mod document;
pub mod docx;
pub mod encoding;
pub mod hocr;
#[doc(hidden)]
pub mod invariants;
mod model;
pub mod page_xml;
pub mod tei;
pub mod xml;

use crate::error::{Error, Result};
use crate::types::{BBox, OcrPage, OcrWord, Transcript};
use encoding::{Decoded, Detection};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Transcripts larger than this are refused before they are read. A 500-page book is about
/// 1.5 MB of text, or 30 MB as word-level ALTO; the aligner's working set is some 40 times the
/// text, so this keeps a run well inside a few gigabytes of memory.
pub const MAX_TRANSCRIPT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TranscriptFormat {
    Text,
    Alto,
    /// PAGE-XML (PRImA), 2010 to 2019 schemas.
    Page,
    Hocr,
    /// TEI P5.
    Tei,
    /// Word (Office Open XML, .docx).
    Docx,
}

impl TranscriptFormat {
    pub fn name(self) -> &'static str {
        match self {
            TranscriptFormat::Text => "plain text",
            TranscriptFormat::Alto => "ALTO",
            TranscriptFormat::Page => "PAGE-XML",
            TranscriptFormat::Hocr => "hOCR",
            TranscriptFormat::Tei => "TEI",
            TranscriptFormat::Docx => "Word document",
        }
    }
}

/// How to read a transcript; `None` means detect from the content.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReadOptions {
    pub format: Option<TranscriptFormat>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Which reading of an edition's parallel forms to compare (TEI `<choice>`).
    pub policy: crate::policy::Policy,
}

/// How corrections are written back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    pub tei_mode: tei::TeiMode,
}

pub use model::{ElementRef, Layout, Line, Markup, Page, Piece, Segment, Word};
pub use tei::Edit;

// ---------------------------------------------------------------------------------------------
// Transcripts

/// A transcript as read, with what it takes to write corrections back into its bytes.
#[derive(Debug, Clone)]
pub struct Document {
    pub transcript: Transcript,
    pub format: TranscriptFormat,
    pub layout: Layout,
    /// The decoded file (the XML source, or for plain text the text itself) and its encoding.
    pub decoded: Decoded,
    /// Things the user should know (a guessed encoding), for stderr.
    pub warnings: Vec<String>,
    /// A TEI document's page breaks, gaps and the rest (`None` for other formats).
    pub tei: Option<tei::TeiInfo>,
    /// A Word document's runs (`None` for other formats).
    pub docx: Option<docx::DocxInfo>,
}

/// Read a transcript file: refuse one over the size limit before reading it.
pub fn read_transcript(path: &Path, opts: &ReadOptions) -> Result<Document> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::BadInput { path: path.to_path_buf(), reason: "is a folder, not a transcript".into() });
    }
    if meta.len() > MAX_TRANSCRIPT_BYTES {
        return Err(Error::BadInput {
            path: path.to_path_buf(),
            reason: format!(
                "is {} MB; transcripts over {} MB are refused (split it by page or chapter)",
                meta.len() / (1024 * 1024),
                MAX_TRANSCRIPT_BYTES / (1024 * 1024)
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    read_document(path, &bytes, opts)
}

/// A transcript file's text and tokens, read with the default options (format detected).
pub fn read_text(path: &Path) -> Result<Transcript> {
    read_transcript(path, &ReadOptions::default()).map(|d| d.transcript)
}

/// Read a transcript from its bytes (`path` names it in messages and in the result).
pub fn read_document(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<Document> {
    if bytes.len() as u64 > MAX_TRANSCRIPT_BYTES {
        return Err(Error::BadInput { path: path.to_path_buf(), reason: "is over the transcript size limit".into() });
    }
    if opts.format == Some(TranscriptFormat::Docx) || (opts.format.is_none() && docx::is_zip(bytes)) {
        return docx::read_document(path, bytes);
    }
    let decoded = encoding::decode(path, bytes, opts.encoding)?;
    let mut warnings = Vec::new();
    if decoded.detection == Detection::Guessed {
        warnings.push(format!(
            "{}: not UTF-8; read as {} (detected; --encoding overrides)",
            path.display(),
            encoding::display_name(decoded.encoding)
        ));
    }
    let format = match opts.format {
        Some(f) => f,
        None => detect_format(&decoded.text).map_err(|reason| Error::BadInput { path: path.to_path_buf(), reason })?,
    };
    let bad =
        |reason: String| Error::BadInput { path: path.to_path_buf(), reason: format!("{}: {reason}", format.name()) };
    let mut tei = None;
    let (text, layout) = match format {
        TranscriptFormat::Text => (decoded.text.clone(), Layout::default()),
        TranscriptFormat::Tei => {
            let (text, layout, info) = tei::read(&decoded.text, opts.policy).map_err(bad)?;
            tei = Some(info);
            (text, layout)
        }
        xml_format => transcript_view(&parse_markup(&decoded.text, xml_format).map_err(bad)?),
    };
    let transcript = transcript_of(path, bytes, text)?;
    Ok(Document { transcript, format, layout, decoded, warnings, tei, docx: None })
}

pub fn parse_markup(src: &str, format: TranscriptFormat) -> std::result::Result<Markup, String> {
    match format {
        TranscriptFormat::Alto => alto::parse(src),
        TranscriptFormat::Page => page_xml::parse(src),
        TranscriptFormat::Hocr => hocr::parse(src),
        TranscriptFormat::Text => Err("plain text has no markup".into()),
        TranscriptFormat::Tei | TranscriptFormat::Docx => Err("an edition, not page markup".into()),
    }
}

/// The format of a decoded file, from its root element: `alto`, `PcGts`, or an HTML document
/// with hOCR classes. Anything not starting with markup is plain text; other declared XML is
/// refused rather than read as text, since its tags would become "words".
pub fn detect_format(text: &str) -> std::result::Result<TranscriptFormat, String> {
    let body = text.trim_start_matches('\u{FEFF}').trim_start();
    if !body.starts_with('<') {
        return Ok(TranscriptFormat::Text);
    }
    let mut walker = xml::Walker::new(body, true);
    // The root is within the first few events (declaration, comments, doctype).
    for _ in 0..64 {
        match walker.next_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                let root = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                return match root.as_str() {
                    "alto" => Ok(TranscriptFormat::Alto),
                    "pcgts" => Ok(TranscriptFormat::Page),
                    "tei" | "teicorpus" => Ok(TranscriptFormat::Tei),
                    "html" if body.contains("ocr_page") || body.contains("ocrx_word") || body.contains("ocr_line") => {
                        Ok(TranscriptFormat::Hocr)
                    }
                    // Without a declaration it may be text that starts with a bracket.
                    _ if !body.starts_with("<?xml") => Ok(TranscriptFormat::Text),
                    other => Err(format!(
                        "an XML document whose root is <{other}>, not ALTO, PAGE-XML, hOCR or TEI; \
                         give --transcript-format text to read it as plain text"
                    )),
                };
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            // Declared XML that the walker refuses (an entity declaration) is refused here too.
            Err(e) if body.starts_with("<?xml") || body.starts_with("<!") => return Err(e),
            // Not markup after all: text that happens to start with '<'.
            Err(_) => break,
        }
    }
    if body.starts_with("<?xml") {
        Err("an XML document without a root element".into())
    } else {
        Ok(TranscriptFormat::Text)
    }
}

/// The transcript text of a document: a line's words joined by spaces (a line's own text when
/// it has one, as a transcriber edits that), lines by line feeds; and which element each stretch
/// came from.
pub fn transcript_view(markup: &Markup) -> (String, Layout) {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut layout = Layout::default();
    let mut first_line = true;
    for page in &markup.pages {
        for line in &page.lines {
            if !first_line {
                text.push('\n');
                chars += 1;
            }
            first_line = false;
            let words: Vec<&Word> = match &line.own_text {
                Some(w) => vec![w],
                None => line.words.iter().collect(),
            };
            for (i, word) in words.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                    chars += 1;
                }
                let element = layout.elements.len();
                layout
                    .elements
                    .push(ElementRef { id: word.id.clone().or_else(|| line.id.clone()), line_bbox: line.bbox });
                for piece in &word.pieces {
                    let n = piece.text.chars().count();
                    layout.segments.push(Segment {
                        chars: chars..chars + n,
                        source: piece.source.clone(),
                        escape: piece.escape,
                        element,
                    });
                    text.push_str(&piece.text);
                    chars += n;
                }
            }
        }
    }
    (text, layout)
}

/// Byte offset of every code point of `s`, and of its end.
pub(crate) fn char_bounds(s: &str) -> Vec<usize> {
    s.char_indices().map(|(b, _)| b).chain(std::iter::once(s.len())).collect()
}

// ---------------------------------------------------------------------------------------------
// OCR files (`--ocr`)

/// Read OCR files (ALTO, hOCR, PAGE-XML, detected per file) into pages numbered from `first`.
/// A page's path is the image the file names, when it exists beside the file; else the file.
pub fn read_ocr_file(path: &Path, opts: &ReadOptions, first: usize) -> Result<(Vec<OcrPage>, Vec<String>)> {
    let doc_opts = ReadOptions { format: None, ..*opts };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > MAX_TRANSCRIPT_BYTES {
        return Err(Error::BadInput { path: path.to_path_buf(), reason: "is over the OCR file size limit".into() });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let bad = |reason: String| Error::BadInput { path: path.to_path_buf(), reason };
    if bytes.is_empty() {
        return Err(bad("the file is empty (0 bytes)".into()));
    }
    let decoded = encoding::decode(path, &bytes, doc_opts.encoding)?;
    let format = detect_format(&decoded.text).map_err(bad)?;
    if format == TranscriptFormat::Text {
        return Err(bad("not an OCR file (ALTO, hOCR or PAGE-XML)".into()));
    }
    let markup = parse_markup(&decoded.text, format).map_err(|r| bad(format!("{}: {r}", format.name())))?;
    let pages = ocr_pages(&markup, first, |image| {
        let beside = path.parent().unwrap_or(Path::new("")).join(image);
        if beside.is_file() {
            beside
        } else {
            path.to_path_buf()
        }
    });
    let mut warnings = Vec::new();
    if pages.iter().all(|p| p.words.is_empty()) {
        warnings.push(format!("{}: the OCR file has no words", path.display()));
    }
    Ok((pages, warnings))
}

/// The OCR view of a document: words with boxes in pixels, confidences and line numbers. A
/// line with text but no word elements is split at spaces, its box shared out by length.
pub fn ocr_pages(markup: &Markup, first: usize, resolve: impl Fn(&str) -> PathBuf) -> Vec<OcrPage> {
    let pixels_per_unit = markup.pixels_per_unit.unwrap_or(1.0);
    let scale = |b: BBox| {
        if pixels_per_unit == 1.0 {
            return b;
        }
        let s = |v: u32| (v as f32 * pixels_per_unit).round() as u32;
        BBox { x: s(b.x), y: s(b.y), w: s(b.w), h: s(b.h) }
    };
    let mut out = Vec::new();
    for (pi, page) in markup.pages.iter().enumerate() {
        let mut words: Vec<OcrWord> = Vec::new();
        let mut line_no = 0;
        for line in &page.lines {
            let before = words.len();
            let line_bbox = line.bbox.map(scale);
            let sources: Vec<&Word> = if line.words.iter().any(|w| !w.text().trim().is_empty()) {
                line.words.iter().collect()
            } else {
                line.own_text.iter().collect()
            };
            for w in sources {
                let bbox = w.bbox.map(scale).or(line_bbox).unwrap_or_default();
                let confidence = w.confidence.unwrap_or(crate::types::UNKNOWN_CONFIDENCE).clamp(0.0, 1.0);
                let text = w.text();
                let parts: Vec<&str> = text.split_whitespace().collect();
                let total: usize = parts.iter().map(|p| p.chars().count() + 1).sum::<usize>().max(1);
                let mut at = 0usize;
                for p in &parts {
                    let n = p.chars().count();
                    // Share the box out by length when the element holds several words.
                    let sub = if parts.len() == 1 {
                        bbox
                    } else {
                        let x0 = bbox.x + (bbox.w as u64 * at as u64 / total as u64) as u32;
                        let x1 = bbox.x + (bbox.w as u64 * (at + n) as u64 / total as u64) as u32;
                        BBox { x: x0, y: bbox.y, w: x1.saturating_sub(x0).max(1), h: bbox.h }
                    };
                    at += n + 1;
                    words.push(OcrWord {
                        text: p.to_string(),
                        confidence,
                        bbox: sub,
                        line: line_no,
                        chars: Vec::new(),
                    });
                }
            }
            if words.len() > before {
                line_no += 1;
            }
        }
        let extent = words.iter().fold((0u32, 0u32), |(w, h), word| {
            (w.max(word.bbox.x.saturating_add(word.bbox.w)), h.max(word.bbox.y.saturating_add(word.bbox.h)))
        });
        let width = page.width.map(|w| (w as f32 * pixels_per_unit).round() as u32).unwrap_or(extent.0);
        let height = page.height.map(|h| (h as f32 * pixels_per_unit).round() as u32).unwrap_or(extent.1);
        out.push(OcrPage {
            index: first + pi,
            path: resolve(page.image.as_deref().unwrap_or("")),
            width,
            height,
            words,
            ..Default::default()
        });
    }
    out
}

/// Fit pages read from OCR files to the scans given with them: the scan's path, and boxes
/// scaled to the scan's pixels when the file measured the page otherwise.
pub fn fit_to_scans(pages: &mut [OcrPage], scans: &[(PathBuf, u32, u32)]) {
    for (page, (path, w, h)) in pages.iter_mut().zip(scans) {
        page.path = path.clone();
        if page.width > 0 && page.height > 0 && (page.width != *w || page.height != *h) {
            let (sx, sy) = (*w as f32 / page.width as f32, *h as f32 / page.height as f32);
            for word in &mut page.words {
                let b = word.bbox;
                word.bbox = BBox {
                    x: (b.x as f32 * sx).round() as u32,
                    y: (b.y as f32 * sy).round() as u32,
                    w: (b.w as f32 * sx).round() as u32,
                    h: (b.h as f32 * sy).round() as u32,
                };
            }
        }
        page.width = *w;
        page.height = *h;
    }
}

// ---------------------------------------------------------------------------------------------
// Small parsing helpers the readers share.

/// A number attribute (ALTO writes `HPOS="521"` or `"521.5"`), negative values as 0.
pub(crate) fn number(s: &str) -> Option<f32> {
    s.trim().parse::<f32>().ok().filter(|v| v.is_finite()).map(|v| v.max(0.0))
}

/// A box from left, top, width, height (any of them unparsable: no box). Values are capped so
/// that a hostile file cannot make the sums overflow later.
pub(crate) fn bbox_from(x: f32, y: f32, w: f32, h: f32) -> BBox {
    let c = |v: f32| v.round().min(1_000_000.0) as u32;
    BBox { x: c(x), y: c(y), w: c(w), h: c(h) }
}

/// The transcript a reader sees in a file's `text`; a file with no text is an error.
pub(crate) fn transcript_of(path: &Path, bytes: &[u8], text: String) -> Result<Transcript> {
    if text.trim().is_empty() {
        return Err(Error::EmptyTranscript { path: path.to_path_buf() });
    }
    Ok(Transcript {
        path: path.to_path_buf(),
        sha256: crate::transcript::sha256_hex(bytes),
        tokens: crate::transcript::tokenize(&text),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DiscrepancyKind;

    use super::document::char_hunks;
    #[test]
    fn hunks_touch_only_what_changes() {
        assert_eq!(char_hunks("Бахиров,", "Багиров,"), vec![(2, 3, "г".to_string())]);
        assert_eq!(char_hunks("to day", "today"), vec![(2, 3, String::new())]);
        assert!(char_hunks("same", "same").is_empty());
    }

    #[test]
    fn tei_gaps_quiet_missing_text_flags_and_pb_names_pages() {
        let src = "<TEI><text><body><pb n='i' facs='scans/page-1.png'/><p>one <gap/> two</p>\
                   <pb n='ii' facs='page-2.png'/><p>three <unclear>four</unclear></p></body></text></TEI>";
        let doc = read_document(Path::new("t.xml"), src.as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(doc.transcript.text, "one two\n\nthree four");
        let mut review = crate::review::sample_review();
        let mut flag = |i: usize, kind, start: usize| {
            let f = &mut review.flags[i];
            (f.kind, f.start, f.end, f.transcript, f.shown) = (kind, start, start, String::new(), true);
        };
        use crate::types::DiscrepancyKind::{Delete, Substitute};
        flag(0, Delete, 3); // the scan has words where the edition has a gap
        flag(1, Delete, 7); // after "two": no gap there
        flag(2, Substitute, 15); // a different word inside <unclear> is still worth a look
        review.flags.push(review.flags[2].clone());
        review.flags[3].kind = Delete;
        review.flags[3].start = 19;
        review.flags[3].end = 19;
        doc.annotate_review(&mut review);
        let kept: Vec<(DiscrepancyKind, usize)> = review.flags.iter().map(|f| (f.kind, f.start)).collect();
        assert_eq!(kept, [(Delete, 7), (Substitute, 15)]);
        assert_eq!((review.stats.flags_total, review.stats.flags_shown), (2, 2));
        let labels: Vec<Option<&str>> = review.pages.iter().map(|p| p.label.as_deref()).collect();
        assert_eq!(labels, [Some("i"), Some("ii")]);
    }

    #[test]
    fn detects_formats_from_the_root() {
        let cases = [
            ("Plain text\n", TranscriptFormat::Text),
            ("<Page 1> a letter", TranscriptFormat::Text),
            ("<?xml version='1.0'?>\n<alto xmlns='x'></alto>", TranscriptFormat::Alto),
            ("<?xml version='1.0'?><!-- c --><PcGts xmlns='p'/>", TranscriptFormat::Page),
            ("<!DOCTYPE html><html><body><div class='ocr_page'></div></body></html>", TranscriptFormat::Hocr),
        ];
        for (text, want) in cases {
            assert_eq!(detect_format(text), Ok(want), "{text}");
        }
        assert_eq!(
            detect_format("<?xml version='1.0'?><TEI xmlns='http://www.tei-c.org/ns/1.0'/>"),
            Ok(TranscriptFormat::Tei)
        );
        assert!(detect_format("<?xml version='1.0'?><book/>").unwrap_err().contains("<book>"));
    }
}
