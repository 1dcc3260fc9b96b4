//! The library's one error type. Every variant names the file (or language) it is about, so
//! the message alone tells a user what to fix. All of them mean exit status 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{}: no such file or folder", path.display())]
    NotFound { path: PathBuf },

    #[error("{}: no page images (PNG, JPEG, TIFF or PDF) in this folder", path.display())]
    NoScans { path: PathBuf },

    #[error("{}: not a readable image: {reason}", path.display())]
    BadImage { path: PathBuf, reason: String },

    #[error("{}: the transcript is empty", path.display())]
    EmptyTranscript { path: PathBuf },

    #[error("{}: not valid UTF-8 at byte offset {offset}", path.display())]
    InvalidUtf8 { path: PathBuf, offset: usize },

    #[error("{}: not valid UTF-8 at byte offset {offset}, and not recognizably windows-1251, KOI8-R or CP866 text either; name its encoding with --encoding", path.display())]
    UndetectedEncoding { path: PathBuf, offset: usize },

    #[error("{}: not valid {encoding} at byte offset {offset}", path.display())]
    BadEncoding { path: PathBuf, encoding: String, offset: usize },

    #[error(
        "Tesseract has no data for language '{lang}' (looked in {searched}); install the Debian package {package}"
    )]
    MissingLanguage { lang: String, package: String, searched: String },

    #[error("'{lang}' is not a Tesseract language code (expected e.g. rus, eng, deu or rus+eng)")]
    BadLanguage { lang: String },

    #[error("page {page} ({}): OCR failed: {reason}", path.display())]
    Ocr { page: usize, path: PathBuf, reason: String },

    #[error("{}: dictionary could not be read: {reason}", path.display())]
    Dictionary { path: PathBuf, reason: String },

    #[error("{}: {reason}", path.display())]
    BadInput { path: PathBuf, reason: String },

    #[error("{}: {reason}", path.display())]
    Decisions { path: PathBuf, reason: String },

    /// `apply` found decisions that no longer fit the transcript, and applied none of them.
    #[error("{}: {} decision(s) do not fit the transcript as it is now; nothing was applied:\n  {}", path.display(), conflicts.len(), conflicts.join("\n  "))]
    Conflicts { path: PathBuf, conflicts: Vec<String> },

    #[error("cannot serve the review page on {addr}: {source}")]
    Serve { addr: String, source: std::io::Error },

    /// Scans and transcript share (almost) nothing: the wrong transcript for these scans, or
    /// the wrong scans for it.
    #[error("{}: the transcript does not match these scans: {matched} of its {transcript_words} longer words are read on them (the scans have {scan_words} read with confidence); check that the scans and the transcript belong together", transcript.display())]
    Unrelated { transcript: PathBuf, matched: usize, transcript_words: usize, scan_words: usize },

    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::NotFound {
            Error::NotFound { path }
        } else {
            Error::Io { path, source }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
