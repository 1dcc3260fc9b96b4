//! Reading the scans, first and second time. Page files in; OCR pages out, each taken from the
//! OCR cache when it holds the page and otherwise read by an engine (and then cached). The
//! second reading of doubtful flags goes the same way: by page, only pages with doubtful flags
//! are decoded and only as many engines made as there is work for, each line read once and
//! cached, so a re-run on cached pages starts no engine and decodes no image. It does not
//! align or weigh anything.

use crate::cache::{self, CachedPage, Key, OcrCache};
use crate::error::{Error, Result};
use crate::ocr::{self, LazyEngine, OcrSettings, Recognizer, Segmentation};
use crate::types::{BBox, Evidence, Flag, OcrPage, OcrWord, PageFailure};
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

/// Read every page with `jobs` workers, from the cache where it has the page.
pub fn read_pages<R: Recognizer + Send>(
    paths: &[PathBuf],
    settings: &OcrSettings,
    jobs: usize,
    cache: Option<&OcrCache>,
    make: &(dyn Fn() -> Result<R> + Sync),
    on_page_done: &(dyn Fn(usize) + Sync),
) -> Result<ReadPages<R>> {
    let fingerprint = cache.map(|_| cache::fingerprint(settings));
    let kept = AtomicUsize::new(0);
    let read = |engine: &mut LazyEngine<R>, i: usize| -> Slot {
        let path = &paths[i];
        let key = match &fingerprint {
            Some(fp) => {
                Some(cache::page_key(fp, &crate::scan::page_identity_bytes(path).map_err(|e| Error::io(path, e))?))
            }
            None => None,
        };
        if let (Some(c), Some(k)) = (cache, &key) {
            if let Some(hit) = c.get(k) {
                return Ok((hit, None, key));
            }
        }
        let image = crate::scan::load_page(path)?;
        let Some(engine) = engine.get() else {
            // The pool reports the engine's own error and stops.
            return Err(Error::Ocr { page: i + 1, path: path.clone(), reason: "no engine".into() });
        };
        let upright = ocr::read_upright(engine, image).map_err(|reason| Error::Ocr {
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
        };
        if let (Some(c), Some(k)) = (cache, &key) {
            c.put(k, &read);
        }
        let size = image.as_raw().len();
        let keep = kept.fetch_add(size, Ordering::Relaxed) + size <= KEEP_IMAGES_BYTES;
        Ok((read, keep.then_some(image), key))
    };
    let (slots, engines) = ocr::run_pages(paths.len(), jobs, Vec::new(), make, &read, on_page_done)?;
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

/// A recognizer that hands back a line's reading already made (from the cache, or for an
/// earlier flag), so `evidence::reread` weighs it exactly as a fresh one. Anything else (the
/// word read when the line gave nothing under the flag) goes to `engine`; without one it is
/// refused, and the caller comes back with an engine and the real page.
struct Replay<'a, R> {
    words: &'a [OcrWord],
    engine: Option<&'a mut R>,
    refused: bool,
}

impl<R: Recognizer> Recognizer for Replay<'_, R> {
    fn recognize(&mut self, image: &GrayImage, mode: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
        match (mode, &mut self.engine) {
            (Segmentation::Line, _) => Ok(self.words.to_vec()),
            (_, Some(engine)) => engine.recognize(image, mode),
            (_, None) => {
                self.refused = true;
                Err("only a line's reading is kept".into())
            }
        }
    }
}

/// A recognizer that keeps what the engine read, to cache it. Only a second reading made of a
/// single recognition can be replayed; one that took several keeps `read` empty.
struct Record<'a, R> {
    engine: &'a mut R,
    calls: usize,
    read: Option<CachedPage>,
}

impl<R: Recognizer> Recognizer for Record<'_, R> {
    fn recognize(&mut self, image: &GrayImage, mode: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
        let words = self.engine.recognize(image, mode)?;
        self.calls += 1;
        self.read = (self.calls == 1).then(|| CachedPage {
            width: image.width(),
            height: image.height(),
            words: words.clone(),
            rotation: 0,
            skew: 0.0,
        });
        Ok(words)
    }
}

/// Read the doubtful flags' lines again and re-score those flags. Work is split by page, and
/// every line's reading depends only on the page and the line, so the evidence (and the
/// report) is the same whatever `jobs` is and whichever engine reads which page. Engines in
/// `engines` are used first and more are made with `make` only when a line is not cached.
/// Returns the engines held, or the error of an engine that could not be made (the flags then
/// keep their first score).
pub fn reread_doubtful<R: Recognizer + Send>(
    flags: &mut [Flag],
    sources: &[PageSource],
    jobs: usize,
    engines: Vec<R>,
    make: &(dyn Fn() -> Result<R> + Sync),
    cache: Option<&OcrCache>,
    params: &crate::score::Params,
) -> Result<Vec<R>> {
    let mut by_page: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, f) in flags.iter().enumerate() {
        if crate::score::worth_rereading(f, params) {
            if let Some(p) = sources.iter().position(|s| s.page.index == f.page) {
                by_page.entry(p).or_default().push(i);
            }
        }
    }
    if by_page.is_empty() {
        return Ok(engines);
    }
    let work: Vec<(usize, Vec<usize>)> = by_page.into_iter().collect();
    let shared: &[Flag] = flags;
    let read_page = |engine: &mut LazyEngine<R>, w: usize| -> Vec<(usize, Evidence)> {
        let (p, idxs) = &work[w];
        reread_page(&sources[*p], idxs, shared, engine, cache)
    };
    let (found, engines) = ocr::run_pages(work.len(), jobs, engines, make, &read_page, &|_| {})?;
    let mut found: Vec<(usize, Evidence)> = found.into_iter().flatten().collect();
    found.sort_by_key(|(i, _)| *i);
    for (i, e) in found {
        flags[i].evidence.push(e);
        crate::score::rescore(&mut flags[i], params);
    }
    Ok(engines)
}

/// The page's image: in memory, or decoded once for its second readings. `None` if it cannot
/// be decoded now (it was read a moment ago; the flags then keep their first score).
fn page_image<'a>(source: &PageSource<'a>, decoded: &'a mut Option<GrayImage>) -> Option<&'a GrayImage> {
    if let Some(image) = source.image {
        return Some(image);
    }
    if decoded.is_none() {
        let page = source.page;
        *decoded = Some(crate::scan::orient(crate::scan::load_page(&page.path).ok()?, page.rotation, page.skew));
    }
    decoded.as_ref()
}

/// The second readings of one page's doubtful flags.
fn reread_page<R: Recognizer>(
    source: &PageSource,
    idxs: &[usize],
    flags: &[Flag],
    engine: &mut LazyEngine<R>,
    cache: Option<&OcrCache>,
) -> Vec<(usize, Evidence)> {
    let page = source.page;
    let mut decoded: Option<GrayImage> = None;
    // A cached line is weighed on a blank image of the page's size: `reread` uses the image
    // only to cut the crop it hands the recognizer, and the replay ignores the pixels. The
    // buffer is zeroed lazily by the OS, so it costs nothing until a crop touches it.
    let mut blank: Option<GrayImage> = None;
    let mut lines: HashMap<(u32, u32, u32, u32), Option<Vec<OcrWord>>> = HashMap::new();
    let mut out = Vec::new();
    for &i in idxs {
        let flag = &flags[i];
        let line = line_box(page, flag.bbox);
        let at = (line.x, line.y, line.w, line.h);
        let key = source.key.map(|k| cache::region_key(k, line, Segmentation::Line));
        if let std::collections::hash_map::Entry::Vacant(slot) = lines.entry(at) {
            if let Some(hit) = key.as_ref().and_then(|k| cache?.get(k)) {
                slot.insert(Some(hit.words));
            }
        }
        // A kept line is replayed. A word read after it (the line gave nothing under the flag)
        // needs the engine and the real page: the line is still replayed, only the word read.
        let mut replayed = None;
        if let Some(known) = lines.get(&at) {
            let Some(words) = known else { continue };
            let image = match (source.image, &decoded) {
                (Some(img), _) => img,
                (None, Some(img)) => img,
                (None, None) => blank.get_or_insert_with(|| GrayImage::new(page.width, page.height)),
            };
            let mut replay = Replay::<R> { words, engine: None, refused: false };
            let evidence = crate::evidence::reread::reread(&mut replay, image, line, flag);
            if !replay.refused {
                replayed = Some(evidence);
            } else {
                let Some(image) = page_image(source, &mut decoded) else { continue };
                let Some(engine) = engine.get() else { return out };
                let mut replay = Replay { words, engine: Some(engine), refused: false };
                replayed = Some(crate::evidence::reread::reread(&mut replay, image, line, flag));
            }
        }
        let evidence = if let Some(evidence) = replayed {
            evidence
        } else {
            let Some(image) = page_image(source, &mut decoded) else { continue };
            let Some(engine) = engine.get() else { return out };
            let mut record = Record { engine, calls: 0, read: None };
            let evidence = crate::evidence::reread::reread(&mut record, image, line, flag);
            match (record.calls, record.read) {
                (1, Some(read)) => {
                    if let (Some(c), Some(k)) = (cache, &key) {
                        c.put(k, &read);
                    }
                    lines.insert(at, Some(read.words));
                }
                // A line that could not be cropped or read is not tried again for the next flag.
                (0, _) => {
                    lines.insert(at, None);
                }
                // Several recognitions cannot be replayed: the next flag reads afresh.
                _ => {}
            }
            evidence
        };
        if let Some(e) = evidence {
            out.push((i, e));
        }
    }
    out
}

/// OCR pages from text already read by some OCR (`check --ocr-text`): one pseudo-page whose
/// words are the whitespace-separated words of the text, one line per text line, with no
/// boxes. Their certainty is unknown (`evidence::confidence::UNKNOWN`): it neither raises nor
/// lowers a score, and no confidence evidence is shown for them.
pub fn page_from_text(path: &Path, text: &str) -> OcrPage {
    OcrPage::from_text(1, path, text, crate::evidence::confidence::UNKNOWN)
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
}
