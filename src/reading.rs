//! Reading the scans, first and second time. Page files in; OCR pages out, each taken from the
//! OCR cache when it holds the page and otherwise read by an engine (and then cached). The
//! second reading of doubtful flags goes the same way: by page, only pages with doubtful flags
//! are decoded and only as many engines made as there is work for, each line read once and
//! cached, so a re-run on cached pages starts no engine and decodes no image. It does not
//! align or weigh anything.

use crate::cache::{self, CachedPage, Key, OcrCache};
use crate::error::{Error, Result};
use crate::ocr::{self, LazyEngine, OcrSettings, Recognizer, Segmentation};
use crate::types::{BBox, OcrPage, OcrWord, PageFailure, SecondReading};
use image::GrayImage;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Decoded pages kept in memory for the second reading, at most this many bytes in all (a
/// 300 dpi A4 page is ~9 MB): past it a page is decoded again if a flag on it is doubtful,
/// which costs ~1% of reading it, while keeping every page of a 1,000-page book would not fit.
const KEEP_IMAGES_BYTES: usize = 512 << 20;

/// The pages of one run as read, with what the second reading needs.
pub struct ReadPages<R> {
    pub pages: Vec<OcrPage>,
    /// Per page of `pages`: its decoded image if still in memory.
    pub images: Vec<Option<GrayImage>>,
    /// Per page of `pages`: its cache key, when the cache is on.
    pub keys: Vec<Option<Key>>,
    pub failures: Vec<PageFailure>,
    /// The engines the workers made (none when every page came from the cache).
    pub engines: Vec<R>,
}

type Slot = std::result::Result<(CachedPage, Option<GrayImage>, Option<Key>), Error>;

/// What the loader hands the worker that reads page i: its cached reading, or the page decoded
/// and measured for reading (`scan::prepare`), with its cache key.
enum Loaded {
    Cached(CachedPage),
    Prepared(crate::scan::Prepared),
}
type LoadSlot = std::result::Result<(Loaded, Option<Key>), Error>;

/// Pages loaded ahead of the workers, in page order: the loader thread decodes and measures
/// page i + 1 while an engine reads page i, so that the engines' time is the run's time (with
/// one engine, decoding, levelling and measuring a page cost a tenth of reading it). At most
/// `room` pages wait, so memory stays a few pages whatever the run's length.
struct Ahead {
    state: std::sync::Mutex<AheadState>,
    changed: std::sync::Condvar,
    room: usize,
}

struct AheadState {
    slots: Vec<Option<LoadSlot>>,
    /// Slots handed to workers so far.
    taken: usize,
    /// The workers are done (or stopped): the loader stops too.
    closed: bool,
}

impl Ahead {
    fn new(count: usize, room: usize) -> Ahead {
        let slots = (0..count).map(|_| None).collect();
        let state = AheadState { slots, taken: 0, closed: false };
        Ahead { state: std::sync::Mutex::new(state), changed: std::sync::Condvar::new(), room: room.max(1) }
    }

    /// The loader: wait until page `i` may be loaded; false once the workers are done.
    fn wait_for_room(&self, i: usize) -> bool {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !st.closed && i >= st.taken + self.room {
            st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        !st.closed
    }

    fn put(&self, i: usize, slot: LoadSlot) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).slots[i] = Some(slot);
        self.changed.notify_all();
    }

    /// A worker: page `i`'s slot, once loaded.
    fn take(&self, i: usize) -> LoadSlot {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(slot) = st.slots[i].take() {
                st.taken += 1;
                self.changed.notify_all();
                return slot;
            }
            st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        self.changed.notify_all();
    }
}

/// Read every page with `jobs` workers, from the cache where it has the page. One more thread
/// loads the pages ahead of the workers (`Ahead`).
pub fn read_pages<R: Recognizer + Send>(
    paths: &[PathBuf],
    settings: &OcrSettings,
    jobs: usize,
    cache: Option<&OcrCache>,
    make: &(dyn Fn() -> Result<R> + Sync),
    on_page_done: &(dyn Fn(usize) + Sync),
) -> Result<ReadPages<R>> {
    let fingerprint = cache.map(|_| cache::fingerprint(settings));
    let load = |i: usize| -> LoadSlot {
        let path = &paths[i];
        let key = match &fingerprint {
            Some(fp) => {
                Some(cache::page_key(fp, &crate::scan::page_identity_bytes(path).map_err(|e| Error::io(path, e))?))
            }
            None => None,
        };
        if let (Some(c), Some(k)) = (cache, &key) {
            if let Some(hit) = c.get(k) {
                return Ok((Loaded::Cached(hit), key));
            }
        }
        Ok((Loaded::Prepared(crate::scan::prepare(crate::scan::load_page(path)?)), key))
    };
    // One loader for every four engines keeps them fed (a page is decoded and measured in a
    // tenth of the time it is read).
    let loaders = jobs.max(1).div_ceil(4);
    let kept = AtomicUsize::new(0);
    let ahead = Ahead::new(paths.len(), jobs.max(1) + loaders);
    let next = AtomicUsize::new(0);
    let read = |engine: &mut LazyEngine<R>, i: usize| -> Slot {
        let path = &paths[i];
        let (prepared, key) = match ahead.take(i)? {
            (Loaded::Cached(hit), key) => return Ok((hit, None, key)),
            (Loaded::Prepared(p), key) => (p, key),
        };
        let Some(engine) = engine.get() else {
            // The pool reports the engine's own error and stops.
            return Err(Error::Ocr { page: i + 1, path: path.clone(), reason: "no engine".into() });
        };
        let upright = ocr::read_prepared(engine, prepared).map_err(|reason| Error::Ocr {
            page: i + 1,
            path: path.clone(),
            reason,
        })?;
        let image = upright.image;
        let read = CachedPage {
            width: image.width(),
            height: image.height(),
            words: upright.words,
            rotation: upright.rotation,
            skew: upright.skew,
            unread: upright.unread,
        };
        if let (Some(c), Some(k)) = (cache, &key) {
            c.put(k, &read);
        }
        let size = image.as_raw().len();
        let keep = kept.fetch_add(size, Ordering::Relaxed) + size <= KEEP_IMAGES_BYTES;
        Ok((read, keep.then_some(image), key))
    };
    let (slots, engines) = std::thread::scope(|s| {
        for _ in 0..loaders {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= paths.len() || !ahead.wait_for_room(i) {
                    break;
                }
                // A decoder that panics must not leave a worker waiting for its page.
                let slot = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load(i))).unwrap_or_else(|_| {
                    Err(Error::BadImage { path: paths[i].clone(), reason: "the image decoder failed".into() })
                });
                ahead.put(i, slot);
            });
        }
        let done = ocr::run_pages(paths.len(), jobs, Vec::new(), make, &read, on_page_done);
        ahead.close();
        done
    })?;
    let mut out = ReadPages { pages: vec![], images: vec![], keys: vec![], failures: vec![], engines };
    for (i, slot) in slots.into_iter().enumerate() {
        match slot {
            Ok((read, image, key)) => {
                out.pages.push(OcrPage {
                    index: i + 1,
                    path: paths[i].clone(),
                    width: read.width,
                    height: read.height,
                    words: read.words,
                    rotation: read.rotation,
                    skew: read.skew,
                    unread: read.unread,
                });
                out.images.push(image);
                out.keys.push(key);
            }
            Err(e) => out.failures.push(PageFailure { page: i + 1, path: paths[i].clone(), error: e.to_string() }),
        }
    }
    Ok(out)
}

/// The box of the OCR line(s) that a flag's box lies on.
pub fn line_box(page: &OcrPage, flag_box: BBox) -> BBox {
    let overlaps = |b: BBox| b.y < flag_box.y + flag_box.h && flag_box.y < b.y + b.h;
    let lines: std::collections::BTreeSet<usize> = page
        .words
        .iter()
        .filter(|w| overlaps(w.bbox) && w.bbox.x < flag_box.x + flag_box.w && flag_box.x < w.bbox.x + w.bbox.w)
        .map(|w| w.line)
        .collect();
    page.words.iter().filter(|w| lines.contains(&w.line)).map(|w| w.bbox).fold(flag_box, BBox::union)
}

/// What the second reading knows of one page.
pub struct PageSource<'a> {
    pub page: &'a OcrPage,
    /// The decoded image, if still in memory; else it is decoded from `page.path` when needed.
    pub image: Option<&'a GrayImage>,
    /// The page's cache key, when the cache is on.
    pub key: Option<&'a Key>,
}

/// What reads the scan again where flags stand (the caller owns the engines and the pages):
/// the requests in, the readings by flag out.
pub type SecondReader<'a> = &'a mut dyn FnMut(&[ReadRequest]) -> Vec<(usize, crate::types::SecondReading)>;

/// A place to read again: the flag it is for (an index the caller chose), its page (1-based,
/// as `Flag::page`) and its box on the page.
#[derive(Debug, Clone, Copy)]
pub struct ReadRequest {
    pub flag: usize,
    pub page: usize,
    pub bbox: BBox,
}

/// Read the requested places again: each one's text line, cropped and enlarged, as a single
/// line (the word's own crop as a single word when the line gives nothing there). Work is
/// split by page, and every line's reading depends only on the page and the line, so the
/// readings are the same whatever `jobs` is and whichever engine reads which page. Engines in
/// `engines` are used first and more are made with `make` only when a line is not cached.
/// Returns the readings by request's `flag` (in that order) and the engines held, or the error
/// of an engine that could not be made.
#[allow(clippy::type_complexity)]
pub fn second_readings<R: Recognizer + Send>(
    requests: &[ReadRequest],
    sources: &[PageSource],
    jobs: usize,
    engines: Vec<R>,
    make: &(dyn Fn() -> Result<R> + Sync),
    cache: Option<&OcrCache>,
) -> Result<(Vec<(usize, SecondReading)>, Vec<R>)> {
    let mut by_page: BTreeMap<usize, Vec<ReadRequest>> = BTreeMap::new();
    for r in requests {
        if let Some(p) = sources.iter().position(|s| s.page.index == r.page) {
            by_page.entry(p).or_default().push(*r);
        }
    }
    if by_page.is_empty() {
        return Ok((Vec::new(), engines));
    }
    let work: Vec<(usize, Vec<ReadRequest>)> = by_page.into_iter().collect();
    let read_page = |engine: &mut LazyEngine<R>, w: usize| -> Vec<(usize, SecondReading)> {
        let (p, requests) = &work[w];
        reread_page(&sources[*p], requests, engine, cache)
    };
    let (found, engines) = ocr::run_pages(work.len(), jobs, engines, make, &read_page, &|_| {})?;
    let mut found: Vec<(usize, SecondReading)> = found.into_iter().flatten().collect();
    found.sort_by_key(|(i, _)| *i);
    Ok((found, engines))
}

/// The regions of one page read again, each once: from memory, else from the cache, else
/// cropped from the page (decoded only then) and read by the engine (made only then), and
/// cached. A re-run on cached pages so starts no engine and decodes no image, whether a flag
/// was read in its line or, when the line gave nothing there, on its own.
struct PageRegions<'s, 'e, 'm, R> {
    source: &'s PageSource<'s>,
    engine: &'e mut LazyEngine<'m, R>,
    cache: Option<&'s OcrCache>,
    /// The page's image when it had to be decoded again (`PageSource::image` was dropped).
    decoded: Option<GrayImage>,
    /// What each region read, by (region, mode); `None` for one that could not be read.
    read: HashMap<RegionAt, Option<Vec<OcrWord>>>,
}

/// A region and the mode it is read in: (x, y, w, h, `Segmentation` as u8).
type RegionAt = (u32, u32, u32, u32, u8);

impl<R: Recognizer> PageRegions<'_, '_, '_, R> {
    /// The words `region` reads as (`crop_line`'s crop, read as `mode` with the alternatives),
    /// in the crop's pixels; `None` when it cannot be cropped, decoded or read.
    fn words(&mut self, region: BBox, mode: Segmentation) -> Option<Vec<OcrWord>> {
        let at = (region.x, region.y, region.w, region.h, mode as u8);
        if let Some(known) = self.read.get(&at) {
            return known.clone();
        }
        let key = self.source.key.map(|k| cache::region_key(k, region, mode));
        if let Some(hit) = key.as_ref().and_then(|k| self.cache?.get(k)) {
            self.read.insert(at, Some(hit.words.clone()));
            return Some(hit.words);
        }
        let words = self.recognize(region, mode);
        // An engine's error is not kept: the next flag on the region tries again.
        if let Some(Ok(words)) = &words {
            if let (Some(c), Some(k)) = (self.cache, &key) {
                let (width, height) = crop_geometry(self.source.page.width, self.source.page.height, region)
                    .map_or((0, 0), |(_, _, w, h, scale)| (w * scale, h * scale));
                let read = CachedPage { width, height, words: words.clone(), rotation: 0, skew: 0.0, unread: vec![] };
                c.put(k, &read);
            }
        }
        let words = words.and_then(Result::ok);
        if words.is_some() || crop_geometry(self.source.page.width, self.source.page.height, region).is_none() {
            self.read.insert(at, words.clone());
        }
        words
    }

    /// The engine's reading of `region`'s crop; `None` when the page cannot be decoded or no
    /// engine made.
    fn recognize(&mut self, region: BBox, mode: Segmentation) -> Option<ocr::Recognized> {
        let page = self.source.page;
        if self.source.image.is_none() && self.decoded.is_none() {
            // It was read a moment ago; if it cannot be decoded now, the flags keep their score.
            let image = crate::scan::load_page(&page.path).ok()?;
            self.decoded = Some(crate::scan::orient(image, page.rotation, page.skew));
        }
        let image = self.source.image.or(self.decoded.as_ref())?;
        let (crop, _, _) = crop_line(image, region)?;
        // With alternatives, whatever the page's first reading asked for: the second reading's
        // evidence weighs them.
        Some(self.engine.get()?.recognize_with_alternatives(&crop, mode))
    }
}

/// The second readings of one page's requests.
fn reread_page<R: Recognizer>(
    source: &PageSource,
    requests: &[ReadRequest],
    engine: &mut LazyEngine<R>,
    cache: Option<&OcrCache>,
) -> Vec<(usize, SecondReading)> {
    let mut regions = PageRegions { source, engine, cache, decoded: None, read: HashMap::new() };
    let (width, height) = (source.page.width, source.page.height);
    let mut read = |region: BBox, mode: Segmentation| regions.words(region, mode);
    requests
        .iter()
        .filter_map(|r| Some((r.flag, read_again(&mut read, (width, height), line_box(source.page, r.bbox), r.bbox)?)))
        .collect()
}

/// Where `crop_line` cuts a text line from a page of `width` × `height`: (x, y, w, h) and the
/// enlargement; `None` for an empty line.
fn crop_geometry(width: u32, height: u32, line: BBox) -> Option<(u32, u32, u32, u32, u32)> {
    if line.w == 0 || line.h == 0 {
        return None;
    }
    let pad = (line.h / 4).max(4);
    let x = line.x.saturating_sub(pad * 2);
    let y = line.y.saturating_sub(pad);
    let w = (line.x + line.w + pad * 2).min(width).saturating_sub(x);
    let h = (line.y + line.h + pad).min(height).saturating_sub(y);
    if w == 0 || h == 0 {
        return None;
    }
    // Tesseract reads best with letters 20-40 px high; small type is enlarged, large is not.
    let scale = if line.h < 40 { 2 } else { 1 };
    Some((x, y, w, h, scale))
}

/// The crop of a whole text line (the LSTM reads a word best in its line's context), with a
/// quarter of its height above and below, enlarged twice when the type is small. Returns the
/// crop and its origin and scale, to map words back to the page.
pub fn crop_line(image: &GrayImage, line: BBox) -> Option<(GrayImage, (u32, u32), u32)> {
    let (x, y, w, h, scale) = crop_geometry(image.width(), image.height(), line)?;
    let crop = image::imageops::crop_imm(image, x, y, w, h).to_image();
    let crop = if scale == 1 {
        crop
    } else {
        image::imageops::resize(&crop, w * scale, h * scale, image::imageops::FilterType::Triangle)
    };
    Some((crop, (x, y), scale))
}

/// What reads a region of the page again: the words of `crop_line`'s crop of it, read as the
/// given mode, in the crop's pixels; `None` when nothing could be read.
type ReadRegion<'a> = dyn FnMut(BBox, Segmentation) -> Option<Vec<OcrWord>> + 'a;

/// Read `line` again (as a single line, binarized anew by Tesseract on the crop) and return
/// what the words under `target` read now. When the line gives nothing there (a crop across two
/// lines of small type reads as nothing at all), the word's own crop is read as a single word.
/// `page` is the page's size, which places the crops.
fn read_again(read: &mut ReadRegion, page: (u32, u32), line: BBox, target: BBox) -> Option<SecondReading> {
    read_under(read, page, line, target, Segmentation::Line)
        .or_else(|| read_under(read, page, target, target, Segmentation::Word))
}

/// Read `region` again in `mode` and return the words that lie under `target` (most of the
/// narrower of the two overlaps: a garbled first reading often boxes only part of the word),
/// with their least confidence; `None` when nothing lies there.
fn read_under(
    read: &mut ReadRegion,
    page: (u32, u32),
    region: BBox,
    target: BBox,
    mode: Segmentation,
) -> Option<SecondReading> {
    let (ox, _, _, _, scale) = crop_geometry(page.0, page.1, region)?;
    let words = read(region, mode)?;
    let (x0, x1) = (target.x as i64, (target.x + target.w) as i64);
    let under: Vec<OcrWord> = words
        .into_iter()
        .filter(|w| {
            let (a, b) = (ox as i64 + (w.bbox.x / scale) as i64, ox as i64 + ((w.bbox.x + w.bbox.w) / scale) as i64);
            let overlap = (b.min(x1) - a.max(x0)).max(0);
            overlap * 2 >= (b - a).min(x1 - x0).max(1)
        })
        .collect();
    if under.is_empty() {
        return None;
    }
    let text = under.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    let confidence = under.iter().map(|w| w.confidence).fold(1.0f32, f32::min);
    Some(SecondReading { text, confidence, words: under })
}

/// OCR pages from text already read by some OCR (`check --ocr-text`): one pseudo-page whose
/// words are the whitespace-separated words of the text, one line per text line, with no
/// boxes. Their certainty is unknown (`types::UNKNOWN_CONFIDENCE`): it neither raises nor
/// lowers a score, and no confidence evidence is shown for them.
pub fn page_from_text(path: &Path, text: &str) -> OcrPage {
    OcrPage::from_text(1, path, text, crate::types::UNKNOWN_CONFIDENCE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Reads any image as the words it was told, and counts its calls.
    struct Scripted<'a> {
        calls: &'a Mutex<usize>,
        words: Vec<OcrWord>,
    }

    impl Recognizer for Scripted<'_> {
        fn recognize(&mut self, _: &GrayImage, _: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
            *self.calls.lock().unwrap() += 1;
            Ok(self.words.clone())
        }
    }

    fn word(text: &str, x: u32) -> OcrWord {
        OcrWord { text: text.into(), confidence: 0.9, bbox: BBox { x, y: 10, w: 40, h: 20 }, line: 0, chars: vec![] }
    }

    fn write_png(dir: &Path, name: &str, shade: u8) -> PathBuf {
        let p = dir.join(name);
        GrayImage::from_pixel(300, 100, image::Luma([shade])).save(&p).unwrap();
        p
    }

    #[test]
    fn second_run_reads_every_page_from_the_cache_without_an_engine() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..3).map(|i| write_png(dir.path(), &format!("p{i}.png"), 40 * i as u8)).collect();
        let cache = OcrCache::open(&dir.path().join("cache")).unwrap();
        let calls = Mutex::new(0);
        let made = Mutex::new(0);
        let make = || -> Result<Scripted> {
            *made.lock().unwrap() += 1;
            Ok(Scripted { calls: &calls, words: vec![word("one", 10), word("two", 60)] })
        };
        let settings = OcrSettings::default();
        let first = read_pages(&paths, &settings, 2, Some(&cache), &make, &|_| {}).unwrap();
        assert_eq!(*calls.lock().unwrap(), 3);
        assert!(first.images.iter().all(Option::is_some));
        let second = read_pages(&paths, &settings, 2, Some(&cache), &make, &|_| {}).unwrap();
        assert_eq!(*calls.lock().unwrap(), 3, "no page read again");
        assert!(second.engines.is_empty() && second.images.iter().all(Option::is_none));
        assert_eq!(first.pages, second.pages);
        assert_eq!(second.keys, first.keys);
        assert_eq!(*made.lock().unwrap(), first.engines.len());
    }

    #[test]
    fn page_from_text_has_lines_and_no_boxes() {
        let p = page_from_text(Path::new("o.txt"), "one two\n\nthree");
        let got: Vec<_> = p.words.iter().map(|w| (w.text.as_str(), w.line, w.bbox)).collect();
        assert_eq!(got, [("one", 0, BBox::default()), ("two", 0, BBox::default()), ("three", 2, BBox::default())]);
    }

    /// Gives nothing for a line, and one word over the whole crop for a word.
    struct WordOnly(Vec<Segmentation>);
    impl Recognizer for WordOnly {
        fn recognize(&mut self, image: &GrayImage, mode: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
            self.0.push(mode);
            let bbox = BBox { x: 0, y: 0, w: image.width(), h: image.height() };
            Ok(match mode {
                Segmentation::Word => {
                    vec![OcrWord { text: "house".into(), confidence: 0.9, bbox, line: 0, chars: vec![] }]
                }
                _ => vec![],
            })
        }
    }

    #[test]
    fn a_line_that_reads_as_nothing_falls_back_to_the_word() {
        let mut engine = WordOnly(vec![]);
        let image = GrayImage::new(200, 50);
        let line = BBox { x: 0, y: 5, w: 200, h: 30 };
        let mut read = |region: BBox, mode: Segmentation| {
            let (crop, _, _) = crop_line(&image, region)?;
            engine.recognize(&crop, mode).ok()
        };
        let r = read_again(&mut read, image.dimensions(), line, BBox { x: 40, y: 10, w: 50, h: 20 }).unwrap();
        assert_eq!(engine.0, vec![Segmentation::Line, Segmentation::Word]);
        assert_eq!((r.text.as_str(), r.words.len()), ("house", 1));
    }

    /// Issue 16: a cached re-run reads every flag again from the cache, the word read alone
    /// (its line gave nothing) as well as the line, so it makes no engine.
    #[test]
    fn second_readings_come_back_from_the_cache_without_an_engine() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_png(dir.path(), "p.png", 200);
        let cache = OcrCache::open(&dir.path().join("cache")).unwrap();
        let key = cache::page_key(&cache::fingerprint(&OcrSettings::default()), b"p");
        let mut page = OcrPage::from_text(1, &path, "", 0.9);
        (page.width, page.height) = (300, 100);
        page.words = vec![word("hause", 40)];
        let sources = [PageSource { page: &page, image: None, key: Some(&key) }];
        let requests = [ReadRequest { flag: 0, page: 1, bbox: page.words[0].bbox }];
        let made = Mutex::new(0);
        let make = || -> Result<WordOnly> {
            *made.lock().unwrap() += 1;
            Ok(WordOnly(vec![]))
        };
        let (first, engines) = second_readings(&requests, &sources, 1, vec![], &make, Some(&cache)).unwrap();
        assert_eq!(engines.len(), 1);
        assert_eq!(engines[0].0, vec![Segmentation::Line, Segmentation::Word]);
        let (again, engines) = second_readings(&requests, &sources, 1, vec![], &make, Some(&cache)).unwrap();
        assert!(engines.is_empty(), "no engine made for a cached re-run");
        assert_eq!(*made.lock().unwrap(), 1);
        assert_eq!(again, first);
        assert_eq!(first[0].1.text, "house");
    }

    #[test]
    fn crop_is_padded_enlarged_and_clamped() {
        let img = GrayImage::new(100, 50);
        let (c, origin, scale) = crop_line(&img, BBox { x: 80, y: 40, w: 20, h: 9 }).unwrap();
        assert_eq!((origin, scale), ((72, 36), 2));
        assert_eq!(c.dimensions(), (2 * (100 - 72), 2 * (50 - 36)));
        assert!(crop_line(&img, BBox::default()).is_none());
    }
}
