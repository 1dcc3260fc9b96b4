//! Shared helper for browser tests: starts chromedriver on a free port and opens a headless
//! Chromium session with a fresh profile; both are cleaned up on drop.
#![allow(dead_code)] // each test file uses its own part of it

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Flags that keep Chromium from reaching any other host, so a test sees only what it serves.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
];

pub struct Browser {
    pub client: fantoccini::Client,
    /// chromedriver, leader of its own process group (Chromium runs in it too).
    driver: Option<Child>,
    _profile: tempfile::TempDir,
}

/// Whether the browser tests can run here. In CI they must: a missing browser is a failure.
pub fn available() -> bool {
    let found = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{CHROMEDRIVER} or {CHROMIUM} missing in CI: install chromium and chromium-driver"
        );
        eprintln!("skipped: {CHROMEDRIVER} or {CHROMIUM} not installed (apt-get install chromium chromium-driver)");
    }
    found
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut guard = DriverGuard(Some(driver));
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen on port {port}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        caps.insert("goog:chromeOptions".into(), serde_json::json!({ "binary": CHROMIUM, "args": args }));
        let client = fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        Browser { client, driver: guard.0.take(), _profile: profile }
    }

    /// Wait until `probe` returns Some, polling; panic with `what` after `secs`.
    pub async fn wait_until<T, F, Fut>(&self, secs: u64, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(v) = probe().await {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text of the first element matching `css`, or "" when there is none.
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(fantoccini::Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// An attribute of the first element matching `css`.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.client.find(fantoccini::Locator::Css(css)).await.ok()?.attr(name).await.ok()?
    }

    /// Press one key as a user would (key down, key up), on whatever has the focus.
    pub async fn press(&self, key: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let keys =
            KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.expect("key pressed");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        stop_group(self.driver.take());
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        stop_group(self.driver.take());
    }
}

/// Kills chromedriver if the session cannot be opened.
struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        stop_group(self.0.take());
    }
}

/// End chromedriver and any Chromium it left behind: the process group it leads, by its id.
fn stop_group(child: Option<Child>) {
    if let Some(mut c) = child {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", c.id())]).status();
        let _ = c.kill();
        let _ = c.wait();
    }
}
