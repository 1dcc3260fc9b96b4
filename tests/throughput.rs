//! Issues 6 and 16, end to end with the real binary: the report is the same whatever `--jobs`
//! is and whether pages come from the OCR cache; a damaged cache entry is read again;
//! `--ocr-text` checks against OCR text with no scans; `batch` resumes, shards and merges;
//! Tesseract's line images go through the binary's `pixWriteMem`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scanproof"))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("scanproof runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 2),
        "{cmd:?}: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `check` of the sample as JSON bytes, with the given extra arguments, and its wall time.
fn check_sample(extra: &[&str]) -> (Vec<u8>, f64) {
    let t = Instant::now();
    let out = run(bin()
        .args(["check", "scans/bagirov-1946", "-t", "transcripts/bagirov-1946.txt", "-l", "rus", "-f", "json"])
        .args(extra));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    (out.stdout, t.elapsed().as_secs_f64())
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        let sub = sub.unwrap().path();
        if sub.is_dir() {
            out.extend(std::fs::read_dir(&sub).unwrap().map(|e| e.unwrap().path()));
        }
    }
    out
}

#[test]
fn issue6_report_is_the_same_whatever_jobs_and_cache() {
    let cache = tempfile::tempdir().unwrap();
    let cache_arg = cache.path().to_str().unwrap();
    let (one, _) = check_sample(&["--no-cache", "--jobs", "1"]);
    let (cold, cold_secs) = check_sample(&["--cache", cache_arg, "--jobs", "2"]);
    // Whole reports, flag ids and evidence included.
    assert!(one == cold, "--jobs 1 and --jobs 2 reports differ");
    let files = cache_files(cache.path());
    assert!(files.len() > 5, "five pages and the second readings are cached: {files:?}");

    let (warm, warm_secs) = check_sample(&["--cache", cache_arg, "--jobs", "2"]);
    assert!(warm == one, "a cached run gives another report");
    eprintln!("sample: cold {cold_secs:.2}s, cached {warm_secs:.2}s");
    assert!(warm_secs < cold_secs / 3.0, "cached {warm_secs:.2}s vs cold {cold_secs:.2}s");

    // Damage every entry (cut short, or one bit flipped): each is detected and read again.
    for (k, f) in files.iter().enumerate() {
        let mut bytes = std::fs::read(f).unwrap();
        if k % 2 == 0 {
            bytes.truncate(bytes.len() / 2);
        } else {
            let last = bytes.len() - 1;
            bytes[last] ^= 0x20;
        }
        std::fs::write(f, bytes).unwrap();
    }
    let (again, _) = check_sample(&["--cache", cache_arg, "--jobs", "1"]);
    assert!(again == one, "a damaged cache changed the report");
    for f in cache_files(cache.path()) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(scanproof::cache::decode(&bytes).is_some(), "{} was not replaced", f.display());
    }
}

/// The sample's recorded OCR as plain text, a line per OCR line.
fn sample_ocr_text() -> String {
    let pages = scanproof::ocr::read_pages_json(Path::new("tests/fixtures/bagirov-1946/ocr.json")).unwrap();
    let mut text = String::new();
    for p in &pages {
        let mut line = None;
        for w in &p.words {
            if line.is_some_and(|l| l != w.line) {
                text.push('\n');
            } else if line.is_some() {
                text.push(' ');
            }
            text.push_str(&w.text);
            line = Some(w.line);
        }
        text.push_str("\n\n");
    }
    text
}

#[test]
fn issue6_ocr_text_checks_without_scans() {
    let dir = tempfile::tempdir().unwrap();
    let ocr = dir.path().join("ocr.txt");
    std::fs::write(&ocr, sample_ocr_text()).unwrap();
    let out = run(bin().args(["check", "--ocr-text"]).arg(&ocr).args([
        "-t",
        "transcripts/bagirov-1946.txt",
        "-l",
        "rus",
        "-f",
        "json",
    ]));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["pages"].as_array().unwrap().len(), 1, "one pseudo-page");
    let flags = report["flags"].as_array().unwrap();
    assert!(flags.iter().all(|f| f["bbox"] == serde_json::json!([0, 0, 0, 0]) && f["page"] == 1));
    let f = flags.iter().find(|f| f["transcript"].as_str().unwrap().contains("обзоружена")).expect("flagged");
    assert!(f["suggestion"].as_str().unwrap().contains("обезоружена"), "{f}");
    // Scans and OCR text together are refused.
    let out = bin()
        .args(["check", "scans/bagirov-1946", "--ocr-text"])
        .arg(&ocr)
        .args(["-t", "transcripts/bagirov-1946.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn issue6_ocr_text_aligns_a_long_document_quickly() {
    // 200 synthetic pages (60,000 words) with 5% of characters changed: whole-document
    // O(N*M) alignment would take minutes; anchored alignment takes well under a second
    // (the 1,000-page figure is scripts/bench_align.sh's).
    let dir = tempfile::tempdir().unwrap();
    let truth = scanproof::synthetic::book(200, 11);
    let ocr = scanproof::synthetic::corrupt(&truth, 0.05, 12);
    std::fs::write(dir.path().join("t.txt"), &truth).unwrap();
    std::fs::write(dir.path().join("o.txt"), &ocr).unwrap();
    let t = Instant::now();
    let out = run(bin()
        .args(["check", "--no-lexicon", "--exit-zero", "-f", "json", "--ocr-text"])
        .arg(dir.path().join("o.txt"))
        .arg("-t")
        .arg(dir.path().join("t.txt")));
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cer = report["stats"]["cer"].as_f64().unwrap();
    eprintln!("200 pages: {secs:.2}s, CER {cer:.4}");
    assert!((0.02..0.09).contains(&cer), "CER {cer} far from the 5% injected");
    assert!(report["stats"]["transcript_words"].as_u64().unwrap() > 59_000, "the whole text is aligned");
    // How fast is for scripts/bench_align.sh to measure: a timed assert fails on a loaded machine.
}

struct Collection {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Collection {
    /// Two one-page documents of the sample (each with the whole transcript) and one whose
    /// transcript is missing.
    fn new() -> Collection {
        let dir = tempfile::tempdir().unwrap();
        let root = std::env::current_dir().unwrap();
        let t = root.join("transcripts/bagirov-1946.txt");
        std::fs::copy(&t, dir.path().join("a.txt")).unwrap();
        std::fs::copy(&t, dir.path().join("b.txt")).unwrap();
        let scans = root.join("scans/bagirov-1946");
        let manifest = format!(
            "id,scans,transcript,lang\n\
             letter-a,{},a.txt,rus\n\
             letter-b,{},b.txt,rus\n\
             letter-c,{},missing.txt,rus\n",
            scans.join("page-4.png").display(),
            scans.join("page-5.png").display(),
            scans.join("page-5.png").display(),
        );
        std::fs::write(dir.path().join("manifest.csv"), manifest).unwrap();
        Collection { dir, cache: tempfile::tempdir().unwrap() }
    }

    fn batch(&self, out: &str, extra: &[&str]) -> (i32, Value) {
        let output = run(bin()
            .arg("batch")
            .arg(self.dir.path().join("manifest.csv"))
            .arg("-o")
            .arg(self.dir.path().join(out))
            .arg("--cache")
            .arg(self.cache.path())
            .args(["--format", "md"])
            .args(extra));
        let name = match extra.iter().position(|a| *a == "--shard") {
            Some(k) => {
                let (i, n) = extra[k + 1].split_once('/').unwrap();
                format!("summary.shard-{i}-of-{n}.json")
            }
            None => "summary.json".into(),
        };
        let summary = serde_json::from_slice(&std::fs::read(self.dir.path().join(out).join(name)).unwrap()).unwrap();
        (output.status.code().unwrap(), summary)
    }
}

fn statuses(summary: &Value) -> Vec<(String, String)> {
    summary["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap().to_string(), d["status"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn issue6_batch_resumes_and_records_failures() {
    let c = Collection::new();
    let (code, summary) = c.batch("out", &["--quiet"]);
    assert_eq!(code, 2, "a failed document means exit status 2");
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(statuses(&summary), [s("letter-a", "done"), s("letter-b", "done"), s("letter-c", "error")]);
    let out = c.dir.path().join("out");
    for f in ["letter-a.json", "letter-a.md", "letter-b.json", "letter-b.md", "summary.csv"] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    let a = &summary["documents"][0];
    assert!(a["pages"] == 1 && a["flags_shown"].as_u64().unwrap() > 0 && a["cer"].as_f64().unwrap() > 0.0, "{a}");
    assert!(summary["documents"][2]["error"].as_str().unwrap().contains("missing.txt"));
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.lines().count() == 4 && csv.contains("letter-c,error"), "{csv}");

    // Nothing changed: nothing is checked again, and the reports are left as they were.
    let modified = std::fs::metadata(out.join("letter-a.json")).unwrap().modified().unwrap();
    let (code, summary) = c.batch("out", &["--quiet"]);
    assert_eq!(code, 2);
    assert_eq!(statuses(&summary), [s("letter-a", "unchanged"), s("letter-b", "unchanged"), s("letter-c", "error")]);
    assert_eq!(std::fs::metadata(out.join("letter-a.json")).unwrap().modified().unwrap(), modified);
    assert_eq!(summary["documents"][0]["flags_shown"], a["flags_shown"], "the old row is kept");

    // A changed transcript is checked again; the missing one, once there, too.
    std::fs::write(c.dir.path().join("b.txt"), "Only a few words now.").unwrap();
    std::fs::copy(c.dir.path().join("a.txt"), c.dir.path().join("missing.txt")).unwrap();
    let (code, summary) = c.batch("out", &["--quiet"]);
    assert_eq!(code, 1, "flags shown, no failure");
    assert_eq!(statuses(&summary), [s("letter-a", "unchanged"), s("letter-b", "done"), s("letter-c", "done")]);
}

#[test]
fn issue6_batch_shards_cover_the_collection_and_merge() {
    let c = Collection::new();
    std::fs::copy(c.dir.path().join("a.txt"), c.dir.path().join("missing.txt")).unwrap();
    let (_, whole) = c.batch("whole", &["--quiet"]);
    let mut shard_files = Vec::new();
    for i in 0..2 {
        let shard = format!("{i}/2");
        let (_, part) = c.batch("shared", &["--quiet", "--shard", &shard]);
        assert_eq!(part["shard"], shard);
        shard_files.push(c.dir.path().join(format!("shared/summary.shard-{i}-of-2.json")));
    }
    let out = run(bin().arg("merge").args(&shard_files));
    assert_eq!(out.status.code(), Some(1), "flags shown");
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = |v: &Value| -> Vec<(String, Value, Value)> {
        v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["id"].as_str().unwrap().to_string(), d["flags_shown"].clone(), d["inputs_sha256"].clone()))
            .collect()
    };
    assert_eq!(rows(&merged), rows(&whole), "the shards together are the collection, once each");
    assert_eq!(merged["totals"], whole["totals"]);
    let csv = run(bin().arg("merge").args(&shard_files).args(["-f", "csv"]));
    assert_eq!(String::from_utf8(csv.stdout).unwrap().lines().count(), 4);
}

/// Issue 16: Tesseract's calls to `pixWriteMem` (a PNG of every text line it reads) bind to
/// the binary's own definition (`src/line_images.rs`), not to Leptonica's: the dynamic
/// linker's record of its bindings says so. That the readings are unchanged by it is what
/// every report test here and in `check_sample.rs` shows.
#[test]
fn issue16_tesseract_writes_its_line_images_through_the_binary() {
    let log = tempfile::tempdir().unwrap();
    let out = run(bin()
        .args(["ocr", "scans/bagirov-1946/page-1.png", "-l", "rus", "--jobs", "1"])
        // Set already, so the binary does not run itself again (`main.rs`).
        .env("OMP_THREAD_LIMIT", "1")
        .env("LD_DEBUG", "bindings")
        .env("LD_DEBUG_OUTPUT", log.path().join("ld")));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"words\""), "the page was read");
    let bindings: String =
        std::fs::read_dir(log.path()).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    let binding =
        bindings.lines().find(|l| l.contains("libtesseract") && l.contains("`pixWriteMem'")).unwrap_or_else(|| {
            panic!("Tesseract never wrote a line image:\n{}", bindings.chars().take(2000).collect::<String>())
        });
    // The linker names the executable as it was run.
    let exe = env!("CARGO_BIN_EXE_scanproof");
    assert!(binding.contains(&format!("to {exe} [")), "bound elsewhere: {binding}");
}
