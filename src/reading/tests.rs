//! Unit tests of the reading stage: the cache, pages loaded ahead, second readings.

use super::*;
use crate::cache;
use crate::ocr::Segmentation;
use crate::types::{BBox, OcrWord};
use second::read_again;
use std::sync::Mutex;

/// Reads any image as the words it was told, and counts its calls.
struct Scripted<'a> {
    calls: &'a Mutex<usize>,
    words: Vec<OcrWord>,
}

impl Recognizer for Scripted<'_> {
    fn recognize(&mut self, _: &GrayImage, _: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
        *self.calls.lock().unwrap() += 1;
        Ok(self.words.clone())
    }
}

fn word(text: &str, x: u32) -> OcrWord {
    OcrWord { text: text.into(), confidence: 0.9, bbox: BBox { x, y: 10, w: 40, h: 20 }, line: 0, chars: vec![] }
}

fn write_png(dir: &Path, name: &str, shade: u8) -> PathBuf {
    let p = dir.join(name);
    GrayImage::from_pixel(300, 100, image::Luma([shade])).save(&p).unwrap();
    p
}

#[test]
fn second_run_reads_every_page_from_the_cache_without_an_engine() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..3).map(|i| write_png(dir.path(), &format!("p{i}.png"), 40 * i as u8)).collect();
    let cache = OcrCache::open(&dir.path().join("cache")).unwrap();
    let calls = Mutex::new(0);
    let made = Mutex::new(0);
    let make = || -> Result<Scripted> {
        *made.lock().unwrap() += 1;
        Ok(Scripted { calls: &calls, words: vec![word("one", 10), word("two", 60)] })
    };
    let settings = OcrSettings::default();
    let first = read_pages(&paths, Vec::new(), &settings, 2, Some(&cache), &make, &|_| {}).unwrap();
    assert_eq!(*calls.lock().unwrap(), 3);
    assert!(first.images.iter().all(Option::is_some));
    let second = read_pages(&paths, Vec::new(), &settings, 2, Some(&cache), &make, &|_| {}).unwrap();
    assert_eq!(*calls.lock().unwrap(), 3, "no page read again");
    assert!(second.engines.is_empty() && second.images.iter().all(Option::is_none));
    assert_eq!(first.pages, second.pages);
    assert_eq!(second.keys, first.keys);
    assert_eq!(*made.lock().unwrap(), first.engines.len());
}

/// Issue 16: a page loaded ahead of its run (`batch` loads the next document's first page
/// while it checks this one) is read from what was loaded, not loaded again; every other
/// page, with two workers, each one loaded once, whoever loads it.
#[test]
fn a_preloaded_page_is_read_as_loaded_and_the_others_once() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..5).map(|i| write_png(dir.path(), &format!("p{i}.png"), 40 * i as u8)).collect();
    let settings = OcrSettings::default();
    let ahead = preload(&paths[0], &settings, None);
    assert_eq!(ahead.path(), paths[0]);
    // Gone from the disk: only the preloaded copy can be read now.
    std::fs::remove_file(&paths[0]).unwrap();
    let calls = Mutex::new(0);
    let make = || -> Result<Scripted> { Ok(Scripted { calls: &calls, words: vec![word("one", 10)] }) };
    let read = read_pages(&paths, vec![ahead], &settings, 2, None, &make, &|_| {}).unwrap();
    assert!(read.failures.is_empty(), "{:?}", read.failures);
    assert_eq!(read.pages.iter().map(|p| p.index).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!(*calls.lock().unwrap(), 5, "each page read once");
    // Without it, the missing page is the one failure.
    let read = read_pages(&paths, Vec::new(), &settings, 2, None, &make, &|_| {}).unwrap();
    assert_eq!(read.failures.iter().map(|f| f.page).collect::<Vec<_>>(), [1]);
}

/// Reads a line crop as one word per 40 px of its width, named by its height and width:
/// what a line reads depends on the line only. Slow enough (20 ms a reading) that a second
/// worker starts before the first has read every line.
struct ByCrop;
impl Recognizer for ByCrop {
    fn recognize(&mut self, image: &GrayImage, _: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let (w, h) = image.dimensions();
        Ok((0..w / 40)
            .map(|k| OcrWord {
                text: format!("w{h}x{w}k{k}"),
                confidence: 0.9,
                bbox: BBox { x: 40 * k, y: 0, w: 40, h },
                line: 0,
                chars: vec![],
            })
            .collect())
    }
}

/// Issue 16: with two engines a page's doubtful lines are shared out line by line, and the
/// readings are those of one engine reading them all.
#[test]
fn second_readings_by_line_are_the_same_with_one_engine_or_two() {
    let image = GrayImage::from_pixel(400, 300, image::Luma([200]));
    let mut page = OcrPage::from_text(1, Path::new("p.png"), "", 0.9);
    (page.width, page.height) = (400, 300);
    page.words = (0..4)
        .flat_map(|line| {
            (0..3).map(move |k| OcrWord {
                text: format!("l{line}w{k}"),
                confidence: 0.5,
                bbox: BBox { x: 20 + 120 * k, y: 20 + 60 * line, w: 100, h: 20 + 5 * line },
                line: line as usize,
                chars: vec![],
            })
        })
        .collect();
    let sources = [PageSource { page: &page, image: Some(&image), key: None }];
    let requests: Vec<ReadRequest> = page
        .words
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, w)| ReadRequest { flag: i, page: 1, bbox: w.bbox })
        .collect();
    let make = || -> Result<ByCrop> { Ok(ByCrop) };
    let (one, _) = second_readings(&requests, &sources, 1, vec![], &make, None).unwrap();
    let (two, engines) = second_readings(&requests, &sources, 2, vec![], &make, None).unwrap();
    assert_eq!(one.len(), requests.len());
    assert_eq!(engines.len(), 2, "both engines had lines to read");
    assert_eq!(one, two);
    assert_eq!(one.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 2, 4, 6, 8, 10]);
}

#[test]
fn page_from_text_has_lines_and_no_boxes() {
    let p = page_from_text(Path::new("o.txt"), "one two\n\nthree");
    let got: Vec<_> = p.words.iter().map(|w| (w.text.as_str(), w.line, w.bbox)).collect();
    assert_eq!(got, [("one", 0, BBox::default()), ("two", 0, BBox::default()), ("three", 2, BBox::default())]);
}

/// Gives nothing for a line, and one word over the whole crop for a word.
struct WordOnly(Vec<Segmentation>);
impl Recognizer for WordOnly {
    fn recognize(&mut self, image: &GrayImage, mode: Segmentation) -> std::result::Result<Vec<OcrWord>, String> {
        self.0.push(mode);
        let bbox = BBox { x: 0, y: 0, w: image.width(), h: image.height() };
        Ok(match mode {
            Segmentation::Word => {
                vec![OcrWord { text: "house".into(), confidence: 0.9, bbox, line: 0, chars: vec![] }]
            }
            _ => vec![],
        })
    }
}

#[test]
fn a_line_that_reads_as_nothing_falls_back_to_the_word() {
    let mut engine = WordOnly(vec![]);
    let image = GrayImage::new(200, 50);
    let line = BBox { x: 0, y: 5, w: 200, h: 30 };
    let mut read = |region: BBox, mode: Segmentation| {
        let (crop, _, _) = crop_line(&image, region)?;
        engine.recognize(&crop, mode).ok()
    };
    let r = read_again(&mut read, image.dimensions(), line, BBox { x: 40, y: 10, w: 50, h: 20 }).unwrap();
    assert_eq!(engine.0, vec![Segmentation::Line, Segmentation::Word]);
    assert_eq!((r.text.as_str(), r.words.len()), ("house", 1));
}

/// Issue 16: a cached re-run reads every flag again from the cache, the word read alone
/// (its line gave nothing) as well as the line, so it makes no engine.
#[test]
fn second_readings_come_back_from_the_cache_without_an_engine() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_png(dir.path(), "p.png", 200);
    let cache = OcrCache::open(&dir.path().join("cache")).unwrap();
    let key = cache::page_key(&cache::fingerprint(&OcrSettings::default()), b"p");
    let mut page = OcrPage::from_text(1, &path, "", 0.9);
    (page.width, page.height) = (300, 100);
    page.words = vec![word("hause", 40)];
    let sources = [PageSource { page: &page, image: None, key: Some(&key) }];
    let requests = [ReadRequest { flag: 0, page: 1, bbox: page.words[0].bbox }];
    let made = Mutex::new(0);
    let make = || -> Result<WordOnly> {
        *made.lock().unwrap() += 1;
        Ok(WordOnly(vec![]))
    };
    let (first, engines) = second_readings(&requests, &sources, 1, vec![], &make, Some(&cache)).unwrap();
    assert_eq!(engines.len(), 1);
    assert_eq!(engines[0].0, vec![Segmentation::Line, Segmentation::Word]);
    let (again, engines) = second_readings(&requests, &sources, 1, vec![], &make, Some(&cache)).unwrap();
    assert!(engines.is_empty(), "no engine made for a cached re-run");
    assert_eq!(*made.lock().unwrap(), 1);
    assert_eq!(again, first);
    assert_eq!(first[0].1.text, "house");
}

#[test]
fn crop_is_padded_enlarged_and_clamped() {
    let img = GrayImage::new(100, 50);
    let (c, origin, scale) = crop_line(&img, BBox { x: 80, y: 40, w: 20, h: 9 }).unwrap();
    assert_eq!((origin, scale), ((72, 36), 2));
    assert_eq!(c.dimensions(), (2 * (100 - 72), 2 * (50 - 36)));
    assert!(crop_line(&img, BBox::default()).is_none());
}
