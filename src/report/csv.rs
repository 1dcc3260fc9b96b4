//! CSV report: a `Review` in, one UTF-8 row per flag (shown or not) out, for spreadsheets.
//! Optionally a byte-order mark first, which Excel needs to read UTF-8 as such.

use crate::types::{DiscrepancyKind, Favours, Flag, Review};
use serde::Serialize;
use std::io::{self, Write};

const HEADER: [&str; 13] = [
    "id",
    "page",
    "line",
    "column",
    "transcript",
    "ocr",
    "suggestion",
    "kind",
    "problem",
    "rule",
    "score",
    "shown",
    "evidence",
];

/// One flag; the fields in the order of `HEADER`.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    page: usize,
    line: usize,
    column: usize,
    transcript: &'a str,
    ocr: &'a str,
    suggestion: &'a str,
    kind: DiscrepancyKind,
    problem: &'static str,
    rule: &'static str,
    score: f32,
    shown: bool,
    evidence: String,
}

/// The evidence in one cell: "kind: note (+0.72)" joined by "; ". It opens with a word, never
/// with `=`, `+` or `-`, so no spreadsheet takes it for a formula.
pub fn evidence_summary(flag: &Flag) -> String {
    flag.evidence
        .iter()
        .filter(|e| e.counted())
        .map(|e| {
            let sign = match e.favours {
                Favours::Scan => '+',
                Favours::Transcript => '-',
            };
            format!("{}: {} ({sign}{:.2})", e.kind, e.note, e.weight.abs())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn render(review: &Review, bom: bool, out: &mut dyn Write) -> io::Result<()> {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    // The header is written by hand so that a review without flags still has one.
    let mut w = ::csv::WriterBuilder::new().has_headers(false).from_writer(out);
    w.write_record(HEADER).map_err(io::Error::other)?;
    for f in &review.flags {
        w.serialize(Row {
            id: &f.id,
            page: f.page,
            line: f.line,
            column: f.column,
            transcript: &f.transcript,
            ocr: &f.ocr,
            suggestion: &f.suggestion,
            kind: f.kind,
            problem: f.problem.slug(),
            rule: f.rule.name(),
            score: f.score,
            shown: f.shown,
            evidence: evidence_summary(f),
        })
        .map_err(io::Error::other)?;
    }
    w.flush()
}
