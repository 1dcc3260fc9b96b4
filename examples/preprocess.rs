//! Measure whether preprocessing a page with `imageproc` helps Tesseract: OCR each page as
//! decoded (grayscale), after Otsu binarization, after a 3x3 median filter, and after a
//! contrast stretch, and print each variant's character error rate against the page's correct
//! transcription (the same CER `check` reports).
//!
//! cargo run --release --example preprocess -- LANG PAGE.png TRUTH.txt [PAGE TRUTH ...]

use image::GrayImage;
use imageproc::contrast::{otsu_level, stretch_contrast, threshold, ThresholdType};
use imageproc::filter::median_filter;
use scanproof::align::{align, Params};
use scanproof::ocr::{OcrSettings, Recognizer, Segmentation, Tesseract};
use scanproof::types::OcrPage;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lang = &args[0];
    let mut engine = Tesseract::new(&OcrSettings { lang: lang.clone(), ..Default::default() }).expect("tesseract");
    let variants: [(&str, fn(&GrayImage) -> GrayImage); 4] = [
        ("as decoded", |g| g.clone()),
        ("otsu", |g| threshold(g, otsu_level(g), ThresholdType::Binary)),
        ("median 3x3", |g| median_filter(g, 1, 1)),
        ("contrast stretch", |g| {
            let mut v: Vec<u8> = g.as_raw().clone();
            v.sort_unstable();
            let (lo, hi) = (v[v.len() / 100], v[v.len() * 99 / 100]);
            stretch_contrast(g, lo, hi.max(lo + 1), 0, 255)
        }),
    ];
    let mut totals = vec![(0usize, 0usize); variants.len()];
    for pair in args[1..].chunks(2) {
        // The page as decoded, before the stretch that `load_page` applies.
        let page = image::open(&pair[0]).expect("page").into_luma8();
        let truth = scanproof::formats::read_text(pair[1].as_ref()).expect("truth");
        let mut line = pair[0].clone();
        for (k, (_, f)) in variants.iter().enumerate() {
            let words = engine.recognize(&f(&page), Segmentation::Page).expect("ocr");
            let pages = [OcrPage {
                index: 1,
                path: pair[0].clone().into(),
                width: page.width(),
                height: page.height(),
                words,
                ..Default::default()
            }];
            let a = align(&truth.tokens, &pages, &Params::default());
            let (_, c) = a.error_counts(&truth.tokens, 1);
            totals[k].0 += c.char_errors;
            totals[k].1 += c.ref_chars;
            line.push_str(&format!("  {:.2}%", c.cer() * 100.0));
        }
        println!("{line}");
    }
    for (k, (name, _)) in variants.iter().enumerate() {
        println!("{name:>18}: CER {:.2}%", 100.0 * totals[k].0 as f64 / totals[k].1.max(1) as f64);
    }
}
