//! Multi-page scan files: a multi-page TIFF (each frame a page) and a PDF (each page rasterized
//! with poppler's `pdftoppm`) in, one page path per page out, written `FILE#page=N`, so that the
//! page numbering and every report follow the files; and the decoding of such a page. Single
//! images are left to `scan`.

use super::limits::{MAX_ALLOC, MAX_SIDE};
use crate::error::{Error, Result};
use image::{GrayImage, ImageFormat, ImageReader, Limits};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// Resolution PDF pages are rasterized at unless told otherwise: what archives scan at, and
/// where Tesseract reads typewriting best.
pub const DEFAULT_PDF_DPI: u32 = 300;

/// The run's PDF resolution. A setting of the whole run, read wherever a page is decoded (OCR,
/// crops, the review page), so it is kept here rather than threaded through each of them.
static PDF_DPI: AtomicU32 = AtomicU32::new(DEFAULT_PDF_DPI);

/// More frames than this in one TIFF is a broken (or hostile) chain of directories.
const MAX_FRAMES: usize = 10_000;

pub fn set_pdf_dpi(dpi: u32) {
    PDF_DPI.store(dpi.clamp(36, 1200), Ordering::Relaxed);
}

pub fn pdf_dpi() -> u32 {
    PDF_DPI.load(Ordering::Relaxed)
}

/// A page of a multi-page file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    pub file: PathBuf,
    /// 1-based.
    pub page: usize,
}

impl PageRef {
    pub fn path(&self) -> PathBuf {
        let mut s = self.file.as_os_str().to_os_string();
        s.push(format!("#page={}", self.page));
        PathBuf::from(s)
    }

    /// The page a path names, if it is `FILE#page=N` of an existing FILE (and not itself a file).
    pub fn parse(path: &Path) -> Option<PageRef> {
        let s = path.to_str()?;
        let (file, n) = s.rsplit_once("#page=")?;
        let page: usize = n.parse().ok().filter(|&n| n > 0)?;
        let file = PathBuf::from(file);
        (!path.exists() && file.is_file()).then_some(PageRef { file, page })
    }

    fn is_pdf(&self) -> bool {
        is_pdf_path(&self.file)
    }
}

pub fn is_pdf_path(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

fn is_tiff_path(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tif") || e.eq_ignore_ascii_case("tiff"))
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::BadImage { path: path.to_path_buf(), reason: reason.into() }
}

/// The pages of one scan file: itself for an ordinary image, one `FILE#page=N` per frame of a
/// multi-page TIFF and per page of a PDF (by content: a PDF named .png is still a PDF).
pub fn expand(path: &Path) -> Result<Vec<PathBuf>> {
    let head = read_head(path)?;
    if is_pdf_path(path) || head.starts_with(b"%PDF-") {
        let count = pdf_page_count(path, &head)?;
        return Ok((1..=count).map(|page| PageRef { file: path.to_path_buf(), page }.path()).collect());
    }
    if head.starts_with(b"II") || head.starts_with(b"MM") || is_tiff_path(path) {
        if let Ok(bytes) = std::fs::read(path) {
            if let Ok(offsets) = tiff_frames(&bytes) {
                if offsets.len() > 1 {
                    return Ok((1..=offsets.len())
                        .map(|page| PageRef { file: path.to_path_buf(), page }.path())
                        .collect());
                }
            }
        }
    }
    Ok(vec![path.to_path_buf()])
}

fn read_head(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::with_capacity(1024);
    f.by_ref().take(1024).read_to_end(&mut head).map_err(|e| Error::io(path, e))?;
    Ok(head)
}

/// Decode a page of a multi-page file to 8-bit grayscale (not yet preprocessed).
pub fn decode(page: &PageRef) -> Result<GrayImage> {
    if page.is_pdf() {
        return rasterize(page);
    }
    let bytes = std::fs::read(&page.file).map_err(|e| Error::io(&page.file, e))?;
    let frame = tiff_frame(&bytes, page).map_err(|r| bad(&page.path(), r))?;
    let mut reader = ImageReader::with_format(std::io::Cursor::new(frame), ImageFormat::Tiff);
    reader.limits(limits());
    let img = reader.decode().map_err(|e| bad(&page.path(), e.to_string()))?;
    Ok(img.into_luma8())
}

/// A page's size in pixels, from its header (a PDF page: its size at the run's resolution).
pub fn dimensions(page: &PageRef) -> Result<(u32, u32)> {
    if page.is_pdf() {
        let sizes = pdf_page_sizes(&page.file)?;
        let (w, h) = sizes.get(page.page - 1).copied().ok_or_else(|| bad(&page.path(), "no such page"))?;
        return Ok(pixels_at_dpi(w, h));
    }
    let bytes = std::fs::read(&page.file).map_err(|e| Error::io(&page.file, e))?;
    let frame = tiff_frame(&bytes, page).map_err(|r| bad(&page.path(), r))?;
    ImageReader::with_format(std::io::Cursor::new(frame), ImageFormat::Tiff)
        .into_dimensions()
        .map_err(|e| bad(&page.path(), e.to_string()))
}

/// The bytes that identify a page for the OCR cache: the file's, the page number, and for a
/// PDF the resolution it is rasterized at.
pub fn identity_bytes(page: &PageRef) -> std::io::Result<Vec<u8>> {
    let mut bytes = std::fs::read(&page.file)?;
    bytes.extend_from_slice(format!("#page={}", page.page).as_bytes());
    if page.is_pdf() {
        bytes.extend_from_slice(format!("@{}dpi", pdf_dpi()).as_bytes());
    }
    Ok(bytes)
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

// ---------------------------------------------------------------------------------------------
// TIFF: the image crate decodes the first frame only, so a frame is handed to it as a TIFF whose
// header points at that frame's directory.

/// Offsets of the image file directories, in order: TIFF (32-bit) and BigTIFF.
fn tiff_frames(bytes: &[u8]) -> std::result::Result<Vec<u64>, String> {
    let le = match bytes.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return Err("not a TIFF file".into()),
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = bytes.get(at..at + 2)?.try_into().ok()?;
        Some(if le { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if le { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let u64_at = |at: usize| -> Option<u64> {
        let b: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
        Some(if le { u64::from_le_bytes(b) } else { u64::from_be_bytes(b) })
    };
    let truncated = || "the TIFF file is truncated (a directory lies past its end)".to_string();
    let big = match u16_at(2) {
        Some(42) => false,
        Some(43) => true,
        _ => return Err("not a TIFF file".into()),
    };
    let mut next = if big { u64_at(8).ok_or_else(truncated)? } else { u32_at(4).ok_or_else(truncated)? as u64 };
    let mut frames = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while next != 0 {
        if !seen.insert(next) || frames.len() >= MAX_FRAMES {
            return Err("the TIFF directories loop or never end".into());
        }
        let at = usize::try_from(next).map_err(|_| truncated())?;
        frames.push(next);
        next = if big {
            let count = u64_at(at).ok_or_else(truncated)?;
            let end =
                (at as u64).checked_add(8).and_then(|v| v.checked_add(count.checked_mul(20)?)).ok_or_else(truncated)?;
            u64_at(usize::try_from(end).map_err(|_| truncated())?).ok_or_else(truncated)?
        } else {
            let count = u16_at(at).ok_or_else(truncated)? as usize;
            u32_at(at + 2 + count * 12).ok_or_else(truncated)? as u64
        };
    }
    if frames.is_empty() {
        return Err("the TIFF file has no image".into());
    }
    Ok(frames)
}

/// The file's bytes with its header pointing at the frame's directory.
fn tiff_frame(bytes: &[u8], page: &PageRef) -> std::result::Result<Vec<u8>, String> {
    let frames = tiff_frames(bytes)?;
    let offset = *frames.get(page.page - 1).ok_or_else(|| format!("the TIFF has {} frame(s)", frames.len()))?;
    let mut out = bytes.to_vec();
    let le = bytes.starts_with(b"II");
    if bytes.get(2..4) == Some(if le { &[43, 0] } else { &[0, 43] }) {
        let b = if le { offset.to_le_bytes() } else { offset.to_be_bytes() };
        out[8..16].copy_from_slice(&b);
    } else {
        let o = offset as u32;
        let b = if le { o.to_le_bytes() } else { o.to_be_bytes() };
        out[4..8].copy_from_slice(&b);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// PDF through poppler-utils (`pdfinfo`, `pdftoppm`): well kept, in every distribution, and it
// renders scans exactly as their producers embedded them.

fn poppler(tool: &str) -> Command {
    let mut c = Command::new(tool);
    c.stdin(std::process::Stdio::null());
    c
}

fn run_poppler(tool: &str, args: &[&std::ffi::OsStr], path: &Path) -> Result<Vec<u8>> {
    let out = poppler(tool).args(args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            bad(path, format!("reading PDF scans needs `{tool}` from poppler-utils, which is not installed (apt-get install poppler-utils)"))
        } else {
            Error::io(path, e)
        }
    })?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("it failed").trim().to_string();
        return Err(bad(path, format!("not a readable PDF ({tool}: {why})")));
    }
    Ok(out.stdout)
}

fn pdf_page_count(path: &Path, head: &[u8]) -> Result<usize> {
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(bad(path, "not a PDF (it has no %PDF- header)"));
    }
    let sizes = pdf_page_sizes(path)?;
    if sizes.is_empty() {
        return Err(bad(path, "the PDF has no pages"));
    }
    for (i, &(w, h)) in sizes.iter().enumerate() {
        let (pw, ph) = pixels_at_dpi(w, h);
        if pw > MAX_SIDE || ph > MAX_SIDE {
            return Err(bad(
                path,
                format!(
                    "page {} would be {pw} x {ph} pixels at {} dpi, more than the limit of {} a side",
                    i + 1,
                    pdf_dpi(),
                    MAX_SIDE
                ),
            ));
        }
    }
    Ok(sizes.len())
}

/// Each page's size in points, from `pdfinfo -f 1 -l N`.
fn pdf_page_sizes(path: &Path) -> Result<Vec<(f32, f32)>> {
    let info = run_poppler("pdfinfo", &[path.as_os_str()], path)?;
    let info = String::from_utf8_lossy(&info);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").and_then(|v| v.trim().parse().ok()))
        .ok_or_else(|| bad(path, "not a readable PDF (pdfinfo gave no page count)"))?;
    if pages == 0 {
        return Ok(Vec::new());
    }
    let last = pages.to_string();
    let args: [&std::ffi::OsStr; 5] = ["-f".as_ref(), "1".as_ref(), "-l".as_ref(), last.as_ref(), path.as_os_str()];
    let info = run_poppler("pdfinfo", &args, path)?;
    let sizes: Vec<(f32, f32)> = String::from_utf8_lossy(&info)
        .lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
        .filter_map(|l| {
            let dims = l.split_once("size:")?.1;
            let mut it = dims.split_whitespace();
            let w: f32 = it.next()?.parse().ok()?;
            it.next(); // "x"
            let h: f32 = it.next()?.parse().ok()?;
            Some((w, h))
        })
        .collect();
    if sizes.len() != pages {
        return Err(bad(path, "not a readable PDF (pdfinfo could not size every page)"));
    }
    Ok(sizes)
}

fn pixels_at_dpi(w_pt: f32, h_pt: f32) -> (u32, u32) {
    let scale = pdf_dpi() as f32 / 72.0;
    let px = |v: f32| (v * scale).round().clamp(0.0, u32::MAX as f32) as u32;
    (px(w_pt), px(h_pt))
}

fn rasterize(page: &PageRef) -> Result<GrayImage> {
    let (dpi, n) = (pdf_dpi().to_string(), page.page.to_string());
    let args: [&std::ffi::OsStr; 10] = [
        "-r".as_ref(),
        dpi.as_ref(),
        "-f".as_ref(),
        n.as_ref(),
        "-l".as_ref(),
        n.as_ref(),
        "-singlefile".as_ref(),
        "-gray".as_ref(),
        "-png".as_ref(),
        page.file.as_os_str(),
    ];
    let png = run_poppler("pdftoppm", &args, &page.path())?;
    let mut reader = ImageReader::with_format(std::io::Cursor::new(png), ImageFormat::Png);
    reader.limits(limits());
    let img = reader.decode().map_err(|e| bad(&page.path(), format!("pdftoppm gave no readable image: {e}")))?;
    Ok(img.into_luma8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiff_of(frames: &[(u32, u32, u8)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut enc = tiff::encoder::TiffEncoder::new(&mut out).unwrap();
        for &(w, h, shade) in frames {
            enc.write_image::<tiff::encoder::colortype::Gray8>(w, h, &vec![shade; (w * h) as usize]).unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn every_tiff_frame_is_a_page() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scan.tif");
        std::fs::write(&path, tiff_of(&[(10, 20, 0), (30, 40, 200), (5, 5, 90)])).unwrap();
        let pages = expand(&path).unwrap();
        assert_eq!(pages.len(), 3);
        assert!(pages[1].to_string_lossy().ends_with("scan.tif#page=2"));
        let second = PageRef::parse(&pages[1]).unwrap();
        let img = decode(&second).unwrap();
        assert_eq!((img.dimensions(), img.get_pixel(0, 0).0[0]), ((30, 40), 200));
        assert_eq!(dimensions(&PageRef::parse(&pages[2]).unwrap()).unwrap(), (5, 5));
        // A one-frame TIFF is an ordinary image.
        let single = dir.path().join("one.tif");
        std::fs::write(&single, tiff_of(&[(4, 4, 1)])).unwrap();
        assert_eq!(expand(&single).unwrap(), vec![single]);
    }

    #[test]
    fn looping_or_truncated_directories_are_errors() {
        let mut bytes = tiff_of(&[(4, 4, 1), (4, 4, 2)]);
        assert_eq!(tiff_frames(&bytes).unwrap().len(), 2);
        // Point the first directory's "next" back at itself.
        let first = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
        let count = u16::from_le_bytes(bytes[first..first + 2].try_into().unwrap()) as usize;
        let at = first + 2 + count * 12;
        bytes[at..at + 4].copy_from_slice(&(first as u32).to_le_bytes());
        assert!(tiff_frames(&bytes).unwrap_err().contains("loop"));
        assert!(tiff_frames(&bytes[..first + 4]).unwrap_err().contains("truncated"));
    }

    #[test]
    fn page_refs_only_name_pages_of_existing_files() {
        assert_eq!(PageRef::parse(Path::new("/nonexistent/a.pdf#page=2")), None);
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a b.pdf");
        std::fs::write(&f, b"%PDF-1.4").unwrap();
        let r = PageRef { file: f.clone(), page: 3 };
        assert_eq!(PageRef::parse(&r.path()), Some(r));
        assert_eq!(PageRef::parse(&dir.path().join("a b.pdf#page=0")), None);
    }
}
