//! Write a page as `check` prepares it for its first reading (decoded, contrast stretched,
//! levelled), with its measured skew, letter height and enlargement: to look at what
//! Tesseract is given.
//!
//!     cargo run --release --example dump_page -- PAGE OUT.png
fn main() {
    let mut args = std::env::args().skip(1);
    let (page, out) = (args.next().expect("PAGE OUT.png"), args.next().expect("PAGE OUT.png"));
    let decoded = scanproof::scan::load_page(std::path::Path::new(&page)).expect("a page");
    let prepared = scanproof::scan::prepare(decoded);
    let image = prepared.levelled.as_ref().unwrap_or(&prepared.decoded);
    let histogram = scanproof::scan::grey_histogram(image);
    println!(
        "skew {:.2}, letter height {:?}, scale {:.2}, Otsu {}, paper {:?}",
        prepared.skew,
        scanproof::scan::letter_height(image),
        prepared.scale,
        scanproof::scan::otsu_level(&histogram),
        scanproof::scan::paper_level(&histogram)
    );
    image.save(&out).expect("written");
}
