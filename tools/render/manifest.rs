//! `OUT/manifest.csv` for `scanproof batch`: one row per document found in the folder (from
//! the pages' JSON), so several runs into one folder give one manifest.

use std::collections::BTreeMap;
use std::path::Path;

pub fn write(out: &Path) -> Result<(), String> {
    // document -> (lang, pages by number)
    let mut docs: BTreeMap<String, (String, BTreeMap<u64, String>)> = BTreeMap::new();
    let entries = std::fs::read_dir(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        let (Some(doc), Some(page), Some(lang), Some(image)) =
            (v["document"].as_str(), v["page"].as_u64(), v["lang"].as_str(), v["image"].as_str())
        else {
            continue;
        };
        let entry = docs.entry(doc.to_string()).or_insert_with(|| (lang.to_string(), BTreeMap::new()));
        entry.1.insert(page, image.to_string());
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "scans", "transcript", "lang"]).map_err(|e| e.to_string())?;
    for (id, (lang, pages)) in &docs {
        let scans: Vec<&str> = pages.values().map(String::as_str).collect();
        let transcript = format!("documents/{id}.txt");
        w.write_record([id.as_str(), &scans.join(";"), &transcript, lang]).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    let path = out.join("manifest.csv");
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
