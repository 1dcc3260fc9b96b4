//! Time the stages after OCR on a long document given as two texts (transcript, OCR text):
//! `align_stages TRANSCRIPT OCR_TEXT` prints tokenize, align and score times, for finding
//! where a long document's time goes (scripts/bench_align.sh runs the whole CLI instead).

use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    assert!(args.len() == 2, "usage: align_stages TRANSCRIPT OCR_TEXT");
    let t0 = Instant::now();
    let text = std::fs::read_to_string(&args[0]).expect("transcript");
    let ocr = std::fs::read_to_string(&args[1]).expect("OCR text");
    let transcript = scanproof::transcript::from_text(Path::new(&args[0]), text);
    let pages = vec![scanproof::reading::page_from_text(Path::new(&args[1]), &ocr)];
    let t1 = Instant::now();
    let alignment = scanproof::align::align(&transcript.tokens, &pages, &scanproof::align::Params::default());
    let t2 = Instant::now();
    let lexicon = scanproof::lexicon::Lexicon::empty();
    let flags = scanproof::score::weigh_discrepancies(
        &transcript,
        &pages,
        &alignment,
        &lexicon,
        &scanproof::score::Params::default(),
    );
    let t3 = Instant::now();
    eprintln!(
        "{} tokens, {} OCR words, {} discrepancies, {} flags; read+tokenize {:.3}s align {:.3}s score {:.3}s",
        transcript.tokens.len(),
        pages[0].words.len(),
        alignment.discrepancies.len(),
        flags.len(),
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64()
    );
}
