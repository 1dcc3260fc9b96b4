//! Collections: a manifest of documents (CSV or JSON) in; one report per document and a
//! collection summary (per document: pages, flags, CER) out, in an output folder. Resumable:
//! a document whose inputs (scan and transcript bytes, settings) are unchanged since its last
//! report is skipped. `--shard i/n` takes a deterministic share of the manifest, so a cluster
//! can split a collection, and `merge` joins the shards' summaries. A failing document is
//! recorded and the others go on. Each document runs `check`; nothing here aligns or weighs.

use crate::error::{Error, Result};
use crate::report::{self, Format, TextStyle};
use crate::{CheckOptions, Review};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One document of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Manifest position (0-based): what shards split on and summaries sort by.
    pub index: usize,
    pub id: String,
    /// Page images or folders of them, as for `check`; relative paths are from the manifest.
    pub scans: Vec<PathBuf>,
    pub transcript: PathBuf,
    /// Tesseract languages; `None` takes the batch's default.
    pub lang: Option<String>,
}

/// A manifest row as written: `scans` is one path, or several separated by ';' (CSV), or a
/// list (JSON).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: String,
    #[serde(deserialize_with = "one_or_many")]
    scans: Vec<String>,
    transcript: String,
    #[serde(default)]
    lang: Option<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s.split(';').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        OneOrMany::Many(v) => v,
    })
}

/// Read a manifest: JSON (an array of documents, or `{"documents": [...]}`) when the file
/// says so by its extension or its first character, CSV with a header row otherwise.
pub fn read_manifest(path: &Path) -> Result<Vec<Document>> {
    let bad = |reason: String| Error::BadInput { path: path.to_path_buf(), reason };
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = crate::transcript::decode(path, &bytes)?;
    let is_json =
        path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) || text.trim_start().starts_with(['[', '{']);
    let rows: Vec<Row> = if is_json {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Manifest {
            List(Vec<Row>),
            Object { documents: Vec<Row> },
        }
        match serde_json::from_str(&text).map_err(|e| bad(format!("not a manifest: {e}")))? {
            Manifest::List(rows) | Manifest::Object { documents: rows } => rows,
        }
    } else {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
        reader
            .deserialize()
            .enumerate()
            .map(|(i, r)| r.map_err(|e| bad(format!("row {}: {e}", i + 2))))
            .collect::<Result<_>>()?
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let mut seen = std::collections::HashSet::new();
    let mut docs = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        let id = row.id.trim().to_string();
        // Ids become file names in the output folder.
        let safe = !id.is_empty()
            && id != "."
            && id != ".."
            && !id.starts_with('.')
            && id.chars().all(|c| c.is_alphanumeric() || "-_.+@".contains(c));
        if !safe {
            return Err(bad(format!(
                "document {}: id {id:?} must be a plain name (letters, digits, - _ . + @), not starting with '.'",
                index + 1
            )));
        }
        if !seen.insert(id.clone()) {
            return Err(bad(format!("document id {id:?} appears twice")));
        }
        if row.scans.is_empty() {
            return Err(bad(format!("document {id:?} lists no scans")));
        }
        docs.push(Document {
            index,
            id,
            scans: row.scans.iter().map(|s| base.join(s)).collect(),
            transcript: base.join(row.transcript.trim()),
            lang: row.lang.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()),
        });
    }
    Ok(docs)
}

/// A share of a collection: shard `index` of `count` (0-based: `0/4` .. `3/4`, as Kubernetes'
/// completion index and `--array=0-3` in Slurm count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (i, n) = s.split_once('/').ok_or_else(|| format!("expected I/N (e.g. 0/4), got {s:?}"))?;
        let (index, count): (usize, usize) = (
            i.trim().parse().map_err(|_| format!("{i:?} is not a shard number"))?,
            n.trim().parse().map_err(|_| format!("{n:?} is not a shard count"))?,
        );
        if count == 0 || index >= count {
            return Err(format!("shard {index}/{count}: need 0 <= I < N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Round-robin by manifest position: every document in exactly one shard, and shards of
    /// equal size within one document, whatever the order of sizes in the manifest.
    pub fn takes(&self, doc: &Document) -> bool {
        doc.index % self.count == self.index
    }
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked in this run.
    Done,
    /// Inputs unchanged since the last report: skipped.
    Unchanged,
    /// Could not be checked; `error` says why.
    Error,
}

/// One summary row: flat, so that the CSV and the JSON summaries say the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub index: usize,
    pub id: String,
    pub status: Status,
    pub pages: usize,
    pub pages_failed: usize,
    pub flags_shown: usize,
    pub flags_total: usize,
    pub cer: f32,
    pub wer: f32,
    pub transcript_words: usize,
    /// The JSON report, relative to the output folder.
    pub report: String,
    /// SHA-256 over the scans, the transcript and the settings.
    pub inputs_sha256: String,
    pub error: Option<String>,
    /// Share of the transcript words expected on the scans that were verified, for the
    /// document and for its least covered page; and how many stretches were left unverified.
    #[serde(default = "one")]
    pub coverage: f32,
    #[serde(default = "one")]
    pub min_page_coverage: f32,
    #[serde(default)]
    pub unverified: usize,
}

fn one() -> f32 {
    1.0
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub documents: usize,
    pub checked: usize,
    pub unchanged: usize,
    pub errors: usize,
    pub pages: usize,
    pub flags_shown: usize,
    pub flags_total: usize,
}

/// The collection summary (`summary.json`, and its rows as `summary.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub version: u32,
    /// "I/N" for a shard's summary, absent for a whole collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    pub totals: Totals,
    pub documents: Vec<DocumentSummary>,
}

impl Summary {
    pub fn new(shard: Option<String>, mut documents: Vec<DocumentSummary>) -> Summary {
        documents.sort_by_key(|d| d.index);
        let mut totals = Totals { documents: documents.len(), ..Totals::default() };
        for d in &documents {
            match d.status {
                Status::Done => totals.checked += 1,
                Status::Unchanged => totals.unchanged += 1,
                Status::Error => totals.errors += 1,
            }
            totals.pages += d.pages;
            totals.flags_shown += d.flags_shown;
            totals.flags_total += d.flags_total;
        }
        Summary { version: 1, shard, totals, documents }
    }

    /// Exit status as for `check`: 2 when a document or a page failed, 1 when flags are
    /// shown or text is unverified, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        self.exit_code_with(1.0)
    }

    /// `exit_code` with the coverage asked for: 1 as well when a document or a page of one is
    /// verified below `min_coverage` (at 1, when any text is unverified).
    pub fn exit_code_with(&self, min_coverage: f32) -> u8 {
        let low = |d: &DocumentSummary| {
            if min_coverage >= 1.0 {
                d.unverified > 0
            } else {
                d.coverage < min_coverage || d.min_page_coverage < min_coverage
            }
        };
        if self.documents.iter().any(|d| d.status == Status::Error || d.pages_failed > 0) {
            2
        } else if self.totals.flags_shown > 0 || self.documents.iter().any(low) {
            1
        } else {
            0
        }
    }

    pub fn write_json(&self, out: &mut dyn Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }

    pub fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        for d in &self.documents {
            w.serialize(d).map_err(std::io::Error::other)?;
        }
        w.flush()
    }
}

/// What a finished document leaves beside its reports, to know next time whether its inputs
/// changed.
#[derive(Debug, Serialize, Deserialize)]
struct State {
    inputs_sha256: String,
    summary: DocumentSummary,
}

/// Hears how a batch goes (the CLI shows a progress bar, or a line per document).
pub trait Progress: Sync {
    /// Pages to read in this run (documents skipped as unchanged are not counted).
    fn start(&self, _pages: usize) {}
    fn page_done(&self) {}
    fn document_started(&self, _doc: &Document) {}
    fn document_done(&self, _summary: &DocumentSummary) {}
    fn warn(&self, _doc: &Document, _msg: &str) {}
}

/// Progress that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// File name of the summary: one per shard, so shards sharing an output folder never write
/// the same file.
pub fn summary_name(shard: Option<Shard>, ext: &str) -> String {
    match shard {
        Some(s) => format!("summary.shard-{}-of-{}.{ext}", s.index, s.count),
        None => format!("summary.{ext}"),
    }
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
/// order), the transcript bytes, and the settings. Dictionaries are hashed by content too.
fn inputs_digest(doc: &Document, pages: &[PathBuf], opts: &BatchOptions, lang: &str) -> Result<String> {
    let mut h = Sha256::new();
    let mut file = |p: &Path| -> Result<()> {
        let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
        h.update(p.file_name().map_or_else(Vec::new, |n| n.as_encoded_bytes().to_vec()));
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
        Ok(())
    };
    for p in pages {
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
    progress.start(plans.iter().map(|p| if let Plan::Run { pages, .. } = p { pages.len() } else { 0 }).sum());
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
    let done = std::sync::Mutex::new(Vec::with_capacity(to_run.len()));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((doc, pages, digest)) = to_run.get(k) else { return };
                progress.document_started(doc);
                let row = check_document(doc, pages.clone(), digest.clone(), jobs_each, opts, progress);
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
    progress: &dyn Progress,
) -> DocumentSummary {
    let mut check = opts.check.clone();
    check.jobs = jobs;
    check.scans = pages;
    check.transcript = doc.transcript.clone();
    if let Some(lang) = &doc.lang {
        check.lang = lang.clone();
    }
    let warn = |msg: &str| progress.warn(doc, msg);
    let review = match crate::check(&check, &warn, &|_| progress.page_done()) {
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

/// Join shard summaries into one (rows in manifest order). The same document in two
/// summaries is an error unless the rows agree (a shard run twice).
pub fn merge(paths: &[PathBuf]) -> Result<Summary> {
    let mut rows: Vec<DocumentSummary> = Vec::new();
    let mut by_id: std::collections::HashMap<String, (usize, PathBuf)> = std::collections::HashMap::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
        let s: Summary = serde_json::from_slice(&bytes).map_err(|e| Error::BadInput {
            path: p.clone(),
            reason: format!("not a scanproof batch summary (summary*.json): {e}"),
        })?;
        for d in s.documents {
            match by_id.get(&d.id) {
                Some(&(k, ref first)) => {
                    let same = |r: &DocumentSummary| (r.index, r.inputs_sha256.clone(), r.flags_shown);
                    if same(&rows[k]) != same(&d) {
                        return Err(Error::BadInput {
                            path: p.clone(),
                            reason: format!("document {:?} is also in {} with other results", d.id, first.display()),
                        });
                    }
                }
                None => {
                    by_id.insert(d.id.clone(), (rows.len(), p.clone()));
                    rows.push(d);
                }
            }
        }
    }
    Ok(Summary::new(None, rows))
}

/// The CLI's progress: an indicatif bar on a terminal (pages done, pages/s, time left), a
/// line per document otherwise (for cluster logs), nothing with `quiet`.
pub struct ConsoleProgress {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
    documents: std::sync::atomic::AtomicUsize,
    total_documents: usize,
}

impl ConsoleProgress {
    pub fn new(quiet: bool, total_documents: usize) -> Self {
        use std::io::IsTerminal;
        let tty = std::io::stderr().is_terminal();
        let bar = (!quiet && tty).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} pages  {per_sec:.dim}  {eta} left  {wide_msg}",
                )
                .expect("a valid template"),
            );
            bar
        });
        ConsoleProgress {
            bar,
            lines: !quiet && !tty,
            documents: std::sync::atomic::AtomicUsize::new(0),
            total_documents,
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for ConsoleProgress {
    fn start(&self, pages: usize) {
        if let Some(b) = &self.bar {
            b.set_length(pages as u64);
            b.reset_eta();
        }
    }
    fn page_done(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }
    fn document_started(&self, doc: &Document) {
        if let Some(b) = &self.bar {
            b.set_message(doc.id.clone());
        }
    }
    fn document_done(&self, s: &DocumentSummary) {
        let n = self.documents.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let line = match s.status {
            Status::Error => format!("{}: error: {}", s.id, s.error.as_deref().unwrap_or("")),
            Status::Unchanged => format!("{}: unchanged, skipped", s.id),
            Status::Done => {
                format!("{}: {} page(s), {} flag(s) shown, CER {:.2}%", s.id, s.pages, s.flags_shown, s.cer * 100.0)
            }
        };
        let line = format!("scanproof: [{n}/{}] {line}", self.total_documents);
        match &self.bar {
            // Errors stay visible above the bar; the rest is what the bar already shows.
            Some(b) if s.status == Status::Error => b.println(line),
            Some(_) => {}
            None if self.lines => eprintln!("{line}"),
            None => {}
        }
    }
    fn warn(&self, doc: &Document, msg: &str) {
        let line = format!("scanproof: warning: {}: {msg}", doc.id);
        match &self.bar {
            Some(b) => b.println(line),
            None if self.lines => eprintln!("{line}"),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn csv_and_json_manifests_read_alike() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(
            dir.path(),
            "m.csv",
            "id,scans,transcript,lang\nletter-1, scans/a.png;scans/b.png ,t/1.txt,rus\nletter-2,scans/c,t/2.txt,\n",
        );
        let json = write(
            dir.path(),
            "m.json",
            r#"{"documents": [{"id": "letter-1", "scans": ["scans/a.png", "scans/b.png"], "transcript": "t/1.txt", "lang": "rus"},
                {"id": "letter-2", "scans": "scans/c", "transcript": "t/2.txt"}]}"#,
        );
        let a = read_manifest(&csv).unwrap();
        assert_eq!(a, read_manifest(&json).unwrap());
        assert_eq!(a[0].scans, [dir.path().join("scans/a.png"), dir.path().join("scans/b.png")]);
        assert_eq!(a[1].lang, None);
        assert_eq!(a[1].index, 1);
    }

    #[test]
    fn bad_manifests_say_why() {
        let dir = tempfile::tempdir().unwrap();
        for (body, want) in [
            ("id,scans,transcript\na,x.png,t.txt\na,y.png,u.txt\n", "twice"),
            ("id,scans,transcript\n../up,x.png,t.txt\n", "plain name"),
            ("id,scans,transcript\nok,,t.txt\n", "no scans"),
            ("[{\"id\": \"a\", \"scan\": \"x\", \"transcript\": \"t\"}]", "not a manifest"),
        ] {
            let p = write(dir.path(), "m.txt", body);
            let err = read_manifest(&p).unwrap_err().to_string();
            assert!(err.contains(want), "{body:?}: {err}");
        }
    }

    #[test]
    fn shards_cover_every_document_exactly_once() {
        let docs: Vec<Document> = (0..23)
            .map(|index| Document {
                index,
                id: format!("d{index}"),
                scans: vec![],
                transcript: PathBuf::new(),
                lang: None,
            })
            .collect();
        for n in 1..=7 {
            let shards: Vec<Shard> = (0..n).map(|i| format!("{i}/{n}").parse().unwrap()).collect();
            for d in &docs {
                assert_eq!(shards.iter().filter(|s| s.takes(d)).count(), 1, "{} in {n} shards", d.id);
            }
            let sizes: Vec<usize> = shards.iter().map(|s| docs.iter().filter(|d| s.takes(d)).count()).collect();
            assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{sizes:?}");
        }
        for bad in ["3/3", "1/0", "x/2", "1", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    fn row(index: usize, id: &str, flags: usize) -> DocumentSummary {
        DocumentSummary {
            index,
            id: id.into(),
            status: Status::Done,
            pages: 2,
            pages_failed: 0,
            flags_shown: flags,
            flags_total: flags + 1,
            cer: 0.01,
            wer: 0.05,
            transcript_words: 500,
            report: format!("{id}.json"),
            inputs_sha256: format!("{index:064}"),
            error: None,
            coverage: 1.0,
            min_page_coverage: 1.0,
            unverified: 0,
        }
    }

    #[test]
    fn merge_joins_shards_in_manifest_order() {
        let dir = tempfile::tempdir().unwrap();
        let a = Summary::new(Some("0/2".into()), vec![row(0, "a", 1), row(2, "c", 0)]);
        let b = Summary::new(Some("1/2".into()), vec![row(1, "b", 3), row(3, "d", 0)]);
        let pa = dir.path().join("a.json");
        let pb = dir.path().join("b.json");
        report::write_atomically(&pa, |w| a.write_json(w)).unwrap();
        report::write_atomically(&pb, |w| b.write_json(w)).unwrap();
        let m = merge(&[pb.clone(), pa.clone()]).unwrap();
        let ids: Vec<_> = m.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"]);
        assert_eq!((m.totals.documents, m.totals.flags_shown, m.totals.pages), (4, 4, 8));
        assert_eq!(m.exit_code(), 1);
        assert!(m.shard.is_none());
        // The same shard twice is harmless; a clash is not.
        assert_eq!(merge(&[pa.clone(), pa.clone()]).unwrap().documents.len(), 2);
        let clash = Summary::new(None, vec![row(0, "a", 9)]);
        let pc = dir.path().join("c.json");
        report::write_atomically(&pc, |w| clash.write_json(w)).unwrap();
        assert!(merge(&[pa, pc]).unwrap_err().to_string().contains("other results"));
        let mut csv = Vec::new();
        m.write_csv(&mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with("index,id,status,pages,"), "{csv}");
        assert_eq!(csv.lines().count(), 5);
        assert!(csv.lines().next().unwrap().ends_with(",coverage,min_page_coverage,unverified"), "{csv}");
    }

    /// Issue 13: unverified text counts like a flag, and so does a page below --min-coverage.
    #[test]
    fn issue13_unverified_text_and_low_coverage_exit_1() {
        let clean = Summary::new(None, vec![row(0, "a", 0)]);
        assert_eq!(clean.exit_code(), 0);
        let unverified = Summary::new(None, vec![DocumentSummary { unverified: 2, coverage: 0.9, ..row(0, "a", 0) }]);
        assert_eq!(unverified.exit_code(), 1);
        assert_eq!(unverified.exit_code_with(0.8), 0, "a looser --min-coverage tolerates it");
        let low = Summary::new(
            None,
            vec![DocumentSummary { min_page_coverage: 0.7, coverage: 0.95, unverified: 3, ..row(0, "a", 0) }],
        );
        assert_eq!(low.exit_code_with(0.8), 1, "one page is below");
        assert_eq!(low.exit_code_with(0.5), 0);
    }
}
