//! `scanproof eval`: how far to trust the checker on a collection. Pages with their correct
//! transcriptions in; for each page the checker is run on the clean transcription (every flag
//! there is a false alarm, unless it lands on a known real error) and on a copy with injected
//! errors; out come precision, recall and F1, a threshold sweep, recall by kind of error, a
//! reliability table of the scores, and the same figures for the "every difference" baseline.
//!
//! With `--folds K` every figure is held out: the documents are split into K folds, and each
//! fold is scored by a model trained on the other folds (and on `--train-with` folders), never
//! on its own pages.

pub mod corpus;
mod dump;
pub mod inject;
mod metrics;

use crate::error::{Error, Result};
use crate::model::learn::{self, LearnOptions};
use crate::model::Provenance;
use crate::{scan, score, CheckOptions};
use corpus::{CorpusOptions, Folder, PageRun};
pub use metrics::{Calibration, EvalReport, Figures, FoldSummary, Missed, OtherFlag};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub dir: PathBuf,
    pub check: CheckOptions,
    pub seed: u64,
    /// One injected error per this many words.
    pub rate: usize,
    pub mix: inject::Mix,
    /// Lists of known real errors of the truth (TSV: page, start, end, ...), by page name: on
    /// the pages scored they count as neither right nor wrong, on the pages trained on as
    /// errors. Each folder's own natural-errors.tsv is read as well.
    pub known: Vec<PathBuf>,
    /// Hold out by document: K folds, each scored by a model trained on the others.
    pub folds: Option<usize>,
    /// Folders always trained on when folds are made (never scored).
    pub train_with: Vec<Folder>,
    /// Seeds of the injection on the training pages (more seeds, more examples).
    pub train_seeds: Vec<u64>,
    /// Rates of the injection on the training pages (each page and seed draws one); empty:
    /// `rate`.
    pub train_rates: Vec<usize>,
    /// L2 penalty of the models trained for the folds.
    pub l2: f32,
    /// Write every candidate, weighed, with the truth about it here (JSON lines, `dump.rs`).
    pub candidates: Option<PathBuf>,
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

/// The known real errors of the folder scored and of the folders trained with.
fn known_errors(opts: &EvalOptions) -> Result<std::collections::HashMap<String, Vec<std::ops::Range<usize>>>> {
    let scored = Folder { dir: opts.dir.clone(), lang: None };
    let folders: Vec<Folder> = std::iter::once(scored).chain(opts.train_with.iter().cloned()).collect();
    corpus::known_of(&folders, &opts.known)
}

pub fn run(opts: &EvalOptions, warn: crate::Warn) -> Result<EvalReport> {
    let folder = Folder { dir: opts.dir.clone(), lang: Some(opts.check.lang.clone()) };
    let pages = corpus::pages(&[folder], &opts.check.lang)?;
    let corpus_opts = CorpusOptions {
        check: opts.check.clone(),
        seeds: vec![opts.seed],
        rates: vec![opts.rate],
        mix: opts.mix.clone(),
        known: known_errors(opts)?,
    };
    let runs = corpus::run(&pages, &corpus_opts, warn)?;
    let threshold = opts.check.score.threshold;
    let Some(k) = opts.folds.filter(|k| *k >= 2) else {
        let scored: Vec<PageRun> = runs.iter().map(|r| rescored(r, &opts.check.score)).collect();
        write_candidates(opts, &[("scored", &scored)])?;
        return Ok(metrics::measure(&scored, opts, Vec::new()));
    };
    let extra = if opts.train_with.is_empty() {
        Vec::new()
    } else {
        let train_pages = corpus::pages(&opts.train_with, &opts.check.lang)?;
        let rates = if opts.train_rates.is_empty() { vec![opts.rate] } else { opts.train_rates.clone() };
        let train_opts = CorpusOptions { seeds: opts.train_seeds.clone(), rates, ..corpus_opts };
        corpus::run(&train_pages, &train_opts, warn)?
    };
    let assignment = fold_of_documents(&runs, k);
    let mut scored: Vec<PageRun> = Vec::new();
    let mut summaries = Vec::new();
    for fold in 0..k {
        let held: Vec<&PageRun> = runs.iter().zip(&assignment).filter(|(_, f)| **f == fold).map(|(r, _)| r).collect();
        if held.is_empty() {
            continue;
        }
        let training: Vec<PageRun> = runs
            .iter()
            .zip(&assignment)
            .filter(|(_, f)| **f != fold)
            .map(|(r, _)| r.clone())
            .chain(extra.iter().cloned())
            .collect();
        let model = learn::learn(
            &corpus::examples(&training),
            &LearnOptions { l2: opts.l2, base: None, provenance: Provenance::default(), ..LearnOptions::default() },
        );
        let params = score::Params { model: Arc::new(model), threshold, ..opts.check.score.clone() };
        let fold_runs: Vec<PageRun> = held.iter().map(|r| rescored(r, &params)).collect();
        let mut docs: Vec<String> = fold_runs.iter().map(|r| r.doc.clone()).collect();
        docs.dedup();
        summaries.push(FoldSummary {
            fold,
            documents: docs,
            pages: fold_runs.len(),
            checker: metrics::measure(&fold_runs, opts, Vec::new()).checker,
        });
        scored.extend(fold_runs);
    }
    // Back in page order.
    scored.sort_by_key(|r| runs.iter().position(|x| x.name == r.name));
    let trained: Vec<PageRun> = extra.iter().map(|r| rescored(r, &opts.check.score)).collect();
    write_candidates(opts, &[("scored", &scored), ("train", &trained)])?;
    Ok(metrics::measure(&scored, opts, summaries))
}

/// `--candidates FILE`: the sets of page runs as JSON lines, written atomically.
fn write_candidates(opts: &EvalOptions, sets: &[(&str, &[PageRun])]) -> Result<()> {
    let Some(path) = &opts.candidates else { return Ok(()) };
    crate::report::write_atomically(path, |w| sets.iter().try_for_each(|(set, runs)| dump::write(runs, set, w)))
}

/// Documents into `k` folds, in name order round-robin: every page of a document in one fold.
pub fn fold_of_documents(runs: &[PageRun], k: usize) -> Vec<usize> {
    let mut docs: Vec<&str> = runs.iter().map(|r| r.doc.as_str()).collect();
    docs.sort_unstable();
    docs.dedup();
    runs.iter().map(|r| docs.iter().position(|d| *d == r.doc).unwrap_or(0) % k).collect()
}

/// A page's runs weighed by another model: what `check` would have said with it.
pub fn rescored(run: &PageRun, params: &score::Params) -> PageRun {
    let mut run = run.clone();
    let all = run.clean.iter_mut().chain(run.corrupted.iter_mut().flat_map(|c| c.flags.iter_mut()));
    for f in all {
        score::rescore(f, params);
    }
    run
}

/// The evaluation as a table a person reads.
pub fn render_text(r: &EvalReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    metrics::render_text(r, out)
}
