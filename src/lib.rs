//! scanproof: proof an existing transcription against its page scans.
//!
//! The pipeline, one module per stage, plain data between them (see `types`):
//! scan → ocr → transcript → align → evidence/score → report → review/apply.
//! This file runs the stages in order and assembles the `Review`; it holds no logic of its own.

pub mod align;
pub mod batch;
pub mod cache;
pub mod coverage;
pub mod error;
pub mod eval;
pub mod evidence;
pub mod export;
pub mod formats;
pub mod lexicon;
pub mod model;
pub mod ocr;
pub mod reading;
pub mod report;
pub mod review;
pub mod scan;
pub mod score;
pub mod synthetic;
pub mod train;
pub mod transcript;
pub mod types;
pub mod witness;
pub mod word_diff;

pub use error::{Error, Result};
pub use types::Review;

use crate::ocr::{OcrSettings, Tesseract};
use crate::types::*;
use std::path::PathBuf;

/// What `check` needs to know; the CLI fills it from arguments.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub scans: Vec<PathBuf>,
    pub transcript: PathBuf,
    pub lang: String,
    pub jobs: usize,
    pub dictionaries: Vec<PathBuf>,
    pub use_lexicon: bool,
    pub align: align::Params,
    pub score: score::Params,
    pub coverage: coverage::Params,
    /// The OCR cache folder; `None` reads every page (the library's default: the CLI turns
    /// it on with the platform cache folder).
    pub cache: Option<PathBuf>,
    /// How to read the transcript (format and encoding; detected by default).
    pub read: formats::ReadOptions,
    /// A translation to cross-check names and numbers against (`--witness FILE[:LANG]`).
    pub witness: Option<witness::Source>,
    /// Look for a translation inside the transcript itself when none is given.
    pub find_witness: bool,
}

impl CheckOptions {
    pub fn new(scans: Vec<PathBuf>, transcript: PathBuf, lang: &str) -> Self {
        CheckOptions {
            scans,
            transcript,
            lang: lang.to_string(),
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            dictionaries: Vec::new(),
            use_lexicon: true,
            align: align::Params::default(),
            score: score::Params::default(),
            coverage: coverage::Params::default(),
            cache: None,
            read: formats::ReadOptions::default(),
            witness: None,
            find_witness: true,
        }
    }
}

/// Warnings worth telling the user (on stderr) that do not stop the run.
pub type Warn<'a> = &'a (dyn Fn(&str) + Sync);

/// Run the whole check: OCR every page, align with the transcript, weigh each discrepancy.
/// Input errors (missing files, bad transcript, unknown language) fail before any OCR starts;
/// a page that fails during OCR is recorded in `Review::failures` and the others go on.
pub fn check(opts: &CheckOptions, warn: Warn, on_page_done: &(dyn Fn(usize) + Sync)) -> Result<Review> {
    let document = read_transcript(opts, warn)?;
    let transcript = &document.transcript;
    let paths = scan::collect_scan_paths(&opts.scans)?;
    for p in &paths {
        scan::check_page_file(p)?;
    }
    ocr::find_tessdata(&opts.lang)?;
    let settings = OcrSettings { lang: opts.lang.clone(), ..OcrSettings::default() };
    let cache = cache::OcrCache::open_optional(opts.cache.as_deref(), warn);
    let make = || Tesseract::new(&settings);

    // The dictionaries load while the first pages are read.
    let (lexicon, read) = std::thread::scope(|s| {
        let lex = s.spawn(|| load_lexicon(opts));
        let read = reading::read_pages(&paths, &settings, opts.jobs, cache.as_ref(), &make, on_page_done);
        (lex.join().expect("dictionary loading does not panic"), read)
    });
    let lexicon = lexicon?;
    warn_missing(&lexicon, warn);
    let read = read?;
    let sources: Vec<reading::PageSource> = (0..read.pages.len())
        .map(|i| reading::PageSource {
            page: &read.pages[i],
            image: read.images[i].as_ref(),
            key: read.keys[i].as_ref(),
        })
        .collect();
    let mut engines = Some(read.engines);
    let mut second_reading = |requests: &[reading::ReadRequest]| {
        let engines = engines.take().unwrap_or_default();
        match reading::second_readings(requests, &sources, opts.jobs, engines, &make, cache.as_ref()) {
            Ok((readings, _)) => readings,
            Err(e) => {
                warn(&format!("second readings skipped: {e}"));
                Vec::new()
            }
        }
    };
    let mut review =
        review_pages(transcript, &read.pages, &lexicon, opts, read.failures.clone(), Some(&mut second_reading));
    refuse_unrelated(&review, opts)?;
    document.annotate(&mut review.flags);
    if let Some(e) = cache.as_ref().and_then(|c| c.write_error()) {
        warn(&format!("the OCR cache could not be written ({e}); pages will be read again next time"));
    }
    Ok(review)
}

/// `check` against OCR text already made by some OCR (`--ocr-text`): no scans, one pseudo-page
/// whose words have no boxes, so no second reading either.
pub fn check_with_ocr_text(opts: &CheckOptions, ocr_text: &std::path::Path, warn: Warn) -> Result<Review> {
    let bytes = std::fs::read(ocr_text).map_err(|e| Error::io(ocr_text, e))?;
    let text = transcript::decode(ocr_text, &bytes)?;
    check_with_pages(opts, vec![reading::page_from_text(ocr_text, &text)], warn)
}

/// `check` on pages already read (saved by `scanproof ocr`).
pub fn check_with_pages(opts: &CheckOptions, pages: Vec<OcrPage>, warn: Warn) -> Result<Review> {
    let document = read_transcript(opts, warn)?;
    let lexicon = load_lexicon(opts)?;
    warn_missing(&lexicon, warn);
    let mut review = review_pages(&document.transcript, &pages, &lexicon, opts, Vec::new(), None);
    refuse_unrelated(&review, opts)?;
    document.annotate(&mut review.flags);
    Ok(review)
}

/// Scans and a transcript that share almost nothing are the wrong pair: an error, not a report
/// saying there is nothing to review.
fn refuse_unrelated(review: &Review, opts: &CheckOptions) -> Result<()> {
    match review.shared {
        Some(shared) if shared.unrelated() => Err(Error::Unrelated {
            transcript: opts.transcript.clone(),
            matched: shared.matched,
            transcript_words: shared.transcript,
            scan_words: shared.scans,
        }),
        _ => Ok(()),
    }
}

/// `check` with OCR made elsewhere (`--ocr`: ALTO, hOCR or PAGE-XML files, their pages in
/// order). Scans given beside them lend each page its image and pixel size.
pub fn check_with_ocr_files(opts: &CheckOptions, ocr_files: &[PathBuf], warn: Warn) -> Result<Review> {
    let pages = read_ocr_files(ocr_files, &opts.scans, warn)?;
    check_with_pages(opts, pages, warn)
}

/// The pages of OCR files, fitted to the scans when there are any.
pub fn read_ocr_files(ocr_files: &[PathBuf], scans: &[PathBuf], warn: Warn) -> Result<Vec<OcrPage>> {
    let mut pages = Vec::new();
    for f in ocr_files {
        let (more, warnings) = formats::read_ocr_file(f, &formats::ReadOptions::default(), pages.len() + 1)?;
        warnings.iter().for_each(|w| warn(w));
        pages.extend(more);
    }
    if !scans.is_empty() {
        let paths = scan::collect_scan_paths(scans)?;
        if paths.len() != pages.len() {
            return Err(Error::Usage(format!(
                "{} scan page(s) but {} OCR page(s) in {}; give one OCR page per scan page, in order",
                paths.len(),
                pages.len(),
                ocr_files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )));
        }
        let sized =
            paths.into_iter().map(|p| scan::page_dimensions(&p).map(|(w, h)| (p, w, h))).collect::<Result<Vec<_>>>()?;
        formats::fit_to_scans(&mut pages, &sized);
    }
    Ok(pages)
}

/// Read the transcript as the options say, passing its warnings (a guessed encoding) on.
fn read_transcript(opts: &CheckOptions, warn: Warn) -> Result<formats::Document> {
    let document = formats::read_transcript(&opts.transcript, &opts.read)?;
    document.warnings.iter().for_each(|w| warn(w));
    Ok(document)
}

/// OCR only: the pages of `scans`, in order. A page that fails is an error here.
pub fn read_scans(
    scans: &[PathBuf],
    lang: &str,
    jobs: usize,
    on_page_done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<OcrPage>> {
    let paths = scan::collect_scan_paths(scans)?;
    for p in &paths {
        scan::check_page_file(p)?;
    }
    let settings = OcrSettings { lang: lang.to_string(), ..OcrSettings::default() };
    let results = ocr::recognize_pages(&paths, jobs, || Tesseract::new(&settings), on_page_done);
    let (pages, _, failures) = split_results(&paths, results?.0);
    match failures.into_iter().next() {
        Some(f) => Err(Error::BadImage { path: f.path, reason: f.error }),
        None => Ok(pages),
    }
}

fn load_lexicon(opts: &CheckOptions) -> Result<lexicon::Lexicon> {
    if opts.use_lexicon {
        lexicon::Lexicon::load(&opts.lang, &opts.dictionaries)
    } else {
        Ok(lexicon::Lexicon::empty())
    }
}

fn warn_missing(lexicon: &lexicon::Lexicon, warn: Warn) {
    for (code, why) in &lexicon.missing {
        warn(&format!("no dictionary for '{code}': {why}; lexicon evidence is off for it"));
    }
}

fn split_results(
    paths: &[PathBuf],
    results: Vec<ocr::PageResult>,
) -> (Vec<OcrPage>, Vec<image::GrayImage>, Vec<PageFailure>) {
    let (mut pages, mut images, mut failures) = (Vec::new(), Vec::new(), Vec::new());
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(read) => {
                pages.push(OcrPage {
                    index: i + 1,
                    path: paths[i].clone(),
                    width: read.image.width(),
                    height: read.image.height(),
                    words: read.words,
                    rotation: read.rotation,
                    skew: read.skew,
                });
                images.push(read.image);
            }
            Err(e) => failures.push(PageFailure { page: i + 1, path: paths[i].clone(), error: e.to_string() }),
        }
    }
    (pages, images, failures)
}

/// What reads the scan again where flags stand (the caller owns the engines and the pages):
/// the requests in, the readings by flag out.
pub type SecondReader<'a> = &'a mut dyn FnMut(&[reading::ReadRequest]) -> Vec<(usize, SecondReading)>;

/// The stages after OCR: align, weigh, assemble. Separate so tests and `--ocr` input can
/// start from pages already read.
pub fn review_pages(
    transcript: &Transcript,
    pages: &[OcrPage],
    lexicon: &lexicon::Lexicon,
    opts: &CheckOptions,
    failures: Vec<PageFailure>,
    second_reading: Option<SecondReader>,
) -> Review {
    let alignment = align::align(&transcript.tokens, pages, &opts.align);
    let witness_params = witness::Params::default();
    let witness = witness::cross_check(
        transcript,
        &alignment,
        lexicon,
        &opts.lang,
        opts.witness.as_ref(),
        opts.find_witness,
        &witness_params,
    );
    let mut flags = score::weigh_with_witness(transcript, pages, &alignment, lexicon, witness.as_ref(), &opts.score);
    if let Some(read) = second_reading {
        let readings = read(&score::reread_requests(&flags, &opts.score));
        score::add_second_readings(&mut flags, readings, lexicon, &opts.score);
    }
    if let Some(w) = &witness {
        w.amend_suggestions(transcript, &mut flags);
    }
    let translation_issues =
        witness.map(|w| w.translation_issues(transcript, &alignment, pages, &flags)).unwrap_or_default();
    let (per_page, total) = alignment.error_counts(&transcript.tokens, pages.len());
    let coverage = coverage::assess(transcript, pages, &alignment, &flags, &opts.coverage);

    let page_summaries = pages
        .iter()
        .enumerate()
        .map(|(p, page)| {
            let spans: Vec<_> = transcript
                .tokens
                .iter()
                .zip(&alignment.token_page)
                .filter(|(_, tp)| **tp == Some(p))
                .map(|(t, _)| t.chars.clone())
                .collect();
            let (words, words_verified) = coverage.pages[p];
            PageSummary {
                page: page.index,
                path: page.path.clone(),
                width: page.width,
                height: page.height,
                ocr_confidence: (page.mean_confidence() * 1000.0).round() / 1000.0,
                transcript_start: spans.first().map_or(0, |r| r.start),
                transcript_end: spans.last().map_or(0, |r| r.end),
                ocr_words: page.words.len(),
                cer: per_page[p].cer(),
                wer: per_page[p].wer(),
                flags_shown: flags.iter().filter(|f| f.shown && f.page == page.index).count(),
                coverage: coverage::ratio(words_verified, words),
                words,
                words_verified,
                rotation: page.rotation,
                skew: page.skew,
            }
        })
        .collect();

    let untranscribed = alignment
        .untranscribed
        .iter()
        .flat_map(|r| {
            // One entry per page of the run.
            let toks = &alignment.ocr_tokens[r.clone()];
            let mut out: Vec<Untranscribed> = Vec::new();
            for t in toks {
                let page = &pages[t.page];
                let bbox = page.words[t.words.clone()].iter().map(|w| w.bbox).fold(BBox::default(), BBox::union);
                match out.last_mut() {
                    Some(u) if u.page == page.index => {
                        u.bbox = u.bbox.union(bbox);
                        u.ocr.push(' ');
                        u.ocr.push_str(&t.text.replace('\n', " "));
                    }
                    _ => out.push(Untranscribed { page: page.index, bbox, ocr: t.text.replace('\n', " ") }),
                }
            }
            out
        })
        .collect();

    let flags_shown = flags.iter().filter(|f| f.shown).count();
    let stats = Stats {
        pages: pages.len() + failures.len(),
        transcript_words: alignment.region.len(),
        ocr_words: pages.iter().map(|p| p.words.len()).sum(),
        cer: total.cer(),
        wer: total.wer(),
        flags_shown,
        flags_total: flags.len(),
        coverage: coverage.share(),
        words_verified: coverage.words_verified,
        words_unverified: coverage.words_unverified,
        words_not_on_scans: coverage.words_not_on_scans,
    };
    Review {
        version: 1,
        transcript: TranscriptRef { path: transcript.path.clone(), sha256: transcript.sha256.clone() },
        languages: opts.lang.clone(),
        threshold: opts.score.threshold,
        pages: page_summaries,
        flags,
        untranscribed,
        not_on_scans: coverage.not_on_scans,
        stats,
        failures,
        translation_issues,
        unverified: coverage.unverified,
        lines: coverage.lines,
        scan_lines: coverage.scan_lines,
        shared: Some(alignment.shared_words(&transcript.tokens)),
    }
}
