//! The plain data that flows between the stages. No logic beyond small accessors:
//! each stage takes these in and hands these on, and every report renders a `Review`.

mod problem;

pub use problem::Problem;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::PathBuf;

/// A box in page pixels; serialized as `[x, y, width, height]` (the JSON contract).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "[u32; 4]", into = "[u32; 4]")]
pub struct BBox {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl From<[u32; 4]> for BBox {
    fn from(a: [u32; 4]) -> Self {
        BBox { x: a[0], y: a[1], w: a[2], h: a[3] }
    }
}

impl From<BBox> for [u32; 4] {
    fn from(b: BBox) -> Self {
        [b.x, b.y, b.w, b.h]
    }
}

impl BBox {
    /// The smallest box holding both.
    pub fn union(self, other: BBox) -> BBox {
        if self.w == 0 && self.h == 0 {
            return other;
        }
        if other.w == 0 && other.h == 0 {
            return self;
        }
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        let r = (self.x + self.w).max(other.x + other.w);
        let b = (self.y + self.h).max(other.y + other.h);
        BBox { x, y, w: r - x, h: b - y }
    }
}

/// One recognized symbol with the engine's own alternatives (best first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrChar {
    pub text: String,
    /// 0..=1
    pub confidence: f32,
    /// Other readings the engine considered for this symbol, with their confidences (0..=1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<(String, f32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrWord {
    pub text: String,
    /// Word confidence, 0..=1.
    pub confidence: f32,
    pub bbox: BBox,
    /// Index of the text line within its page (0-based, reading order).
    pub line: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chars: Vec<OcrChar>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OcrPage {
    /// 1-based page number, following the order of the scan files.
    pub index: usize,
    pub path: PathBuf,
    /// Size of the page as read (after `rotation`), which the words' boxes are in.
    pub width: u32,
    pub height: u32,
    pub words: Vec<OcrWord>,
    /// How the scan was turned before it was read: clockwise degrees (0, 90, 180, 270), then
    /// `skew` degrees (clockwise, small) to level its lines. `scan::orient` makes the same
    /// image again from the file for crops and second readings.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub rotation: u32,
    #[serde(default, skip_serializing_if = "is_zero_f32")]
    pub skew: f32,
    /// Lines of type the OCR read no word of (`ocr::unread`), in the same pixels as the words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<InkLine>,
}

/// A line of type on a page that the OCR read nothing of: where it is, and about how many
/// letters it holds (from the width of its ink).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct InkLine {
    pub bbox: BBox,
    pub letters: u32,
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

fn is_zero_f32(v: &f32) -> bool {
    *v == 0.0
}

/// The confidence given to a reading whose certainty is unknown (OCR text, or an OCR file
/// without confidences). Evidence treats exactly this value as "unknown" and measures nothing.
pub const UNKNOWN_CONFIDENCE: f32 = 0.82;

impl OcrPage {
    /// A page from OCR text that has no scan behind it (`check --ocr-text`, and tests): the
    /// text's words, one line per text line, without boxes, each with `confidence`.
    pub fn from_text(index: usize, path: impl Into<PathBuf>, text: &str, confidence: f32) -> Self {
        let words = text
            .lines()
            .enumerate()
            .flat_map(|(line, l)| {
                l.split_whitespace().map(move |w| OcrWord {
                    text: w.to_string(),
                    confidence,
                    bbox: BBox::default(),
                    line,
                    chars: Vec::new(),
                })
            })
            .collect();
        OcrPage { index, path: path.into(), width: 0, height: 0, words, rotation: 0, skew: 0.0, unread: Vec::new() }
    }

    /// Mean word confidence (0..=1), 0 for an empty page.
    pub fn mean_confidence(&self) -> f32 {
        if self.words.is_empty() {
            return 0.0;
        }
        self.words.iter().map(|w| w.confidence).sum::<f32>() / self.words.len() as f32
    }
}

/// A transcript word. `chars` are code-point offsets (the JSON contract), `bytes` index `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Raw text as in the transcript (a hyphenated line-end word keeps its hyphen and newline).
    pub text: String,
    /// Normalized comparison key.
    pub key: String,
    pub bytes: Range<usize>,
    pub chars: Range<usize>,
    /// 1-based line and column (column in code points) of the token's start.
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub struct Transcript {
    pub path: PathBuf,
    /// Decoded text (BOM removed), exactly as the offsets count it.
    pub text: String,
    pub sha256: String,
    pub tokens: Vec<Token>,
}

/// A word of the scan's reading as the aligner sees it: usually one OCR word, two when the
/// typist hyphenated it across a line end.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrToken {
    pub key: String,
    pub text: String,
    /// Index into `pages` (0-based), and the OCR words it covers on that page.
    pub page: usize,
    pub words: Range<usize>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiscrepancyKind {
    /// One transcript word where the scan has another.
    #[default]
    Substitute,
    /// The transcript splits one scan word in two (or more).
    Split,
    /// The transcript joins two (or more) scan words into one.
    Merge,
    /// The transcript has words the scan does not.
    Insert,
    /// The scan has words the transcript does not.
    Delete,
}

/// The scan read again where a flag stands (its line cropped, enlarged and read on its own):
/// the words under the flag's box, joined, and their least confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct SecondReading {
    pub text: String,
    pub confidence: f32,
    /// The words themselves, with their symbols' alternatives when the engine gave them.
    pub words: Vec<OcrWord>,
}

/// A place where transcript and scan reading differ, by index ranges (like `similar`'s ops).
#[derive(Debug, Clone, PartialEq)]
pub struct Discrepancy {
    pub kind: DiscrepancyKind,
    /// Range of transcript tokens (empty for `Delete`).
    pub transcript: Range<usize>,
    /// Range of OCR tokens (empty for `Insert`).
    pub ocr: Range<usize>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Favours {
    /// The evidence says the transcript is right (the OCR misread).
    Transcript,
    /// The evidence says the scan's reading is right (the transcript is wrong).
    #[default]
    Scan,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: String,
    pub favours: Favours,
    /// Contribution to the log-odds that the transcript is wrong (positive favours the scan).
    pub weight: f32,
    /// One sentence a reviewer understands.
    pub note: String,
    /// A better reading of the scan found by this evidence (a second reading where the first
    /// was garbled); it becomes the flag's suggestion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// What the evidence measured, by name; the model weighs these into `weight`. Kept in the
    /// report so that a reviewer's decisions can train the model (`scanproof train`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub features: std::collections::BTreeMap<String, f32>,
    /// On a second reading that replaced a garbled first one: the evidence as the first
    /// reading gave it, which the flag's evidence was measured again without. Whether a second
    /// reading was worth making is decided on it (`Model::base_logit`), as `check` decided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first: Vec<Evidence>,
}

impl Evidence {
    /// Whether a reviewer should see it: it moved the score by enough to print as ±0.01 (as
    /// reports round it) or brought a better reading. Evidence a model gives no weight stays
    /// in JSON reports, whose features train models, and out of those people read.
    pub fn counted(&self) -> bool {
        self.weight.abs() >= 0.005 || self.reading.is_some()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub id: String,
    pub page: usize,
    pub line: usize,
    pub column: usize,
    /// Code-point offsets into the transcript.
    pub start: usize,
    pub end: usize,
    pub transcript: String,
    pub ocr: String,
    pub suggestion: String,
    pub kind: DiscrepancyKind,
    /// What kind of problem it is, in a reviewer's words (`crate::problem::classify`).
    #[serde(default)]
    pub problem: Problem,
    /// The policy rule under which the difference counts (`text` always does).
    #[serde(default)]
    pub rule: crate::policy::Rule,
    pub score: f32,
    pub bbox: BBox,
    pub ocr_confidence: f32,
    pub shown: bool,
    /// Transcript text around the span, for reports (the span itself is `transcript`).
    pub context_before: String,
    pub context_after: String,
    pub evidence: Vec<Evidence>,
    /// The reviewer's verdict from a decisions file ("accept", "reject", "edit"); a decided
    /// flag is no longer shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// For an XML transcript: the id of the element holding the flagged text (the word's, else
    /// its line's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// For an XML transcript: the line's own coordinates as the file gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_bbox: Option<BBox>,
    /// For a page from a IIIF manifest: the canvas and the Image API URL of the flagged region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iiif: Option<IiifRegion>,
}

/// Where a flag is on a IIIF canvas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IiifRegion {
    /// The canvas id, as the manifest gives it.
    pub canvas: String,
    /// The flagged box in the canvas's coordinates, `x,y,w,h` (a media fragment's `xywh`).
    pub xywh: String,
    /// The Image API URL of that region of the full-size image (`…/x,y,w,h/max/0/default.jpg`),
    /// when the canvas has an image service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_url: Option<String>,
}

/// A page read from a IIIF manifest: which canvas, and the image behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IiifPage {
    pub canvas: String,
    /// The Image API service (its id, without `/info.json`), or `None` for a plain image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The image URL that was read.
    pub image: String,
    /// The canvas's size, in its own coordinates.
    pub canvas_width: u32,
    pub canvas_height: u32,
    /// The full image's size (what Image API regions are measured in).
    pub full_width: u32,
    pub full_height: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageSummary {
    pub page: usize,
    pub path: PathBuf,
    pub width: u32,
    pub height: u32,
    pub ocr_confidence: f32,
    /// Code-point range of the transcript that this page covers.
    pub transcript_start: usize,
    pub transcript_end: usize,
    pub ocr_words: usize,
    pub cer: f32,
    pub wer: f32,
    pub flags_shown: usize,
    /// The page's own name: the edition's page number (TEI `<pb n>`) or the canvas's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// For a page from a IIIF manifest: its canvas and image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iiif: Option<IiifPage>,
    /// Share of this page's transcript words that the scan verified (see `LineStatus`); 1
    /// when the page holds none.
    #[serde(default = "one")]
    pub coverage: f32,
    /// Transcript words placed on this page, and how many of them were verified.
    #[serde(default)]
    pub words: usize,
    #[serde(default)]
    pub words_verified: usize,
    /// The turn (clockwise degrees: 0, 90, 180, 270) and the skew (degrees) the page was read
    /// at; boxes are in the page so turned.
    #[serde(default)]
    pub rotation: u32,
    #[serde(default)]
    pub skew: f32,
}

fn one() -> f32 {
    1.0
}

/// What the scans say about a transcript word or line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// A usable reading of the scan agrees, or disagrees and the difference was weighed (a
    /// flag exists, shown or not).
    Verified,
    /// Expected on the scans, but the OCR read nothing usable there: a person must proofread it.
    Unverified,
    /// Outside the text the scans show (a header, a translation).
    NotOnScans,
}

/// One line of the transcript as the scans cover it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptLine {
    /// 1-based line of the transcript.
    pub line: usize,
    /// The page most of its words are on; 0 when none is on the scans.
    pub page: usize,
    /// Code-point offsets of its words (first word's start to last word's end).
    pub start: usize,
    pub end: usize,
    /// The scan's box for the line's words on `page` (a paragraph's box when the transcript
    /// keeps a paragraph on one line).
    pub bbox: BBox,
    /// Verified when every word is, not on the scans when none is expected there, else
    /// unverified.
    pub status: LineStatus,
    pub words: usize,
    pub words_verified: usize,
}

/// One text line of a scan with the transcript's text for it, as the page breaks it (a word
/// hyphenated at the line's end stays broken): what ground truth for OCR training is cut from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanLine {
    pub page: usize,
    /// 1-based line on the page, in reading order.
    pub line: usize,
    /// The line's box on the page as read (see `PageSummary::rotation`).
    pub bbox: BBox,
    /// Code-point offsets of the transcript text for this line: from its first word (or the
    /// part after the break of a word the page broke) to its last (or the part before).
    pub start: usize,
    pub end: usize,
    /// The transcript's text for this line, whitespace collapsed, with a hyphen added when
    /// `broken`.
    pub text: String,
    /// The page breaks a word at this line's end that the transcript writes whole.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub broken: bool,
    pub status: LineStatus,
    pub words: usize,
    pub words_verified: usize,
}

/// A stretch of transcript expected on the scans that no usable reading covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unverified {
    /// The page it lies on; 0 when it falls between pages (a page missing from the scans).
    pub page: usize,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    /// Where on the page it should be (estimated from its neighbours when the OCR read nothing).
    pub bbox: BBox,
    pub words: usize,
    pub preview: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Untranscribed {
    pub page: usize,
    pub bbox: BBox,
    pub ocr: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotOnScans {
    pub start: usize,
    pub end: usize,
    pub preview: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub pages: usize,
    pub transcript_words: usize,
    pub ocr_words: usize,
    /// Character and word error rates of the scan reading against the transcript's scanned region.
    pub cer: f32,
    pub wer: f32,
    pub flags_shown: usize,
    pub flags_total: usize,
    /// Share of the transcript words expected on the scans that were verified.
    #[serde(default = "one")]
    pub coverage: f32,
    #[serde(default)]
    pub words_verified: usize,
    #[serde(default)]
    pub words_unverified: usize,
    #[serde(default)]
    pub words_not_on_scans: usize,
    /// Flags the model would show that the transcription policy does not count (case under a
    /// normalized policy, …).
    #[serde(default)]
    pub flags_tolerated: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptRef {
    pub path: PathBuf,
    pub sha256: String,
}

/// A place where a translation of the document disagrees with the scan's reading of the
/// original (a name or number), for the translation's editors rather than the transcriber.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranslationIssue {
    pub page: usize,
    /// Code-point offsets of the original's word in the transcript.
    pub start: usize,
    pub end: usize,
    /// The original's word, as the scan and the transcript read it.
    pub original: String,
    /// The translation's word(s).
    pub translation: String,
    /// Code-point offsets of the translation's word: in the transcript when the translation is
    /// part of it, else in the `--witness` file.
    pub translation_start: usize,
    pub translation_end: usize,
    /// The translated passage around it.
    pub passage: String,
    pub note: String,
}

/// A page that could not be read; the other pages go on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageFailure {
    pub page: usize,
    pub path: PathBuf,
    pub error: String,
}

/// How much a transcript and its scans have in common (`Alignment::shared_words`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// Transcript words of five letters or more that a scan word matches within a third of
    /// their letters, in the alignment.
    pub matched: usize,
    /// Words of five letters or more in the whole transcript, and on the scans read with
    /// confidence (a page too faint or heavy to read has few: too few to tell).
    pub transcript: usize,
    pub scans: usize,
}

impl Shared {
    /// Whether the two share almost nothing: the wrong transcript for these scans. Short
    /// words are left out because two unrelated texts in one language share «that», «with»
    /// and «have» in order by chance; long ones a noisy reading still matches. Texts of fewer
    /// than 20 long words are too short to tell. The 30% lies between the two sides measured
    /// on the 20 EHRI English pages read upright (`coverage_figures shared`, README
    /// "Coverage"): a page against its own transcription 98% or more, against another
    /// English document's at most 19%.
    pub fn unrelated(&self) -> bool {
        let smaller = self.transcript.min(self.scans);
        smaller >= 20 && (self.matched as f32) < 0.3 * smaller as f32
    }
}

/// How many readings a page gets: what `check` trades between time and the pages it reads
/// well. Either way small type is enlarged and the doubtful flags are read a second time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reading {
    /// A page that reads poorly is read again: turned, binarized otherwise, as one block, and
    /// its lines left unread on their own. What the README's figures measure.
    #[default]
    Thorough,
    /// One reading of each page, as Tesseract alone makes: about its time, for a quick pass
    /// over a large collection. Sideways, faint and sparse pages read worse, and their lines
    /// left unread are not reported (README, "One reading a page").
    Single,
}

/// Everything a report shows. Reports compute nothing: what they show is a field of this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub version: u32,
    pub transcript: TranscriptRef,
    pub languages: String,
    pub threshold: f32,
    /// The transcription policy the flags were judged by.
    #[serde(default)]
    pub policy: crate::policy::Rules,
    /// How many readings each page got (`--reading`): reports from single readings say so.
    #[serde(default)]
    pub reading: Reading,
    pub pages: Vec<PageSummary>,
    pub flags: Vec<Flag>,
    pub untranscribed: Vec<Untranscribed>,
    pub not_on_scans: Vec<NotOnScans>,
    pub stats: Stats,
    #[serde(default)]
    pub failures: Vec<PageFailure>,
    /// Where a translation looks wrong against the scan (see `TranslationIssue`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translation_issues: Vec<TranslationIssue>,
    /// Transcript text expected on the scans that no usable reading covers: to proofread by eye.
    #[serde(default)]
    pub unverified: Vec<Unverified>,
    /// Every transcript line with what the scans say about it.
    #[serde(default)]
    pub lines: Vec<TranscriptLine>,
    /// Every text line of the scans with the transcript's text for it.
    #[serde(default)]
    pub scan_lines: Vec<ScanLine>,
    /// What the transcript and the scans share, to tell the wrong transcript (not reported).
    #[serde(skip)]
    pub shared: Option<Shared>,
}

impl Review {
    pub fn shown_flags(&self) -> impl Iterator<Item = &Flag> {
        self.flags.iter().filter(|f| f.shown)
    }
}
