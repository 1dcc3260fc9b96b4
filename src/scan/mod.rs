//! Scan stage: paths in, decoded grayscale page images out, in natural page order.
//! It does not OCR; it only finds, checks and decodes images. `multipage` splits multi-page
//! files (TIFF, PDF) into pages, `iiif` fetches the pages of IIIF manifests.

mod histogram;
pub mod iiif;
mod level;
mod limits;
pub mod multipage;

use crate::error::{Error, Result};
pub use histogram::{grey_histogram, otsu_level, paper_level};
use image::{GrayImage, ImageReader, Limits};
pub use level::{level, measure_skew, orient, orient_picture, shrink, turn, MAX_SKEW, MIN_SKEW};
pub use limits::{MAX_ALLOC, MAX_SIDE};
use multipage::PageRef;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "tif", "tiff", "pdf"];

/// Expand the user's SCANS arguments (files or folders) into page files. Folders give their
/// images in natural order (page-2 before page-10); files keep the order they were given in.
pub fn collect_scan_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut pages = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| Error::io(input, e))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_image_path(p))
                .collect();
            if found.is_empty() {
                return Err(Error::NoScans { path: input.clone() });
            }
            found.sort_by(|a, b| natural_cmp(&a.to_string_lossy(), &b.to_string_lossy()));
            for f in found {
                pages.extend(multipage::expand(&f)?);
            }
        } else {
            // A multi-page TIFF or a PDF is one page path per page: FILE#page=N.
            pages.extend(multipage::expand(input)?);
        }
    }
    Ok(pages)
}

pub fn is_image_path(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Compare strings so that runs of digits compare by value: "page-2" < "page-10".
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(ca), Some(cb)) if ca.is_ascii_digit() && cb.is_ascii_digit() => {
                let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let (na, nb) = (a[..da].trim_start_matches('0'), b[..db].trim_start_matches('0'));
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb)).then(da.cmp(&db));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(ca), Some(cb)) => {
                if ca != cb {
                    return ca.cmp(&cb);
                }
                a = &a[ca.len_utf8()..];
                b = &b[cb.len_utf8()..];
            }
        }
    }
}

/// Decode one page to 8-bit grayscale with its contrast stretched (see `preprocess`).
pub fn load_page(path: &Path) -> Result<GrayImage> {
    if let Some(page) = PageRef::parse(path) {
        return multipage::decode(&page).map(preprocess);
    }
    let bad = |reason: String| Error::BadImage { path: path.to_path_buf(), reason };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() == 0 {
        return Err(bad("the file is empty (0 bytes)".into()));
    }
    let mut reader = ImageReader::open(path)
        .map_err(|e| Error::io(path, e))?
        .with_guessed_format()
        .map_err(|e| Error::io(path, e))?;
    if reader.format().is_none() {
        return Err(bad("not a PNG, JPEG or TIFF image".into()));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| bad(e.to_string()))?;
    Ok(preprocess(img.into_luma8()))
}

/// Stretch the page's contrast so its 1st and 99th percentile grey levels become black and
/// white. Measured with `cargo run --release --example preprocess` (README, "Preprocessing"):
/// it lowered Tesseract's CER on the sample (2.61% to 2.05%) and on six EHRI pages (12.0% to
/// 11.6%), where Otsu binarization raised it on both and a median filter helped the synthetic
/// sample but doubled the error on the real pages. Tesseract binarizes internally after this.
/// In place, through a table of the 256 levels: 3-5 ms a 300 dpi page, where mapping each
/// pixel anew took 20-30 ms.
pub fn preprocess(mut page: GrayImage) -> GrayImage {
    let histogram = grey_histogram(&page);
    let total: u64 = histogram.iter().sum();
    let level_at = |fraction: f64| {
        let target = (total as f64 * fraction) as u64;
        let mut seen = 0u64;
        histogram.iter().position(|&n| {
            seen += n;
            seen > target
        })
    };
    let (lo, hi) = (level_at(0.01).unwrap_or(0) as u8, level_at(0.99).unwrap_or(255) as u8);
    if hi <= lo.saturating_add(8) {
        // A blank or nearly uniform page: nothing to stretch.
        return page;
    }
    // On a page of a few lines, less than 1% of it is ink and the 1st percentile lies in the
    // paper: stretched to black, the paper's grain became a field of specks that Tesseract read
    // as nothing, slowly (`fort-deu-0020_02`, three lines on a 300 dpi page: minutes, no word).
    // So the paper's own spread (three median deviations below its median) is kept in the
    // top quarter of the levels.
    let (paper, spread) = paper_level(&histogram);
    let paper_low = (paper as u32).saturating_sub(3 * spread.max(3) as u32);
    let lo = lo.min((hi as u32).saturating_sub(4 * (hi as u32).saturating_sub(paper_low)) as u8);
    // Level `lo` and below to black, `hi` and above to white, linearly between (integer
    // arithmetic, as imageproc's `stretch_contrast`, which this replaces exactly).
    let (lo16, hi16) = (lo as u32, hi as u32);
    let table: [u8; 256] = std::array::from_fn(|p| match p as u32 {
        p if p <= lo16 => 0,
        p if p >= hi16 => 255,
        p => ((p - lo16) * 255 / (hi16 - lo16)) as u8,
    });
    for p in page.iter_mut() {
        *p = table[*p as usize];
    }
    page
}

/// The typical height in pixels of the page's letters: the median height of the dark
/// connected components that are letter-shaped (not specks, rules or blotches), or `None` on a
/// page without enough of them. Tesseract's layout analysis and LSTM read type best at the size
/// a 300 dpi scan gives (capitals of 25-30 px); a 96 dpi web copy gives 8-10 px, and reading it
/// as it is loses a third of its words (EHRI's WL pages: 21-45% CER at 300 dpi, 2-4% enlarged).
pub fn letter_height(page: &GrayImage) -> Option<u32> {
    // Dark text on light paper: ink is what is at or below Otsu's level.
    let boxes = ink_components(page, otsu_level(&grey_histogram(page)));
    // Pieces of type: 5-150 px high, not thin as a rule. Letters among them are about as wide
    // as high (a touching pair is wider); the rest are words run together by heavy ink.
    let mut pieces: Vec<(u32, u32, u32, u32)> = boxes
        .into_iter()
        .filter(|&(y0, y1, x0, x1)| (5..=150).contains(&(y1 + 1 - y0)) && (x1 + 1 - x0) * 4 > y1 - y0)
        .collect();
    pieces.sort_unstable();
    let letters: Vec<(u32, u32, u32, u32)> =
        pieces.iter().copied().filter(|&(y0, y1, x0, x1)| x1 - x0 < (y1 + 1 - y0) * 3).collect();
    let height = |b: &(u32, u32, u32, u32)| b.1 + 1 - b.0;
    let mut heights: Vec<u32> = letters.iter().map(height).collect();
    let lined: Vec<u32> = letters.iter().filter(|&&b| in_a_line(b, &pieces)).map(height).collect();
    // Specks pass for letters by shape. Where most letter shapes stand alone, the page is a few
    // lines among specks, and only those in lines are measured: `fort-deu-0020_02`, three
    // lines and a thousand specks, measured 7 px letters for 25 px type. Elsewhere all count:
    // heavy ink on a small page runs letters into words and lines into one another, leaving
    // too few letters in lines to measure.
    if lined.len() * 2 < heights.len() && lined.len() >= 50 {
        heights = lined;
    }
    if heights.len() < 50 {
        return None;
    }
    let mid = heights.len() / 2;
    Some(*heights.select_nth_unstable(mid).1)
}

/// Whether the box (min y, max y, min x, max x) stands in a line: two of `pieces` (sorted by
/// their top) are beside it, overlapping it by half the lower one's height, of a height within
/// 2.5x its own, no further than twice the taller one's height. Nearly every letter has them
/// (the next letter, or the next word); scattered specks rarely have two.
fn in_a_line(a: (u32, u32, u32, u32), pieces: &[(u32, u32, u32, u32)]) -> bool {
    let h = a.1 + 1 - a.0;
    let beside = |b: &(u32, u32, u32, u32)| {
        let hb = b.1 + 1 - b.0;
        let overlap = (a.1.min(b.1) + 1).saturating_sub(a.0.max(b.0));
        let gap = b.2.saturating_sub(a.3).max(a.2.saturating_sub(b.3));
        let alike = hb * 2 <= h * 5 && h * 2 <= hb * 5;
        *b != a && overlap * 2 >= h.min(hb) && alike && gap <= h.max(hb) * 2
    };
    // A neighbour overlaps the box, and is at most 2.5x as high: its top is in this range.
    let first = pieces.partition_point(|b| b.0 + h * 5 / 2 < a.0);
    let last = pieces.partition_point(|b| b.0 <= a.1);
    pieces[first..last].iter().filter(|b| beside(b)).nth(1).is_some()
}

/// The bounding boxes (min y, max y, min x, max x) of the 8-connected components of the pixels
/// at or below `level`, in no particular order. Labelled by runs: each row's runs of ink are
/// joined (union-find) with the runs they touch in the row above, so the work and memory go
/// with the number of runs, not of pixels: 10-20 ms a 300 dpi page, where labelling every
/// pixel (imageproc's `connected_components`, with a 4-byte label a pixel) took 130-350 ms.
pub fn ink_components(page: &GrayImage, level: u8) -> Vec<(u32, u32, u32, u32)> {
    let (w, h) = page.dimensions();
    // Per run: its box so far, and its parent in the union-find forest.
    let mut boxes: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut parent: Vec<u32> = Vec::new();
    fn root(parent: &mut [u32], mut i: u32) -> u32 {
        while parent[i as usize] != i {
            let up = parent[parent[i as usize] as usize];
            parent[i as usize] = up;
            i = up;
        }
        i
    }
    // Runs of the row above, as (first x, last x, run id).
    let mut above: Vec<(u32, u32, u32)> = Vec::new();
    let mut here: Vec<(u32, u32, u32)> = Vec::new();
    for (y, row) in page.as_raw().chunks_exact(w as usize).enumerate().take(h as usize) {
        let y = y as u32;
        here.clear();
        let mut x = 0usize;
        while x < row.len() {
            if row[x] > level {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] <= level {
                x += 1;
            }
            let (x0, x1) = (start as u32, x as u32 - 1);
            let id = boxes.len() as u32;
            boxes.push((y, y, x0, x1));
            parent.push(id);
            here.push((x0, x1, id));
        }
        // Runs touch across rows when their columns overlap or meet at a corner.
        let mut k = 0;
        for &(x0, x1, id) in &here {
            while k < above.len() && above[k].1 + 1 < x0 {
                k += 1;
            }
            let mut j = k;
            while j < above.len() && above[j].0 <= x1 + 1 {
                let (a, b) = (root(&mut parent, above[j].2), root(&mut parent, id));
                if a != b {
                    parent[a.max(b) as usize] = a.min(b);
                }
                j += 1;
            }
        }
        std::mem::swap(&mut above, &mut here);
    }
    // Fold every run's box into its component's root.
    for i in 0..boxes.len() as u32 {
        let r = root(&mut parent, i);
        if r != i {
            let (b, into) = (boxes[i as usize], &mut boxes[r as usize]);
            *into = (into.0.min(b.0), into.1.max(b.1), into.2.min(b.2), into.3.max(b.3));
        }
    }
    (0..boxes.len()).filter(|&i| parent[i] == i as u32).map(|i| boxes[i]).collect()
}

/// How much to enlarge a page before OCR so its letters reach the size Tesseract reads best
/// (see `letter_height`): 1.0 for pages scanned at about 200 dpi or more, at most 3, and never
/// beyond `MAX_READ_SIDE`.
pub fn ocr_scale(page: &GrayImage) -> f32 {
    scale_for(page, letter_height(page))
}

/// `ocr_scale` of a page whose letter height is measured already (`letter_height`).
pub fn scale_for(page: &GrayImage, letter: Option<u32>) -> f32 {
    let longest = page.width().max(page.height()).max(1) as f32;
    match letter {
        Some(h) if (h as f32) < TARGET_LETTER_HEIGHT * 0.75 => {
            (TARGET_LETTER_HEIGHT / h as f32).min(3.0).min(MAX_READ_SIDE / longest).max(1.0)
        }
        _ => 1.0,
    }
}

/// The page enlarged `scale` times (bicubic) for reading (`ocr_scale`); `None` at 1 or less.
/// With `fast_image_resize`'s SIMD convolution: `image::imageops::resize` took 1.5 s to enlarge
/// an A4 page 1.8 times, as long as Tesseract takes to read it (issue 16).
pub fn enlarge(page: &GrayImage, scale: f32) -> Option<GrayImage> {
    use fast_image_resize::{
        images::{Image, ImageRef},
        FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
    };
    if scale <= 1.0 {
        return None;
    }
    let (w, h) = page.dimensions();
    let (sw, sh) = ((w as f32 * scale).round() as u32, (h as f32 * scale).round() as u32);
    // Neither call can fail: the buffer is the page's own, of one grey byte a pixel, and both
    // images are of that one pixel type.
    let src = ImageRef::new(w, h, page.as_raw(), PixelType::U8).expect("a page's own buffer");
    let mut dst = Image::new(sw, sh, PixelType::U8);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new().resize(&src, &mut dst, &options).expect("grey to grey");
    GrayImage::from_raw(sw, sh, dst.into_vec())
}

/// A page made ready for its first reading as scanned: levelled when its lines are skewed
/// (`measure_skew`, from `MIN_SKEW`), and enlarged as its type needs (`ocr_scale`). Kept
/// apart from reading it, so that the next page is decoded, measured and enlarged while the
/// engine reads this one (`reading::read_pages`): on pages scanned at 96-200 dpi the
/// enlargement alone costs a tenth of the reading.
pub struct Prepared {
    /// The page as decoded, for reading it turned when it does not read upright.
    pub decoded: GrayImage,
    /// The page levelled, when it was skewed.
    pub levelled: Option<GrayImage>,
    pub skew: f32,
    /// The enlargement of the levelled page for reading it (`ocr_scale`).
    pub scale: f32,
    /// The levelled page enlarged by `scale`, when `scale` is over 1 (`enlarge`).
    pub enlarged: Option<GrayImage>,
    /// The levelled page's letter height (`letter_height`), which `scale` comes from and the
    /// lines left unread are measured with.
    pub letter: Option<u32>,
}

/// Level and measure a decoded page for its first reading.
pub fn prepare(decoded: GrayImage) -> Prepared {
    let measured = measure_skew(&decoded);
    let skew = if measured.abs() >= MIN_SKEW { measured } else { 0.0 };
    let levelled = (skew != 0.0).then(|| level(&decoded, skew));
    let upright = levelled.as_ref().unwrap_or(&decoded);
    let letter = letter_height(upright);
    let scale = scale_for(upright, letter);
    let enlarged = enlarge(upright, scale);
    Prepared { decoded, levelled, skew, scale, enlarged, letter }
}

/// The longest side a page is enlarged to: an A4 page at 96 dpi enlarged 3× is 3,369 px high.
/// A guard against a wrong letter height on a large page: before `letter_height` measured
/// letters in lines, a 300 dpi page of a few lines among specks measured 7 px "letters"
/// (`fort-deu-0020_02`), and enlarged 3× to 10,524 px, Tesseract's layout analysis ran for
/// over ten minutes where the page as it is reads in 2 s.
const MAX_READ_SIDE: f32 = 5000.0;

/// The median letter height of typewriter type scanned at 300 dpi (pica, 10 pitch).
const TARGET_LETTER_HEIGHT: f32 = 22.0;

/// Check a page file before any OCR starts: it exists, is not empty, is an image we decode,
/// and its declared size is within the decoder limits. Reads only the header.
pub fn check_page_file(path: &Path) -> Result<()> {
    if let Some(page) = PageRef::parse(path) {
        // A PDF was checked page by page when it was expanded; a TIFF frame decodes here.
        return if multipage::is_pdf_path(&page.file) { Ok(()) } else { multipage::decode(&page).map(|_| ()) };
    }
    let bad = |reason: String| Error::BadImage { path: path.to_path_buf(), reason };
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(bad("is a folder".into()));
    }
    if meta.len() == 0 {
        return Err(bad("the file is empty (0 bytes)".into()));
    }
    let reader = ImageReader::open(path)
        .map_err(|e| Error::io(path, e))?
        .with_guessed_format()
        .map_err(|e| Error::io(path, e))?;
    let format = reader.format();
    match format {
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::Tiff) => {}
        Some(other) => return Err(bad(format!("{other:?} images are not supported (use PNG, JPEG or TIFF)"))),
        None => return Err(bad("not a PNG, JPEG or TIFF image".into())),
    }
    let (w, h) = reader.into_dimensions().map_err(|e| bad(e.to_string()))?;
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(bad(format!("declares {w} x {h} pixels, more than the limit of {MAX_SIDE} a side")));
    }
    // A truncated file has a good header. Its end tells (PNG's IEND chunk, JPEG's end-of-image
    // marker; no decoding, so a cached run stays fast); a TIFF, whose strips lie anywhere, is
    // decoded. Found here, before any OCR, a broken page stops the run before anything is written.
    let complete = match format {
        Some(image::ImageFormat::Tiff) => return load_page(path).map(|_| ()),
        Some(image::ImageFormat::Png) => png_is_complete(&std::fs::read(path).map_err(|e| Error::io(path, e))?),
        _ => jpeg_is_complete(&std::fs::read(path).map_err(|e| Error::io(path, e))?),
    };
    if !complete {
        return Err(bad("the file is truncated (its image data has no end marker)".into()));
    }
    Ok(())
}

/// Whether a PNG ends with its IEND chunk (some writers add a few bytes after it).
fn png_is_complete(bytes: &[u8]) -> bool {
    bytes[bytes.len().saturating_sub(64)..].windows(4).any(|w| w == b"IEND")
}

/// Whether a JPEG's last scan is followed by its end-of-image marker. The decoder pads a cut
/// scan with grey and reports success, so this is the only sign of a truncated file. Inside
/// scan data a 0xFF byte is always stuffed (FF 00), so FF DA and FF D9 there are real markers.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]).unwrap_or(0);
    bytes[last_scan..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// A page's size in pixels, from its header.
pub fn page_dimensions(path: &Path) -> Result<(u32, u32)> {
    if let Some(page) = PageRef::parse(path) {
        return multipage::dimensions(&page);
    }
    ImageReader::open(path)
        .map_err(|e| Error::io(path, e))?
        .with_guessed_format()
        .map_err(|e| Error::io(path, e))?
        .into_dimensions()
        .map_err(|e| Error::BadImage { path: path.to_path_buf(), reason: e.to_string() })
}

/// The bytes that identify a page's image (for the OCR cache): the file's, and for a page of a
/// multi-page file also which page.
pub fn page_identity_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    match PageRef::parse(path) {
        Some(page) => multipage::identity_bytes(&page),
        None => std::fs::read(path),
    }
}

#[cfg(test)]
mod tests;
