//! Reading poor ink again: a page whose first reading is unsure (faint carbon, heavy or blotted
//! typescript) is read again binarized by Sauvola's local threshold instead of Otsu's global
//! one, with its dark strokes thinned, and as one block of text without layout analysis, and
//! the surest reading is kept. Part of the OCR
//! stage; nothing here sees the transcript.
//!
//! Measured with `examples/ink.rs` on rendered heavy- and faint-ink pages (README, Coverage):
//! Sauvola gives faint pages back the strokes a global threshold drops, thinning opens the
//! letters heavy ink fills in, and each makes some other pages worse, so neither is applied to
//! every page, and a page that reads clearly as it is is not read again.

use super::{recognize_page_as, recognize_page_with, Recognizer, Segmentation, Strength};
use crate::types::OcrWord;
use image::GrayImage;
use imageproc::morphology::{grayscale_dilate, Mask};

/// How a recognizer turns grey into black and white before it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binarization {
    /// One threshold for the whole page (Tesseract's default).
    Otsu,
    /// A threshold per neighbourhood, from its mean and spread: faint strokes on uneven paper.
    Sauvola,
}

/// Below this mean letter confidence a reading is unsure enough to try the other readings. Pages
/// that read at 0.7 or more kept their reading on the measured pages: thinning a clear faint
/// page read at 0.88 confidence broke it (CER 5% to 83%).
pub const UNSURE: f32 = 0.7;
/// Fewer letters than this is a blank page or a few specks: nothing to read again.
const MIN_LETTERS: f32 = 50.0;

/// The words of the surest of the page's readings: `first` (as `recognize_page` read `image`)
/// unless it is unsure; then also binarized by Sauvola, with strokes thinned, and as a block.
/// The block reading, when one was made, comes back too, so that `unread::read_fuller` weighs
/// it instead of reading the page that way again.
pub fn read_clearer<R: Recognizer>(
    engine: &mut R,
    image: &GrayImage,
    first: Vec<OcrWord>,
) -> std::result::Result<(Vec<OcrWord>, Option<Vec<OcrWord>>), String> {
    let strength = Strength::of(&first);
    if strength.letters < MIN_LETTERS || strength.mean() >= UNSURE {
        return Ok((first, None));
    }
    let (mut best, mut best_strength) = (first, strength);
    engine.set_binarization(Binarization::Sauvola);
    let sauvola = recognize_page_with(engine, image, |page| page);
    engine.set_binarization(Binarization::Otsu);
    // Thinned after enlargement, where a 3×3 step is a fixed share of a letter's stroke.
    let thinned = recognize_page_with(engine, image, |page| grayscale_dilate(&page, &Mask::square(1)))?;
    // And as one block of text: heavy ink can defeat the layout analysis itself.
    let block = recognize_page_as(engine, image, Segmentation::Block, |page| page)?;
    for words in [sauvola?, thinned, block.clone()] {
        let s = Strength::of(&words);
        if surer(best_strength, s) {
            (best, best_strength) = (words, s);
        }
    }
    Ok((best, Some(block)))
}

/// Whether a reading `s` is surer than `best`: more confident on average and in all (a reading
/// that keeps only its few clearest words is not surer).
pub fn surer(best: Strength, s: Strength) -> bool {
    s.mean() > best.mean() && s.confident > best.confident
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::Segmentation;
    use crate::types::BBox;

    /// Reads 60 letters at 0.4 with Otsu, at 0.8 with Sauvola; counts its readings.
    struct Faint {
        binarization: Binarization,
        reads: usize,
        confidence_otsu: f32,
    }
    impl Recognizer for Faint {
        fn recognize(&mut self, _: &GrayImage, _: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
            self.reads += 1;
            let confidence = if self.binarization == Binarization::Sauvola { 0.8 } else { self.confidence_otsu };
            let word = |k: u32| OcrWord {
                text: "letters".into(),
                confidence,
                bbox: BBox { x: 10 * k, y: 0, w: 9, h: 3 },
                line: 0,
                chars: Vec::new(),
            };
            Ok((0..10).map(word).collect())
        }
        fn set_binarization(&mut self, b: Binarization) {
            self.binarization = b;
        }
    }

    #[test]
    fn an_unsure_page_is_read_again_and_the_surest_reading_kept() {
        let image = GrayImage::from_pixel(40, 40, image::Luma([255]));
        let mut engine = Faint { binarization: Binarization::Otsu, reads: 0, confidence_otsu: 0.4 };
        let first = engine.recognize(&image, Segmentation::Page).unwrap();
        let (words, block) = read_clearer(&mut engine, &image, first).unwrap();
        assert_eq!(words[0].confidence, 0.8, "Sauvola's reading is surer");
        assert!(block.is_some(), "the block reading is handed on");
        assert_eq!(
            (engine.reads, engine.binarization),
            (4, Binarization::Otsu),
            "three more readings, Otsu again after"
        );
        // A clear page is not read again.
        let mut engine = Faint { binarization: Binarization::Otsu, reads: 0, confidence_otsu: 0.9 };
        let first = engine.recognize(&image, Segmentation::Page).unwrap();
        let (words, block) = read_clearer(&mut engine, &image, first).unwrap();
        assert_eq!((words[0].confidence, engine.reads, block.is_none()), (0.9, 1, true));
    }

    #[test]
    fn surer_means_more_confident_on_average_and_in_all() {
        let s = |letters: f32, confident: f32| Strength { letters, confident, across: letters };
        assert!(surer(s(100.0, 40.0), s(100.0, 60.0)));
        assert!(!surer(s(100.0, 40.0), s(10.0, 9.0)), "a few clear words are not a surer page");
        assert!(!surer(s(100.0, 60.0), s(100.0, 50.0)));
    }
}
