//! Manifests: a collection's documents as a CSV or JSON file in, `Document`s out (ids checked,
//! paths made relative to the manifest); and shards, the deterministic share of a manifest one
//! run of a job array takes. It checks nothing.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One document of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Manifest position (0-based): what shards split on and summaries sort by.
    pub index: usize,
    pub id: String,
    /// Page images or folders of them, as for `check`; relative paths are from the manifest.
    pub scans: Vec<PathBuf>,
    pub transcript: PathBuf,
    /// Tesseract languages; `None` takes the batch's default.
    pub lang: Option<String>,
    /// OCR text to check against instead of scans (as `check --ocr-text`).
    pub ocr_text: Option<PathBuf>,
}

/// A manifest row as written: `scans` is one path, or several separated by ';' (CSV), or a
/// list (JSON).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: String,
    #[serde(default, deserialize_with = "one_or_many")]
    scans: Vec<String>,
    transcript: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    ocr_text: Option<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s.split(';').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        OneOrMany::Many(v) => v,
    })
}

/// Read a manifest: JSON (an array of documents, or `{"documents": [...]}`) when the file
/// says so by its extension or its first character, CSV with a header row otherwise.
pub fn read_manifest(path: &Path) -> Result<Vec<Document>> {
    let bad = |reason: String| Error::BadInput { path: path.to_path_buf(), reason };
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = crate::transcript::decode(path, &bytes)?;
    let is_json =
        path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) || text.trim_start().starts_with(['[', '{']);
    let rows: Vec<Row> = if is_json {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Manifest {
            List(Vec<Row>),
            Object { documents: Vec<Row> },
        }
        match serde_json::from_str(&text).map_err(|e| bad(format!("not a manifest: {e}")))? {
            Manifest::List(rows) | Manifest::Object { documents: rows } => rows,
        }
    } else {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
        reader
            .deserialize()
            .enumerate()
            .map(|(i, r)| r.map_err(|e| bad(format!("row {}: {e}", i + 2))))
            .collect::<Result<_>>()?
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let mut seen = std::collections::HashSet::new();
    let mut docs = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        let id = row.id.trim().to_string();
        // Ids become file names in the output folder.
        let safe = !id.is_empty()
            && id != "."
            && id != ".."
            && !id.starts_with('.')
            && id.chars().all(|c| c.is_alphanumeric() || "-_.+@".contains(c));
        if !safe {
            return Err(bad(format!(
                "document {}: id {id:?} must be a plain name (letters, digits, - _ . + @), not starting with '.'",
                index + 1
            )));
        }
        if !seen.insert(id.clone()) {
            return Err(bad(format!("document id {id:?} appears twice")));
        }
        let ocr_text = row.ocr_text.map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
        match (row.scans.is_empty(), &ocr_text) {
            (true, None) => return Err(bad(format!("document {id:?} lists no scans (and no ocr_text)"))),
            (false, Some(_)) => {
                return Err(bad(format!("document {id:?} gives both scans and ocr_text; give one of them")))
            }
            _ => {}
        }
        docs.push(Document {
            index,
            id,
            scans: row.scans.iter().map(|s| base.join(s)).collect(),
            transcript: base.join(row.transcript.trim()),
            lang: row.lang.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()),
            ocr_text: ocr_text.map(|p| base.join(p)),
        });
    }
    Ok(docs)
}

/// A share of a collection: shard `index` of `count` (0-based: `0/4` .. `3/4`, as Kubernetes'
/// completion index and `--array=0-3` in Slurm count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (i, n) = s.split_once('/').ok_or_else(|| format!("expected I/N (e.g. 0/4), got {s:?}"))?;
        let (index, count): (usize, usize) = (
            i.trim().parse().map_err(|_| format!("{i:?} is not a shard number"))?,
            n.trim().parse().map_err(|_| format!("{n:?} is not a shard count"))?,
        );
        if count == 0 || index >= count {
            return Err(format!("shard {index}/{count}: need 0 <= I < N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Round-robin by manifest position: every document in exactly one shard, and shards of
    /// equal size within one document, whatever the order of sizes in the manifest.
    pub fn takes(&self, doc: &Document) -> bool {
        doc.index % self.count == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn csv_and_json_manifests_read_alike() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(
            dir.path(),
            "m.csv",
            "id,scans,transcript,lang\nletter-1, scans/a.png;scans/b.png ,t/1.txt,rus\nletter-2,scans/c,t/2.txt,\n",
        );
        let json = write(
            dir.path(),
            "m.json",
            r#"{"documents": [{"id": "letter-1", "scans": ["scans/a.png", "scans/b.png"], "transcript": "t/1.txt", "lang": "rus"},
                {"id": "letter-2", "scans": "scans/c", "transcript": "t/2.txt"}]}"#,
        );
        let a = read_manifest(&csv).unwrap();
        assert_eq!(a, read_manifest(&json).unwrap());
        assert_eq!(a[0].scans, [dir.path().join("scans/a.png"), dir.path().join("scans/b.png")]);
        assert_eq!(a[1].lang, None);
        assert_eq!(a[1].index, 1);
    }

    #[test]
    fn bad_manifests_say_why() {
        let dir = tempfile::tempdir().unwrap();
        for (body, want) in [
            ("id,scans,transcript\na,x.png,t.txt\na,y.png,u.txt\n", "twice"),
            ("id,scans,transcript\n../up,x.png,t.txt\n", "plain name"),
            ("id,scans,transcript\nok,,t.txt\n", "no scans"),
            ("[{\"id\": \"a\", \"scan\": \"x\", \"transcript\": \"t\"}]", "not a manifest"),
        ] {
            let p = write(dir.path(), "m.txt", body);
            let err = read_manifest(&p).unwrap_err().to_string();
            assert!(err.contains(want), "{body:?}: {err}");
        }
    }

    #[test]
    fn documents_of_ocr_text_need_no_scans() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(
            dir.path(),
            "m.csv",
            "id,transcript,ocr_text
card-1,t/1.txt,o/1.txt
",
        );
        let json = write(dir.path(), "m.json", r#"[{"id": "card-1", "transcript": "t/1.txt", "ocr_text": "o/1.txt"}]"#);
        let a = read_manifest(&csv).unwrap();
        assert_eq!(a, read_manifest(&json).unwrap());
        assert!(a[0].scans.is_empty());
        assert_eq!(a[0].ocr_text.as_deref(), Some(dir.path().join("o/1.txt").as_path()));
    }

    #[test]
    fn shards_cover_every_document_exactly_once() {
        let docs: Vec<Document> = (0..23)
            .map(|index| Document {
                index,
                id: format!("d{index}"),
                scans: vec![],
                transcript: PathBuf::new(),
                lang: None,
                ocr_text: None,
            })
            .collect();
        for n in 1..=7 {
            let shards: Vec<Shard> = (0..n).map(|i| format!("{i}/{n}").parse().unwrap()).collect();
            for d in &docs {
                assert_eq!(shards.iter().filter(|s| s.takes(d)).count(), 1, "{} in {n} shards", d.id);
            }
            let sizes: Vec<usize> = shards.iter().map(|s| docs.iter().filter(|d| s.takes(d)).count()).collect();
            assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{sizes:?}");
        }
        for bad in ["3/3", "1/0", "x/2", "1", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
