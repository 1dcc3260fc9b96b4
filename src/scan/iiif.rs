//! IIIF in: a Presentation manifest (v2 or v3, a URL or a file) in, its canvases in order out,
//! each with the image of it fetched once into a download folder (the OCR cache's `iiif/`): the
//! image service's `full/SIZE/0/default.jpg`, or the painted image itself when there is no
//! service. A copy is revalidated with its ETag or Last-Modified on the next run (a 304 reads
//! nothing again); transport errors and 5xx/408/429 answers are retried. A canvas that cannot be
//! fetched is a failure of its page only. Afterwards each flag learns its canvas region and the
//! Image API URL of it. Nothing here decodes an image.

use crate::types::{BBox, IiifPage, IiifRegion, Review};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Largest manifest and image read: a 600 dpi A3 page as PNG is ~100 MB.
const MAX_BODY: u64 = 256 << 20;
/// Attempts per request (the first and the retries), and the first pause between them.
const ATTEMPTS: u32 = 4;
const FIRST_PAUSE: Duration = Duration::from_millis(300);

/// How canvases are fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The Image API size (`max`, `full`, `1500,`, `pct:50`, …).
    pub size: String,
    /// Where downloads are kept: the cache's `iiif/` folder, or a folder for this run.
    pub folder: PathBuf,
}

/// A canvas of a manifest and the image painted on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    pub id: String,
    pub label: Option<String>,
    pub width: u32,
    pub height: u32,
    /// The image service's id (no trailing `/`), if it has one.
    pub service: Option<String>,
    /// The painted image resource.
    pub resource: String,
    /// The resource's size, when given.
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
}

impl Canvas {
    /// The URL read for OCR.
    pub fn image_url(&self, size: &str) -> String {
        match &self.service {
            Some(s) => format!("{s}/full/{size}/0/default.jpg"),
            None => self.resource.clone(),
        }
    }
}

/// A canvas fetched: its image on disk (or why not) and what reports need of it.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub canvas: Canvas,
    pub image: Result<PathBuf, String>,
    pub url: String,
}

/// Whether a scan argument is a IIIF manifest: an http(s) URL, or a JSON file.
pub fn is_manifest(arg: &Path) -> bool {
    let s = arg.to_string_lossy();
    if is_url(&s) {
        return true;
    }
    arg.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) && arg.is_file()
}

pub fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_global(Some(Duration::from_secs(300)))
        .user_agent(concat!("scanproof/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The canvases of a manifest (a URL or a file).
pub fn read_manifest(source: &Path) -> Result<Vec<Canvas>, String> {
    let s = source.to_string_lossy();
    let bytes = if is_url(&s) {
        match get(&agent(), &s, &[])? {
            Answer::Body { bytes, .. } => bytes,
            Answer::NotModified => return Err("the server answered 304 to a plain request".into()),
        }
    } else {
        std::fs::read(source).map_err(|e| e.to_string())?
    };
    let json: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("not a IIIF manifest (not JSON: {e})"))?;
    parse_manifest(&json)
}

/// A string or the first string of a v3 language map / v2 value list.
fn label(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(a) => a.iter().find_map(label),
        serde_json::Value::Object(o) => o.get("@value").and_then(label).or_else(|| o.values().find_map(label)),
        _ => None,
    }
}

fn id_of(v: &serde_json::Value) -> Option<String> {
    v.get("id").or_else(|| v.get("@id")).and_then(|i| i.as_str()).map(String::from)
}

fn dimension(v: &serde_json::Value, key: &str) -> Option<u32> {
    v.get(key).and_then(|n| n.as_u64()).and_then(|n| u32::try_from(n).ok())
}

/// The image service of a resource (an object or the first of a list), without a trailing `/`.
fn service(resource: &serde_json::Value) -> Option<String> {
    let s = resource.get("service")?;
    let s = if let Some(list) = s.as_array() { list.first()? } else { s };
    id_of(s).map(|id| id.trim_end_matches('/').trim_end_matches("/info.json").to_string())
}

/// The canvases of a Presentation v2 (`sequences[0].canvases`) or v3 (`items`) manifest.
pub fn parse_manifest(m: &serde_json::Value) -> Result<Vec<Canvas>, String> {
    let v3 = m.get("items").is_some_and(|i| i.is_array());
    let canvases: Vec<&serde_json::Value> = if v3 {
        m["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c.get("type").and_then(|t| t.as_str()) == Some("Canvas"))
            .collect()
    } else {
        m.get("sequences")
            .and_then(|s| s.as_array())
            .and_then(|s| s.first())
            .and_then(|s| s.get("canvases"))
            .and_then(|c| c.as_array())
            .ok_or("not a IIIF manifest: neither v3 `items` nor v2 `sequences[0].canvases`")?
            .iter()
            .collect()
    };
    if canvases.is_empty() {
        return Err("the manifest has no canvases".into());
    }
    canvases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = id_of(c).ok_or(format!("canvas {} has no id", i + 1))?;
            // v3: items[0] (AnnotationPage) .items[0] (Annotation) .body; v2: images[0].resource.
            let resource = if v3 { c.pointer("/items/0/items/0/body") } else { c.pointer("/images/0/resource") }
                .ok_or(format!("canvas {id} paints no image"))?;
            // A choice of images: the first (the default).
            let resource = match resource.get("items").and_then(|i| i.as_array()) {
                Some(items) if resource.get("type").and_then(|t| t.as_str()) == Some("Choice") => {
                    items.first().unwrap_or(resource)
                }
                _ => resource,
            };
            let resource = if let Some(d) = resource.get("default") { d } else { resource };
            Ok(Canvas {
                label: c.get("label").and_then(label),
                width: dimension(c, "width").unwrap_or(0),
                height: dimension(c, "height").unwrap_or(0),
                service: service(resource),
                resource: id_of(resource).ok_or(format!("canvas {id}: its image has no id"))?,
                image_width: dimension(resource, "width"),
                image_height: dimension(resource, "height"),
                id,
            })
        })
        .collect()
}

enum Answer {
    Body { bytes: Vec<u8>, etag: Option<String>, last_modified: Option<String> },
    NotModified,
}

/// A GET with retries of what may pass (transport errors, 5xx, 408, 429).
fn get(agent: &ureq::Agent, url: &str, headers: &[(&str, &str)]) -> Result<Answer, String> {
    let mut pause = FIRST_PAUSE;
    let mut last = String::new();
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            std::thread::sleep(pause);
            pause *= 2;
        }
        let mut req = agent.get(url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut resp = match req.call() {
            Ok(r) => r,
            Err(e) => {
                last = e.to_string();
                continue;
            }
        };
        let status = resp.status().as_u16();
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from);
        match status {
            304 => return Ok(Answer::NotModified),
            200..=299 => {
                let (etag, last_modified) = (header("etag"), header("last-modified"));
                match resp.body_mut().with_config().limit(MAX_BODY).read_to_vec() {
                    Ok(bytes) => return Ok(Answer::Body { bytes, etag, last_modified }),
                    Err(e) => last = format!("reading the answer: {e}"),
                }
            }
            408 | 429 | 500..=599 => last = format!("HTTP {status}"),
            _ => return Err(format!("HTTP {status} for {url}")),
        }
    }
    Err(format!("{url}: {last} (tried {ATTEMPTS} times)"))
}

/// What is kept beside a downloaded image.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
}

/// Counts of one run's image fetches.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub downloaded: usize,
    /// Kept copies confirmed by a 304, or kept without validators.
    pub reused: usize,
}

/// The image at `url` in `folder`, downloaded unless a kept copy is still good.
fn fetch(agent: &ureq::Agent, url: &str, folder: &Path, counts: &mut Counts) -> Result<PathBuf, String> {
    let digest = Sha256::digest(url.as_bytes());
    let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let dir = folder.join(&name[..2]);
    let image = dir.join(format!("{}.img", &name[2..]));
    let meta_path = dir.join(format!("{}.json", &name[2..]));
    let kept: Option<Meta> = std::fs::read(&meta_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|m: &Meta| m.url == url && image.is_file());
    let mut headers = Vec::new();
    if let Some(m) = &kept {
        // A copy without validators names a fixed rendition of the image: IIIF URLs do.
        if m.etag.is_none() && m.last_modified.is_none() {
            counts.reused += 1;
            return Ok(image);
        }
        if let Some(e) = &m.etag {
            headers.push(("If-None-Match", e.as_str()));
        }
        if let Some(l) = &m.last_modified {
            headers.push(("If-Modified-Since", l.as_str()));
        }
    }
    match get(agent, url, &headers)? {
        Answer::NotModified if kept.is_some() => {
            counts.reused += 1;
            Ok(image)
        }
        Answer::NotModified => Err(format!("{url}: HTTP 304 without a kept copy")),
        Answer::Body { bytes, etag, last_modified } => {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            write_atomically(&image, &bytes)?;
            let meta = Meta { url: url.to_string(), etag, last_modified };
            write_atomically(&meta_path, &serde_json::to_vec(&meta).expect("plain data serializes"))?;
            counts.downloaded += 1;
            Ok(image)
        }
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

/// Fetch the image of every canvas of the manifest at `source`. The manifest failing is an
/// error; a canvas failing is recorded in its `Fetched` and the others go on.
pub fn fetch_manifest(source: &Path, opts: &Options, counts: &mut Counts) -> Result<Vec<Fetched>, String> {
    let canvases = read_manifest(source)?;
    let agent = agent();
    Ok(canvases
        .into_iter()
        .map(|canvas| {
            let url = canvas.image_url(&opts.size);
            let image = fetch(&agent, &url, &opts.folder, counts);
            Fetched { canvas, image, url }
        })
        .collect())
}

/// Fetch a single image by URL (a TEI `<pb facs>` naming one) into the download folder.
pub fn fetch_image(url: &str, folder: &Path, counts: &mut Counts) -> Result<PathBuf, String> {
    fetch(&agent(), url, folder, counts)
}

/// What a report needs of a fetched canvas, with the size its image came in.
pub fn page_info(f: &Fetched, width: u32, height: u32) -> IiifPage {
    let c = &f.canvas;
    IiifPage {
        canvas: c.id.clone(),
        service: c.service.clone(),
        image: f.url.clone(),
        canvas_width: if c.width > 0 { c.width } else { width },
        canvas_height: if c.height > 0 { c.height } else { height },
        full_width: c.image_width.unwrap_or(if c.width > 0 { c.width } else { width }),
        full_height: c.image_height.unwrap_or(if c.height > 0 { c.height } else { height }),
    }
}

/// Give each flag on a IIIF page its canvas region and the Image API URL of the region around
/// it (the word with a line above and below and some words either side, as the crops show).
pub fn locate_flags(review: &mut Review) {
    for flag in &mut review.flags {
        let Some(page) = review.pages.iter().find(|p| p.page == flag.page) else { continue };
        let Some(info) = &page.iiif else { continue };
        let b = flag.bbox;
        if b.w == 0 || b.h == 0 || page.width == 0 || page.height == 0 {
            flag.iiif = Some(IiifRegion { canvas: info.canvas.clone(), xywh: String::new(), region_url: None });
            continue;
        }
        let scale = |b: BBox, w: u32, h: u32| {
            let (sx, sy) = (w as f64 / page.width as f64, h as f64 / page.height as f64);
            let r = |v: u32, s: f64| (v as f64 * s).round() as u32;
            BBox { x: r(b.x, sx), y: r(b.y, sy), w: r(b.w, sx).max(1), h: r(b.h, sy).max(1) }
        };
        let on_canvas = scale(b, info.canvas_width, info.canvas_height);
        let around = {
            let (mx, my) = (b.h * 4, b.h);
            let x = b.x.saturating_sub(mx);
            let y = b.y.saturating_sub(my);
            let w = (b.x + b.w + mx).min(page.width) - x;
            let h = (b.y + b.h + my).min(page.height) - y;
            scale(BBox { x, y, w, h }, info.full_width, info.full_height)
        };
        let xywh = |b: BBox| format!("{},{},{},{}", b.x, b.y, b.w, b.h);
        flag.iiif = Some(IiifRegion {
            canvas: info.canvas.clone(),
            xywh: xywh(on_canvas),
            region_url: info.service.as_ref().map(|s| format!("{s}/{}/max/0/default.jpg", xywh(around))),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_and_v3_manifests_give_their_canvases_in_order() {
        let v2 = serde_json::json!({
            "@context": "http://iiif.io/api/presentation/2/context.json", "@type": "sc:Manifest",
            "sequences": [{"canvases": [
                {"@id": "c1", "label": "p. 1", "width": 1000, "height": 1400, "images": [{"resource": {
                    "@id": "http://h/i/p1/full/full/0/default.jpg", "width": 2000, "height": 2800,
                    "service": {"@id": "http://h/i/p1/", "profile": "level1"}}}]},
                {"@id": "c2", "images": [{"resource": {"@id": "http://h/p2.jpg"}}]}]}]
        });
        let c = parse_manifest(&v2).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].id.as_str(), c[0].label.as_deref(), c[0].width), ("c1", Some("p. 1"), 1000));
        assert_eq!(c[0].image_url("max"), "http://h/i/p1/full/max/0/default.jpg");
        assert_eq!(c[1].image_url("max"), "http://h/p2.jpg");
        let v3 = serde_json::json!({
            "@context": "http://iiif.io/api/presentation/3/context.json", "type": "Manifest",
            "items": [{"id": "k1", "type": "Canvas", "label": {"none": ["1"]}, "width": 10, "height": 20,
                "items": [{"type": "AnnotationPage", "items": [{"type": "Annotation", "body": {
                    "id": "http://h/a.jpg", "type": "Image",
                    "service": [{"id": "http://h/svc/a", "type": "ImageService3"}]}}]}]}]
        });
        let c = parse_manifest(&v3).unwrap();
        assert_eq!((c[0].id.as_str(), c[0].label.as_deref(), c[0].height), ("k1", Some("1"), 20));
        assert_eq!(c[0].image_url("1500,"), "http://h/svc/a/full/1500,/0/default.jpg");
        assert!(parse_manifest(&serde_json::json!({"a": 1})).unwrap_err().contains("not a IIIF manifest"));
    }

    /// A one-thread HTTP server on 127.0.0.1 answering each request with the next of `answers`
    /// (status, extra headers), the body "IMG"; it records the requests' header blocks.
    fn serve(answers: Vec<(u16, &'static str)>) -> (String, std::thread::JoinHandle<Vec<String>>) {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/img.jpg", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for (status, headers) in answers {
                let (mut stream, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                seen.push(head);
                let body = if status == 200 { "IMG" } else { "" };
                let reply = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
                    body.len()
                );
                stream.write_all(reply.as_bytes()).unwrap();
            }
            seen
        });
        (url, handle)
    }

    #[test]
    fn downloads_are_retried_kept_and_revalidated_by_etag() {
        let dir = tempfile::tempdir().unwrap();
        let mut counts = Counts::default();
        // Two server errors, then the image with its ETag.
        let (url, server) = serve(vec![(503, ""), (502, ""), (200, "ETag: \"v1\"\r\n")]);
        let path = fetch(&agent(), &url, dir.path(), &mut counts).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"IMG");
        assert_eq!(server.join().unwrap().len(), 3);
        // Next time the kept copy is revalidated with its ETag and kept on 304.
        let (url2, server) = serve(vec![(304, "")]);
        let meta_path = path.with_extension("json");
        let meta = std::fs::read_to_string(&meta_path).unwrap().replace(&url, &url2);
        let dir2 = tempfile::tempdir().unwrap();
        let digest: String = Sha256::digest(url2.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let kept = dir2.path().join(&digest[..2]);
        std::fs::create_dir_all(&kept).unwrap();
        std::fs::write(kept.join(format!("{}.img", &digest[2..])), b"IMG").unwrap();
        std::fs::write(kept.join(format!("{}.json", &digest[2..])), meta).unwrap();
        let again = fetch(&agent(), &url2, dir2.path(), &mut counts).unwrap();
        let heads = server.join().unwrap();
        assert!(heads[0].to_ascii_lowercase().contains("if-none-match: \"v1\""), "{heads:?}");
        assert_eq!(std::fs::read(again).unwrap(), b"IMG");
        assert_eq!(counts, Counts { downloaded: 1, reused: 1 });
        // A 404 is not retried.
        let (url3, server) = serve(vec![(404, "")]);
        let err = fetch(&agent(), &url3, dir.path(), &mut counts).unwrap_err();
        assert!(err.contains("404"), "{err}");
        assert_eq!(server.join().unwrap().len(), 1);
    }
}
