//! The sample's scans served over IIIF by a real server started here
//! (lighttpd on 127.0.0.1, with Debian's iipimage-server as its FastCGI Image API server, the
//! pages as tiled pyramidal TIFFs made with vips), described by Presentation v3 and v2 manifests
//! that lighttpd serves too. No request leaves the machine.
//!
//! IIPImage delivers JPEG only, and JPEG (even at quality 100, 0.2 grey levels off on average)
//! moves Tesseract's reading of a few doubtful words, so the sample's report can equal the files'
//! only where the server hands out the files themselves: the first test serves the sample's PNGs
//! as the canvases' images (IIIF's level 0, no image service) and gets the files' report, apart
//! from paths, then a second run that downloads nothing. (Its pages' bytes are the files', so the
//! OCR cache the edition tests share already holds them: the comparison covers every stage after
//! the OCR, which Tesseract ran once, on the files.) The second serves two pages through the
//! Image API and checks it against the very images the server delivered, saved to disk; there
//! flags carry their canvas, the HTML crops link to the region on the server, and a canvas whose
//! image fails is a page failure.

use super::ocr_cache;
use super::sample::{bin, read_json};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const IIPSRV: &str = "/usr/lib/iipimage-server/iipsrv.fcgi";

/// lighttpd with iipsrv as a FastCGI application, serving `www/` and `/iiif/NAME/…` from
/// `images/`; stopped on drop.
struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
    /// Bytes of the access log already looked at.
    seen: std::cell::Cell<usize>,
}

impl Server {
    fn start(dir: &Path) -> Server {
        for tool in ["/usr/sbin/lighttpd", IIPSRV] {
            assert!(
                Path::new(tool).exists(),
                "{tool} is missing: scripts/setup.sh installs lighttpd and iipimage-server"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let d = dir.display();
        let conf = format!(
            r#"server.document-root = "{d}/www"
server.port = {port}
server.bind = "127.0.0.1"
server.modules = ("mod_fastcgi", "mod_rewrite", "mod_accesslog", "mod_staticfile")
static-file.etags = "enable"
server.errorlog = "{d}/error.log"
accesslog.filename = "{d}/access.log"
accesslog.format = "%s %U%q"
mimetype.assign = (".json" => "application/json", ".png" => "image/png")
url.rewrite-once = ( "^/iiif/(.*)$" => "/fcgi-bin/iipsrv.fcgi?IIIF=$1" )
fastcgi.server = ( "/fcgi-bin/iipsrv.fcgi" => ((
    "socket" => "{d}/iipsrv.sock", "bin-path" => "{IIPSRV}", "max-procs" => 1, "check-local" => "disable",
    "bin-environment" => ( "FILESYSTEM_PREFIX" => "{d}/images/", "JPEG_QUALITY" => "100", "MAX_CVT" => "20000",
                           "LOGFILE" => "{d}/iipsrv.log", "VERBOSITY" => "1" ) )) )
"#
        );
        std::fs::write(dir.join("lighttpd.conf"), conf).unwrap();
        let child = Command::new("/usr/sbin/lighttpd")
            .arg("-D")
            .arg("-f")
            .arg(dir.join("lighttpd.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "lighttpd did not start: {}",
                std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child, port, dir: dir.to_path_buf(), seen: Default::default() }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// The access log's lines (`STATUS PATH?QUERY`) since the last call, once `done` says all that is awaited has
    /// come and the log has then stopped growing. lighttpd buffers its access log and writes
    /// it in bursts, seconds late on a loaded machine (a fixed wait, then «stopped growing»
    /// alone, each read a log whose image lines had not come yet); 60 s at most.
    fn take_log_until(&self, done: impl Fn(&[String]) -> bool) -> Vec<String> {
        let read = || std::fs::read(self.dir.join("access.log")).unwrap_or_default();
        let new_lines = |log: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(&log[self.seen.get().min(log.len())..]).lines().map(String::from).collect()
        };
        let start = std::time::Instant::now();
        let mut log = read();
        let mut stable_since = std::time::Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(250));
            let now = read();
            if now.len() != log.len() {
                log = now;
                stable_since = std::time::Instant::now();
            } else if done(&new_lines(&log)) && stable_since.elapsed() >= Duration::from_millis(1500) {
                break;
            }
        }
        let lines = new_lines(&log);
        self.seen.set(log.len());
        lines
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM: lighttpd stops its FastCGI children with it.
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

/// A v3 manifest: per page, a canvas painted with `image(page)` (and `service(page)`, if any).
fn manifest_v3(
    server: &Server,
    pages: &[usize],
    image: impl Fn(usize) -> String,
    service: impl Fn(usize) -> Option<String>,
) -> Value {
    let items: Vec<Value> = pages
        .iter()
        .map(|&n| {
            let canvas = server.url(&format!("canvas/p{n}"));
            let mut body = json!({"id": image(n), "type": "Image", "format": "image/png", "width": 2480, "height": 3508});
            if let Some(s) = service(n) {
                body["service"] = json!([{"id": s, "type": "ImageService2", "profile": "level1"}]);
                body["format"] = json!("image/jpeg");
            }
            json!({"id": canvas, "type": "Canvas", "label": {"none": [format!("p. {n}")]},
                   "width": 1240, "height": 1754,
                   "items": [{"id": format!("{canvas}/page"), "type": "AnnotationPage", "items": [{
                       "id": format!("{canvas}/image"), "type": "Annotation", "motivation": "painting", "target": canvas,
                       "body": body}]}]})
        })
        .collect();
    json!({"@context": "http://iiif.io/api/presentation/3/context.json", "id": server.url("v3.json"),
           "type": "Manifest", "label": {"en": ["Bagirov to Stalin, 2 December 1946"]}, "items": items})
}

/// The same as a v2 manifest.
fn manifest_v2(
    server: &Server,
    pages: &[usize],
    image: impl Fn(usize) -> String,
    service: impl Fn(usize) -> Option<String>,
) -> Value {
    let canvases: Vec<Value> = pages
        .iter()
        .map(|&n| {
            let canvas = server.url(&format!("canvas/p{n}"));
            let mut resource = json!({"@id": image(n), "@type": "dctypes:Image", "width": 2480, "height": 3508});
            if let Some(s) = service(n) {
                resource["service"] = json!({"@context": "http://iiif.io/api/image/2/context.json", "@id": s,
                                             "profile": "http://iiif.io/api/image/2/level1.json"});
            }
            json!({"@id": canvas, "@type": "sc:Canvas", "label": format!("p. {n}"), "width": 1240, "height": 1754,
                   "images": [{"@type": "oa:Annotation", "motivation": "sc:painting", "on": canvas, "resource": resource}]})
        })
        .collect();
    json!({"@context": "http://iiif.io/api/presentation/2/context.json", "@id": server.url("v2.json"),
           "@type": "sc:Manifest", "label": "Bagirov to Stalin", "sequences": [{"@type": "sc:Sequence", "canvases": canvases}]})
}

fn run_check(source: &str, cache: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = bin()
        .current_dir(root)
        .args(["check", source, "--transcript", "transcripts/bagirov-1946.txt", "--lang", "rus", "--cache"])
        .arg(cache)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A report without what names where its images came from.
fn without_paths(mut r: Value) -> Value {
    for p in r["pages"].as_array_mut().unwrap() {
        let o = p.as_object_mut().unwrap();
        for k in ["path", "label", "iiif"] {
            o.remove(k);
        }
    }
    for f in r["flags"].as_array_mut().unwrap() {
        f.as_object_mut().unwrap().remove("iiif");
    }
    r
}

/// Two reports equal apart from paths, or the first few differences.
fn assert_same(a: &Value, b: &Value, what: &str) {
    let (a, b) = (without_paths(a.clone()), without_paths(b.clone()));
    if a == b {
        return;
    }
    let shown = |r: &Value| -> Vec<String> {
        r["flags"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["shown"] == true)
            .map(|f| format!("p{} {} -> {}", f["page"], f["transcript"], f["suggestion"]))
            .collect()
    };
    panic!(
        "{what}: the reports differ\nstats {} vs {}\nshown {:?}\nvs    {:?}",
        a["stats"],
        b["stats"],
        shown(&a),
        shown(&b)
    );
}

fn images_in(log: &[String]) -> Vec<&String> {
    log.iter().filter(|l| l.contains("/fcgi-bin/iipsrv.fcgi") || l.contains("/scans/")).collect()
}

#[test]
fn issue15_iiif_sample_gives_the_files_report_and_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(d.join("www/scans")).unwrap();
    std::fs::create_dir_all(d.join("images")).unwrap();
    for n in 1..=5 {
        std::fs::copy(root.join(format!("scans/bagirov-1946/page-{n}.png")), d.join(format!("www/scans/page-{n}.png")))
            .unwrap();
    }
    let server = Server::start(d);
    let pages = [1, 2, 3, 4, 5];
    let png = |n: usize| server.url(&format!("scans/page-{n}.png"));
    std::fs::write(d.join("www/v3.json"), manifest_v3(&server, &pages, png, |_| None).to_string()).unwrap();
    std::fs::write(d.join("www/v2.json"), manifest_v2(&server, &pages, png, |_| None).to_string()).unwrap();

    // The manifest first: every image downloaded (the OCR cache knows their bytes).
    let cache = ocr_cache().to_path_buf();
    let first_json = d.join("first.json");
    let (code, err) = run_check(&server.url("v3.json"), &cache, &first_json, &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let log = server.take_log_until(|l| images_in(l).len() >= 5);
    let images = images_in(&log);
    assert_eq!(images.len(), 5, "{log:?}");
    assert!(images.iter().all(|l| l.starts_with("200 ")), "{log:?}");
    let first = read_json(&first_json);
    assert_eq!(first["pages"][0]["label"], "p. 1");
    assert_eq!(first["pages"][4]["iiif"]["canvas"], server.url("canvas/p5"));

    // The files on disk give the same report.
    let disk_json = d.join("disk.json");
    let (code, err) = run_check("scans/bagirov-1946", &cache, &disk_json, &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_same(&first, &read_json(&disk_json), "IIIF and files on disk");
    super::assert_finds_what_the_text_finds(&first, "IIIF");

    // Second run: the kept copies are confirmed by the server (304), nothing is read again.
    let second_json = d.join("second.json");
    let (code, err) = run_check(&server.url("v3.json"), &cache, &second_json, &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let log = server.take_log_until(|l| images_in(l).len() >= 5);
    let images = images_in(&log);
    assert_eq!(images.len(), 5, "{log:?}");
    assert!(images.iter().all(|l| l.starts_with("304 ")), "every image answered 304: {log:?}");
    assert_eq!(read_json(&second_json), first, "the same report again");

    // The v2 manifest names the same images: the same report, nothing downloaded.
    let v2_json = d.join("v2.json");
    let (code, err) = run_check(&server.url("v2.json"), &cache, &v2_json, &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_same(&read_json(&v2_json), &first, "v2 and v3 manifests");
    let log = server.take_log_until(|l| images_in(l).len() >= 5);
    assert!(images_in(&log).iter().all(|l| l.starts_with("304 ")), "{log:?}");
}

#[test]
fn issue15_iiif_image_api_pages_regions_and_a_failing_canvas() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(d.join("www")).unwrap();
    std::fs::create_dir_all(d.join("images")).unwrap();
    // Two pages keep the Tesseract time of this test down; the first test reads all five.
    let pages = [4, 5];
    for n in pages {
        // Tiled pyramidal TIFF, the form IIPImage serves.
        let status = Command::new("vips")
            .arg("tiffsave")
            .arg(root.join(format!("scans/bagirov-1946/page-{n}.png")))
            .arg(d.join(format!("images/page-{n}.tif")))
            .args(["--tile", "--pyramid", "--compression=deflate", "--tile-width=256", "--tile-height=256"])
            .status()
            .expect("vips runs (Debian libvips-tools; scripts/setup.sh installs it)");
        assert!(status.success());
    }
    let server = Server::start(d);
    let service = |n: usize| Some(server.url(&format!("iiif/page-{n}.tif")));
    let image = |n: usize| server.url(&format!("iiif/page-{n}.tif/full/full/0/default.jpg"));
    std::fs::write(d.join("www/v3.json"), manifest_v3(&server, &pages, image, service).to_string()).unwrap();
    std::fs::write(d.join("www/v2.json"), manifest_v2(&server, &pages, image, service).to_string()).unwrap();
    let broken = manifest_v3(&server, &[4, 9, 5], image, service);
    std::fs::write(d.join("www/broken.json"), broken.to_string()).unwrap();

    let cache = d.join("cache");
    let first_json = d.join("first.json");
    let (code, err) = run_check(&server.url("v3.json"), &cache, &first_json, &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let log = server.take_log_until(|l| images_in(l).len() >= 2);
    let images = images_in(&log);
    assert_eq!(images.len(), 2, "{log:?}");
    assert!(images.iter().all(|l| l.starts_with("200 /fcgi-bin/iipsrv.fcgi")), "through the Image API: {log:?}");
    let first = read_json(&first_json);
    let flag = first["flags"].as_array().unwrap().iter().find(|f| f["shown"] == true).unwrap().clone();
    let n = [4, 5][flag["page"].as_u64().unwrap() as usize - 1];
    assert_eq!(flag["iiif"]["canvas"], server.url(&format!("canvas/p{n}")));
    // The canvas is half the image's size: the flag's box on it is half its box in pixels.
    let b: Vec<i64> = flag["bbox"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    let xywh: Vec<i64> = flag["iiif"]["xywh"].as_str().unwrap().split(',').map(|v| v.parse().unwrap()).collect();
    for i in 0..4 {
        assert!((xywh[i] - b[i] / 2).abs() <= 1, "{xywh:?} against {b:?}");
    }
    let region = flag["iiif"]["region_url"].as_str().unwrap().to_string();
    assert!(
        region.starts_with(&format!("{}/", service(n).unwrap())) && region.ends_with("/max/0/default.jpg"),
        "{region}"
    );

    // The very images the server delivered, saved as files, give the same report.
    let agent = ureq::Agent::new_with_defaults();
    let saved = d.join("saved");
    std::fs::create_dir_all(&saved).unwrap();
    for (i, n) in pages.iter().enumerate() {
        let url = format!("{}/full/max/0/default.jpg", service(*n).unwrap());
        let bytes = agent.get(&url).call().unwrap().body_mut().read_to_vec().unwrap();
        std::fs::write(saved.join(format!("page-{}.jpg", i + 1)), bytes).unwrap();
    }
    server.take_log_until(|l| images_in(l).len() >= pages.len());
    let disk_json = d.join("disk.json");
    let (code, err) = run_check(saved.to_str().unwrap(), &cache, &disk_json, &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_same(&first, &read_json(&disk_json), "IIIF and the same images on disk");

    // The v2 manifest: the same report. (IIPImage 1.1 answers a revalidation with 200 unless
    // If-Modified-Since is later than the file's time, so these are downloaded again; the OCR
    // cache, keyed by the images' bytes, still reads none of them again.)
    let v2_json = d.join("v2.json");
    let (code, err) = run_check(&server.url("v2.json"), &cache, &v2_json, &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_same(&read_json(&v2_json), &first, "v2 and v3 manifests");
    server.take_log_until(|l| images_in(l).len() >= pages.len());

    // A canvas whose image fails is that page's failure; the others go on.
    let broken_json = d.join("broken.json");
    let (code, err) = run_check(&server.url("broken.json"), &cache, &broken_json, &["--format", "json"]);
    assert_eq!(code, 2, "a failed page means exit status 2: {err}");
    let broken = read_json(&broken_json);
    let failures = broken["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0]["page"], 2);
    assert!(failures[0]["error"].as_str().unwrap().contains(&server.url("canvas/p9")), "{failures:?}");
    let numbers: Vec<u64> = broken["pages"].as_array().unwrap().iter().map(|p| p["page"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 3]);
    assert_eq!(broken["stats"]["pages"], 3);
    let log = server.take_log_until(|l| l.iter().any(|l| l.contains("page-9")));
    let tries = log.iter().filter(|l| l.contains("page-9")).count();
    assert!(tries <= 1, "a 404 is not retried: {log:?}");

    // The HTML report: each crop links to its region on the image server, which serves it.
    let html_path = d.join("report.html");
    let (_, err) = run_check(&server.url("v3.json"), &cache, &html_path, &["--format", "html"]);
    let html = std::fs::read_to_string(&html_path).unwrap_or_else(|_| panic!("{err}"));
    assert!(html.contains(&format!("href=\"{region}\"")), "the crop links to {region}");
    let resp = agent.get(&region).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers().get("content-type").unwrap(), "image/jpeg");
}
