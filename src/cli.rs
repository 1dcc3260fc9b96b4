//! Command-line interface: clap definitions only. Everything it parses becomes library
//! options; the work happens in the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "scanproof", version, about = "Proof a transcription against its page scans")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Measure the checker on pages with correct transcriptions (NAME.jpg + NAME.txt|xml):
    /// inject errors with a seed, and report precision, recall and F1 against the "every
    /// difference" baseline.
    Eval(EvalArgs),
    /// OCR the scans, align with the transcript and flag likely transcription errors.
    /// Exit status: 0 no flags shown, 1 flags shown, 2 error.
    Check(CheckArgs),
    /// OCR the scans only and write the pages (words, boxes, confidences, alternatives) as
    /// JSON, for `check --ocr-json` or for inspection.
    Ocr(OcrArgs),
    /// Render a report saved with `check --format json` in another format, without OCR.
    /// Page images are read from the paths in the report, relative to the current folder.
    Report(ReportArgs),
    /// Apply a reviewer's decisions: write the corrected transcript (or, with --in-place, the
    /// transcript itself, keeping a backup) and an audit log beside it.
    Apply(ApplyArgs),
    /// Check, then review the flags on a local web page: accept, reject or edit each one.
    /// Every decision is saved to the decisions file at once.
    Review(ReviewArgs),
    /// Check every document of a manifest (CSV or JSON: id, scans, transcript, lang): one
    /// report per document and a summary in the output folder. Documents whose inputs are
    /// unchanged since their last report are skipped. Exit status: 0 no flags shown, 1 flags
    /// shown, 2 a document or page failed (the others still ran).
    Batch(BatchArgs),
    /// Join the summaries of `batch --shard` runs into one collection summary.
    Merge(MergeArgs),
    /// Export reviewed lines as OCR ground truth: each scan line whose words the scan verified
    /// or the reviewer decided, its picture and its corrected text (tesstrain line pairs, or
    /// PAGE-XML / ALTO pages). Without decisions, only lines with no shown flag go out.
    ExportGt(ExportGtArgs),
    /// Train the model that weighs the evidence: from folders of pages with correct
    /// transcriptions (as for `eval`, errors injected with seeds), and from reviewers'
    /// decisions on saved reports. Writes a model file for `--model`.
    Train(TrainArgs),
}

/// The model that weighs the evidence.
#[derive(clap::Args, Debug, Clone)]
pub struct ModelArgs {
    /// A model file made by `scanproof train` (default: the model built into scanproof).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Folders of page images with same-name .txt or .xml correct transcriptions, as DIR or
    /// DIR:LANG (a page's own NAME.json "lang" wins). A DIR/natural-errors.tsv lists real
    /// errors of the truth, which count as errors.
    pub folders: Vec<String>,
    /// Write the model here.
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    /// Language of folders that name none.
    #[arg(long, short = 'l', default_value = "eng")]
    pub lang: String,
    /// Injection seeds; each gives every page another corrupted copy.
    #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
    pub seeds: Vec<u64>,
    /// A list of known real errors of the truth (TSV: page, start, end, ...), by page name,
    /// which count as errors; repeatable, beside each folder's own natural-errors.tsv.
    #[arg(long)]
    pub known: Vec<PathBuf>,
    /// One injected error per this many words; several (30,60,120): each page and seed draws
    /// one, so that the model meets careful and careless transcriptions.
    #[arg(long, value_delimiter = ',', default_value = "60")]
    pub rate: Vec<usize>,
    /// Which errors to inject: ocr (what an OCR pass leaves), human (typing and proofreading
    /// slips), all, or kinds by name, equally often (e.g. case,dropped-word,dropped-line).
    #[arg(long, default_value = "all")]
    pub errors: String,
    /// L2 penalty on the weights (towards 0; towards the refined model with --refine).
    #[arg(long)]
    pub l2: Option<f32>,
    /// A JSON report (`check --format json`) whose flags a reviewer decided. Repeatable; each
    /// pairs with the --decisions at the same position.
    #[arg(long, value_name = "REPORT.json")]
    pub report: Vec<PathBuf>,
    /// The decisions file for the --report at the same position: accept and edit say the
    /// transcript was wrong, reject that the OCR was.
    #[arg(long, value_name = "FILE")]
    pub decisions: Vec<PathBuf>,
    /// How much one decision counts against one injected error.
    #[arg(long, default_value_t = 5.0)]
    pub decision_weight: f32,
    /// Refine this model (its weights are the starting point and the penalty pulls towards
    /// them) instead of fitting anew; use `default` for the built-in model.
    #[arg(long, value_name = "FILE")]
    pub refine: Option<String>,
    #[command(flatten)]
    pub cache: CacheArgs,
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    #[arg(long = "dict")]
    pub dicts: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExportGtArgs {
    /// A JSON report written by `scanproof check --format json`. Page images are read from
    /// the paths in it, relative to the current folder.
    pub report: PathBuf,
    /// The reviewer's decisions (from `scanproof review`).
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Output folder.
    #[arg(long, short = 'o')]
    pub output: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value_t = GtFormatArg::Tesstrain)]
    pub format: GtFormatArg,
    /// The transcript the report was made on (default: the path in the report).
    #[arg(long, short = 't')]
    pub transcript: Option<PathBuf>,
    /// Prefix of the file names (default: the transcript's name).
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GtFormatArg {
    /// NAME_pP_lL.png + NAME_pP_lL.gt.txt per line, and list.txt (tesstrain, kraken).
    Tesstrain,
    /// PAGE-XML 2019 per page, with the page image (eScriptorium, Transkribus).
    Page,
    /// ALTO v4 per page, with the page image.
    Alto,
}

#[derive(clap::Args, Debug)]
pub struct BatchArgs {
    /// CSV with a header row (id,scans,transcript,lang; several scans separated by ';') or
    /// JSON (a list of {id, scans, transcript, lang}). Paths are relative to the manifest.
    pub manifest: PathBuf,
    /// Output folder: ID.json (and ID.FORMAT) per document, summary.json and summary.csv.
    #[arg(long, short = 'o', default_value = "scanproof-reports")]
    pub output: PathBuf,
    /// Format of the report written beside each document's JSON report.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,
    /// Languages of documents whose manifest row names none.
    #[arg(long, short = 'l', default_value = "eng")]
    pub lang: String,
    /// Process shard I of N (0 <= I < N): every N-th document from the I-th, so that N runs
    /// (a Slurm job array, a Kubernetes indexed Job) share a collection.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<scanproof::batch::Shard>,
    /// Check every document again, even those whose inputs are unchanged.
    #[arg(long)]
    pub force: bool,
    /// The transcription policy: diplomatic (case, spelling variants, the typist's slips and
    /// old letters count; TEI sic/orig/abbr) or normalized (they do not; TEI corr/reg/expan).
    /// Default: a scanproof.toml's [policy] beside each transcript, else diplomatic.
    #[arg(long, value_enum)]
    pub policy: Option<scanproof::policy::Policy>,
    /// A scanproof.toml whose [policy] table applies to every document (instead of the one
    /// beside each transcript).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// No progress bar and no per-document lines on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[arg(long, default_value_t = 0.5)]
    pub min_score: f32,
    /// Pages read in parallel (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    #[arg(long = "dict")]
    pub dicts: Vec<PathBuf>,
    #[arg(long)]
    pub no_lexicon: bool,
    #[command(flatten)]
    pub reading: ReadingArgs,
    #[command(flatten)]
    pub cache: CacheArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Exit 0 even when flags are shown.
    #[arg(long)]
    pub exit_zero: bool,
    /// Exit 1 when a document's or a page's coverage (share of its transcript words that the
    /// scan verified) is below this (0..1); by default any unverified word.
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub min_coverage: f32,
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// Summaries written by `batch` (summary.json or summary.shard-I-of-N.json).
    #[arg(required = true)]
    pub summaries: Vec<PathBuf>,
    /// Write the merged summary here instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// json or csv.
    #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormat::Json)]
    pub format: SummaryFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryFormat {
    Json,
    Csv,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// A JSON report written by `scanproof check --format json`.
    pub review: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Start CSV with a byte-order mark, so that Excel reads it as UTF-8.
    #[arg(long)]
    pub csv_bom: bool,
    /// Colour in the text report: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColourArg::Auto)]
    pub colour: ColourArg,
}

#[derive(clap::Args, Debug)]
pub struct OcrArgs {
    /// Page images or folders of them.
    #[arg(required = true)]
    pub scans: Vec<PathBuf>,
    #[arg(long, short = 'l', default_value = "eng")]
    pub lang: String,
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Page images (PNG, JPEG, TIFF; a multi-page TIFF or a PDF gives a page per frame or page,
    /// named FILE#page=N), folders of them (natural order: page-2 before page-10), or IIIF
    /// manifests (v2 or v3; a URL or a file). None: the scans a TEI transcript's <pb facs> name.
    pub scans: Vec<PathBuf>,
    /// Use OCR pages saved by `scanproof ocr` instead of running Tesseract.
    #[arg(long, value_name = "FILE", conflicts_with = "ocr_text")]
    pub ocr_json: Option<PathBuf>,
    /// Compare against OCR text you already have (plain UTF-8, any length) instead of scans:
    /// one pseudo-page, flags without page boxes.
    #[arg(long, value_name = "FILE", conflicts_with = "scans")]
    pub ocr_text: Option<PathBuf>,
    #[command(flatten)]
    pub reading: ReadingArgs,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// The transcript to proof: plain text, ALTO, PAGE-XML or hOCR (detected from its content),
    /// in UTF-8, UTF-16 or a legacy Cyrillic code page (detected).
    #[arg(long, short = 't')]
    pub transcript: PathBuf,
    #[command(flatten)]
    pub archive: ArchiveArgs,
    #[command(flatten)]
    pub iiif: IiifArgs,
    /// Tesseract language codes, joined by '+': rus, eng, deu, rus+eng.
    #[arg(long, short = 'l', default_value = "eng")]
    pub lang: String,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Show flags whose score is at least this (0..1).
    #[arg(long, default_value_t = 0.5)]
    pub min_score: f32,
    /// Pages read in parallel (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// A word list (one word per line) of names and terms the dictionaries lack. Repeatable.
    #[arg(long = "dict")]
    pub dicts: Vec<PathBuf>,
    /// Do not use hunspell dictionaries.
    #[arg(long)]
    pub no_lexicon: bool,
    /// A translation of the document to cross-check names and numbers against: FILE or
    /// FILE:LANG (eng, deu, rus). Without it, a translation inside the transcript is used.
    #[arg(long, value_name = "FILE[:LANG]")]
    pub witness: Option<String>,
    /// Do not cross-check against a translation, not even one inside the transcript.
    #[arg(long, conflicts_with = "witness")]
    pub no_witness: bool,
    /// Exit 0 even when flags are shown (for pipelines that only want the report).
    #[arg(long)]
    pub exit_zero: bool,
    /// Colour in the text report: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColourArg::Auto)]
    pub colour: ColourArg,
    /// Start CSV with a byte-order mark, so that Excel reads it as UTF-8.
    #[arg(long)]
    pub csv_bom: bool,
    /// A decisions file: decided flags stay in the JSON, marked, but are not shown.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    /// Exit 1 when the document's or a page's coverage (share of its transcript words that the
    /// scan verified) is below this (0..1). The default, 1, asks for every word expected on the
    /// scans: unverified text counts like a flag.
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub min_coverage: f32,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// How many readings a page gets.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct ReadingArgs {
    /// thorough (a page that reads poorly is read again: turned, binarized otherwise, line by
    /// line) or single (one reading, about as fast as Tesseract alone; poor pages read worse:
    /// README, "One reading a page").
    #[arg(long = "reading", value_enum, default_value_t = scanproof::ocr::Reading::Thorough)]
    pub mode: scanproof::ocr::Reading,
}

/// Where OCR results are kept between runs.
#[derive(clap::Args, Debug, Clone)]
pub struct CacheArgs {
    /// OCR cache folder (default: the platform cache folder, e.g. ~/.cache/scanproof).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Read every page with Tesseract, neither using nor filling the OCR cache.
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
}

impl CacheArgs {
    /// The cache folder to use, if any (none when the platform has no cache folder).
    pub fn folder(&self) -> Option<PathBuf> {
        if self.no_cache {
            return None;
        }
        self.cache.clone().or_else(scanproof::cache::OcrCache::default_dir)
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    /// Flags by page with their evidence, for the terminal.
    Text,
    /// The whole review: the contract other tools read, and what `report` renders again.
    Json,
    /// One row per flag, for spreadsheets.
    Csv,
    /// A correction report for editors, tables ready to paste into a ticket.
    Md,
    /// One self-contained page with scan crops beside the text; opens offline.
    Html,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColourArg {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["output", "in_place"])))]
pub struct ApplyArgs {
    /// The transcript the decisions were made on.
    #[arg(long, short = 't')]
    pub transcript: PathBuf,
    /// The decisions file (from `scanproof review`, or written by hand).
    #[arg(long, value_name = "FILE")]
    pub decisions: PathBuf,
    /// Write the corrected transcript here.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Correct the transcript itself, keeping the original as FILE.bak (or FILE.bak.N).
    #[arg(long)]
    pub in_place: bool,
    /// The JSON report the flags came from, for decisions that do not carry their spans.
    #[arg(long, value_name = "REPORT.json")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub read: TranscriptReadArgs,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(clap::Args, Debug)]
pub struct ReviewArgs {
    /// Page images or folders of them, as for `check`.
    #[arg(required_unless_present_any = ["ocr_json", "ocr"])]
    pub scans: Vec<PathBuf>,
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// Use OCR pages saved by `scanproof ocr` instead of running Tesseract.
    #[arg(long, value_name = "FILE")]
    pub ocr_json: Option<PathBuf>,
    #[command(flatten)]
    pub cache: CacheArgs,
    #[arg(long, short = 't')]
    pub transcript: PathBuf,
    #[arg(long, short = 'l', default_value = "eng")]
    pub lang: String,
    /// Where decisions are saved (and resumed from). Default: NAME.decisions.json beside the
    /// transcript.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<PathBuf>,
    #[command(flatten)]
    pub iiif: IiifArgs,
    /// Address to listen on; the default keeps the page to this computer.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Where the page's "apply" writes. Default: NAME.corrected.EXT beside the transcript.
    #[arg(long, value_name = "FILE", conflicts_with = "in_place")]
    pub apply_to: Option<PathBuf>,
    /// Let the page's "apply" correct the transcript itself (keeping a backup).
    #[arg(long)]
    pub in_place: bool,
    #[command(flatten)]
    pub write: WriteArgs,
    /// The name recorded with each decision. Default: the login name.
    #[arg(long)]
    pub reviewer: Option<String>,
    #[arg(long, default_value_t = 0.5)]
    pub min_score: f32,
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    #[arg(long = "dict")]
    pub dicts: Vec<PathBuf>,
    #[arg(long)]
    pub no_lexicon: bool,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Folder of page images with same-name .txt or .xml (ALTO) transcriptions.
    pub dir: PathBuf,
    #[arg(long, short = 'l', default_value = "eng")]
    pub lang: String,
    /// Seed of the error injection.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One injected error per this many words.
    #[arg(long, default_value_t = 60)]
    pub rate: usize,
    /// A list of known real errors of the truth (TSV: page, start, end, ...), by page name;
    /// repeatable. Scored pages count them as neither right nor wrong, pages trained on
    /// (--folds) as errors. Each folder's own natural-errors.tsv is read too.
    #[arg(long)]
    pub known: Vec<PathBuf>,
    #[arg(long, default_value_t = 0.5)]
    pub min_score: f32,
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub reading: ReadingArgs,
    #[command(flatten)]
    pub cache: CacheArgs,
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    #[arg(long = "dict")]
    pub dicts: Vec<PathBuf>,
    /// Which errors to inject: ocr (what an OCR pass leaves), human (typing and proofreading
    /// slips), all, or kinds by name, equally often (e.g. case,dropped-word,dropped-line).
    #[arg(long, default_value = "all")]
    pub errors: String,
    /// Hold out by document: split the documents (file stem before `_NN`) into K folds and
    /// score each fold with a model trained on the others (and on --train-with).
    #[arg(long, value_name = "K")]
    pub folds: Option<usize>,
    /// With --folds: folders always trained on, never scored (DIR or DIR:LANG).
    #[arg(long, value_name = "DIR[:LANG]")]
    pub train_with: Vec<String>,
    /// With --folds: injection seeds of the --train-with pages.
    #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
    pub train_seeds: Vec<u64>,
    /// With --folds: injection rates of the --train-with pages (each page and seed draws
    /// one); --rate when not given.
    #[arg(long, value_delimiter = ',')]
    pub train_rate: Vec<usize>,
    /// With --folds: L2 penalty of the fold models.
    #[arg(long, default_value_t = 1.0)]
    pub l2: f32,
    /// Write every candidate the checker weighed, with its evidence and whether the
    /// transcript was wrong there, as JSON lines (with --folds, the --train-with pages too).
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,
    /// The transcription policy flags are shown under (a flag the policy tolerates counts as
    /// not flagged).
    #[arg(long, value_enum, default_value_t = scanproof::policy::Policy::Diplomatic)]
    pub policy: scanproof::policy::Policy,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalFormat {
    Text,
    Json,
}

/// How the transcript is read: detected from its content unless told.
#[derive(clap::Args, Debug, Clone)]
pub struct TranscriptReadArgs {
    /// The transcript's format (default: detected from its content).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub transcript_format: Option<TranscriptFormatArg>,
    /// The transcript's encoding, e.g. utf-8, utf-16le, windows-1251, koi8-r, cp866 (default:
    /// a byte-order mark, the XML declaration, UTF-8, or else detected, with a warning).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// The transcription policy: diplomatic (case, spelling variants, the typist's slips and
    /// old letters count as errors; TEI sic/orig/abbr are read) or normalized (they do not; TEI
    /// corr/reg/expan). Default: the [policy] of a scanproof.toml beside the transcript, else
    /// diplomatic. Give `apply` the same as `check`.
    #[arg(long, value_enum)]
    pub policy: Option<scanproof::policy::Policy>,
    /// A scanproof.toml to take the [policy] table from (default: the one beside the transcript).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// How corrections are written into the transcript.
#[derive(clap::Args, Debug, Clone)]
pub struct WriteArgs {
    /// TEI: write each correction as <choice><sic>old</sic><corr>new</corr></choice> (choice),
    /// or replace the text in place (replace).
    #[arg(long, value_enum, default_value_t = scanproof::formats::tei::TeiMode::Choice)]
    pub tei_mode: scanproof::formats::tei::TeiMode,
}

/// Archive inputs: OCR made elsewhere, how to read the transcript, how to rasterize PDF scans.
#[derive(clap::Args, Debug, Clone)]
pub struct ArchiveArgs {
    /// OCR you already have (ALTO, hOCR or PAGE-XML, e.g. from `tesseract page.jpg out alto`),
    /// used with the confidences it carries instead of running Tesseract: its pages in order,
    /// one per scan page when scans are given too (they lend each page its image).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub ocr: Vec<PathBuf>,
    #[command(flatten)]
    pub read: TranscriptReadArgs,
    /// Resolution that PDF scans are rasterized at (with pdftoppm, from poppler-utils).
    #[arg(long, value_name = "DPI", default_value_t = 300)]
    pub pdf_dpi: u32,
}

/// How scans are fetched from IIIF image servers.
#[derive(clap::Args, Debug, Clone)]
pub struct IiifArgs {
    /// The IIIF Image API size each canvas's image is read at: max (the default), full, w,
    /// ,h, pct:n, w,h or !w,h.
    #[arg(long, value_name = "SIZE", default_value = "max")]
    pub iiif_size: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TranscriptFormatArg {
    /// Plain text.
    Text,
    /// ALTO XML, v2 to v4.
    Alto,
    /// PAGE-XML (2013, 2019).
    Page,
    /// hOCR.
    Hocr,
    /// TEI P5.
    Tei,
    /// Word (.docx).
    Docx,
}
