//! Loading pages for their first reading: from the OCR cache, else decoded, levelled, measured
//! and enlarged (`scan::prepare`), ahead of the engines (`Ahead`) and, for `batch`, ahead of
//! the document (`preload`). It reads nothing.

use crate::cache::{self, CachedPage, Key, OcrCache};
use crate::error::Error;
use crate::ocr::OcrSettings;
use std::path::{Path, PathBuf};

/// What the loader hands the worker that reads page i: its cached reading, or the page decoded
/// and measured for reading (`scan::prepare`), with its cache key.
pub(super) enum Loaded {
    Cached(CachedPage),
    Prepared(crate::scan::Prepared),
}
pub(super) type LoadSlot = std::result::Result<(Loaded, Option<Key>), Error>;

/// Pages loaded ahead of the workers, in page order: the loader thread decodes and measures
/// page i + 1 while an engine reads page i, so that the engines' time is the run's time (with
/// one engine, decoding, levelling and measuring a page cost a tenth of reading it). At most
/// `room` pages wait, so memory stays a few pages whatever the run's length.
pub(super) struct Ahead {
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
    pub(super) fn new(count: usize, room: usize) -> Ahead {
        let slots = (0..count).map(|_| None).collect();
        let state = AheadState { slots, taken: 0, closed: false };
        Ahead { state: std::sync::Mutex::new(state), changed: std::sync::Condvar::new(), room: room.max(1) }
    }

    /// The loader: wait until page `i` may be loaded; false once the workers are done.
    pub(super) fn wait_for_room(&self, i: usize) -> bool {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !st.closed && i >= st.taken + self.room {
            st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        !st.closed
    }

    pub(super) fn put(&self, i: usize, slot: LoadSlot) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).slots[i] = Some(slot);
        self.changed.notify_all();
    }

    /// A worker loaded a page itself: it counts as taken.
    pub(super) fn took_own(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).taken += 1;
        self.changed.notify_all();
    }

    /// A worker: page `i`'s slot, once loaded.
    pub(super) fn take(&self, i: usize) -> LoadSlot {
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

    pub(super) fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        self.changed.notify_all();
    }
}

/// A page loaded for its first reading before its document's run began (`preload`).
pub struct Preloaded {
    path: PathBuf,
    pub(super) slot: LoadSlot,
}

impl Preloaded {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Load `path` for its first reading as `read_pages` would (from the cache, else decoded,
/// levelled, measured and enlarged), ahead of its run: `batch` loads the next document's first
/// page while the engine reads this document, so that one engine reads a collection of
/// one-page letters without a pause between letters.
pub fn preload(path: &Path, settings: &OcrSettings, cache: Option<&OcrCache>) -> Preloaded {
    let fingerprint = cache.map(|_| cache::fingerprint(settings));
    Preloaded { path: path.to_path_buf(), slot: load_caught(path, fingerprint.as_ref(), cache) }
}

/// A page's slot: its cached reading, or the page decoded and prepared, with its cache key.
fn load(path: &Path, fingerprint: Option<&cache::Fingerprint>, cache: Option<&OcrCache>) -> LoadSlot {
    let key = match fingerprint {
        Some(fp) => Some(cache::page_key(fp, &crate::scan::page_identity_bytes(path).map_err(|e| Error::io(path, e))?)),
        None => None,
    };
    if let (Some(c), Some(k)) = (cache, &key) {
        if let Some(hit) = c.get(k) {
            return Ok((Loaded::Cached(hit), key));
        }
    }
    Ok((Loaded::Prepared(crate::scan::prepare(crate::scan::load_page(path)?)), key))
}

/// `load`, where a decoder that panics is a bad image: it must not leave a worker waiting for
/// its page.
pub(super) fn load_caught(path: &Path, fingerprint: Option<&cache::Fingerprint>, cache: Option<&OcrCache>) -> LoadSlot {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load(path, fingerprint, cache))).unwrap_or_else(|_| {
        Err(Error::BadImage { path: path.to_path_buf(), reason: "the image decoder failed".into() })
    })
}
