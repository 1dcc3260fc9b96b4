//! Write a collection of one-page documents checked against OCR text (`batch` with an
//! `ocr_text` column), for the memory benchmark of scripts/bench_collection.sh:
//! `text_collection DOCUMENTS OUT_DIR [RATE] [SEED]` writes OUT_DIR/manifest.csv and, per
//! document, OUT_DIR/t/N.txt (a synthetic page) and OUT_DIR/o/N.txt (an OCR-like corruption of
//! it, RATE of its characters changed).

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: text_collection DOCUMENTS OUT_DIR [RATE] [SEED]");
        std::process::exit(2);
    }
    let documents: usize = args[0].parse().expect("DOCUMENTS is a number");
    let dir = PathBuf::from(&args[1]);
    let rate: f64 = args.get(2).map_or(0.03, |r| r.parse().expect("RATE is a fraction"));
    let seed: u64 = args.get(3).map_or(1, |s| s.parse().expect("SEED is a number"));
    for sub in ["t", "o"] {
        std::fs::create_dir_all(dir.join(sub)).expect("the output folder can be made");
    }
    // One book, a page per document: pages end with a blank line.
    let book = scanproof::synthetic::book(documents, seed);
    let mut manifest = String::from("id,transcript,ocr_text\n");
    for (n, page) in book.split("\n\n").filter(|p| !p.trim().is_empty()).enumerate() {
        let ocr = scanproof::synthetic::corrupt(page, rate, seed + n as u64 + 1);
        std::fs::write(dir.join(format!("t/{n}.txt")), page).expect("transcript written");
        std::fs::write(dir.join(format!("o/{n}.txt")), ocr).expect("OCR text written");
        writeln!(manifest, "page-{n},t/{n}.txt,o/{n}.txt").unwrap();
    }
    std::fs::write(dir.join("manifest.csv"), manifest).expect("manifest written");
    eprintln!("{documents} documents in {}", dir.display());
}
