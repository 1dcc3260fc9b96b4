//! The `scanproof` binary: parse arguments, call the library, write the report, map the
//! outcome to an exit status (0 nothing to review, 1 flags shown, 2 error).

mod cli;

use clap::Parser;
use cli::{Cli, ColourArg, Command, FormatArg};
use scanproof::report::{self, Format, TextStyle};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Tesseract's OpenMP threads would fight our one-engine-per-worker pool; one each.
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        std::env::set_var("OMP_THREAD_LIMIT", "1");
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("scanproof: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, scanproof::Error> {
    match cli.command {
        Command::Ocr(args) => run_ocr(args),
        Command::Check(args) => {
            let mut opts = scanproof::CheckOptions::new(args.scans, args.transcript, &args.lang);
            if let Some(j) = args.jobs {
                opts.jobs = j.max(1);
            }
            opts.dictionaries = args.dicts;
            opts.use_lexicon = !args.no_lexicon;
            if !(0.0..=1.0).contains(&args.min_score) {
                return Err(scanproof::Error::Usage(format!(
                    "--min-score must be between 0 and 1, got {}",
                    args.min_score
                )));
            }
            opts.score.threshold = args.min_score;
            let warn = |msg: &str| eprintln!("scanproof: warning: {msg}");
            let review = match &args.ocr_json {
                Some(path) => scanproof::check_with_pages(
                    &opts,
                    scanproof::ocr::read_pages_json(path)?,
                    &warn,
                )?,
                None => scanproof::check(&opts, &warn, &|_| {})?,
            };
            let format = match args.format {
                FormatArg::Text => Format::Text,
                FormatArg::Json => Format::Json,
            };
            let to_tty = args.output.is_none() && std::io::stdout().is_terminal();
            let style = TextStyle {
                colour: args.colour == ColourArg::Always
                    || (args.colour == ColourArg::Auto && to_tty),
            };
            write_report(args.output.as_deref(), |w| {
                report::render(&review, format, &style, w)
            })?;
            Ok(exit_status(&review, args.exit_zero))
        }
    }
}

fn run_ocr(args: cli::OcrArgs) -> Result<ExitCode, scanproof::Error> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pages = scanproof::read_scans(&args.scans, &args.lang, jobs, &|_| {})?;
    write_report(args.output.as_deref(), |w| {
        serde_json::to_writer(&mut *w, &pages)?;
        writeln!(w)
    })?;
    Ok(ExitCode::SUCCESS)
}

fn exit_status(review: &scanproof::Review, exit_zero: bool) -> ExitCode {
    if !review.failures.is_empty() {
        ExitCode::from(2)
    } else if review.stats.flags_shown > 0 && !exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Write to the file (through a temporary beside it, renamed into place, so a failed run
/// never leaves half a report) or to stdout, where a closed pipe is not an error.
fn write_report(
    output: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), scanproof::Error> {
    match output {
        Some(path) => scanproof::report::write_atomically(path, render),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match render(&mut lock).and_then(|_| lock.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(scanproof::Error::io("<stdout>", e)),
                Ok(()) => Ok(()),
            }
        }
    }
}
