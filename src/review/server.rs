//! The local review page: a checked `Review` in, a web server on 127.0.0.1 that shows each
//! flag beside its scan crop and records the reviewer's decisions. Each decision is written to
//! the decisions file (atomically) before the page is told it is saved, so stopping the server
//! at any moment loses nothing the page showed as saved. It runs no OCR of its own.

use crate::error::{Error, Result};
use crate::review::apply::{self, Target};
use crate::review::decisions::{self, Action, Decision, Decisions};
use crate::types::{BBox, Flag, Review};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const PAGE: &str = include_str!("page.html");

/// The page and everything it loads come from this server: no other host, inline code only.
const CSP: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; \
                   script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'";

/// Decoded page images kept for crops: a reviewer moves through the pages in order, so a few
/// suffice, and a long book does not fill the memory.
const IMAGES_KEPT: usize = 3;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub host: IpAddr,
    /// 0: any free port.
    pub port: u16,
    pub decisions: PathBuf,
    /// Where the page's "apply" writes.
    pub apply_target: Target,
    pub reviewer: String,
    /// How the transcript was read (format, encoding, policy) and how corrections are written:
    /// the page's "apply" must read it as the check did.
    pub read: crate::formats::ReadOptions,
    pub write: crate::formats::WriteOptions,
}

/// The decisions file a review of `transcript` uses unless told otherwise: NAME.decisions.json.
pub fn default_decisions_path(transcript: &Path) -> PathBuf {
    sibling(transcript, "decisions", Some("json"))
}

/// Where the page's "apply" writes unless told otherwise: NAME.corrected.EXT, beside it.
pub fn default_corrected_path(transcript: &Path) -> PathBuf {
    sibling(transcript, "corrected", None)
}

fn sibling(path: &Path, tag: &str, ext: Option<&str>) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = ext
        .map(String::from)
        .or_else(|| path.extension().map(|e| e.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "txt".into());
    path.with_file_name(format!("{stem}.{tag}.{ext}"))
}

/// The decisions for this review: the file if it exists, else a new, empty set. A file made on
/// another version of the transcript is re-based: decisions whose flag this check found again
/// (same id) take its new span; the others are left out, and the old file is kept beside it.
/// Returns the decisions and, when it re-based, a note for the user.
pub fn open_decisions(review: &Review, path: &Path) -> Result<(Decisions, Option<String>)> {
    if !path.exists() {
        return Ok((Decisions::new(&review.transcript.sha256), None));
    }
    let mut found = decisions::read_decisions(path)?;
    if found.transcript_sha256 == review.transcript.sha256 {
        return Ok((found, None));
    }
    let old = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let kept = apply::back_up(path, &old)?;
    let total = found.decisions.len();
    found.decisions.retain_mut(|d| match review.flags.iter().find(|f| f.id == d.id) {
        Some(f) => {
            d.rebase(f);
            true
        }
        None => false,
    });
    found.transcript_sha256 = review.transcript.sha256.clone();
    decisions::write_decisions(path, &found)?;
    let note = format!(
        "{}: made on another version of the transcript; {} of {} decisions carried over to this \
         check, the file as it was is kept as {}",
        path.display(),
        found.decisions.len(),
        total,
        kept.display()
    );
    Ok((found, Some(note)))
}

struct App {
    review: Review,
    /// Indices into `review.flags`: the flags shown, and any other the reviewer decided on.
    listed: Vec<usize>,
    decisions_path: PathBuf,
    decisions: Mutex<Decisions>,
    target: Target,
    read: crate::formats::ReadOptions,
    write: crate::formats::WriteOptions,
    reviewer: String,
    images: Mutex<VecDeque<(usize, Arc<image::DynamicImage>)>>,
    /// Host headers this server answers to (guards against DNS rebinding); empty: any.
    hosts: Vec<String>,
}

impl App {
    fn flag(&self, id: &str) -> Option<&Flag> {
        self.listed.iter().map(|&i| &self.review.flags[i]).find(|f| f.id == id)
    }

    fn progress(&self, d: &Decisions) -> (usize, usize) {
        let decided = self.listed.iter().filter(|&&i| d.get(&self.review.flags[i].id).is_some()).count();
        (decided, self.listed.len())
    }
}

/// Serve the review page until interrupted. `ready` hears the address once it listens.
pub fn serve(review: Review, decisions: Decisions, opts: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let listed = review
        .flags
        .iter()
        .enumerate()
        .filter(|(_, f)| f.shown || decisions.get(&f.id).is_some())
        .map(|(i, _)| i)
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Serve { addr: format!("{}:{}", opts.host, opts.port), source: e })?;
    runtime.block_on(async move {
        let bind = SocketAddr::new(opts.host, opts.port);
        let serve_err = |e| Error::Serve { addr: bind.to_string(), source: e };
        let listener = tokio::net::TcpListener::bind(bind).await.map_err(serve_err)?;
        let addr = listener.local_addr().map_err(serve_err)?;
        let hosts = if addr.ip().is_loopback() {
            let port = addr.port();
            vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}"), addr.to_string()]
        } else {
            Vec::new()
        };
        let app = Arc::new(App {
            review,
            listed,
            decisions_path: opts.decisions.clone(),
            decisions: Mutex::new(decisions),
            target: opts.apply_target.clone(),
            read: opts.read,
            write: opts.write,
            reviewer: opts.reviewer.clone(),
            images: Mutex::new(VecDeque::new()),
            hosts,
        });
        let router = Router::new()
            .route("/", get(page))
            .route("/api/state", get(state))
            .route("/api/decisions", post(decide))
            .route("/api/decisions/{id}", axum::routing::delete(undecide))
            .route("/api/crop/{id}", get(crop))
            .route("/api/apply", post(apply_now))
            .layer(middleware::from_fn_with_state(app.clone(), check_host))
            .with_state(app);
        ready(addr);
        axum::serve(listener, router).with_graceful_shutdown(stop_signal()).await.map_err(serve_err)
    })
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler can be installed");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// A page on another site could otherwise reach this server through a DNS name it points at
/// 127.0.0.1, and read the transcript.
async fn check_host(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if !app.hosts.is_empty() {
        let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        if !app.hosts.iter().any(|h| h == host) {
            return problem(StatusCode::FORBIDDEN, format!("unexpected Host header {host:?}"));
        }
    }
    next.run(req).await
}

fn problem(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

async fn page() -> Response {
    ([(header::CONTENT_SECURITY_POLICY, CSP), (header::CACHE_CONTROL, "no-store")], Html(PAGE)).into_response()
}

#[derive(Serialize)]
struct FlagView<'a> {
    id: &'a str,
    page: usize,
    line: usize,
    column: usize,
    kind: crate::types::DiscrepancyKind,
    /// The problem's slug (for the filter) and its name in a reviewer's words.
    problem: &'static str,
    problem_name: &'static str,
    rule: &'static str,
    score: f32,
    transcript: &'a str,
    ocr: &'a str,
    suggestion: &'a str,
    context_before: &'a str,
    context_after: &'a str,
    evidence: Vec<&'a str>,
    has_crop: bool,
    decision: Option<&'a Decision>,
}

#[derive(Serialize)]
struct StateView<'a> {
    transcript: &'a Path,
    decisions_file: &'a Path,
    apply_to: String,
    reviewer: &'a str,
    decided: usize,
    total: usize,
    flags: Vec<FlagView<'a>>,
    /// Text to proofread by eye: the scan gave no usable reading of it.
    unverified: &'a [crate::types::Unverified],
}

async fn state(State(app): State<Arc<App>>) -> Response {
    let decisions = app.decisions.lock().expect("decisions lock").clone();
    let (decided, total) = app.progress(&decisions);
    let flags = app
        .listed
        .iter()
        .map(|&i| {
            let f = &app.review.flags[i];
            FlagView {
                id: &f.id,
                page: f.page,
                line: f.line,
                column: f.column,
                kind: f.kind,
                problem: f.problem.slug(),
                problem_name: f.problem.name(),
                rule: f.rule.name(),
                score: f.score,
                transcript: &f.transcript,
                ocr: &f.ocr,
                suggestion: &f.suggestion,
                context_before: &f.context_before,
                context_after: &f.context_after,
                evidence: f.evidence.iter().filter(|e| e.counted()).map(|e| e.note.as_str()).collect(),
                has_crop: f.bbox.w > 0 && f.bbox.h > 0,
                decision: decisions.get(&f.id),
            }
        })
        .collect();
    let view = StateView {
        transcript: &app.review.transcript.path,
        decisions_file: &app.decisions_path,
        apply_to: match &app.target {
            Target::File(p) => p.display().to_string(),
            Target::InPlace => format!("{} (in place, with a backup)", app.review.transcript.path.display()),
        },
        reviewer: &app.reviewer,
        decided,
        total,
        flags,
        unverified: &app.review.unverified,
    };
    Json(view).into_response()
}

#[derive(Deserialize)]
struct DecideRequest {
    id: String,
    action: Action,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Serialize)]
struct Saved {
    decided: usize,
    total: usize,
    decision: Option<Decision>,
}

/// Record a decision: written to the file first, acknowledged after.
async fn decide(State(app): State<Arc<App>>, Json(req): Json<DecideRequest>) -> Response {
    let Some(flag) = app.flag(&req.id) else {
        return problem(StatusCode::NOT_FOUND, format!("no flag {} in this review", req.id));
    };
    if req.action == Action::Edit && req.text.is_none() {
        return problem(StatusCode::BAD_REQUEST, "an edit needs a text".into());
    }
    let decision = Decision::on_flag(flag, req.action, req.text, &app.reviewer, decisions::now_rfc3339());
    let mut held = app.decisions.lock().expect("decisions lock");
    let mut next = held.clone();
    next.record(decision.clone());
    if let Err(e) = decisions::write_decisions(&app.decisions_path, &next) {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    }
    *held = next;
    let (decided, total) = app.progress(&held);
    Json(Saved { decided, total, decision: Some(decision) }).into_response()
}

/// Take a decision back (the reviewer changed their mind before deciding otherwise).
async fn undecide(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    let mut held = app.decisions.lock().expect("decisions lock");
    let mut next = held.clone();
    if next.forget(&id) {
        if let Err(e) = decisions::write_decisions(&app.decisions_path, &next) {
            return problem(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        }
        *held = next;
    }
    let (decided, total) = app.progress(&held);
    Json(Saved { decided, total, decision: None }).into_response()
}

/// Write the corrected transcript from the decisions so far, as `scanproof apply` does.
/// Asks for a JSON body, as every write here does: another site's page cannot send one to
/// this server without the browser asking it first (CORS), and it never says yes.
async fn apply_now(State(app): State<Arc<App>>, Json(_): Json<serde_json::Value>) -> Response {
    // Held so that no decision lands half-way through.
    let held = app.decisions.lock().expect("decisions lock");
    match apply::apply_decisions_reading(
        &app.review.transcript.path,
        &held,
        &app.decisions_path,
        Some(&app.review),
        &app.target,
        &app.read,
        &app.write,
    ) {
        Ok(outcome) => Json(outcome).into_response(),
        Err(e @ Error::Conflicts { .. }) => problem(StatusCode::CONFLICT, e.to_string()),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// The flag's region of its page, with the words' box drawn, as PNG.
async fn crop(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    let Some(flag) = app.flag(&id).cloned() else {
        return problem(StatusCode::NOT_FOUND, format!("no flag {id} in this review"));
    };
    let Some(page) = app.review.pages.iter().find(|p| p.page == flag.page).cloned() else {
        return problem(StatusCode::NOT_FOUND, format!("flag {id} is on no page"));
    };
    if flag.bbox.w == 0 || flag.bbox.h == 0 {
        return problem(StatusCode::NOT_FOUND, format!("flag {id} has no box on the scan"));
    }
    let app2 = app.clone();
    let made = tokio::task::spawn_blocking(move || {
        let image = page_image(&app2, &page)?;
        crop_png(&image, flag.bbox, (page.width, page.height)).map_err(|e| format!("{}: {e}", page.path.display()))
    })
    .await;
    match made {
        Ok(Ok(png)) => {
            ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "max-age=3600")], png).into_response()
        }
        Ok(Err(e)) => problem(StatusCode::NOT_FOUND, e),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

fn page_image(app: &App, summary: &crate::types::PageSummary) -> std::result::Result<Arc<image::DynamicImage>, String> {
    let (page, path) = (summary.page, &summary.path);
    if let Some((_, img)) = app.images.lock().expect("image cache lock").iter().find(|(p, _)| *p == page) {
        return Ok(img.clone());
    }
    let img = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| format!("{}: {e}", path.display()))?
        .decode()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let img = Arc::new(crate::scan::orient_picture(img, summary.rotation, summary.skew));
    let mut cache = app.images.lock().expect("image cache lock");
    cache.push_back((page, img.clone()));
    if cache.len() > IMAGES_KEPT {
        cache.pop_front();
    }
    Ok(img)
}

/// Crop around `bbox` (in OCR page pixels, `ocr_size`) with a line or so of context, and draw
/// the box in red.
pub fn crop_png(
    image: &image::DynamicImage,
    bbox: BBox,
    ocr_size: (u32, u32),
) -> std::result::Result<Vec<u8>, image::ImageError> {
    let (w, h) = (image.width(), image.height());
    // The OCR may have read a rescaled copy; map its box onto this image.
    let sx = if ocr_size.0 > 0 { w as f64 / ocr_size.0 as f64 } else { 1.0 };
    let sy = if ocr_size.1 > 0 { h as f64 / ocr_size.1 as f64 } else { 1.0 };
    let bx = (bbox.x as f64 * sx) as u32;
    let by = (bbox.y as f64 * sy) as u32;
    let bw = ((bbox.w as f64 * sx) as u32).max(1);
    let bh = ((bbox.h as f64 * sy) as u32).max(1);
    // Enough of the line to read the word in its place, and part of the lines around it.
    let pad_x = (w / 5).max(bh * 4);
    let pad_y = bh.max(12) * 3 / 2;
    let x0 = bx.saturating_sub(pad_x).min(w.saturating_sub(1));
    let y0 = by.saturating_sub(pad_y).min(h.saturating_sub(1));
    let x1 = (bx + bw + pad_x).min(w);
    let y1 = (by + bh + pad_y).min(h);
    let mut out = image.crop_imm(x0, y0, (x1 - x0).max(1), (y1 - y0).max(1)).to_rgb8();
    let red = image::Rgb([220u8, 0, 0]);
    for t in 0..3i32 {
        let rect = imageproc::rect::Rect::at(bx as i32 - x0 as i32 - 3 - t, by as i32 - y0 as i32 - 3 - t)
            .of_size(bw + 6 + 2 * t as u32, bh + 6 + 2 * t as u32);
        imageproc::drawing::draw_hollow_rect_mut(&mut out, rect, red);
    }
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(out).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_paths_sit_beside_the_transcript() {
        let t = Path::new("/x/bagirov-1946.txt");
        assert_eq!(default_decisions_path(t), Path::new("/x/bagirov-1946.decisions.json"));
        assert_eq!(default_corrected_path(t), Path::new("/x/bagirov-1946.corrected.txt"));
        assert_eq!(default_corrected_path(Path::new("notes")), Path::new("notes.corrected.txt"));
    }

    #[test]
    fn decisions_on_another_version_of_the_transcript_are_rebased_and_the_old_file_kept() {
        let review = crate::review::sample_review();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.decisions.json");
        // Nothing yet: a new, empty set for this transcript.
        let (fresh, note) = open_decisions(&review, &path).unwrap();
        assert!(fresh.decisions.is_empty() && note.is_none() && fresh.transcript_sha256 == "new");

        let mut old = Decisions::new("old");
        let mut moved = review.flags[2].clone();
        moved.start -= 3;
        moved.end -= 3;
        old.record(Decision::on_flag(&moved, Action::Accept, None, "ann", "2024-01-01T00:00:00Z".into()));
        let mut gone = review.flags[0].clone();
        gone.id = "gone".into();
        old.record(Decision::on_flag(&gone, Action::Reject, None, "ann", "2024-01-01T00:00:00Z".into()));
        decisions::write_decisions(&path, &old).unwrap();

        let (now, note) = open_decisions(&review, &path).unwrap();
        assert!(note.unwrap().contains("1 of 2"));
        assert_eq!(now.transcript_sha256, "new");
        assert_eq!(now.decisions.len(), 1);
        let d = &now.decisions[0];
        assert_eq!((d.id.as_str(), d.action, d.start, d.reviewer.as_str()), ("c", Action::Accept, Some(15), "ann"));
        assert_eq!(decisions::read_decisions(&path).unwrap(), now);
        let kept = dir.path().join("t.decisions.json.bak");
        assert_eq!(decisions::read_decisions(&kept).unwrap(), old);
        // Same version again: read as it is.
        assert_eq!(open_decisions(&review, &path).unwrap(), (now, None));
    }

    #[test]
    fn crop_holds_the_box_and_stays_inside_the_page() {
        let img = image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(400, 300, image::Luma([255])));
        for bbox in [
            BBox { x: 100, y: 100, w: 50, h: 20 },
            BBox { x: 0, y: 0, w: 10, h: 10 },
            BBox { x: 390, y: 290, w: 10, h: 10 },
        ] {
            let png = crop_png(&img, bbox, (400, 300)).unwrap();
            let back = image::load_from_memory(&png).unwrap().to_rgb8();
            assert!(back.width() <= 400 && back.height() <= 300);
            assert!(back.pixels().any(|p| p.0 == [220, 0, 0]), "box drawn for {bbox:?}");
        }
    }
}
