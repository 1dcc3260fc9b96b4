//! OCR cache: what Tesseract read on a page (or a line read a second time) kept on disk, so no
//! image is read twice. In: a key made of the image bytes and everything that decides the
//! reading; out: the words (boxes, confidences, per-symbol alternatives). It never decides
//! whether to trust a reading: an entry that fails its checks is a miss, recomputed.
//!
//! Entry file: 8-byte magic (with the format number), payload length (u64 LE), SHA-256 of the
//! payload, then the payload (postcard). A truncated or altered file fails the length or the
//! checksum. Writes go to a unique temporary file in the same folder, renamed into place, so
//! concurrent runs sharing a cache only ever see whole entries.

use crate::ocr::{OcrSettings, Segmentation};
use crate::types::{BBox, InkLine, OcrChar, OcrWord};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Bump when the entry layout changes, or when `ocr/` changes what it reads off a page (a
/// new engine variable, another iterator walk): old entries then simply stop matching.
// 5: every turn orientation detection proposes is checked by reading both ways (format-3
// entries may hold upright pages read upside down, format-4 ones sideways pages read as such).
// 6: turns judged by which way the words run and a reading floor (format-5 entries may hold
// upright heavy- or faint-ink pages turned, and upside-down pages detection missed).
// 7: unsure pages are read again with Sauvola binarization and thinned strokes (`ocr::ink`).
// 8: lines of type the OCR read nothing of are kept with the page (`ocr::unread`).
// 9: pages of a few lines keep their paper light (`scan::preprocess`) and their letters measured
// among specks (`scan::letter_height`): their scale and what Tesseract sees change.
// 10: skew measured on a block-mean copy (`scan::shrink`): 30 of 447 measured pages level by
// an angle 0.05° apart.
// 11: faint ink darker than the paper's own levels counts as ink where Otsu's level splits the
// paper (`ocr::unread::ink_level`): lines of faint type the OCR left unread are found.
// 12: low-dpi pages enlarged by `fast_image_resize` (`scan::enlarge`): 2% of the enlarged
// pixels differ from `image`'s resize, half a percent by more than one grey level.
const FORMAT: u8 = 12;
const MAGIC: [u8; 8] = *b"SPOCRC\x00\x01";
const HEADER: usize = 8 + 8 + 32;

/// A page (or crop) as read, without the image.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedPage {
    pub width: u32,
    pub height: u32,
    pub words: Vec<OcrWord>,
    /// How the page was turned and levelled before it was read (`OcrPage::rotation`).
    pub rotation: u32,
    pub skew: f32,
    /// Lines of type the OCR read nothing of (`OcrPage::unread`).
    pub unread: Vec<InkLine>,
}

/// The cache key: hex SHA-256, also the entry's file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key(String);

impl Key {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Everything but the image that decides what Tesseract reads: its version, every
/// `OcrSettings` field, and each language's model file (size and modification time, which a
/// package update changes; hashing 20 MB of models on every run would cost more than a cached
/// run itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint([u8; 32]);

pub fn fingerprint(settings: &OcrSettings) -> Fingerprint {
    // Destructured so that a new setting does not compile until it is part of the key.
    let OcrSettings { lang, dpi, alternatives, reading } = settings;
    let mut h = Sha256::new();
    h.update(b"scanproof-ocr\0");
    h.update([FORMAT]);
    h.update(crate::ocr::tesseract_version().as_bytes());
    h.update([0]);
    h.update(lang.as_bytes());
    h.update([0]);
    h.update(dpi.to_le_bytes());
    h.update([*alternatives as u8]);
    // Only single readings add to the key, so that thorough ones keep the keys they had.
    if *reading == crate::ocr::Reading::Single {
        h.update(b"single");
    }
    if let Ok(dir) = crate::ocr::find_tessdata(lang) {
        for code in lang.split('+') {
            let file = crate::ocr::model_file(&dir, code).unwrap_or_else(|| dir.join(format!("{code}.traineddata")));
            let meta = std::fs::metadata(file);
            let (len, mtime) = meta.map_or((0, 0), |m| {
                let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                (m.len(), t.map_or(0, |d| d.as_secs()))
            });
            h.update(len.to_le_bytes());
            h.update(mtime.to_le_bytes());
        }
    }
    Fingerprint(h.finalize().into())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of a whole page read: its file's bytes under these settings.
pub fn page_key(fp: &Fingerprint, image_bytes: &[u8]) -> Key {
    let mut h = Sha256::new();
    h.update(b"page\0");
    h.update(fp.0);
    h.update(image_bytes);
    Key(hex(&h.finalize()))
}

/// The key of a second reading: the page it is cut from, the region, and how it is segmented.
pub fn region_key(page: &Key, region: BBox, mode: Segmentation) -> Key {
    let mut h = Sha256::new();
    h.update(b"region\0");
    h.update(page.0.as_bytes());
    for v in [region.x, region.y, region.w, region.h] {
        h.update(v.to_le_bytes());
    }
    h.update([mode as u8]);
    Key(hex(&h.finalize()))
}

/// The payload: plain mirrors of the OCR types, because postcard (compact, not
/// self-describing) cannot read the `skip_serializing_if` fields of the JSON types.
#[derive(Serialize, Deserialize)]
struct Entry {
    width: u32,
    height: u32,
    words: Vec<Word>,
    rotation: u32,
    skew: f32,
    /// `[x, y, w, h, letters]` of each unread line.
    unread: Vec<[u32; 5]>,
}

#[derive(Serialize, Deserialize)]
struct Word {
    text: String,
    confidence: f32,
    bbox: [u32; 4],
    line: u64,
    chars: Vec<Char>,
}

#[derive(Serialize, Deserialize)]
struct Char {
    text: String,
    confidence: f32,
    alternatives: Vec<(String, f32)>,
}

impl From<&CachedPage> for Entry {
    fn from(p: &CachedPage) -> Self {
        let words = p
            .words
            .iter()
            .map(|w| {
                // Destructured so that a new field of `OcrWord` cannot be silently dropped.
                let OcrWord { text, confidence, bbox, line, chars } = w;
                let chars = chars
                    .iter()
                    .map(|c| {
                        let OcrChar { text, confidence, alternatives } = c;
                        Char { text: text.clone(), confidence: *confidence, alternatives: alternatives.clone() }
                    })
                    .collect();
                Word { text: text.clone(), confidence: *confidence, bbox: (*bbox).into(), line: *line as u64, chars }
            })
            .collect();
        let unread = p.unread.iter().map(|l| [l.bbox.x, l.bbox.y, l.bbox.w, l.bbox.h, l.letters]).collect();
        Entry { width: p.width, height: p.height, words, rotation: p.rotation, skew: p.skew, unread }
    }
}

impl From<Entry> for CachedPage {
    fn from(e: Entry) -> Self {
        let words = e
            .words
            .into_iter()
            .map(|w| OcrWord {
                text: w.text,
                confidence: w.confidence,
                bbox: w.bbox.into(),
                line: w.line as usize,
                chars: w
                    .chars
                    .into_iter()
                    .map(|c| OcrChar { text: c.text, confidence: c.confidence, alternatives: c.alternatives })
                    .collect(),
            })
            .collect();
        let unread =
            e.unread.into_iter().map(|[x, y, w, h, letters]| InkLine { bbox: BBox { x, y, w, h }, letters }).collect();
        CachedPage { width: e.width, height: e.height, words, rotation: e.rotation, skew: e.skew, unread }
    }
}

/// Encode an entry file (header + payload).
pub fn encode(page: &CachedPage) -> Vec<u8> {
    let payload = postcard::to_allocvec(&Entry::from(page)).expect("plain data always serializes");
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    out
}

/// Decode an entry file; `None` for anything that is not exactly a whole, intact entry.
pub fn decode(bytes: &[u8]) -> Option<CachedPage> {
    if bytes.len() < HEADER || bytes[..8] != MAGIC {
        return None;
    }
    let len = u64::from_le_bytes(bytes[8..16].try_into().ok()?);
    let payload = &bytes[HEADER..];
    if payload.len() as u64 != len || Sha256::digest(payload)[..] != bytes[16..48] {
        return None;
    }
    postcard::from_bytes::<Entry>(payload).ok().map(CachedPage::from)
}

/// A cache folder. Shareable between threads and between processes.
#[derive(Debug)]
pub struct OcrCache {
    dir: PathBuf,
    /// The first write that failed (a full disk, a read-only folder): the run goes on without
    /// caching, and the caller tells the user once.
    write_error: Mutex<Option<String>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// Tells temporary files of one process apart (threads write concurrently).
static TMP_COUNTER: AtomicUsize = AtomicUsize::new(0);

impl OcrCache {
    /// `~/.cache/scanproof` on Linux (XDG_CACHE_HOME respected), the platform's cache folder
    /// elsewhere.
    pub fn default_dir() -> Option<PathBuf> {
        dirs::cache_dir().map(|d| d.join("scanproof"))
    }

    /// The cache in `dir`, if one is asked for. It only saves time: a folder that cannot be
    /// made turns it off, with a warning, and the run goes on.
    pub fn open_optional(dir: Option<&Path>, warn: crate::Warn) -> Option<Self> {
        dir.and_then(|dir| OcrCache::open(dir).map_err(|e| warn(&format!("OCR cache off: {e}"))).ok())
    }

    pub fn open(dir: &Path) -> crate::Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
        Ok(OcrCache {
            dir: dir.to_path_buf(),
            write_error: Mutex::new(None),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where an entry lives: fanned out over 256 folders so no folder grows huge.
    pub fn entry_path(&self, key: &Key) -> PathBuf {
        self.dir.join(&key.0[..2]).join(format!("{}.ocr", &key.0[2..]))
    }

    /// The entry, if present and intact. A damaged entry is a miss (and is replaced by the
    /// next `put`), never an error.
    pub fn get(&self, key: &Key) -> Option<CachedPage> {
        let found = std::fs::read(self.entry_path(key)).ok().and_then(|b| decode(&b));
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Store an entry atomically. Failures are remembered (see `write_error`), not returned:
    /// a cache that cannot be written must not fail the check.
    pub fn put(&self, key: &Key, page: &CachedPage) {
        if let Err(e) = self.try_put(key, page) {
            self.write_error.lock().unwrap().get_or_insert_with(|| format!("{}: {e}", self.dir.display()));
        }
    }

    fn try_put(&self, key: &Key, page: &CachedPage) -> std::io::Result<()> {
        let path = self.entry_path(key);
        let folder = path.parent().expect("entries live in a fan-out folder");
        std::fs::create_dir_all(folder)?;
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        // Unique between threads (n), processes and hosts sharing the cache (where process
        // ids repeat).
        let tmp = folder.join(format!(".{}.{}.{n}.{:08x}.tmp", &key.0[2..], std::process::id(), rand::random::<u32>()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&encode(page))?;
            // No fsync: an entry lost or cut short by a crash fails its checksum and is read
            // again, which is cheaper than syncing every page.
            drop(f);
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// The first write failure, if any, for a single warning.
    pub fn write_error(&self) -> Option<String> {
        self.write_error.lock().unwrap().clone()
    }

    /// (hits, misses) so far.
    pub fn counts(&self) -> (usize, usize) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_page(tag: &str) -> CachedPage {
        CachedPage {
            width: 2480,
            height: 3508,
            words: vec![
                OcrWord {
                    text: format!("Тегерана{tag}"),
                    confidence: 0.91,
                    bbox: BBox { x: 1, y: 2, w: 3, h: 4 },
                    line: 7,
                    chars: vec![OcrChar {
                        text: "Т".into(),
                        confidence: 0.9,
                        alternatives: vec![("Г".into(), 0.05), ("T".into(), 0.01)],
                    }],
                },
                OcrWord { text: "no-chars".into(), confidence: 0.5, bbox: BBox::default(), line: 8, chars: vec![] },
            ],
            rotation: 90,
            skew: -1.25,
            unread: vec![InkLine { bbox: BBox { x: 5, y: 6, w: 70, h: 8 }, letters: 12 }],
        }
    }

    #[test]
    fn entry_round_trips() {
        let page = sample_page("");
        assert_eq!(decode(&encode(&page)), Some(page));
    }

    #[test]
    fn damaged_entries_are_rejected() {
        let bytes = encode(&sample_page(""));
        assert!(decode(&bytes[..bytes.len() - 1]).is_none(), "truncated");
        assert!(decode(&bytes[..HEADER - 1]).is_none(), "header only");
        assert!(decode(&[]).is_none(), "empty");
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(decode(&flipped).is_none(), "a flipped bit");
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none(), "trailing garbage");
        let mut magic = bytes;
        magic[7] = 9;
        assert!(decode(&magic).is_none(), "another format");
    }

    #[test]
    fn hit_miss_and_corrupt_entry_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = OcrCache::open(dir.path()).unwrap();
        let fp = Fingerprint([7; 32]);
        let key = page_key(&fp, b"image bytes");
        assert_eq!(cache.get(&key), None);
        cache.put(&key, &sample_page(""));
        assert_eq!(cache.get(&key), Some(sample_page("")));
        // Cut the entry short, as a crash could: a miss, then replaced whole.
        let path = cache.entry_path(&key);
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(len / 2).unwrap();
        assert_eq!(cache.get(&key), None);
        cache.put(&key, &sample_page(""));
        assert_eq!(cache.get(&key), Some(sample_page("")));
        assert_eq!(cache.counts(), (2, 2));
        assert!(cache.write_error().is_none());
    }

    #[test]
    fn keys_depend_on_image_settings_and_region() {
        let a = Fingerprint([1; 32]);
        let b = Fingerprint([2; 32]);
        assert_ne!(page_key(&a, b"x"), page_key(&b, b"x"));
        assert_ne!(page_key(&a, b"x"), page_key(&a, b"y"));
        let k = page_key(&a, b"x");
        let r = BBox { x: 1, y: 2, w: 3, h: 4 };
        assert_ne!(region_key(&k, r, Segmentation::Line), region_key(&k, r, Segmentation::Word));
        assert_ne!(region_key(&k, r, Segmentation::Line), region_key(&k, BBox { x: 0, ..r }, Segmentation::Line));
        let s = OcrSettings::default();
        assert_ne!(fingerprint(&s), fingerprint(&OcrSettings { dpi: 301, ..s.clone() }));
        assert_ne!(fingerprint(&s), fingerprint(&OcrSettings { alternatives: !s.alternatives, ..s.clone() }));
        assert_ne!(fingerprint(&s), fingerprint(&OcrSettings { lang: "rus".into(), ..s.clone() }));
        assert_ne!(fingerprint(&s), fingerprint(&OcrSettings { reading: crate::ocr::Reading::Single, ..s.clone() }));
    }

    #[test]
    fn concurrent_writers_and_readers_see_whole_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = OcrCache::open(dir.path()).unwrap();
        let key = page_key(&Fingerprint([3; 32]), b"shared page");
        let pages: Vec<CachedPage> = (0..4).map(|t| sample_page(&"x".repeat(t * 500))).collect();
        std::thread::scope(|s| {
            for page in &pages {
                let (cache, key) = (&cache, &key);
                s.spawn(move || {
                    for _ in 0..50 {
                        cache.put(key, page);
                    }
                });
            }
            for _ in 0..2 {
                s.spawn(|| {
                    for _ in 0..200 {
                        if let Some(p) = cache.get(&key) {
                            assert!(pages.contains(&p), "a reader saw a mixed entry");
                        }
                    }
                });
            }
        });
        assert!(pages.contains(&cache.get(&key).unwrap()));
        // No temporary file is left behind.
        let folder = cache.entry_path(&key).parent().unwrap().to_path_buf();
        let names: Vec<_> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
