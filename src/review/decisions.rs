//! Decisions file: a reviewer's verdict on each flag (accept, reject, edit), keyed by flag id.
//! Each decision also keeps the flag's span and text, so `apply` needs no report. This file
//! reads, writes (atomically) and marks a `Review`'s flags as decided; it changes no transcript.

use crate::error::{Error, Result};
use crate::types::{Flag, Review};
use serde::{Deserialize, Serialize};
use std::path::Path;
use time::format_description::well_known::Rfc3339;

/// The version this code reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Take the flag's suggestion (the scan's reading).
    Accept,
    /// The transcript is right; change nothing.
    Reject,
    /// Put the decision's `text` in.
    Edit,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Edit => "edit",
        }
    }
}

/// One verdict. `id`, `action`, `text`, `reviewer` and `at` are the contract; the flag's
/// place (`page` … `after`) is optional, and when present lets `apply` work from this file alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub id: String,
    pub action: Action,
    /// The replacement, only for `edit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default)]
    pub reviewer: String,
    /// When it was decided (RFC 3339).
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Code-point offsets into the transcript as checked (BOM not counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The flagged transcript text, expected at `start..end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// What `apply` puts there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl Decision {
    /// A decision on `flag`, carrying its span so `apply` needs no report.
    pub fn on_flag(flag: &Flag, action: Action, text: Option<String>, reviewer: &str, at: String) -> Decision {
        let after = match action {
            Action::Accept => flag.suggestion.clone(),
            Action::Reject => flag.transcript.clone(),
            Action::Edit => text.clone().unwrap_or_default(),
        };
        Decision {
            id: flag.id.clone(),
            action,
            text: if action == Action::Edit { text } else { None },
            reviewer: reviewer.to_string(),
            at,
            page: Some(flag.page),
            line: Some(flag.line),
            start: Some(flag.start),
            end: Some(flag.end),
            before: Some(flag.transcript.clone()),
            after: Some(after),
        }
    }

    /// Take `flag`'s current span (same id, re-checked transcript); the verdict stays.
    pub fn rebase(&mut self, flag: &Flag) {
        *self = Decision::on_flag(flag, self.action, self.text.take(), &self.reviewer, std::mem::take(&mut self.at));
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decisions {
    pub version: u32,
    /// sha256 of the transcript file's bytes that the flags were found in.
    pub transcript_sha256: String,
    pub decisions: Vec<Decision>,
}

impl Decisions {
    pub fn new(transcript_sha256: &str) -> Self {
        Decisions { version: VERSION, transcript_sha256: transcript_sha256.to_string(), decisions: Vec::new() }
    }

    pub fn get(&self, id: &str) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.id == id)
    }

    /// Record a decision, replacing an earlier one on the same flag (a reviewer's change of mind).
    pub fn record(&mut self, decision: Decision) {
        match self.decisions.iter_mut().find(|d| d.id == decision.id) {
            Some(d) => *d = decision,
            None => self.decisions.push(decision),
        }
    }

    /// Forget the decision on a flag; whether there was one.
    pub fn forget(&mut self, id: &str) -> bool {
        let before = self.decisions.len();
        self.decisions.retain(|d| d.id != id);
        before != self.decisions.len()
    }
}

/// Read and check a decisions file. Every problem names the file (and the decision).
pub fn read_decisions(path: &Path) -> Result<Decisions> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_decisions(path, &bytes)
}

/// Parse and check a decisions file's bytes (`path` names it in errors).
pub fn parse_decisions(path: &Path, bytes: &[u8]) -> Result<Decisions> {
    let bad = |reason: String| Error::Decisions { path: path.to_path_buf(), reason };
    let decisions: Decisions = serde_json::from_slice(bytes).map_err(|e| bad(format!("not a decisions file: {e}")))?;
    if decisions.version != VERSION {
        return Err(bad(format!(
            "version {} is not supported (this scanproof reads version {VERSION})",
            decisions.version
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for d in &decisions.decisions {
        if !seen.insert(d.id.as_str()) {
            return Err(bad(format!("flag {} is decided twice", d.id)));
        }
        if d.action == Action::Edit && d.text.is_none() {
            return Err(bad(format!("flag {}: an edit needs a \"text\"", d.id)));
        }
        if time::OffsetDateTime::parse(&d.at, &Rfc3339).is_err() {
            return Err(bad(format!("flag {}: \"at\" is not an RFC 3339 time: {:?}", d.id, d.at)));
        }
        if let (Some(s), Some(e)) = (d.start, d.end) {
            if s > e {
                return Err(bad(format!("flag {}: start {s} is after end {e}", d.id)));
            }
        }
    }
    Ok(decisions)
}

/// Write the decisions file atomically: a reader (or a killed server) never sees half of it.
pub fn write_decisions(path: &Path, decisions: &Decisions) -> Result<()> {
    crate::report::write_atomically(path, |w| {
        serde_json::to_writer_pretty(&mut *w, decisions)?;
        writeln!(w)
    })
}

/// Now, as RFC 3339 in UTC.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// Mark the decided flags (`decision` set, no longer shown) and recount what is shown.
/// Flags are matched by id, which stays stable when the transcript is edited elsewhere.
/// Returns how many flags were marked.
pub fn mark_decided(review: &mut Review, decisions: &Decisions) -> usize {
    let mut marked = 0;
    for flag in &mut review.flags {
        if let Some(d) = decisions.get(&flag.id) {
            flag.decision = Some(d.action.as_str().to_string());
            flag.shown = false;
            marked += 1;
        }
    }
    for page in &mut review.pages {
        page.flags_shown = review.flags.iter().filter(|f| f.shown && f.page == page.page).count();
    }
    review.stats.flags_shown = review.flags.iter().filter(|f| f.shown).count();
    marked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> &'static str {
        r#"{"version": 1, "transcript_sha256": "ab",
            "decisions": [
              {"id": "f1", "action": "accept", "reviewer": "ann", "at": "2024-05-01T10:00:00Z"},
              {"id": "f2", "action": "edit", "text": "Тегерана", "reviewer": "ann",
               "at": "2024-05-01T10:01:00+02:00", "start": 3, "end": 9, "before": "Тетера"}
            ]}"#
    }

    fn read_str(s: &str) -> Result<Decisions> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.json");
        std::fs::write(&path, s).unwrap();
        read_decisions(&path)
    }

    #[test]
    fn reads_the_contract_and_round_trips() {
        let d = read_str(sample()).unwrap();
        assert_eq!(d.decisions.len(), 2);
        assert_eq!(d.decisions[1].action, Action::Edit);
        assert_eq!(d.decisions[1].text.as_deref(), Some("Тегерана"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_decisions(&path, &d).unwrap();
        assert_eq!(read_decisions(&path).unwrap(), d);
    }

    #[test]
    fn bad_files_name_the_file_and_the_problem() {
        let cases = [
            ("{", "not a decisions file"),
            (r#"{"version": 2, "transcript_sha256": "", "decisions": []}"#, "version 2"),
            (
                r#"{"version": 1, "transcript_sha256": "", "decisions": [
                    {"id": "x", "action": "edit", "at": "2024-05-01T10:00:00Z"}]}"#,
                "needs a \"text\"",
            ),
            (
                r#"{"version": 1, "transcript_sha256": "", "decisions": [
                    {"id": "x", "action": "reject", "at": "yesterday"}]}"#,
                "RFC 3339",
            ),
            (
                r#"{"version": 1, "transcript_sha256": "", "decisions": [
                    {"id": "x", "action": "reject", "at": "2024-05-01T10:00:00Z"},
                    {"id": "x", "action": "accept", "at": "2024-05-01T10:00:00Z"}]}"#,
                "decided twice",
            ),
            (
                r#"{"version": 1, "transcript_sha256": "", "decisions": [
                    {"id": "x", "action": "maybe", "at": "2024-05-01T10:00:00Z"}]}"#,
                "unknown variant",
            ),
        ];
        for (text, want) in cases {
            let err = read_str(text).unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, Error::Decisions { .. }), "{msg}");
            assert!(msg.contains("d.json") && msg.contains(want), "{msg}");
        }
    }

    #[test]
    fn decided_flags_are_marked_hidden_and_recounted() {
        let mut review = crate::review::sample_review();
        let mut d = Decisions::new("new");
        let a = Decision::on_flag(&review.flags[0], Action::Reject, None, "ann", now_rfc3339());
        assert_eq!((a.start, a.end, a.after.as_deref()), (Some(0), Some(7), Some("Бахиров")));
        d.record(a);
        d.record(Decision::on_flag(&review.flags[1], Action::Edit, Some("x".into()), "ann", now_rfc3339()));
        assert_eq!(mark_decided(&mut review, &d), 2);
        let marks: Vec<_> = review.flags.iter().map(|f| (f.decision.as_deref(), f.shown)).collect();
        assert_eq!(marks, [(Some("reject"), false), (Some("edit"), false), (None, true)]);
        assert_eq!(review.stats.flags_shown, 1);
        assert_eq!(review.pages.iter().map(|p| p.flags_shown).collect::<Vec<_>>(), [0, 1]);
        // The mark survives the JSON report; an undecided flag's JSON has no "decision" key.
        let json = serde_json::to_value(&review).unwrap();
        assert_eq!(json["flags"][0]["decision"], "reject");
        assert!(json["flags"][2].get("decision").is_none());
    }

    #[test]
    fn record_replaces_an_earlier_verdict() {
        let mut d = Decisions::new("ab");
        let at = now_rfc3339();
        assert!(time::OffsetDateTime::parse(&at, &Rfc3339).is_ok(), "{at}");
        for action in [Action::Accept, Action::Reject] {
            d.record(Decision {
                id: "f".into(),
                action,
                text: None,
                reviewer: String::new(),
                at: at.clone(),
                page: None,
                line: None,
                start: None,
                end: None,
                before: None,
                after: None,
            });
        }
        assert_eq!(d.decisions.len(), 1);
        assert_eq!(d.get("f").unwrap().action, Action::Reject);
        assert!(d.forget("f") && !d.forget("f"));
    }
}
