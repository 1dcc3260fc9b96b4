//! Second readings: the lines of doubtful flags cropped, enlarged and read again, each line
//! once, from memory or the cache where it can. It aligns and weighs nothing.

use crate::cache::{self, CachedPage, Key, OcrCache};
use crate::error::Result;
use crate::ocr::{self, LazyEngine, Recognizer, Segmentation};
use crate::types::{BBox, OcrPage, OcrWord, SecondReading};
use image::GrayImage;
use std::collections::{BTreeMap, HashMap};

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
/// split by line (by page for a page no longer in memory), and every line's reading depends
/// only on the page and the line, so the
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
    // A page in memory is shared out by line, so that two engines finish together however the
    // doubtful flags fall on the pages; a page that must be decoded again stays one unit, to be
    // decoded once. Flags on one line stay together: it is read once for them all.
    let mut work: Vec<(usize, Vec<ReadRequest>)> = Vec::new();
    for (p, requests) in by_page {
        let source = &sources[p];
        if jobs <= 1 || source.image.is_none() {
            work.push((p, requests));
            continue;
        }
        let mut by_line: BTreeMap<(u32, u32, u32, u32), Vec<ReadRequest>> = BTreeMap::new();
        for r in requests {
            let b = line_box(source.page, r.bbox);
            by_line.entry((b.y, b.x, b.w, b.h)).or_default().push(r);
        }
        work.extend(by_line.into_values().map(|line| (p, line)));
    }
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
pub(super) fn read_again(read: &mut ReadRegion, page: (u32, u32), line: BBox, target: BBox) -> Option<SecondReading> {
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
    let (ox, oy, _, _, scale) = crop_geometry(page.0, page.1, region)?;
    let words = read(region, mode)?;
    let (x0, x1) = (target.x as i64, (target.x + target.w) as i64);
    let under: Vec<OcrWord> = words
        .into_iter()
        // In the page's pixels, as the first reading's words are: evidence compares their sizes.
        .map(|w| {
            let b = w.bbox;
            let (x, y) = (b.x / scale, b.y / scale);
            let bbox = BBox { x: ox + x, y: oy + y, w: (b.x + b.w) / scale - x, h: (b.y + b.h) / scale - y };
            OcrWord { bbox, ..w }
        })
        .filter(|w| {
            let (a, b) = (w.bbox.x as i64, (w.bbox.x + w.bbox.w) as i64);
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
