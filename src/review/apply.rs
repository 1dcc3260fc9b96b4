//! Apply: a transcript's bytes and the reviewer's decisions in, the corrected transcript out
//! (written atomically, with a backup when in place) and an audit log beside it. It edits the
//! original bytes only inside the decided spans, so a BOM, CRLF line ends and every other byte
//! survive (in an XML transcript only the corrected elements' text changes, and every file is
//! written in the encoding it was read in); it never guesses where a span moved: a decision
//! that no longer fits is a conflict.

use crate::error::{Error, Result};
use crate::formats::{read_document, Document, Edit, ReadOptions, WriteOptions};
use crate::review::decisions::{read_decisions, Action, Decisions};
use crate::transcript::sha256_hex;
use crate::types::Review;
use serde::Serialize;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One decision made concrete: what to put where. Offsets are code points into the transcript
/// as checked (BOM not counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    pub page: usize,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub before: String,
    pub after: String,
    pub action: Action,
    pub reviewer: String,
    pub at: String,
}

/// Where the corrected transcript goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// Over the transcript itself, keeping a backup of the original beside it.
    InPlace,
}

#[derive(Debug, Clone)]
pub struct ApplyOptions {
    pub transcript: PathBuf,
    pub decisions: PathBuf,
    /// The saved JSON report, for decisions that do not carry their flag's span.
    pub report: Option<PathBuf>,
    pub target: Target,
    /// How to read the transcript (format and encoding), as `check` read it.
    pub read: ReadOptions,
    /// How to write the corrections (TEI: as `<choice>`s or in place).
    pub write: WriteOptions,
}

/// What `apply` did, for the user (and the review page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub output: PathBuf,
    /// Whether the output file was written (not when it already held the result).
    pub written: bool,
    pub applied: usize,
    /// Changes found already in the transcript (an earlier apply).
    pub already_applied: usize,
    /// Rejections, and edits that keep the text as it is.
    pub unchanged: usize,
    pub backup: Option<PathBuf>,
    pub audit: Option<PathBuf>,
}

/// The result of applying changes to a transcript's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub bytes: Vec<u8>,
    pub applied: Vec<Change>,
    pub already_applied: Vec<Change>,
    pub unchanged: usize,
}

/// Read the decisions (and the report, if given) and write the corrected transcript.
pub fn apply(opts: &ApplyOptions) -> Result<Outcome> {
    let decisions = read_decisions(&opts.decisions)?;
    let report = opts.report.as_deref().map(read_report).transpose()?;
    apply_decisions_reading(
        &opts.transcript,
        &decisions,
        &opts.decisions,
        report.as_ref(),
        &opts.target,
        &opts.read,
        &opts.write,
    )
}

/// A saved JSON report (`check --format json`).
pub fn read_report(path: &Path) -> Result<Review> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::BadInput { path: path.to_path_buf(), reason: format!("not a scanproof JSON report: {e}") })
}

/// Apply decisions already read. `decisions_path` only names them in messages.
pub fn apply_decisions(
    transcript: &Path,
    decisions: &Decisions,
    decisions_path: &Path,
    report: Option<&Review>,
    target: &Target,
) -> Result<Outcome> {
    let (read, write) = (ReadOptions::default(), WriteOptions::default());
    apply_decisions_reading(transcript, decisions, decisions_path, report, target, &read, &write)
}

/// `apply_decisions` with the transcript read as `read` says (a forced format or encoding, the
/// policy) and written as `write` says. An XML transcript is corrected inside its elements'
/// text (TEI as `<choice>`s, Word as tracked changes); any transcript is written back in the
/// encoding it was read in.
pub fn apply_decisions_reading(
    transcript: &Path,
    decisions: &Decisions,
    decisions_path: &Path,
    report: Option<&Review>,
    target: &Target,
    read: &ReadOptions,
    write: &WriteOptions,
) -> Result<Outcome> {
    let changes = resolve_changes(decisions, decisions_path, report)?;
    let checked = match (decisions.transcript_sha256.as_str(), report) {
        ("", Some(r)) => r.transcript.sha256.as_str(),
        (sha, _) => sha,
    };
    let output = match target {
        Target::File(p) => {
            if same_file(p, transcript) {
                return Err(Error::Usage(format!(
                    "{}: the output is the transcript itself; use --in-place, which keeps a backup",
                    p.display()
                )));
            }
            p.clone()
        }
        Target::InPlace => transcript.to_path_buf(),
    };
    let original = std::fs::read(transcript).map_err(|e| Error::io(transcript, e))?;
    let document = read_document(transcript, &original, read)?;
    // Decisions none of whose texts is anywhere in this transcript were made on another one:
    // say so, rather than list every decision as a conflict.
    let text = &document.transcript.text;
    if !checked.is_empty()
        && checked != document.transcript.sha256
        && fitting(text, &changes) == 0
        && !changes.iter().any(|c| !c.before.is_empty() && text.contains(c.before.as_str()))
    {
        if let Some(first) = changes.first() {
            return Err(Error::Decisions {
                path: decisions_path.to_path_buf(),
                reason: format!(
                    "made on another transcript: it names sha256 {}…, {} has {}…, and the text of none of its {} \
                     decision(s) is there (flag {} expects {:?} at {}..{}); nothing was applied",
                    checked.get(..12).unwrap_or(checked),
                    transcript.display(),
                    &document.transcript.sha256[..12],
                    changes.len(),
                    first.id,
                    first.before,
                    first.start,
                    first.end
                ),
            });
        }
    }
    let correction = correct_document(&document, transcript, &original, checked, &changes, write)?;
    let mut outcome = Outcome {
        output: output.clone(),
        written: false,
        applied: correction.applied.len(),
        already_applied: correction.already_applied.len(),
        unchanged: correction.unchanged,
        backup: None,
        audit: None,
    };
    // Already there (in place with nothing to do, or the same output written before): leave
    // the file and the audit log as they are, so a second apply changes nothing.
    let current = if *target == Target::InPlace { Some(original.clone()) } else { std::fs::read(&output).ok() };
    if current.as_deref() == Some(correction.bytes.as_slice()) {
        outcome.already_applied += outcome.applied;
        outcome.applied = 0;
        return Ok(outcome);
    }
    let permissions = std::fs::metadata(transcript).map(|m| m.permissions());
    if *target == Target::InPlace {
        outcome.backup = Some(back_up(transcript, &original)?);
    }
    crate::report::write_atomically(&output, |w| w.write_all(&correction.bytes))?;
    outcome.written = true;
    if let (Target::InPlace, Ok(permissions)) = (target, permissions) {
        // The rename gave the file default permissions; keep the original's.
        let _ = std::fs::set_permissions(&output, permissions);
    }
    if !correction.applied.is_empty() {
        outcome.audit = Some(write_audit(&output, transcript, &correction.applied)?);
    }
    Ok(outcome)
}

/// Turn each decision into a change: its span from the decision itself, or else from the
/// report's flag of the same id.
pub fn resolve_changes(decisions: &Decisions, decisions_path: &Path, report: Option<&Review>) -> Result<Vec<Change>> {
    let bad = |reason: String| Error::Decisions { path: decisions_path.to_path_buf(), reason };
    decisions
        .decisions
        .iter()
        .map(|d| {
            let flag = report.and_then(|r| r.flags.iter().find(|f| f.id == d.id));
            let (start, end, before) = match (d.start, d.end, &d.before, flag) {
                (Some(s), Some(e), Some(b), _) => (s, e, b.clone()),
                (_, _, _, Some(f)) => (f.start, f.end, f.transcript.clone()),
                _ => {
                    return Err(bad(format!(
                        "flag {} has no span in this file{}",
                        d.id,
                        if report.is_some() {
                            " and is not in the report"
                        } else {
                            "; give the report it came from with --report"
                        }
                    )))
                }
            };
            let after = match d.action {
                Action::Reject => before.clone(),
                Action::Edit => d.text.clone().unwrap_or_default(),
                Action::Accept => match (&d.after, flag) {
                    (Some(a), _) => a.clone(),
                    (None, Some(f)) => f.suggestion.clone(),
                    (None, None) => {
                        return Err(bad(format!(
                            "flag {} is accepted but this file does not say what to put in; \
                             give the report it came from with --report",
                            d.id
                        )))
                    }
                },
            };
            Ok(Change {
                id: d.id.clone(),
                page: d.page.or(flag.map(|f| f.page)).unwrap_or(0),
                line: d.line.or(flag.map(|f| f.line)).unwrap_or(0),
                start,
                end,
                before,
                after,
                action: d.action,
                reviewer: d.reviewer.clone(),
                at: d.at.clone(),
            })
        })
        .collect()
}

/// Apply `changes` to a transcript's bytes. `checked_sha256` is the hash of the bytes the flags
/// were found in. When the bytes still have that hash, every change must find its `before` at
/// its span. When they do not, each change is checked where it would be now: its `after`
/// already there means an earlier apply did it (later spans shift by the difference), its
/// `before` there means it is still to do (a deletion whose text is gone counts as done),
/// anything else is a conflict. Any conflict refuses the whole apply, naming each one.
pub fn correct(path: &Path, bytes: &[u8], checked_sha256: &str, changes: &[Change]) -> Result<Correction> {
    let document = read_document(path, bytes, &ReadOptions::default())?;
    correct_document(&document, path, bytes, checked_sha256, changes, &WriteOptions::default())
}

/// How many changes find their text (before, or after when done) at their span, unshifted.
fn fitting(text: &str, changes: &[Change]) -> usize {
    let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let at = |from: usize, s: &str| -> bool {
        let to = from + s.chars().count();
        matches!((bounds.get(from), bounds.get(to)), (Some(&a), Some(&b)) if &text[a..b] == s)
    };
    changes
        .iter()
        .filter(|c| (!c.before.is_empty() && at(c.start, &c.before)) || (!c.after.is_empty() && at(c.start, &c.after)))
        .count()
}

/// `correct` on a transcript already read: offsets are code points of its text (for XML, the
/// text of its elements), and the edits go back through the document's own format and encoding.
fn correct_document(
    document: &Document,
    path: &Path,
    bytes: &[u8],
    checked_sha256: &str,
    changes: &[Change],
    write: &WriteOptions,
) -> Result<Correction> {
    let text = &document.transcript.text;
    let unchanged_text = text.as_str();
    let hash_matches = sha256_hex(bytes) == checked_sha256;
    // Byte offset of every code point (and of the end), so spans slice in O(1).
    let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let slice = |from: usize, len: usize| -> Option<&str> {
        Some(&unchanged_text[*bounds.get(from)?..*bounds.get(from + len)?])
    };
    let found_at = |from: usize, len: usize| -> String {
        let a = bounds.get(from).copied().unwrap_or(text.len());
        let b = bounds.get(from + len).copied().unwrap_or(text.len());
        unchanged_text[a..b].to_string()
    };

    let mut todo: Vec<&Change> = changes.iter().filter(|c| c.before != c.after).collect();
    let unchanged = changes.len() - todo.len();
    todo.sort_by_key(|c| (c.start, c.end));

    let mut conflicts = Vec::new();
    let mut applied = Vec::new();
    let mut already = Vec::new();
    let mut edits: Vec<Edit> = Vec::new(); // code points of `text`
    let mut shift: isize = 0; // where the checked text's offsets are now
    let mut prev: Option<&Change> = None;
    for c in todo {
        let place = format!("flag {} (page {}, line {})", c.id, c.page, c.line);
        if let Some(p) = prev {
            let both_insert_here = c.start == p.start && c.start == c.end && p.start == p.end;
            if c.start < p.end || both_insert_here {
                conflicts.push(format!("{place} overlaps flag {}", p.id));
                continue;
            }
        }
        prev = Some(c);
        let before_len = c.before.chars().count();
        let after_len = c.after.chars().count();
        if c.end < c.start || before_len != c.end - c.start {
            conflicts.push(format!("{place}: its text {:?} does not fit its span {}..{}", c.before, c.start, c.end));
            continue;
        }
        let Some(pos) = c.start.checked_add_signed(shift) else {
            conflicts.push(format!("{place}: its span is before the start of the text"));
            continue;
        };
        let at_before = slice(pos, before_len) == Some(c.before.as_str());
        // An empty `after` (a deletion) is "found" anywhere, so it proves nothing.
        let at_after = !c.after.is_empty() && slice(pos, after_len) == Some(c.after.as_str());
        let edit = || Edit {
            span: pos..pos + before_len,
            text: c.after.clone(),
            author: c.reviewer.clone(),
            at: c.at.clone(),
        };
        if hash_matches && at_before {
            edits.push(edit());
            applied.push(c.clone());
        } else if !hash_matches && (at_after || (c.after.is_empty() && !at_before)) {
            // Done by an earlier apply. A deletion leaves nothing to find, so its text being
            // gone is taken as done; skipping it writes nothing, so it cannot misplace anything.
            already.push(c.clone());
            shift += after_len as isize - before_len as isize;
        } else if !hash_matches && at_before && c.before.is_empty() {
            // An insertion has no text of its own to confirm its place in a changed file.
            conflicts.push(format!(
                "{place}: would insert {:?} at {}, but the transcript changed since the check \
                 and nothing confirms that place",
                c.after, pos
            ));
        } else if at_before {
            edits.push(edit());
            applied.push(c.clone());
        } else {
            conflicts.push(format!(
                "{place}: expected {:?} at {}..{}, found {:?}",
                c.before,
                pos,
                pos + before_len,
                found_at(pos, before_len)
            ));
        }
    }
    if !conflicts.is_empty() {
        return Err(Error::Conflicts { path: path.to_path_buf(), conflicts });
    }

    // A correction the file's encoding cannot hold refuses the whole apply, naming the flag.
    for c in &applied {
        if let Err(e) = document.decoded.encode(&c.after) {
            return Err(Error::BadInput {
                path: path.to_path_buf(),
                reason: format!(
                    "flag {} (page {}, line {}): {e}, the transcript's encoding; nothing was applied",
                    c.id, c.page, c.line
                ),
            });
        }
    }
    let out = document.write_corrections(bytes, &edits, write).map_err(|reason| Error::BadInput {
        path: path.to_path_buf(),
        reason: format!("the corrections cannot be written back: {reason}; nothing was applied"),
    })?;
    Ok(Correction { bytes: out, applied, already_applied: already, unchanged })
}

/// Copy the original beside it as FILE.bak, or FILE.bak.1, .2 … : an older backup is never
/// overwritten.
pub(crate) fn back_up(path: &Path, original: &[u8]) -> Result<PathBuf> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    for n in 0.. {
        let candidate = path.with_file_name(if n == 0 { format!("{name}.bak") } else { format!("{name}.bak.{n}") });
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&candidate) {
            Ok(mut f) => {
                f.write_all(original).and_then(|_| f.sync_all()).map_err(|e| Error::io(&candidate, e))?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&candidate, e)),
        }
    }
    unreachable!("some backup name is free")
}

#[derive(Serialize)]
struct AuditEntry<'a> {
    id: &'a str,
    page: usize,
    line: usize,
    start: usize,
    end: usize,
    action: Action,
    before: &'a str,
    after: &'a str,
    reviewer: &'a str,
    /// When the reviewer decided.
    time: &'a str,
    applied_at: &'a str,
    transcript: &'a Path,
    output: &'a Path,
}

/// Append one JSON line per change to OUTPUT.audit.jsonl: who changed what, and when.
fn write_audit(output: &Path, transcript: &Path, applied: &[Change]) -> Result<PathBuf> {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let path = output.with_file_name(format!("{name}.audit.jsonl"));
    let now = crate::review::decisions::now_rfc3339();
    let mut lines = Vec::new();
    for c in applied {
        let entry = AuditEntry {
            id: &c.id,
            page: c.page,
            line: c.line,
            start: c.start,
            end: c.end,
            action: c.action,
            before: &c.before,
            after: &c.after,
            reviewer: &c.reviewer,
            time: &c.at,
            applied_at: &now,
            transcript,
            output,
        };
        serde_json::to_writer(&mut lines, &entry).expect("audit entries serialize");
        lines.push(b'\n');
    }
    // One write of whole lines, appended: earlier runs' entries stay.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(&lines).and_then(|_| f.sync_all()))
        .map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

fn same_file(a: &Path, b: &Path) -> bool {
    let full = |p: &Path| {
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::canonicalize(parent).ok().map(|d| d.join(p.file_name().unwrap_or_default()))
    };
    matches!((full(a), full(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests;
