//! Issue 12: a collection's own reviews refine the model. The sample is checked on its recorded
//! OCR (`--ocr-json`, so this runs without Tesseract: what is tested here is the learning, not
//! the reading); a reviewer rejects every flag of one kind of place; `scanproof train
//! --refine default` learns from those decisions; checked again with the refined model, the
//! same kind of place scores lower, and the model file says how it was made.

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

const OCR_JSON: &str = "tests/fixtures/bagirov-1946/ocr.json";
const TRANSCRIPT: &str = "transcripts/bagirov-1946.txt";

fn scanproof(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scanproof")).args(args).output().unwrap()
}

fn check(out: &Path, model: Option<&Path>) -> Value {
    let mut args =
        vec!["check", "--ocr-json", OCR_JSON, "-t", TRANSCRIPT, "--lang", "rus", "--exit-zero", "-f", "json"];
    let out_s = out.to_str().unwrap().to_string();
    args.extend(["-o", &out_s]);
    let model_s;
    if let Some(m) = model {
        model_s = m.to_str().unwrap().to_string();
        args.extend(["--model", &model_s]);
    }
    let o = scanproof(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

/// Flags that carry feature `kind.name`, by id, with their scores.
fn scores_with(report: &Value, kind: &str, name: &str) -> Vec<(String, f64)> {
    report["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["evidence"].as_array().unwrap().iter().any(|e| e["kind"] == kind && e["features"][name].is_number())
        })
        .map(|f| (f["id"].as_str().unwrap().to_string(), f["score"].as_f64().unwrap()))
        .collect()
}

#[test]
fn issue12_a_model_refined_on_decisions_scores_that_kind_of_place_differently() {
    let dir = tempfile::tempdir().unwrap();
    let first = check(&dir.path().join("r1.json"), None);
    // The kind of place: both readings are dictionary words. This reviewer rejects them all.
    let place = scores_with(&first, "lexicon", "both_known");
    assert!(place.len() >= 3, "the sample has such places: {place:?}");
    let decisions = json!({
        "version": 1,
        "transcript_sha256": first["transcript"]["sha256"],
        "decisions": place.iter().map(|(id, _)| json!({
            "id": id, "action": "reject", "reviewer": "test", "at": "2026-11-28T12:00:00Z"
        })).collect::<Vec<_>>(),
    });
    let decided = dir.path().join("decisions.json");
    std::fs::write(&decided, serde_json::to_vec_pretty(&decisions).unwrap()).unwrap();
    let model = dir.path().join("refined.json");
    let report = dir.path().join("r1.json");
    let o = scanproof(&[
        "train",
        "--refine",
        "default",
        "--report",
        report.to_str().unwrap(),
        "--decisions",
        decided.to_str().unwrap(),
        "-o",
        model.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: Value = serde_json::from_slice(&std::fs::read(&model).unwrap()).unwrap();
    assert!(m["provenance"]["command"].as_str().unwrap().contains("--refine default"), "{}", m["provenance"]);
    assert_eq!(m["provenance"]["refined_with"].as_array().unwrap().len(), 1);

    let second = check(&dir.path().join("r2.json"), Some(&model));
    let after: std::collections::HashMap<String, f64> =
        scores_with(&second, "lexicon", "both_known").into_iter().collect();
    let (mut before_sum, mut after_sum, mut n) = (0.0, 0.0, 0);
    for (id, s) in &place {
        if let Some(a) = after.get(id) {
            before_sum += s;
            after_sum += a;
            n += 1;
        }
    }
    assert!(n >= 3, "the same places are found again");
    eprintln!(
        "mean score of the rejected kind of place: {:.3} -> {:.3} ({n} flags)",
        before_sum / n as f64,
        after_sum / n as f64
    );
    assert!(after_sum / (n as f64) < before_sum / (n as f64) - 0.05, "{before_sum} -> {after_sum}");

    // Bad input: a report without the decisions' partner is a usage error, exit status 2.
    let o = scanproof(&["train", "--report", report.to_str().unwrap(), "-o", model.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let o = scanproof(&["check", "--ocr-json", OCR_JSON, "-t", TRANSCRIPT, "--model", TRANSCRIPT]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bagirov-1946.txt"), "the message names the file");
}
