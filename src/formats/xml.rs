//! XML plumbing shared by the ALTO, PAGE-XML and hOCR readers: an event walker that refuses
//! entity declarations and deep nesting, an unescaper that maps every decoded character back to
//! its source bytes (so a correction lands on exactly the characters it replaces), and the
//! escaping used to write corrected text back. It knows no element names.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::ops::Range;

/// Nesting deeper than this is refused. Real ALTO, PAGE and hOCR files nest under 15 levels;
/// the limit only keeps a hostile file from making the reader's element stack grow unbounded.
pub const MAX_DEPTH: usize = 256;

/// How a text is written in the source, so a replacement is escaped the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// An attribute value between these quotes (ALTO `CONTENT`).
    Attribute(u8),
    /// Character data between tags (PAGE `Unicode`, hOCR words).
    Text,
    /// A CDATA section: nothing is escaped, only `]]>` cannot appear.
    CData,
}

/// HTML elements that never have an end tag; hOCR written as HTML leaves them open.
const HTML_VOID: [&[u8]; 12] =
    [b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param", b"wbr"];

/// Streams the events of an XML (or, `html`, an XHTML-ish hOCR) document held in memory.
pub struct Walker<'a> {
    reader: Reader<&'a [u8]>,
    src: &'a str,
    depth: usize,
    html: bool,
}

impl<'a> Walker<'a> {
    pub fn new(src: &'a str, html: bool) -> Self {
        let mut reader = Reader::from_str(src);
        // HTML leaves end tags out and closes them out of order; the depth count copes with that.
        reader.config_mut().check_end_names = !html;
        Walker { reader, src, depth: 0, html }
    }

    /// Where the reader is now, in bytes of the source.
    pub fn position(&self) -> usize {
        self.reader.buffer_position() as usize
    }

    /// The current element depth (the root element's content is depth 1).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The next event, after the checks every reader needs.
    pub fn next_event(&mut self) -> Result<Event<'a>, String> {
        let event = self
            .reader
            .read_event()
            .map_err(|e| format!("not well-formed XML near byte {}: {e}", self.reader.error_position()))?;
        match &event {
            Event::Start(e) => {
                if self.html && HTML_VOID.contains(&e.local_name().as_ref().to_ascii_lowercase().as_slice()) {
                    return Ok(Event::Empty(e.clone()));
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(format!(
                        "elements nest more than {MAX_DEPTH} deep (near byte {}); refused",
                        self.position()
                    ));
                }
            }
            // An HTML void element's stray end tag closes nothing.
            Event::End(e)
                if self.html && HTML_VOID.contains(&e.local_name().as_ref().to_ascii_lowercase().as_slice()) => {}
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::DocType(d) => {
                let body = String::from_utf8_lossy(d.as_ref()).to_ascii_uppercase();
                if body.contains("<!ENTITY") {
                    return Err("its DOCTYPE declares entities; entities are never expanded or fetched, so \
                                the file is refused (remove the declarations)"
                        .into());
                }
            }
            _ => {}
        }
        Ok(event)
    }

    /// Byte range of `slice` in the source, when it is a piece of it (text and attribute
    /// values read from a string always are).
    pub fn range_of(&self, slice: &[u8]) -> Option<Range<usize>> {
        let base = self.src.as_ptr() as usize;
        let start = (slice.as_ptr() as usize).checked_sub(base)?;
        (start + slice.len() <= self.src.len()).then_some(start..start + slice.len())
    }

    /// An attribute's raw value with its place in the source and its quote, if present.
    pub fn attribute(&self, e: &BytesStart<'a>, name: &str) -> Result<Option<RawValue<'a>>, String> {
        let attrs = if self.html { e.html_attributes() } else { e.attributes() };
        for a in attrs {
            let a = a.map_err(|err| format!("bad attribute near byte {}: {err}", self.position()))?;
            if a.key.local_name().as_ref() != name.as_bytes() {
                continue;
            }
            let range = self.range_of(&a.value).ok_or("attribute value not in the source")?;
            let raw = &self.src[range.clone()];
            let quote =
                range.start.checked_sub(1).map(|i| self.src.as_bytes()[i]).filter(|q| *q == b'\'').unwrap_or(b'"');
            return Ok(Some(RawValue { raw, range, quote }));
        }
        Ok(None)
    }

    /// An attribute's decoded value.
    pub fn value(&self, e: &BytesStart<'a>, name: &str) -> Result<Option<String>, String> {
        match self.attribute(e, name)? {
            Some(v) => Ok(Some(unescape(v.raw, true, self.html)?.text)),
            None => Ok(None),
        }
    }

    pub fn is_html(&self) -> bool {
        self.html
    }
}

/// An attribute value as it stands in the source.
pub struct RawValue<'a> {
    pub raw: &'a str,
    pub range: Range<usize>,
    pub quote: u8,
}

/// Decoded text and, for each of its characters, the byte offset in the raw source where the
/// character's source begins (one more entry: the raw length).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unescaped {
    pub text: String,
    pub offsets: Vec<usize>,
}

/// Decode entity and character references (and, in an attribute, normalize whitespace as XML
/// does). Only the predefined entities are known (and, for HTML, a few common named ones);
/// any other reference is an error: it would be a DTD entity, which is never expanded.
pub fn unescape(raw: &str, attribute: bool, html: bool) -> Result<Unescaped, String> {
    let mut text = String::with_capacity(raw.len());
    let mut offsets = Vec::with_capacity(raw.len() + 1);
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i..].chars().next().expect("inside the string");
        let start = i;
        let decoded = match c {
            '&' => {
                let end = raw[i..].find(';').filter(|&n| n <= 12).ok_or_else(|| {
                    // By characters: twelve bytes may end inside one (found by fuzzing).
                    let preview: String = raw[i..].chars().take(12).collect();
                    format!("a bare '&' at {preview:?}: it must be written &amp;")
                })?;
                let name = &raw[i + 1..i + end];
                i += end + 1;
                reference(name, html)?
            }
            '\r' => {
                // XML reads CR LF and a lone CR as one line feed.
                i += 1;
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                if attribute {
                    ' '
                } else {
                    '\n'
                }
            }
            '\n' | '\t' if attribute => {
                i += 1;
                ' '
            }
            c => {
                i += c.len_utf8();
                c
            }
        };
        offsets.push(start);
        text.push(decoded);
    }
    offsets.push(raw.len());
    Ok(Unescaped { text, offsets })
}

fn reference(name: &str, html: bool) -> Result<char, String> {
    let numeric = |digits: &str, radix| u32::from_str_radix(digits, radix).ok().and_then(char::from_u32);
    let c = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        n if n.starts_with("#x") || n.starts_with("#X") => numeric(&n[2..], 16),
        n if n.starts_with('#') => numeric(&n[1..], 10),
        n if html => html_entity(n),
        _ => None,
    };
    c.filter(|&c| c != '\0').ok_or_else(|| {
        format!("the reference &{name}; is not a character scanproof knows; entities are never expanded")
    })
}

/// The named HTML entities hOCR writers put into word text.
fn html_entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => '\u{A0}',
        "shy" => '\u{AD}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "sect" => '§',
        "deg" => '°',
        "copy" => '©',
        "para" => '¶',
        "middot" => '·',
        _ => return None,
    })
}

/// `text` written the way `escape` says, so that reading it back gives `text` again.
pub fn escape(text: &str, how: Escape) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 8);
    match how {
        Escape::CData => {
            if text.contains("]]>") {
                return Err("the text contains \"]]>\", which cannot be written inside CDATA".into());
            }
            out.push_str(text);
        }
        Escape::Text | Escape::Attribute(_) => {
            for c in text.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' if how == Escape::Attribute(b'"') => out.push_str("&quot;"),
                    '\'' if how == Escape::Attribute(b'\'') => out.push_str("&apos;"),
                    // Written as references so that XML's whitespace normalization keeps them.
                    '\n' | '\t' | '\r' if matches!(how, Escape::Attribute(_)) => {
                        out.push_str(&format!("&#{};", c as u32))
                    }
                    '\r' => out.push_str("&#13;"),
                    c if c.is_control() && !matches!(c, '\n' | '\t') => {
                        return Err(format!("the control character U+{:04X} cannot be written in XML", c as u32))
                    }
                    c => out.push(c),
                }
            }
        }
    }
    Ok(out)
}

/// An element of a document tree (`parse_tree`), with where its tags stand in the source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    /// The local name (`choice`, `t` for `w:t`).
    pub name: String,
    /// Attributes by local name (`id` for `xml:id`), values decoded.
    pub attrs: Vec<(String, String)>,
    /// Bytes of the start tag (the whole tag of an empty element).
    pub start: Range<usize>,
    /// Bytes of the end tag; empty, at `start.end`, for an empty element.
    pub end: Range<usize>,
    pub children: Vec<Node>,
}

/// A node of a document tree: an element, or character data with its place in the source.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text { range: Range<usize>, escape: Escape },
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The whole element, start tag to end tag.
    pub fn span(&self) -> Range<usize> {
        self.start.start..self.end.end
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text { .. } => None,
        })
    }
}

/// The document's root elements (usually one) as a tree, read with the `Walker`'s checks.
/// Comments, processing instructions and the declaration are left out; the tree keeps the
/// byte ranges of every tag and text, so a writer can splice the source.
pub fn parse_tree(src: &str) -> Result<Vec<Element>, String> {
    let mut w = Walker::new(src, false);
    let mut stack: Vec<Element> = Vec::new();
    let mut roots = Vec::new();
    loop {
        let before = w.position();
        let event = w.next_event()?;
        let after = w.position();
        let node = match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| format!("bad attribute near byte {before}: {err}"))?;
                    let raw = std::str::from_utf8(&a.value).map_err(|e| e.to_string())?;
                    let name = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                    attrs.push((name, unescape(raw, true, false)?.text));
                }
                let el = Element {
                    name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    attrs,
                    start: before..after,
                    end: after..after,
                    children: Vec::new(),
                };
                if matches!(event, Event::Start(_)) {
                    stack.push(el);
                    continue;
                }
                Node::Element(el)
            }
            Event::End(_) => {
                let mut el = stack.pop().ok_or_else(|| format!("an end tag without a start near byte {before}"))?;
                el.end = before..after;
                Node::Element(el)
            }
            Event::Text(t) => {
                Node::Text { range: w.range_of(t.as_ref()).ok_or("text not in the source")?, escape: Escape::Text }
            }
            Event::CData(t) => {
                Node::Text { range: w.range_of(t.as_ref()).ok_or("CDATA not in the source")?, escape: Escape::CData }
            }
            _ => continue,
        };
        match (stack.last_mut(), node) {
            (Some(parent), node) => parent.children.push(node),
            (None, Node::Element(el)) => roots.push(el),
            // Whitespace around the root.
            (None, Node::Text { .. }) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{}> is never closed", open.name));
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_point_at_each_characters_source() {
        let u = unescape("a&amp;b&#x416;\r\nc", false, false).unwrap();
        assert_eq!(u.text, "a&bЖ\nc");
        assert_eq!(u.offsets, vec![0, 1, 6, 7, 14, 16, 17]);
        assert_eq!(unescape("x\ty\nz", true, false).unwrap().text, "x y z");
        assert!(unescape("&xxe;", false, false).is_err());
        assert!(unescape("a & b", false, false).is_err());
        assert_eq!(unescape("&nbsp;", false, true).unwrap().text, "\u{A0}");
        assert!(unescape("&#0;", false, false).is_err());
        // A bare '&' before multi-byte letters: the message must not cut a letter in two.
        assert!(unescape("&ЛЛЛЛЛЛЛ", false, false).unwrap_err().contains("ЛЛЛ"));
    }

    #[test]
    fn escape_round_trips() {
        for how in [Escape::Text, Escape::Attribute(b'"'), Escape::Attribute(b'\''), Escape::CData] {
            let s = "a<b>&\"c' \n\td";
            let e = escape(s, how).unwrap();
            let back =
                if how == Escape::CData { e.clone() } else { unescape(&e, how != Escape::Text, false).unwrap().text };
            assert_eq!(back, s, "{how:?}");
        }
    }

    #[test]
    fn entity_declarations_and_deep_nesting_are_refused() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#;
        let mut w = Walker::new(xxe, false);
        let err = loop {
            match w.next_event() {
                Err(e) => break e,
                Ok(Event::Eof) => panic!("accepted"),
                Ok(_) => {}
            }
        };
        assert!(err.contains("entities"), "{err}");
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        let mut w = Walker::new(&deep, false);
        let err = loop {
            match w.next_event() {
                Err(e) => break e,
                Ok(Event::Eof) => panic!("accepted"),
                Ok(_) => {}
            }
        };
        assert!(err.contains("nest"), "{err}");
    }

    #[test]
    fn tree_keeps_tag_and_text_ranges() {
        let src = "<?xml version='1.0'?><a xml:id='x'><b>t&amp;u</b><c/><![CDATA[<d>]]></a>";
        let roots = parse_tree(src).unwrap();
        let a = &roots[0];
        assert_eq!((a.name.as_str(), a.attr("id")), ("a", Some("x")));
        assert_eq!(&src[a.span()], &src[21..]);
        let b = a.elements().next().unwrap();
        assert_eq!((&src[b.start.clone()], &src[b.end.clone()]), ("<b>", "</b>"));
        match &b.children[0] {
            Node::Text { range, escape } => assert_eq!((&src[range.clone()], *escape), ("t&amp;u", Escape::Text)),
            other => panic!("{other:?}"),
        }
        let c = a.elements().nth(1).unwrap();
        assert_eq!((&src[c.start.clone()], c.end.clone()), ("<c/>", c.start.end..c.start.end));
        assert!(matches!(&a.children[2], Node::Text { escape: Escape::CData, .. }));
        assert!(parse_tree("<a><b></a>").is_err());
    }
}
