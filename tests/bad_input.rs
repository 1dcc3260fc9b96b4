//! Bad input, issue 2: each case gives a clear message naming the file, exit status 2, and
//! nothing written.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.txt"), "Мы просим вашей помощи.\n").unwrap();
        std::fs::copy("scans/bagirov-1946/page-5.png", dir.path().join("page-5.png")).unwrap();
        Case { dir }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    /// Run check with `-o out.json`; return (status, stderr) and assert nothing was written.
    fn check(&self, scans: &[&Path], transcript: &Path, lang: &str) -> (i32, String) {
        let out = self.path("out.json");
        let o = Command::new(env!("CARGO_BIN_EXE_scanproof"))
            .arg("check")
            .args(scans)
            .arg("--transcript")
            .arg(transcript)
            .args(["--lang", lang, "--format", "json", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(!out.exists(), "nothing is written on bad input");
        let leftovers: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
        (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

#[test]
fn missing_scan() {
    let c = Case::new();
    let (code, err) = c.check(&[&c.path("nope.png")], &c.path("t.txt"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("nope.png") && err.contains("no such file"), "{err}");
}

#[test]
fn file_that_is_not_an_image() {
    let c = Case::new();
    std::fs::write(c.path("notes.png"), "these are notes, not a scan").unwrap();
    let (code, err) = c.check(&[&c.path("notes.png")], &c.path("t.txt"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("notes.png") && (err.contains("not a PNG") || err.contains("not a readable image")), "{err}");
}

#[test]
fn empty_transcript() {
    let c = Case::new();
    std::fs::write(c.path("empty.txt"), "  \n").unwrap();
    let (code, err) = c.check(&[&c.path("page-5.png")], &c.path("empty.txt"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");
}

#[test]
fn non_utf8_transcript() {
    let c = Case::new();
    // Legacy Cyrillic is detected now (issue 7, tests/formats.rs); bytes that are neither UTF-8
    // nor recognizable text are still an error naming the first bad byte.
    std::fs::write(c.path("binary.txt"), b"\x80\x00\x01\x02\x03\x04\x05\x06\x07 not text\n").unwrap();
    let (code, err) = c.check(&[&c.path("page-5.png")], &c.path("binary.txt"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("binary.txt") && err.contains("UTF-8") && err.contains("byte offset 0"), "{err}");
}

#[test]
fn unknown_language() {
    let c = Case::new();
    let (code, err) = c.check(&[&c.path("page-5.png")], &c.path("t.txt"), "xyz");
    assert_eq!(code, 2);
    assert!(err.contains("'xyz'") && err.contains("tesseract-ocr-xyz"), "{err}");
}

#[test]
fn empty_folder_of_scans() {
    let c = Case::new();
    std::fs::create_dir(c.path("scans")).unwrap();
    let (code, err) = c.check(&[&c.path("scans")], &c.path("t.txt"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("scans") && err.contains("no page images"), "{err}");
}

/// Issue 15: editions, Word documents and IIIF manifests that cannot be read.
#[test]
fn issue15_bad_editions_documents_and_manifests() {
    let c = Case::new();
    // A zip that is not a Word document, and a .docx cut short.
    std::fs::write(c.path("t.docx"), b"PK\x03\x04 not really a zip").unwrap();
    let (code, err) = c.check(&[&c.path("page-5.png")], &c.path("t.docx"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("t.docx") && err.contains("Word document"), "{err}");
    // TEI without a <text>, and TEI that is not well-formed.
    std::fs::write(c.path("h.xml"), "<?xml version='1.0'?><TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader/></TEI>")
        .unwrap();
    let (code, err) = c.check(&[&c.path("page-5.png")], &c.path("h.xml"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("h.xml") && err.contains("<text>"), "{err}");
    std::fs::write(c.path("b.xml"), "<?xml version='1.0'?><TEI><text><body><p>a</body></text></TEI>").unwrap();
    let (code, err) = c.check(&[&c.path("page-5.png")], &c.path("b.xml"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("b.xml") && err.contains("TEI"), "{err}");
    // No scans given, and a transcript that names none.
    let (code, err) = c.check(&[], &c.path("t.txt"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("t.txt") && err.contains("no scans"), "{err}");
    // A JSON file that is not a IIIF manifest, and a manifest nobody serves.
    std::fs::write(c.path("m.json"), r#"{"type": "Collection"}"#).unwrap();
    let (code, err) = c.check(&[&c.path("m.json")], &c.path("t.txt"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains("m.json") && err.contains("not a IIIF manifest"), "{err}");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/manifest.json");
    let (code, err) = c.check(&[Path::new(&url)], &c.path("t.txt"), "rus");
    assert_eq!(code, 2);
    assert!(err.contains(&url), "{err}");
}
