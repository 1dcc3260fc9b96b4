//! Shared helpers for the end-to-end tests on the sample: the known errors (a test fixture,
//! never a product input), how a flag is matched to one, and decisions that accept the flags
//! that are known errors.
#![allow(dead_code)] // each test file uses its own part of it

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scanproof"))
}

pub struct Known {
    pub page: u64,
    pub transcript: String,
}

pub fn known_errors() -> Vec<Known> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bagirov-1946-known-errors.tsv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Known { page: cols[0].parse().unwrap(), transcript: cols[1].to_string() }
        })
        .collect()
}

fn core(s: &str) -> String {
    s.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// As in tests/check_sample.rs: same page, and the flagged words are among the error's words
/// or the other way round.
pub fn matches(flag: &Value, k: &Known) -> bool {
    let words = |s: &str| s.split_whitespace().map(core).filter(|w| !w.is_empty()).collect::<Vec<_>>();
    let (f, e) = (words(flag["transcript"].as_str().unwrap()), words(&k.transcript));
    let within = |a: &[String], b: &[String]| !a.is_empty() && a.iter().all(|w| b.contains(w));
    flag["page"].as_u64() == Some(k.page) && (within(&f, &e) || within(&e, &f))
}

/// (known errors found, shown flags that are known errors, shown flags).
pub fn score(report: &Value) -> (usize, usize, usize) {
    let known = known_errors();
    let shown: Vec<&Value> = report["flags"].as_array().unwrap().iter().filter(|f| f["shown"] == true).collect();
    let found = known.iter().filter(|k| shown.iter().any(|f| matches(f, k))).count();
    let true_flags = shown.iter().filter(|f| known.iter().any(|k| matches(f, k))).count();
    (found, true_flags, shown.len())
}

/// Which known errors (by their place in the list) a report's shown flags find.
pub fn found_errors(report: &Value) -> Vec<usize> {
    let shown: Vec<&Value> = report["flags"].as_array().unwrap().iter().filter(|f| f["shown"] == true).collect();
    known_errors().iter().enumerate().filter(|(_, k)| shown.iter().any(|f| matches(f, k))).map(|(i, _)| i).collect()
}

/// A decisions file accepting every shown flag that is a known error (its suggestion), carrying
/// the spans so `apply` needs no report.
pub fn accept_known(report: &Value) -> (Value, Vec<Value>) {
    let known = known_errors();
    let accepted: Vec<Value> = report["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["shown"] == true && known.iter().any(|k| matches(f, k)))
        .cloned()
        .collect();
    let decisions: Vec<Value> = accepted
        .iter()
        .map(|f| {
            json!({"id": f["id"], "action": "accept", "reviewer": "ann", "at": "2024-05-02T10:00:00Z",
                   "page": f["page"], "line": f["line"], "start": f["start"], "end": f["end"],
                   "before": f["transcript"], "after": f["suggestion"]})
        })
        .collect();
    (json!({"version": 1, "transcript_sha256": report["transcript"]["sha256"], "decisions": decisions}), accepted)
}

/// Run `check` on the sample's scans with this transcript, through the OCR cache `cache`.
pub fn check(transcript: &Path, cache: &Path, out: &Path, extra: &[&str]) -> i32 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = bin()
        .current_dir(root)
        .arg("check")
        .arg(root.join("scans/bagirov-1946"))
        .arg("--transcript")
        .arg(transcript)
        .args(["--lang", "rus", "--format", "json", "--cache"])
        .arg(cache)
        .arg("-o")
        .arg(out)
        .args(extra)
        .status()
        .unwrap();
    status.code().unwrap()
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}
