//! Where an OCR reading's time goes beyond Tesseract's one reading of the page (issue 16): the
//! page's loading and preparing (levelling, enlargement), then each recognition `read_prepared`
//! makes for it, in order, with its segmentation, image size and CPU time: the first one, and
//! the extra ones of unsure pages (orientation detection, turned, Sauvola, thinned, block).
//! "other" is the rest of the reading (the lines left unread). Times are this thread's CPU time
//! (/proc/thread-self/schedstat): run it with one thread for Tesseract and for rayon.
//!
//!     OMP_THREAD_LIMIT=1 RAYON_NUM_THREADS=1 cargo run --release --example read_costs -- LANG PAGE...
use image::GrayImage;
use scanproof::ocr::{ink::Binarization, OcrSettings, Recognizer, Segmentation, Tesseract};
use scanproof::types::OcrWord;

fn cpu_ms() -> f64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    s.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()).expect("a number") / 1e6
}

/// Tesseract, with every call timed.
struct Timed {
    inner: Tesseract,
    /// Each recognition of the page so far: what it was, and its CPU milliseconds.
    calls: Vec<(String, f64)>,
    binarization: Binarization,
}

impl Timed {
    fn log(&mut self, what: String, start: f64) {
        self.calls.push((what, cpu_ms() - start));
    }
}

impl Recognizer for Timed {
    fn recognize(&mut self, image: &GrayImage, mode: Segmentation) -> Result<Vec<OcrWord>, String> {
        let t = cpu_ms();
        let out = self.inner.recognize(image, mode);
        let b = if self.binarization == Binarization::Sauvola { "/sauvola" } else { "" };
        self.log(format!("{mode:?}{b} {}x{}", image.width(), image.height()), t);
        out
    }
    fn recognize_with_alternatives(&mut self, image: &GrayImage, mode: Segmentation) -> Result<Vec<OcrWord>, String> {
        let t = cpu_ms();
        let out = self.inner.recognize_with_alternatives(image, mode);
        self.log(format!("{mode:?}+alts {}x{}", image.width(), image.height()), t);
        out
    }
    fn upright_turn(&mut self, image: &GrayImage) -> Option<u32> {
        let t = cpu_ms();
        let out = self.inner.upright_turn(image);
        self.log(format!("osd→{out:?}"), t);
        out
    }
    fn set_binarization(&mut self, b: Binarization) {
        self.binarization = b;
        self.inner.set_binarization(b)
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let lang = args.next().expect("LANG PAGE...");
    let settings = OcrSettings { lang, ..OcrSettings::default() };
    let mut engine = Timed {
        inner: Tesseract::new(&settings).expect("tesseract"),
        calls: Vec::new(),
        binarization: Binarization::Otsu,
    };
    let (mut first_sum, mut extra_sum) = (0.0, 0.0);
    let (mut load_sum, mut prepare_sum, mut rest_sum) = (0.0, 0.0, 0.0);
    for p in args {
        let t = cpu_ms();
        let image = scanproof::scan::load_page(std::path::Path::new(&p)).expect("page");
        let load = cpu_ms() - t;
        let prepared = scanproof::scan::prepare(image);
        let prepare = cpu_ms() - t - load;
        let page = scanproof::ocr::read_prepared(&mut engine, prepared).expect("read");
        let all = cpu_ms() - t;
        let read: f64 = engine.calls.iter().map(|(_, ms)| ms).sum();
        let rest = all - load - prepare - read;
        (load_sum, prepare_sum, rest_sum) = (load_sum + load, prepare_sum + prepare, rest_sum + rest);
        let first = engine.calls.first().map_or(0.0, |(_, ms)| *ms);
        first_sum += first;
        extra_sum += read - first;
        println!(
            "{p}\t{all:.0} ms\tload {load:.0}\tprepare {prepare:.0}\tfirst {first:.0}\textra {:.0}\tother {rest:.0}\trot {}\t{}",
            read - first,
            page.rotation,
            engine.calls.iter().map(|(what, ms)| format!("{what} {ms:.0}")).collect::<Vec<_>>().join(" | ")
        );
        engine.calls.clear();
    }
    println!(
        "load {load_sum:.0} ms, prepare {prepare_sum:.0} ms, first readings {first_sum:.0} ms, extra readings {extra_sum:.0} ms, other {rest_sum:.0} ms"
    );
}
