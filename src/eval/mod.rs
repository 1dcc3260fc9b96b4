//! `scanproof eval`: how far to trust the checker on a collection. Pages with their correct
//! transcriptions in; for each page the checker is run on the clean transcription (every flag
//! there is a false alarm, unless it lands on a known real error) and on a copy with injected
//! errors; out come precision, recall and F1, a threshold sweep, recall by kind of error, and
//! the same figures for the "every difference" baseline on the same cases.

pub mod inject;

use crate::cache::OcrCache;
use crate::error::{Error, Result};
use crate::types::{Flag, OcrPage, Transcript};
use crate::{lexicon::Lexicon, ocr, reading, scan, transcript, CheckOptions};
use inject::ErrorKind;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub dir: PathBuf,
    pub check: CheckOptions,
    pub seed: u64,
    /// One injected error per this many words.
    pub rate: usize,
    /// Known real errors of the truth (TSV: page, start, end, ...), counted as neither right
    /// nor wrong; defaults to DIR/natural-errors.tsv when present.
    pub known: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Figures {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub true_flags: usize,
    pub false_flags: usize,
    pub found: usize,
    pub injected: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub pages: usize,
    pub words: usize,
    pub rate: usize,
    pub seed: u64,
    pub threshold: f32,
    pub checker: Figures,
    pub every_difference: Figures,
    pub sweep: Vec<(f32, Figures)>,
    pub recall_by_kind: BTreeMap<String, (usize, usize)>,
    /// Shown flags a page on the clean transcriptions that hit no known real error.
    pub other_flags_per_page: f64,
    pub every_difference_flags_per_page: f64,
    pub known_real_errors: usize,
    pub known_real_errors_found: usize,
    /// The clean run's shown flags that hit no known error, for a person to sort.
    pub other_flags: Vec<OtherFlag>,
    /// Injected errors no shown flag covered, with the best flag there if any.
    pub missed: Vec<Missed>,
    /// Known real errors that no shown flag covered: (page, transcript text there).
    pub known_missed: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Missed {
    pub error: inject::Injected,
    pub flag: Option<OtherFlag>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherFlag {
    pub page: String,
    /// Character offsets in the page's truth text (the columns of a known-errors list).
    pub start: usize,
    pub end: usize,
    /// Where on the scan, to look at it.
    pub bbox: crate::types::BBox,
    pub transcript: String,
    pub ocr: String,
    pub score: f32,
    pub evidence: Vec<String>,
}

impl OtherFlag {
    fn of(page: &str, f: &Flag) -> Self {
        let evidence = f.evidence.iter().map(|e| format!("{} {:+.2}: {}", e.kind, e.weight, e.note)).collect();
        OtherFlag {
            page: page.to_string(),
            start: f.start,
            end: f.end,
            bbox: f.bbox,
            transcript: f.transcript.clone(),
            ocr: f.ocr.clone(),
            score: f.score,
            evidence,
        }
    }
}

/// A flag of the corrupted run: its score, which injected error it lands on (if any), and
/// whether it lands on a known real error instead.
struct Scored {
    score: f32,
    hits: Vec<usize>,
    natural: bool,
}

fn overlaps(f: &Flag, r: &Range<usize>) -> bool {
    if f.start == f.end {
        return r.start <= f.start && f.start <= r.end;
    }
    f.start < r.end && r.start < f.end
}

/// Pairs of page image and truth in `dir`: NAME.(png|jpg|tif) with NAME.(txt|xml).
pub fn find_pairs(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let images = scan::collect_scan_paths(&[dir.to_path_buf()])?;
    let pairs: Vec<_> = images
        .into_iter()
        .filter_map(|img| ["txt", "xml"].iter().map(|e| img.with_extension(e)).find(|t| t.is_file()).map(|t| (img, t)))
        .collect();
    if pairs.is_empty() {
        return Err(Error::BadInput {
            path: dir.to_path_buf(),
            reason: "no page image has a same-name .txt or .xml transcription".into(),
        });
    }
    Ok(pairs)
}

fn read_known(path: &Path) -> Result<HashMap<String, Vec<Range<usize>>>> {
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

pub fn run(opts: &EvalOptions, warn: crate::Warn) -> Result<EvalReport> {
    let pairs = find_pairs(&opts.dir)?;
    let known_path = opts.known.clone().or_else(|| Some(opts.dir.join("natural-errors.tsv")).filter(|p| p.is_file()));
    let known = known_path.as_deref().map(read_known).transpose()?.unwrap_or_default();
    let truths: Vec<Transcript> = pairs.iter().map(|(_, t)| crate::formats::read_text(t)).collect::<Result<_>>()?;
    let paths: Vec<PathBuf> = pairs.iter().map(|(i, _)| i.clone()).collect();
    for p in &paths {
        scan::check_page_file(p)?;
    }
    ocr::find_tessdata(&opts.check.lang)?;
    let settings = ocr::OcrSettings { lang: opts.check.lang.clone(), ..ocr::OcrSettings::default() };
    // The same OCR cache as `check`: a second eval of the same pages reads none of them again.
    let cache = OcrCache::open_optional(opts.check.cache.as_deref(), warn);
    let make = || ocr::Tesseract::new(&settings);
    let read = reading::read_pages(&paths, &settings, opts.check.jobs, cache.as_ref(), &make, &|_| {})?;
    for failure in &read.failures {
        warn(&format!("{}: {}", failure.path.display(), failure.error));
    }
    let mut engines = read.engines;
    let lexicon = Lexicon::load(&opts.check.lang, &opts.check.dictionaries)?;
    for (code, why) in &lexicon.missing {
        warn(&format!("no dictionary for '{code}': {why}"));
    }

    let threshold = opts.check.score.threshold;
    let mut corrupted_flags: Vec<Scored> = Vec::new();
    let mut injected_all: Vec<(inject::Injected, bool)> = Vec::new(); // (error, found at threshold)
    let mut missed = Vec::new();
    let mut clean_other = 0usize;
    let mut clean_all = 0usize;
    let (mut natural_total, mut natural_found) = (0usize, 0usize);
    let mut other_flags = Vec::new();
    let mut known_missed = Vec::new();
    let mut words = 0usize;
    let pages_done = read.pages.len();
    for (n, read_page) in read.pages.iter().enumerate() {
        let i = read_page.index - 1;
        let name = paths[i].file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        // Each page is its own document here: page 1 of its review.
        let pages = [OcrPage { index: 1, ..read_page.clone() }];
        let source =
            [reading::PageSource { page: &pages[0], image: read.images[n].as_ref(), key: read.keys[n].as_ref() }];
        let natural = known.get(&name).cloned().unwrap_or_default();
        let truth = &truths[i];
        words += truth.tokens.len();
        let mut review = |t: &Transcript| -> Vec<Flag> {
            let mut reread = |flags: &mut [Flag]| {
                let held = std::mem::take(&mut engines);
                let jobs = opts.check.jobs;
                match reading::reread_doubtful(flags, &source, jobs, held, &make, cache.as_ref(), &opts.check.score) {
                    Ok(back) => engines = back,
                    Err(e) => warn(&format!("second readings skipped: {e}")),
                }
            };
            crate::review_pages(t, &pages, &lexicon, &opts.check, Vec::new(), Some(&mut reread)).flags
        };

        // Clean run: false alarms, and the real errors found.
        let clean = review(truth);
        natural_total += natural.len();
        for r in &natural {
            if clean.iter().any(|f| f.shown && overlaps(f, r)) {
                natural_found += 1;
            } else {
                let text: String = truth.text.chars().skip(r.start.saturating_sub(15)).take(r.len() + 30).collect();
                known_missed.push((name.clone(), text.replace('\n', "⏎")));
            }
        }
        for f in &clean {
            if natural.iter().any(|r| overlaps(f, r)) {
                continue;
            }
            clean_all += 1;
            if f.shown {
                clean_other += 1;
                other_flags.push(OtherFlag::of(&name, f));
            }
        }

        // Corrupted run.
        let corrupted = inject::inject(&truth.text, opts.rate, opts.seed.wrapping_add(i as u64), &lexicon, &natural);
        let t = transcript::from_text(&truth.path, corrupted.text.clone());
        let flags = review(&t);
        let base = injected_all.len();
        let mut found = vec![false; corrupted.injected.len()];
        for f in &flags {
            let hits: Vec<usize> = corrupted
                .injected
                .iter()
                .enumerate()
                .filter(|(_, inj)| overlaps(f, &(inj.start..inj.end)))
                .map(|(k, _)| k)
                .collect();
            if f.shown {
                for &k in &hits {
                    found[k] = true;
                }
            }
            let natural = hits.is_empty() && corrupted.protected.iter().any(|r| overlaps(f, r));
            corrupted_flags.push(Scored { score: f.score, hits: hits.iter().map(|k| base + k).collect(), natural });
        }
        for (inj, _) in corrupted.injected.iter().zip(&found).filter(|(_, f)| !**f) {
            let best =
                flags.iter().filter(|f| overlaps(f, &(inj.start..inj.end))).max_by(|a, b| a.score.total_cmp(&b.score));
            missed.push(Missed { error: inj.clone(), flag: best.map(|f| OtherFlag::of(&name, f)) });
        }
        injected_all.extend(corrupted.injected.into_iter().zip(found));
    }

    let figures_at = |t: f32| -> Figures {
        let shown: Vec<&Scored> = corrupted_flags.iter().filter(|f| f.score >= t).collect();
        let true_flags = shown.iter().filter(|f| !f.hits.is_empty()).count();
        let false_flags = shown.iter().filter(|f| f.hits.is_empty() && !f.natural).count();
        let mut hit = vec![false; injected_all.len()];
        for f in &shown {
            for &k in &f.hits {
                hit[k] = true;
            }
        }
        let found = hit.iter().filter(|h| **h).count();
        let precision = ratio(true_flags, true_flags + false_flags);
        let recall = ratio(found, injected_all.len());
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        Figures { precision, recall, f1, true_flags, false_flags, found, injected: injected_all.len() }
    };
    let mut recall_by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (inj, found) in &injected_all {
        let e = recall_by_kind.entry(inj.kind.name().to_string()).or_default();
        e.0 += *found as usize;
        e.1 += 1;
    }
    let _ = ErrorKind::Confusion;
    let pages = pages_done.max(1) as f64;
    Ok(EvalReport {
        pages: pages_done,
        words,
        rate: opts.rate,
        seed: opts.seed,
        threshold,
        checker: figures_at(threshold),
        every_difference: figures_at(f32::MIN),
        sweep: (1..=9).map(|k| k as f32 / 10.0).map(|t| (t, figures_at(t))).collect(),
        recall_by_kind,
        other_flags_per_page: clean_other as f64 / pages,
        every_difference_flags_per_page: clean_all as f64 / pages,
        known_real_errors: natural_total,
        known_real_errors_found: natural_found,
        other_flags,
        known_missed,
        missed,
    })
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The evaluation as a table a person reads.
pub fn render_text(r: &EvalReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(out, "{} pages, {} words, one injected error per {} words (seed {})", r.pages, r.words, r.rate, r.seed)?;
    writeln!(
        out,
        "{:<34} {:>9} {:>7} {:>6} {:>22}",
        "flagger", "precision", "recall", "F1", "other flags/page (clean)"
    )?;
    let row = |out: &mut dyn std::io::Write, name: &str, f: &Figures, other: f64| {
        writeln!(out, "{:<34} {:>9.2} {:>7.2} {:>6.2} {:>22.1}", name, f.precision, f.recall, f.f1, other)
    };
    row(out, &format!("scanproof (threshold {:.2})", r.threshold), &r.checker, r.other_flags_per_page)?;
    row(out, "every difference", &r.every_difference, r.every_difference_flags_per_page)?;
    writeln!(out, "\nthreshold sweep:")?;
    for (t, f) in &r.sweep {
        writeln!(out, "  {t:.1}: precision {:.2} recall {:.2} F1 {:.2}", f.precision, f.recall, f.f1)?;
    }
    writeln!(out, "\nrecall by kind of error:")?;
    for (k, (found, total)) in &r.recall_by_kind {
        writeln!(out, "  {k:<24} {found}/{total}")?;
    }
    if r.known_real_errors > 0 {
        writeln!(out, "\nknown real errors of the truth found: {}/{}", r.known_real_errors_found, r.known_real_errors)?;
    }
    Ok(())
}
