//! TEI P5 reader and writer. In: the decoded XML of an edition and a policy; out: the text a
//! reader of the edition sees, with each stretch tied to the text node it came from, the page
//! breaks (`<pb n facs>`) and the places the edition itself marks as missing or unclear. Back:
//! accepted corrections written as `<choice><sic>old</sic><corr resp="#reviewer">new</corr>
//! </choice>` (or replaced in place), every other byte as it was, and the revision recorded in
//! `<revisionDesc>`.
//!
//! What is read: every `<text>` (not the header, `<facsimile>` or `<standOff>`). `<choice>`
//! gives one child: diplomatic `sic`, `orig`, `abbr`, `am`; normalized `corr`, `reg`, `expan`,
//! `ex` (a `corr type="transcription"`, which this writer makes, wins under both: the scan showed
//! the transcript wrong, not the source). Outside a choice, diplomatic leaves out `corr`, `reg`,
//! `expan`, `ex` and `supplied`, normalized leaves out `am` and `surplus`. Never read: `note`,
//! `del`, `rdg`, `figDesc`, `index`, `metamark`. `<lb/>` is a line end, `<lb break="no"/>`
//! joins the words around it (whitespace beside it is not a word break), `<pb/>` and block
//! elements (`p`, `div`, `head`, …) are paragraph breaks. Whitespace in the source is layout:
//! any run of it is one space. It does not tokenize or align.

use super::xml::{self, Element, Escape, Node};
use super::{ElementRef, Layout, Segment};
use crate::policy::Policy;
use std::ops::Range;

/// The `type` of the `<corr>`s this writer makes: a correction of the transcription, read
/// under either policy.
pub const TRANSCRIPTION: &str = "transcription";

/// A `<pb/>`: where its page starts in the text (code points), its number and its scan.
#[derive(Debug, Clone, PartialEq)]
pub struct PageBreak {
    pub at: usize,
    pub n: Option<String>,
    /// The scan: `facs` as given, or the `url` of the `<graphic>` of the `<surface>` it points to.
    pub facs: Option<String>,
}

/// What the TEI reader learns beyond the text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeiInfo {
    pub page_breaks: Vec<PageBreak>,
    /// Code-point stretches the edition marks as missing (`<gap/>`, an empty stretch) or unclear
    /// (`<unclear>`): the scan having words the transcript lacks there is expected.
    pub quiet: Vec<Range<usize>>,
    /// Per layout segment: whether it is inside the chosen child of a `<choice>` (a correction
    /// there is made in place, not wrapped in another choice).
    pub in_choice: Vec<bool>,
    /// The namespace prefix of the TEI elements (`tei:`), usually empty.
    pub prefix: String,
    revision: Option<RevisionPlace>,
}

/// Where a `<change>` goes in the header.
#[derive(Debug, Clone, PartialEq)]
enum RevisionPlace {
    /// Before this byte (the end tag of `revisionDesc`, or of its last `listChange`).
    Append { at: usize, indent: String },
    /// `<revisionDesc/>`: the tag is replaced by one with the change in it.
    Empty { tag: Range<usize>, indent: String },
    /// No `revisionDesc`: one is made before `</teiHeader>` (at this byte).
    Missing { at: usize, indent: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Sep {
    None,
    Space,
    Line,
    Para,
}

struct Reader<'a> {
    src: &'a str,
    policy: Policy,
    text: String,
    chars: usize,
    layout: Layout,
    info: TeiInfo,
    pending: Sep,
    /// After `<lb break="no"/>`: whitespace is not a word break until the next text.
    joining: bool,
    /// `xml:id`s of the enclosing elements.
    ids: Vec<String>,
    /// `<surface xml:id>` → its first `<graphic url>`.
    surfaces: Vec<(String, String)>,
}

/// Read a TEI document: its text, the layout tying the text to the source, and the rest.
pub fn read(src: &str, policy: Policy) -> Result<(String, Layout, TeiInfo), String> {
    let roots = xml::parse_tree(src)?;
    let root = roots.first().ok_or("no root element")?;
    if !root.name.eq_ignore_ascii_case("TEI") && root.name != "teiCorpus" {
        return Err(format!("the root element is <{}>, not <TEI>", root.name));
    }
    let tag = &src[root.start.clone()];
    let qualified = tag[1..].split(|c: char| c.is_whitespace() || c == '>' || c == '/').next().unwrap_or("");
    let prefix = qualified.rsplit_once(':').map(|(p, _)| format!("{p}:")).unwrap_or_default();
    let mut r = Reader {
        src,
        policy,
        text: String::new(),
        chars: 0,
        layout: Layout::default(),
        info: TeiInfo { prefix, ..TeiInfo::default() },
        pending: Sep::None,
        joining: false,
        ids: Vec::new(),
        surfaces: Vec::new(),
    };
    collect_surfaces(root, &mut r.surfaces);
    let mut found = false;
    r.find_texts(root, &mut found)?;
    if !found {
        return Err("the TEI document has no <text> element".into());
    }
    r.info.revision = revision_place(src, root);
    Ok((r.text, r.layout, r.info))
}

fn collect_surfaces(el: &Element, out: &mut Vec<(String, String)>) {
    if el.name == "surface" {
        if let (Some(id), Some(url)) =
            (el.attr("id"), el.elements().find(|g| g.name == "graphic").and_then(|g| g.attr("url")))
        {
            out.push((id.to_string(), url.to_string()));
        }
    }
    for c in el.elements() {
        collect_surfaces(c, out);
    }
}

/// Block elements and the break they make before and after themselves.
fn block_break(name: &str) -> Option<Sep> {
    Some(match name {
        "p" | "head" | "ab" | "lg" | "list" | "table" | "opener" | "closer" | "postscript" | "titlePage" | "front"
        | "body" | "back" | "figure" | "floatingText" | "sp" | "trailer" | "argument" | "epigraph" | "byline"
        | "docTitle" | "docImprint" | "text" | "group" => Sep::Para,
        n if n.starts_with("div") => Sep::Para,
        "l" | "item" | "row" | "fw" | "dateline" | "salute" | "signed" | "speaker" | "stage" | "titlePart" => Sep::Line,
        "cell" | "label" => Sep::Space,
        _ => return None,
    })
}

impl Reader<'_> {
    fn find_texts(&mut self, el: &Element, found: &mut bool) -> Result<(), String> {
        for c in el.elements() {
            match c.name.as_str() {
                "teiHeader" | "facsimile" | "standOff" | "sourceDoc" => {}
                "text" => {
                    *found = true;
                    self.element(c, false)?;
                }
                _ => self.find_texts(c, found)?,
            }
        }
        Ok(())
    }

    fn skipped(&self, el: &Element) -> bool {
        match el.name.as_str() {
            "teiHeader" | "note" | "del" | "rdg" | "rdgGrp" | "figDesc" | "index" | "metamark" | "interp"
            | "interpGrp" | "certainty" | "witDetail" | "facsimile" | "standOff" => true,
            "corr" | "reg" | "expan" | "ex" | "supplied" => self.policy == Policy::Diplomatic,
            "am" | "surplus" => self.policy == Policy::Normalized,
            _ => false,
        }
    }

    fn sep(&mut self, s: Sep) {
        self.pending = self.pending.max(s);
        self.joining = false;
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            let s = match self.pending {
                Sep::None => "",
                Sep::Space => " ",
                Sep::Line => "\n",
                Sep::Para => "\n\n",
            };
            self.text.push_str(s);
            self.chars += s.len();
        }
        self.pending = Sep::None;
        self.joining = false;
    }

    /// An element met in the text: left out, or read.
    fn element(&mut self, el: &Element, in_choice: bool) -> Result<(), String> {
        if self.skipped(el) {
            return Ok(());
        }
        self.contents(el, in_choice)
    }

    fn contents(&mut self, el: &Element, in_choice: bool) -> Result<(), String> {
        match el.name.as_str() {
            "lb" => {
                if el.attr("break") == Some("no") {
                    self.pending = Sep::None;
                    self.joining = true;
                } else {
                    self.sep(Sep::Line);
                }
                return Ok(());
            }
            "pb" => {
                self.sep(Sep::Para);
                let facs = el.attr("facs").map(|f| {
                    let target = f.split_whitespace().next().unwrap_or(f);
                    match target.strip_prefix('#') {
                        Some(id) => self
                            .surfaces
                            .iter()
                            .find(|(s, _)| s == id)
                            .map_or(target.to_string(), |(_, url)| url.clone()),
                        None => target.to_string(),
                    }
                });
                self.info.page_breaks.push(PageBreak { at: self.chars, n: el.attr("n").map(String::from), facs });
                return Ok(());
            }
            "cb" => {
                self.sep(Sep::Line);
                return Ok(());
            }
            "gap" => {
                self.sep(Sep::Space);
                self.info.quiet.push(self.chars..self.chars);
                return Ok(());
            }
            "space" => {
                self.sep(Sep::Space);
                return Ok(());
            }
            "choice" => {
                if let Some(child) = self.pick(el) {
                    self.contents(child, true)?;
                }
                return Ok(());
            }
            _ => {}
        }
        let block = block_break(&el.name);
        if let Some(s) = block {
            self.sep(s);
        }
        let has_id = el.attr("id").map(|id| self.ids.push(id.to_string())).is_some();
        let start = self.chars;
        for child in &el.children {
            match child {
                Node::Element(c) => self.element(c, in_choice)?,
                Node::Text { range, escape } => self.text(range.clone(), *escape, in_choice)?,
            }
        }
        if el.name == "unclear" {
            self.info.quiet.push(start..self.chars);
        }
        if has_id {
            self.ids.pop();
        }
        if let Some(s) = block {
            self.sep(s);
        }
        Ok(())
    }

    /// The child of a `<choice>` the policy reads.
    fn pick<'e>(&self, choice: &'e Element) -> Option<&'e Element> {
        let kids: Vec<&Element> = choice.elements().collect();
        if let Some(c) = kids.iter().find(|k| k.name == "corr" && k.attr("type") == Some(TRANSCRIPTION)) {
            return Some(c);
        }
        let order: &[&str] = match self.policy {
            Policy::Diplomatic => &["sic", "orig", "abbr", "am"],
            Policy::Normalized => &["corr", "reg", "expan", "ex"],
        };
        order.iter().find_map(|name| kids.iter().find(|k| k.name == *name).copied()).or(kids.first().copied())
    }

    /// Character data: runs of non-space characters (with single spaces between them) become
    /// segments; any other whitespace is a word break.
    fn text(&mut self, range: Range<usize>, escape: Escape, in_choice: bool) -> Result<(), String> {
        let raw = &self.src[range.clone()];
        let (decoded, offsets) = match escape {
            Escape::CData => (raw.to_string(), super::char_bounds(raw)),
            _ => {
                let u = xml::unescape(raw, false, false)?;
                (u.text, u.offsets)
            }
        };
        let chars: Vec<char> = decoded.chars().collect();
        let mut open: Option<(usize, usize)> = None; // (index in `chars`, code point in the text)
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                let j = (i..chars.len()).find(|&k| !chars[k].is_whitespace()).unwrap_or(chars.len());
                if open.is_some() && j - i == 1 && chars[i] == ' ' && j < chars.len() {
                    self.text.push(' ');
                    self.chars += 1;
                } else {
                    if let Some((from, at)) = open.take() {
                        self.segment(at, range.start + offsets[from]..range.start + offsets[i], escape, in_choice);
                    }
                    if !self.joining {
                        self.pending = self.pending.max(Sep::Space);
                    }
                }
                i = j;
                continue;
            }
            if open.is_none() {
                self.flush();
                open = Some((i, self.chars));
            }
            self.text.push(chars[i]);
            self.chars += 1;
            i += 1;
        }
        if let Some((from, at)) = open {
            self.segment(at, range.start + offsets[from]..range.start + offsets[chars.len()], escape, in_choice);
        }
        Ok(())
    }

    fn segment(&mut self, at: usize, source: Range<usize>, escape: Escape, in_choice: bool) {
        let element = self.layout.elements.len();
        self.layout.elements.push(ElementRef { id: self.ids.last().cloned(), line_bbox: None });
        self.layout.segments.push(Segment { chars: at..self.chars, source, escape, element });
        self.info.in_choice.push(in_choice);
    }
}

fn revision_place(src: &str, root: &Element) -> Option<RevisionPlace> {
    let header = root.elements().find(|e| e.name == "teiHeader")?;
    let indent_before = |at: usize| -> String {
        let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
        let lead = &src[line_start..at];
        if lead.chars().all(char::is_whitespace) {
            format!("\n{lead}")
        } else {
            String::new()
        }
    };
    match header.elements().find(|e| e.name == "revisionDesc") {
        None => {
            // After the header's last child, indented as its children are.
            let at = src[..header.end.start].trim_end_matches(char::is_whitespace).len().max(header.start.end);
            let indent = header.elements().last().map(|c| indent_before(c.start.start)).unwrap_or_default();
            Some(RevisionPlace::Missing { at, indent })
        }
        Some(rd) if rd.end.is_empty() => {
            let indent = indent_before(rd.start.start);
            Some(RevisionPlace::Empty { tag: rd.start.clone(), indent: format!("{indent}  ") })
        }
        Some(rd) => {
            let kids: Vec<&Element> = rd.elements().collect();
            if kids.iter().any(|k| k.name == "list") {
                return None;
            }
            let host = kids.iter().rev().find(|k| k.name == "listChange" && !k.end.is_empty()).copied().unwrap_or(rd);
            let last_change = host.elements().filter(|k| k.name == "change").last();
            let indent = last_change.map(|c| indent_before(c.start.start)).unwrap_or_default();
            // Before the end tag, after any whitespace that leads up to it.
            let at = host.end.start;
            let at = src[..at].trim_end_matches(char::is_whitespace).len().max(host.start.end);
            Some(RevisionPlace::Append { at, indent })
        }
    }
}

/// One correction to write: code points of the text, the new text, and who decided it when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub text: String,
    pub author: String,
    /// RFC 3339.
    pub at: String,
}

/// How corrections go into a TEI file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum TeiMode {
    /// `<choice><sic>old</sic><corr resp="#reviewer">new</corr></choice>`.
    #[default]
    Choice,
    /// The text replaced in place, as in any other XML.
    Replace,
}

/// The narrowest stretch in which `old` and `new` differ, in whole words: words and edge
/// punctuation both share at either end are left outside (so «Тетерана,» → «Тегерана,» marks
/// «Тетерана» only). Code points: (old start, old end, new start, new end).
pub fn differing_core(old: &str, new: &str) -> (usize, usize, usize, usize) {
    let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let (ol, nl) = (o.len(), n.len());
    // A cut at `i` of `s` falls between words: at an end, or beside whitespace.
    let between = |s: &[char], i: usize| i == 0 || i == s.len() || s[i].is_whitespace() || s[i - 1].is_whitespace();
    let mut p = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    while !(between(&o, p) && between(&n, p)) {
        p -= 1;
    }
    while p < ol.min(nl) && o[p] == n[p] && !o[p].is_alphanumeric() {
        p += 1;
    }
    let mut s = o[p..].iter().rev().zip(n[p..].iter().rev()).take_while(|(a, b)| a == b).count();
    while !(between(&o, ol - s) && between(&n, nl - s)) {
        s -= 1;
    }
    while s < (ol - p).min(nl - p) && o[ol - s - 1] == n[nl - s - 1] && !o[ol - s - 1].is_alphanumeric() {
        s += 1;
    }
    (p, ol - s, p, nl - s)
}

/// The source edits that write `edits` into a TEI document read as `text`/`layout`/`info`:
/// each wrapped in a `<choice>` (or replaced, by `replace`, for `TeiMode::Replace` and for text
/// already inside a choice), plus the `<change>` that records them.
pub fn source_edits(
    src: &str,
    text: &str,
    layout: &Layout,
    info: &TeiInfo,
    edits: &[Edit],
    mode: TeiMode,
    replace: &dyn Fn(&[(Range<usize>, String)]) -> Result<Vec<(Range<usize>, String)>, String>,
) -> Result<Vec<(Range<usize>, String)>, String> {
    if edits.is_empty() {
        return Ok(Vec::new());
    }
    let bounds = super::char_bounds(text);
    let p = &info.prefix;
    let mut in_place: Vec<(Range<usize>, String)> = Vec::new();
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    for e in edits {
        let old = text
            .get(
                *bounds.get(e.span.start).ok_or("span past the end")?
                    ..*bounds.get(e.span.end).ok_or("span past the end")?,
            )
            .ok_or("bad span")?;
        let (oa, ob, na, nb) = differing_core(old, &e.text);
        let (a, b) = (e.span.start + oa, e.span.start + ob);
        let new: String = e.text.chars().skip(na).take(nb - na).collect();
        let seg_of = |c: usize| layout.segments.iter().position(|s| s.chars.start <= c && c < s.chars.end);
        let (first, last) = if a < b {
            (seg_of(a), seg_of(b - 1))
        } else {
            // An insertion: after the character before it, else before the one after it.
            let s = a.checked_sub(1).and_then(seg_of).or_else(|| seg_of(a));
            (s, s)
        };
        let (Some(first), Some(last)) = (first, last) else {
            return Err(format!("no text node holds the text at {a}..{b}; correct this place by hand"));
        };
        let (fs, ls) = (&layout.segments[first], &layout.segments[last]);
        let cdata = fs.escape == Escape::CData || ls.escape == Escape::CData;
        if mode == TeiMode::Replace || info.in_choice[first] || info.in_choice[last] || cdata {
            in_place.push((e.span.clone(), e.text.clone()));
            continue;
        }
        let offset_in = |seg: &Segment, c: usize| -> Result<usize, String> {
            let offsets = xml::unescape(&src[seg.source.clone()], false, false)?.offsets;
            Ok(seg.source.start + offsets.get(c - seg.chars.start).copied().ok_or("offset past the text node")?)
        };
        let start = offset_in(fs, a)?;
        let end = if a < b { offset_in(ls, b)? } else { start };
        let sic = &src[start..end];
        if xml::parse_tree(&format!("<x>{sic}</x>")).is_err() {
            return Err(format!(
                "the correction of {old:?} crosses the edges of elements; correct it by hand or use --tei-mode replace"
            ));
        }
        let who = pointer(&e.author);
        let sic = if sic.is_empty() { format!("<{p}sic/>") } else { format!("<{p}sic>{sic}</{p}sic>") };
        out.push((
            start..end,
            format!(
                "<{p}choice>{sic}<{p}corr resp=\"{who}\" type=\"{TRANSCRIPTION}\">{}</{p}corr></{p}choice>",
                xml::escape(&new, Escape::Text)?
            ),
        ));
    }
    out.extend(replace(&in_place)?);
    if let Some(change) = change_edit(info, edits, mode)? {
        out.push(change);
    }
    out.sort_by_key(|(r, _)| (r.start, r.end));
    if out.windows(2).any(|w| w[1].0.start < w[0].0.end) {
        return Err("two corrections overlap in the TEI".into());
    }
    Ok(out)
}

/// `#name` for `resp` and `who`: the reviewer's name as an XML name (other characters as `_`).
fn pointer(author: &str) -> String {
    let name: String = author
        .trim()
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    format!("#{}", if name.is_empty() { "scanproof".to_string() } else { name })
}

/// The `<change>` recording this apply in `<revisionDesc>` (when the header has a place for it).
fn change_edit(info: &TeiInfo, edits: &[Edit], mode: TeiMode) -> Result<Option<(Range<usize>, String)>, String> {
    let Some(place) = &info.revision else { return Ok(None) };
    let p = &info.prefix;
    let mut who: Vec<String> = edits.iter().map(|e| pointer(&e.author)).collect();
    who.sort();
    who.dedup();
    let when = edits.iter().map(|e| e.at.as_str()).max().unwrap_or("");
    let when = if when.is_empty() {
        String::new()
    } else {
        format!(" when=\"{}\"", xml::escape(when, Escape::Attribute(b'"'))?)
    };
    let how = match mode {
        TeiMode::Choice => "each as a choice of sic and corr",
        TeiMode::Replace => "replaced in the text",
    };
    let change = format!(
        "<{p}change{when} who=\"{}\">scanproof: {} correction(s) checked against the scans, {how}</{p}change>",
        xml::escape(&who.join(" "), Escape::Attribute(b'"'))?,
        edits.len()
    );
    Ok(Some(match place {
        RevisionPlace::Append { at, indent } => (*at..*at, format!("{indent}{change}")),
        RevisionPlace::Empty { tag, indent } => {
            (tag.clone(), format!("<{p}revisionDesc>{indent}{change}{}</{p}revisionDesc>", dedent(indent)))
        }
        RevisionPlace::Missing { at, indent } => {
            (*at..*at, format!("{indent}<{p}revisionDesc>{indent}  {change}{indent}</{p}revisionDesc>"))
        }
    }))
}

/// An indentation two spaces shallower.
fn dedent(indent: &str) -> String {
    indent.strip_suffix("  ").unwrap_or(indent).to_string()
}

#[cfg(test)]
mod tests;
