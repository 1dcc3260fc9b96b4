//! A second reading: the disputed word's crop, enlarged twice and read again as a single line.
//! Misreads are unstable under such a change and what the page really shows is not, so a
//! second reading that repeats the scan's word supports it, and one that gives the
//! transcript's word takes the OCR's side away. Only candidates in doubt are read again, so
//! the cost stays small.

use super::evidence;
use crate::ocr::{Recognizer, Segmentation};
use crate::transcript::normalize_key;
use crate::types::{BBox, Evidence, Flag};
use image::{imageops, GrayImage};

/// The crop of a whole text line (the LSTM reads a word best in its line's context), with a
/// quarter of its height above and below, enlarged twice when the type is small. Returns the
/// crop and its origin and scale, to map words back to the page.
pub fn crop_line(image: &GrayImage, line: BBox) -> Option<(GrayImage, (u32, u32), u32)> {
    if line.w == 0 || line.h == 0 {
        return None;
    }
    let pad = (line.h / 4).max(4);
    let x = line.x.saturating_sub(pad * 2);
    let y = line.y.saturating_sub(pad);
    let w = (line.x + line.w + pad * 2).min(image.width()).saturating_sub(x);
    let h = (line.y + line.h + pad).min(image.height()).saturating_sub(y);
    if w == 0 || h == 0 {
        return None;
    }
    let crop = imageops::crop_imm(image, x, y, w, h).to_image();
    // Tesseract reads best with letters 20-40 px high; small type is enlarged, large is not.
    let scale = if line.h < 40 { 2 } else { 1 };
    let crop =
        if scale == 1 { crop } else { imageops::resize(&crop, w * scale, h * scale, imageops::FilterType::Triangle) };
    Some((crop, (x, y), scale))
}

/// Read the flag's line again (as a single line, binarized anew by Tesseract on the crop) and
/// say what the words under the flag's box read now. When the line gives nothing there (a
/// crop across two lines of small type reads as nothing at all), the word's own crop is read
/// as a single word.
pub fn reread<R: Recognizer>(engine: &mut R, image: &GrayImage, line: BBox, flag: &Flag) -> Option<Evidence> {
    let first_doubt: f32 =
        flag.evidence.iter().filter(|e| e.kind == "confidence" && e.weight < 0.0).map(|e| -e.weight).sum();
    let (second, confidence) = match read_under(engine, image, line, flag.bbox, Segmentation::Line) {
        Some(read) => read,
        None => read_under(engine, image, flag.bbox, flag.bbox, Segmentation::Word)?,
    };
    let first = Reading { text: &flag.ocr, confidence: flag.ocr_confidence, doubt: first_doubt };
    weigh(&second, confidence, &flag.transcript, &first)
}

/// Read `region` again in `mode` and return the words that lie under `target` (most of the
/// narrower of the two overlaps: a garbled first reading often boxes only part of the word),
/// with their least confidence; `None` when nothing lies there.
fn read_under<R: Recognizer>(
    engine: &mut R,
    image: &GrayImage,
    region: BBox,
    target: BBox,
    mode: Segmentation,
) -> Option<(String, f32)> {
    let (crop, (ox, _), scale) = crop_line(image, region)?;
    // With alternatives: the few second readings are where they are worth their cost.
    let words = engine.recognize_with_alternatives(&crop, mode).ok()?;
    let (x0, x1) = (target.x as i64, (target.x + target.w) as i64);
    let under: Vec<&crate::types::OcrWord> = words
        .iter()
        .filter(|w| {
            let (a, b) = (ox as i64 + (w.bbox.x / scale) as i64, ox as i64 + ((w.bbox.x + w.bbox.w) / scale) as i64);
            let overlap = (b.min(x1) - a.max(x0)).max(0);
            overlap * 2 >= (b - a).min(x1 - x0).max(1)
        })
        .collect();
    if under.is_empty() {
        return None;
    }
    let text: Vec<&str> = under.iter().map(|w| w.text.as_str()).collect();
    Some((text.join(" "), under.iter().map(|w| w.confidence).fold(1.0f32, f32::min)))
}

/// The first reading as the second is compared with it. `doubt` is the weight its low
/// confidence took away: two independent readings that agree give it back, since agreement
/// is what confidence was standing in for.
pub struct Reading<'a> {
    pub text: &'a str,
    pub confidence: f32,
    pub doubt: f32,
}

/// A first reading below this confidence is garbled, and a second reading that is confident
/// (and clearly more so) replaces it rather than being compared with it.
const GARBLED: f32 = 0.5;
/// Below this a first reading is noise, whatever the second reading is near to.
const NOISE: f32 = 0.4;
const CONFIDENT: f32 = 0.5;
/// What a second reading that repeats the first adds beyond the doubt it gives back. Small:
/// the same model on the same pixels repeats its own confident misreads («tie» for «the»).
const AGREE: f32 = 0.8;

/// Compare a second reading (with its confidence) with the transcript and the first reading.
pub fn weigh(second: &str, confidence: f32, transcript: &str, first: &Reading) -> Option<Evidence> {
    // Spacing counts (it is what a split or merge is about); case and punctuation do not.
    let key = |s: &str| {
        s.split_whitespace().map(normalize_key).filter(|k| !k.is_empty()).collect::<Vec<_>>().join(" ").to_lowercase()
    };
    let (k2, kt, k1) = (key(second), key(transcript), key(first.text));
    if k2.is_empty() {
        return None;
    }
    let second = second.trim();
    if k2 == kt {
        let note = format!("read again on its own, the scan gives the transcript's «{second}»");
        return Some(evidence("reread", -1.6, note));
    }
    if k2 == k1 {
        let note = format!("read again on its own, the scan gives «{second}» again");
        return Some(evidence("reread", AGREE + first.doubt, note));
    }
    let (to_scan, to_transcript) = (crate::align::distance(&k2, &k1), crate::align::distance(&k2, &kt));
    // A garbled first reading is replaced by a clear second one. A half-garbled one only by a
    // second reading still nearer to it than to the transcript: otherwise the second reading
    // is a third opinion (below), not a correction.
    let replaces = first.confidence < NOISE || to_scan < to_transcript;
    if first.confidence < GARBLED && confidence >= CONFIDENT.max(first.confidence + 0.25) && replaces {
        // The first reading was noise; this one is a reading in its own right.
        let note = format!(
            "the first reading «{}» was garbled ({:.0}%); read again, the scan clearly gives «{second}» ({:.0}%)",
            first.text,
            first.confidence * 100.0,
            confidence * 100.0
        );
        let mut e = evidence("reread", 1.0 + first.doubt, note);
        e.reading = Some(second.to_string());
        return Some(e);
    }
    // A third reading: it still says which side it leans to.
    let (w, lean) = if to_scan < to_transcript {
        (0.3, "closer to the scan's first reading")
    } else if to_transcript < to_scan {
        (-0.8, "closer to the transcript")
    } else {
        (-0.4, "no closer to either")
    };
    Some(evidence("reread", w, format!("read again, the scan gives «{second}», {lean}: the OCR is unsure here")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Favours;

    #[test]
    fn agreement_decides_the_side() {
        let side = |second, transcript, first| {
            weigh(second, 0.9, transcript, &Reading { text: first, confidence: 0.9, doubt: 0.0 }).unwrap().favours
        };
        assert_eq!(side("для", "для", "пля"), Favours::Transcript);
        assert_eq!(side("федаи", "фиолет", "федаи"), Favours::Scan);
        assert_eq!(side("фсдаи", "фиолет", "федаи"), Favours::Scan);
        assert_eq!(side("фиолеп", "фиолет", "федаи"), Favours::Transcript);
        assert!(weigh("", 0.9, "a", &Reading { text: "b", confidence: 0.9, doubt: 0.0 }).is_none());
        assert_eq!(side("еже часно", "еже часно", "ежечасно"), Favours::Transcript);
        assert_eq!(side("ежечасно", "еже часно", "ежечасно"), Favours::Scan);
        // Agreement gives back what low confidence took.
        let doubtful = Reading { text: "неимением", confidence: 0.5, doubt: 1.5 };
        assert_eq!(weigh("неимением", 0.9, "наимением", &doubtful).unwrap().weight, AGREE + 1.5);
        // A garbled first reading is replaced by a confident second one.
        let garbled = Reading { text: "ве", confidence: 0.01, doubt: 2.5 };
        let e = weigh("кровопийца", 0.9, "кровапийца", &garbled).unwrap();
        assert_eq!((e.favours, e.reading.as_deref()), (Favours::Scan, Some("кровопийца")));
    }

    /// Gives nothing for a line, and one word over the whole crop for a word.
    struct WordOnly(Vec<Segmentation>);
    impl Recognizer for WordOnly {
        fn recognize(
            &mut self,
            image: &GrayImage,
            mode: Segmentation,
        ) -> std::result::Result<Vec<crate::types::OcrWord>, String> {
            self.0.push(mode);
            let bbox = BBox { x: 0, y: 0, w: image.width(), h: image.height() };
            Ok(match mode {
                Segmentation::Word => {
                    vec![crate::types::OcrWord { text: "house".into(), confidence: 0.9, bbox, line: 0, chars: vec![] }]
                }
                _ => vec![],
            })
        }
    }

    #[test]
    fn a_line_that_reads_as_nothing_falls_back_to_the_word() {
        let flag = Flag {
            id: String::new(),
            page: 1,
            line: 1,
            column: 1,
            start: 0,
            end: 5,
            transcript: "hause".into(),
            ocr: "house".into(),
            suggestion: "house".into(),
            kind: crate::types::DiscrepancyKind::Substitute,
            score: 0.3,
            bbox: BBox { x: 40, y: 10, w: 50, h: 20 },
            ocr_confidence: 0.3,
            shown: false,
            context_before: String::new(),
            context_after: String::new(),
            evidence: vec![],
            decision: None,
            element_id: None,
            line_bbox: None,
        };
        let mut engine = WordOnly(vec![]);
        let image = GrayImage::new(200, 50);
        let e = reread(&mut engine, &image, BBox { x: 0, y: 5, w: 200, h: 30 }, &flag).unwrap();
        assert_eq!(engine.0, vec![Segmentation::Line, Segmentation::Word]);
        assert!(e.note.contains("«house» again"), "{}", e.note);
    }

    #[test]
    fn crop_is_padded_enlarged_and_clamped() {
        let img = GrayImage::new(100, 50);
        let (c, origin, scale) = crop_line(&img, BBox { x: 80, y: 40, w: 20, h: 9 }).unwrap();
        assert_eq!((origin, scale), ((72, 36), 2));
        assert_eq!(c.dimensions(), (2 * (100 - 72), 2 * (50 - 36)));
        assert!(crop_line(&img, BBox::default()).is_none());
    }
}
