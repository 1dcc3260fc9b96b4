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

/// A checked manifest, read again document by document when needed, so that a run over a
/// large collection does not hold every document in memory.
#[derive(Debug, Clone)]
pub struct Manifest {
    path: PathBuf,
    len: usize,
}

impl Manifest {
    /// Read a manifest and check every document of it (ids plain and unique, scans or OCR
    /// text given): JSON (an array of documents, or `{"documents": [...]}`) when the file says
    /// so by its extension or its first character, CSV with a header row otherwise.
    pub fn open(path: &Path) -> Result<Manifest> {
        let manifest = Manifest { path: path.to_path_buf(), len: 0 };
        let mut seen = std::collections::HashSet::new();
        let mut len = 0;
        for doc in manifest.documents()? {
            let doc = doc?;
            if !seen.insert(doc.id.clone()) {
                return Err(manifest.bad(format!("document id {:?} appears twice", doc.id)));
            }
            len += 1;
        }
        Ok(Manifest { len, ..manifest })
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn bad(&self, reason: String) -> Error {
        Error::BadInput { path: self.path.clone(), reason }
    }

    /// The documents in manifest order, read from the file again: a CSV manifest one row at a
    /// time, a JSON manifest whole (JSON has no rows to stream).
    pub fn documents(&self) -> Result<Box<dyn Iterator<Item = Result<Document>> + Send>> {
        let bytes = std::fs::read(&self.path).map_err(|e| Error::io(&self.path, e))?;
        let text = crate::transcript::decode(&self.path, &bytes)?;
        let is_json = self.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with(['[', '{']);
        let base = self.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let this = self.clone();
        if is_json {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Listed {
                List(Vec<Row>),
                Object { documents: Vec<Row> },
            }
            let rows = match serde_json::from_str(&text).map_err(|e| self.bad(format!("not a manifest: {e}")))? {
                Listed::List(rows) | Listed::Object { documents: rows } => rows,
            };
            let docs = rows.into_iter().enumerate().map(move |(index, row)| this.document(index, row, &base));
            return Ok(Box::new(docs));
        }
        let reader =
            csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(std::io::Cursor::new(text.into_bytes()));
        let docs = reader.into_deserialize::<Row>().enumerate().map(move |(index, row)| {
            let row = row.map_err(|e| this.bad(format!("row {}: {e}", index + 2)))?;
            this.document(index, row, &base)
        });
        Ok(Box::new(docs))
    }

    /// A row as a document, checked on its own (not for ids seen before).
    fn document(&self, index: usize, row: Row, base: &Path) -> Result<Document> {
        let id = row.id.trim().to_string();
        // Ids become file names in the output folder.
        let safe = !id.is_empty()
            && id != "."
            && id != ".."
            && !id.starts_with('.')
            && id.chars().all(|c| c.is_alphanumeric() || "-_.+@".contains(c));
        if !safe {
            return Err(self.bad(format!(
                "document {}: id {id:?} must be a plain name (letters, digits, - _ . + @), not starting with '.'",
                index + 1
            )));
        }
        let ocr_text = row.ocr_text.map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
        match (row.scans.is_empty(), &ocr_text) {
            (true, None) => return Err(self.bad(format!("document {id:?} lists no scans (and no ocr_text)"))),
            (false, Some(_)) => {
                return Err(self.bad(format!("document {id:?} gives both scans and ocr_text; give one of them")))
            }
            _ => {}
        }
        Ok(Document {
            index,
            id,
            scans: row.scans.iter().map(|s| base.join(s)).collect(),
            transcript: base.join(row.transcript.trim()),
            lang: row.lang.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()),
            ocr_text: ocr_text.map(|p| base.join(p)),
        })
    }
}

/// Read and check a whole manifest (see `Manifest::open`) into memory.
pub fn read_manifest(path: &Path) -> Result<Vec<Document>> {
    Manifest::open(path)?.documents()?.collect()
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
