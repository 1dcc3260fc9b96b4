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
