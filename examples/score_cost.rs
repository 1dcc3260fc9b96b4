//! What scoring costs beside the OCR: the dictionary load, alignment and weighing of one page
//! read earlier (`scanproof ocr -o pages.json`), timed separately.
//!   cargo run --release --example score_cost -- pages.json TRANSCRIPT LANG
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pages = scanproof::ocr::read_pages_json(std::path::Path::new(&args[1])).unwrap();
    let transcript = scanproof::transcript::read_transcript(std::path::Path::new(&args[2])).unwrap();
    let t = Instant::now();
    let lexicon = scanproof::lexicon::Lexicon::load(&args[3], &[]).unwrap();
    let load = t.elapsed();
    let t = Instant::now();
    let alignment = scanproof::align::align(&transcript.tokens, &pages, &scanproof::align::Params::default());
    let align = t.elapsed();
    let params = scanproof::score::Params::default();
    let t = Instant::now();
    let flags = scanproof::score::weigh_discrepancies(&transcript, &pages, &alignment, &lexicon, &params);
    let weigh = t.elapsed();
    println!(
        "dictionary load {:.3} s, alignment {:.3} s, evidence and scores {:.3} s ({} candidates)",
        load.as_secs_f64(),
        align.as_secs_f64(),
        weigh.as_secs_f64(),
        flags.len()
    );
}
