//! Print the lines of type each page holds that the OCR read nothing of (`ocr::unread`), as
//! `check` finds them: the figures behind issue 13's unread passages.
//!
//!     cargo run --release --example unread -- LANG PAGE...
use scanproof::ocr::{OcrSettings, Tesseract};

fn main() {
    let mut args = std::env::args().skip(1);
    let lang = args.next().expect("LANG PAGE...");
    let mut engine = Tesseract::new(&OcrSettings { lang, ..Default::default() }).expect("engine");
    for path in args {
        let page = scanproof::scan::load_page(path.as_ref()).expect("page");
        let read = scanproof::ocr::read_upright(&mut engine, page).expect("ocr");
        let s = scanproof::ocr::Strength::of(&read.words);
        let t = std::time::Instant::now();
        let again = scanproof::ocr::unread::unread_lines(&read.image, &read.words);
        eprintln!("unread_lines: {} ms ({} lines)", t.elapsed().as_millis(), again.len());
        if std::env::var("DEBUG").is_ok() {
            debug(&read.image);
        }
        let pieces = scanproof::scan::ink_components(&read.image, imageproc::contrast::otsu_level(&read.image));
        println!(
            "{path}: {} words, {:.0} letters at {:.2}; letter height {:?}; {} ink pieces, ink {:.4}; {} unread lines, {} letters",
            read.words.len(),
            s.letters,
            s.mean(),
            scanproof::scan::letter_height(&read.image),
            pieces.len(),
            scanproof::ocr::unread::ink_share(&read.image),
            read.unread.len(),
            read.unread.iter().map(|l| l.letters).sum::<u32>()
        );
        for l in &read.unread {
            println!("  {:?} {}", l.bbox, l.letters);
        }
    }
}

#[allow(dead_code)]
fn debug(image: &image::GrayImage) {
    let pieces = scanproof::scan::ink_components(image, imageproc::contrast::otsu_level(image));
    let mut hs: Vec<(u32, u32, u32, u32)> =
        pieces.iter().map(|&(y0, y1, x0, x1)| (y1 + 1 - y0, x1 + 1 - x0, y0, x0)).filter(|p| p.0 >= 5).collect();
    hs.sort();
    eprintln!(
        "otsu {} pieces>=5px {}: {:?}",
        imageproc::contrast::otsu_level(image),
        hs.len(),
        &hs[..hs.len().min(80)]
    );
}
