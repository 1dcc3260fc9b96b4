//! The figures behind issue 13's coverage settings, on pages with correct transcriptions
//! (`NAME.png|jpg` + `NAME.txt|xml` pairs, as `scanproof eval` takes them), read through the
//! OCR cache:
//!
//! - `floor`: how often Tesseract's reading of a word is right, by word confidence, which
//!   sets `coverage::Params::confidence_floor` (below it a reading is no reading);
//! - `shared`: what `Shared::unrelated` measures for each page against its own transcription
//!   and against every transcription of another document (the largest such figure must stay
//!   below the threshold, the smallest own figure well above it);
//! - `region`: how much of each page's own transcription is set aside as not on the scans or
//!   left unverified;
//! - `orient`: orientation detection's answer and confidence for each page turned 0, 90, 180
//!   and 270 degrees (no OCR), which sets the confidence below which a page is left as it is;
//! - `turn`: each page turned by each of `TURNS` (default `0`, e.g. `TURNS=0,90,180,270`) and
//!   read the right way up as `check` does (`ocr::read_upright`): orientation detection's
//!   proposal, the turn back, whether it is right, and how many page readings it took. The
//!   pages are upright to begin with.
//!
//! cargo run --release --example coverage_figures -- floor|shared|region|orient|turn LANG DIR...

use scanproof::align::{align, Params};
use scanproof::cache::OcrCache;
use scanproof::ocr::{OcrSettings, Tesseract};
use scanproof::types::{OcrPage, Transcript};
use std::path::PathBuf;

struct Page {
    name: String,
    ocr: OcrPage,
    truth: Transcript,
}

fn pages(lang: &str, dirs: &[String]) -> Vec<Page> {
    let mut pairs: Vec<(PathBuf, PathBuf)> = Vec::new();
    for dir in dirs {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).expect("folder").flatten().map(|e| e.path()).collect();
        entries.sort();
        for image in entries.iter().filter(|p| scanproof::scan::is_image_path(p)) {
            let truth = ["txt", "xml"].iter().map(|e| image.with_extension(e)).find(|p| p.is_file());
            if let Some(t) = truth {
                pairs.push((image.clone(), t));
            }
        }
    }
    let settings = OcrSettings { lang: lang.into(), ..Default::default() };
    let cache = OcrCache::default_dir().and_then(|d| OcrCache::open(&d).ok());
    let images: Vec<PathBuf> = pairs.iter().map(|(i, _)| i.clone()).collect();
    let make = || Tesseract::new(&settings);
    let read = scanproof::reading::read_pages(&images, Vec::new(), &settings, 2, cache.as_ref(), &make, &|_| {})
        .expect("read");
    assert!(read.failures.is_empty(), "{:?}", read.failures);
    read.pages
        .into_iter()
        .zip(pairs)
        .map(|(ocr, (image, truth))| {
            let doc = scanproof::formats::read_transcript(&truth, &Default::default()).expect("truth");
            Page { name: image.file_stem().unwrap().to_string_lossy().into(), ocr, truth: doc.transcript }
        })
        .collect()
}

/// The document a page belongs to: its name without the page number.
fn document(name: &str) -> &str {
    name.rsplit_once(['_', '-']).map_or(name, |(d, _)| d)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (what, lang, dirs) = (&args[0], &args[1], &args[2..]);
    if what == "orient" {
        return orientation(lang, dirs);
    }
    if what == "turn" {
        return turns(lang, dirs);
    }
    let pages = pages(lang, dirs);
    match what.as_str() {
        "floor" => {
            // Buckets of 0.1: words read, words read right.
            let mut buckets = [(0usize, 0usize); 10];
            for p in &pages {
                let a = align(&p.truth.tokens, std::slice::from_ref(&p.ocr), &Params::default());
                for s in &a.steps {
                    if s.transcript.len() != 1 || s.ocr.len() != 1 {
                        continue;
                    }
                    let t = &a.ocr_tokens[s.ocr.start];
                    for w in &p.ocr.words[t.words.clone()] {
                        let b = ((w.confidence * 10.0) as usize).min(9);
                        buckets[b].0 += 1;
                        buckets[b].1 += usize::from(t.key == p.truth.tokens[s.transcript.start].key);
                    }
                }
            }
            println!("confidence  words  right");
            for (b, (n, right)) in buckets.iter().enumerate() {
                let share = if *n == 0 { 0.0 } else { *right as f64 / *n as f64 };
                println!("{:.1}-{:.1}  {n:6}  {:5.1}%", b as f64 / 10.0, (b + 1) as f64 / 10.0, share * 100.0);
            }
        }
        "shared" => {
            let ratio = |s: scanproof::types::Shared| s.matched as f64 / s.transcript.min(s.scans).max(1) as f64;
            let (mut own_min, mut other_max) = (f64::MAX, 0f64);
            for p in &pages {
                let a = align(&p.truth.tokens, std::slice::from_ref(&p.ocr), &Params::default());
                let own = ratio(a.shared_words(&p.truth.tokens, std::slice::from_ref(&p.ocr), &Params::default()));
                let mut worst = (0f64, String::new());
                for q in pages.iter().filter(|q| document(&q.name) != document(&p.name)) {
                    let a = align(&q.truth.tokens, std::slice::from_ref(&p.ocr), &Params::default());
                    let r = ratio(a.shared_words(&q.truth.tokens, std::slice::from_ref(&p.ocr), &Params::default()));
                    if r > worst.0 {
                        worst = (r, q.name.clone());
                    }
                }
                println!("{}: own {:.3}, another document's at most {:.3} ({})", p.name, own, worst.0, worst.1);
                own_min = own_min.min(own);
                other_max = other_max.max(worst.0);
            }
            println!("smallest own {own_min:.3}, largest another's {other_max:.3}");
        }
        "region" => {
            let (mut set_aside, mut unverified, mut total) = (0usize, 0usize, 0usize);
            for p in &pages {
                let a = align(&p.truth.tokens, std::slice::from_ref(&p.ocr), &Params::default());
                let c = scanproof::coverage::assess(
                    &p.truth,
                    std::slice::from_ref(&p.ocr),
                    &a,
                    &[],
                    &scanproof::coverage::Params::default(),
                );
                let chars = |s: &scanproof::types::LineStatus| -> usize {
                    p.truth.tokens.iter().zip(&c.status).filter(|(_, st)| *st == s).map(|(t, _)| t.chars.len()).sum()
                };
                let all: usize = p.truth.tokens.iter().map(|t| t.chars.len()).sum();
                let (n, u) = (
                    chars(&scanproof::types::LineStatus::NotOnScans),
                    chars(&scanproof::types::LineStatus::Unverified),
                );
                let (_, counts) = a.error_counts(&p.truth.tokens, 1);
                println!(
                    "{}: CER {:.1}%, not on the scans {:.2}%, unverified {:.2}% of {all} characters",
                    p.name,
                    counts.cer() * 100.0,
                    n as f64 * 100.0 / all as f64,
                    u as f64 * 100.0 / all as f64
                );
                set_aside += n;
                unverified += u;
                total += all;
            }
            println!(
                "all: not on the scans {:.2}%, unverified {:.2}% of {total} characters",
                set_aside as f64 * 100.0 / total as f64,
                unverified as f64 * 100.0 / total as f64
            );
        }
        other => panic!("unknown figure {other}: floor, shared, region, orient or turn"),
    }
}

/// Each image turned clockwise by 0/90/180/270: what orientation detection says puts it
/// upright, and how sure it is. A right answer undoes the turn.
fn orientation(lang: &str, dirs: &[String]) {
    let mut tess = Tesseract::new(&OcrSettings { lang: lang.into(), ..Default::default() }).expect("tesseract");
    let (mut right_min, mut wrong_max, mut right, mut wrong, mut none) = (f32::MAX, 0f32, 0, 0, 0);
    for dir in dirs {
        for path in images(dir) {
            let page = scanproof::scan::load_page(&path).expect("image");
            let mut line = path.file_stem().unwrap().to_string_lossy().into_owned();
            for turned_by in [0u32, 90, 180, 270] {
                let turned = if turned_by == 0 { page.clone() } else { scanproof::scan::turn(&page, turned_by) };
                match tess.orientation(&turned) {
                    Some((turn, conf)) => {
                        let ok = (turned_by + turn) % 360 == 0;
                        line += &format!(
                            "  {turned_by:3}: turn {turn:3} conf {conf:5.2}{}",
                            if ok { "" } else { " WRONG" }
                        );
                        if ok {
                            right += 1;
                            right_min = right_min.min(conf);
                        } else {
                            wrong += 1;
                            wrong_max = wrong_max.max(conf);
                        }
                    }
                    None => {
                        none += 1;
                        line += &format!("  {turned_by:3}: none");
                    }
                }
            }
            println!("{line}");
        }
    }
    println!(
        "right {right} (lowest confidence {right_min:.2}), wrong {wrong} (highest {wrong_max:.2}), no answer {none}"
    );
}

/// See the `turn` figure above.
fn turns(lang: &str, dirs: &[String]) {
    use scanproof::ocr::{read_upright, Recognizer, Segmentation};
    use scanproof::types::OcrWord;
    /// Tesseract, counting the page readings asked of it.
    struct Counted(Tesseract, usize);
    impl Recognizer for Counted {
        fn recognize(&mut self, image: &image::GrayImage, mode: Segmentation) -> Result<Vec<OcrWord>, String> {
            self.1 += 1;
            self.0.recognize(image, mode)
        }
        fn upright_turn(&mut self, image: &image::GrayImage) -> Option<u32> {
            self.0.upright_turn(image)
        }
    }
    let settings = OcrSettings { lang: lang.into(), ..Default::default() };
    let mut tess = Counted(Tesseract::new(&settings).expect("tesseract"), 0);
    let wanted: Vec<u32> = std::env::var("TURNS")
        .unwrap_or_else(|_| "0".into())
        .split(',')
        .map(|t| t.trim().parse().expect("TURNS: degrees"))
        .collect();
    let (mut right, mut wrong, mut pages) = (0, 0, 0);
    for dir in dirs {
        for path in images(dir) {
            let page = scanproof::scan::load_page(&path).expect("image");
            for &turned_by in &wanted {
                let image = if turned_by == 0 { page.clone() } else { scanproof::scan::turn(&page, turned_by) };
                let proposed = tess.upright_turn(&image).unwrap_or(0);
                let before = tess.1;
                let read = read_upright(&mut tess, image).expect("read");
                let ok = (turned_by + read.rotation) % 360 == 0;
                println!(
                    "{} turned {turned_by}: proposed {proposed}, turned back {} after {} reading(s){}",
                    path.file_stem().unwrap().to_string_lossy(),
                    read.rotation,
                    tess.1 - before,
                    if ok { "" } else { " WRONG" }
                );
                (right, wrong) = if ok { (right + 1, wrong) } else { (right, wrong + 1) };
                pages += 1;
            }
        }
    }
    println!("right way up {right}, wrong {wrong}; {} readings for {pages} pages", tess.1);
}

/// The page images in a folder, in name order.
fn images(dir: &str) -> Vec<PathBuf> {
    let mut images: Vec<PathBuf> = std::fs::read_dir(dir).expect("folder").flatten().map(|e| e.path()).collect();
    images.retain(|p| scanproof::scan::is_image_path(p));
    images.sort();
    images
}
