//! How a batch goes, told as it goes: the `Progress` trait the batch calls, and the CLI's
//! console progress (a bar on a terminal, a line per document in a job log).

use super::{Document, DocumentSummary, Status};

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
