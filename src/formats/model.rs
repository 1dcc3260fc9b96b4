//! The document model every XML reader fills (pages of lines of words, each word's text kept
//! with its place in the source) and the span → element table a transcript's text keeps.

use super::xml::Escape;
use crate::types::BBox;
use std::ops::Range;

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
