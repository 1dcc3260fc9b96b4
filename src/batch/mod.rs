//! Collections: a manifest of documents (CSV or JSON) in; one report per document and a
//! collection summary (per document: pages, flags, CER) out, in an output folder. Resumable:
//! a document whose inputs (scan and transcript bytes, settings) are unchanged since its last
//! report is skipped. `--shard i/n` takes a deterministic share of the manifest, so a cluster
//! can split a collection, and `merge` joins the shards' summaries. A failing document is
//! recorded and the others go on. Each document runs `check`; nothing here aligns or weighs.
//! Dictionaries and Tesseract engines are loaded once per language combination and shared by
//! every document of the run (`Resources`).

mod manifest;
mod progress;
mod summary;

pub use manifest::{read_manifest, Document, Shard};
pub use progress::{ConsoleProgress, Progress, Silent};
pub use summary::{merge, summary_name, DocumentSummary, Status, Summary, Totals};

use crate::error::{Error, Result};
use crate::report::{self, Format, TextStyle};
use crate::resources::Resources;
use crate::{CheckOptions, Review};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a batch run does besides `check` itself.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub manifest: PathBuf,
    pub output: PathBuf,
    /// The report written beside each document's JSON (which is always written: it is what
    /// resuming and `report` read).
    pub format: Format,
    /// Template for every document: languages (for documents without their own), jobs,
    /// dictionaries, thresholds, cache.
    pub check: CheckOptions,
    pub shard: Option<Shard>,
    /// Run every document again, changed or not.
    pub force: bool,
}

/// What a finished document leaves beside its reports, to know next time whether its inputs
/// changed.
#[derive(Debug, Serialize, Deserialize)]
struct State {
    inputs_sha256: String,
    summary: DocumentSummary,
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Text => "txt",
        Format::Json => "json",
        Format::Csv { .. } => "csv",
        Format::Markdown => "md",
        Format::Html => "html",
    }
}

/// Everything that decides a document's report: each scan file (name and bytes, in page
/// order) or the OCR text, the transcript bytes, and the settings. Dictionaries are hashed by
/// content too.
fn inputs_digest(doc: &Document, pages: &[PathBuf], opts: &BatchOptions, lang: &str) -> Result<String> {
    let mut h = Sha256::new();
    let mut file = |p: &Path| -> Result<()> {
        let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
        h.update(p.file_name().map_or_else(Vec::new, |n| n.as_encoded_bytes().to_vec()));
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
        Ok(())
    };
    for p in pages.iter().chain(&doc.ocr_text) {
        file(p)?;
    }
    file(&doc.transcript)?;
    for d in &opts.check.dictionaries {
        file(d)?;
    }
    let c = &opts.check;
    // Settings as text: Debug of the parameter structs covers every field they have.
    let settings = format!(
        "scanproof {}|tesseract {}|{lang}|lexicon {}|{:?}|{:?}|{:?}|{:?}",
        env!("CARGO_PKG_VERSION"),
        crate::ocr::tesseract_version(),
        c.use_lexicon,
        c.align,
        c.score,
        c.read,
        opts.format,
    );
    h.update(settings.as_bytes());
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// A document's plan for this run: skipped with its old row, to run, or failed already.
enum Plan {
    Skip(DocumentSummary),
    Run { pages: Vec<PathBuf>, digest: String },
    Fail(String),
}

fn plan(doc: &Document, opts: &BatchOptions, lang: &str) -> Plan {
    let pages = match crate::scan::collect_scan_paths(&doc.scans) {
        Ok(p) => p,
        Err(e) => return Plan::Fail(e.to_string()),
    };
    if let Some(missing) = doc.ocr_text.as_ref().filter(|p| !p.is_file()) {
        return Plan::Fail(Error::io(missing, std::io::Error::from(std::io::ErrorKind::NotFound)).to_string());
    }
    let digest = match inputs_digest(doc, &pages, opts, lang) {
        Ok(d) => d,
        Err(e) => return Plan::Fail(e.to_string()),
    };
    if !opts.force {
        let state = std::fs::read(opts.output.join(format!("{}.state.json", doc.id)))
            .ok()
            .and_then(|b| serde_json::from_slice::<State>(&b).ok());
        if let Some(s) = state.filter(|s| s.inputs_sha256 == digest) {
            let reports_there = opts.output.join(&s.summary.report).is_file()
                && opts.output.join(format!("{}.{}", doc.id, extension(opts.format))).is_file();
            if reports_there {
                let summary = DocumentSummary { index: doc.index, status: Status::Unchanged, ..s.summary };
                return Plan::Skip(summary);
            }
        }
    }
    Plan::Run { pages, digest }
}

/// Run a collection (or this run's shard of it) and write its summary; returns the summary.
pub fn run(opts: &BatchOptions, progress: &dyn Progress) -> Result<Summary> {
    let docs = read_manifest(&opts.manifest)?;
    std::fs::create_dir_all(&opts.output).map_err(|e| Error::io(&opts.output, e))?;
    let docs: Vec<Document> = docs.into_iter().filter(|d| opts.shard.is_none_or(|s| s.takes(d))).collect();
    let plans: Vec<Plan> = docs.iter().map(|d| plan(d, opts, d.lang.as_deref().unwrap_or(&opts.check.lang))).collect();
    // A document of OCR text counts as one page.
    progress.start(plans.iter().map(|p| if let Plan::Run { pages, .. } = p { pages.len().max(1) } else { 0 }).sum());
    let mut rows = Vec::with_capacity(docs.len());
    let mut to_run = Vec::new();
    for (doc, plan) in docs.iter().zip(plans) {
        match plan {
            Plan::Skip(row) => rows.push(row),
            Plan::Fail(error) => rows.push(failed(doc, String::new(), error)),
            Plan::Run { pages, digest } => to_run.push((doc, pages, digest)),
        }
    }
    for row in &rows {
        progress.document_done(row);
    }
    // Documents side by side as well as pages: a collection of one-page letters would
    // otherwise keep one core busy. The cores are shared out evenly (the report does not
    // depend on how many workers read a document).
    let workers = opts.check.jobs.clamp(1, to_run.len().max(1));
    let jobs_each = (opts.check.jobs / workers).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(to_run.len()));
    // One set of dictionaries and engines per language combination, for the whole run.
    let loaded: Mutex<HashMap<String, Arc<Resources>>> = Mutex::new(HashMap::new());
    let resources_for = |lang: &str| -> Arc<Resources> {
        let mut loaded = loaded.lock().unwrap_or_else(|e| e.into_inner());
        let c = &opts.check;
        loaded
            .entry(lang.to_string())
            .or_insert_with(|| Arc::new(Resources::new(lang, &c.dictionaries, c.use_lexicon)))
            .clone()
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((doc, pages, digest)) = to_run.get(k) else { return };
                progress.document_started(doc);
                let resources = resources_for(doc.lang.as_deref().unwrap_or(&opts.check.lang));
                let row = check_document(doc, pages.clone(), digest.clone(), jobs_each, opts, &resources, progress);
                progress.document_done(&row);
                done.lock().unwrap().push(row);
            });
        }
    });
    rows.extend(done.into_inner().unwrap());
    let summary = Summary::new(opts.shard.map(|s| format!("{}/{}", s.index, s.count)), rows);
    let json = opts.output.join(summary_name(opts.shard, "json"));
    report::write_atomically(&json, |w| summary.write_json(w))?;
    let csv = opts.output.join(summary_name(opts.shard, "csv"));
    report::write_atomically(&csv, |w| summary.write_csv(w))?;
    Ok(summary)
}

fn failed(doc: &Document, digest: String, error: String) -> DocumentSummary {
    DocumentSummary {
        index: doc.index,
        id: doc.id.clone(),
        status: Status::Error,
        pages: 0,
        pages_failed: 0,
        flags_shown: 0,
        flags_total: 0,
        cer: 0.0,
        wer: 0.0,
        transcript_words: 0,
        report: String::new(),
        inputs_sha256: digest,
        error: Some(error),
    }
}

/// Check one document and write its reports, then its state (last: a run cut short before it
/// checks the document again next time).
fn check_document(
    doc: &Document,
    pages: Vec<PathBuf>,
    digest: String,
    jobs: usize,
    opts: &BatchOptions,
    resources: &Resources,
    progress: &dyn Progress,
) -> DocumentSummary {
    let mut check = opts.check.clone();
    check.jobs = jobs;
    check.scans = pages;
    check.transcript = doc.transcript.clone();
    check.lang = resources.lang().to_string();
    let warn = |msg: &str| progress.warn(doc, msg);
    let review = match &doc.ocr_text {
        Some(ocr_text) => {
            let review = crate::check_ocr_text_using(&check, resources, ocr_text, &warn);
            progress.page_done();
            review
        }
        None => crate::check_using(&check, resources, &warn, &|_| progress.page_done()),
    };
    let review = match review {
        Ok(r) => r,
        Err(e) => return failed(doc, digest, e.to_string()),
    };
    match write_reports(doc, &review, &digest, opts) {
        Ok(row) => row,
        Err(e) => failed(doc, digest, e.to_string()),
    }
}

fn write_reports(doc: &Document, review: &Review, digest: &str, opts: &BatchOptions) -> Result<DocumentSummary> {
    let json_name = format!("{}.json", doc.id);
    report::write_atomically(&opts.output.join(&json_name), |w| report::render(review, Format::Json, &plain(), w))?;
    if opts.format != Format::Json {
        let name = format!("{}.{}", doc.id, extension(opts.format));
        report::write_atomically(&opts.output.join(name), |w| report::render(review, opts.format, &plain(), w))?;
    }
    let s = &review.stats;
    let row = DocumentSummary {
        index: doc.index,
        id: doc.id.clone(),
        status: Status::Done,
        pages: s.pages,
        pages_failed: review.failures.len(),
        flags_shown: s.flags_shown,
        flags_total: s.flags_total,
        cer: s.cer,
        wer: s.wer,
        transcript_words: s.transcript_words,
        report: json_name,
        inputs_sha256: digest.to_string(),
        error: None,
    };
    // A document with a failed page is checked again next time (the failure may pass).
    if review.failures.is_empty() {
        let state = State { inputs_sha256: digest.to_string(), summary: row.clone() };
        report::write_atomically(&opts.output.join(format!("{}.state.json", doc.id)), |w| {
            serde_json::to_writer(&mut *w, &state)?;
            writeln!(w)
        })?;
    }
    Ok(row)
}

fn plain() -> TextStyle {
    TextStyle { colour: false }
}
