//! scanproof: proof an existing transcription against its page scans.
//!
//! The pipeline, one module per stage, plain data between them (see `types`):
//! scan → ocr → transcript → align → evidence/score → report → review/apply.
//! This file runs the stages in order and assembles the `Review`; it holds no logic of its own.

pub mod align;
pub mod error;
pub mod eval;
pub mod evidence;
pub mod lexicon;
pub mod ocr;
pub mod report;
pub mod review;
pub mod scan;
pub mod score;
pub mod transcript;
pub mod types;

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
        }
    }
}

/// Warnings worth telling the user (on stderr) that do not stop the run.
pub type Warn<'a> = &'a (dyn Fn(&str) + Sync);

/// Run the whole check: OCR every page, align with the transcript, weigh each discrepancy.
/// Input errors (missing files, bad transcript, unknown language) fail before any OCR starts;
/// a page that fails during OCR is recorded in `Review::failures` and the others go on.
pub fn check(opts: &CheckOptions, warn: Warn, on_page_done: &(dyn Fn(usize) + Sync)) -> Result<Review> {
    let transcript = transcript::read_transcript(&opts.transcript)?;
    let paths = scan::collect_scan_paths(&opts.scans)?;
    for p in &paths {
        scan::check_page_file(p)?;
    }
    ocr::find_tessdata(&opts.lang)?;
    let settings = OcrSettings { lang: opts.lang.clone(), ..OcrSettings::default() };

    // The dictionaries load while the first pages are read.
    let (lexicon, results) = std::thread::scope(|s| {
        let lex = s.spawn(|| load_lexicon(opts));
        let results = ocr::recognize_pages(&paths, opts.jobs, || Tesseract::new(&settings), on_page_done);
        (lex.join().expect("dictionary loading does not panic"), results)
    });
    let lexicon = lexicon?;
    warn_missing(&lexicon, warn);
    let (results, mut engines) = results?;
    let (pages, images, failures) = split_results(&paths, results);
    let mut second_reading = |flags: &mut [Flag]| reread_doubtful(flags, &pages, &images, &mut engines, &opts.score);
    Ok(review_pages(&transcript, &pages, &lexicon, opts, failures, Some(&mut second_reading)))
}

/// The box of the OCR line(s) that a flag's box lies on.
fn line_box(page: &OcrPage, flag_box: BBox) -> BBox {
    let overlaps = |b: BBox| b.y < flag_box.y + flag_box.h && flag_box.y < b.y + b.h;
    let lines: std::collections::BTreeSet<usize> = page
        .words
        .iter()
        .filter(|w| overlaps(w.bbox) && w.bbox.x < flag_box.x + flag_box.w && flag_box.x < w.bbox.x + w.bbox.w)
        .map(|w| w.line)
        .collect();
    page.words.iter().filter(|w| lines.contains(&w.line)).map(|w| w.bbox).fold(flag_box, BBox::union)
}

/// Read the doubtful flags' crops again, spreading them over the engines, and re-score them.
pub(crate) fn reread_doubtful<R: ocr::Recognizer + Send>(
    flags: &mut [Flag],
    pages: &[OcrPage],
    images: &[image::GrayImage],
    engines: &mut [R],
    params: &score::Params,
) {
    let doubtful: Vec<usize> = (0..flags.len()).filter(|&i| score::worth_rereading(&flags[i], params)).collect();
    if doubtful.is_empty() || engines.is_empty() {
        return;
    }
    let image_of = |page: usize| pages.iter().position(|p| p.index == page).map(|i| (&pages[i], &images[i]));
    let chunk = doubtful.len().div_ceil(engines.len());
    let found: Vec<(usize, Evidence)> = std::thread::scope(|s| {
        let handles: Vec<_> = engines
            .iter_mut()
            .zip(doubtful.chunks(chunk))
            .map(|(engine, idxs)| {
                let flags = &*flags;
                s.spawn(move || {
                    idxs.iter()
                        .filter_map(|&i| {
                            let (page, img) = image_of(flags[i].page)?;
                            evidence::reread::reread(engine, img, line_box(page, flags[i].bbox), &flags[i])
                                .map(|e| (i, e))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a reread worker panicked")).collect()
    });
    for (i, e) in found {
        flags[i].evidence.push(e);
        score::rescore(&mut flags[i], params);
    }
}

/// `check` on pages already read (saved by `scanproof ocr`).
pub fn check_with_pages(opts: &CheckOptions, pages: Vec<OcrPage>, warn: Warn) -> Result<Review> {
    let transcript = transcript::read_transcript(&opts.transcript)?;
    let lexicon = load_lexicon(opts)?;
    warn_missing(&lexicon, warn);
    Ok(review_pages(&transcript, &pages, &lexicon, opts, Vec::new(), None))
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
            Ok((image, words)) => {
                pages.push(OcrPage {
                    index: i + 1,
                    path: paths[i].clone(),
                    width: image.width(),
                    height: image.height(),
                    words,
                });
                images.push(image);
            }
            Err(e) => failures.push(PageFailure { page: i + 1, path: paths[i].clone(), error: e.to_string() }),
        }
    }
    (pages, images, failures)
}

/// The stages after OCR: align, weigh, assemble. Separate so tests and `--ocr` input can
/// start from pages already read.
pub fn review_pages(
    transcript: &Transcript,
    pages: &[OcrPage],
    lexicon: &lexicon::Lexicon,
    opts: &CheckOptions,
    failures: Vec<PageFailure>,
    second_reading: Option<&mut dyn FnMut(&mut [Flag])>,
) -> Review {
    let alignment = align::align(&transcript.tokens, pages, &opts.align);
    let mut flags = score::weigh_discrepancies(transcript, pages, &alignment, lexicon, &opts.score);
    if let Some(reread) = second_reading {
        reread(&mut flags);
    }
    let (per_page, total) = alignment.error_counts(&transcript.tokens, pages.len());

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

    let not_on_scans = not_on_scans(transcript, &alignment);
    let flags_shown = flags.iter().filter(|f| f.shown).count();
    let stats = Stats {
        pages: pages.len() + failures.len(),
        transcript_words: alignment.region.len(),
        ocr_words: pages.iter().map(|p| p.words.len()).sum(),
        cer: total.cer(),
        wer: total.wer(),
        flags_shown,
        flags_total: flags.len(),
    };
    Review {
        version: 1,
        transcript: TranscriptRef { path: transcript.path.clone(), sha256: transcript.sha256.clone() },
        languages: opts.lang.clone(),
        threshold: opts.score.threshold,
        pages: page_summaries,
        flags,
        untranscribed,
        not_on_scans,
        stats,
        failures,
    }
}

/// Transcript text outside the scanned region (a citation header, a translation) and long
/// stretches inside it that the scans do not show: each reported once, as a range.
fn not_on_scans(transcript: &Transcript, alignment: &align::Alignment) -> Vec<NotOnScans> {
    let text = &transcript.text;
    let tokens = &transcript.tokens;
    let to_chars = |byte: usize| text[..byte].chars().count();
    let mut ranges: Vec<(usize, usize)> = Vec::new(); // byte ranges
    if tokens.is_empty() {
        return Vec::new();
    }
    let region = &alignment.region;
    if region.is_empty() {
        ranges.push((0, text.len()));
    } else {
        ranges.push((0, tokens[region.start].bytes.start));
        for r in &alignment.unread {
            ranges.push((tokens[r.start].bytes.start, tokens[r.end - 1].bytes.end));
        }
        ranges.push((tokens[region.end - 1].bytes.end, text.len()));
    }
    ranges
        .into_iter()
        .filter_map(|(a, b)| {
            let slice = &text[a..b];
            let lead = slice.len() - slice.trim_start().len();
            let trimmed = slice.trim();
            if trimmed.is_empty() {
                return None;
            }
            let (a, b) = (a + lead, a + lead + trimmed.len());
            let collapsed: String = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut preview: String = collapsed.chars().take(100).collect();
            if collapsed.chars().count() > 100 {
                preview.push('…');
            }
            Some(NotOnScans { start: to_chars(a), end: to_chars(b), preview })
        })
        .collect()
}
