//! Report stage: a `Review` in, bytes out. One file per format; each is
//! `fn(&Review, &mut dyn Write)` and computes nothing that is not a field of the review.

pub mod crops;
pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;

use crate::types::Review;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// `bom`: start with a byte-order mark, which Excel needs to read UTF-8.
    Csv {
        bom: bool,
    },
    Markdown,
    /// Page images are read relative to the current folder, where `check` ran.
    Html,
}

pub struct TextStyle {
    pub colour: bool,
}

pub fn render(review: &Review, format: Format, style: &TextStyle, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::render(review, style, out),
        Format::Json => json::render(review, out),
        Format::Csv { bom } => csv::render(review, bom, out),
        Format::Markdown => markdown::render(review, out),
        Format::Html => html::render(review, &html::HtmlOptions::default(), out),
    }
}

/// Read a review saved with `--format json`, to render it again without OCR.
/// What the policy the flags were judged by tolerates, and what it kept out of the list
/// («differences in spacing do not count»); the preset's name is `review.policy.preset`.
pub fn policy_line(review: &Review) -> String {
    let tolerated = review.policy.tolerated();
    let mut line = if tolerated.is_empty() {
        "every difference counts".to_string()
    } else {
        format!("differences in {} do not count", tolerated.join(", "))
    };
    if review.stats.flags_tolerated > 0 {
        line.push_str(&format!(
            "; {} flag(s) not shown because the policy tolerates them",
            review.stats.flags_tolerated
        ));
    }
    line
}

pub fn read_review(path: &std::path::Path) -> crate::Result<Review> {
    let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| crate::Error::BadInput {
        path: path.to_path_buf(),
        reason: format!("not a scanproof JSON report: {e}"),
    })
}

/// Write a file atomically: into a temporary file in the same folder, then renamed over the
/// target, so readers never see half a file and a failure leaves the old one intact. A target
/// that exists and is no regular file (`-o /dev/null`, a named pipe) is written to as it is:
/// renaming over it would replace the device with a file (it did, for /dev/null).
pub fn write_atomically(
    path: &std::path::Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> crate::Result<()> {
    let err = |e| crate::Error::io(path, e);
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let file = std::fs::OpenOptions::new().write(true).open(path).map_err(err)?;
        let mut w = io::BufWriter::new(file);
        return render(&mut w).and_then(|_| w.flush()).map_err(err);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    // Unique even between hosts sharing the folder (a cluster's shards, where process ids
    // repeat): two writers of one file never write the same temporary.
    let tmp = dir.join(format!(".{name}.{}.{:08x}.tmp", std::process::id(), rand::random::<u32>()));
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = io::BufWriter::new(file);
        render(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::FileTypeExt;

    #[test]
    fn a_device_or_pipe_is_written_to_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomically(&fifo, |w| w.write_all(b"report")).unwrap();
        assert_eq!(reader.join().unwrap(), b"report");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "still a pipe");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary left");
        // A regular file is replaced whole.
        let file = dir.path().join("r.txt");
        write_atomically(&file, |w| w.write_all(b"one")).unwrap();
        write_atomically(&file, |w| w.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"two");
    }
}
