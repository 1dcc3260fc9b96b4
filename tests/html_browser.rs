//! End to end, issue 4: the real binary with real Tesseract writes the sample's HTML report;
//! headless Chromium opens it from disk. Every shown flag must be there with its crop loaded,
//! the filters must work, and no request may leave the file.

#[path = "common/browser.rs"]
mod browser;

use browser::Browser;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// `scanproof check` on the sample in `format`, written to `out`.
fn check_sample(format: &str, out: &Path) -> std::thread::JoinHandle<()> {
    let out = out.to_path_buf();
    let format = format.to_string();
    std::thread::spawn(move || {
        let status = Command::new(env!("CARGO_BIN_EXE_scanproof"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", "scans/bagirov-1946", "--transcript", "transcripts/bagirov-1946.txt"])
            .args(["--lang", "rus", "--jobs", "1", "--format", &format, "-o"])
            .arg(&out)
            .status()
            .expect("scanproof runs");
        // 1: flags shown, as the sample has.
        assert_eq!(status.code(), Some(1), "scanproof check --format {format}");
    })
}

/// What the page shows of each flag, and every resource it loaded.
const PROBE: &str = r#"
const flags = {};
document.querySelectorAll('.occ').forEach(function (o) {
  const img = o.querySelector('img.crop');
  const r = o.getBoundingClientRect();
  flags[o.id.slice(2)] = {
    visible: !o.hidden && r.width > 0 && r.height > 0,
    crop_width: img ? (img.complete ? img.naturalWidth : -1) : 0,
    note: (o.querySelector('.missing') || {}).textContent || null,
    text: o.querySelector('.ctx mark').textContent,
  };
});
const pages = Array.prototype.map.call(document.querySelectorAll('img.pageimg'), function (i) { return i.naturalWidth; });
return {
  flags: flags,
  pages: pages,
  resources: performance.getEntriesByType('resource').map(function (e) { return e.name; }),
  navigation: performance.getEntriesByType('navigation').map(function (e) { return e.name; }),
  count: document.getElementById('f-count').textContent,
};
"#;

/// Set a filter control as a user would and return how many flags are listed then.
const FILTER: &str = r#"
const el = document.getElementById(arguments[0]);
el.value = arguments[1];
el.dispatchEvent(new Event('input'));
return Array.prototype.filter.call(document.querySelectorAll('.occ'), function (o) { return !o.hidden; })
  .map(function (o) { return o.dataset.page; });
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_html_report_shows_every_flag_with_its_crop_offline() {
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (html_path, json_path) = (dir.path().join("report.html"), dir.path().join("report.json"));
    // The JSON report of the same run says which flags must be in the page.
    let runs = [check_sample("html", &html_path), check_sample("json", &json_path)];
    for r in runs {
        r.join().expect("scanproof check finished");
    }
    let review: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let all = review["flags"].as_array().unwrap();
    let shown: Vec<&Value> = all.iter().filter(|f| f["shown"] == json!(true)).collect();
    assert!(!shown.is_empty(), "the sample has flags to show");
    let size = std::fs::metadata(&html_path).unwrap().len();
    assert!(size < 15 << 20, "the report is {size} bytes");

    let b = Browser::start().await;
    let url = format!("file://{}", html_path.display());
    b.client.goto(&url).await.unwrap();
    let seen: Value = b
        .wait_until(30, "the report to load", || async {
            let ready = b.client.execute("return document.readyState", vec![]).await.ok()?;
            if ready != json!("complete") {
                return None;
            }
            b.client.execute(PROBE, vec![]).await.ok()
        })
        .await;

    for f in &shown {
        let id = f["id"].as_str().unwrap();
        let got = &seen["flags"][id];
        assert!(got.is_object(), "shown flag {id} («{}») is not in the report", f["transcript"]);
        assert_eq!(got["visible"], json!(true), "shown flag {id} is hidden: {got}");
        if f["bbox"][2].as_u64() > Some(0) {
            let w = got["crop_width"].as_i64().unwrap();
            assert!(w >= 200, "flag {id}: crop not loaded or too small (naturalWidth {w}): {got}");
        } else {
            assert!(got["note"].is_string(), "flag {id} has no place on the scan and no note saying so");
        }
        let marked = got["text"].as_str().unwrap().trim().to_string();
        let want = f["transcript"].as_str().unwrap().trim().replace('\n', "⏎ ");
        assert!(want.is_empty() || marked.contains(&want) || want.contains(&marked), "{id}: marked «{marked}»");
    }
    assert_eq!(seen["flags"].as_object().unwrap().len(), all.len(), "every candidate is in the page");
    let pages = seen["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 5);
    assert!(pages.iter().all(|w| w.as_u64() > Some(0)), "a page view did not load: {pages:?}");
    assert_eq!(seen["count"], json!(format!("{} of {} flags", shown.len(), all.len())));

    // No request left the file: every resource is embedded, the only document is the file.
    for r in seen["resources"].as_array().unwrap() {
        let name = r.as_str().unwrap();
        assert!(name.starts_with("data:") || name == url, "the report requested {name}");
    }
    assert_eq!(seen["navigation"], json!([url]));

    // The filters work: every candidate from score 0, then one page only.
    let listed = b.client.execute(FILTER, vec![json!("f-score"), json!("0")]).await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), all.len());
    let listed = b.client.execute(FILTER, vec![json!("f-page"), json!("3")]).await.unwrap();
    let listed = listed.as_array().unwrap();
    assert!(!listed.is_empty() && listed.iter().all(|p| p == "3"), "page filter: {listed:?}");

    b.close().await;
}
