//! `scanproof train`: a model from pages with correct transcriptions (errors injected, as in
//! `eval`) and from reviewers' decisions on saved reports. Pages and decisions become labeled
//! flags; `model::learn` fits the weights.

use crate::error::{Error, Result};
use crate::eval::corpus::{self, CorpusOptions, Folder};
use crate::eval::inject::Mix;
use crate::model::learn::{self, Example, LearnOptions};
use crate::model::Model;
use crate::review::decisions::{self, Action};
use crate::CheckOptions;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct TrainOptions {
    pub folders: Vec<Folder>,
    pub check: CheckOptions,
    pub seeds: Vec<u64>,
    /// One injected error per this many words; several: each page and seed draws one.
    pub rates: Vec<usize>,
    pub mix: Mix,
    /// Lists of known real errors of the truth (beside each folder's natural-errors.tsv),
    /// which count as errors.
    pub known: Vec<PathBuf>,
    /// Reports and the decisions made on them.
    pub reviewed: Vec<(PathBuf, PathBuf)>,
    /// How much one decision counts against one injected error.
    pub decision_weight: f32,
    pub learn: LearnOptions,
}

pub fn train(opts: &TrainOptions, warn: crate::Warn) -> Result<Model> {
    let mut examples = Vec::new();
    let mut learn_opts = opts.learn.clone();
    if !opts.folders.is_empty() {
        let pages = corpus::pages(&opts.folders, &opts.check.lang)?;
        let known = corpus::known_of(&opts.folders, &opts.known)?;
        let corpus_opts = CorpusOptions {
            check: opts.check.clone(),
            seeds: opts.seeds.clone(),
            rates: opts.rates.clone(),
            mix: opts.mix.clone(),
            known,
        };
        let runs = corpus::run(&pages, &corpus_opts, warn)?;
        examples.extend(corpus::examples(&runs));
        let mut docs: Vec<&str> = runs.iter().map(|r| r.doc.as_str()).collect();
        docs.sort_unstable();
        docs.dedup();
        learn_opts.provenance.sources.extend(opts.folders.iter().map(|f| f.dir.display().to_string()));
        learn_opts.provenance.pages += runs.len();
        learn_opts.provenance.documents += docs.len();
    }
    for (report, decided) in &opts.reviewed {
        let found = reviewed_examples(report, decided, opts.decision_weight)?;
        if found.is_empty() {
            warn(&format!("{}: no decision matches a flag of {}", decided.display(), report.display()));
        }
        examples.extend(found);
        learn_opts.provenance.refined_with.push(decided.display().to_string());
    }
    if examples.is_empty() {
        return Err(Error::Usage("nothing to train on: give folders of pages, or --report with --decisions".into()));
    }
    Ok(learn::learn(&examples, &learn_opts))
}

/// The decided flags of a report, labeled by the decisions: accepted or edited, the transcript
/// was wrong; rejected, the OCR was.
pub fn reviewed_examples(report: &Path, decided: &Path, weight: f32) -> Result<Vec<Example>> {
    let review = crate::report::read_review(report)?;
    let decisions = decisions::read_decisions(decided)?;
    let by_id: HashMap<&str, Action> = decisions.decisions.iter().map(|d| (d.id.as_str(), d.action)).collect();
    let examples: Vec<Example> = review
        .flags
        .iter()
        .filter_map(|f| {
            let action = by_id.get(f.id.as_str())?;
            if f.evidence.iter().all(|e| e.features.is_empty()) {
                return None;
            }
            Some(Example {
                evidence: f.evidence.clone(),
                label: *action != Action::Reject,
                weight,
                doc: review.transcript.path.display().to_string(),
            })
        })
        .collect();
    if !decisions.decisions.is_empty()
        && examples.is_empty()
        && review.flags.iter().all(|f| f.evidence.iter().all(|e| e.features.is_empty()))
    {
        return Err(Error::BadInput {
            path: report.to_path_buf(),
            reason: "its flags carry no features (a report of an older scanproof); check the scans again".into(),
        });
    }
    Ok(examples)
}
