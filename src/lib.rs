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
pub mod policy;
pub mod problem;
pub mod reading;
pub mod report;
pub mod resources;
pub mod review;
pub mod scan;
pub mod score;
pub mod synthetic;
pub mod train;
pub mod transcript;
pub mod types;
pub mod variants;
pub mod witness;
pub mod word_diff;

pub use error::{Error, Result};
pub use types::Review;

use crate::ocr::{OcrSettings, Tesseract};
use crate::resources::Resources;
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
    /// The IIIF Image API size canvases are read at (`max`).
    pub iiif_size: String,
    /// Where IIIF images are kept when there is no cache (`--no-cache`): a folder of the run.
    pub downloads: Option<PathBuf>,
    /// The transcription policy as the command line gives it; `check` completes it from the
    /// `scanproof.toml` beside the transcript (into `read.policy` and `score.rules`).
    pub policy: policy::Choice,
    /// How much reading each page gets (`--reading`).
    pub reading: ocr::Reading,
}

impl CheckOptions {
    /// How its pages are read.
    pub fn ocr_settings(&self) -> OcrSettings {
        OcrSettings { lang: self.lang.clone(), reading: self.reading, ..OcrSettings::default() }
    }

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
            iiif_size: "max".into(),
            downloads: None,
            policy: policy::Choice::default(),
            reading: ocr::Reading::default(),
        }
    }
}

/// Warnings worth telling the user (on stderr) that do not stop the run.
pub type Warn<'a> = &'a (dyn Fn(&str) + Sync);

/// Run the whole check: OCR every page, align with the transcript, weigh each discrepancy.
/// Input errors (missing files, bad transcript, unknown language) fail before any OCR starts;
/// a page that fails during OCR is recorded in `Review::failures` and the others go on.
pub fn check(opts: &CheckOptions, warn: Warn, on_page_done: &(dyn Fn(usize) + Sync)) -> Result<Review> {
    check_using(opts, &resources_for(opts), warn, on_page_done)
}

/// What `check` loads for `opts`, to share between documents of the same languages.
pub fn resources_for(opts: &CheckOptions) -> Resources {
    Resources::new(opts.ocr_settings(), &opts.dictionaries, opts.use_lexicon)
}

/// `check` with the dictionaries and engines of `resources` (made for `opts.lang`, with the
/// same dictionaries), which keep them for the next document.
pub fn check_using(
    opts: &CheckOptions,
    resources: &Resources,
    warn: Warn,
    on_page_done: &(dyn Fn(usize) + Sync),
) -> Result<Review> {
    debug_assert_eq!(resources.lang(), opts.lang);
    let opts = &with_policy(opts)?;
    let document = read_transcript(opts, warn)?;
    let transcript = &document.transcript;
    let scans = collect_scans(opts, &document)?;
    let paths = &scans.paths;
    ocr::find_tessdata(&opts.lang)?;
    let settings = resources.settings();
    let cache = cache::OcrCache::open_optional(opts.cache.as_deref(), warn);
    let make = || resources.engine();

    // The dictionaries load (the first time) while the first pages are read.
    let (lexicon, read) = std::thread::scope(|s| {
        let lex = s.spawn(|| resources.lexicon());
        let preloaded = resources.take_preloaded(paths);
        let read = reading::read_pages(paths, preloaded, settings, opts.jobs, cache.as_ref(), &make, on_page_done);
        (lex.join().expect("dictionary loading does not panic"), read)
    });
    let (lexicon, mut read) = match (lexicon, read) {
        (Ok(lexicon), Ok(read)) => (lexicon, read),
        (Err(e), read) => {
            resources.give_back(read.map(|r| r.engines).unwrap_or_default());
            return Err(e);
        }
        (Ok(_), Err(e)) => return Err(e),
    };
    warn_missing(lexicon, warn);
    // Pages are numbered in the order of all scans, fetched or not.
    for page in &mut read.pages {
        page.index = scans.numbers[page.index - 1];
    }
    for failure in &mut read.failures {
        failure.page = scans.numbers[failure.page - 1];
    }
    let mut failures = read.failures.clone();
    failures.extend(scans.failures.iter().cloned());
    failures.sort_by_key(|f| f.page);
    let sources: Vec<reading::PageSource> = (0..read.pages.len())
        .map(|i| reading::PageSource {
            page: &read.pages[i],
            image: read.images[i].as_ref(),
            key: read.keys[i].as_ref(),
        })
        .collect();
    let mut engines = read.engines;
    let mut second_reading = |requests: &[reading::ReadRequest]| {
        let held = std::mem::take(&mut engines);
        match reading::second_readings(requests, &sources, opts.jobs, held, &make, cache.as_ref()) {
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
    let mut review = review_pages(transcript, &read.pages, lexicon, opts, failures, Some(&mut second_reading));
    resources.give_back(engines);
    refuse_unrelated(&review, opts)?;
    document.annotate_review(&mut review);
    scans.annotate_review(&mut review);
    if let Some(e) = cache.as_ref().and_then(|c| c.write_error()) {
        warn(&format!("the OCR cache could not be written ({e}); pages will be read again next time"));
    }
    Ok(review)
}

/// `check` against OCR text already made by some OCR (`--ocr-text`): no scans, one pseudo-page
/// whose words have no boxes, so no second reading either.
pub fn check_with_ocr_text(opts: &CheckOptions, ocr_text: &std::path::Path, warn: Warn) -> Result<Review> {
    check_ocr_text_using(opts, &resources_for(opts), ocr_text, warn)
}

/// `check_with_ocr_text` with shared `resources` (see `check_using`).
pub fn check_ocr_text_using(
    opts: &CheckOptions,
    resources: &Resources,
    ocr_text: &std::path::Path,
    warn: Warn,
) -> Result<Review> {
    let bytes = std::fs::read(ocr_text).map_err(|e| Error::io(ocr_text, e))?;
    let text = transcript::decode(ocr_text, &bytes)?;
    check_pages_using(opts, resources, vec![reading::page_from_text(ocr_text, &text)], warn)
}

/// `check` on pages already read (saved by `scanproof ocr`).
pub fn check_with_pages(opts: &CheckOptions, pages: Vec<OcrPage>, warn: Warn) -> Result<Review> {
    check_pages_using(opts, &resources_for(opts), pages, warn)
}

fn check_pages_using(opts: &CheckOptions, resources: &Resources, pages: Vec<OcrPage>, warn: Warn) -> Result<Review> {
    let opts = &with_policy(opts)?;
    let document = read_transcript(opts, warn)?;
    let lexicon = resources.lexicon()?;
    warn_missing(lexicon, warn);
    let mut review = review_pages(&document.transcript, &pages, lexicon, opts, Vec::new(), None);
    refuse_unrelated(&review, opts)?;
    document.annotate_review(&mut review);
    Ok(review)
}

/// `opts` with the policy's rules for its transcript: the command line's over the
/// `scanproof.toml` beside it (or given with `--config`).
fn with_policy(opts: &CheckOptions) -> Result<CheckOptions> {
    let rules = opts.policy.rules_for(&opts.transcript, opts.read.policy)?;
    let mut opts = opts.clone();
    opts.read.policy = rules.preset;
    opts.score.rules = rules;
    Ok(opts)
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

/// The pages of a check, in order: files, pages of multi-page files, and IIIF canvases.
#[derive(Debug, Default)]
struct Scans {
    /// The page images to read (for a canvas, its downloaded image).
    paths: Vec<PathBuf>,
    /// The page number of each of `paths` (canvases that could not be fetched have numbers too).
    numbers: Vec<usize>,
    /// Canvases by page number.
    canvases: Vec<(usize, scan::iiif::Fetched)>,
    /// Canvases that could not be fetched or are not images.
    failures: Vec<PageFailure>,
}

impl Scans {
    /// The canvas of each IIIF page, its label, and each flag's region on it.
    fn annotate_review(&self, review: &mut Review) {
        if self.canvases.is_empty() {
            return;
        }
        for page in &mut review.pages {
            if let Some((_, f)) = self.canvases.iter().find(|(n, _)| *n == page.page) {
                page.iiif = Some(scan::iiif::page_info(f, page.width, page.height));
                if page.label.is_none() {
                    page.label = f.canvas.label.clone();
                }
            }
        }
        scan::iiif::locate_flags(review);
    }
}

/// The scans of a check: the arguments (files, folders, IIIF manifests), or when there are
/// none the scans a TEI transcript's `<pb facs>` name (files beside it, or image URLs).
fn collect_scans(opts: &CheckOptions, document: &formats::Document) -> Result<Scans> {
    use scan::iiif;
    let mut inputs: Vec<(PathBuf, bool)> = opts.scans.iter().map(|p| (p.clone(), iiif::is_manifest(p))).collect();
    if inputs.is_empty() {
        let base = opts.transcript.parent().unwrap_or(std::path::Path::new(""));
        let named: Vec<&str> =
            document.tei.iter().flat_map(|t| t.page_breaks.iter().filter_map(|b| b.facs.as_deref())).collect();
        if named.is_empty() {
            return Err(Error::Usage(format!(
                "no scans given, and {} names none (a TEI <pb facs=\"…\"> does); give the page images",
                opts.transcript.display()
            )));
        }
        inputs = named
            .into_iter()
            .map(|f| if iiif::is_url(f) { (PathBuf::from(f), false) } else { (base.join(f), false) })
            .collect();
    }
    let folder =
        || -> Result<PathBuf> {
            opts.cache.as_ref().map(|c| c.join("iiif")).or_else(|| opts.downloads.clone()).ok_or_else(|| {
                Error::Usage("IIIF scans need a folder to keep their images in: give --cache DIR".into())
            })
        };
    let mut scans = Scans::default();
    let mut counts = iiif::Counts::default();
    let fetched_page = |scans: &mut Scans,
                        n: usize,
                        f: Option<iiif::Fetched>,
                        image: std::result::Result<PathBuf, String>,
                        url: &str| {
        let what = f.as_ref().map_or(url.to_string(), |f| format!("canvas {}", f.canvas.id));
        match image.and_then(|p| scan::check_page_file(&p).map(|_| p).map_err(|e| e.to_string())) {
            Ok(path) => {
                scans.paths.push(path);
                scans.numbers.push(n);
                if let Some(f) = f {
                    scans.canvases.push((n, f));
                }
            }
            Err(error) => scans.failures.push(PageFailure {
                page: n,
                path: PathBuf::from(url),
                error: format!("{what}: {error}"),
            }),
        }
    };
    let mut next = 1;
    for (input, manifest) in inputs {
        let text = input.to_string_lossy().into_owned();
        if manifest {
            let fetch = iiif::Options { size: opts.iiif_size.clone(), folder: folder()? };
            let canvases = iiif::fetch_manifest(&input, &fetch, &mut counts).map_err(|reason| Error::BadInput {
                path: input.clone(),
                reason: format!("IIIF manifest: {reason}"),
            })?;
            for f in canvases {
                let (image, url) = (f.image.clone(), f.url.clone());
                fetched_page(&mut scans, next, Some(f), image, &url);
                next += 1;
            }
        } else if iiif::is_url(&text) {
            let image = iiif::fetch_image(&text, &folder()?, &mut counts);
            fetched_page(&mut scans, next, None, image, &text);
            next += 1;
        } else {
            for p in scan::collect_scan_paths(std::slice::from_ref(&input))? {
                scan::check_page_file(&p)?;
                scans.paths.push(p);
                scans.numbers.push(next);
                next += 1;
            }
        }
    }
    if scans.paths.is_empty() {
        if let Some(f) = scans.failures.first() {
            return Err(Error::BadImage { path: f.path.clone(), reason: f.error.clone() });
        }
    }
    Ok(scans)
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
    // Read as `check` reads them, so that `check --ocr-json` weighs what `check` would.
    let settings = OcrSettings { lang: lang.to_string(), ..OcrSettings::default() };
    let results = ocr::recognize_pages(&paths, jobs, || Tesseract::new(&settings), on_page_done);
    let (pages, _, failures) = split_results(&paths, results?.0);
    match failures.into_iter().next() {
        Some(f) => Err(Error::BadImage { path: f.path, reason: f.error }),
        None => Ok(pages),
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
                    unread: read.unread,
                });
                images.push(read.image);
            }
            Err(e) => failures.push(PageFailure { page: i + 1, path: paths[i].clone(), error: e.to_string() }),
        }
    }
    (pages, images, failures)
}

pub use reading::SecondReader;

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
    let mut flags = score::weigh_with_witness(
        transcript,
        pages,
        &alignment,
        lexicon,
        witness.as_ref(),
        &opts.score,
        second_reading,
    );
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
                label: None,
                iiif: None,
                coverage: coverage::ratio(words_verified, words),
                words,
                words_verified,
                rotation: page.rotation,
                skew: page.skew,
            }
        })
        .collect();

    // A skipped line shown as a flag is reported once, as the flag.
    let skipped: Vec<(usize, BBox)> =
        flags.iter().filter(|f| f.shown && f.problem == Problem::OmittedLine).map(|f| (f.page, f.bbox)).collect();
    let untranscribed = alignment
        .untranscribed
        .iter()
        .filter(|r| {
            let page = |t: &OcrToken| pages[t.page].index;
            let toks = &alignment.ocr_tokens[(*r).clone()];
            let bbox = toks
                .iter()
                .flat_map(|t| pages[t.page].words[t.words.clone()].iter().map(|w| w.bbox))
                .fold(BBox::default(), BBox::union);
            !toks.first().is_some_and(|t| skipped.contains(&(page(t), bbox)))
        })
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
        flags_tolerated: flags
            .iter()
            .filter(|f| f.score >= opts.score.threshold && !opts.score.rules.counts(f.rule))
            .count(),
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
        policy: opts.score.rules,
        reading: opts.reading,
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
        shared: Some(alignment.shared_words(&transcript.tokens, pages, &opts.align)),
    }
}
