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

pub use manifest::{read_manifest, Document, Manifest, Shard};
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
    /// Exit 1 when a document or one of its pages has a lower coverage than this (1: any
    /// unverified word).
    pub min_coverage: f32,
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
fn inputs_digest(doc: &Document, pages: &[PathBuf], opts: &BatchOptions, lang: &str) -> Result<[u8; 32]> {
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
        "scanproof {}|tesseract {}|{lang}|lexicon {}|{:?}|{:?}|{:?}|{:?}|{:?}",
        env!("CARGO_PKG_VERSION"),
        crate::ocr::tesseract_version(),
        c.use_lexicon,
        c.reading,
        c.align,
        c.score,
        c.read,
        opts.format,
    );
    h.update(settings.as_bytes());
    Ok(h.finalize().into())
}

/// A document's plan for this run: skipped with its old row, to run, or failed already.
enum Plan {
    Skip(DocumentSummary),
    Run { pages: Vec<PathBuf>, digest: [u8; 32] },
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
        if let Some(s) = read_state(doc, opts).ok().filter(|s| s.inputs_sha256 == hex(&digest)) {
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

fn read_state(doc: &Document, opts: &BatchOptions) -> std::result::Result<State, String> {
    let path = opts.output.join(format!("{}.state.json", doc.id));
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e).to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a document of this run stands, kept small: a run holds this for every document, and
/// reads the rows back from the documents' state files to write the summary, so its memory
/// does not grow with the collection (a 10,000-document manifest checked against OCR text
/// peaks within a few percent of a 1,000-document one; README, "Collections").
enum Standing {
    /// Skipped: its row is in its state file.
    Unchanged,
    /// To check, with the digest of its inputs; once checked, its row is in its state file.
    Checked([u8; 32]),
    /// A row in no state file (the document or a page of it failed), kept.
    Kept(Box<DocumentSummary>),
}

/// What a run did. Its rows are in the summary files it wrote.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub totals: Totals,
    /// Documents that failed, or had a page fail.
    pub failed: usize,
    /// The summary written (JSON; the CSV is beside it).
    pub summary: PathBuf,
}

impl Outcome {
    /// Exit status as for `check`: 2 when a document or a page failed, 1 when flags are
    /// shown or text is verified below `min_coverage`, 0 otherwise.
    pub fn exit_code(&self, min_coverage: f32) -> u8 {
        summary::exit_code(self.failed > 0, &self.totals, min_coverage)
    }
}

/// Run a collection (or this run's shard of it) and write its summary. The manifest is read
/// three times (plan, check, summary) rather than held.
pub fn run(opts: &BatchOptions, progress: &dyn Progress) -> Result<Outcome> {
    let manifest = Manifest::open(&opts.manifest)?;
    std::fs::create_dir_all(&opts.output).map_err(|e| Error::io(&opts.output, e))?;
    let shard_documents = || -> Result<_> {
        let docs = manifest.documents()?;
        Ok(docs.filter(|d| d.as_ref().map_or(true, |d| opts.shard.is_none_or(|s| s.takes(d)))).enumerate())
    };
    let lang_of = |doc: &Document| doc.lang.clone().unwrap_or_else(|| opts.check.lang.clone());

    // Plan every document: skipped, failed already, or to check.
    let mut standing = Vec::new();
    let (mut totals, mut failed_docs, mut pages, mut to_check) = (Totals::default(), 0, 0, 0);
    for (_, doc) in shard_documents()? {
        let doc = doc?;
        standing.push(match plan(&doc, opts, &lang_of(&doc)) {
            Plan::Skip(row) => {
                progress.document_done(&row);
                totals.add(&row);
                Standing::Unchanged
            }
            Plan::Fail(error) => {
                let row = failed(&doc, String::new(), error);
                progress.document_done(&row);
                totals.add(&row);
                failed_docs += 1;
                Standing::Kept(Box::new(row))
            }
            Plan::Run { pages: p, digest } => {
                // A document of OCR text counts as one page.
                pages += p.len().max(1);
                to_check += 1;
                Standing::Checked(digest)
            }
        });
    }
    progress.start(pages);

    // Documents side by side as well as pages: a collection of one-page letters would
    // otherwise keep one core busy. The cores are shared out evenly (the report does not
    // depend on how many workers read a document).
    let workers = opts.check.jobs.clamp(1, to_check.max(1));
    let jobs_each = (opts.check.jobs / workers).max(1);
    let queue = Mutex::new(shard_documents()?);
    let tally = Mutex::new((totals, failed_docs, Vec::new(), None::<Error>));
    // One set of dictionaries and engines per language combination, for the whole run.
    let loaded: Mutex<HashMap<String, Arc<Resources>>> = Mutex::new(HashMap::new());
    let resources_for = |lang: &str| -> Arc<Resources> {
        let mut loaded = loaded.lock().unwrap_or_else(|e| e.into_inner());
        let c = &opts.check;
        loaded
            .entry(lang.to_string())
            .or_insert_with(|| {
                let settings = crate::ocr::OcrSettings { lang: lang.to_string(), ..c.ocr_settings() };
                Arc::new(Resources::new(settings, &c.dictionaries, c.use_lexicon))
            })
            .clone()
    };
    let next_to_check = || -> Result<Option<(usize, Document)>> {
        let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
        for (k, doc) in queue.by_ref() {
            let doc = doc?;
            if matches!(standing.get(k), Some(Standing::Checked(_))) {
                return Ok(Some((k, doc)));
            }
        }
        Ok(None)
    };
    let take_next = || -> Option<(usize, Document)> {
        next_to_check().unwrap_or_else(|e| {
            // The manifest changed under the run.
            tally.lock().unwrap_or_else(|e| e.into_inner()).3.get_or_insert(e);
            None
        })
    };
    // One worker takes the documents one after another, and loads the next one's first page
    // while it checks this one: the engine then reads without waiting for a page to be decoded
    // and prepared between documents. Several workers keep the cores busy already.
    let load_ahead = workers == 1;
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                let mut next = take_next();
                while let Some((k, doc)) = next.take() {
                    // One worker takes the document after this one now, to load its first page
                    // while this one is checked.
                    let after = if load_ahead { take_next() } else { None };
                    if let Some(Standing::Checked(digest)) = standing.get(k) {
                        progress.document_started(&doc);
                        let resources = resources_for(&lang_of(&doc));
                        let row = std::thread::scope(|ahead| {
                            if let Some((_, a)) = after.as_ref().filter(|(_, d)| d.ocr_text.is_none()) {
                                ahead.spawn(|| preload_first_page(a, opts, &resources_for(&lang_of(a))));
                            }
                            match crate::scan::collect_scan_paths(&doc.scans) {
                                Ok(pages) => {
                                    check_document(&doc, pages, hex(digest), jobs_each, opts, &resources, progress)
                                }
                                Err(e) => failed(&doc, hex(digest), e.to_string()),
                            }
                        });
                        progress.document_done(&row);
                        let mut tally = tally.lock().unwrap_or_else(|e| e.into_inner());
                        tally.0.add(&row);
                        if summary::failed(&row) {
                            tally.1 += 1;
                            // A failed document or page leaves no state: its row is kept.
                            tally.2.push((k, Box::new(row)));
                        }
                    }
                    next = if load_ahead { after } else { take_next() };
                }
            });
        }
    });
    let (totals, failed_docs, kept, error) = tally.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = error {
        return Err(e);
    }
    for (k, row) in kept {
        standing[k] = Standing::Kept(row);
    }

    // The summary, row by row in manifest order: kept rows, and the others from state files.
    let rows = || -> Result<_> {
        let standing = &standing;
        Ok(shard_documents()?.map(move |(k, doc)| {
            let doc = doc?;
            let status = match &standing[k] {
                Standing::Kept(row) => return Ok(DocumentSummary { index: doc.index, ..(**row).clone() }),
                Standing::Unchanged => Status::Unchanged,
                Standing::Checked(_) => Status::Done,
            };
            let state = read_state(&doc, opts).map_err(|reason| Error::BadInput {
                path: opts.output.join(format!("{}.state.json", doc.id)),
                reason: format!("written in this run, now unreadable: {reason}"),
            })?;
            Ok(DocumentSummary { index: doc.index, status, ..state.summary })
        }))
    };
    let shard = opts.shard.map(|s| format!("{}/{}", s.index, s.count));
    let json = opts.output.join(summary_name(opts.shard, "json"));
    report::write_atomically(&json, |w| {
        let mut rows = rows().map_err(std::io::Error::other)?;
        summary::write_json_rows(w, shard.as_deref(), &totals, &mut rows)
    })?;
    let csv = opts.output.join(summary_name(opts.shard, "csv"));
    report::write_atomically(&csv, |w| summary::write_csv_rows(w, &mut rows().map_err(std::io::Error::other)?))?;
    Ok(Outcome { totals, failed: failed_docs, summary: json })
}

/// Load `doc`'s first page for reading (`reading::preload`) into `resources`, where its
/// check takes it; a document whose scans cannot be listed is left to its check to report.
fn preload_first_page(doc: &Document, opts: &BatchOptions, resources: &Resources) {
    let Ok(pages) = crate::scan::collect_scan_paths(&doc.scans) else { return };
    let Some(first) = pages.first() else { return };
    let cache = crate::cache::OcrCache::open_optional(opts.check.cache.as_deref(), &|_: &str| {});
    resources.preload(crate::reading::preload(first, resources.settings(), cache.as_ref()));
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
        coverage: 1.0,
        min_page_coverage: 1.0,
        unverified: 0,
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
        coverage: s.coverage,
        min_page_coverage: review.pages.iter().map(|p| p.coverage).fold(1.0, f32::min),
        unverified: review.unverified.len(),
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
