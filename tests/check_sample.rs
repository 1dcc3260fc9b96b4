//! End to end, issue 2: the real binary with real Tesseract on the bundled sample scans,
//! measured against the known transcription errors (a test fixture, never a product input).

use serde_json::Value;
use std::path::Path;

#[path = "common/sample.rs"]
mod sample;
use sample::{bin, known_errors, matches};

fn run_sample(extra: &[&str]) -> (Value, i32) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let status = bin()
        .args(["check", "scans/bagirov-1946", "--transcript", "transcripts/bagirov-1946.txt", "--lang", "rus"])
        // Real Tesseract every time: no OCR cache.
        .args(["--no-cache", "--format", "json", "-o"])
        .arg(&out)
        .args(extra)
        .status()
        .unwrap();
    let report: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    (report, status.code().unwrap())
}

#[test]
fn issue2_sample_flags_known_errors_with_precision() {
    let (report, code) = run_sample(&[]);
    assert_eq!(code, 1, "flags shown means exit status 1");
    let known = known_errors();
    assert_eq!(known.len(), 24);
    let shown: Vec<&Value> = report["flags"].as_array().unwrap().iter().filter(|f| f["shown"] == true).collect();
    let found = known.iter().filter(|k| shown.iter().any(|f| matches(f, k))).count();
    let true_flags = shown.iter().filter(|f| known.iter().any(|k| matches(f, k))).count();
    let precision = true_flags as f64 / shown.len().max(1) as f64;
    eprintln!("sample: {found}/24 known errors flagged; {true_flags} of {} shown flags are known errors", shown.len());
    for f in &shown {
        eprintln!("  shown: p{} {} -> {} ({})", f["page"], f["transcript"], f["ocr"], f["score"]);
    }
    // The default model is trained on other pages (never these scans) and scores these as it
    // would any unseen document: 24 of 24 at precision 0.96 when it was committed (stop 29;
    // 23 before, «феодал» for «федаи» at 0.30, which the word-family evidence below lifts).
    assert!(found >= 24, "recall: only {found} of 24 known errors flagged");
    assert!(precision >= 0.9, "precision {precision:.2} below 0.9");

    // A lower --min-score shows more flags, with the same scores (second readings included).
    let (all, _) = run_sample(&["--min-score", "0"]);
    let all = all["flags"].as_array().unwrap();
    assert!(all.len() >= shown.len());
    for f in report["flags"].as_array().unwrap() {
        let same = all.iter().find(|g| g["id"] == f["id"]).expect("every flag is there at --min-score 0");
        assert_eq!(same["score"], f["score"], "{}", f["transcript"]);
    }

    // The two the issue names, with the scan's readings.
    let by_word = |w: &str| shown.iter().find(|f| f["transcript"].as_str().unwrap().contains(w)).copied();
    let f = by_word("обзоружена").expect("«обзоружена» is flagged");
    assert!(f["suggestion"].as_str().unwrap().contains("обезоружена"), "{f}");
    // «феодал» is a word, two letters from the scan's «федаи», which no dictionary knows: the
    // translation's «fedai» and the transcript's own «федая» on page 1 (another form of the
    // scan's word; `consistency.scan_family`) say the scan is right.
    let f = by_word("феодал").expect("«феодал» is flagged");
    assert!(f["ocr"].as_str().unwrap().contains("федаи"), "{f}");
    let kinds: Vec<&Value> = f["evidence"].as_array().unwrap().iter().map(|e| &e["kind"]).collect();
    assert!(kinds.contains(&&Value::from("witness")) && kinds.contains(&&Value::from("consistency")), "{f}");

    // What the scans' letters and blanks say, measured on the real readings (stop 37): «горно»
    // where Tesseract reads «гордо», as sure as it gets of «д»; «1444.» where the scan shows
    // the page's space in «144 4.»; «допустить» where the OCR broke the word at a narrow blank.
    let feature = |word: &str, kind: &str, name: &str| -> Option<f64> {
        let f =
            report["flags"].as_array().unwrap().iter().find(|f| f["transcript"].as_str().unwrap().starts_with(word))?;
        let e = f["evidence"].as_array().unwrap().iter().find(|e| e["kind"] == kind)?;
        e["features"][name].as_f64()
    };
    assert_eq!(feature("горно", "alternatives", "firm"), Some(1.0));
    assert_eq!(feature("горно", "lexicon", "both_known_firm"), Some(1.0));
    assert_eq!(feature("1444", "width", "gap_space"), Some(1.0));
    assert_eq!(feature("допустить", "width", "gap_narrow"), Some(1.0));
    assert_eq!(feature("допустить", "width", "gap_space"), None);

    // Header and translation are reported once as not on the scans, and never flagged.
    let nos = report["not_on_scans"].as_array().unwrap();
    assert!(nos.len() >= 2, "{nos:?}");
    let text = std::fs::read_to_string("transcripts/bagirov-1946.txt").unwrap();
    let chars: Vec<char> = text.chars().collect();
    let span = |v: &Value| -> String {
        chars[v["start"].as_u64().unwrap() as usize..v["end"].as_u64().unwrap() as usize].iter().collect()
    };
    assert!(nos.iter().any(|n| span(n).contains("Citation")), "the citation header is not on the scans");
    assert!(
        nos.iter().any(|n| span(n).contains("In accordance with the cipher telegram")),
        "the translation is not on the scans"
    );
    for f in report["flags"].as_array().unwrap() {
        let (s, e) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
        for n in nos {
            let (ns, ne) = (n["start"].as_u64().unwrap(), n["end"].as_u64().unwrap());
            assert!(e <= ns || s >= ne, "flag {f} lies in a region not on the scans");
        }
    }

    // The JSON contract.
    assert_eq!(report["version"], 1);
    assert_eq!(report["pages"].as_array().unwrap().len(), 5);
    assert_eq!(report["stats"]["pages"], 5);
    assert!(report["transcript"]["sha256"].as_str().unwrap().len() == 64);
    let f = &shown[0];
    for key in [
        "id",
        "page",
        "line",
        "column",
        "start",
        "end",
        "transcript",
        "ocr",
        "suggestion",
        "kind",
        "score",
        "bbox",
        "evidence",
    ] {
        assert!(!f[key].is_null(), "flag field {key} missing: {f}");
    }
    assert_eq!(f["bbox"].as_array().unwrap().len(), 4);
    // Offsets are code points: the flagged text is at its span.
    for f in &shown {
        assert_eq!(span(f), f["transcript"].as_str().unwrap(), "span of {f}");
    }
    let cer = report["stats"]["cer"].as_f64().unwrap();
    eprintln!("Tesseract CER on the sample against the transcript: {:.2}%", cer * 100.0);
}

#[test]
fn issue2_text_report_and_exit_zero() {
    let out = bin()
        .args([
            "check",
            "scans/bagirov-1946/page-4.png",
            "--transcript",
            "transcripts/bagirov-1946.txt",
            "--lang",
            "rus",
            "--exit-zero",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "--exit-zero");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("page 1"), "grouped by page: {text}");
    assert!(text.contains("обезоружена"), "{text}");
    assert!(!text.contains("\x1b["), "no colour when not on a terminal");
    assert!(Path::new("transcripts/bagirov-1946.txt").exists());
}

/// A page with small type (the sample's first page shrunk to a 96 dpi web copy, letters about
/// 8 px high) is enlarged before OCR: the words are read nearly as well as at full size (at
/// 300 dpi as it is, Tesseract found 87% of the words here), and their boxes come back in the
/// small page's own pixels.
#[test]
fn issue3_small_type_is_enlarged_before_ocr() {
    let dir = tempfile::tempdir().unwrap();
    let page = image::open("scans/bagirov-1946/page-1.png").unwrap().into_luma8();
    let (w, h) = (page.width() * 32 / 100, page.height() * 32 / 100);
    let small = image::imageops::resize(&page, w, h, image::imageops::FilterType::Lanczos3);
    let path = dir.path().join("small.png");
    small.save(&path).unwrap();
    let out = dir.path().join("ocr.json");
    let status = bin().args(["ocr", "--lang", "rus", "-o"]).arg(&out).arg(&path).status().unwrap();
    assert!(status.success());
    let pages: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let words = pages[0]["words"].as_array().unwrap();
    for word in words {
        let b: Vec<u64> = word["bbox"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        assert!(b[0] + b[2] <= w as u64 && b[1] + b[3] <= h as u64, "box outside the page: {word}");
    }
    let key = |s: &str| s.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let read: std::collections::HashSet<String> = words.iter().map(|w| key(w["text"].as_str().unwrap())).collect();
    let reading = std::fs::read_to_string("tools/sample/bagirov-1946/page-1.txt").unwrap();
    let truth: Vec<String> = reading.split_whitespace().map(key).filter(|k| !k.is_empty()).collect();
    let found = truth.iter().filter(|k| read.contains(*k)).count() as f64 / truth.len() as f64;
    eprintln!("small type: {:.1}% of the page's words read", found * 100.0);
    assert!(found >= 0.92, "only {:.1}% of the words read on the small page", found * 100.0);
}
