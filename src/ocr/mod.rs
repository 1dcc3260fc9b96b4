//! OCR stage: a grayscale page in, recognized words out (text, box, line, confidence, and per
//! symbol the engine's alternatives). The `Recognizer` trait keeps the engine swappable (a fake
//! one drives the unit tests of later stages); `Tesseract` is the real one, one engine per
//! worker thread and no global state. It does not compare anything with the transcript.

use crate::error::{Error, Result};
use crate::types::{BBox, OcrChar, OcrWord};
use image::GrayImage;
use leptess::capi;
use std::ffi::{CStr, CString};
use std::os::raw::c_int;
use std::path::{Path, PathBuf};

pub use crate::types::Reading;

pub mod ink;
mod orient;
mod page;
pub mod unread;
pub use orient::{
    keeps_turn, read_once, read_prepared, read_turned, read_upright, reads_upright, Strength, UprightPage,
};
pub use page::{recognize_enlarged, recognize_page, recognize_page_as, recognize_page_with, recognize_scaled};

/// How a region is segmented: the whole page, or one line / one word for a second reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmentation {
    Page,
    Line,
    Word,
    /// One uniform block of text (Tesseract's PSM 6): no layout analysis.
    Block,
    /// One column of text of varying sizes (PSM 4).
    Column,
}

/// What a recognition gives: the words, or why there are none.
pub type Recognized = std::result::Result<Vec<OcrWord>, String>;

pub trait Recognizer {
    /// Read a page (or a crop of one) and return its words in reading order.
    fn recognize(&mut self, image: &GrayImage, mode: Segmentation) -> std::result::Result<Vec<OcrWord>, String>;

    /// The same, with each symbol's alternatives (`OcrChar::alternatives`) filled in. Asking
    /// the LSTM for them costs 10-20% of a page read; `OcrSettings::alternatives` says whether
    /// whole pages ask, second readings always do. A recognizer with no alternatives reads as
    /// usual.
    fn recognize_with_alternatives(
        &mut self,
        image: &GrayImage,
        mode: Segmentation,
    ) -> std::result::Result<Vec<OcrWord>, String> {
        self.recognize(image, mode)
    }

    /// How far the page may need turning clockwise (0, 90, 180, 270) for its text to stand
    /// upright: a proposal that `read_upright` checks; `None` leaves the page as it is.
    fn upright_turn(&mut self, _image: &GrayImage) -> Option<u32> {
        None
    }

    /// Binarize pages as `ink::Binarization` says from now on (`ink::read_clearer`); a
    /// recognizer with one way of binarizing ignores it.
    fn set_binarization(&mut self, _binarization: ink::Binarization) {}
}

#[derive(Debug, Clone, PartialEq)]
pub struct OcrSettings {
    /// Tesseract language codes joined by '+', e.g. "rus" or "rus+eng".
    pub lang: String,
    /// Resolution reported to Tesseract when the image carries none; 300 dpi is what archives
    /// scan at, and Tesseract's size heuristics go wrong at its own default of 70.
    pub dpi: u32,
    /// Whether `recognize` (whole pages) asks the LSTM for per-symbol alternatives. Off by
    /// default: they cost 10-20% of a page's reading, and held out by document the model
    /// weighs them for nothing a second reading does not tell (EHRI English F1 0.933 with
    /// them on first readings, 0.928 without; German 0.854 and 0.852). Second readings, made
    /// for the doubtful words only, ask for them per call (`recognize_with_alternatives`).
    pub alternatives: bool,
    /// How many readings a page gets (`Reading`).
    pub reading: Reading,
}

impl Default for OcrSettings {
    fn default() -> Self {
        OcrSettings { lang: "eng".into(), dpi: 300, alternatives: false, reading: Reading::Thorough }
    }
}

/// Folders where Debian, Ubuntu and source builds keep `*.traineddata`.
fn tessdata_candidates() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(prefix) = std::env::var_os("TESSDATA_PREFIX") {
        let p = PathBuf::from(prefix);
        dirs.push(p.join("tessdata"));
        dirs.push(p);
    }
    for d in [
        "/usr/share/tesseract-ocr/5/tessdata",
        "/usr/share/tesseract-ocr/4.00/tessdata",
        "/usr/share/tessdata",
        "/usr/local/share/tessdata",
        "/opt/homebrew/share/tessdata",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// Check every language of `lang` before any engine starts, so a missing one is one clear
/// message naming the package to install, not Tesseract's own stderr noise. Returns the
/// tessdata folder that holds them all.
pub fn find_tessdata(lang: &str) -> Result<PathBuf> {
    resolve_lang(lang).map(|(dir, _)| dir)
}

/// A model's file in a tessdata folder. Script models are asked for as `script/Cyrillic`
/// (Tesseract's own layout) but Debian installs them as `Cyrillic.traineddata` beside the
/// languages; either place is accepted.
pub fn model_file(dir: &Path, code: &str) -> Option<PathBuf> {
    let direct = dir.join(format!("{code}.traineddata"));
    if direct.is_file() {
        return Some(direct);
    }
    let flat = dir.join(format!("{}.traineddata", code.strip_prefix("script/")?));
    flat.is_file().then_some(flat)
}

/// The tessdata folder holding every model of `lang`, and `lang` as Tesseract must be given it
/// there (`script/Cyrillic` becomes `Cyrillic` where the model lies flat).
pub fn resolve_lang(lang: &str) -> Result<(PathBuf, String)> {
    let codes: Vec<&str> = lang.split('+').collect();
    let valid = |c: &str| {
        let name = c.strip_prefix("script/").unwrap_or(c);
        !name.is_empty() && name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
    };
    if codes.iter().any(|c| !valid(c)) {
        return Err(Error::BadLanguage { lang: lang.to_string() });
    }
    let candidates = tessdata_candidates();
    for dir in &candidates {
        let files: Option<Vec<PathBuf>> = codes.iter().map(|c| model_file(dir, c)).collect();
        if let Some(files) = files {
            let names: Vec<String> = codes
                .iter()
                .zip(&files)
                .map(|(c, f)| if f.ends_with(format!("{c}.traineddata")) { c.to_string() } else { flat_name(c) })
                .collect();
            return Ok((dir.clone(), names.join("+")));
        }
    }
    // Name the first code that no folder has.
    let missing = codes.iter().find(|c| !candidates.iter().any(|d| model_file(d, c).is_some())).unwrap_or(&codes[0]);
    let searched: Vec<String> = candidates.iter().filter(|d| d.is_dir()).map(|d| d.display().to_string()).collect();
    Err(Error::MissingLanguage {
        lang: missing.to_string(),
        package: package_for(missing),
        searched: if searched.is_empty() { "no tessdata folder found".into() } else { searched.join(", ") },
    })
}

fn flat_name(code: &str) -> String {
    code.strip_prefix("script/").unwrap_or(code).to_string()
}

/// The Debian package of a model: tesseract-ocr-dan; a script model's package is named by the
/// script's ISO 15924 code (tesseract-ocr-script-cyrl), which the model's name does not give.
fn package_for(code: &str) -> String {
    match code.strip_prefix("script/") {
        Some(_) => "tesseract-ocr-script-… (apt-cache search tesseract-ocr-script)".into(),
        None => format!("tesseract-ocr-{}", code.to_lowercase().replace('_', "-")),
    }
}

/// Tesseract's version string, e.g. "5.3.0".
pub fn tesseract_version() -> String {
    // SAFETY: TessVersion returns a pointer to a static NUL-terminated string.
    unsafe { CStr::from_ptr(capi::TessVersion()).to_string_lossy().into_owned() }
}

/// One Tesseract engine (not shareable between threads: make one per worker).
pub struct Tesseract {
    api: *mut capi::TessBaseAPI,
    dpi: u32,
    /// What `recognize` asks for (`OcrSettings::alternatives`).
    alternatives: bool,
    /// The engine's current `lstm_choice_mode`, set only when a call needs the other one.
    choices_on: bool,
    /// Orientation detection (Tesseract's `osd` model), made the first time a page needs it;
    /// null until then, and for good when the model is not installed.
    osd: *mut capi::TessBaseAPI,
    osd_tried: bool,
    datapath: PathBuf,
}

impl Tesseract {
    pub fn new(settings: &OcrSettings) -> Result<Self> {
        let (datapath, lang) = resolve_lang(&settings.lang)?;
        let shown = datapath.display().to_string();
        let fail = |reason: &str| Error::MissingLanguage {
            lang: settings.lang.clone(),
            package: package_for(settings.lang.split('+').next().unwrap_or("")),
            searched: format!("{shown} ({reason})"),
        };
        let c_path = CString::new(datapath.to_string_lossy().as_bytes()).map_err(|_| fail("bad path"))?;
        let c_lang = CString::new(lang.as_bytes()).map_err(|_| fail("bad code"))?;
        // SAFETY: create/init are called once on a fresh handle; strings outlive the calls.
        let api = unsafe { capi::TessBaseAPICreate() };
        let engine = Tesseract {
            api,
            dpi: settings.dpi,
            alternatives: settings.alternatives,
            choices_on: false,
            osd: std::ptr::null_mut(),
            osd_tried: false,
            datapath,
        };
        let rc = unsafe { capi::TessBaseAPIInit3(api, c_path.as_ptr(), c_lang.as_ptr()) };
        if rc != 0 {
            return Err(fail("Tesseract could not load it"));
        }
        // Tesseract's progress chatter ("Detected 178 diacritics") is not for our users.
        engine.set_variable("debug_file", "/dev/null");
        // Keep the inter-word spaces Tesseract sees in typewriter text out of the words.
        engine.set_variable("preserve_interword_spaces", "0");
        // Paragraphs are found from the page's layout, not from its recognized text: the
        // text-based pass walks each line's words once per word, which on a page of specks
        // read as one block (PSM 6) ran for many minutes. Nothing here uses paragraphs.
        engine.set_variable("paragraph_text_based", "0");
        Ok(engine)
    }

    /// Set one of Tesseract's own parameters (`tesseract --print-parameters`). The check sets
    /// what it needs itself; this is for measurements (`examples/ink.rs`).
    pub fn set_variable(&self, name: &str, value: &str) {
        let (n, v) = (CString::new(name).unwrap(), CString::new(value).unwrap());
        // SAFETY: valid handle and NUL-terminated strings.
        unsafe { capi::TessBaseAPISetVariable(self.api, n.as_ptr(), v.as_ptr()) };
    }
}

impl Drop for Tesseract {
    fn drop(&mut self) {
        // SAFETY: the handle was created by TessBaseAPICreate and is dropped once.
        unsafe {
            capi::TessBaseAPIEnd(self.api);
            capi::TessBaseAPIDelete(self.api);
            if !self.osd.is_null() {
                capi::TessBaseAPIEnd(self.osd);
                capi::TessBaseAPIDelete(self.osd);
            }
        }
    }
}

// SAFETY: an engine is used by one thread at a time (it is moved into its worker, never shared).
unsafe impl Send for Tesseract {}

/// Owned C string from Tesseract, freed on drop.
fn take_text(ptr: *mut std::os::raw::c_char) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: Tesseract returned a NUL-terminated string that we own and free once.
    let s = unsafe { CStr::from_ptr(ptr).to_string_lossy().into_owned() };
    unsafe { capi::TessDeleteText(ptr) };
    Some(s)
}

impl Tesseract {
    /// The orientation engine, made on first use; `None` when `osd.traineddata` is missing.
    fn osd_engine(&mut self) -> Option<*mut capi::TessBaseAPI> {
        if !self.osd_tried {
            self.osd_tried = true;
            let dir = self.datapath.to_string_lossy().into_owned();
            if model_file(&self.datapath, "osd").is_some() {
                let (c_path, c_lang) = (CString::new(dir).ok()?, CString::new("osd").ok()?);
                // SAFETY: a fresh handle, initialized once; it is ended in `drop`.
                unsafe {
                    let api = capi::TessBaseAPICreate();
                    if capi::TessBaseAPIInit3(api, c_path.as_ptr(), c_lang.as_ptr()) == 0 {
                        self.osd = api;
                        let (n, v) = (CString::new("debug_file").ok()?, CString::new("/dev/null").ok()?);
                        capi::TessBaseAPISetVariable(api, n.as_ptr(), v.as_ptr());
                    } else {
                        capi::TessBaseAPIDelete(api);
                    }
                }
            }
        }
        (!self.osd.is_null()).then_some(self.osd)
    }
}

impl Tesseract {
    /// Orientation detection's answer for a page: the clockwise turn that puts it upright
    /// (0, 90, 180 or 270) and Tesseract's confidence in it; `None` without the `osd` model
    /// or when it finds nothing to judge by.
    pub fn orientation(&mut self, image: &GrayImage) -> Option<(u32, f32)> {
        let osd = self.osd_engine()?;
        let (w, h) = image.dimensions();
        let (mut degrees, mut confidence, mut script_conf) = (0 as c_int, 0f32, 0f32);
        let mut script: *const std::os::raw::c_char = std::ptr::null();
        // SAFETY: the image buffer outlives the call; the out-pointers are valid locals, and
        // the script name points into the engine's own tables (not freed by us).
        let found = unsafe {
            capi::TessBaseAPISetImage(osd, image.as_raw().as_ptr(), w as c_int, h as c_int, 1, w as c_int);
            capi::TessBaseAPISetSourceResolution(osd, self.dpi as c_int);
            let found = capi::TessBaseAPIDetectOrientationScript(
                osd,
                &mut degrees,
                &mut confidence,
                &mut script,
                &mut script_conf,
            );
            capi::TessBaseAPIClear(osd);
            found
        };
        if found == 0 {
            return None;
        }
        // Tesseract gives the page's orientation (how far it is turned counter-clockwise
        // from upright); what puts it upright is the rest of the circle clockwise, as its
        // CLI's "Rotate:" line says (a page turned a quarter to the left: 270, rotate 90).
        Some(((360 - degrees.rem_euclid(360)) as u32 % 360, confidence))
    }
}

impl Recognizer for Tesseract {
    /// Any turn orientation detection proposes, however sure: its confidence does not tell a
    /// right turn from a wrong one (EHRI pages turned by 0/90/180/270, `coverage_figures
    /// orient`, README "Coverage": right answers from 0.4, wrong ones up to 14), so
    /// `read_upright` checks every proposal by reading the page both ways.
    fn upright_turn(&mut self, image: &GrayImage) -> Option<u32> {
        self.orientation(image).map(|(turn, _)| turn)
    }

    fn recognize(&mut self, image: &GrayImage, mode: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
        self.read(image, mode, self.alternatives)
    }

    fn set_binarization(&mut self, binarization: ink::Binarization) {
        // Tesseract's thresholding_method: 0 Otsu, 2 Sauvola.
        self.set_variable("thresholding_method", if binarization == ink::Binarization::Sauvola { "2" } else { "0" });
    }

    fn recognize_with_alternatives(
        &mut self,
        image: &GrayImage,
        mode: Segmentation,
    ) -> std::result::Result<Vec<OcrWord>, String> {
        self.read(image, mode, true)
    }
}

impl Tesseract {
    fn read(
        &mut self,
        image: &GrayImage,
        mode: Segmentation,
        alternatives: bool,
    ) -> std::result::Result<Vec<OcrWord>, String> {
        let (w, h) = image.dimensions();
        if w == 0 || h == 0 {
            return Ok(Vec::new());
        }
        let psm = match mode {
            Segmentation::Page => capi::TessPageSegMode_PSM_AUTO,
            Segmentation::Block => capi::TessPageSegMode_PSM_SINGLE_BLOCK,
            Segmentation::Column => capi::TessPageSegMode_PSM_SINGLE_COLUMN,
            Segmentation::Line => capi::TessPageSegMode_PSM_SINGLE_LINE,
            Segmentation::Word => capi::TessPageSegMode_PSM_SINGLE_WORD,
        };
        if alternatives != self.choices_on {
            // Read at every recognition, so it can change between calls: 2 = the best
            // alternatives per symbol, which is what ChoiceIterator then returns; 0 = none.
            self.set_variable("lstm_choice_mode", if alternatives { "2" } else { "0" });
            self.choices_on = alternatives;
        }
        // SAFETY: the image buffer outlives Recognize and the iterator (both finish in this
        // call); every pointer Tesseract hands us is checked for null and freed once.
        unsafe {
            capi::TessBaseAPISetPageSegMode(self.api, psm);
            capi::TessBaseAPISetImage(self.api, image.as_raw().as_ptr(), w as c_int, h as c_int, 1, w as c_int);
            capi::TessBaseAPISetSourceResolution(self.api, self.dpi as c_int);
            if capi::TessBaseAPIRecognize(self.api, std::ptr::null_mut()) != 0 {
                return Err("Tesseract could not recognize the image".into());
            }
            let it = capi::TessBaseAPIGetIterator(self.api);
            if it.is_null() {
                return Ok(Vec::new());
            }
            let words = read_words(it, alternatives);
            capi::TessResultIteratorDelete(it);
            capi::TessBaseAPIClear(self.api);
            Ok(words)
        }
    }
}

/// Walk the result iterator symbol by symbol, opening a word at each word start and counting
/// lines at each line start; with `alternatives`, each symbol's choices too.
///
/// # Safety
/// `it` must be a live result iterator of a recognized page.
unsafe fn read_words(it: *mut capi::TessResultIterator, alternatives: bool) -> Vec<OcrWord> {
    use capi::{
        TessPageIteratorLevel_RIL_SYMBOL as SYMBOL, TessPageIteratorLevel_RIL_TEXTLINE as LINE,
        TessPageIteratorLevel_RIL_WORD as WORD,
    };
    let page_it = capi::TessResultIteratorGetPageIteratorConst(it);
    let bbox = |level| {
        let (mut l, mut t, mut r, mut b) = (0, 0, 0, 0);
        if capi::TessPageIteratorBoundingBox(page_it, level, &mut l, &mut t, &mut r, &mut b) == 0 {
            return BBox::default();
        }
        BBox { x: l.max(0) as u32, y: t.max(0) as u32, w: (r - l).max(0) as u32, h: (b - t).max(0) as u32 }
    };
    let mut words: Vec<OcrWord> = Vec::new();
    let mut line: Option<usize> = None;
    loop {
        if capi::TessPageIteratorIsAtBeginningOf(page_it, LINE) != 0 {
            line = Some(line.map_or(0, |l| l + 1));
        }
        if capi::TessPageIteratorIsAtBeginningOf(page_it, WORD) != 0 {
            if let Some(text) = take_text(capi::TessResultIteratorGetUTF8Text(it, WORD)) {
                words.push(OcrWord {
                    text: text.trim().to_string(),
                    confidence: capi::TessResultIteratorConfidence(it, WORD) / 100.0,
                    bbox: bbox(WORD),
                    line: line.unwrap_or(0),
                    chars: Vec::new(),
                });
            }
        }
        if let (Some(word), Some(text)) = (words.last_mut(), take_text(capi::TessResultIteratorGetUTF8Text(it, SYMBOL)))
        {
            let confidence = capi::TessResultIteratorConfidence(it, SYMBOL) / 100.0;
            let alternatives = if alternatives { read_choices(it, &text) } else { Vec::new() };
            word.chars.push(OcrChar { alternatives, text, confidence });
        }
        if capi::TessResultIteratorNext(it, SYMBOL) == 0 {
            break;
        }
    }
    words.retain(|w| !w.text.is_empty());
    words
}

/// The LSTM's other readings of the current symbol (the best one, equal to `best`, left out).
unsafe fn read_choices(it: *mut capi::TessResultIterator, best: &str) -> Vec<(String, f32)> {
    let ci = capi::TessResultIteratorGetChoiceIterator(it);
    if ci.is_null() {
        return Vec::new();
    }
    let mut out = Vec::new();
    loop {
        let p = capi::TessChoiceIteratorGetUTF8Text(ci);
        if !p.is_null() {
            let text = CStr::from_ptr(p).to_string_lossy().into_owned();
            let conf = (capi::TessChoiceIteratorConfidence(ci) / 100.0).clamp(0.0, 1.0);
            if text != best && !text.is_empty() && !out.iter().any(|(t, _)| *t == text) {
                out.push((text, conf));
            }
        }
        if capi::TessChoiceIteratorNext(ci) == 0 {
            break;
        }
    }
    capi::TessChoiceIteratorDelete(ci);
    out
}

/// Read OCR pages saved by `scanproof ocr`.
pub fn read_pages_json(path: &Path) -> Result<Vec<crate::types::OcrPage>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::BadInput { path: path.to_path_buf(), reason: format!("not an OCR pages file: {e}") })
}

pub type PageResult = std::result::Result<UprightPage, Error>;

/// Run engines over the pages with `jobs` workers, each with its own engine made by `make`.
/// Results come back in page order whatever the number of workers; a page that fails is an
/// `Err` in its slot, and the others go on. The engines are handed back for second readings.
pub fn recognize_pages<R, F>(
    paths: &[PathBuf],
    jobs: usize,
    make: F,
    on_page_done: &(dyn Fn(usize) + Sync),
) -> Result<(Vec<PageResult>, Vec<R>)>
where
    R: Recognizer + Send,
    F: Fn() -> Result<R> + Sync,
{
    let read = |engine: &mut LazyEngine<R>, i: usize| -> PageResult {
        match engine.get() {
            Some(engine) => read_one_page(engine, &paths[i], i + 1),
            // The pool reports the engine's own error and stops.
            None => Err(Error::Ocr { page: i + 1, path: paths[i].clone(), reason: "no engine".into() }),
        }
    };
    run_pages(paths.len(), jobs, Vec::new(), &make, &read, on_page_done)
}

/// A worker's engine, made the first time a page needs one: a page found in the OCR cache
/// needs none, so a cached run starts no Tesseract at all.
pub struct LazyEngine<'a, R> {
    engine: Option<R>,
    make: &'a (dyn Fn() -> Result<R> + Sync),
    failed: Option<Error>,
}

impl<R> LazyEngine<'_, R> {
    /// The engine, made now if need be; `None` when it cannot be made (the pool then stops
    /// and returns that error).
    pub fn get(&mut self) -> Option<&mut R> {
        if self.engine.is_none() && self.failed.is_none() {
            match (self.make)() {
                Ok(e) => self.engine = Some(e),
                Err(e) => self.failed = Some(e),
            }
        }
        self.engine.as_mut()
    }
}

/// The worker pool under `recognize_pages`: `count` pages, `jobs` workers taking the next page
/// as they finish one, each with its own lazily made engine; results in page order whatever
/// the number of workers. Engines in `ready` (from an earlier pass) are used first. Returns
/// every engine the workers held.
pub fn run_pages<R, T>(
    count: usize,
    jobs: usize,
    ready: Vec<R>,
    make: &(dyn Fn() -> Result<R> + Sync),
    work: &(dyn Fn(&mut LazyEngine<R>, usize) -> T + Sync),
    on_page_done: &(dyn Fn(usize) + Sync),
) -> Result<(Vec<T>, Vec<R>)>
where
    R: Send,
    T: Send,
{
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    let jobs = jobs.clamp(1, count.max(1));
    let mut ready = ready.into_iter();
    let mut spare: Vec<R> = Vec::new();
    let outcomes: Vec<Result<Option<R>>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                let held = ready.next();
                let (next, stop, results) = (&next, &stop, &results);
                s.spawn(move || {
                    let mut engine = LazyEngine { engine: held, make, failed: None };
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        if i >= count || stop.load(Ordering::SeqCst) {
                            return Ok(engine.engine);
                        }
                        let result = work(&mut engine, i);
                        if let Some(e) = engine.failed.take() {
                            stop.store(true, Ordering::SeqCst);
                            return Err(e);
                        }
                        results.lock().unwrap()[i] = Some(result);
                        on_page_done(i);
                    }
                })
            })
            .collect();
        spare.extend(ready);
        workers.into_iter().map(|w| w.join().expect("an OCR worker panicked")).collect()
    });
    let mut engines: Vec<R> = outcomes.into_iter().collect::<Result<Vec<Option<R>>>>()?.into_iter().flatten().collect();
    engines.append(&mut spare);
    let results =
        results.into_inner().unwrap().into_iter().map(|r| r.expect("every page was taken by a worker")).collect();
    Ok((results, engines))
}

fn read_one_page<R: Recognizer>(engine: &mut R, path: &Path, page: usize) -> PageResult {
    let image = crate::scan::load_page(path)?;
    read_upright(engine, image).map_err(|reason| Error::Ocr { page, path: path.to_path_buf(), reason })
}

#[cfg(test)]
mod tests;
