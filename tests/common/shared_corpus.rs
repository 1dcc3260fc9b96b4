//! Shared helpers for tests that run the binary on the shared corpus or need an external tool:
//! each skips (with a message) when what it needs is not on this machine.
#![allow(dead_code)] // each test file uses its own part of it

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shared EHRI English pages, when they are here.
pub fn ehri() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ehri/english");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/corpus/ehri is not here");
        None
    }
}

pub fn has_tool(tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        eprintln!("skipped: {tool} is not installed");
    }
    found
}

/// Run the binary: exit status, standard output, standard error.
pub fn scanproof(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_scanproof")).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

pub fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}
