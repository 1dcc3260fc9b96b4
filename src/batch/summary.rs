//! Collection summaries: one row per document (status, pages, flags, CER), written as
//! `summary.json` and `summary.csv`, and `merge`, which joins the summaries of shards. It
//! checks nothing.

use super::Shard;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked in this run.
    Done,
    /// Inputs unchanged since the last report: skipped.
    Unchanged,
    /// Could not be checked; `error` says why.
    Error,
}

/// One summary row: flat, so that the CSV and the JSON summaries say the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub index: usize,
    pub id: String,
    pub status: Status,
    pub pages: usize,
    pub pages_failed: usize,
    pub flags_shown: usize,
    pub flags_total: usize,
    pub cer: f32,
    pub wer: f32,
    pub transcript_words: usize,
    /// The JSON report, relative to the output folder.
    pub report: String,
    /// SHA-256 over the scans, the transcript and the settings.
    pub inputs_sha256: String,
    pub error: Option<String>,
    /// Share of the transcript words expected on the scans that were verified, for the
    /// document and for its least covered page; and how many stretches were left unverified.
    #[serde(default = "one")]
    pub coverage: f32,
    #[serde(default = "one")]
    pub min_page_coverage: f32,
    #[serde(default)]
    pub unverified: usize,
}

fn one() -> f32 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub documents: usize,
    pub checked: usize,
    pub unchanged: usize,
    pub errors: usize,
    pub pages: usize,
    pub flags_shown: usize,
    pub flags_total: usize,
    /// Stretches of text left unverified, and the lowest coverage of a document or a page.
    #[serde(default)]
    pub unverified: usize,
    #[serde(default = "one")]
    pub min_coverage: f32,
}

impl Default for Totals {
    fn default() -> Self {
        Totals {
            documents: 0,
            checked: 0,
            unchanged: 0,
            errors: 0,
            pages: 0,
            flags_shown: 0,
            flags_total: 0,
            unverified: 0,
            min_coverage: 1.0,
        }
    }
}

/// The collection summary (`summary.json`, and its rows as `summary.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub version: u32,
    /// "I/N" for a shard's summary, absent for a whole collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    pub totals: Totals,
    pub documents: Vec<DocumentSummary>,
}

impl Totals {
    /// Count one more document.
    pub fn add(&mut self, d: &DocumentSummary) {
        self.documents += 1;
        match d.status {
            Status::Done => self.checked += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Error => self.errors += 1,
        }
        self.pages += d.pages;
        self.flags_shown += d.flags_shown;
        self.flags_total += d.flags_total;
        self.unverified += d.unverified;
        self.min_coverage = self.min_coverage.min(d.coverage).min(d.min_page_coverage);
    }
}

/// Whether a document failed, or one of its pages did (exit status 2).
pub fn failed(d: &DocumentSummary) -> bool {
    d.status == Status::Error || d.pages_failed > 0
}

/// Exit status as for `check`: 2 when a document or a page failed, 1 when flags are shown or
/// text is verified below `min_coverage` (at 1, when any text is unverified), 0 otherwise.
pub fn exit_code(any_failed: bool, totals: &Totals, min_coverage: f32) -> u8 {
    let low = if min_coverage >= 1.0 { totals.unverified > 0 } else { totals.min_coverage < min_coverage };
    if any_failed {
        2
    } else if totals.flags_shown > 0 || low {
        1
    } else {
        0
    }
}

impl Summary {
    pub fn new(shard: Option<String>, mut documents: Vec<DocumentSummary>) -> Summary {
        documents.sort_by_key(|d| d.index);
        let mut totals = Totals::default();
        documents.iter().for_each(|d| totals.add(d));
        Summary { version: VERSION, shard, totals, documents }
    }

    /// Exit status as for `check` (see `exit_code`) at full coverage.
    pub fn exit_code(&self) -> u8 {
        self.exit_code_with(1.0)
    }

    /// `exit_code` with the coverage asked for (`--min-coverage`).
    pub fn exit_code_with(&self, min_coverage: f32) -> u8 {
        exit_code(self.documents.iter().any(failed), &self.totals, min_coverage)
    }

    pub fn write_json(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut rows = self.documents.iter().cloned().map(Ok);
        write_json_rows(out, self.shard.as_deref(), &self.totals, &mut rows)
    }

    pub fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        write_csv_rows(out, &mut self.documents.iter().cloned().map(Ok))
    }
}

const VERSION: u32 = 1;

/// Rows handed over one at a time, in order.
pub type Rows<'a> = &'a mut dyn Iterator<Item = Result<DocumentSummary>>;

/// Write a summary whose rows come one at a time (a batch reads them back from the documents'
/// state files rather than holding a collection's rows in memory): the JSON of `Summary`.
pub fn write_json_rows(out: &mut dyn Write, shard: Option<&str>, totals: &Totals, rows: Rows) -> std::io::Result<()> {
    let streamed = Streamed { shard, totals, rows: std::cell::RefCell::new(rows) };
    serde_json::to_writer_pretty(&mut *out, &streamed)?;
    writeln!(out)
}

/// The CSV of `Summary` (its rows) from rows that come one at a time.
pub fn write_csv_rows(out: &mut dyn Write, rows: Rows) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for d in rows {
        w.serialize(d.map_err(std::io::Error::other)?).map_err(std::io::Error::other)?;
    }
    w.flush()
}

/// `Summary`'s fields in its order, the rows taken from an iterator as they are written.
struct Streamed<'a, 'r> {
    shard: Option<&'a str>,
    totals: &'a Totals,
    rows: std::cell::RefCell<Rows<'r>>,
}

impl Serialize for Streamed<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
        struct Each<'b, 'r>(&'b std::cell::RefCell<Rows<'r>>);
        impl Serialize for Each<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                let mut rows = self.0.borrow_mut();
                let mut seq = s.serialize_seq(None)?;
                for row in &mut **rows {
                    seq.serialize_element(&row.map_err(S::Error::custom)?)?;
                }
                seq.end()
            }
        }
        let mut st = s.serialize_struct("Summary", 3 + usize::from(self.shard.is_some()))?;
        st.serialize_field("version", &VERSION)?;
        match self.shard {
            Some(shard) => st.serialize_field("shard", shard)?,
            None => st.skip_field("shard")?,
        }
        st.serialize_field("totals", self.totals)?;
        st.serialize_field("documents", &Each(&self.rows))?;
        st.end()
    }
}

/// File name of the summary: one per shard, so shards sharing an output folder never write
/// the same file.
pub fn summary_name(shard: Option<Shard>, ext: &str) -> String {
    match shard {
        Some(s) => format!("summary.shard-{}-of-{}.{ext}", s.index, s.count),
        None => format!("summary.{ext}"),
    }
}

/// Join shard summaries into one (rows in manifest order). The same document in two
/// summaries is an error unless the rows agree (a shard run twice).
pub fn merge(paths: &[PathBuf]) -> Result<Summary> {
    let mut rows: Vec<DocumentSummary> = Vec::new();
    let mut by_id: std::collections::HashMap<String, (usize, PathBuf)> = std::collections::HashMap::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
        let s: Summary = serde_json::from_slice(&bytes).map_err(|e| Error::BadInput {
            path: p.clone(),
            reason: format!("not a scanproof batch summary (summary*.json): {e}"),
        })?;
        for d in s.documents {
            match by_id.get(&d.id) {
                Some(&(k, ref first)) => {
                    let same = |r: &DocumentSummary| (r.index, r.inputs_sha256.clone(), r.flags_shown);
                    if same(&rows[k]) != same(&d) {
                        return Err(Error::BadInput {
                            path: p.clone(),
                            reason: format!("document {:?} is also in {} with other results", d.id, first.display()),
                        });
                    }
                }
                None => {
                    by_id.insert(d.id.clone(), (rows.len(), p.clone()));
                    rows.push(d);
                }
            }
        }
    }
    Ok(Summary::new(None, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report;

    fn row(index: usize, id: &str, flags: usize) -> DocumentSummary {
        DocumentSummary {
            index,
            id: id.into(),
            status: Status::Done,
            pages: 2,
            pages_failed: 0,
            flags_shown: flags,
            flags_total: flags + 1,
            cer: 0.01,
            wer: 0.05,
            transcript_words: 500,
            report: format!("{id}.json"),
            inputs_sha256: format!("{index:064}"),
            error: None,
            coverage: 1.0,
            min_page_coverage: 1.0,
            unverified: 0,
        }
    }

    #[test]
    fn rows_written_one_at_a_time_are_the_summary_as_serde_writes_it() {
        for shard in [None, Some("1/3".to_string())] {
            for rows in [vec![], vec![row(0, "a", 1), row(3, "b", 0)]] {
                let s = Summary::new(shard.clone(), rows);
                let mut streamed = Vec::new();
                s.write_json(&mut streamed).unwrap();
                let mut derived = serde_json::to_vec_pretty(&s).unwrap();
                derived.push(b'\n');
                assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(derived).unwrap());
            }
        }
        // A row that cannot be read fails the writing.
        let mut rows = vec![Err(Error::Usage("gone".into()))].into_iter();
        assert!(write_json_rows(&mut Vec::new(), None, &Totals::default(), &mut rows).is_err());
    }

    #[test]
    fn merge_joins_shards_in_manifest_order() {
        let dir = tempfile::tempdir().unwrap();
        let a = Summary::new(Some("0/2".into()), vec![row(0, "a", 1), row(2, "c", 0)]);
        let b = Summary::new(Some("1/2".into()), vec![row(1, "b", 3), row(3, "d", 0)]);
        let pa = dir.path().join("a.json");
        let pb = dir.path().join("b.json");
        report::write_atomically(&pa, |w| a.write_json(w)).unwrap();
        report::write_atomically(&pb, |w| b.write_json(w)).unwrap();
        let m = merge(&[pb.clone(), pa.clone()]).unwrap();
        let ids: Vec<_> = m.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"]);
        assert_eq!((m.totals.documents, m.totals.flags_shown, m.totals.pages), (4, 4, 8));
        assert_eq!(m.exit_code(), 1);
        assert!(m.shard.is_none());
        // The same shard twice is harmless; a clash is not.
        assert_eq!(merge(&[pa.clone(), pa.clone()]).unwrap().documents.len(), 2);
        let clash = Summary::new(None, vec![row(0, "a", 9)]);
        let pc = dir.path().join("c.json");
        report::write_atomically(&pc, |w| clash.write_json(w)).unwrap();
        assert!(merge(&[pa, pc]).unwrap_err().to_string().contains("other results"));
        let mut csv = Vec::new();
        m.write_csv(&mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.starts_with("index,id,status,pages,"), "{csv}");
        assert_eq!(csv.lines().count(), 5);
        assert!(csv.lines().next().unwrap().ends_with(",coverage,min_page_coverage,unverified"), "{csv}");
    }

    /// Issue 13: unverified text counts like a flag, and so does a page below --min-coverage.
    #[test]
    fn issue13_unverified_text_and_low_coverage_exit_1() {
        let clean = Summary::new(None, vec![row(0, "a", 0)]);
        assert_eq!(clean.exit_code(), 0);
        let unverified = Summary::new(None, vec![DocumentSummary { unverified: 2, coverage: 0.9, ..row(0, "a", 0) }]);
        assert_eq!(unverified.exit_code(), 1);
        assert_eq!(unverified.exit_code_with(0.8), 0, "a looser --min-coverage tolerates it");
        let low = Summary::new(
            None,
            vec![DocumentSummary { min_page_coverage: 0.7, coverage: 0.95, unverified: 3, ..row(0, "a", 0) }],
        );
        assert_eq!(low.exit_code_with(0.8), 1, "one page is below");
        assert_eq!(low.exit_code_with(0.5), 0);
    }
}
