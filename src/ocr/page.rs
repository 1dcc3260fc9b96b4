//! Reading a whole page: enlarged first when its type is small (`scan::ocr_scale`), optionally
//! prepared (thinned strokes) and segmented another way, with the words' boxes mapped back to
//! the page's own pixels. Every reading of a page in the OCR stage goes through here.

use super::{Recognizer, Segmentation};
use crate::types::OcrWord;
use image::GrayImage;

/// Read a whole page, enlarged first when its type is small (`scan::ocr_scale`), with the
/// words' boxes mapped back to the page's own pixels.
pub fn recognize_page<R: Recognizer>(engine: &mut R, image: &GrayImage) -> std::result::Result<Vec<OcrWord>, String> {
    recognize_page_with(engine, image, |page| page)
}

/// `recognize_page` with `prepare` applied to the page as it is read (after enlargement), the
/// boxes still in the page's own pixels.
pub fn recognize_page_with<R: Recognizer>(
    engine: &mut R,
    image: &GrayImage,
    prepare: impl FnOnce(GrayImage) -> GrayImage,
) -> std::result::Result<Vec<OcrWord>, String> {
    recognize_page_as(engine, image, Segmentation::Page, prepare)
}

/// `recognize_page_with`, segmented as `mode` (a whole page as one block, `unread`).
pub fn recognize_page_as<R: Recognizer>(
    engine: &mut R,
    image: &GrayImage,
    mode: Segmentation,
    prepare: impl FnOnce(GrayImage) -> GrayImage,
) -> std::result::Result<Vec<OcrWord>, String> {
    recognize_scaled(engine, image, crate::scan::ocr_scale(image), mode, prepare)
}

/// `recognize_page_as` with the enlargement already measured (`scan::Prepared::scale`).
pub fn recognize_scaled<R: Recognizer>(
    engine: &mut R,
    image: &GrayImage,
    scale: f32,
    mode: Segmentation,
    prepare: impl FnOnce(GrayImage) -> GrayImage,
) -> std::result::Result<Vec<OcrWord>, String> {
    match crate::scan::enlarge(image, scale) {
        Some(big) => recognize_enlarged(engine, &prepare(big), image.dimensions(), scale, mode),
        None => engine.recognize(&prepare(image.clone()), mode),
    }
}

/// Read `big`, a page of `page` (width, height) pixels enlarged `scale` times
/// (`scan::enlarge`), with the words' boxes mapped back to the page's own pixels.
pub fn recognize_enlarged<R: Recognizer>(
    engine: &mut R,
    big: &GrayImage,
    page: (u32, u32),
    scale: f32,
    mode: Segmentation,
) -> std::result::Result<Vec<OcrWord>, String> {
    let (w, h) = page;
    let mut words = engine.recognize(big, mode)?;
    let back = |v: u32, limit: u32| ((v as f32 / scale).round() as u32).min(limit);
    for word in &mut words {
        let b = word.bbox;
        let (x, y) = (back(b.x, w), back(b.y, h));
        let (x1, y1) = (back(b.x + b.w, w), back(b.y + b.h, h));
        word.bbox = crate::types::BBox { x, y, w: x1.saturating_sub(x).max(1), h: y1.saturating_sub(y).max(1) };
    }
    Ok(words)
}
