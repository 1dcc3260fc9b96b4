//! Archive formats: a transcript file's bytes in (plain text, ALTO v2-v4, PAGE-XML 2013/2019,
//! hOCR, TEI P5 or Word .docx, in UTF-8, UTF-16 or a legacy code page), a `Transcript` out
//! together with the table that ties each stretch of its text to the element it came from; and
//! the way back, corrected text written into the same bytes, changing only the corrected
//! elements (TEI: as `<choice>`s; Word: as tracked changes). The same readers turn OCR files
//! (`--ocr`) into `OcrPage`s. Nothing here aligns or scores.

pub mod alto;
pub mod docx;
pub mod encoding;
pub mod hocr;
#[doc(hidden)]
pub mod invariants;
pub mod page_xml;
pub mod tei;
pub mod xml;

use crate::error::{Error, Result};
use crate::types::{BBox, Flag, OcrPage, OcrWord, Transcript};
use encoding::{Decoded, Detection};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};
use xml::Escape;

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

pub use tei::Edit;

// ---------------------------------------------------------------------------------------------
// The document model every XML reader fills: pages of lines of words, each word's text kept
// with its place in the source.

/// A piece of text as it stands in the decoded source: its decoded text, the byte range of its
/// escaped form, and how it is escaped there.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub source: Range<usize>,
    pub escape: Escape,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Word {
    pub id: Option<String>,
    pub bbox: Option<BBox>,
    /// 0..=1, as the file gives it.
    pub confidence: Option<f32>,
    /// Usually one; more when the word's text is split in the source (an ALTO `HYP` after its
    /// `String`, hOCR markup inside a word). They are joined without a space.
    pub pieces: Vec<Piece>,
}

impl Word {
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub id: Option<String>,
    pub bbox: Option<BBox>,
    pub words: Vec<Word>,
    /// The line's own text when the format has one (PAGE `TextLine/TextEquiv`, an hOCR line
    /// without word elements).
    pub own_text: Option<Word>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The scan the file says it was made from.
    pub image: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markup {
    pub pages: Vec<Page>,
    /// Pixels per unit of the file's coordinates, when they are not pixels (ALTO `mm10`,
    /// `inch1200`).
    pub pixels_per_unit: Option<f32>,
}

// ---------------------------------------------------------------------------------------------
// Transcripts

/// The part of the transcript text that one piece of the source holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Code points of the transcript text.
    pub chars: Range<usize>,
    /// Bytes of the decoded source holding the escaped text.
    pub source: Range<usize>,
    pub escape: Escape,
    /// Index into `Layout::elements`.
    pub element: usize,
}

/// What a flag learns about where its text sits in the XML.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementRef {
    /// The id of the element holding the text (the word's, else its line's).
    pub id: Option<String>,
    /// The line's own coordinates, in the file's pixels.
    pub line_bbox: Option<BBox>,
}

/// The span → element table of an XML transcript (empty for plain text).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// In text order, disjoint.
    pub segments: Vec<Segment>,
    pub elements: Vec<ElementRef>,
}

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

impl Layout {
    /// The element a code-point span of the text lies in: the first segment it touches, or for
    /// an empty span the one it follows.
    pub fn element_at(&self, span: Range<usize>) -> Option<&ElementRef> {
        let mut i = self.segments.partition_point(|s| s.chars.end < span.start);
        // A span that starts where a segment ends starts in the next one.
        while !span.is_empty() && self.segments.get(i).is_some_and(|s| s.chars.end == span.start) {
            i += 1;
        }
        let seg = self.segments.get(i)?;
        let touches = if span.is_empty() { seg.chars.start <= span.start } else { seg.chars.start < span.end };
        touches.then(|| self.elements.get(seg.element)).flatten()
    }
}

impl Document {
    /// Give each flag the element id and line coordinates of the text it is about.
    pub fn annotate(&self, flags: &mut [Flag]) {
        for flag in flags {
            if let Some(el) = self.layout.element_at(flag.start..flag.end) {
                flag.element_id = el.id.clone();
                flag.line_bbox = el.line_bbox;
            }
            // A TEI file's own line and column: the text read from it has other lines.
            if self.format == TranscriptFormat::Tei {
                if let Some((line, column)) = self.source_position(flag.start) {
                    (flag.line, flag.column) = (line, column);
                }
            }
        }
    }

    /// Line and column (1-based, column in code points) in the decoded source of the text's
    /// code point `at` (or of the first one after it held by an element).
    pub fn source_position(&self, at: usize) -> Option<(usize, usize)> {
        let segs = &self.layout.segments;
        let seg = &segs[segs.iter().position(|s| at < s.chars.end)?];
        let raw = &self.decoded.text[seg.source.clone()];
        let offsets = match seg.escape {
            Escape::CData => char_bounds(raw),
            _ => xml::unescape(raw, false, false).ok()?.offsets,
        };
        let byte = seg.source.start + offsets.get(at.saturating_sub(seg.chars.start))?;
        let src = &self.decoded.text[..byte];
        let line = src.matches('\n').count() + 1;
        let column = src[src.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
        Some((line, column))
    }

    /// Everything the transcript's own markup says about a finished review: each flag's element
    /// (and, for TEI, its line and column in the file), the pages' names from TEI `<pb n>`, and
    /// no flag for missing text where the edition itself marks a `<gap/>` or `<unclear>`.
    pub fn annotate_review(&self, review: &mut crate::types::Review) {
        self.annotate(&mut review.flags);
        let Some(tei) = &self.tei else { return };
        let text: Vec<char> = self.transcript.text.chars().collect();
        // In the stretch, or separated from it by nothing but spaces and punctuation.
        let near = |at: usize, zone: &Range<usize>| {
            if zone.start <= at && at <= zone.end {
                return true;
            }
            let (a, b) = if at < zone.start { (at, zone.start) } else { (zone.end, at) };
            text.get(a..b).is_some_and(|between| between.iter().all(|c| !c.is_alphanumeric()))
        };
        let before = review.flags.len();
        review.flags.retain(|f| {
            !(f.kind == crate::types::DiscrepancyKind::Delete && tei.quiet.iter().any(|z| near(f.start, z)))
        });
        if review.flags.len() != before {
            review.stats.flags_total = review.flags.len();
            review.stats.flags_shown = review.flags.iter().filter(|f| f.shown).count();
            for p in &mut review.pages {
                p.flags_shown = review.flags.iter().filter(|f| f.shown && f.page == p.page).count();
            }
        }
        // Pages by the scan their <pb facs> names, else in order when the counts agree.
        let breaks = &tei.page_breaks;
        let file_name = |s: &str| s.rsplit(['/', '\\']).next().unwrap_or(s).to_string();
        let pages = review.pages.len();
        for (i, page) in review.pages.iter_mut().enumerate() {
            let name = page.path.file_name().map(|n| n.to_string_lossy().into_owned());
            let by_facs = breaks.iter().find(|b| b.facs.as_deref().map(file_name).is_some_and(|f| Some(f) == name));
            let by_order = (breaks.len() == pages).then(|| &breaks[i]);
            if let Some(n) = by_facs.or(by_order).and_then(|b| b.n.clone()) {
                page.label = Some(n);
            }
        }
    }

    /// The file's bytes with each edit (a code-point span of the transcript text, sorted and
    /// disjoint, and its new text) put in; every other byte stays as it was.
    pub fn rewrite(&self, original: &[u8], edits: &[(Range<usize>, String)]) -> std::result::Result<Vec<u8>, String> {
        let edits: Vec<Edit> = edits
            .iter()
            .map(|(span, text)| Edit {
                span: span.clone(),
                text: text.clone(),
                author: String::new(),
                at: String::new(),
            })
            .collect();
        self.write_corrections(original, &edits, &WriteOptions::default())
    }

    /// `rewrite` with who made each correction and when: a TEI file records them in its
    /// `<choice>`s and `<revisionDesc>`, a Word document in its tracked changes.
    pub fn write_corrections(
        &self,
        original: &[u8],
        edits: &[Edit],
        opts: &WriteOptions,
    ) -> std::result::Result<Vec<u8>, String> {
        let plain = || edits.iter().map(|e| (e.span.clone(), e.text.clone())).collect::<Vec<_>>();
        let source_edits = match self.format {
            TranscriptFormat::Text => {
                let bounds = char_bounds(&self.decoded.text);
                plain()
                    .into_iter()
                    .map(|(r, new)| {
                        let at = |i: usize| bounds.get(i).copied().ok_or("span past the end of the text");
                        Ok((at(r.start)?..at(r.end)?, new))
                    })
                    .collect::<std::result::Result<Vec<_>, String>>()?
            }
            TranscriptFormat::Tei => {
                let info = self.tei.as_ref().ok_or("a TEI document read without its markup")?;
                let text = &self.transcript.text;
                tei::source_edits(&self.decoded.text, text, &self.layout, info, edits, opts.tei_mode, &|e| {
                    self.markup_edits(e)
                })?
            }
            TranscriptFormat::Docx => {
                let info = self.docx.as_ref().ok_or("a Word document read without its runs")?;
                return docx::write_tracked_changes(original, &self.decoded, &self.transcript.text, info, edits);
            }
            _ => self.markup_edits(&plain())?,
        };
        self.decoded.splice(original, &source_edits).map_err(|e| e.to_string())
    }

    /// Turn edits of the transcript text into edits of the XML source: only the characters that
    /// change, inside the elements that hold them, escaped as the source escapes them.
    pub(crate) fn markup_edits(
        &self,
        edits: &[(Range<usize>, String)],
    ) -> std::result::Result<Vec<(Range<usize>, String)>, String> {
        let text = &self.transcript.text;
        let bounds = char_bounds(text);
        // Per segment: (code-point range local to the segment, new text).
        let mut per_segment: std::collections::BTreeMap<usize, Vec<(Range<usize>, String)>> = Default::default();
        for (span, new) in edits {
            let old = text
                .get(
                    *bounds.get(span.start).ok_or("span past the end")?
                        ..*bounds.get(span.end).ok_or("span past the end")?,
                )
                .ok_or("bad span")?;
            for (a, b, insert) in char_hunks(old, new) {
                let (a, b) = (span.start + a, span.start + b);
                self.place_hunk(a, b, &insert, &mut per_segment)?;
            }
        }
        let mut out = Vec::new();
        for (i, mut local) in per_segment {
            let seg = &self.layout.segments[i];
            local.sort_by_key(|(r, _)| (r.start, r.end));
            let raw = &self.decoded.text[seg.source.clone()];
            let offsets = match seg.escape {
                Escape::CData => char_bounds(raw),
                Escape::Text => xml::unescape(raw, false, self.format == TranscriptFormat::Hocr)?.offsets,
                Escape::Attribute(_) => xml::unescape(raw, true, self.format == TranscriptFormat::Hocr)?.offsets,
            };
            let mut last_end = 0;
            for (r, new) in local {
                if r.start < last_end {
                    return Err("two corrections overlap inside one element".into());
                }
                last_end = r.end;
                let (a, b) = (
                    *offsets.get(r.start).ok_or("correction past the element's text")?,
                    *offsets.get(r.end).ok_or("correction past the element's text")?,
                );
                out.push((seg.source.start + a..seg.source.start + b, xml::escape(&new, seg.escape)?));
            }
        }
        out.sort_by_key(|(r, _)| (r.start, r.end));
        if out.windows(2).any(|w| w[1].0.start < w[0].0.end) {
            return Err("two corrections overlap in the XML".into());
        }
        Ok(out)
    }

    /// Put one changed stretch `a..b` (code points of the text) with its new text into the
    /// segments. Inside one element it is a local edit. Across elements (a merge, a word moved
    /// over a line end) the first element takes the joined result and the others are emptied:
    /// the text still reads right, and no element is added or removed.
    fn place_hunk(
        &self,
        a: usize,
        b: usize,
        insert: &str,
        per_segment: &mut std::collections::BTreeMap<usize, Vec<(Range<usize>, String)>>,
    ) -> std::result::Result<(), String> {
        let segs = &self.layout.segments;
        if let Some(i) = segs.iter().position(|s| s.chars.start <= a && b <= s.chars.end) {
            let s = &segs[i];
            per_segment.entry(i).or_default().push((a - s.chars.start..b - s.chars.start, insert.to_string()));
            return Ok(());
        }
        let touched: Vec<usize> = (0..segs.len())
            .filter(|&i| {
                let s = &segs[i].chars;
                (s.start < b && a < s.end) || s.end == a || s.start == b || (a <= s.start && s.end <= b)
            })
            .collect();
        let (Some(&first), Some(&last)) = (touched.first(), touched.last()) else {
            return Err(format!("no element holds the text at {a}..{b}; correct this place by hand"));
        };
        let text = &self.transcript.text;
        let seg_text = |i: usize| -> String {
            let r = &segs[i].chars;
            text.chars().skip(r.start).take(r.len()).collect()
        };
        let (fs, ls) = (&segs[first].chars, &segs[last].chars);
        let keep_head: String = seg_text(first).chars().take(a.saturating_sub(fs.start)).collect();
        let keep_tail: String = seg_text(last).chars().skip(b.saturating_sub(ls.start)).collect();
        let joined = format!("{keep_head}{insert}{keep_tail}");
        for &i in &touched {
            let len = segs[i].chars.len();
            let new = if i == first { joined.clone() } else { String::new() };
            per_segment.entry(i).or_default().push((0..len, new));
        }
        Ok(())
    }
}

/// Byte offset of every code point of `s`, and of its end.
pub(crate) fn char_bounds(s: &str) -> Vec<usize> {
    s.char_indices().map(|(b, _)| b).chain(std::iter::once(s.len())).collect()
}

/// The changed stretches between `old` and `new`, character by character: (start, end) in code
/// points of `old`, and what replaces them. A correction usually changes a letter or two, and
/// only those should be touched in the XML.
fn char_hunks(old: &str, new: &str) -> Vec<(usize, usize, String)> {
    use similar::{Algorithm, DiffOp};
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let ops = similar::capture_diff_slices(Algorithm::Myers, &old_chars, &new_chars);
    let mut hunks: Vec<(usize, usize, String)> = Vec::new();
    for op in ops {
        let (o, n) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete { old_index, old_len, .. } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert { old_index, new_index, new_len } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (old_index..old_index + old_len, new_index..new_index + new_len)
            }
        };
        let ins: String = new_chars[n].iter().collect();
        match hunks.last_mut() {
            // Adjacent changes are one stretch.
            Some(last) if last.1 == o.start => {
                last.1 = o.end;
                last.2.push_str(&ins);
            }
            _ => hunks.push((o.start, o.end, ins)),
        }
    }
    hunks
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
