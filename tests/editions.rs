//! End to end, issue 15: the sample as a TEI edition and as a Word document (made from the
//! published transcription by tools/sample_tei.py and tools/sample_docx.py) against its scans,
//! and its scans served over IIIF (`iiif`), with the real binary and real Tesseract (the sample's
//! pages are read once, into an OCR cache the tests share, by a check of the text transcript).
//! TEI, Word and IIIF find the same known errors as that text check (all 24 when it finds them
//! all: the tests follow the scoring model rather than fix its recall). TEI: apply writes valid
//! TEI (jing, against the customization in tests/fixtures/tei) whose only changes are the
//! accepted <choice>s and the <change> recording them. Word: LibreOffice shows exactly the
//! accepted corrections as tracked changes, and accepting them gives the corrected text.

#[path = "common/sample.rs"]
mod sample;

#[path = "editions/iiif.rs"]
mod iiif;

use sample::{accept_known, bin, check, read_json, score};
use scanproof::formats::tei::differing_core;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// `apply` the decisions accepting the report's known-error flags to `transcript`, written to
/// `out`; the accepted flags and the decisions file.
fn apply_known(report: &Value, transcript: &Path, out: &Path) -> (Vec<Value>, PathBuf) {
    let (decisions, accepted) = accept_known(report);
    let decisions_path = out.with_extension("decisions.json");
    std::fs::write(&decisions_path, serde_json::to_vec(&decisions).unwrap()).unwrap();
    let status = bin()
        .args(["apply", "--transcript"])
        .arg(transcript)
        .arg("--decisions")
        .arg(&decisions_path)
        .arg("-o")
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
    (accepted, decisions_path)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

struct Shared {
    _dir: tempfile::TempDir,
    cache: PathBuf,
    /// The text transcript's report, the reference for the other formats.
    text: Value,
}

/// One OCR of the sample's scans (real Tesseract), kept in a cache folder for every test, by a
/// check of the text transcript.
fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let (out, cache) = (dir.path().join("text.json"), dir.path().join("ocr"));
        let text = Path::new(env!("CARGO_MANIFEST_DIR")).join("transcripts/bagirov-1946.txt");
        assert_eq!(check(&text, &cache, &out, &[]), 1);
        Shared { text: read_json(&out), cache, _dir: dir }
    })
}

pub(crate) fn ocr_cache() -> &'static Path {
    &shared().cache
}

/// The known errors a report finds must be those the text transcript's report finds (all 24
/// when the scoring finds them all), at the same precision or better.
pub(crate) fn assert_finds_what_the_text_finds(report: &Value, what: &str) {
    let text = &shared().text;
    let (found, true_flags, shown) = score(report);
    let (text_found, text_true, text_shown) = score(text);
    eprintln!("{what}: {found}/24 known errors flagged; {true_flags} of {shown} shown flags are known errors (text: {text_found}/24, {text_true} of {text_shown})");
    assert_eq!(
        sample::found_errors(report),
        sample::found_errors(text),
        "{what} finds the known errors the text finds"
    );
    assert!(found >= 18, "{what}: recall");
    assert!(
        true_flags * text_shown >= text_true * shown,
        "{what}: precision {true_flags}/{shown} below the text's {text_true}/{text_shown}"
    );
}

/// Each correction as the writers put it: the differing words of before and after.
fn cores(accepted: &[Value]) -> Vec<(String, String)> {
    accepted
        .iter()
        .map(|f| {
            let (b, a) = (f["transcript"].as_str().unwrap(), f["suggestion"].as_str().unwrap());
            let (ob, oe, nb, ne) = differing_core(b, a);
            (b.chars().skip(ob).take(oe - ob).collect(), a.chars().skip(nb).take(ne - nb).collect())
        })
        .collect()
}

/// The text of `original` with the accepted flags' suggestions put in.
fn corrected(original: &str, accepted: &[Value]) -> String {
    let mut chars: Vec<char> = original.chars().collect();
    let mut spans: Vec<(usize, usize, &str)> = accepted
        .iter()
        .map(|f| {
            (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
                f["suggestion"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (a, b, new) in spans {
        chars.splice(a..b, new.chars());
    }
    chars.into_iter().collect()
}

fn jing(schema: &Path, doc: &Path) -> (bool, String) {
    let out = Command::new("jing")
        .arg("-c")
        .arg(schema)
        .arg(doc)
        .output()
        .expect("jing runs (Debian package jing; scripts/setup.sh installs it)");
    let msg = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), msg.lines().filter(|l| !l.contains("[warning]")).collect::<Vec<_>>().join("\n"))
}

#[test]
fn issue15_tei_sample_finds_the_known_errors_and_apply_writes_valid_choices() {
    let dir = tempfile::tempdir().unwrap();
    let tei = fixture("bagirov-1946/bagirov-1946.tei.xml");
    let schema = fixture("tei/scanproof-tei.rnc");
    let (valid, msg) = jing(&schema, &tei);
    assert!(valid, "the TEI fixture is valid: {msg}");

    let report_path = dir.path().join("tei.json");
    assert_eq!(check(&tei, ocr_cache(), &report_path, &[]), 1);
    let report = read_json(&report_path);
    assert_finds_what_the_text_finds(&report, "TEI");
    // Pages are named by their <pb n>.
    let labels: Vec<&str> = report["pages"].as_array().unwrap().iter().map(|p| p["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["1", "2", "3", "4", "5"]);
    // Line and column point into the TEI file.
    let source = std::fs::read_to_string(&tei).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    for f in report["flags"].as_array().unwrap().iter().filter(|f| f["shown"] == true) {
        let (line, col) = (f["line"].as_u64().unwrap() as usize, f["column"].as_u64().unwrap() as usize);
        let first = f["transcript"].as_str().unwrap().split_whitespace().next().unwrap_or("");
        let at: String = lines[line - 1].chars().skip(col - 1).collect();
        assert!(at.starts_with(first), "flag {} at {line}:{col} reads {at:?}", f["transcript"]);
    }

    // With no scans given, its <pb facs> name them: the same flags.
    let named_path = dir.path().join("named.json");
    let code = bin()
        .args(["check", "--transcript"])
        .arg(&tei)
        .args(["--lang", "rus", "--format", "json", "--cache"])
        .arg(ocr_cache())
        .arg("-o")
        .arg(&named_path)
        .status()
        .unwrap()
        .code();
    assert_eq!(code, Some(1));
    let named = read_json(&named_path);
    assert_eq!((&named["flags"], &named["stats"]), (&report["flags"], &report["stats"]));
    assert!(named["pages"][0]["path"].as_str().unwrap().ends_with("scans/bagirov-1946/page-1.png"));

    // Apply: accept the known errors.
    let out = dir.path().join("corrected.tei.xml");
    let (accepted, decisions_path) = apply_known(&report, &tei, &out);
    let written = std::fs::read_to_string(&out).unwrap();
    let (valid, msg) = jing(&schema, &out);
    assert!(valid, "the corrected TEI is valid: {msg}");

    // The only changes: one <choice> per accepted correction, and one <change>.
    let choice = regex_lite(&written);
    let wanted = cores(&accepted);
    let mut got: Vec<(String, String)> = choice.iter().map(|(_, sic, corr)| (sic.clone(), corr.clone())).collect();
    let mut want = wanted.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want, "each accepted correction is one choice of sic and corr");
    let mut undone = written.clone();
    for (whole, sic, _) in choice.iter().rev() {
        let at = undone.rfind(whole.as_str()).unwrap();
        undone.replace_range(at..at + whole.len(), sic);
    }
    let change_at =
        undone.find("\n      <change when=\"2024-05-02T10:00:00Z\" who=\"#ann\">scanproof:").expect("the change");
    let change_end = undone[change_at..].find("</change>").unwrap() + change_at + "</change>".len();
    undone.replace_range(change_at..change_end, "");
    assert_eq!(undone, source, "nothing else changed");

    // Read again, the edition shows the corrected text (the choices read as their corr).
    let before = scanproof::formats::read_text(&tei).unwrap().text;
    let after = scanproof::formats::read_text(&out).unwrap().text;
    assert_eq!(after, corrected(&before, &accepted));
    // A second apply on the corrected file finds everything done.
    let again = bin()
        .args(["apply", "--in-place", "--transcript"])
        .arg(&out)
        .arg("--decisions")
        .arg(&decisions_path)
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written, "a second apply changes nothing");

    // --tei-mode replace: the text replaced in place, still valid.
    let replaced = dir.path().join("replaced.tei.xml");
    let status = bin()
        .args(["apply", "--tei-mode", "replace", "--transcript"])
        .arg(&tei)
        .arg("--decisions")
        .arg(&decisions_path)
        .arg("-o")
        .arg(&replaced)
        .status()
        .unwrap();
    assert!(status.success());
    let (valid, msg) = jing(&schema, &replaced);
    assert!(valid, "{msg}");
    let replaced_text = std::fs::read_to_string(&replaced).unwrap();
    assert!(!replaced_text.contains("<choice><sic>"));
    assert_eq!(scanproof::formats::read_text(&replaced).unwrap().text, corrected(&before, &accepted));
}

/// The `<choice><sic>…</sic><corr …>…</corr></choice>`s the writer made: (whole, sic, corr).
fn regex_lite(s: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find("<choice><sic") {
        let start = from + i;
        let end = start + s[start..].find("</choice>").unwrap() + "</choice>".len();
        let whole = &s[start..end];
        let sic = if whole.starts_with("<choice><sic/>") {
            String::new()
        } else {
            whole["<choice><sic>".len()..whole.find("</sic>").unwrap()].to_string()
        };
        let corr_open = whole.find("<corr ").unwrap();
        let corr_body = corr_open + whole[corr_open..].find('>').unwrap() + 1;
        assert!(whole[corr_open..corr_body].contains("resp=\"#ann\""), "{whole}");
        let corr = whole[corr_body..whole.find("</corr>").unwrap()].to_string();
        out.push((whole.to_string(), sic, corr));
        from = end;
    }
    out
}

/// LibreOffice's view of a Word document: its tracked changes and the text with them accepted.
fn libreoffice(doc: &Path) -> Value {
    let python = if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    let out = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/libreoffice_changes.py"))
        .arg(doc)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "LibreOffice (libreoffice-writer-nogui, python3-uno; scripts/setup.sh installs them) read {}: {}",
        doc.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn issue15_word_sample_corrections_are_tracked_changes_libreoffice_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let docx = fixture("bagirov-1946/bagirov-1946.docx");
    let report_path = dir.path().join("docx.json");
    assert_eq!(check(&docx, ocr_cache(), &report_path, &[]), 1);
    let report = read_json(&report_path);
    assert_finds_what_the_text_finds(&report, "Word");

    let out = dir.path().join("corrected.docx");
    let (accepted, _) = apply_known(&report, &docx, &out);

    // LibreOffice reads the original as scanproof does.
    let ours = scanproof::formats::read_text(&docx).unwrap().text;
    let theirs = libreoffice(&docx);
    assert!(theirs["changes"].as_array().unwrap().is_empty());
    assert_eq!(theirs["accepted"].as_str().unwrap(), ours, "LibreOffice and scanproof read the same text");

    // The corrected copy: exactly the accepted corrections, as deletions followed by insertions
    // by the reviewer; accepted, the corrected text.
    let lo = libreoffice(&out);
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut last_type = "";
    for c in lo["changes"].as_array().unwrap() {
        assert_eq!(c["author"], "ann");
        let (t, text) = (c["type"].as_str().unwrap(), c["text"].as_str().unwrap());
        match (t, last_type) {
            // A deletion over two runs may show as two marks: one correction.
            ("Delete", "Delete") => pairs.last_mut().unwrap().0.push_str(text),
            ("Delete", _) => pairs.push((text.to_string(), String::new())),
            ("Insert", "Delete") => pairs.last_mut().unwrap().1 = text.to_string(),
            ("Insert", _) => pairs.push((String::new(), text.to_string())),
            other => panic!("unexpected change {other:?}"),
        }
        last_type = t;
    }
    let mut want = cores(&accepted);
    let mut by_place = accepted.iter().zip(want.drain(..)).collect::<Vec<_>>();
    by_place.sort_by_key(|(f, _)| f["start"].as_u64());
    let want: Vec<(String, String)> = by_place.into_iter().map(|(_, c)| c).collect();
    assert_eq!(pairs, want, "LibreOffice shows exactly the accepted corrections");
    assert_eq!(
        lo["accepted"].as_str().unwrap(),
        corrected(&ours, &accepted),
        "accepting them all gives the corrected text"
    );

    // Every other part of the package is byte for byte the original's.
    let parts = |p: &Path| -> Vec<(String, Vec<u8>)> {
        let mut z = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut v = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut v).unwrap();
                (f.name().to_string(), v)
            })
            .filter(|(n, _)| n != "word/document.xml")
            .collect()
    };
    assert_eq!(parts(&out), parts(&docx));
}
