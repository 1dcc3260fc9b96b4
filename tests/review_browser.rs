//! End to end: `scanproof review` on the sample with real Tesseract, driven in headless
//! Chromium through chromedriver. Decides four flags, kills the server, checks the decisions
//! file, restarts, checks it resumes, applies, and checks the corrected transcript.

#[path = "common/browser.rs"]
mod browser;

use browser::Browser;
use fantoccini::Locator;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `scanproof review`, killed (SIGKILL, no chance to tidy up) on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(transcript: &Path, log: &Path) -> Server {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_scanproof"))
            .current_dir(root)
            .args(["review", "scans/bagirov-1946", "--lang", "rus", "--port", "0", "--reviewer", "tester"])
            .arg("--transcript")
            .arg(transcript)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log).expect("a log file"))
            .spawn()
            .expect("scanproof review starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        // OCR of five pages takes ~15 s; a debug build on a busy machine, longer.
        let url = rx.recv_timeout(Duration::from_secs(600)).unwrap_or_default().trim().to_string();
        let server = Server { child, url };
        assert!(
            server.url.starts_with("http://127.0.0.1:"),
            "no address from scanproof review; its log:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn current_id(b: &Browser) -> String {
    b.attr("#current", "data-id").await.unwrap_or_default()
}

async fn wait_for_progress(b: &Browser, want: &str) {
    b.wait_until(20, &format!("progress {want}"), || async {
        let got = b.text("#progress").await;
        (got == want).then_some(())
    })
    .await;
}

async fn wait_for_current(b: &Browser, id: &str) {
    b.wait_until(20, &format!("flag {id} to be current"), || async { (current_id(b).await == id).then_some(()) }).await;
}

/// Decoded text with each decision's `after` put at its span (code points), as apply must do.
fn expected_correction(original: &str, decisions: &serde_json::Value) -> String {
    let mut chars: Vec<char> = original.trim_start_matches('\u{FEFF}').chars().collect();
    let mut spans: Vec<(usize, usize, String)> = decisions["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["start"].as_u64().unwrap() as usize,
                d["end"].as_u64().unwrap() as usize,
                d["after"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (s, e, after) in spans {
        chars.splice(s..e, after.chars());
    }
    chars.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_decides_survives_a_kill_resumes_and_applies() {
    if !browser::available() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let transcript: PathBuf = dir.path().join("bagirov-1946.txt");
    std::fs::copy(root.join("transcripts/bagirov-1946.txt"), &transcript).unwrap();
    let original = std::fs::read(&transcript).unwrap();
    let decisions_path = dir.path().join("bagirov-1946.decisions.json");
    let log = dir.path().join("review.log");

    let server = Server::start(&transcript, &log);
    let b = Browser::start().await;
    b.client.goto(&server.url).await.unwrap();
    let total: usize = b
        .wait_until(30, "the flags to load", || async {
            let p = b.text("#progress").await;
            p.strip_prefix("0 / ").and_then(|n| n.parse().ok()).filter(|&n: &usize| n > 0)
        })
        .await;
    assert!(total >= 5, "the sample shows at least five flags, got {total}");
    let mut ids = Vec::new();
    for li in b.client.find_all(Locator::Css("#flags li")).await.unwrap() {
        ids.push(li.attr("data-id").await.unwrap().unwrap());
    }
    assert_eq!(ids.len(), total);
    wait_for_current(&b, &ids[0]).await;
    // The scan crop loaded from the server.
    b.wait_until(20, "the scan crop", || async {
        let w = b.client.execute("return document.getElementById('crop').naturalWidth", vec![]).await.ok()?;
        (w.as_u64()? > 0).then_some(())
    })
    .await;

    b.press('a').await; // accept, by key
    wait_for_progress(&b, &format!("1 / {total}")).await;
    wait_for_current(&b, &ids[1]).await;
    b.client.find(Locator::Id("accept")).await.unwrap().click().await.unwrap(); // accept, by button
    wait_for_progress(&b, &format!("2 / {total}")).await;
    wait_for_current(&b, &ids[2]).await;
    b.press('r').await; // reject
    wait_for_progress(&b, &format!("3 / {total}")).await;
    wait_for_current(&b, &ids[3]).await;
    b.press('e').await; // edit
    let input = b.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Id("edit-text")).await.unwrap();
    b.wait_until(10, "the edit field", || async { input.is_displayed().await.ok().filter(|d| *d) }).await;
    input.clear().await.unwrap();
    input.send_keys("правка").await.unwrap();
    input.send_keys(&fantoccini::key::Key::Enter).await.unwrap();
    wait_for_progress(&b, &format!("4 / {total}")).await;
    wait_for_current(&b, &ids[4]).await;
    b.press('k').await; // previous
    wait_for_current(&b, &ids[3]).await;
    b.press('j').await; // next
    wait_for_current(&b, &ids[4]).await;
    assert_eq!(b.text("#status").await, "saved");

    // Killed without warning: every decision the page showed as saved is in the file.
    drop(server);
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&decisions_path).unwrap()).unwrap();
    let list = saved["decisions"].as_array().unwrap();
    let got: Vec<(&str, &str)> =
        list.iter().map(|d| (d["id"].as_str().unwrap(), d["action"].as_str().unwrap())).collect();
    assert_eq!(
        got,
        [
            (ids[0].as_str(), "accept"),
            (ids[1].as_str(), "accept"),
            (ids[2].as_str(), "reject"),
            (ids[3].as_str(), "edit")
        ]
    );
    assert_eq!(list[3]["text"], "правка");
    assert_eq!(saved["version"], 1);
    for d in list {
        assert_eq!(d["reviewer"], "tester");
        assert!(d["at"].as_str().unwrap().contains('T'));
    }

    // Restarted: it resumes at the first undecided flag, with the decisions shown.
    let server = Server::start(&transcript, &log);
    b.client.goto(&server.url).await.unwrap();
    wait_for_progress(&b, &format!("4 / {total}")).await;
    wait_for_current(&b, &ids[4]).await;
    let first_class = b.attr(&format!("#flags li[data-id='{}']", ids[0]), "class").await.unwrap_or_default();
    assert!(first_class.contains("accept"), "{first_class}");

    b.client.find(Locator::Id("apply")).await.unwrap().click().await.unwrap();
    let result = b
        .wait_until(30, "the apply result", || async {
            let t = b.text("#apply-result").await;
            (t.starts_with("Wrote") || t.starts_with("Not applied")).then_some(t)
        })
        .await;
    assert!(result.starts_with("Wrote"), "{result}");
    assert!(result.contains("3 change(s) applied"), "{result}");

    let corrected = dir.path().join("bagirov-1946.corrected.txt");
    let want = expected_correction(std::str::from_utf8(&original).unwrap(), &saved);
    assert_eq!(std::fs::read_to_string(&corrected).unwrap(), want);
    assert!(want.contains("правка"));
    assert_eq!(std::fs::read(&transcript).unwrap(), original, "the transcript itself is untouched");
    let audit = std::fs::read_to_string(dir.path().join("bagirov-1946.corrected.txt.audit.jsonl")).unwrap();
    assert_eq!(audit.lines().count(), 3, "{audit}");

    b.close().await;
    drop(server);
}
