//! Snapshots of every report format (csv, md, json, html) built from one fixture `Review`:
//! Cyrillic, a repeated pattern, hidden flags, a flag with no place on the scan, markup and
//! table syntax in the text, a missing page image, a failed page. The HTML's data URIs are
//! redacted in its snapshot and checked separately.

use base64::Engine as _;
use scanproof::report::{self, html::HtmlOptions, Format, TextStyle};
use scanproof::types::*;
use std::path::{Path, PathBuf};

fn evidence(kind: &str, favours: Favours, weight: f32, note: &str) -> Evidence {
    Evidence {
        kind: kind.into(),
        favours,
        weight,
        note: note.into(),
        reading: None,
        features: Default::default(),
        first: Vec::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn flag(
    id: &str,
    page: usize,
    (line, column, start): (usize, usize, usize),
    (transcript, ocr, suggestion): (&str, &str, &str),
    kind: DiscrepancyKind,
    score: f32,
    bbox: [u32; 4],
    (before, after): (&str, &str),
    evidence: Vec<Evidence>,
) -> Flag {
    Flag {
        id: id.into(),
        page,
        line,
        column,
        start,
        end: start + transcript.chars().count(),
        transcript: transcript.into(),
        ocr: ocr.into(),
        suggestion: suggestion.into(),
        kind,
        problem: match kind {
            DiscrepancyKind::Delete => Problem::OmittedWord,
            DiscrepancyKind::Insert => Problem::AddedWord,
            DiscrepancyKind::Split | DiscrepancyKind::Merge => Problem::Typo,
            _ => Problem::Misreading,
        },
        rule: scanproof::policy::Rule::Text,
        score,
        bbox: bbox.into(),
        ocr_confidence: 0.91,
        shown: score >= 0.5,
        context_before: before.into(),
        context_after: after.into(),
        evidence,
        decision: None,
        element_id: None,
        line_bbox: None,
        iiif: None,
    }
}

fn page(n: usize, cer: f32, wer: f32, flags_shown: usize) -> PageSummary {
    PageSummary {
        page: n,
        path: PathBuf::from(format!("page-{n}.png")),
        width: 400,
        height: 300,
        ocr_confidence: 0.9,
        transcript_start: 40 + 200 * (n - 1),
        transcript_end: 40 + 200 * n,
        ocr_words: 30,
        cer,
        wer,
        flags_shown,
        label: None,
        iiif: None,
        coverage: if n == 2 { 0.9 } else { 1.0 },
        words: 40,
        words_verified: if n == 2 { 36 } else { 40 },
        rotation: if n == 2 { 180 } else { 0 },
        skew: if n == 2 { 0.8 } else { 0.0 },
    }
}

fn fixture() -> Review {
    use DiscrepancyKind::*;
    use Favours::*;
    let confident = || evidence("confidence", Scan, 0.72, "the OCR is confident of its reading (96%)");
    Review {
        version: 1,
        transcript: TranscriptRef {
            path: PathBuf::from("letters/bagirov <1946>.txt"),
            sha256: "2b961ee325410f8a1d0c7f6b2a9e1c3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c".into(),
        },
        languages: "rus+eng".into(),
        threshold: 0.5,
        policy: scanproof::policy::Rules::default(),
        reading: Default::default(),
        pages: vec![page(1, 0.032, 0.19, 2), page(2, 0.014, 0.077, 1)],
        flags: vec![
            flag(
                "ee52f7a72c",
                1,
                (3, 12, 60),
                ("Тетераном,", "Тегераном,", "Тегераном,"),
                Substitute,
                0.81,
                [40, 40, 80, 20],
                ("<script>alert(1)</script> учтенных ", " реформировали\nчетыре"),
                vec![
                    confident(),
                    evidence("lexicon", Scan, 2.5, "«Тетера» is not in the dictionary; the scan's «Тегера» is"),
                    evidence("resemblance", Transcript, -0.6, "т→г is a common OCR confusion"),
                    evidence("width", Scan, 0.0, "evidence the model gives no weight"),
                ],
            ),
            flag(
                "314ed3bf93",
                1,
                (5, 40, 130),
                ("Тетерана,", "Тегерана,", "Тегерана,"),
                Substitute,
                0.77,
                [200, 120, 70, 20],
                ("назначение командующего из ", " сдали Иранскому"),
                vec![confident()],
            ),
            flag(
                "937e241130",
                1,
                (7, 9, 190),
                ("", "43", " 43"),
                Delete,
                0.22,
                [330, 250, 30, 20],
                ("декабря 1946г. 40-41,42,", "\n\n22 CC VCP(b)"),
                vec![confident()],
            ),
            flag(
                "a1b2c3d4e5",
                2,
                (12, 1, 260),
                ("и", "", ""),
                Insert,
                0.08,
                [0, 0, 0, 0],
                ("частью Азербайджана ", " т.д."),
                vec![evidence(
                    "confidence",
                    Transcript,
                    -2.5,
                    "the scan has no word here; a faint word is often skipped",
                )],
            ),
            flag(
                "02cd58a472",
                2,
                (14, 17, 300),
                ("еже часно", "ежечасно", "ежечасно"),
                Split,
                0.83,
                [100, 60, 90, 20],
                ("a | b `code` **bold** ", " уменьшаться"),
                vec![evidence("lexicon", Scan, 1.8, "«ежечасно» is a word; «еже часно» is not | split")],
            ),
        ],
        untranscribed: vec![Untranscribed {
            page: 1,
            bbox: [20, 260, 120, 30].into(),
            ocr: "Stamp <b>RECEIVED</b>".into(),
        }],
        not_on_scans: vec![NotOnScans { start: 0, end: 38, preview: "**December 2, 1946** | header `x`".into() }],
        stats: Stats {
            pages: 3,
            transcript_words: 120,
            ocr_words: 60,
            cer: 0.027,
            wer: 0.14,
            flags_shown: 3,
            flags_total: 5,
            coverage: 0.9667,
            words_verified: 116,
            words_unverified: 4,
            words_not_on_scans: 7,
            flags_tolerated: 0,
        },
        failures: vec![PageFailure {
            page: 3,
            path: PathBuf::from("page-3.png"),
            error: "not a readable image: <truncated>".into(),
        }],
        translation_issues: Vec::new(),
        unverified: vec![Unverified {
            page: 2,
            start: 300,
            end: 330,
            line: 9,
            bbox: [40, 200, 300, 24].into(),
            words: 4,
            preview: "a <faint> line | the OCR read nothing".into(),
        }],
        lines: vec![TranscriptLine {
            line: 9,
            page: 2,
            start: 290,
            end: 330,
            bbox: [40, 200, 300, 24].into(),
            status: LineStatus::Unverified,
            words: 6,
            words_verified: 2,
        }],
        scan_lines: vec![ScanLine {
            page: 2,
            line: 5,
            bbox: [40, 200, 300, 24].into(),
            start: 290,
            end: 330,
            text: "the first words a faint line".into(),
            broken: false,
            status: LineStatus::Unverified,
            words: 6,
            words_verified: 2,
        }],
        shared: None,
    }
}

fn render(format: Format) -> String {
    let mut out = Vec::new();
    report::render(&fixture(), format, &TextStyle { colour: false }, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn csv_report() {
    insta::assert_snapshot!("csv", render(Format::Csv { bom: false }));
}

#[test]
fn csv_report_with_bom_for_excel() {
    let with = render(Format::Csv { bom: true });
    assert_eq!(with.strip_prefix('\u{feff}'), Some(render(Format::Csv { bom: false }).as_str()));
}

#[test]
fn csv_round_trips_every_flag() {
    let text = render(Format::Csv { bom: false });
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let review = fixture();
    assert_eq!(records.len(), review.flags.len());
    for (r, f) in records.iter().zip(&review.flags) {
        assert_eq!(&r[0], f.id);
        assert_eq!(&r[4], f.transcript);
        assert_eq!(&r[6], f.suggestion);
    }
}

#[test]
fn evidence_without_weight_is_kept_for_training_and_not_shown_to_people() {
    let unweighed = "evidence the model gives no weight";
    assert!(render(Format::Json).contains(unweighed));
    for format in [Format::Text, Format::Csv { bom: false }, Format::Markdown] {
        let text = render(format);
        assert!(!text.contains(unweighed), "{text}");
        assert!(text.contains("т→г is a common OCR confusion"), "{text}");
    }
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!("md", render(Format::Markdown));
}

#[test]
fn json_report() {
    let text = render(Format::Json);
    let back: Review = serde_json::from_str(&text).unwrap();
    assert_eq!(back, fixture());
    insta::assert_snapshot!("json", text);
}

/// A small grey page with dark bars where the words are, written as PNG.
fn write_page(dir: &Path) {
    let img = image::GrayImage::from_fn(400, 300, |x, y| {
        let in_word = (y % 40) > 10 && (y % 40) < 28 && (x % 60) > 8 && (x % 60) < 50;
        image::Luma([if in_word { 30 } else { 235 }])
    });
    img.save(dir.join("page-1.png")).unwrap();
}

fn render_html(base: &Path) -> String {
    let mut out = Vec::new();
    let opts = HtmlOptions { base: base.to_path_buf(), ..HtmlOptions::default() };
    report::html::render(&fixture(), &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

const JPEG_URI: &str = "data:image/jpeg;base64,";

/// The report with each data URI's payload replaced by "…", and the payloads.
fn redact(html: &str) -> (String, Vec<Vec<u8>>) {
    let mut out = String::new();
    let mut payloads = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(JPEG_URI) {
        let body = &rest[at + JPEG_URI.len()..];
        let end = body.find('"').expect("a closing quote");
        payloads.push(base64::engine::general_purpose::STANDARD.decode(&body[..end]).unwrap());
        out.push_str(&rest[..at + JPEG_URI.len()]);
        out.push('…');
        rest = &body[end..];
    }
    out.push_str(rest);
    (out, payloads)
}

#[test]
fn html_report() {
    let dir = tempfile::tempdir().unwrap();
    write_page(dir.path());
    let html = render_html(dir.path());
    let (redacted, payloads) = redact(&html);

    // Page 1 exists: its view, crops of its three placed flags and of its untranscribed run.
    // Page 2's image is missing: notes instead, and the insert flag has no place at all.
    assert_eq!(payloads.len(), 5);
    for p in &payloads {
        let img = image::load_from_memory_with_format(p, image::ImageFormat::Jpeg).unwrap();
        assert!(img.width() > 0 && img.height() > 0);
    }
    assert!(redacted.contains("scan not available (page-2.png)"));
    assert!(redacted.contains("no place on the scan"));

    // Text from the review is text: no element is made of it.
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<b>RECEIVED"));
    assert_eq!(html.matches("<script>").count(), 1, "only the report's own script");
    // Nothing is fetched from anywhere.
    assert!(!html.contains("http://") && !html.contains("https://"));

    // Two forms of one misspelt name are one group of two, under the pattern they share.
    assert!(redacted.contains("×2"));
    assert!(redacted.contains("Тетера…</span> → <span class=\"now\">Тегера…"));
    // One element per line, so that a change shows as a readable diff.
    insta::assert_snapshot!("html", redacted.replace("><", ">\n<"));
}

#[test]
fn html_report_without_any_page_image_still_renders() {
    let dir = tempfile::tempdir().unwrap();
    let html = render_html(dir.path());
    assert!(!html.contains(JPEG_URI));
    // Two page views, four placed flags, one untranscribed run, one unverified passage.
    assert_eq!(html.matches("scan not available").count(), 2 + 4 + 1 + 1);
    assert!(html.contains("no place on the scan"));
    assert!(html.contains("</html>"));
}

#[test]
fn report_subcommand_renders_a_saved_review_without_ocr() {
    let dir = tempfile::tempdir().unwrap();
    write_page(dir.path());
    std::fs::write(dir.path().join("review.json"), render(Format::Json)).unwrap();
    let run = |format: &str, extra: &[&str]| {
        let out = dir.path().join(format!("out.{format}"));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_scanproof"))
            .current_dir(dir.path())
            .args(["report", "review.json", "--format", format, "-o"])
            .arg(&out)
            .args(extra)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0), "scanproof report --format {format}");
        std::fs::read_to_string(out).unwrap()
    };
    assert_eq!(run("csv", &["--csv-bom"]), render(Format::Csv { bom: true }));
    assert_eq!(run("md", &[]), render(Format::Markdown));
    assert_eq!(run("json", &[]), render(Format::Json));
    // Page images are found relative to the folder it runs in, as `check` wrote them.
    assert_eq!(run("html", &[]), render_html(dir.path()));
}
