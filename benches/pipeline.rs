//! Criterion benchmarks of the stages after OCR: tokenization, alignment and scoring, on the
//! sample's recorded OCR (tests/fixtures/bagirov-1946/ocr.json, five pages) and on synthetic
//! long documents (`scanproof::synthetic`). OCR itself is Tesseract's time, measured by
//! scripts/bench_throughput.sh instead. Run: `cargo bench --bench pipeline`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use scanproof::lexicon::Lexicon;
use scanproof::types::OcrPage;
use std::hint::black_box;
use std::path::Path;

fn sample() -> (String, Vec<OcrPage>) {
    let text = std::fs::read_to_string("transcripts/bagirov-1946.txt").expect("run from the repository root");
    let pages = scanproof::ocr::read_pages_json(Path::new("tests/fixtures/bagirov-1946/ocr.json")).unwrap();
    (text, pages)
}

/// A synthetic document of `pages` pages and its OCR-like reading (5% of characters changed).
fn synthetic(pages: usize) -> (String, Vec<OcrPage>) {
    let truth = scanproof::synthetic::book(pages, 1);
    let ocr = scanproof::synthetic::corrupt(&truth, 0.05, 2);
    (truth, vec![scanproof::reading::page_from_text(Path::new("ocr.txt"), &ocr)])
}

fn tokenization(c: &mut Criterion) {
    let mut g = c.benchmark_group("tokenize");
    for (name, text) in [("sample", sample().0), ("synthetic-100p", synthetic(100).0)] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| scanproof::transcript::tokenize(black_box(t)))
        });
    }
    g.finish();
}

fn alignment(c: &mut Criterion) {
    let mut g = c.benchmark_group("align");
    g.sample_size(10);
    let params = scanproof::align::Params::default();
    for (name, (text, pages)) in [("sample", sample()), ("synthetic-100p", synthetic(100))] {
        let tokens = scanproof::transcript::tokenize(&text);
        g.throughput(Throughput::Elements(tokens.len() as u64));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| scanproof::align::align(black_box(&tokens), black_box(&pages), &params))
        });
    }
    g.finish();
}

fn scoring(c: &mut Criterion) {
    let mut g = c.benchmark_group("score");
    g.sample_size(10);
    let params = scanproof::score::Params::default();
    // No dictionary: the lexicon is hunspell's time, and not every machine has it.
    let lexicon = Lexicon::empty();
    for (name, (text, pages)) in [("sample", sample()), ("synthetic-100p", synthetic(100))] {
        let transcript = scanproof::transcript::from_text(Path::new("t.txt"), text);
        let alignment = scanproof::align::align(&transcript.tokens, &pages, &scanproof::align::Params::default());
        g.throughput(Throughput::Elements(alignment.discrepancies.len() as u64));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| scanproof::score::weigh_discrepancies(&transcript, &pages, &alignment, &lexicon, &params))
        });
    }
    g.finish();
}

criterion_group!(benches, tokenization, alignment, scoring);
criterion_main!(benches);
