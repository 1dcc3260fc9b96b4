//! Reading the scans, first and second time. Page files in; OCR pages out, each taken from the
//! OCR cache when it holds the page and otherwise read by an engine (and then cached). Pages
//! are loaded ahead of the engines (`load`); the second reading of doubtful flags (`second`)
//! decodes only pages with doubtful flags and makes only as many engines as there is work for,
//! each line read once and cached, so a re-run on cached pages starts no engine and decodes no
//! image. It does not align or weigh anything.

use crate::cache::{self, CachedPage, Key, OcrCache};
use crate::error::{Error, Result};
use crate::ocr::{self, LazyEngine, OcrSettings, Recognizer};
use crate::types::{OcrPage, PageFailure};
use image::GrayImage;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

mod load;
mod second;

use load::{load_caught, Ahead, Loaded};
pub use load::{preload, Preloaded};
pub use second::{crop_line, line_box, second_readings, PageSource, ReadRequest, SecondReader};

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

/// Read every page with `jobs` workers, from the cache where it has the page, taking pages
/// already loaded (`preload`) instead of loading them again. One more thread loads the pages
/// ahead of the workers (`Ahead`).
pub fn read_pages<R: Recognizer + Send>(
    paths: &[PathBuf],
    preloaded: Vec<Preloaded>,
    settings: &OcrSettings,
    jobs: usize,
    cache: Option<&OcrCache>,
    make: &(dyn Fn() -> Result<R> + Sync),
    on_page_done: &(dyn Fn(usize) + Sync),
) -> Result<ReadPages<R>> {
    let fingerprint = cache.map(|_| cache::fingerprint(settings));
    let load_caught = |i: usize| load_caught(&paths[i], fingerprint.as_ref(), cache);
    // One loader for every four engines keeps them fed (a page is decoded and measured in a
    // tenth of the time it is read).
    let loaders = jobs.max(1).div_ceil(4);
    let kept = AtomicUsize::new(0);
    let ahead = Ahead::new(paths.len(), jobs.max(1) + loaders);
    let next = AtomicUsize::new(0);
    // Who loads each page: the loader, or a worker that found it not yet begun. At the start
    // every worker wants a page at once, and waiting for one loader to decode them one after
    // another left the second of two engines idle for a page's loading (0.3 s of 4.8).
    let claimed: Vec<AtomicBool> = (0..paths.len()).map(|_| AtomicBool::new(false)).collect();
    for p in preloaded {
        if let Some(i) = paths.iter().position(|path| *path == p.path()) {
            if !claimed[i].swap(true, Ordering::SeqCst) {
                ahead.put(i, p.slot);
            }
        }
    }
    let read = |engine: &mut LazyEngine<R>, i: usize| -> Slot {
        let path = &paths[i];
        let slot = if claimed[i].swap(true, Ordering::SeqCst) {
            ahead.take(i)
        } else {
            ahead.took_own();
            load_caught(i)
        };
        let (prepared, key) = match slot? {
            (Loaded::Cached(hit), key) => return Ok((hit, None, key)),
            (Loaded::Prepared(p), key) => (p, key),
        };
        let Some(engine) = engine.get() else {
            // The pool reports the engine's own error and stops.
            return Err(Error::Ocr { page: i + 1, path: path.clone(), reason: "no engine".into() });
        };
        let upright = match settings.reading {
            ocr::Reading::Thorough => ocr::read_prepared(engine, prepared),
            ocr::Reading::Single => ocr::read_once(engine, prepared),
        };
        let upright = upright.map_err(|reason| Error::Ocr { page: i + 1, path: path.clone(), reason })?;
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
                if !claimed[i].swap(true, Ordering::SeqCst) {
                    ahead.put(i, load_caught(i));
                }
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

/// OCR pages from text already read by some OCR (`check --ocr-text`): one pseudo-page whose
/// words are the whitespace-separated words of the text, one line per text line, with no
/// boxes. Their certainty is unknown (`types::UNKNOWN_CONFIDENCE`): it neither raises nor
/// lowers a score, and no confidence evidence is shown for them.
pub fn page_from_text(path: &Path, text: &str) -> OcrPage {
    OcrPage::from_text(1, path, text, crate::types::UNKNOWN_CONFIDENCE)
}

#[cfg(test)]
mod tests;
