//! Write a synthetic book and an OCR-like corruption of it, for the long-document alignment
//! benchmark (scripts/bench_align.sh): `long_document PAGES OUT_DIR [RATE] [SEED]` writes
//! OUT_DIR/transcript.txt and OUT_DIR/ocr.txt.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: long_document PAGES OUT_DIR [RATE] [SEED]");
        std::process::exit(2);
    }
    let pages: usize = args[0].parse().expect("PAGES is a number");
    let dir = PathBuf::from(&args[1]);
    let rate: f64 = args.get(2).map_or(0.05, |r| r.parse().expect("RATE is a fraction"));
    let seed: u64 = args.get(3).map_or(1, |s| s.parse().expect("SEED is a number"));
    std::fs::create_dir_all(&dir).expect("the output folder can be made");
    let truth = scanproof::synthetic::book(pages, seed);
    let ocr = scanproof::synthetic::corrupt(&truth, rate, seed + 1);
    std::fs::write(dir.join("transcript.txt"), &truth).expect("transcript written");
    std::fs::write(dir.join("ocr.txt"), &ocr).expect("OCR text written");
    eprintln!("{} words, {} characters; {}", truth.split_whitespace().count(), truth.chars().count(), dir.display());
}
