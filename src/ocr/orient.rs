//! Turning a page the right way up before it is read: orientation detection proposes, the
//! readings decide (`read_upright`). Part of the OCR stage; nothing here sees the transcript.

use super::{recognize_enlarged, recognize_page, Recognizer, Segmentation};
use crate::scan::Prepared;
use crate::types::OcrWord;
use image::GrayImage;

/// A page read the right way up: turned as orientation detection says, levelled when its
/// lines slope by more than `scan::MIN_SKEW`, then read (`recognize_page`). The image returned
/// is the page as read, which the words' boxes fit.
pub struct UprightPage {
    pub image: GrayImage,
    pub words: Vec<OcrWord>,
    pub rotation: u32,
    pub skew: f32,
    /// Lines of type no word was read on (`unread::unread_lines`), found on the final reading.
    pub unread: Vec<crate::types::InkLine>,
}

pub fn read_upright<R: Recognizer>(engine: &mut R, image: GrayImage) -> std::result::Result<UprightPage, String> {
    read_prepared(engine, crate::scan::prepare(image))
}

/// `read_upright` of a page already levelled and measured (`scan::prepare`).
pub fn read_prepared<R: Recognizer>(engine: &mut R, page: Prepared) -> std::result::Result<UprightPage, String> {
    let letter = page.letter;
    let (mut best, block) = turned_upright(engine, page)?;
    let words = std::mem::take(&mut best.words);
    // The page as prepared, unless a turned reading replaced it: its letters are measured.
    let measured = (best.rotation == 0).then_some(letter);
    (best.words, best.unread) = super::unread::read_fuller(engine, &best.image, words, block, measured)?;
    Ok(best)
}

/// A page read once, as it was prepared (levelled, small type enlarged), as Tesseract alone
/// reads it: no turned, binarized-otherwise or block readings, and no search for lines left
/// unread (`Reading::Single`).
pub fn read_once<R: Recognizer>(engine: &mut R, page: Prepared) -> std::result::Result<UprightPage, String> {
    let Prepared { decoded, levelled, skew, scale, enlarged, .. } = page;
    let image = levelled.unwrap_or(decoded);
    let words = first_reading(engine, &image, enlarged, scale)?;
    Ok(UprightPage { image, words, rotation: 0, skew, unread: Vec::new() })
}

/// The first reading of a page as prepared: its enlargement when it has one, else the page.
fn first_reading<R: Recognizer>(
    engine: &mut R,
    page: &GrayImage,
    enlarged: Option<GrayImage>,
    scale: f32,
) -> std::result::Result<Vec<OcrWord>, String> {
    match enlarged {
        Some(big) => recognize_enlarged(engine, &big, page.dimensions(), scale, Segmentation::Page),
        // Not enlarged: read as it is, without the copy `recognize_scaled` would make.
        None => engine.recognize(page, Segmentation::Page),
    }
}

/// The page the right way up and read, the surest reading kept (`ink::read_clearer`), with the
/// block reading `read_clearer` made, if it made one.
type Turned = (UprightPage, Option<Vec<OcrWord>>);
fn turned_upright<R: Recognizer>(engine: &mut R, page: Prepared) -> std::result::Result<Turned, String> {
    let Prepared { decoded: image, levelled, skew, scale, enlarged, .. } = page;
    let as_is = levelled.unwrap_or_else(|| image.clone());
    let words = first_reading(engine, &as_is, enlarged, scale)?;
    let as_is = UprightPage { image: as_is, words, rotation: 0, skew, unread: Vec::new() };
    let first = Strength::of(&as_is.words);
    // Orientation detection is sometimes sure of a wrong turn (3 of the 23 upright EHRI English
    // pages "upside down" at confidence 7-11), proposes none for some upside-down pages, and
    // sometimes the wrong quarter for sideways ones (README, Coverage). So a page that reads
    // upright as it is stays as it is, and otherwise the turns worth a reading are read and
    // weighed (`keeps_turn`): the proposed one; without one, both quarter turns when the words
    // run down the page, or the half turn when the page reads no better than upside down.
    if reads_upright(first) {
        return Ok((as_is, None));
    }
    // Detection only now: a page that reads upright needs none.
    let proposed = engine.upright_turn(&image).unwrap_or(0);
    let mut turns = if proposed != 0 {
        vec![proposed]
    } else if first.letters >= MIN_LETTERS && first.across_share() < 1.0 - ACROSS {
        vec![90, 270]
    } else if first.letters > 0.0 && first.mean() < TURN_FLOOR {
        vec![180]
    } else {
        vec![]
    };
    let (mut best, mut strength) = (as_is, first);
    let mut k = 0;
    while k < turns.len() {
        let page = read_turned(engine, image.clone(), turns[k])?;
        let s = Strength::of(&page.words);
        // A quarter turn that sets the lines across the page but reads poorly is upside down:
        // detection picked the wrong quarter.
        if turns.len() == 1 && turns[0] % 180 == 90 && s.across_share() >= ACROSS && s.mean() < TURN_FLOOR {
            turns.push((turns[0] + 180) % 360);
        }
        if keeps_turn(strength, s, (page.rotation + 360 - best.rotation) % 360) {
            (best, strength) = (page, s);
        }
        k += 1;
    }
    // A page that reads upright as it is reads clearly (`reads_upright`); this one may not.
    let block;
    (best.words, block) = super::ink::read_clearer(engine, &best.image, best.words)?;
    Ok((best, block))
}

/// What a reading holds: letters and digits read, those weighed by their word's confidence,
/// and those in words of three or more that run across the page (box wider than tall).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Strength {
    pub letters: f32,
    pub confident: f32,
    pub across: f32,
}

impl Strength {
    pub fn of<'a>(words: impl IntoIterator<Item = &'a OcrWord>) -> Strength {
        let mut s = Strength::default();
        for w in words {
            let letters = w.text.chars().filter(|c| c.is_alphanumeric()).count() as f32;
            s.letters += letters;
            s.confident += w.confidence * letters;
            if letters >= 3.0 && w.bbox.w > w.bbox.h {
                s.across += letters;
            }
        }
        s
    }

    /// The letters' mean confidence (0 when nothing was read).
    pub fn mean(&self) -> f32 {
        share(self.confident, self.letters)
    }

    /// Share of the letters in words of three or more that run across the page: nearly all
    /// when the page is read in its own lines, few when Tesseract reads a sideways page in
    /// vertical lines.
    pub fn across_share(&self) -> f32 {
        share(self.across, self.letters)
    }
}

fn share(part: f32, whole: f32) -> f32 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

/// Whether the page read turned by `rotation` from the reading so far (`as_is`) is kept. A
/// quarter turn changes which way the words run: when both readings hold letters enough and
/// one runs across the page clearly more than the other (`LINES_APART`), it is the upright
/// one. Else (a half turn, or too little read to tell) by confidence: the turn must not read
/// clearly worse (Tesseract reads a sideways page by itself too, sometimes with more confident
/// text: EHRI NISKO_01 at 90°, 1.14 times the upright reading's, while an upright page read
/// upside down holds far less: WL16560044_06, 3.4 times), and it must itself be a reading
/// (`TURN_FLOOR`): on heavy or faint ink both readings are poor, and a turn that merely reads
/// no worse than a poor reading is chance.
pub fn keeps_turn(as_is: Strength, turned: Strength, rotation: u32) -> bool {
    let (a, t) = (as_is.across_share(), turned.across_share());
    let enough = as_is.letters >= MIN_LETTERS && turned.letters >= MIN_LETTERS;
    if rotation % 180 == 90 && enough && (a - t).abs() >= LINES_APART {
        return t > a;
    }
    as_is.confident <= CLEARLY_MORE * turned.confident && turned.mean() >= TURN_FLOOR
}

/// Whether a page read as it is reads upright beyond doubt: confidently (mean letter confidence
/// 0.7 or more) and in lines across the page (`ACROSS`). Turned EHRI pages read as they are
/// (`coverage_figures turn`, README "Coverage") hold at most 0.28 when upside down and no
/// letters across when sideways, though Tesseract reads those at 0.87-0.95.
pub fn reads_upright(as_is: Strength) -> bool {
    as_is.mean() >= 0.7 && as_is.across_share() >= ACROSS
}

/// See `keeps_turn`: between the two measured ratios, 1.14 and 3.4.
const CLEARLY_MORE: f32 = 1.5;

/// See `keeps_turn` and `reads_upright` (`coverage_figures turn`, README "Coverage"): the mean
/// letter confidence a turned reading needs (wrong turns of upright heavy- and faint-ink pages
/// read at 0.16-0.31, right turns of EHRI pages at 0.87-0.95); how far apart two readings'
/// shares of letters across the page must be to tell which way the words run (sideways
/// readings 0.00, upright ones 0.87-0.96); the share of a reading in lines across the page; and
/// the letters a reading needs for its share to count.
const TURN_FLOOR: f32 = 0.5;
const LINES_APART: f32 = 0.3;
const ACROSS: f32 = 0.8;
const MIN_LETTERS: f32 = 50.0;

/// The page turned clockwise by `rotation`, levelled when it slopes, and read.
pub fn read_turned<R: Recognizer>(
    engine: &mut R,
    image: GrayImage,
    rotation: u32,
) -> std::result::Result<UprightPage, String> {
    let turned = crate::scan::orient(image, rotation, 0.0);
    let measured = crate::scan::measure_skew(&turned);
    let skew = if measured.abs() >= crate::scan::MIN_SKEW { measured } else { 0.0 };
    let image = crate::scan::orient(turned, 0, skew);
    let words = recognize_page(engine, &image)?;
    Ok(UprightPage { image, words, rotation, skew, unread: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::Segmentation;

    /// Always proposes a half turn; reads a confident word only when the dark corner block
    /// is at the top left (the page's "upright"), else an unsure scrap.
    struct SureOfHalfTurn;
    impl Recognizer for SureOfHalfTurn {
        fn recognize(&mut self, image: &GrayImage, _: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
            let upright = image.get_pixel(1, 1).0[0] < 128;
            let (text, confidence) = if upright { ("upright", 0.9) } else { ("~", 0.2) };
            let bbox = crate::types::BBox { x: 0, y: 0, w: 1, h: 1 };
            Ok(vec![OcrWord { text: text.into(), confidence, bbox, line: 0, chars: vec![] }])
        }
        fn upright_turn(&mut self, _: &GrayImage) -> Option<u32> {
            Some(180)
        }
    }

    /// Issue 13: a turn orientation detection is sure of is kept only when the turned page
    /// reads better than the page as it is.
    #[test]
    fn a_proposed_turn_is_kept_only_when_it_reads_better() {
        let corner = |at_top_left: bool| {
            let mut page = GrayImage::from_pixel(300, 200, image::Luma([240]));
            let (x0, y0) = if at_top_left { (0, 0) } else { (290, 190) };
            for (x, y) in (x0..x0 + 10).flat_map(|x| (y0..y0 + 10).map(move |y| (x, y))) {
                page.put_pixel(x, y, image::Luma([10]));
            }
            page
        };
        let upright = read_upright(&mut SureOfHalfTurn, corner(true)).unwrap();
        assert_eq!((upright.rotation, upright.words[0].text.as_str()), (0, "upright"));
        let upside_down = read_upright(&mut SureOfHalfTurn, corner(false)).unwrap();
        assert_eq!((upside_down.rotation, upside_down.words[0].text.as_str()), (180, "upright"));
    }

    /// Issue 13: a quarter turn is judged by which way the words run (Tesseract reads a
    /// sideways page confidently, in vertical lines); otherwise a turn must read well, and a
    /// page that reads upright as it is needs no second reading.
    #[test]
    fn a_turn_is_judged_by_the_way_words_run_and_a_reading_floor() {
        let words = |w: u32, h: u32, confidence: f32| -> Vec<OcrWord> {
            (0..20)
                .map(|i| OcrWord {
                    text: "word".into(),
                    confidence,
                    bbox: crate::types::BBox { x: 0, y: i * 50, w, h },
                    line: i as usize,
                    chars: vec![],
                })
                .collect()
        };
        let across = Strength::of(&words(40, 10, 0.9));
        let down = Strength::of(&words(10, 40, 0.93));
        assert!(keeps_turn(down, across, 90), "a sideways page turned upright");
        assert!(!keeps_turn(across, down, 270), "an upright page is not turned sideways");
        // Heavy or faint ink: both readings poor; a turn no better is chance.
        let (poor, poorer) = (Strength::of(&words(40, 10, 0.25)), Strength::of(&words(40, 10, 0.22)));
        assert!(!keeps_turn(poor, poorer, 180));
        assert!(!keeps_turn(Strength::default(), Strength::default(), 180), "nothing read either way");
        assert!(reads_upright(across) && !reads_upright(down) && !reads_upright(poor));
    }
}
