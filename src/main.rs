//! The `scanproof` binary: parse arguments (`cli`), run the command (`commands`: options for
//! the library, its call, the report written), and map the outcome to an exit status (0 nothing
//! to review, 1 flags shown, 2 error).

mod cli;
mod commands;
// Linux only, as the export in build.rs that makes Tesseract call it.
#[cfg(target_os = "linux")]
mod line_images;

use clap::Parser;
use cli::Cli;
use std::process::ExitCode;

/// jemalloc, unprefixed: Tesseract's and Leptonica's malloc and C++ `new` resolve to it too.
/// On six EHRI pages it took 3% less CPU than glibc's malloc at one job and at two (README,
/// Throughput); glibc's per-thread heaps spent it in `malloc_consolidate` and `_int_free`.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at its start (the `MALLOC_CONF` environment variable still
/// overrides them). Huge pages, kept a minute once freed: Leptonica writes each new image's
/// row ends before anything else touches it, and with two engines each first write to a 4 KiB
/// page made the kernel interrupt the other core to flush its TLB (5% of the run at `--jobs 2`,
/// none in Tesseract's one-thread CLI). In 2 MiB pages, reused, there are 5,000 page faults a
/// run instead of 90,000: `--jobs 2` 3.4-3.5 s instead of 3.7 s on six EHRI pages, for a
/// quarter more peak memory (README, Throughput).
#[allow(non_upper_case_globals)]
#[export_name = "malloc_conf"]
pub static malloc_conf: &[u8; 53] = b"thp:always,dirty_decay_ms:60000,muzzy_decay_ms:60000\0";

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
