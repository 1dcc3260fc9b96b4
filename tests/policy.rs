//! Issue 14, end to end with the real binary and real Tesseract on a page the renderer types
//! (an English letter, not from `../shared`, never trained on): a line the transcriber skipped
//! is one `omitted-line` flag, a capital changed is a `case` flag, a dropped word an
//! `omitted-word` flag; under a normalized policy stated in a `scanproof.toml` beside the
//! transcript the case flag is not shown and nothing else changes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const TEXT: &str = "Dear Mr. Smith,

I have the honour to inform you that the committee met on the ninth of May and resolved to \
extend the support of the emergency fund to the families named in the enclosed list. The \
secretary will write again when the arrangements are complete, and the treasurer will send \
the accounts of the last quarter to every member before the next meeting of the board.

Meanwhile we should be grateful for any information about the transport of the children and \
their accommodation in the homes of the district, and about the schools they will attend \
during the winter months.

Yours faithfully,
";

/// Type TEXT onto one page; the page image and its text as laid out (one line per line).
fn render(dir: &Path) -> (PathBuf, String) {
    let src = dir.join("letter.txt");
    std::fs::write(&src, TEXT).unwrap();
    let out = dir.join("out");
    let args =
        ["--style", "fixed", "--ink", "normal", "--strength", "1", "--page", "a4", "--dpi", "200", "--seed", "3"];
    let st =
        Command::new(env!("CARGO_BIN_EXE_render-pages")).arg(&src).arg("-o").arg(&out).args(args).output().unwrap();
    assert!(st.status.success(), "render-pages failed: {}", String::from_utf8_lossy(&st.stderr));
    assert!(!out.join("letter_02.png").exists(), "the letter fits one page");
    (out.join("letter_01.png"), std::fs::read_to_string(out.join("letter_01.txt")).unwrap())
}

fn check(scan: &Path, transcript: &Path) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("issue14-ocr-cache");
    let out = Command::new(env!("CARGO_BIN_EXE_scanproof"))
        .arg("check")
        .arg(scan)
        .arg("--transcript")
        .arg(transcript)
        .args(["--lang", "eng", "--format", "json", "--cache"])
        .arg(cache)
        .arg("-o")
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "check failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap()
}

fn shown(report: &Value) -> Vec<&Value> {
    report["flags"].as_array().unwrap().iter().filter(|f| f["shown"] == true).collect()
}

#[test]
fn issue14_omitted_line_case_and_word_then_a_normalized_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let (scan, page) = render(tmp.path());
    let lines: Vec<&str> = page.lines().collect();
    // An interior line of the first paragraph with enough words to be a line, not a word.
    let skip = (3..lines.len() - 3)
        .find(|&i| lines[i].split_whitespace().count() >= 8 && !lines[i - 1].is_empty() && !lines[i + 1].is_empty())
        .expect("a long interior line");
    let skipped = lines[skip];
    let kept: Vec<String> = lines.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| l.to_string()).collect();
    let text = kept.join("\n");
    assert!(text.contains(" district, "), "{text}");
    let text = text.replacen(" district, ", " District, ", 1).replacen(" about the schools ", " about schools ", 1);
    let dir = tmp.path().join("edition");
    std::fs::create_dir(&dir).unwrap();
    let transcript = dir.join("letter.txt");
    std::fs::write(&transcript, format!("{text}\n")).unwrap();

    let diplomatic = check(&scan, &transcript);
    assert_eq!(diplomatic["policy"]["preset"], "diplomatic");
    let flags = shown(&diplomatic);
    let line = flags
        .iter()
        .find(|f| f["problem"] == "omitted-line")
        .unwrap_or_else(|| panic!("no omitted-line flag for «{skipped}»: {flags:#?}"));
    let words = |s: &str| {
        s.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).collect::<Vec<_>>()
    };
    assert_eq!(words(line["ocr"].as_str().unwrap()), words(skipped), "the flag reads the skipped line");
    assert_eq!(flags.iter().filter(|f| f["problem"] == "omitted-line").count(), 1, "one flag for the line: {flags:#?}");
    let untranscribed = diplomatic["untranscribed"].as_array().unwrap();
    assert!(
        untranscribed.iter().all(|u| !u["ocr"].as_str().unwrap().contains(skipped.split_whitespace().nth(2).unwrap()))
            || untranscribed.is_empty(),
        "the line is reported once, as the flag: {untranscribed:#?}"
    );
    let case = flags.iter().find(|f| f["problem"] == "case").unwrap_or_else(|| panic!("no case flag: {flags:#?}"));
    assert_eq!((case["transcript"].as_str().unwrap(), case["rule"].as_str().unwrap()), ("District,", "case"));
    let word = flags
        .iter()
        .find(|f| f["problem"] == "omitted-word")
        .unwrap_or_else(|| panic!("no omitted-word flag: {flags:#?}"));
    assert_eq!(word["ocr"], "the");

    // The collection's policy, stated once beside the transcript.
    std::fs::write(dir.join("scanproof.toml"), "[policy]\npreset = \"normalized\"\n").unwrap();
    let normalized = check(&scan, &transcript);
    assert_eq!(normalized["policy"]["preset"], "normalized");
    assert!(shown(&normalized).iter().all(|f| f["rule"] == "text"), "only text counts: {:#?}", shown(&normalized));
    let ids = |r: &Value, text_only: bool| {
        let mut v: Vec<String> = shown(r)
            .into_iter()
            .filter(|f| !text_only || f["rule"] == "text")
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&normalized, false), ids(&diplomatic, true), "nothing else changes");
    assert!(normalized["stats"]["flags_tolerated"].as_u64().unwrap() >= 1);

    // A bad scanproof.toml is an input error that names the file and what is wrong.
    let bad = dir.join("scanproof.toml");
    std::fs::write(&bad, "[policy]\npreset = \"lenient\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_scanproof"))
        .arg("check")
        .arg(&scan)
        .arg("--transcript")
        .arg(&transcript)
        .args(["--lang", "eng"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("scanproof.toml") && err.contains("lenient"), "{err}");
}
