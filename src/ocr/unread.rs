//! Type the OCR read nothing of: lines of letter-shaped ink that no word's box touches. Heavy
//! ink can make Tesseract's layout analysis drop a letterhead or call a whole page empty, and
//! faint ink can make it drop paragraphs; the transcript's text there is then still expected on
//! the scans (left unverified by the alignment), not set aside as «not on the scans». Part of
//! the OCR stage: it looks at the page and the words read, never at the transcript.

use super::{recognize_page_as, Recognizer, Segmentation, Strength};
use crate::types::{BBox, InkLine, OcrWord};
use image::GrayImage;

/// Lines the layout analysis dropped are worth a second reading of the whole page as one block
/// of text (no layout analysis) when they hold at least this many letters (two lines of type)
/// and this share of the letters read: the text of a stamp or two on a clear page (EHRI
/// DR-19390125-US_01: 131 letters, 17%) is not worth a page reading.
const FULLER_MIN_MISSED: f32 = 150.0;
const FULLER_MIN_SHARE: f32 = 0.10;
/// A reading with fewer letters than this is (almost) empty.
const FULLER_MIN_LETTERS: f32 = 40.0;

/// The page's words and its unread lines: `first` as read, or, when it left lines of type
/// unread, the page read again as one block (Tesseract's PSM 6) if that reading is fuller:
/// reads a fifth more letters confidently, at a mean confidence of at least 0.5 and no lower
/// than the first's. Measured with `examples/ink.rs` on rendered heavy-ink pages (README,
/// Coverage): a letterhead or whole paragraphs dropped by the layout analysis come back.
///
/// `letter` is the image's letter height when it was measured already (`scan::Prepared`):
/// measuring it again on the engine's thread cost 1-2% of a page's reading.
pub fn read_fuller<R: Recognizer>(
    engine: &mut R,
    image: &GrayImage,
    first: Vec<OcrWord>,
    block: Option<Vec<OcrWord>>,
    letter: Option<Option<u32>>,
) -> std::result::Result<(Vec<OcrWord>, Vec<InkLine>), String> {
    let letter = letter.unwrap_or_else(|| crate::scan::letter_height(image));
    let unread = unread_lines_measured(image, &first, letter);
    let missed: f32 = unread.iter().map(|l| l.letters as f32).sum();
    let s = Strength::of(&first);
    // A page read as (almost) empty though a hundredth of it is ink (and at most half: more is
    // no paper): heavy type whose lines run together defeats the layout analysis and the
    // measure of lines alike.
    let empty = s.letters < FULLER_MIN_LETTERS && (0.01..=0.5).contains(&ink_share(image));
    if !empty && (missed < FULLER_MIN_MISSED || missed < FULLER_MIN_SHARE * s.letters) {
        return Ok((first, unread));
    }
    // A block reading made already (`ink::read_clearer`) is weighed, not made again.
    let block = match block {
        Some(block) => block,
        None => recognize_page_as(engine, image, Segmentation::Block, |page| page)?,
    };
    let b = Strength::of(&block);
    let fuller = b.letters >= FULLER_MIN_LETTERS && b.confident > 1.2 * s.confident;
    if fuller && b.mean() >= 0.5 && b.mean() + 0.02 >= s.mean() {
        let unread = unread_lines_measured(image, &block, letter);
        return Ok((block, unread));
    }
    Ok((first, unread))
}

/// A stretch of ink with fewer letters than this is a mark (a stamp's rim, an initial, a
/// smudge), not a line of type.
const MIN_LETTERS: u32 = 10;

/// The lines of type on `page` (the image as read, which `words`' boxes fit) that none of
/// `words` covers, top to bottom, with an estimate of their letters. Found from the ink's
/// profile rather than its connected pieces: faint ink breaks letters into specks and heavy
/// ink runs them together, and both still darken the rows and columns a line of type spans.
pub fn unread_lines(page: &GrayImage, words: &[OcrWord]) -> Vec<InkLine> {
    unread_lines_measured(page, words, crate::scan::letter_height(page))
}

/// `unread_lines` on a page whose letter height (`scan::letter_height`) is measured already.
pub fn unread_lines_measured(page: &GrayImage, words: &[OcrWord], letter: Option<u32>) -> Vec<InkLine> {
    let Some(letter) = letter.or_else(|| median_word_height(words)) else {
        return Vec::new();
    };
    let h = letter.max(4) as usize;
    let (w, height) = (page.width() as usize, page.height() as usize);
    let level = ink_level(page);
    // Where the OCR read: the words' boxes grown by half a letter (ascenders, commas).
    let mut read = vec![false; w * height];
    let pad = h / 2;
    for word in words {
        let b = word.bbox;
        let (x0, x1) = ((b.x as usize).saturating_sub(pad), (b.x as usize + b.w as usize + pad).min(w));
        for y in (b.y as usize).saturating_sub(pad)..(b.y as usize + b.h as usize + pad).min(height) {
            read[y * w + x0.min(x1)..y * w + x1].fill(true);
        }
    }
    // Pieces of ink the size of a letter or a word, or of a letter's broken stroke (faint ink),
    // and not where the OCR read: a speck of dust or of the paper's mottling is smaller, a rule
    // or a block of run-together lines larger.
    let pieces: Vec<(usize, usize, usize, usize)> = crate::scan::ink_components(page, level)
        .into_iter()
        .map(|(y0, y1, x0, x1)| (y0 as usize, y1 as usize, x0 as usize, x1 as usize))
        .filter(|&(y0, y1, x0, x1)| {
            let (ph, pw) = (y1 + 1 - y0, x1 + 1 - x0);
            ph * 3 >= h && ph >= 3 && ph <= 3 * h && pw <= 40 * h && !read[(y0 + y1) / 2 * w + (x0 + x1) / 2]
        })
        .collect();
    // Rows through a line of type are crossed by pieces over at least four letters' height.
    let mut across = vec![0usize; height];
    for &(y0, y1, x0, x1) in &pieces {
        for a in &mut across[y0..=y1] {
            *a += x1 + 1 - x0;
        }
    }
    let dense: Vec<bool> = across.iter().map(|&a| a >= 4 * h).collect();
    let mut out = Vec::new();
    let mut y = 0;
    while y < height {
        if !dense[y] {
            y += 1;
            continue;
        }
        let y0 = y;
        // One sparse row (between a line's x-height and its descenders) does not end it.
        while y < height && (dense[y] || (y + 1 < height && dense[y + 1])) {
            y += 1;
        }
        let band = y - y0;
        if band * 2 < h {
            continue;
        }
        // Lines of heavy ink can run into one band.
        let lines = ((band as f32 / (2.0 * h as f32)).round() as u32).max(1);
        let mut column = vec![false; w];
        for &(p0, p1, x0, x1) in &pieces {
            if p0 < y && p1 >= y0 {
                column[x0..=x1].fill(true);
            }
        }
        let mut x = 0;
        while x < w {
            if !column[x] {
                x += 1;
                continue;
            }
            let (x0, mut last) = (x, x);
            // Word spaces are under two letters wide; a wider gap starts another stretch.
            while x < w && x <= last + 2 * h {
                if column[x] {
                    last = x;
                }
                x += 1;
            }
            let width = last + 1 - x0;
            // A letter is about 0.6 of the type's height wide (typewriter pica); type is inked
            // across most of its width, scattered specks are not.
            let letters = (width as f32 / (0.6 * h as f32)).round() as u32 * lines;
            let inked = column[x0..=last].iter().filter(|&&c| c).count();
            if width >= 5 * h && inked * 2 >= width && letters >= MIN_LETTERS {
                let bbox = BBox { x: x0 as u32, y: y0 as u32, w: width as u32, h: band as u32 };
                out.push(InkLine { bbox, letters });
            }
        }
    }
    out
}

/// The grey level at or below which a pixel is ink: Otsu's, but no lighter than halfway from
/// black to the paper (the median level), because on faint pages Otsu splits the paper's own
/// mottling. Where Otsu's level lies within the paper's own levels (four of its median
/// deviations below its median), the ink is too faint for it: then the ink is what is darker
/// than the paper's levels, however light (a faint carbon at levels 150-200 on paper at 228:
/// halfway to black, 114, saw none of it, and a page Tesseract read as empty lost its text
/// as «not on the scans»).
pub fn ink_level(page: &GrayImage) -> u8 {
    let histogram = crate::scan::grey_histogram(page);
    let (paper, spread) = crate::scan::paper_level(&histogram);
    let otsu = crate::scan::otsu_level(&histogram);
    let paper_edge = paper.saturating_sub(spread.max(3).saturating_mul(4));
    if otsu > paper_edge {
        paper_edge.max(paper / 2)
    } else {
        otsu.min(paper / 2)
    }
}

/// The share of the page's pixels that are ink (`ink_level`).
pub fn ink_share(page: &GrayImage) -> f32 {
    let level = ink_level(page);
    page.as_raw().iter().filter(|&&p| p <= level).count() as f32 / page.as_raw().len().max(1) as f32
}

/// The median height of the words read, when letters on the page could not be measured.
fn median_word_height(words: &[OcrWord]) -> Option<u32> {
    let mut heights: Vec<u32> = words.iter().map(|w| w.bbox.h).filter(|&h| h > 0).collect();
    if heights.len() < 5 {
        return None;
    }
    let mid = heights.len() / 2;
    Some(*heights.select_nth_unstable(mid).1)
}

/// The lines of `lines` lying after (`after`) or before the point where a word's box `at` is:
/// below it, or beside it on its line.
pub fn lines_beyond(lines: &[InkLine], at: BBox, after: bool) -> impl Iterator<Item = &InkLine> {
    let mid = |b: BBox| b.y + b.h / 2;
    lines.iter().filter(move |l| {
        let same_line = mid(l.bbox) >= at.y && mid(l.bbox) <= at.y + at.h;
        if after {
            mid(l.bbox) > at.y + at.h || (same_line && l.bbox.x >= at.x + at.w)
        } else {
            mid(l.bbox) < at.y || (same_line && l.bbox.x + l.bbox.w <= at.x)
        }
    })
}

/// The letters `lines_beyond` hold (`letters_held`; `words`: the page's words read).
pub fn letters_beyond(lines: &[InkLine], words: &[OcrWord], at: BBox, after: bool) -> f32 {
    letters_held(lines_beyond(lines, at, after), words)
}

/// Rows of unread lines one under another, with no word read between them, are a passage
/// from this many rows: a stamp has one or two.
const PASSAGE_ROWS: usize = 3;

/// About how many letters `lines` (unread lines of one page, whose words read are `words`)
/// hold. A line on its own holds its own letters. But rows of them one under another, with
/// no word read between them, are a passage the layout analysis dropped, and on faint ink
/// only pieces of its lines are found, some lines not at all (the top half of a faint
/// carbon: 45 pieces of 750 letters where about 2,100 stand, so most of its text was set
/// aside as «not on the scans»): a passage of `PASSAGE_ROWS` rows or more holds as many rows
/// as its height has line pitches, each as wide as the passage.
pub fn letters_held<'a>(lines: impl IntoIterator<Item = &'a InkLine>, words: &[OcrWord]) -> f32 {
    let mid = |b: BBox| b.y + b.h / 2;
    let mut lines: Vec<&InkLine> = lines.into_iter().collect();
    lines.sort_by_key(|l| mid(l.bbox));
    // Rows: the pieces whose middles lie within the row's first piece.
    let mut rows: Vec<(BBox, f32)> = Vec::new();
    for l in lines {
        match rows.last_mut() {
            Some((row, letters)) if mid(l.bbox) <= row.y + row.h => {
                *row = row.union(l.bbox);
                *letters += l.letters as f32;
            }
            _ => rows.push((l.bbox, l.letters as f32)),
        }
    }
    let word_between = |a: BBox, b: BBox| words.iter().any(|w| (mid(a)..mid(b)).contains(&mid(w.bbox)));
    let mut total = 0.0;
    let mut start = 0;
    for k in 1..=rows.len() {
        if k == rows.len() || word_between(rows[k - 1].0, rows[k].0) {
            total += passage_letters(&rows[start..k]);
            start = k;
        }
    }
    total
}

/// The letters of one passage of unread rows (`letters_held`): their own, or, from
/// `PASSAGE_ROWS` rows, the rows its height holds at the rows' usual pitch (a missing line
/// leaves a step of two pitches, left out of the pitch) times its width in letters (0.6 of
/// the type's height each, as in `unread_lines`), when that is more.
fn passage_letters(rows: &[(BBox, f32)]) -> f32 {
    let own: f32 = rows.iter().map(|r| r.1).sum();
    if rows.len() < PASSAGE_ROWS {
        return own;
    }
    let median = |mut v: Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let mid = |b: BBox| b.y as f32 + b.h as f32 / 2.0;
    let h = median(rows.iter().map(|r| r.0.h as f32).collect());
    let steps: Vec<f32> =
        rows.windows(2).map(|w| mid(w[1].0) - mid(w[0].0)).filter(|&d| d > 0.0 && d <= 2.5 * h).collect();
    if steps.is_empty() || h <= 0.0 {
        return own;
    }
    let pitch = median(steps);
    let count = ((mid(rows[rows.len() - 1].0) - mid(rows[0].0)) / pitch).round() + 1.0;
    let x0 = rows.iter().map(|r| r.0.x).min().unwrap_or(0);
    let x1 = rows.iter().map(|r| r.0.x + r.0.w).max().unwrap_or(0);
    own.max(count * (x1 - x0) as f32 / (0.6 * h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// A white page with `rows` lines of 60 dark "letters" (12×20 px, 6 px apart).
    fn page(rows: &[u32]) -> GrayImage {
        let mut img = GrayImage::from_pixel(1200, 800, Luma([255]));
        for &y in rows {
            for k in 0..60 {
                let x0 = 50 + k * 18;
                for y in y..y + 20 {
                    for x in x0..x0 + 12 {
                        img.put_pixel(x, y, Luma([0]));
                    }
                }
            }
        }
        img
    }

    fn word(x: u32, y: u32, w: u32) -> OcrWord {
        OcrWord { text: "word".into(), confidence: 0.9, bbox: BBox { x, y, w, h: 20 }, line: 0, chars: Vec::new() }
    }

    #[test]
    fn lines_no_word_covers_are_unread_with_their_letters() {
        let img = page(&[100, 160, 220]);
        // The first line read whole, the others not at all.
        let lines = unread_lines(&img, &[word(50, 100, 1080)]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0].bbox.y, 160);
        // 60 letters 18 px apart, estimated as 0.6 of their 20 px height wide: 90.
        assert!(lines.iter().all(|l| (60..=100).contains(&l.letters)), "{lines:?}");
        // Read everywhere: nothing unread.
        let all = [word(50, 100, 1080), word(50, 160, 1080), word(50, 220, 1080)];
        assert!(unread_lines(&img, &all).is_empty());
        // A blank page has no type at all.
        assert!(unread_lines(&page(&[]), &[]).is_empty());
    }

    /// Reads the first line only as a page, all three lines as a block, at `block_confidence`.
    struct DropsLines {
        block_confidence: f32,
        modes: Vec<Segmentation>,
    }
    impl Recognizer for DropsLines {
        fn recognize(&mut self, _: &GrayImage, mode: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
            self.modes.push(mode);
            let line = |y: u32, confidence: f32| {
                (0..12).map(move |k| OcrWord {
                    text: "words".into(),
                    confidence,
                    bbox: BBox { x: 50 + 90 * k, y, w: 84, h: 20 },
                    line: 0,
                    chars: Vec::new(),
                })
            };
            Ok(match mode {
                Segmentation::Block => {
                    [100, 160, 220].into_iter().flat_map(|y| line(y, self.block_confidence)).collect()
                }
                _ => line(100, 0.9).collect(),
            })
        }
    }

    #[test]
    fn a_page_with_lines_left_unread_is_read_again_as_one_block() {
        let img = page(&[100, 160, 220]);
        let mut engine = DropsLines { block_confidence: 0.88, modes: Vec::new() };
        let first = engine.recognize(&img, Segmentation::Page).unwrap();
        let (words, unread) = read_fuller(&mut engine, &img, first, None, None).unwrap();
        assert_eq!((words.len(), unread.len()), (36, 0), "the block reading has every line");
        assert_eq!(engine.modes, [Segmentation::Page, Segmentation::Block]);
        // A block reading already made is weighed, not made again.
        let mut engine = DropsLines { block_confidence: 0.88, modes: Vec::new() };
        let first = engine.recognize(&img, Segmentation::Page).unwrap();
        let block = engine.recognize(&img, Segmentation::Block).unwrap();
        let (words, _) = read_fuller(&mut engine, &img, first, Some(block), None).unwrap();
        assert_eq!((words.len(), engine.modes.len()), (36, 2));
        // A block reading of junk is not kept, and the lines stay unread.
        let mut engine = DropsLines { block_confidence: 0.3, modes: Vec::new() };
        let first = engine.recognize(&img, Segmentation::Page).unwrap();
        let (words, unread) = read_fuller(&mut engine, &img, first, None, None).unwrap();
        assert_eq!((words.len(), unread.len()), (12, 2));
        // A page with no unread type is read once.
        let mut engine = DropsLines { block_confidence: 0.88, modes: Vec::new() };
        let one_line = page(&[100, 100, 100]);
        let first = engine.recognize(&one_line, Segmentation::Page).unwrap();
        let (_, unread) = read_fuller(&mut engine, &one_line, first, None, None).unwrap();
        assert!(unread.is_empty());
        assert_eq!(engine.modes, [Segmentation::Page]);
    }

    #[test]
    fn letters_beyond_a_word_count_the_lines_after_or_before_it() {
        let lines = [
            InkLine { bbox: BBox { x: 50, y: 100, w: 500, h: 20 }, letters: 30 },
            InkLine { bbox: BBox { x: 50, y: 300, w: 500, h: 20 }, letters: 20 },
        ];
        let at = BBox { x: 50, y: 200, w: 60, h: 20 };
        assert_eq!(letters_beyond(&lines, &[], at, true), 20.0);
        assert_eq!(letters_beyond(&lines, &[], at, false), 30.0);
    }

    #[test]
    fn a_passage_of_unread_pieces_holds_its_whole_lines() {
        // Ten lines of 60 letters (20 px type, 36 px apart, 12 px a letter), of which the
        // faint ink left pieces of 10-20 letters on seven: the missing lines still count.
        let piece = |row: u32, x: u32, letters: u32| InkLine {
            bbox: BBox { x, y: 100 + row * 36, w: letters * 12, h: 20 },
            letters,
        };
        let pieces = [
            piece(0, 100, 10),
            piece(0, 500, 12),
            piece(1, 300, 20),
            piece(2, 100, 15),
            piece(4, 700, 10),
            piece(5, 100, 14),
            piece(7, 200, 18),
            piece(9, 100, 60),
        ];
        let held = letters_held(&pieces, &[]);
        // 10 rows × 720 px / 12 px a letter = 600 letters (as 0.6 of the type's height).
        assert!((held - 600.0).abs() < 1.0, "{held}");
        // A word read between rows 4 and 5 splits them: rows 0-4 hold 5 × 60 letters; rows 5,
        // 7 and 9 show no pitch of their own (every other line missing), so only their pieces.
        let between = word(100, 100 + 4 * 36 + 22, 60);
        let split = letters_held(&pieces, &[between]);
        assert!((split - (300.0 + 14.0 + 18.0 + 60.0)).abs() < 1.0, "{split}");
        // One or two rows (a stamp) hold their own letters.
        assert_eq!(letters_held(&pieces[..3], &[]), 42.0);
    }
}
