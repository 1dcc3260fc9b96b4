//! Print each page's median letter height and the OCR scale it gives (scan::ocr_scale), with
//! the time the estimate takes: the figures behind TARGET_LETTER_HEIGHT; then its skew
//! (scan::measure_skew) and the time that takes.
//!
//!     cargo run --release --example letter_height -- ../shared/corpus/ehri/english scans/bagirov-1946
use std::time::Instant;

fn main() {
    let inputs: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    for path in scanproof::scan::collect_scan_paths(&inputs).expect("scan paths") {
        let page = scanproof::scan::load_page(&path).expect("page");
        let t = Instant::now();
        let h = scanproof::scan::letter_height(&page);
        let ms = t.elapsed().as_millis();
        let scale = scanproof::scan::ocr_scale(&page);
        let t = Instant::now();
        let skew = scanproof::scan::measure_skew(&page);
        let skew_ms = t.elapsed().as_millis();
        println!(
            "{}\t{}x{}\t{:?}\t{scale:.2}\t{ms} ms\t{skew}°\t{skew_ms} ms",
            path.display(),
            page.width(),
            page.height(),
            h
        );
    }
}
