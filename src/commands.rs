//! Each subcommand: its arguments turned into the library's options, the library called, the
//! report written, the exit status chosen. Nothing here measures or weighs: that is the library.

use crate::cli::{self, Cli, ColourArg, Command, FormatArg};
use scanproof::report::{self, Format, TextStyle};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: Cli) -> Result<ExitCode, scanproof::Error> {
    match cli.command {
        Command::Ocr(args) => run_ocr(args),
        Command::Eval(args) => run_eval(args),
        Command::Report(args) => run_report(args),
        Command::Apply(args) => run_apply(args),
        Command::Review(args) => run_review(args),
        Command::Batch(args) => run_batch(args),
        Command::Merge(args) => run_merge(args),
        Command::ExportGt(args) => run_export_gt(args),
        Command::Train(args) => run_train(args),
        Command::Check(args) => {
            let mut opts = check_options(args.scans, args.transcript, &args.lang, args.jobs, args.dicts);
            opts.use_lexicon = !args.no_lexicon;
            opts.score = score_params(args.min_score, &args.model)?;
            check_fraction("--min-coverage", Some(args.min_coverage))?;
            opts.cache = args.cache.folder();
            opts.reading = args.reading.mode;
            opts.witness = args.witness.as_deref().map(scanproof::witness::read_source).transpose()?;
            opts.find_witness = !args.no_witness;
            opts.read = archive_options(&args.archive)?;
            opts.policy = policy_choice(&args.archive.read);
            opts.iiif_size = iiif_size(&args.iiif)?;
            // Without the cache, IIIF images are kept for this run only (the HTML report's crops
            // read them after the check).
            let downloads = downloads_folder(&args.cache)?;
            opts.downloads = downloads.as_ref().map(|d| d.path().to_path_buf());
            let warn = |msg: &str| eprintln!("scanproof: warning: {msg}");
            let mut review = match (&args.ocr_json, &args.ocr_text) {
                (Some(path), _) => scanproof::check_with_pages(&opts, scanproof::ocr::read_pages_json(path)?, &warn)?,
                (_, Some(path)) => scanproof::check_with_ocr_text(&opts, path, &warn)?,
                _ if !args.archive.ocr.is_empty() => scanproof::check_with_ocr_files(&opts, &args.archive.ocr, &warn)?,
                _ => scanproof::check(&opts, &warn, &|_| {})?,
            };
            if let Some(path) = &args.decisions {
                let decisions = scanproof::review::decisions::read_decisions(path)?;
                scanproof::review::decisions::mark_decided(&mut review, &decisions);
            }
            let format = format_of(args.format, args.csv_bom);
            let to_tty = args.output.is_none() && std::io::stdout().is_terminal();
            let style =
                TextStyle { colour: args.colour == ColourArg::Always || (args.colour == ColourArg::Auto && to_tty) };
            write_report(args.output.as_deref(), |w| report::render(&review, format, &style, w))?;
            Ok(exit_status(&review, args.min_coverage, args.exit_zero))
        }
    }
}

/// The IIIF Image API size, checked for its form (max, full, w, ,h, w,h, !w,h, pct:n).
/// What every checking command starts from: scans, transcript and languages, `--jobs` (at
/// least one worker; the default is the cores) and `--dict` lists.
fn check_options(
    scans: Vec<std::path::PathBuf>,
    transcript: std::path::PathBuf,
    lang: &str,
    jobs: Option<usize>,
    dicts: Vec<std::path::PathBuf>,
) -> scanproof::CheckOptions {
    let mut opts = scanproof::CheckOptions::new(scans, transcript, lang);
    if let Some(j) = jobs {
        opts.jobs = j.max(1);
    }
    opts.dictionaries = dicts;
    opts
}

fn iiif_size(args: &cli::IiifArgs) -> Result<String, scanproof::Error> {
    let s = args.iiif_size.trim();
    let number = |v: &str| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.');
    let ok = match s {
        "max" | "full" => true,
        _ if s.starts_with("pct:") => number(&s[4..]),
        _ => {
            let t = s.trim_start_matches(['!', '^']);
            matches!(t.split_once(','), Some((w, h)) if (w.is_empty() || number(w)) && (h.is_empty() || number(h)) && !(w.is_empty() && h.is_empty()))
        }
    };
    if !ok {
        return Err(scanproof::Error::Usage(format!(
            "--iiif-size {s:?} is not an IIIF Image API size (max, full, 1500, ,2000, pct:50, !1500,2000)"
        )));
    }
    Ok(s.to_string())
}

/// A folder for this run's IIIF images when the cache is off.
fn downloads_folder(cache: &cli::CacheArgs) -> Result<Option<tempfile::TempDir>, scanproof::Error> {
    if cache.folder().is_some() {
        return Ok(None);
    }
    tempfile::Builder::new()
        .prefix("scanproof-iiif-")
        .tempdir()
        .map(Some)
        .map_err(|e| scanproof::Error::io(std::env::temp_dir(), e))
}

fn format_of(arg: FormatArg, csv_bom: bool) -> Format {
    match arg {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv { bom: csv_bom },
        FormatArg::Md => Format::Markdown,
        FormatArg::Html => Format::Html,
    }
}

/// Render a saved review again. Exit status 0: the review was judged when it was made.
fn run_report(args: cli::ReportArgs) -> Result<ExitCode, scanproof::Error> {
    let review = report::read_review(&args.review)?;
    let to_tty = args.output.is_none() && std::io::stdout().is_terminal();
    let style = TextStyle { colour: args.colour == ColourArg::Always || (args.colour == ColourArg::Auto && to_tty) };
    let format = format_of(args.format, args.csv_bom);
    write_report(args.output.as_deref(), |w| report::render(&review, format, &style, w))?;
    Ok(ExitCode::SUCCESS)
}

fn run_eval(args: cli::EvalArgs) -> Result<ExitCode, scanproof::Error> {
    let mut check = check_options(Vec::new(), Default::default(), &args.lang, args.jobs, args.dicts);
    check.score = score_params(args.min_score, &args.model)?;
    check.score.rules = scanproof::policy::Rules::of(args.policy);
    check.cache = args.cache.folder();
    check.reading = args.reading.mode;
    let opts = scanproof::eval::EvalOptions {
        dir: args.dir,
        check,
        seed: args.seed,
        rate: args.rate.max(1),
        mix: args.errors.parse().map_err(scanproof::Error::Usage)?,
        known: args.known,
        folds: args.folds,
        train_with: args
            .train_with
            .iter()
            .map(|f| f.parse().map_err(scanproof::Error::Usage))
            .collect::<Result<_, _>>()?,
        train_seeds: args.train_seeds,
        train_rates: args.train_rate,
        l2: args.l2,
        candidates: args.candidates,
    };
    let warn = |msg: &str| eprintln!("scanproof: warning: {msg}");
    let report = scanproof::eval::run(&opts, &warn)?;
    write_report(args.output.as_deref(), |w| match args.format {
        cli::EvalFormat::Text => scanproof::eval::render_text(&report, w),
        cli::EvalFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, &report)?;
            writeln!(w)
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Fit a model and write it (atomically).
fn run_train(args: cli::TrainArgs) -> Result<ExitCode, scanproof::Error> {
    use scanproof::model::{learn::LearnOptions, Model, Provenance};
    if args.report.len() != args.decisions.len() {
        return Err(scanproof::Error::Usage(format!(
            "{} --report but {} --decisions: give them in pairs",
            args.report.len(),
            args.decisions.len()
        )));
    }
    let mut check = check_options(Vec::new(), Default::default(), &args.lang, args.jobs, args.dicts);
    check.cache = args.cache.folder();
    let base = match args.refine.as_deref() {
        None => None,
        Some("default") => Some((*Model::default_model()).clone()),
        Some(path) => Some(Model::load(Path::new(path))?),
    };
    // A refinement stays near the model it refines unless the decisions say otherwise firmly.
    let l2 = args.l2.unwrap_or(if base.is_some() { 5.0 } else { 1.0 });
    let command = std::env::args().map(|a| if a.contains(' ') { format!("'{a}'") } else { a }).collect::<Vec<_>>();
    let mut provenance = base.as_ref().map(|b| b.provenance.clone()).unwrap_or_default();
    provenance = Provenance { command: command.join(" "), ..provenance };
    if base.is_none() {
        provenance = Provenance { command: provenance.command, ..Provenance::default() };
    }
    let opts = scanproof::train::TrainOptions {
        folders: args.folders.iter().map(|f| f.parse().map_err(scanproof::Error::Usage)).collect::<Result<_, _>>()?,
        check,
        seeds: args.seeds,
        rates: args.rate,
        mix: args.errors.parse().map_err(scanproof::Error::Usage)?,
        known: args.known,
        reviewed: args.report.into_iter().zip(args.decisions).collect(),
        decision_weight: args.decision_weight,
        // A refinement keeps the base's calibration: a reviewer's few decisions are not held out.
        learn: LearnOptions { l2, calibration_folds: if base.is_some() { 0 } else { 5 }, base, provenance },
    };
    let warn = |msg: &str| eprintln!("scanproof: warning: {msg}");
    let model = scanproof::train::train(&opts, &warn)?;
    eprintln!(
        "scanproof: trained on {} candidate(s), {} of them transcription errors; {} weights",
        model.provenance.rows,
        model.provenance.positives,
        model.weights.len()
    );
    write_report(Some(&args.output), |w| w.write_all(model.to_json().as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}

/// How flags are weighed and shown: the model (built in, or `--model FILE`) and `--min-score`.
fn score_params(min_score: f32, model: &cli::ModelArgs) -> Result<scanproof::score::Params, scanproof::Error> {
    if !(0.0..=1.0).contains(&min_score) {
        return Err(scanproof::Error::Usage(format!("--min-score must be between 0 and 1, got {min_score}")));
    }
    let mut params = scanproof::score::Params::default();
    if let Some(path) = &model.model {
        params.model = std::sync::Arc::new(scanproof::model::Model::load(path)?);
    }
    params.threshold = min_score;
    Ok(params)
}

fn run_ocr(args: cli::OcrArgs) -> Result<ExitCode, scanproof::Error> {
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pages = scanproof::read_scans(&args.scans, &args.lang, jobs, &|_| {})?;
    write_report(args.output.as_deref(), |w| {
        serde_json::to_writer(&mut *w, &pages)?;
        writeln!(w)
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Check a collection; the exit status covers every document of this run (or shard).
fn run_batch(args: cli::BatchArgs) -> Result<ExitCode, scanproof::Error> {
    use scanproof::batch;
    let mut check = check_options(Vec::new(), Default::default(), &args.lang, args.jobs, args.dicts);
    check.use_lexicon = !args.no_lexicon;
    check.score = score_params(args.min_score, &args.model)?;
    check.cache = args.cache.folder();
    check.reading = args.reading.mode;
    check.read.policy = args.policy.unwrap_or_default();
    check.policy = scanproof::policy::Choice { preset: args.policy, config: args.config };
    check_fraction("--min-coverage", Some(args.min_coverage))?;
    let opts = batch::BatchOptions {
        manifest: args.manifest,
        output: args.output,
        format: format_of(args.format, false),
        check,
        shard: args.shard,
        force: args.force,
        min_coverage: args.min_coverage,
    };
    let manifest = batch::Manifest::open(&opts.manifest)?;
    let documents = match opts.shard {
        Some(s) => (0..manifest.len()).filter(|i| i % s.count == s.index).count(),
        None => manifest.len(),
    };
    let progress = batch::ConsoleProgress::new(args.quiet, documents);
    let outcome = batch::run(&opts, &progress);
    progress.finish();
    let outcome = outcome?;
    if !args.quiet {
        let t = &outcome.totals;
        eprintln!(
            "scanproof: {} document(s): {} checked, {} unchanged, {} failed; {} flag(s) shown; summary in {}",
            t.documents,
            t.checked,
            t.unchanged,
            t.errors,
            t.flags_shown,
            outcome.summary.display()
        );
    }
    Ok(match outcome.exit_code(opts.min_coverage) {
        1 if args.exit_zero => ExitCode::SUCCESS,
        code => ExitCode::from(code),
    })
}

fn run_export_gt(args: cli::ExportGtArgs) -> Result<ExitCode, scanproof::Error> {
    use scanproof::export::{ExportOptions, GtFormat};
    let format = match args.format {
        cli::GtFormatArg::Tesstrain => GtFormat::Tesstrain,
        cli::GtFormatArg::Page => GtFormat::Page,
        cli::GtFormatArg::Alto => GtFormat::Alto,
    };
    let summary = scanproof::export::run(&ExportOptions {
        report: args.report,
        decisions: args.decisions,
        output: args.output.clone(),
        format,
        transcript: args.transcript,
        name: args.name,
    })?;
    let reasons: Vec<String> = summary.skipped.iter().map(|(why, n)| format!("{n} {}", reason(*why))).collect();
    eprintln!(
        "scanproof: exported {} of {} line(s) from {} page(s) to {}{}",
        summary.exported,
        summary.lines,
        summary.pages,
        args.output.display(),
        if reasons.is_empty() { String::new() } else { format!("; not exported: {}", reasons.join(", ")) }
    );
    Ok(ExitCode::SUCCESS)
}

fn reason(why: scanproof::export::Skip) -> &'static str {
    use scanproof::export::Skip;
    match why {
        Skip::OpenFlag => "with a flag not yet decided",
        Skip::Unverified => "with unverified text",
        Skip::CorrectionAcrossLines => "with a correction reaching into the next line",
        Skip::EditWithoutText => "with an edit whose text is not in the report (give --decisions)",
        Skip::Empty => "without transcript text",
    }
}

fn run_merge(args: cli::MergeArgs) -> Result<ExitCode, scanproof::Error> {
    let summary = scanproof::batch::merge(&args.summaries)?;
    write_report(args.output.as_deref(), |w| match args.format {
        cli::SummaryFormat::Json => summary.write_json(w),
        cli::SummaryFormat::Csv => summary.write_csv(w),
    })?;
    Ok(ExitCode::from(summary.exit_code()))
}

/// 2 when a page failed; 1 when something needs a person (a flag shown, or the document or a
/// page verified below `min_coverage`, by default any unverified word) unless `--exit-zero`;
/// else 0.
fn exit_status(review: &scanproof::Review, min_coverage: f32, exit_zero: bool) -> ExitCode {
    let below = |verified: usize, words: usize| (verified as f64) < min_coverage as f64 * words as f64;
    let s = &review.stats;
    let low = below(s.words_verified, s.words_verified + s.words_unverified)
        || review.pages.iter().any(|p| below(p.words_verified, p.words));
    if !review.failures.is_empty() {
        ExitCode::from(2)
    } else if (s.flags_shown > 0 || low) && !exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_fraction(name: &str, value: Option<f32>) -> Result<(), scanproof::Error> {
    match value {
        Some(v) if !(0.0..=1.0).contains(&v) => {
            Err(scanproof::Error::Usage(format!("{name} must be between 0 and 1, got {v}")))
        }
        _ => Ok(()),
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

fn run_apply(args: cli::ApplyArgs) -> Result<ExitCode, scanproof::Error> {
    use scanproof::review::apply::{apply, ApplyOptions, Target};
    let target = match args.output {
        Some(path) => Target::File(path),
        None => Target::InPlace,
    };
    let mut read = read_options(&args.read)?;
    // TEI readings follow the policy check used, which a scanproof.toml may state.
    read.policy = policy_choice(&args.read).rules_for(&args.transcript, read.policy)?.preset;
    let outcome = apply(&ApplyOptions {
        transcript: args.transcript,
        decisions: args.decisions,
        report: args.report,
        target,
        read,
        write: write_options(&args.write),
    })?;
    eprintln!(
        "scanproof: {} change(s) applied, {} already there, {} left as they were",
        outcome.applied, outcome.already_applied, outcome.unchanged
    );
    if outcome.written {
        eprintln!("scanproof: wrote {}", outcome.output.display());
    } else {
        eprintln!("scanproof: {} already holds every decision; left untouched", outcome.output.display());
    }
    if let Some(b) = &outcome.backup {
        eprintln!("scanproof: the original is kept as {}", b.display());
    }
    if let Some(a) = &outcome.audit {
        eprintln!("scanproof: audit log: {}", a.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Check once, then serve the review page until interrupted.
fn run_review(args: cli::ReviewArgs) -> Result<ExitCode, scanproof::Error> {
    use scanproof::review::{apply::Target, server};
    let mut opts = check_options(args.scans, args.transcript.clone(), &args.lang, args.jobs, args.dicts);
    opts.use_lexicon = !args.no_lexicon;
    opts.score = score_params(args.min_score, &args.model)?;
    opts.read = archive_options(&args.archive)?;
    opts.policy = policy_choice(&args.archive.read);
    opts.cache = args.cache.folder();
    opts.iiif_size = iiif_size(&args.iiif)?;
    let downloads = downloads_folder(&args.cache)?;
    opts.downloads = downloads.as_ref().map(|d| d.path().to_path_buf());
    let warn = |msg: &str| eprintln!("scanproof: warning: {msg}");
    let review = match &args.ocr_json {
        Some(path) => scanproof::check_with_pages(&opts, scanproof::ocr::read_pages_json(path)?, &warn)?,
        None if !args.archive.ocr.is_empty() => scanproof::check_with_ocr_files(&opts, &args.archive.ocr, &warn)?,
        None => {
            eprintln!("scanproof: reading the scans…");
            scanproof::check(&opts, &warn, &|_| {})?
        }
    };
    let decisions_path = args.decisions.unwrap_or_else(|| server::default_decisions_path(&args.transcript));
    let (decisions, note) = server::open_decisions(&review, &decisions_path)?;
    if let Some(note) = note {
        warn(&note);
    }
    let apply_target = if args.in_place {
        Target::InPlace
    } else {
        Target::File(args.apply_to.unwrap_or_else(|| server::default_corrected_path(&args.transcript)))
    };
    let reviewer = args
        .reviewer
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "reviewer".into());
    let serve = server::ServeOptions {
        host: args.host,
        port: args.port,
        decisions: decisions_path.clone(),
        apply_target,
        reviewer,
        read: opts.read,
        write: write_options(&args.write),
    };
    let shown = review.stats.flags_shown;
    server::serve(review, decisions, &serve, |addr| {
        eprintln!("scanproof: {shown} flag(s) to review; decisions are saved to {}", decisions_path.display());
        eprintln!("scanproof: review page at http://{addr}/ (Ctrl-C stops the server)");
        // The address alone on stdout, for scripts (and tests) that start the server.
        println!("http://{addr}/");
        let _ = std::io::stdout().flush();
    })?;
    Ok(ExitCode::SUCCESS)
}

/// How to read the transcript, from `--transcript-format` and `--encoding`.
fn read_options(args: &cli::TranscriptReadArgs) -> Result<scanproof::formats::ReadOptions, scanproof::Error> {
    use scanproof::formats::TranscriptFormat;
    let encoding = match &args.encoding {
        Some(label) => Some(scanproof::formats::encoding::by_label(label).ok_or_else(|| {
            scanproof::Error::Usage(format!(
                "--encoding {label:?} is not an encoding scanproof knows (try utf-8, utf-16le, windows-1251, koi8-r, cp866)"
            ))
        })?),
        None => None,
    };
    let format = args.transcript_format.map(|f| match f {
        cli::TranscriptFormatArg::Text => TranscriptFormat::Text,
        cli::TranscriptFormatArg::Alto => TranscriptFormat::Alto,
        cli::TranscriptFormatArg::Page => TranscriptFormat::Page,
        cli::TranscriptFormatArg::Hocr => TranscriptFormat::Hocr,
        cli::TranscriptFormatArg::Tei => TranscriptFormat::Tei,
        cli::TranscriptFormatArg::Docx => TranscriptFormat::Docx,
    });
    Ok(scanproof::formats::ReadOptions { format, encoding, policy: args.policy.unwrap_or_default() })
}

fn policy_choice(args: &cli::TranscriptReadArgs) -> scanproof::policy::Choice {
    scanproof::policy::Choice { preset: args.policy, config: args.config.clone() }
}

fn write_options(args: &cli::WriteArgs) -> scanproof::formats::WriteOptions {
    scanproof::formats::WriteOptions { tei_mode: args.tei_mode }
}

/// The archive options of `check` and `review`: the transcript's reading and the PDF resolution
/// (a setting of the whole run).
fn archive_options(args: &cli::ArchiveArgs) -> Result<scanproof::formats::ReadOptions, scanproof::Error> {
    if !(36..=1200).contains(&args.pdf_dpi) {
        return Err(scanproof::Error::Usage(format!("--pdf-dpi must be between 36 and 1200, got {}", args.pdf_dpi)));
    }
    scanproof::scan::multipage::set_pdf_dpi(args.pdf_dpi);
    read_options(&args.read)
}
