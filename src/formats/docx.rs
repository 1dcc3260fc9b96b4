//! Word (.docx, Office Open XML) reader and writer. In: the document's bytes (a zip); out: the
//! text of `word/document.xml`, paragraphs joined by line feeds, each run's `w:t` tied to its
//! bytes. Read as Word shows the text: runs joined, tabs and breaks as white space, text already
//! deleted by an earlier tracked change, hidden text and field instructions left out (a field's
//! shown result too, except a hyperlink's), drawings and text boxes skipped. Back: each accepted correction
//! as a tracked change (`w:del` of the old text and `w:ins` of the new, author = reviewer,
//! date = decision), splitting only the runs that hold it; every other byte of the part, and
//! every other part of the package (copied without recompressing), stays as it was.

use super::encoding::{self, Decoded};
use super::tei::{differing_core, Edit};
use super::xml::{self, Element, Escape, Node};
use super::{Document, ElementRef, Layout, Segment, TranscriptFormat};
use crate::error::{Error, Result};
use std::io::{Read, Write};
use std::ops::Range;
use std::path::Path;

/// The part holding the main text.
const MAIN_PART: &str = "word/document.xml";

/// What a run child is, for the text and for splitting the run.
#[derive(Debug, Clone, PartialEq)]
pub enum AtomKind {
    /// `w:t`: its content's bytes (between the tags).
    Text { content: Range<usize> },
    /// `w:tab`, `w:br`, `w:cr`, `w:noBreakHyphen`, `w:softHyphen`: one character of the text.
    Char,
    /// Anything else (`w:fldChar`, `w:lastRenderedPageBreak`, a drawing, a hidden field's text).
    Zero,
}

/// A child of a run, in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    /// The whole child element's bytes.
    pub element: Range<usize>,
    /// Code points of the text it gives (empty for `Zero`).
    pub chars: Range<usize>,
    pub kind: AtomKind,
}

/// A `w:r`.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Its start tag, end tag, and `w:rPr` (copied into every run it is split into).
    pub open: Range<usize>,
    pub close: Range<usize>,
    pub props: Option<Range<usize>>,
    pub paragraph: usize,
    /// Where its parent element starts (runs split together must share it).
    pub parent: usize,
    pub atoms: Vec<Atom>,
    pub chars: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocxInfo {
    pub runs: Vec<Run>,
    /// The largest `w:id` in the part: new changes are numbered after it.
    pub max_id: u64,
}

pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn bad(path: &Path, reason: impl std::fmt::Display) -> Error {
    Error::BadInput { path: path.to_path_buf(), reason: format!("Word document: {reason}") }
}

/// The main part's bytes, refusing a part whose size is over the transcript limit (a zip bomb
/// declares one and is refused before it is inflated).
fn main_part(bytes: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a zip package: {e}"))?;
    let part = zip.by_name(MAIN_PART).map_err(|_| format!("no {MAIN_PART} in the package (not a .docx?)"))?;
    if part.size() > super::MAX_TRANSCRIPT_BYTES {
        return Err(format!("{MAIN_PART} is {} MB, over the transcript limit", part.size() >> 20));
    }
    let mut out = Vec::with_capacity(part.size() as usize);
    part.take(super::MAX_TRANSCRIPT_BYTES + 1).read_to_end(&mut out).map_err(|e| format!("{MAIN_PART}: {e}"))?;
    Ok(out)
}

pub fn read_document(path: &Path, bytes: &[u8]) -> Result<Document> {
    let part = main_part(bytes).map_err(|r| bad(path, r))?;
    let decoded = encoding::decode(path, &part, None)?;
    let (text, layout, info) = read_part(&decoded.text).map_err(|r| bad(path, r))?;
    let transcript = super::transcript_of(path, bytes, text)?;
    Ok(Document {
        transcript,
        format: TranscriptFormat::Docx,
        layout,
        decoded,
        warnings: Vec::new(),
        tei: None,
        docx: Some(info),
    })
}

/// A field being read: its instruction so far, and whether its result has begun.
struct Field {
    instruction: String,
    result: bool,
}

struct Reader<'a> {
    src: &'a str,
    text: String,
    chars: usize,
    layout: Layout,
    info: DocxInfo,
    paragraphs: usize,
    fields: Vec<Field>,
}

/// The text of `word/document.xml`, its layout (one segment per `w:t`) and its runs.
pub fn read_part(src: &str) -> std::result::Result<(String, Layout, DocxInfo), String> {
    let roots = xml::parse_tree(src)?;
    let root = roots.first().ok_or("no root element")?;
    let mut r = Reader {
        src,
        text: String::new(),
        chars: 0,
        layout: Layout::default(),
        info: DocxInfo::default(),
        paragraphs: 0,
        fields: Vec::new(),
    };
    r.info.max_id = max_id(src);
    r.walk(root)?;
    Ok((r.text, r.layout, r.info))
}

/// The largest number in a `w:id="…"` attribute (bookmarks, comments, changes share the space).
fn max_id(src: &str) -> u64 {
    src.match_indices(":id=\"")
        .filter_map(|(i, m)| {
            let rest = &src[i + m.len()..];
            rest[..rest.find('"')?].parse::<u64>().ok()
        })
        .max()
        .unwrap_or(0)
}

impl Reader<'_> {
    fn push(&mut self, s: &str) -> Range<usize> {
        let start = self.chars;
        self.text.push_str(s);
        self.chars += s.chars().count();
        start..self.chars
    }

    /// Whether text read now is shown: outside fields, or in a hyperlink's result.
    fn visible(&self) -> bool {
        self.fields.iter().all(|f| f.result && f.instruction.trim_start().to_ascii_uppercase().starts_with("HYPERLINK"))
    }

    fn walk(&mut self, el: &Element) -> std::result::Result<(), String> {
        match el.name.as_str() {
            // Deleted or moved-away text, properties, and what is not running text.
            "del" | "moveFrom" | "pPr" | "rPr" | "sectPr" | "tblPr" | "tblGrid" | "trPr" | "tcPr" | "Fallback"
            | "drawing" | "pict" | "object" | "txbxContent" | "sdtPr" | "footnotePr" | "endnotePr" => Ok(()),
            "fldSimple" => {
                let instruction = el.attr("instr").unwrap_or("");
                if instruction.trim_start().to_ascii_uppercase().starts_with("HYPERLINK") {
                    self.children(el)
                } else {
                    Ok(())
                }
            }
            "p" => {
                if self.paragraphs > 0 {
                    self.push("\n");
                }
                self.paragraphs += 1;
                self.children(el)
            }
            "r" => self.run(el, 0),
            _ => self.children(el),
        }
    }

    fn children(&mut self, el: &Element) -> std::result::Result<(), String> {
        for c in el.elements() {
            if c.name == "r" {
                self.run(c, el.start.start)?;
            } else {
                self.walk(c)?;
            }
        }
        Ok(())
    }

    fn run(&mut self, el: &Element, parent: usize) -> std::result::Result<(), String> {
        let start = self.chars;
        let mut run = Run {
            open: el.start.clone(),
            close: el.end.clone(),
            props: None,
            paragraph: self.paragraphs,
            parent,
            atoms: Vec::new(),
            chars: start..start,
        };
        // Hidden text (`w:vanish`) is not shown, so not compared.
        let hidden = el
            .elements()
            .filter(|c| c.name == "rPr")
            .flat_map(|p| p.elements())
            .any(|p| p.name == "vanish" && !matches!(p.attr("val"), Some("0" | "false" | "off")));
        for c in el.elements() {
            let at = self.chars;
            let mut kind = AtomKind::Zero;
            match c.name.as_str() {
                "rPr" => {
                    run.props = Some(c.span());
                    continue;
                }
                _ if hidden => {}
                "fldChar" => match c.attr("fldCharType") {
                    Some("begin") => self.fields.push(Field { instruction: String::new(), result: false }),
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            f.result = true;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "instrText" => {
                    let content = inner_text(self.src, c)?;
                    if let Some(f) = self.fields.last_mut() {
                        f.instruction.push_str(&content);
                    }
                }
                "t" if self.visible() => {
                    let content = c.start.end..c.end.start;
                    let decoded = xml::unescape(&self.src[content.clone()], false, false)?.text;
                    let chars = self.push(&decoded);
                    if !chars.is_empty() {
                        let element = self.layout.elements.len();
                        self.layout.elements.push(ElementRef { id: None, line_bbox: None });
                        self.layout.segments.push(Segment {
                            chars: chars.clone(),
                            source: content.clone(),
                            escape: Escape::Text,
                            element,
                        });
                    }
                    run.atoms.push(Atom { element: c.span(), chars, kind: AtomKind::Text { content } });
                    continue;
                }
                "tab" | "br" | "cr" | "noBreakHyphen" | "softHyphen" if self.visible() => {
                    let s = match c.name.as_str() {
                        "tab" => "\t",
                        "noBreakHyphen" => "-",
                        "softHyphen" => "\u{AD}",
                        _ => "\n",
                    };
                    self.push(s);
                    kind = AtomKind::Char;
                }
                _ => {}
            }
            run.atoms.push(Atom { element: c.span(), chars: at..self.chars, kind });
        }
        run.chars = start..self.chars;
        self.info.runs.push(run);
        Ok(())
    }
}

fn inner_text(src: &str, el: &Element) -> std::result::Result<String, String> {
    let mut out = String::new();
    for c in &el.children {
        if let Node::Text { range, .. } = c {
            out.push_str(&xml::unescape(&src[range.clone()], false, false)?.text);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Tracked changes

/// One deletion (possibly empty) in a run, and the insertion that follows it, if any.
struct Cut {
    /// Code points of the text.
    from: usize,
    to: usize,
    insert: Option<String>,
    author: String,
    date: String,
}

/// The package with every edit written into its main part as a tracked change.
pub fn write_tracked_changes(
    original: &[u8],
    decoded: &Decoded,
    text: &str,
    info: &DocxInfo,
    edits: &[Edit],
) -> std::result::Result<Vec<u8>, String> {
    let src = decoded.text.as_str();
    let bounds = super::char_bounds(text);
    let mut cuts: Vec<(usize, Cut)> = Vec::new(); // (run index, cut)
    for e in edits {
        let slice = |r: &Range<usize>| -> Option<&str> { text.get(*bounds.get(r.start)?..*bounds.get(r.end)?) };
        let old = slice(&e.span).ok_or("span past the end of the text")?;
        let (oa, ob, na, nb) = differing_core(old, &e.text);
        let (a, b) = (e.span.start + oa, e.span.start + ob);
        let new: String = e.text.chars().skip(na).take(nb - na).collect();
        if a == b && new.is_empty() {
            continue;
        }
        let touched: Vec<usize> = if a < b {
            (0..info.runs.len())
                .filter(|&i| {
                    let r = &info.runs[i].chars;
                    (r.start < b && a < r.end) || (r.is_empty() && a < r.start && r.start < b)
                })
                .collect()
        } else {
            let inside = info.runs.iter().position(|r| r.chars.start < a && a <= r.chars.end);
            inside
                .or_else(|| info.runs.iter().position(|r| r.chars.start == a && !r.chars.is_empty()))
                .into_iter()
                .collect()
        };
        let covered: usize = touched
            .iter()
            .map(|&i| info.runs[i].chars.end.min(b).saturating_sub(info.runs[i].chars.start.max(a)))
            .sum();
        let place = format!("the correction of {old:?}");
        let (Some(&first), Some(&last)) = (touched.first(), touched.last()) else {
            return Err(format!("{place}: no run of the document holds that place; correct it by hand"));
        };
        if covered != b - a {
            return Err(format!("{place} reaches over a paragraph end; correct it by hand"));
        }
        let f = &info.runs[first];
        if touched.iter().any(|&i| info.runs[i].parent != f.parent || info.runs[i].paragraph != f.paragraph) {
            return Err(format!("{place} reaches over a hyperlink, field or paragraph edge; correct it by hand"));
        }
        for &i in &touched {
            let r = &info.runs[i].chars;
            cuts.push((
                i,
                Cut {
                    from: a.max(r.start),
                    to: b.min(r.end),
                    insert: (i == last && !new.is_empty()).then(|| new.clone()),
                    author: e.author.clone(),
                    date: e.at.clone(),
                },
            ));
        }
    }
    cuts.sort_by_key(|(i, c)| (*i, c.from, c.to));
    let mut next_id = info.max_id + 1;
    let mut source_edits = Vec::new();
    let mut k = 0;
    while k < cuts.len() {
        let run_index = cuts[k].0;
        let end = cuts[k..].iter().position(|(i, _)| *i != run_index).map_or(cuts.len(), |n| k + n);
        let run = &info.runs[run_index];
        let these: Vec<&Cut> = cuts[k..end].iter().map(|(_, c)| c).collect();
        if these.windows(2).any(|w| w[1].from < w[0].to) {
            return Err("two corrections overlap in one run".into());
        }
        source_edits.push((run.open.start..run.close.end, split_run(src, run, &these, &mut next_id)?));
        k = end;
    }
    if source_edits.is_empty() {
        return Ok(original.to_vec());
    }
    let part = decoded.splice(&main_part(original)?, &source_edits).map_err(|e| e.to_string())?;
    repackage(original, &part)
}

/// A run written again as runs, deletions and insertions around the cuts.
fn split_run(src: &str, run: &Run, cuts: &[&Cut], next_id: &mut u64) -> std::result::Result<String, String> {
    let open = &src[run.open.clone()];
    // `<w:r …>` of a run written `<w:r/>` never holds text, so it is never split.
    let name = open[1..].split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or("w:r");
    let prefix = name.strip_suffix('r').unwrap_or("w:");
    let props = run.props.clone().map_or("", |p| &src[p]);
    let mut pieces: Vec<(Role, String)> = Vec::new();
    let mut inserted = vec![false; cuts.len()];
    let deleted_at = |c: usize| cuts.iter().position(|k| k.from <= c && c < k.to).map_or(Role::Keep, Role::Delete);
    // The insertions due before text position `pos`, in order.
    let insertions_before = |pos: usize, pieces: &mut Vec<(Role, String)>, inserted: &mut Vec<bool>| {
        for (i, k) in cuts.iter().enumerate() {
            if !inserted[i] && k.insert.is_some() && k.to <= pos {
                inserted[i] = true;
                pieces.push((Role::Insert(i), String::new()));
            }
        }
    };
    for atom in &run.atoms {
        let raw = &src[atom.element.clone()];
        match &atom.kind {
            AtomKind::Text { content } => {
                let offsets = xml::unescape(&src[content.clone()], false, false)?.offsets;
                // Split the text at every cut boundary inside it.
                let mut marks: Vec<usize> = vec![atom.chars.start, atom.chars.end];
                for k in cuts {
                    marks.extend([k.from, k.to].into_iter().filter(|m| atom.chars.start < *m && *m < atom.chars.end));
                }
                marks.sort_unstable();
                marks.dedup();
                for w in marks.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    insertions_before(a, &mut pieces, &mut inserted);
                    let role = deleted_at(a);
                    let body = &src
                        [content.start + offsets[a - atom.chars.start]..content.start + offsets[b - atom.chars.start]];
                    let piece = match role {
                        Role::Keep if a == atom.chars.start && b == atom.chars.end => raw.to_string(),
                        Role::Keep => format!("<{prefix}t xml:space=\"preserve\">{body}</{prefix}t>"),
                        _ => format!("<{prefix}delText xml:space=\"preserve\">{body}</{prefix}delText>"),
                    };
                    pieces.push((role, piece));
                }
            }
            AtomKind::Char => {
                insertions_before(atom.chars.start, &mut pieces, &mut inserted);
                pieces.push((deleted_at(atom.chars.start), raw.to_string()));
            }
            AtomKind::Zero => {
                insertions_before(atom.chars.start, &mut pieces, &mut inserted);
                let inside = cuts.iter().position(|k| k.from < atom.chars.start && atom.chars.start < k.to);
                pieces.push((inside.map_or(Role::Keep, Role::Delete), raw.to_string()));
            }
        }
    }
    insertions_before(usize::MAX, &mut pieces, &mut inserted);
    let attrs = |k: &Cut, id: &mut u64| -> std::result::Result<String, String> {
        let author = if k.author.trim().is_empty() { "scanproof" } else { k.author.trim() };
        let mut s =
            format!(" {prefix}id=\"{id}\" {prefix}author=\"{}\"", xml::escape(author, Escape::Attribute(b'"'))?);
        if !k.date.is_empty() {
            s.push_str(&format!(" {prefix}date=\"{}\"", xml::escape(&k.date, Escape::Attribute(b'"'))?));
        }
        *id += 1;
        Ok(s)
    };
    // Consecutive pieces of one role make one run.
    let mut out = String::new();
    let mut i = 0;
    while i < pieces.len() {
        let role = pieces[i].0;
        let j = pieces[i..].iter().position(|(r, _)| *r != role).map_or(pieces.len(), |n| i + n);
        let body: String = pieces[i..j].iter().map(|(_, s)| s.as_str()).collect();
        match role {
            Role::Keep => out.push_str(&format!("{open}{props}{body}</{name}>")),
            Role::Insert(c) => {
                let new = xml::escape(cuts[c].insert.as_deref().unwrap_or(""), Escape::Text)?;
                let a = attrs(cuts[c], next_id)?;
                out.push_str(&format!(
                    "<{prefix}ins{a}>{open}{props}<{prefix}t xml:space=\"preserve\">{new}</{prefix}t></{name}></{prefix}ins>"
                ));
            }
            Role::Delete(c) => {
                let a = attrs(cuts[c], next_id)?;
                out.push_str(&format!("<{prefix}del{a}>{open}{props}{body}</{name}></{prefix}del>"));
            }
        }
        i = j;
    }
    Ok(out)
}

/// What a piece of a split run becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Keep,
    /// Deleted by the cut with this index.
    Delete(usize),
    /// The insertion of the cut with this index.
    Insert(usize),
}

/// The package with its main part replaced; every other entry copied as it is stored.
fn repackage(original: &[u8], part: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(original)).map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| e.to_string())?;
        if entry.name() == MAIN_PART {
            let mut opts =
                zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            if let Some(t) = entry.last_modified() {
                opts = opts.last_modified_time(t);
            }
            drop(entry);
            out.start_file(MAIN_PART, opts).map_err(|e| e.to_string())?;
            out.write_all(part).map_err(|e| e.to_string())?;
        } else {
            out.raw_copy_file(entry).map_err(|e| e.to_string())?;
        }
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
mod tests;
