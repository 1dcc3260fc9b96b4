//! Width: does the word's box on the scan hold as many letters as the transcript has, or as
//! many as the scan's reading? An OCR that misreads a word mostly keeps its length (rn/m
//! aside), so a confident reading of three letters in a box three letters wide, where the
//! transcript has one or five, points at the transcript. The page's own type sets the
//! measure: how wide its words are for their length, fitted on the words the OCR is sure of.

use super::{evidence, Candidate, Features};
use crate::types::{DiscrepancyKind, Evidence, OcrPage, OcrWord};

/// A page's type, as a line: a word of `n` characters is about `per_char · n + offset` pixels
/// wide. `spread` is how far its sure words stray from that line, in characters: small for a
/// typewriter's even pitch, larger for print.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pitch {
    pub per_char: f32,
    pub offset: f32,
    pub spread: f32,
    /// The usual blank between two words of a line, in pixels.
    pub space: f32,
}

/// Words the OCR is at least this sure of set the page's measure.
const SURE: f32 = 0.8;
/// Each length needs this many sure words for its median width to count.
const PER_LENGTH: usize = 3;

impl Pitch {
    /// The page's measure, from the median width of its sure words of each length (2 to 14
    /// characters), fitted by least squares weighted by how many words each length has. `None`
    /// when the page gives too few lengths to fit (a page of `--ocr-text` has no boxes).
    pub fn of(page: &OcrPage) -> Option<Pitch> {
        let sure = |w: &OcrWord| w.confidence >= SURE && w.bbox.w > 0;
        let mut by_len: Vec<Vec<f32>> = vec![Vec::new(); 15];
        for w in page.words.iter().filter(|w| sure(w)) {
            let n = w.text.chars().count();
            if (2..=14).contains(&n) {
                by_len[n].push(w.bbox.w as f32);
            }
        }
        let points: Vec<(f32, f32, f32)> = by_len
            .iter_mut()
            .enumerate()
            .filter(|(_, ws)| ws.len() >= PER_LENGTH)
            .map(|(n, ws)| {
                ws.sort_by(f32::total_cmp);
                (n as f32, ws[ws.len() / 2], ws.len() as f32)
            })
            .collect();
        if points.len() < 3 {
            return None;
        }
        let total: f32 = points.iter().map(|p| p.2).sum();
        let mean_n = points.iter().map(|p| p.0 * p.2).sum::<f32>() / total;
        let mean_w = points.iter().map(|p| p.1 * p.2).sum::<f32>() / total;
        let sxx: f32 = points.iter().map(|p| p.2 * (p.0 - mean_n).powi(2)).sum();
        let sxy: f32 = points.iter().map(|p| p.2 * (p.0 - mean_n) * (p.1 - mean_w)).sum();
        if sxx <= 0.0 || sxy <= 0.0 {
            return None;
        }
        let per_char = sxy / sxx;
        let offset = mean_w - per_char * mean_n;
        let mut strays: Vec<f32> = page
            .words
            .iter()
            .filter(|w| sure(w))
            .map(|w| (w.bbox.w as f32 - per_char * w.text.chars().count() as f32 - offset).abs() / per_char)
            .collect();
        strays.sort_by(f32::total_cmp);
        let mut spaces: Vec<f32> = page
            .words
            .windows(2)
            .filter(|p| p[0].line == p[1].line && sure(&p[0]) && sure(&p[1]))
            .map(|p| p[1].bbox.x as f32 - (p[0].bbox.x + p[0].bbox.w) as f32)
            .filter(|g| *g > 0.0)
            .collect();
        if spaces.is_empty() {
            return None;
        }
        spaces.sort_by(f32::total_cmp);
        Some(Pitch { per_char, offset, spread: strays[strays.len() / 2], space: spaces[spaces.len() / 2] })
    }

    /// How many characters a box `width` pixels wide holds on this page.
    pub fn chars_in(&self, width: f32) -> f32 {
        (width - self.offset) / self.per_char
    }
}

/// The most letters the two sides may differ by for the box to judge between them.
const MOST_LETTERS: f32 = 2.0;
/// The box must hold one side's letters to within this many.
const NEAR: f32 = 0.75;
/// A page whose sure words stray less than this from its measure (in letters) is typed at an
/// even pitch.
const EVEN: f32 = 0.35;

pub fn measure(c: &Candidate) -> Option<Evidence> {
    let pitch = c.place.pitch?;
    if c.kind == DiscrepancyKind::Merge {
        return spaced(c, &pitch);
    }
    if c.kind != DiscrepancyKind::Substitute || c.words.is_empty() || c.transcript.is_empty() {
        return None;
    }
    if c.words.iter().any(|w| w.line != c.words[0].line || w.bbox.w == 0) {
        return None;
    }
    // The box holds the reading as the OCR gave it, punctuation included; the transcript's
    // words differ from it only in their cores.
    let scan_chars = c.scan_raw.chars().count() as f32;
    let t_chars = scan_chars - c.scan.chars().count() as f32 + c.transcript.chars().count() as f32;
    // A few letters more or less: a larger difference is an alignment's (half of a word
    // hyphenated across lines, two words run together), which the box cannot judge.
    if t_chars == scan_chars || t_chars < 1.0 || (t_chars - scan_chars).abs() > MOST_LETTERS {
        return None;
    }
    if scan_chars < t_chars && unread_room(c, &pitch) > t_chars - scan_chars - 0.5 {
        // The letters the scan lacks may stand unread beside its box (faint ink drops out of
        // the box with the letters it hides), or at a line's edge: the box cannot tell.
        return None;
    }
    let left = c.words.iter().map(|w| w.bbox.x).min()?;
    let right = c.words.iter().map(|w| w.bbox.x + w.bbox.w).max()?;
    let holds = pitch.chars_in((right - left) as f32);
    let (off_t, off_s) = ((holds - t_chars).abs(), (holds - scan_chars).abs());
    if off_t.min(off_s) > NEAR {
        // The box fits neither: the OCR boxed more or less than the word.
        return None;
    }
    let fits = off_t - off_s;
    let mut f = Features::default();
    // Two sides, two weights: a box the transcript's words fit is strong evidence of the OCR's
    // error, one the scan's reading fits is weaker (an OCR that drops a faint letter shrinks
    // its box too).
    f.set("scan", fits.max(0.0));
    f.set("transcript", (-fits).max(0.0));
    // On a typewriter's even pitch a letter more or less shows; in print it may not.
    f.set("scan_even", if pitch.spread < EVEN { fits.max(0.0) } else { 0.0 });
    if f.is_empty() {
        return None;
    }
    let (t, s) = (&c.transcript, &c.scan);
    let note = if fits > 0.0 {
        format!("the scan's word is {holds:.1} characters wide in this page's type: it fits «{s}» better than «{t}»")
    } else {
        format!("the scan's word is {holds:.1} characters wide in this page's type: it fits «{t}» better than «{s}»")
    };
    evidence("width", f, note)
}

/// A blank within these shares of the page's usual space between words is a space; one
/// under `NARROW` is a break inside a word. (Wider blanks are mostly a column's or a tab's.)
const SPACE: std::ops::RangeInclusive<f32> = 0.75..=1.25;
const NARROW: f32 = 0.5;

/// Words the transcript runs together: the blank between them on the scan, as a share of the
/// page's usual space between words. A transcriber who joins two words («yearsof») leaves the
/// page's space on the scan; an OCR that breaks one word («ye ars») finds a narrower gap in it.
fn spaced(c: &Candidate, pitch: &Pitch) -> Option<Evidence> {
    if c.words.len() < 2 || pitch.space <= 0.0 || c.words.iter().any(|w| w.line != c.words[0].line || w.bbox.w == 0) {
        return None;
    }
    let least = c
        .words
        .windows(2)
        .map(|p| p[1].bbox.x as f32 - (p[0].bbox.x + p[0].bbox.w) as f32)
        .fold(f32::INFINITY, f32::min);
    let share = (least / pitch.space).clamp(0.0, 1.5);
    let mut f = Features::default();
    f.flag("gap_space", SPACE.contains(&share)).flag("gap_narrow", share < NARROW);
    let note = format!(
        "the scan shows a blank {:.0}% as wide as this page's usual space between «{}», where the transcript has «{}»",
        share * 100.0,
        c.scan_raw,
        c.transcript
    );
    evidence("width", f, note)
}

/// How many characters could stand unread between the scan's box and its neighbours on the
/// line, beyond the usual blank; unbounded at a line's edge.
fn unread_room(c: &Candidate, pitch: &Pitch) -> f32 {
    c.place.gaps.iter().map(|g| g.map_or(f32::INFINITY, |g| ((g as f32 - pitch.space) / pitch.per_char).max(0.0))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::test_support::{cand, feature};
    use crate::types::BBox;

    /// A typewriter's page: every character 20 px, words as wide as their letters' ink.
    fn typed(words: &[&str]) -> OcrPage {
        let mut x = 0;
        let words = words
            .iter()
            .map(|t| {
                let w = 20 * t.chars().count() as u32 - 6;
                let word = OcrWord {
                    text: t.to_string(),
                    confidence: 0.95,
                    bbox: BBox { x, y: 0, w, h: 20 },
                    line: 0,
                    chars: vec![],
                };
                x += w + 26;
                word
            })
            .collect();
        OcrPage { index: 1, width: 2000, height: 100, words, ..Default::default() }
    }

    /// A typed page of sixteen words, lengths 2 to 5: enough for a pitch.
    fn sixteen_words() -> OcrPage {
        typed(&[
            "we", "are", "the", "ones", "who", "went", "there", "to", "see", "it", "go", "about", "when", "they",
            "where", "those",
        ])
    }

    #[test]
    fn a_box_that_holds_the_scans_reading_points_at_the_transcript() {
        let page = sixteen_words();
        let pitch = Pitch::of(&page).expect("a typed page has a pitch");
        assert!((pitch.per_char - 20.0).abs() < 0.5, "{pitch:?}");
        assert!(pitch.spread < 0.1 && pitch.space == 26.0, "{pitch:?}");
        let at = |i: usize, transcript: &str| {
            let mut c = cand(DiscrepancyKind::Substitute, transcript, &page.words[i].text);
            c.words = vec![&page.words[i]];
            c.place.pitch = Some(pitch);
            c.place.gaps = [Some(26), Some(26)];
            measure(&c)
        };
        // «are» on the page, «a» in the transcript: the box holds three letters.
        let short = at(1, "a");
        assert!(feature(&short, "scan") > 1.5 && feature(&short, "scan_even") > 1.5);
        assert_eq!(feature(&short, "transcript"), 0.0);
        // «the» read where the transcript has «these»: the same.
        assert!(feature(&at(2, "these"), "scan") > 1.5);
        // The same where two letters' room lies blank before the box: they may be unread there.
        let mut c = cand(DiscrepancyKind::Substitute, "these", "the");
        c.words = vec![&page.words[2]];
        c.place.pitch = Some(pitch);
        c.place.gaps = [Some(26 + 40), Some(26)];
        assert!(measure(&c).is_none());
        c.place.gaps = [Some(26), None];
        assert!(measure(&c).is_none(), "at a line's end");
        // «went» read where the transcript has «wont»: as long, nothing to say.
        assert!(at(5, "wont").is_none());
        // A reading shorter than the box (the OCR lost letters): the transcript fits better.
        let mut c = cand(DiscrepancyKind::Substitute, "there", "the");
        c.scan_raw = "the".into();
        c.words = vec![&page.words[6]];
        c.place.pitch = Some(pitch);
        c.place.gaps = [Some(26), Some(26)];
        let e = measure(&c);
        assert!(feature(&e, "transcript") > 1.5 && feature(&e, "scan") == 0.0, "{e:?}");
        // Half a word hyphenated across lines against the whole: not the box's to judge.
        assert!(at(3, "onesies").is_none());
    }

    #[test]
    fn the_blank_between_words_the_transcript_joins() {
        let page = sixteen_words();
        let pitch = Pitch::of(&page).expect("a typed page has a pitch");
        let joined = |words: Vec<&OcrWord>| {
            let mut c = cand(DiscrepancyKind::Merge, "toseeit", "to see it");
            c.words = words;
            c.place.pitch = Some(pitch);
            measure(&c)
        };
        // The page's own space stands between them: the transcript ran them together.
        let e = joined(vec![&page.words[7], &page.words[8], &page.words[9]]);
        assert_eq!((feature(&e, "gap_space"), feature(&e, "gap_narrow")), (1.0, 0.0));
        // The OCR broke a word at a narrow blank: a third of a space.
        let mut parts = [page.words[8].clone(), page.words[8].clone()];
        parts[0].bbox.w = 20;
        parts[1].bbox.x = parts[0].bbox.x + 20 + 9;
        let e = joined(vec![&parts[0], &parts[1]]);
        assert_eq!((feature(&e, "gap_space"), feature(&e, "gap_narrow")), (0.0, 1.0));
        // A blank of two spaces: a column's or a tab's, not said to be a space.
        let mut far = page.words[9].clone();
        far.bbox.x += 26;
        assert!(joined(vec![&page.words[8], &far]).is_none());
        // Words on two lines: no blank to measure.
        let mut next = page.words[8].clone();
        next.line = 1;
        assert!(joined(vec![&page.words[7], &next]).is_none());
    }

    #[test]
    fn a_page_without_boxes_has_no_pitch() {
        let mut page = typed(&["one", "two", "three", "four", "five", "six"]);
        page.words.iter_mut().for_each(|w| w.bbox = BBox::default());
        assert_eq!(Pitch::of(&page), None);
    }
}
