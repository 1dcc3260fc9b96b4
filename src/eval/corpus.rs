//! Pages with correct transcriptions, run through the checker: once on the truth (every flag
//! there is a false alarm, or a known real error of the truth) and once per seed on a copy with
//! injected errors. The flags keep their measured evidence, and every flag with a box is read a
//! second time, so that `eval` and `train` can weigh the same flags with any model and get what
//! `check` would have said with it. OCR and second readings go through the OCR cache.

use super::inject::{self, Injected, Mix};
use crate::cache::OcrCache;
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::model::learn::Example;
use crate::score::Reread;
use crate::types::{Flag, OcrPage, Transcript};
use crate::{ocr, reading, scan, transcript, CheckOptions};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A folder of pages in the `eval` layout, with the language its pages are in when no
/// `NAME.json` beside a page says otherwise.
#[derive(Debug, Clone)]
pub struct Folder {
    pub dir: PathBuf,
    pub lang: Option<String>,
}

impl std::str::FromStr for Folder {
    type Err = String;
    /// `DIR` or `DIR:LANG`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.rsplit_once(':') {
            Some((dir, lang)) if !lang.is_empty() && !lang.contains('/') => {
                Ok(Folder { dir: dir.into(), lang: Some(lang.to_string()) })
            }
            _ => Ok(Folder { dir: s.into(), lang: None }),
        }
    }
}

/// One page image with its correct transcription.
#[derive(Debug, Clone)]
pub struct Page {
    /// The document it belongs to: the file stem before a trailing `_NN` (all pages of a
    /// document go to the same fold).
    pub doc: String,
    pub name: String,
    pub image: PathBuf,
    pub truth: PathBuf,
    pub lang: String,
    /// Where a translation after the page's text starts in the truth (code points, from the
    /// page's JSON: `"translation": [start, end]`). It is not on the scan, so no error is
    /// injected there, and the rate counts the page's own words only.
    pub off_scan: Option<usize>,
}

/// A page's runs through the checker.
#[derive(Debug, Clone)]
pub struct PageRun {
    pub doc: String,
    pub name: String,
    pub lang: String,
    pub words: usize,
    /// The truth's text (the clean run's transcript).
    pub text: String,
    /// Known real errors of the truth (code-point spans of the clean text).
    pub natural: Vec<Range<usize>>,
    pub clean: Vec<Flag>,
    pub corrupted: Vec<CorruptedRun>,
}

#[derive(Debug, Clone)]
pub struct CorruptedRun {
    pub flags: Vec<Flag>,
    pub injected: Vec<Injected>,
    /// The known real errors, moved to where they stand in the corrupted text.
    pub protected: Vec<Range<usize>>,
}

/// How a flag of a corrupted run relates to the truth.
pub fn overlaps(f: &Flag, r: &Range<usize>) -> bool {
    if f.start == f.end {
        // A flag for missing words stands right after the word before them; a line dropped
        // at a paragraph's start left its line break after the blank line, one further on.
        return r.start.saturating_sub(1) <= f.start && f.start <= r.end;
    }
    f.start < r.end && r.start < f.end
}

impl CorruptedRun {
    /// The injected errors a flag lands on.
    pub fn hits(&self, f: &Flag) -> Vec<usize> {
        (0..self.injected.len()).filter(|&k| overlaps(f, &(self.injected[k].start..self.injected[k].end))).collect()
    }

    /// Whether the transcript is wrong where the flag stands: an injected error, or a known
    /// real error of the truth.
    pub fn label(&self, f: &Flag) -> bool {
        !self.hits(f).is_empty() || self.protected.iter().any(|r| overlaps(f, r))
    }
}

#[derive(Debug, Clone)]
pub struct CorpusOptions {
    pub check: CheckOptions,
    pub seeds: Vec<u64>,
    /// One injected error per this many words; with several rates, each page and seed draws
    /// one of them, so that training meets careful and careless transcribers (none: 60).
    pub rates: Vec<usize>,
    pub mix: Mix,
    /// Known real errors of the truth, by page name (TSV: page, start, end, ...).
    pub known: HashMap<String, Vec<Range<usize>>>,
}

/// The document a page belongs to: «EHRI-BF-19380509b_EN_01» → «EHRI-BF-19380509b_EN».
pub fn document_of(stem: &str) -> String {
    match stem.rsplit_once('_') {
        Some((doc, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => doc.to_string(),
        _ => stem.to_string(),
    }
}

/// Pages of the folders: image + same-name .txt or .xml truth, the language from a same-name
/// .json (`"lang"`, as the renderer writes it), the folder's, or `default_lang`.
pub fn pages(folders: &[Folder], default_lang: &str) -> Result<Vec<Page>> {
    let mut out = Vec::new();
    for folder in folders {
        for (image, truth) in super::find_pairs(&folder.dir)? {
            let name = image.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let sidecar = page_json(&image.with_extension("json"));
            let lang = sidecar
                .as_ref()
                .and_then(|v| v.get("lang")?.as_str().map(str::to_string))
                .or_else(|| folder.lang.clone())
                .unwrap_or_else(|| default_lang.to_string());
            let off_scan = sidecar.as_ref().and_then(translation_start);
            out.push(Page { doc: document_of(&name), name, image, truth, lang, off_scan });
        }
    }
    Ok(out)
}

fn page_json(json: &Path) -> Option<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(json).ok()?).ok()
}

fn translation_start(v: &serde_json::Value) -> Option<usize> {
    v.get("translation")?.as_array()?.first()?.as_u64().map(|n| n as usize)
}

/// The text on the scan and what follows it (from code point `at`).
fn split_chars(text: &str, at: Option<usize>) -> (&str, &str) {
    let byte = at.and_then(|n| text.char_indices().nth(n)).map_or(text.len(), |(b, _)| b);
    text.split_at(byte)
}

/// Known real errors of a truth: TSV with a header, columns page, start, end, ...
pub fn read_known(path: &Path) -> Result<HashMap<String, Vec<Range<usize>>>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out: HashMap<String, Vec<Range<usize>>> = HashMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let bad = || Error::BadInput {
            path: path.to_path_buf(),
            reason: format!("line {}: expected page, start, end", n + 1),
        };
        if cols.len() < 3 {
            return Err(bad());
        }
        let (s, e) = (cols[1].parse().map_err(|_| bad())?, cols[2].parse().map_err(|_| bad())?);
        out.entry(cols[0].to_string()).or_default().push(s..e);
    }
    Ok(out)
}

/// The known real errors of pages in `folders` (each folder's own natural-errors.tsv, when it
/// has one) and of the lists in `files`, by page name.
pub fn known_of(folders: &[Folder], files: &[PathBuf]) -> Result<HashMap<String, Vec<Range<usize>>>> {
    let own = folders.iter().map(|f| f.dir.join("natural-errors.tsv")).filter(|p| p.is_file());
    let mut known = HashMap::new();
    for path in own.chain(files.iter().cloned()) {
        for (page, ranges) in read_known(&path)? {
            known.entry(page).or_insert_with(Vec::new).extend(ranges);
        }
    }
    // A list given twice (a folder's own, named again with --known) counts each error once.
    for ranges in known.values_mut() {
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup();
    }
    Ok(known)
}

/// A stable number for a page name, so that a page gets the same injected errors whichever
/// folders it is read with.
fn name_seed(name: &str) -> u64 {
    name.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// Run every page through the checker: OCR (cached), then the clean truth and each seed's
/// corrupted copy. Languages are read one after another, each with its own engines and
/// dictionaries.
pub fn run(pages: &[Page], opts: &CorpusOptions, warn: crate::Warn) -> Result<Vec<PageRun>> {
    let mut by_lang: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for p in pages {
        by_lang.entry(p.lang.as_str()).or_default().push(p);
    }
    let mut out = Vec::new();
    for (lang, group) in by_lang {
        out.extend(run_language(lang, &group, opts, warn)?);
    }
    // Back in the order the pages were given.
    let order: HashMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.name.as_str(), i)).collect();
    out.sort_by_key(|r: &PageRun| order.get(r.name.as_str()).copied().unwrap_or(usize::MAX));
    Ok(out)
}

fn run_language(lang: &str, pages: &[&Page], opts: &CorpusOptions, warn: crate::Warn) -> Result<Vec<PageRun>> {
    let truths: Vec<Transcript> = pages.iter().map(|p| crate::formats::read_text(&p.truth)).collect::<Result<_>>()?;
    let paths: Vec<PathBuf> = pages.iter().map(|p| p.image.clone()).collect();
    for p in &paths {
        scan::check_page_file(p)?;
    }
    ocr::find_tessdata(lang)?;
    let mut check = opts.check.clone();
    check.lang = lang.to_string();
    check.score.reread = Reread::All;
    let settings = check.ocr_settings();
    let cache = OcrCache::open_optional(check.cache.as_deref(), warn);
    let make = || ocr::Tesseract::new(&settings);
    let read = reading::read_pages(&paths, Vec::new(), &settings, check.jobs, cache.as_ref(), &make, &|_| {})?;
    for failure in &read.failures {
        warn(&format!("{}: {}", failure.path.display(), failure.error));
    }
    let mut engines = read.engines;
    let lexicon =
        if check.use_lexicon { Lexicon::load(lang, &check.dictionaries)? } else { Lexicon::variants_only(lang) };
    for (code, why) in &lexicon.missing {
        warn(&format!("no dictionary for '{code}': {why}"));
    }
    let mut out = Vec::new();
    for (n, read_page) in read.pages.iter().enumerate() {
        let i = read_page.index - 1;
        let page = pages[i];
        // Each page is its own document here: page 1 of its review.
        let ocr_pages = [OcrPage { index: 1, ..read_page.clone() }];
        let source =
            [reading::PageSource { page: &ocr_pages[0], image: read.images[n].as_ref(), key: read.keys[n].as_ref() }];
        let natural = opts.known.get(&page.name).cloned().unwrap_or_default();
        let truth = &truths[i];
        let mut review = |t: &Transcript| -> Vec<Flag> {
            let mut second = |requests: &[reading::ReadRequest]| {
                let held = std::mem::take(&mut engines);
                match reading::second_readings(requests, &source, check.jobs, held, &make, cache.as_ref()) {
                    Ok((readings, back)) => {
                        engines = back;
                        readings
                    }
                    Err(e) => {
                        warn(&format!("second readings skipped: {e}"));
                        Vec::new()
                    }
                }
            };
            crate::review_pages(t, &ocr_pages, &lexicon, &check, Vec::new(), Some(&mut second)).flags
        };
        let clean = review(truth);
        let mut corrupted = Vec::new();
        let (on_scan, translation) = split_chars(&truth.text, page.off_scan);
        for &seed in &opts.seeds {
            let seed = seed.wrapping_add(name_seed(&page.name));
            let c = inject::inject(on_scan, rate_of(&opts.rates, seed), seed, &lexicon, &natural, &opts.mix);
            let t = transcript::from_text(&truth.path, c.text.clone() + translation);
            corrupted.push(CorruptedRun { flags: review(&t), injected: c.injected, protected: c.protected });
        }
        out.push(PageRun {
            doc: page.doc.clone(),
            name: page.name.clone(),
            lang: lang.to_string(),
            words: truth.tokens.len(),
            text: truth.text.clone(),
            natural,
            clean,
            corrupted,
        });
    }
    Ok(out)
}

/// The rate of a page and seed (`seed` already holds the page's name): one of `rates`, drawn
/// the same way in every run.
fn rate_of(rates: &[usize], seed: u64) -> usize {
    let pick = (seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 33) as usize % rates.len().max(1);
    // None given: the CLI's default, one error in 60 words.
    rates.get(pick).copied().unwrap_or(60).max(1)
}

/// Training examples from page runs: every flag of the corrupted runs, labeled by the truth.
pub fn examples(runs: &[PageRun]) -> Vec<Example> {
    runs.iter()
        .flat_map(|r| r.corrupted.iter().map(move |c| (r, c)))
        .flat_map(|(r, c)| {
            c.flags.iter().map(move |f| Example {
                evidence: f.evidence.clone(),
                label: c.label(f),
                weight: 1.0,
                doc: r.doc.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_errors_of_folders_and_lists_count_once() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("natural-errors.tsv");
        std::fs::write(&own, "page\tstart\tend\np_01\t10\t14\n").unwrap();
        let other = dir.path().join("other.tsv");
        std::fs::write(&other, "page\tstart\tend\np_01\t3\t5\nq_02\t1\t2\n").unwrap();
        let folder = Folder { dir: dir.path().to_path_buf(), lang: None };
        // The folder's own list, named again, and another list: each error once.
        let known = known_of(&[folder], &[own, other]).unwrap();
        assert_eq!(known["p_01"], vec![3..5, 10..14]);
        assert_eq!(known["q_02"], vec![1..2]);
    }

    #[test]
    fn each_page_and_seed_draws_one_rate_and_every_rate_is_drawn() {
        let rates = [30, 60, 120];
        let drawn: Vec<usize> = (0..60u64).map(|s| rate_of(&rates, s.wrapping_add(name_seed("doc_01")))).collect();
        for r in rates {
            assert!(drawn.iter().filter(|d| **d == r).count() >= 10, "{r} drawn too rarely: {drawn:?}");
        }
        assert_eq!(drawn, (0..60u64).map(|s| rate_of(&rates, s.wrapping_add(name_seed("doc_01")))).collect::<Vec<_>>());
        assert_eq!(rate_of(&[45], 7), 45);
        assert_eq!(rate_of(&[0], 7), 1);
    }

    #[test]
    fn documents_and_folders() {
        assert_eq!(document_of("EHRI-BF-19380509b_EN_01"), "EHRI-BF-19380509b_EN");
        assert_eq!(document_of("EHRI-ET-WL16560044_06"), "EHRI-ET-WL16560044");
        assert_eq!(document_of("page-3"), "page-3");
        assert_eq!(document_of("letter_x"), "letter_x");
        let f: Folder = "corpus/synth:rus".parse().unwrap();
        assert_eq!((f.dir, f.lang.as_deref()), (PathBuf::from("corpus/synth"), Some("rus")));
        let f: Folder = "../shared/corpus/ehri/english".parse().unwrap();
        assert_eq!(f.lang, None);
    }

    #[test]
    fn a_pages_translation_is_read_from_its_json_and_set_apart() {
        let dir = std::env::temp_dir().join(format!("scanproof-keep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "Товарищ Петров прибыл в Тифлис.\n\nTranslation\n\nComrade Petrov arrived in Tiflis.\n";
        let byte = text.find("Translation").unwrap();
        let start = text[..byte].chars().count();
        std::fs::write(dir.join("doc_01.png"), b"").unwrap();
        std::fs::write(dir.join("doc_01.txt"), text).unwrap();
        let json = format!(r#"{{"lang": "rus", "translation": [{start}, {}]}}"#, text.chars().count());
        std::fs::write(dir.join("doc_01.json"), json).unwrap();
        let pages = pages(&[Folder { dir: dir.clone(), lang: None }], "eng").unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((pages[0].lang.as_str(), pages[0].off_scan), ("rus", Some(start)));
        assert_eq!(split_chars(text, pages[0].off_scan), (&text[..byte], &text[byte..]));
        assert_eq!(split_chars(text, None), (text, ""));
    }
}
