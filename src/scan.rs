//! Scan stage: paths in, decoded grayscale page images out, in natural page order.
//! It does not OCR; it only finds, checks and decodes images.

use crate::error::{Error, Result};
use image::{GrayImage, ImageReader, Limits};
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "tif", "tiff"];

/// Decoder limits: a page scanned at 600 dpi on A3 is about 7000 x 10000 pixels; anything
/// beyond this is refused before allocation (a decompression bomb is refused, never decoded).
const MAX_SIDE: u32 = 20_000;
const MAX_ALLOC: u64 = 1 << 30;

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
            pages.extend(found);
        } else {
            pages.push(input.clone());
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

/// Decode one page to 8-bit grayscale. Tesseract binarizes internally (Otsu); we hand it
/// the grayscale page unchanged because extra preprocessing did not lower its error rate on
/// the sample or the EHRI pages (see README, "Preprocessing").
pub fn load_page(path: &Path) -> Result<GrayImage> {
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
    Ok(img.into_luma8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec!["page-10.png", "page-2.png", "page-1.png", "page-02b.png", "Page-3.png"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["Page-3.png", "page-1.png", "page-2.png", "page-02b.png", "page-10.png"]);
    }

    #[test]
    fn image_extensions_case_insensitive() {
        assert!(is_image_path(Path::new("a/B.JPG")));
        assert!(is_image_path(Path::new("x.tiff")));
        assert!(!is_image_path(Path::new("x.txt")));
        assert!(!is_image_path(Path::new("noext")));
    }

    #[test]
    fn empty_and_non_image_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.png");
        std::fs::write(&empty, b"").unwrap();
        let err = load_page(&empty).unwrap_err().to_string();
        assert!(err.contains("empty.png") && err.contains("empty"), "{err}");
        let text = dir.path().join("notes.png");
        std::fs::write(&text, b"just some text, not an image").unwrap();
        let err = load_page(&text).unwrap_err().to_string();
        assert!(err.contains("notes.png") && err.contains("not"), "{err}");
    }
}

/// Check a page file before any OCR starts: it exists, is not empty, is an image we decode,
/// and its declared size is within the decoder limits. Reads only the header.
pub fn check_page_file(path: &Path) -> Result<()> {
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
    match reader.format() {
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::Tiff) => {}
        Some(other) => return Err(bad(format!("{other:?} images are not supported (use PNG, JPEG or TIFF)"))),
        None => return Err(bad("not a PNG, JPEG or TIFF image".into())),
    }
    let (w, h) = reader.into_dimensions().map_err(|e| bad(e.to_string()))?;
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(bad(format!("declares {w} x {h} pixels, more than the limit of {MAX_SIDE} a side")));
    }
    Ok(())
}
