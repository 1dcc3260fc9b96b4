//! Export stage (`export-gt`): a checked `Review`, the reviewer's decisions and the transcript
//! in; OCR ground truth out, one file set per format (`tesstrain`, `page`, `alto`): for each
//! scan line that is verified, the line's picture as the page was read and its text with the
//! accepted and edited corrections applied. It decides nothing about the transcript: lines
//! with an open flag, unverified text or a correction reaching into the next line are left
//! out and counted, by reason.

pub mod alto;
pub mod page_xml;
pub mod tesstrain;

use crate::error::{Error, Result};
use crate::review::decisions::{Action, Decisions};
use crate::types::{BBox, LineStatus, PageSummary, Review, ScanLine};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GtFormat {
    /// Line images with `NAME.gt.txt` beside them, and `list.txt`.
    Tesstrain,
    /// PAGE-XML 2019, one file per page, with the page image as read.
    Page,
    /// ALTO v4, one file per page, with the page image as read.
    Alto,
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub report: PathBuf,
    pub decisions: Option<PathBuf>,
    pub output: PathBuf,
    pub format: GtFormat,
    /// The transcript the report was made on (default: the path in the report).
    pub transcript: Option<PathBuf>,
    /// The names' prefix (default: the transcript's file name without extension).
    pub name: Option<String>,
}

/// Why a scan line was not exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// A shown flag on it was not decided.
    OpenFlag,
    /// Part of it was not verified by a reading and no decision covers it.
    Unverified,
    /// A correction on it reaches into another line.
    CorrectionAcrossLines,
    /// An edit whose text is not known (a report marked as decided, without the file).
    EditWithoutText,
    /// Nothing of the transcript is on it.
    Empty,
}

/// A line that goes out: where it is and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct GtLine {
    /// 1-based page number and line on it (as in `ScanLine`).
    pub page: usize,
    pub line: usize,
    pub bbox: BBox,
    /// NFC, one line.
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    /// Scan lines holding transcript text, and those exported.
    pub lines: usize,
    pub exported: usize,
    /// Lines not exported, by reason.
    pub skipped: BTreeMap<Skip, usize>,
    pub pages: usize,
    /// Every file written, relative to the output folder.
    pub files: Vec<String>,
    /// The lines not exported: page, line and why.
    pub not_exported: Vec<(usize, usize, Skip)>,
}

/// What becomes of a flag's text in the exported line.
enum Verdict {
    /// Shown and not decided: the line waits for the reviewer.
    Open,
    /// Rejected, or weighed and left below the threshold: the transcript stands.
    Keep,
    /// Accepted or edited.
    Replace(String),
    /// Decided in the report but the decision's text is not at hand.
    Unknown,
}

/// Pick the exportable lines of a review, with their final text. `text` is the transcript's
/// decoded text (the report's offsets count its code points).
pub fn select_lines(
    review: &Review,
    decisions: Option<&Decisions>,
    text: &str,
) -> (Vec<GtLine>, Vec<(usize, usize, Skip)>) {
    let chars: Vec<char> = text.chars().collect();
    let verdict = |f: &crate::types::Flag| -> Verdict {
        if let Some(d) = decisions.and_then(|ds| ds.get(&f.id)) {
            return match d.action {
                Action::Reject => Verdict::Keep,
                Action::Accept => Verdict::Replace(d.after.clone().unwrap_or_else(|| f.suggestion.clone())),
                Action::Edit => Verdict::Replace(d.text.clone().unwrap_or_default()),
            };
        }
        match f.decision.as_deref() {
            Some("reject") => Verdict::Keep,
            Some("accept") => Verdict::Replace(f.suggestion.clone()),
            Some(_) => Verdict::Unknown,
            None if f.shown => Verdict::Open,
            // Weighed and found likely the OCR's: the transcript stands.
            None => Verdict::Keep,
        }
    };
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for line in &review.scan_lines {
        let has = |f: &crate::types::Flag| decisions.is_some_and(|d| d.get(&f.id).is_some());
        match export_line(review, line, &chars, &verdict, &has) {
            Ok(text) => out.push(GtLine { page: line.page, line: line.line, bbox: line.bbox, text }),
            Err(why) => skipped.push((line.page, line.line, why)),
        }
    }
    (out, skipped)
}

fn export_line(
    review: &Review,
    line: &ScanLine,
    chars: &[char],
    verdict: &dyn Fn(&crate::types::Flag) -> Verdict,
    decisions_has: &dyn Fn(&crate::types::Flag) -> bool,
) -> std::result::Result<String, Skip> {
    if line.words == 0 || line.start >= line.end {
        return Err(Skip::Empty);
    }
    let on_line =
        |s: usize, e: usize| if s == e { line.start <= s && s <= line.end } else { s < line.end && e > line.start };
    // Corrections inside the line, by code-point span.
    let mut changes: Vec<(usize, usize, String)> = Vec::new();
    let mut decided: Vec<(usize, usize)> = Vec::new();
    for f in review.flags.iter().filter(|f| f.page == line.page && on_line(f.start, f.end)) {
        match verdict(f) {
            Verdict::Open => return Err(Skip::OpenFlag),
            Verdict::Unknown => return Err(Skip::EditWithoutText),
            Verdict::Keep => {}
            Verdict::Replace(new) => {
                if f.start < line.start || f.end > line.end {
                    return Err(Skip::CorrectionAcrossLines);
                }
                changes.push((f.start, f.end, new));
            }
        }
        if f.decision.is_some() || decisions_has(f) {
            decided.push((f.start, f.end));
        }
    }
    if line.status != LineStatus::Verified {
        // Every unverified word must lie in a flag a person decided.
        let uncovered = review.unverified.iter().filter(|u| on_line(u.start, u.end)).any(|u| {
            let (s, e) = (u.start.max(line.start), u.end.min(line.end));
            !decided.iter().any(|&(a, b)| a <= s && e <= b)
        });
        if uncovered {
            return Err(Skip::Unverified);
        }
    }
    changes.sort_by_key(|c| c.0);
    let mut text = String::new();
    let mut at = line.start;
    for (s, e, new) in &changes {
        if *s < at {
            continue;
        }
        text.extend(&chars[at..*s]);
        text.push_str(new);
        at = *e;
    }
    text.extend(&chars[at..line.end.min(chars.len())]);
    let mut text: String = text.split_whitespace().collect::<Vec<_>>().join(" ").nfc().collect();
    if line.broken && !text.ends_with(['-', '‐', '¬']) {
        text.push('-');
    }
    if text.is_empty() {
        return Err(Skip::Empty);
    }
    Ok(text)
}

/// A file name part from the transcript's name: letters, digits, `-` and `_` only.
pub fn safe_name(name: &str) -> String {
    let s: String = name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if s.is_empty() {
        "document".into()
    } else {
        s
    }
}

/// The page image as it was read (turned and levelled), from the path in the report.
pub fn page_as_read(page: &PageSummary) -> Result<image::GrayImage> {
    let image = crate::scan::load_page(&page.path)?;
    let image = crate::scan::orient(image, page.rotation, page.skew);
    if image.dimensions() != (page.width, page.height) && page.width > 0 {
        // The file was resized since the check: scale to the pixels the boxes are in.
        return Ok(image::imageops::resize(&image, page.width, page.height, image::imageops::FilterType::Triangle));
    }
    Ok(image)
}

/// Run `export-gt`.
pub fn run(opts: &ExportOptions) -> Result<ExportSummary> {
    let review = crate::report::read_review(&opts.report)?;
    if review.scan_lines.is_empty() && !review.pages.is_empty() {
        return Err(Error::BadInput {
            path: opts.report.clone(),
            reason: "the report has no scan lines (made by an older scanproof?); check the document again".into(),
        });
    }
    let decisions = opts.decisions.as_deref().map(crate::review::decisions::read_decisions).transpose()?;
    let transcript_path = opts.transcript.clone().unwrap_or_else(|| review.transcript.path.clone());
    let document = crate::formats::read_transcript(&transcript_path, &Default::default())?;
    if document.transcript.sha256 != review.transcript.sha256 {
        return Err(Error::BadInput {
            path: transcript_path,
            reason: format!(
                "is not the transcript {} was made on (its sha256 differs); export from a report of the transcript as it is",
                opts.report.display()
            ),
        });
    }
    if let Some(d) = &decisions {
        if d.transcript_sha256 != review.transcript.sha256 {
            return Err(Error::Decisions {
                path: opts.decisions.clone().unwrap_or_default(),
                reason: "its decisions were made on another version of the transcript than the report".into(),
            });
        }
    }
    let (lines, skipped) = select_lines(&review, decisions.as_ref(), &document.transcript.text);
    let name =
        safe_name(&opts.name.clone().unwrap_or_else(|| {
            transcript_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        }));
    std::fs::create_dir_all(&opts.output).map_err(|e| Error::io(&opts.output, e))?;
    let mut summary = ExportSummary {
        lines: lines.len() + skipped.len(),
        exported: lines.len(),
        not_exported: skipped.clone(),
        ..Default::default()
    };
    for (_, _, why) in &skipped {
        *summary.skipped.entry(*why).or_default() += 1;
    }
    let mut by_page: BTreeMap<usize, Vec<&GtLine>> = BTreeMap::new();
    for l in &lines {
        by_page.entry(l.page).or_default().push(l);
    }
    summary.pages = by_page.len();
    for (page_no, page_lines) in by_page {
        let page = review
            .pages
            .iter()
            .find(|p| p.page == page_no)
            .ok_or_else(|| Error::BadInput { path: opts.report.clone(), reason: format!("no page {page_no}") })?;
        let image = page_as_read(page)?;
        let files = match opts.format {
            GtFormat::Tesstrain => tesstrain::write_page(&opts.output, &name, &image, &page_lines)?,
            GtFormat::Page => page_xml::write_page(&opts.output, &name, page, &image, &page_lines, &review)?,
            GtFormat::Alto => alto::write_page(&opts.output, &name, page, &image, &page_lines)?,
        };
        summary.files.extend(files);
    }
    if opts.format == GtFormat::Tesstrain {
        summary.files.push(tesstrain::write_list(&opts.output, &summary.files)?);
    }
    let path = opts.output.join("export-summary.json");
    crate::report::write_atomically(&path, |w| {
        serde_json::to_writer_pretty(&mut *w, &summary)?;
        writeln!(w)
    })?;
    Ok(summary)
}

/// The image and XML file names of a page: `NAME_pPAGE`.
pub fn page_stem(name: &str, page: usize) -> String {
    format!("{name}_p{page}")
}

/// Save a page as read beside its XML (PAGE and ALTO reference it by name).
pub fn write_page_image(dir: &Path, stem: &str, image: &image::GrayImage) -> Result<String> {
    let file = format!("{stem}.png");
    let path = dir.join(&file);
    let tmp = dir.join(format!(".{file}.{}.tmp", std::process::id()));
    image
        .save_with_format(&tmp, image::ImageFormat::Png)
        .map_err(|e| Error::BadImage { path: path.clone(), reason: e.to_string() })?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    Ok(file)
}
