//! The `scanproof` binary: parse arguments (`cli`), run the command (`commands`: options for
//! the library, its call, the report written), and map the outcome to an exit status (0 nothing
//! to review, 1 flags shown, 2 error).

mod cli;
mod commands;

use clap::Parser;
use cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    limit_openmp_threads();
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("scanproof: error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Tesseract's OpenMP threads would fight our one-engine-per-worker pool (measured: a page took
/// five times as long, spinning in libgomp), so each engine gets one thread. libgomp reads
/// OMP_THREAD_LIMIT when it is loaded, before `main`, so setting it here is too late: the
/// binary runs itself again with it set (same process id, arguments and standard streams).
fn limit_openmp_threads() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return;
    }
    if let Ok(exe) = std::env::current_exe() {
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| exe.clone().into_os_string());
        // `exec` returns only if it failed; then go on with OpenMP's own threads.
        let _ = std::process::Command::new(&exe).arg0(arg0).args(args).env("OMP_THREAD_LIMIT", "1").exec();
    }
}
