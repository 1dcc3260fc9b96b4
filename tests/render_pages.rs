//! `render-pages`, the synthetic page renderer (tools/render/): every ink writes the eval
//! layout (image, the page's text, its style), the text is exactly what was laid out, a second
//! run writes the same bytes, and Tesseract reads a normal page.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_render-pages");

const TEXT: &str = "Dear Sir,

I have the honour to inform you that the committee met on the ninth of May and resolved to \
extend the support of the emergency fund to the families named in the enclosed list. \
Überweisungen nach Zürich und Košice werden später geregelt.

The secretary will write again when the arrangements are complete. Meanwhile we should be \
grateful for any information about the transport of the children and their accommodation.

Yours faithfully,
";

fn render(dir: &Path, id: &str, text: &str, args: &[&str]) -> PathBuf {
    let src = dir.join(format!("{id}.txt"));
    std::fs::write(&src, text).unwrap();
    let out = dir.join("out");
    let st = Command::new(BIN).arg(&src).arg("-o").arg(&out).args(args).output().unwrap();
    assert!(st.status.success(), "render-pages failed: {}", String::from_utf8_lossy(&st.stderr));
    out
}

/// Letters and digits only: what every page of a document must say, whatever the line breaks
/// and line-end hyphens.
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = walk(dir)
        .into_iter()
        .map(|p| (p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn every_ink_writes_the_eval_layout_and_the_text_as_laid_out() {
    for ink in ["normal", "faint", "heavy", "overtype"] {
        let tmp = tempfile::tempdir().unwrap();
        let args = ["--style", "fixed", "--ink", ink, "--strength", "1", "--page", "a6", "--dpi", "150", "--seed", "7"];
        let out = render(tmp.path(), "letter", TEXT, &args);
        let mut pages = Vec::new();
        let mut n = 1;
        while out.join(format!("letter_{n:02}.txt")).exists() {
            let stem = format!("letter_{n:02}");
            assert!(out.join(format!("{stem}.png")).is_file(), "{ink}: no image for {stem}");
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap()).unwrap();
            assert_eq!(json["ink"], ink);
            assert_eq!(json["document"], "letter");
            assert_eq!(json["page"], n);
            assert_eq!(json["dpi"], 150);
            let img = image::open(out.join(format!("{stem}.png"))).unwrap();
            // A6 at 150 dpi.
            assert_eq!((img.width(), img.height()), (620, 874), "{ink}");
            pages.push(std::fs::read_to_string(out.join(format!("{stem}.txt"))).unwrap());
            n += 1;
        }
        assert!(pages.len() >= 2, "{ink}: an A6 page holds less than this letter, got {} page(s)", pages.len());
        // The pages say the letter, word for word, and nothing else (x'd-out words left out).
        assert_eq!(letters(&pages.concat()), letters(TEXT), "{ink}");
        let whole = std::fs::read_to_string(out.join("documents/letter.txt")).unwrap();
        assert_eq!(letters(&whole), letters(TEXT));
        let manifest = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
        let scans: Vec<String> = (1..n).map(|i| format!("letter_{i:02}.png")).collect();
        assert_eq!(
            manifest,
            format!("id,scans,transcript,lang\nletter,{},documents/letter.txt,eng\n", scans.join(";"))
        );

        // Twice the same command: the same bytes.
        let tmp2 = tempfile::tempdir().unwrap();
        std::fs::write(tmp2.path().join("letter.txt"), TEXT).unwrap();
        let out2 = render(tmp2.path(), "letter", TEXT, &args);
        let (a, b) = (files(&out), files(&out2));
        assert_eq!(a.len(), b.len());
        for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
            assert_eq!(na, nb);
            if na.ends_with(".json") {
                // The JSON names the source file, which lies in another temporary folder.
                let strip = |s: &[u8]| {
                    String::from_utf8_lossy(s)
                        .lines()
                        .filter(|l| !l.contains("\"source\""))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                assert_eq!(strip(ba), strip(bb), "{ink}: {na} differs between runs");
            } else {
                assert!(ba == bb, "{ink}: {na} differs between runs");
            }
        }
    }
}

#[test]
fn random_styles_vary_and_a_seed_repeats_them() {
    let tmp = tempfile::tempdir().unwrap();
    let mut styles = Vec::new();
    for id in ["a", "b", "c", "d", "e", "f"] {
        let out = render(tmp.path(), id, TEXT, &["--page", "a6", "--dpi", "96", "--seed", "3"]);
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join(format!("{id}_01.json"))).unwrap()).unwrap();
        styles.push((json["font"].to_string(), json["skew_deg"].to_string(), json["ink"].to_string()));
        let text = std::fs::read_to_string(out.join(format!("documents/{id}.txt"))).unwrap();
        // Headings may be typed in capitals; page and folio numbers are added.
        let words = |s: &str| s.chars().filter(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
        assert_eq!(words(&text), words(TEXT), "{id}");
    }
    styles.sort();
    styles.dedup();
    assert!(styles.len() >= 4, "six documents, {} styles: {styles:?}", styles.len());
}

#[test]
fn bad_options_and_files_exit_2_naming_them() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nothing.txt");
    let st = Command::new(BIN).arg(&missing).arg("-o").arg(tmp.path().join("o")).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&st.stderr).contains("nothing.txt"));
    let src = tmp.path().join("t.txt");
    std::fs::write(&src, "text").unwrap();
    let st = Command::new(BIN).arg(&src).args(["-o", "o", "--ink", "purple"]).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&st.stderr).contains("--ink purple"));
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != cb)));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Real Tesseract on a rendered page: normal ink reads with few errors.
#[test]
fn tesseract_reads_a_normal_page() {
    if Command::new("tesseract").arg("--version").output().is_err() {
        eprintln!("skipped: tesseract is not installed (scripts/setup.sh installs it)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = render(tmp.path(), "letter", TEXT, &["--style", "fixed", "--page", "a5", "--seed", "2"]);
    let truth = std::fs::read_to_string(out.join("letter_01.txt")).unwrap();
    let ocr = Command::new("tesseract")
        .arg(out.join("letter_01.png"))
        .args(["-", "-l", "eng", "--psm", "3"])
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .unwrap();
    assert!(ocr.status.success(), "{}", String::from_utf8_lossy(&ocr.stderr));
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect::<Vec<char>>();
    let (t, o) = (norm(&truth), norm(&String::from_utf8_lossy(&ocr.stdout)));
    let cer = levenshtein(&t, &o) as f64 / t.len() as f64;
    assert!(cer < 0.10, "CER {cer:.3} on a normal page\ntruth: {truth}\nocr: {}", String::from_utf8_lossy(&ocr.stdout));
}
