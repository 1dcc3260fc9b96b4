//! `eval --candidates FILE`: every candidate the checker weighed, one JSON object a line, with
//! the truth about it, so that a collection's own figures can be studied (and other models tried)
//! outside scanproof. Each line: which set it came from (`scored`, or `train` for `--train-with`
//! pages), the document and page, the run (0 the clean transcription, 1.. the corrupted copies),
//! whether the transcript was wrong there (`label`: an injected error or a known real error), the
//! kinds of the injected errors it lands on, and the flag with its measured evidence.

use super::corpus::PageRun;
use crate::types::Flag;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Candidate<'a> {
    set: &'a str,
    doc: &'a str,
    page: &'a str,
    lang: &'a str,
    run: usize,
    label: bool,
    natural: bool,
    injected: Vec<&'static str>,
    flag: &'a Flag,
}

/// Write the candidates of `runs` as JSON lines.
pub fn write(runs: &[PageRun], set: &str, out: &mut dyn Write) -> std::io::Result<()> {
    for r in runs {
        for f in &r.clean {
            let natural = r.natural.iter().any(|n| super::corpus::overlaps(f, n));
            let c = Candidate {
                set,
                doc: &r.doc,
                page: &r.name,
                lang: &r.lang,
                run: 0,
                label: natural,
                natural,
                injected: Vec::new(),
                flag: f,
            };
            serde_json::to_writer(&mut *out, &c)?;
            writeln!(out)?;
        }
        for (k, c) in r.corrupted.iter().enumerate() {
            for f in &c.flags {
                let hits = c.hits(f);
                let cand = Candidate {
                    set,
                    doc: &r.doc,
                    page: &r.name,
                    lang: &r.lang,
                    run: k + 1,
                    label: c.label(f),
                    natural: hits.is_empty() && c.label(f),
                    injected: hits.iter().map(|&h| c.injected[h].kind.name()).collect(),
                    flag: f,
                };
                serde_json::to_writer(&mut *out, &cand)?;
                writeln!(out)?;
            }
        }
    }
    Ok(())
}
