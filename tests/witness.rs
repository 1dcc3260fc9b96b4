//! Issue 8: the sample's English translation as a second witness. Runs the real binary on the
//! recorded OCR of the sample (`--ocr-json`), and with the OCR taken out of the picture
//! (`--ocr-text` of the transcript itself), measured against the known transcription errors.

use serde_json::Value;
use std::process::Command;

const TRANSCRIPT: &str = "transcripts/bagirov-1946.txt";
const OCR_JSON: &str = "tests/fixtures/bagirov-1946/ocr.json";

fn check(extra: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_scanproof"))
        .args(["check", "--transcript", TRANSCRIPT, "--lang", "rus", "--format", "json", "--exit-zero"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn flags(review: &Value) -> Vec<&Value> {
    review["flags"].as_array().unwrap().iter().collect()
}

fn witness_evidence(flag: &Value) -> Vec<&Value> {
    flag["evidence"].as_array().unwrap().iter().filter(|e| e["kind"] == "witness").collect()
}

fn core(s: &str) -> String {
    s.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// The known errors (transcript text), in document order.
fn known_errors() -> Vec<String> {
    let text = std::fs::read_to_string("tests/fixtures/bagirov-1946-known-errors.tsv").unwrap();
    text.lines().skip(1).map(|l| l.split('\t').nth(1).unwrap().to_string()).collect()
}

/// How many known errors the shown flags find, and how many shown flags are no known error.
/// A flag matches an error when the words of one are among the words of the other («И.» in
/// «И. Д. Багиров»); each flag counts for one error, in document order (the two «мецлис»).
fn measure(review: &Value) -> (usize, usize, Vec<String>) {
    let shown: Vec<&Value> = flags(review).into_iter().filter(|f| f["shown"] == true).collect();
    let mut used = vec![false; shown.len()];
    let mut found = 0;
    for k in known_errors() {
        let words = |s: &str| -> Vec<String> { s.split_whitespace().map(core).filter(|w| !w.is_empty()).collect() };
        let known_words = words(&k);
        let hit = shown.iter().enumerate().position(|(i, f)| {
            let t = words(f["transcript"].as_str().unwrap());
            let within = |a: &[String], b: &[String]| !a.is_empty() && a.iter().all(|w| b.contains(w));
            !used[i] && (within(&t, &known_words) || within(&known_words, &t))
        });
        if let Some(i) = hit {
            used[i] = true;
            found += 1;
        }
    }
    let false_flags: Vec<String> = shown
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(f, _)| f["transcript"].as_str().unwrap().to_string())
        .collect();
    (found, false_flags.len(), false_flags)
}

#[test]
fn issue8_the_translation_speaks_where_the_transcript_is_wrong() {
    let review = check(&["--ocr-json", OCR_JSON]);
    let all = flags(&review);
    let carrying = |word: &str| {
        all.iter().filter(|f| f["transcript"].as_str().unwrap().contains(word)).any(|f| !witness_evidence(f).is_empty())
    };
    for word in ["десяти-месячной", "Саадиева", "И.", "Пашевери", "Пале ган", "Джавил", "Хансе", "мецлис", "эндумен"]
    {
        assert!(carrying(word), "«{word}» carries no witness evidence");
    }
    // Both «мецлис».
    assert_eq!(all.iter().filter(|f| f["transcript"] == "мецлис" && !witness_evidence(f).is_empty()).count(), 2);
    for word in ["Деканозова", "Шабустари", "Зенджан", "Кавам", "Тегерана"] {
        for f in all.iter().filter(|f| core(f["transcript"].as_str().unwrap()) == word) {
            assert!(witness_evidence(f).is_empty(), "correct «{word}» carries witness evidence: {f}");
        }
    }
    // The note quotes the translated passage, and the suggestion is the scan's or the witness's form.
    let javid = all.iter().find(|f| f["transcript"].as_str().unwrap().contains("Джавил")).unwrap();
    let note = witness_evidence(javid)[0]["note"].as_str().unwrap();
    assert!(note.contains("Javid") && note.contains("Shabustari"), "{note}");
    assert!(javid["suggestion"].as_str().unwrap().contains("Джавид"), "{javid}");
}

#[test]
fn issue8_translation_issues_are_listed_for_the_translators() {
    let review = check(&["--ocr-json", OCR_JSON]);
    let issues = review["translation_issues"].as_array().expect("translation issues");
    // The translation writes "Zanzan" where the scan and the transcript read «Зенджан».
    assert!(
        issues.iter().any(|i| i["translation"] == "Zanzan" && i["original"].as_str().unwrap().starts_with("Зенджан")),
        "{issues:?}"
    );
    let text = std::fs::read_to_string(TRANSCRIPT).unwrap();
    let chars: Vec<char> = text.chars().collect();
    for i in issues {
        let at = |a: &str, b: &str| -> String {
            chars[i[a].as_u64().unwrap() as usize..i[b].as_u64().unwrap() as usize].iter().collect()
        };
        assert_eq!(core(&at("start", "end")), core(i["original"].as_str().unwrap()), "{i}");
        assert_eq!(at("translation_start", "translation_end"), i["translation"].as_str().unwrap(), "{i}");
    }
    // And the text report shows them.
    let out = Command::new(env!("CARGO_BIN_EXE_scanproof"))
        .args(["check", "--ocr-json", OCR_JSON, "--transcript", TRANSCRIPT, "--lang", "rus", "--exit-zero"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("translation") && text.contains("Zanzan"), "{text}");
}

#[test]
fn issue8_the_witness_alone_flags_known_errors_without_false_flags() {
    // The transcript as its own OCR: the scan adds nothing, every flag is the witness's.
    let review = check(&["--ocr-text", TRANSCRIPT]);
    let (found, false_flags, which) = measure(&review);
    eprintln!("witness alone: {found} of 24 known errors, {false_flags} false flag(s) {which:?}");
    assert!(found >= 6, "the witness alone found {found} known errors");
    assert_eq!(false_flags, 0, "false flags: {which:?}");
    for f in flags(&review).iter().filter(|f| f["shown"] == true) {
        assert!(!witness_evidence(f).is_empty(), "{f}");
        assert_ne!(f["suggestion"], f["transcript"], "{f}");
    }
}

#[test]
fn issue8_precision_and_recall_with_and_without_the_witness() {
    let with = check(&["--ocr-json", OCR_JSON]);
    let without = check(&["--ocr-json", OCR_JSON, "--no-witness"]);
    let (f1, x1, w1) = measure(&with);
    let (f0, x0, w0) = measure(&without);
    let pr =
        |found: usize, false_flags: usize| (found as f64 / (found + false_flags).max(1) as f64, found as f64 / 24.0);
    let ((p1, r1), (p0, r0)) = (pr(f1, x1), pr(f0, x0));
    eprintln!("without witness: {f0}/24 found, {x0} false {w0:?}: precision {p0:.2}, recall {r0:.2}");
    eprintln!("with witness:    {f1}/24 found, {x1} false {w1:?}: precision {p1:.2}, recall {r1:.2}");
    assert!(f1 >= f0 && x1 <= x0, "the witness must not cost recall or precision");
    assert!(f1 > f0, "the witness adds known errors");
    assert!(flags(&without).iter().all(|f| witness_evidence(f).is_empty()));
    assert!(without.get("translation_issues").is_none());
}

#[test]
fn issue8_a_translation_in_its_own_file() {
    // The sample split in two: the transcript without its translation, and the translation.
    let text = std::fs::read_to_string(TRANSCRIPT).unwrap();
    let at = text.find("CC VCP(b) to Cde. Stalin").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (original, translation) = (dir.path().join("original.txt"), dir.path().join("translation.txt"));
    std::fs::write(&original, &text[..at]).unwrap();
    std::fs::write(&translation, &text[at..]).unwrap();
    let run = |extra: &[&str]| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_scanproof"))
            .args(["check", "--ocr-json", OCR_JSON, "--lang", "rus", "--format", "json", "--exit-zero", "--transcript"])
            .arg(&original)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let none = run(&[]);
    assert!(flags(&none).iter().all(|f| witness_evidence(f).is_empty()), "no translation, no witness");
    let arg = format!("{}:eng", translation.display());
    let given = run(&["--witness", &arg]);
    let javid = flags(&given).into_iter().find(|f| f["transcript"].as_str().unwrap().contains("Джавил")).unwrap();
    let note = witness_evidence(javid)[0]["note"].as_str().unwrap().to_string();
    assert!(note.contains("translation.txt") && note.contains("Javid"), "{note}");
    // A witness file that is not there is an error (exit status 2).
    let out = Command::new(env!("CARGO_BIN_EXE_scanproof"))
        .args([
            "check",
            "--ocr-json",
            OCR_JSON,
            "--lang",
            "rus",
            "--transcript",
            TRANSCRIPT,
            "--witness",
            "no/such/file.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
