//! Issue 16, end to end with the real binary: shards of one collection run at the same time
//! into one output folder and one OCR cache, lose nothing and leave no half-written file, and
//! give what one process gives; a shard killed half-way resumes; `--ocr-text` manifests.
//! Real Tesseract reads small real pages (crops of the sample's scans), so each document takes
//! about a second.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scanproof"))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("scanproof runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{cmd:?}: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The top of each of the sample's first `n` pages (a heading and a few lines of text): real
/// typescript that Tesseract reads in well under a second.
fn small_pages(dir: &Path, n: usize) -> Vec<PathBuf> {
    (1..=n)
        .map(|i| {
            let page = image::open(format!("scans/bagirov-1946/page-{i}.png")).unwrap().into_luma8();
            let (w, h) = page.dimensions();
            let top = image::imageops::crop_imm(&page, 0, 0, w, h / 5).to_image();
            let path = dir.join(format!("top-{i}.png"));
            top.save(&path).unwrap();
            path
        })
        .collect()
}

/// A collection folder with its manifest.
struct Collection {
    dir: tempfile::TempDir,
}

impl Collection {
    fn manifest(&self) -> PathBuf {
        self.dir.path().join("manifest.csv")
    }

    /// `batch` over the manifest (or one shard of it) into `out`, with the OCR cache `cache`.
    fn batch(&self, out: &str, cache: &str, extra: &[&str]) -> Command {
        let mut cmd = bin();
        cmd.arg("batch")
            .arg(self.manifest())
            .arg("-o")
            .arg(self.dir.path().join(out))
            .arg("--cache")
            .arg(self.dir.path().join(cache))
            .args(["--quiet", "--exit-zero", "--jobs", "1"])
            .args(extra);
        cmd
    }

    fn merge(&self, out: &str, shards: usize) -> Value {
        let files: Vec<PathBuf> = (0..shards)
            .map(|i| self.dir.path().join(out).join(format!("summary.shard-{i}-of-{shards}.json")))
            .collect();
        let merged = run(bin().arg("merge").args(&files));
        serde_json::from_slice(&merged.stdout).unwrap()
    }

    fn summary(&self, out: &str, name: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.dir.path().join(out).join(name)).unwrap()).unwrap()
    }
}

/// Eight one-page documents over four small pages, each page in two documents that land in
/// different shards of four (documents 0 and 1 in shards 0 and 1, ...): shards read and cache
/// the same pages at the same time.
fn scanned_collection() -> Collection {
    let dir = tempfile::tempdir().unwrap();
    let pages = small_pages(dir.path(), 4);
    std::fs::copy("transcripts/bagirov-1946.txt", dir.path().join("telegram.txt")).unwrap();
    let mut manifest = String::from("id,scans,transcript,lang\n");
    for d in 0..8 {
        let page = pages[(d / 2) % 4].file_name().unwrap().to_str().unwrap().to_string();
        manifest.push_str(&format!("doc-{d},{page},telegram.txt,rus\n"));
    }
    std::fs::write(dir.path().join("manifest.csv"), manifest).unwrap();
    Collection { dir }
}

/// Files of a folder tree, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Rows of a summary without their status (a resumed document is "unchanged", not "done").
fn rows(summary: &Value) -> Vec<Value> {
    summary["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.as_object_mut().unwrap().remove("status");
            d
        })
        .collect()
}

/// Every report of `a` is byte for byte the one in `b`.
fn same_reports(c: &Collection, a: &str, b: &str) {
    let mut n = 0;
    for f in files_under(&c.dir.path().join(a)) {
        let name = f.file_name().unwrap().to_str().unwrap();
        if name.starts_with("doc-") && (name.ends_with(".json") || name.ends_with(".md")) {
            let other = c.dir.path().join(b).join(name);
            assert!(std::fs::read(&f).unwrap() == std::fs::read(&other).unwrap(), "{name} differs in {a} and {b}");
            n += 1;
        }
    }
    assert!(n >= 8, "{n} reports compared");
}

#[test]
fn issue16_four_concurrent_shards_share_one_folder_and_cache() {
    let c = scanned_collection();
    // The same manifest in one process, with a cache of its own.
    run(&mut c.batch("single", "single-cache", &["--format", "md"]));
    let single = c.summary("single", "summary.json");
    assert_eq!(single["totals"]["checked"], 8, "{single}");

    let shards: Vec<_> = (0..4)
        .map(|i| c.batch("shared", "shared-cache", &["--format", "md", "--shard", &format!("{i}/4")]).spawn().unwrap())
        .collect();
    for shard in shards {
        let out = shard.wait_with_output().unwrap();
        assert!(out.status.success(), "{:?}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    }
    let merged = c.merge("shared", 4);
    assert_eq!(merged["totals"], single["totals"]);
    assert_eq!(rows(&merged), rows(&single), "the shards together give what one process gives");
    same_reports(&c, "single", "shared");

    // Nothing half-written anywhere: no temporary left, every cache entry whole.
    let left: Vec<_> = files_under(&c.dir.path().join("shared"))
        .into_iter()
        .chain(files_under(&c.dir.path().join("shared-cache")))
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    let entries = files_under(&c.dir.path().join("shared-cache"));
    assert!(entries.len() >= 4, "four pages cached: {entries:?}");
    for e in entries {
        assert!(scanproof::cache::decode(&std::fs::read(&e).unwrap()).is_some(), "{} is damaged", e.display());
    }
}

#[test]
fn issue16_a_killed_shard_resumes() {
    let c = scanned_collection();
    // Shard 0 of 2 has four documents; kill it once the first is written.
    let mut shard = c.batch("out", "cache", &["--shard", "0/2"]).spawn().unwrap();
    let out = c.dir.path().join("out");
    let started = Instant::now();
    let first_done = loop {
        let states = std::fs::read_dir(&out)
            .map(|d| {
                d.filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".state.json")).count()
            })
            .unwrap_or(0);
        if states > 0 {
            break true;
        }
        if shard.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(300) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(first_done, "the shard wrote no document before it ended");
    shard.kill().unwrap();
    shard.wait().unwrap();
    assert!(!out.join("summary.shard-0-of-2.json").exists(), "killed before it finished");
    // Whatever it had written is whole.
    for f in files_under(&out).into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        serde_json::from_slice::<Value>(&std::fs::read(&f).unwrap())
            .unwrap_or_else(|e| panic!("{} is not whole: {e}", f.display()));
    }
    let written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().to_str()?.strip_suffix(".state.json").map(String::from))
        .collect();

    run(&mut c.batch("out", "cache", &["--shard", "0/2"]));
    let summary = c.summary("out", "summary.shard-0-of-2.json");
    let docs = summary["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4);
    for d in docs {
        let id = d["id"].as_str().unwrap();
        let want = if written.iter().any(|w| w == id) { "unchanged" } else { "done" };
        assert_eq!(d["status"], want, "{id} after the kill ({written:?} were written)");
        assert_eq!(d["pages"], 1, "{d}");
    }
    assert!(docs.iter().any(|d| d["status"] == "done"), "the rest was checked: {written:?}");
}

/// `--ocr-text` documents: no scans, so many documents in little time; four shards at once.
#[test]
fn issue16_ocr_text_manifest_in_concurrent_shards() {
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = String::from("id,transcript,ocr_text\n");
    for d in 0..40 {
        let truth = scanproof::synthetic::book(1, d);
        let ocr = scanproof::synthetic::corrupt(&truth, 0.03, d + 100);
        std::fs::write(dir.path().join(format!("t{d}.txt")), &truth).unwrap();
        std::fs::write(dir.path().join(format!("o{d}.txt")), &ocr).unwrap();
        manifest.push_str(&format!("card-{d},t{d}.txt,o{d}.txt\n"));
    }
    std::fs::write(dir.path().join("manifest.csv"), manifest).unwrap();
    let c = Collection { dir };
    run(&mut c.batch("single", "cache", &["--no-lexicon"]));
    let single = c.summary("single", "summary.json");
    assert_eq!(single["totals"]["checked"], 40, "{single}");
    assert!(single["totals"]["flags_total"].as_u64().unwrap() > 40, "{}", single["totals"]);
    let shards: Vec<_> = (0..4)
        .map(|i| c.batch("shared", "cache", &["--no-lexicon", "--shard", &format!("{i}/4")]).spawn().unwrap())
        .collect();
    for shard in shards {
        assert!(shard.wait_with_output().unwrap().status.success());
    }
    let merged = c.merge("shared", 4);
    assert_eq!(rows(&merged), rows(&single));
    // A re-run finds every document unchanged.
    run(&mut c.batch("single", "cache", &["--no-lexicon"]));
    assert_eq!(c.summary("single", "summary.json")["totals"]["unchanged"], 40);
}
