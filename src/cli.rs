//! Command-line interface: clap definitions only. Everything it parses becomes library
//! options; the work happens in the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "scanproof",
    version,
    about = "Proof a transcription against its page scans"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// OCR the scans, align with the transcript and flag likely transcription errors.
    /// Exit status: 0 no flags shown, 1 flags shown, 2 error.
    Check(CheckArgs),
    /// OCR the scans only and write the pages (words, boxes, confidences, alternatives) as
    /// JSON, for `check --ocr-json` or for inspection.
    Ocr(OcrArgs),
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
    /// Page images (PNG, JPEG, TIFF) or folders of them (natural order: page-2 before page-10).
    #[arg(required_unless_present = "ocr_json")]
    pub scans: Vec<PathBuf>,
    /// Use OCR pages saved by `scanproof ocr` instead of running Tesseract.
    #[arg(long, value_name = "FILE")]
    pub ocr_json: Option<PathBuf>,
    /// The transcript to proof (UTF-8 text).
    #[arg(long, short = 't')]
    pub transcript: PathBuf,
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
    /// Exit 0 even when flags are shown (for pipelines that only want the report).
    #[arg(long)]
    pub exit_zero: bool,
    /// Colour in the text report: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColourArg::Auto)]
    pub colour: ColourArg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColourArg {
    Auto,
    Always,
    Never,
}
