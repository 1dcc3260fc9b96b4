//! Unit tests of the OCR stage: a small page read enlarged, once or thoroughly, and language
//! names resolved to models.

use super::*;

/// Reports one word over the middle of whatever image it is given, and that image's size.
struct Middle(Vec<(u32, u32)>);
impl Recognizer for Middle {
    fn recognize(&mut self, image: &GrayImage, _: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
        let (w, h) = image.dimensions();
        self.0.push((w, h));
        let bbox = crate::types::BBox { x: w / 4, y: h / 4, w: w / 2, h: h / 2 };
        Ok(vec![OcrWord { text: "x".into(), confidence: 0.9, bbox, line: 0, chars: vec![] }])
    }
}

#[test]
fn a_small_page_is_read_enlarged_and_boxed_in_its_own_pixels() {
    // Letter-sized blocks 8 px high: enlarged 22/8 times for the engine.
    let page = small_type_page();
    let mut engine = Middle(vec![]);
    let words = recognize_page(&mut engine, &page).unwrap();
    assert_eq!(engine.0, vec![(1100, 550)]);
    assert_eq!(words[0].bbox, crate::types::BBox { x: 100, y: 50, w: 200, h: 100 });
}

#[test]
fn unknown_language_names_the_package() {
    let err = find_tessdata("xqz").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("tesseract-ocr-xqz"), "{msg}");
    let err = find_tessdata("chi_xyz").unwrap_err().to_string();
    assert!(err.contains("tesseract-ocr-chi-xyz"), "{err}");
}

/// Issue 13: script models work as `--lang` values, wherever the package put them.
#[test]
fn script_models_resolve() {
    assert!(package_for("script/Cyrillic").starts_with("tesseract-ocr-script-"));
    match resolve_lang("rus+script/Cyrillic") {
        Ok((dir, lang)) => {
            assert!(lang == "rus+script/Cyrillic" || lang == "rus+Cyrillic", "{lang}");
            assert!(model_file(&dir, "script/Cyrillic").is_some());
        }
        Err(e) => eprintln!("skipped: {e}"),
    }
}

#[test]
fn malformed_language_code_is_rejected() {
    for bad in ["", "rus+", "../etc", "r u s", "script/../x", "script/"] {
        assert!(matches!(find_tessdata(bad), Err(Error::BadLanguage { .. })), "{bad}");
    }
}

/// A page of small type, letter-sized blocks 8 px high, that reads as one short word: poor
/// enough for a thorough reading to read it again.
fn small_type_page() -> GrayImage {
    let mut page = GrayImage::from_pixel(400, 200, image::Luma([240]));
    for i in 0..100 {
        let (x0, y0) = ((i % 20) * 20, (i / 20) * 20);
        for (x, y) in (x0..x0 + 6).flat_map(|x| (y0..y0 + 8).map(move |y| (x, y))) {
            page.put_pixel(x, y, image::Luma([10]));
        }
    }
    page
}

#[test]
fn a_single_reading_reads_a_poor_page_once_enlarged() {
    let mut thorough = Middle(vec![]);
    read_prepared(&mut thorough, crate::scan::prepare(small_type_page())).unwrap();
    assert!(thorough.0.len() > 1, "a thorough reading reads a poor page again: {:?}", thorough.0);
    let mut once = Middle(vec![]);
    let read = read_once(&mut once, crate::scan::prepare(small_type_page())).unwrap();
    assert_eq!(once.0, vec![(1100, 550)], "one reading, enlarged as a thorough one would be");
    assert_eq!(read.words[0].bbox, crate::types::BBox { x: 100, y: 50, w: 200, h: 100 });
    assert_eq!((read.rotation, read.unread.len()), (0, 0));
}
