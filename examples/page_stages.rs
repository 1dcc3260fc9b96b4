//! Where a page's time goes in `check`'s first reading (issue 16): decoding, contrast stretch,
//! letter-height and skew measurement, levelling, enlargement, Tesseract's recognition with and
//! without the LSTM's alternatives, and the result-iterator walk. Times are this thread's CPU
//! time (from /proc/thread-self/schedstat), so other work on the machine does not inflate them;
//! levelling runs on rayon's threads, so give it one (`RAYON_NUM_THREADS=1`), and Tesseract
//! one too (`OMP_THREAD_LIMIT=1`, as `scanproof` sets for itself).
//!
//!     OMP_THREAD_LIMIT=1 RAYON_NUM_THREADS=1 cargo run --release --example page_stages -- LANG PAGE...
use scanproof::ocr::{OcrSettings, Recognizer, Segmentation, Tesseract};

/// CPU time of this thread, in milliseconds.
fn cpu_ms() -> f64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    s.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()).expect("a number") / 1e6
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = cpu_ms();
    let out = f();
    (out, cpu_ms() - t)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let lang = args.next().expect("LANG PAGE...");
    let pages: Vec<String> = args.collect();
    let settings = OcrSettings { lang, ..OcrSettings::default() };
    let (engine, init) = timed(|| Tesseract::new(&settings).expect("tesseract"));
    let mut engine = engine;
    println!("engine init {init:.0} ms");
    println!("page\tdecode\tstretch\tletter_height\tskew\tlevel\tscale\tenlarge\trecognize\twith alternatives\twords");
    let mut totals = [0.0f64; 8];
    for p in &pages {
        let path = std::path::Path::new(p);
        let (raw, decode) = timed(|| image::open(path).expect("image").into_luma8());
        let (page, stretch) = timed(|| scanproof::scan::preprocess(raw.clone()));
        let (height, measure) = timed(|| scanproof::scan::letter_height(&page));
        let (skew, skewing) = timed(|| scanproof::scan::measure_skew(&page));
        let (levelled, levelling) = timed(|| {
            let level = if skew.abs() >= scanproof::scan::MIN_SKEW { skew } else { 0.0 };
            scanproof::scan::level(&page, level)
        });
        let scale = scanproof::scan::ocr_scale(&levelled);
        let (big, enlarging) = timed(|| scanproof::scan::enlarge(&levelled, scale).unwrap_or_else(|| levelled.clone()));
        let (words, plain) = timed(|| engine.recognize(&big, Segmentation::Page).expect("ocr"));
        let (with, choices) = timed(|| engine.recognize_with_alternatives(&big, Segmentation::Page).expect("ocr"));
        let same = words.len() == with.len()
            && words
                .iter()
                .zip(&with)
                .all(|(a, b)| a.text == b.text && a.bbox == b.bbox && a.confidence == b.confidence);
        let name = path.file_name().unwrap().to_string_lossy();
        println!(
            "{name}\t{decode:.0}\t{stretch:.0}\t{measure:.0} ({height:?} px)\t{skewing:.0} ({skew}°)\t{levelling:.0}\t{scale:.2}\t{enlarging:.0}\t{plain:.0}\t{choices:.0}\t{} {}",
            words.len(),
            if same { "same words" } else { "WORDS DIFFER" }
        );
        for (t, v) in totals.iter_mut().zip([decode, stretch, measure, skewing, levelling, enlarging, plain, choices]) {
            *t += v;
        }
    }
    let [d, s, m, k, l, e, r, c] = totals;
    println!("total (ms)\t{d:.0}\t{s:.0}\t{m:.0}\t{k:.0}\t{l:.0}\t\t{e:.0}\t{r:.0}\t{c:.0}");
    println!("alternatives add {:.1}% to recognition", (c / r - 1.0) * 100.0);
}
