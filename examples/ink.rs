//! Measure preprocessing for heavy and faint ink (issue 13): each page is loaded and enlarged as
//! `check` reads it, then read as it is, with dark strokes thinned (grayscale dilation, 3×3),
//! thickened (grayscale erosion, 3×3), with Tesseract's Sauvola binarization instead of Otsu,
//! as one block of text (PSM 6), as one column (PSM 4), and as `check` reads it with all its
//! rules (`ocr::read_upright`). Prints each variant's CER against the page's correct text and
//! its mean confidence, letters and confident letters, with the page's stroke width relative
//! to its letter height and its ink share.
//!
//! cargo run --release --example ink -- DIR [DIR ...]   (render-pages folders: PAGE.json + PAGE.txt)
//! VARIANTS=0,6 cargo run ...   reads only those variants (0 as read, 6 the rule; see `NAMES`)

use image::GrayImage;
use imageproc::morphology::{grayscale_dilate, grayscale_erode, Mask};
use scanproof::ocr::{OcrSettings, Recognizer, Segmentation, Tesseract};
use scanproof::types::OcrPage;
use std::collections::HashMap;
use std::path::Path;

/// Stroke width over letter height on the Otsu-binarized page: a stroke of width w and length
/// L has about w·L ink pixels and 2·L edge pixels, so w ≈ 2·ink/edge.
fn stroke(page: &GrayImage) -> (f32, f32) {
    let level = imageproc::contrast::otsu_level(page);
    let (w, h) = page.dimensions();
    let ink = |x: u32, y: u32| page.get_pixel(x, y)[0] <= level;
    let (mut area, mut edge) = (0u64, 0u64);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            if ink(x, y) {
                area += 1;
                if !ink(x - 1, y) || !ink(x + 1, y) || !ink(x, y - 1) || !ink(x, y + 1) {
                    edge += 1;
                }
            }
        }
    }
    let width = 2.0 * area as f32 / edge.max(1) as f32;
    let letter = scanproof::scan::letter_height(page).unwrap_or(22) as f32;
    (width / letter, area as f32 / (w * h) as f32)
}

fn main() {
    let mut engines: HashMap<String, Tesseract> = HashMap::new();
    const NAMES: [&str; 7] = ["as read", "thin 3x3", "thicken 3x3", "sauvola", "block", "column", "the rule"];
    let names = NAMES;
    let mut totals = [(0usize, 0usize); 7];
    let only: Option<Vec<usize>> =
        std::env::var("VARIANTS").ok().map(|v| v.split(',').map(|k| k.parse().expect("variant number")).collect());
    for dir in std::env::args().skip(1) {
        let mut metas: Vec<_> = std::fs::read_dir(&dir)
            .expect("folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p.with_extension("txt").exists())
            .collect();
        metas.sort();
        for meta_path in metas {
            let meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
            let (Some(image), Some(lang)) = (meta["image"].as_str(), meta["lang"].as_str()) else { continue };
            let path = Path::new(&dir).join(image);
            let engine = engines.entry(lang.to_string()).or_insert_with(|| {
                Tesseract::new(&OcrSettings { lang: lang.into(), alternatives: false, ..Default::default() }).unwrap()
            });
            let page = scanproof::scan::load_page(&path).expect("page");
            let scale = scanproof::scan::ocr_scale(&page);
            let page = if scale > 1.0 {
                let (w, h) = page.dimensions();
                let (sw, sh) = ((w as f32 * scale).round() as u32, (h as f32 * scale).round() as u32);
                image::imageops::resize(&page, sw, sh, image::imageops::FilterType::CatmullRom)
            } else {
                page
            };
            let truth = scanproof::formats::read_text(&meta_path.with_extension("txt")).expect("truth");
            let (rel_stroke, ink_share) = stroke(&page);
            let mut line = format!(
                "{:<40} {:>6} {:.1} scale {scale:.2} stroke/letter {rel_stroke:.3} ink {ink_share:.3}",
                meta_path.file_stem().unwrap().to_string_lossy(),
                meta["ink"].as_str().unwrap_or("?"),
                meta["strength"].as_f64().unwrap_or(0.0)
            );
            for (k, name) in names.iter().enumerate() {
                if only.as_ref().is_some_and(|o| !o.contains(&k)) {
                    continue;
                }
                let image = match k {
                    1 => grayscale_dilate(&page, &Mask::square(1)),
                    2 => grayscale_erode(&page, &Mask::square(1)),
                    _ => page.clone(),
                };
                let mode = match k {
                    4 => Segmentation::Block,
                    5 => Segmentation::Column,
                    _ => Segmentation::Page,
                };
                engine.set_variable("thresholding_method", if k == 3 { "2" } else { "0" });
                let words = if k == 6 {
                    // As `check` reads the page (it enlarges the page itself; boxes unused here).
                    let page = scanproof::scan::load_page(&path).expect("page");
                    scanproof::ocr::read_upright(engine, page).expect("ocr").words
                } else {
                    engine.recognize(&image, mode).expect("ocr")
                };
                let pages = [OcrPage {
                    index: 1,
                    path: path.clone(),
                    width: image.width(),
                    height: image.height(),
                    words,
                    ..Default::default()
                }];
                // Whole-page CER: the aligner's CER counts only the region it places on the
                // page, which a garbled reading shrinks.
                let read: Vec<&str> = pages[0].words.iter().map(|w| w.text.as_str()).collect();
                let want: Vec<&str> = truth.text.split_whitespace().collect();
                let (read, want) = (read.join(" "), want.join(" "));
                let errors = strsim::levenshtein(&read, &want);
                let n = want.chars().count();
                totals[k].0 += errors;
                totals[k].1 += n;
                let s = scanproof::ocr::Strength::of(&pages[0].words);
                line.push_str(&format!(
                    "  {name} {:.3} ({:.2} {} {:.0})",
                    errors as f32 / n.max(1) as f32,
                    s.mean(),
                    s.letters,
                    s.confident
                ));
            }
            println!("{line}");
        }
    }
    for (k, name) in names.iter().enumerate() {
        if only.as_ref().is_some_and(|o| !o.contains(&k)) {
            continue;
        }
        println!("{name:>12}: CER {:.2}%", 100.0 * totals[k].0 as f64 / totals[k].1.max(1) as f64);
    }
}
