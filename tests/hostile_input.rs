//! Hostile input, issue 7: broken and malicious files. Each gets a clear error naming the file,
//! exit status 2, and nothing written (the `-o` target stays absent, no temporary files left).
//! Also the inputs the fuzzers found, replayed through the same checks the fuzzers make.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.txt"), "Dear Sir, we ask for your help.\n").unwrap();
        let case = Case { dir };
        write_png(&case.path("page.png"), 120, 80);
        case
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Run scanproof with `args` and `-o out.json`; assert exit 2, nothing written; return stderr.
    fn fails(&self, args: &[&std::ffi::OsStr]) -> String {
        let out = self.path("out.json");
        let o = Command::new(env!("CARGO_BIN_EXE_scanproof"))
            .args(args)
            .arg("-o")
            .arg(&out)
            .args(["--no-cache"].iter().filter(|_| args.first().is_some_and(|a| *a == "check")))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "exit status for {args:?}: {stderr}");
        assert!(!out.exists(), "nothing is written on bad input: {stderr}");
        let leftovers: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
        stderr
    }

    /// `check SCAN --transcript T --format json -o out.json`, which must fail.
    fn check_fails(&self, scan: &Path, transcript: &Path) -> String {
        self.fails(&[
            "check".as_ref(),
            scan.as_os_str(),
            "--transcript".as_ref(),
            transcript.as_os_str(),
            "--lang".as_ref(),
            "eng".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
    }
}

fn write_png(path: &Path, w: u32, h: u32) {
    let img = image::GrayImage::from_fn(w, h, |x, y| image::Luma([((x * 7 + y * 13) % 251) as u8]));
    img.save(path).unwrap();
}

fn encoded(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::GrayImage::from_fn(w, h, |x, y| image::Luma([((x * 31 + y * 17) % 253) as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

#[test]
fn truncated_png_jpeg_and_tiff() {
    let c = Case::new();
    for (name, format) in [
        ("cut.png", image::ImageFormat::Png),
        ("cut.jpg", image::ImageFormat::Jpeg),
        ("cut.tif", image::ImageFormat::Tiff),
    ] {
        let whole = encoded(400, 300, format);
        let scan = c.write(name, &whole[..whole.len() / 2]);
        let err = c.check_fails(&scan, &c.path("t.txt"));
        assert!(err.contains(name), "{name}: {err}");
    }
}

#[test]
fn zero_byte_scan_and_transcript() {
    let c = Case::new();
    let empty = c.write("empty.png", b"");
    let err = c.check_fails(&empty, &c.path("t.txt"));
    assert!(err.contains("empty.png") && err.contains("0 bytes"), "{err}");
    let empty = c.write("empty.txt", b"");
    let err = c.check_fails(&c.path("page.png"), &empty);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");
}

/// A PNG whose header declares 100,000 x 100,000 pixels (a decompression bomb): refused from the
/// header, never decoded.
#[test]
fn image_declaring_100000_by_100000_pixels() {
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
        out
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    png.extend(chunk(b"IEND", &[]));
    let c = Case::new();
    let bomb = c.write("bomb.png", &png);
    let err = c.check_fails(&bomb, &c.path("t.txt"));
    assert!(err.contains("bomb.png") && err.contains("100000 x 100000"), "{err}");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn pdf_that_is_not_one() {
    let c = Case::new();
    let fake = c.write("scan.pdf", b"these are notes, not a PDF\n");
    let err = c.check_fails(&fake, &c.path("t.txt"));
    assert!(err.contains("scan.pdf") && err.contains("not a PDF"), "{err}");
    // It claims to be one, and is not.
    let broken = c.write("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage\n");
    let err = c.check_fails(&broken, &c.path("t.txt"));
    assert!(err.contains("broken.pdf") && (err.contains("not a readable PDF") || err.contains("poppler")), "{err}");
}

const ALTO_HEAD: &str = r#"<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page WIDTH="120" HEIGHT="80"><PrintSpace><TextBlock>"#;
const ALTO_TAIL: &str = "</TextBlock></PrintSpace></Page></Layout></alto>";

#[test]
fn xml_with_an_external_entity_is_never_expanded_or_fetched() {
    let c = Case::new();
    let secret = c.write("secret.txt", b"TOP-SECRET-CONTENT");
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE alto [<!ENTITY xxe SYSTEM \"file://{}\">]>\n{ALTO_HEAD}<TextLine><String CONTENT=\"&xxe;\"/></TextLine>{ALTO_TAIL}",
        secret.display()
    );
    let t = c.write("xxe.xml", xml.as_bytes());
    let err = c.check_fails(&c.path("page.png"), &t);
    assert!(err.contains("xxe.xml") && err.contains("entities"), "{err}");
    assert!(!err.contains("TOP-SECRET"), "{err}");
    // Without a declaration the reference is still not expanded.
    let xml = format!("{ALTO_HEAD}<TextLine><String CONTENT=\"&xxe;\"/></TextLine>{ALTO_TAIL}");
    let t = c.write("undeclared.xml", xml.as_bytes());
    let err = c.check_fails(&c.path("page.png"), &t);
    assert!(err.contains("undeclared.xml") && err.contains("&xxe;"), "{err}");
}

#[test]
fn billion_laughs() {
    let c = Case::new();
    let mut dtd = String::from("<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        dtd.push_str(&format!("<!ENTITY lol{i} \"{}\">", format!("&{prev};").repeat(10)));
    }
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE alto [{dtd}]>{ALTO_HEAD}<TextLine><String CONTENT=\"&lol9;\"/></TextLine>{ALTO_TAIL}"
    );
    let t = c.write("laughs.xml", xml.as_bytes());
    let started = std::time::Instant::now();
    let err = c.check_fails(&c.path("page.png"), &t);
    assert!(err.contains("laughs.xml") && err.contains("entities"), "{err}");
    assert!(started.elapsed().as_secs() < 20, "refused at once, not expanded");
}

#[test]
fn deeply_nested_xml() {
    let c = Case::new();
    let depth = 100_000;
    let xml = format!("{ALTO_HEAD}{}{}{ALTO_TAIL}", "<TextLine>".repeat(depth), "</TextLine>".repeat(depth));
    let t = c.write("deep.xml", xml.as_bytes());
    let err = c.check_fails(&c.path("page.png"), &t);
    assert!(err.contains("deep.xml") && err.contains("nest"), "{err}");
}

/// A 200 MB transcript is refused by the stated limit before it is read (a sparse file: the
/// test itself stays small).
#[test]
fn a_200_mb_transcript_is_refused_by_the_size_limit() {
    let c = Case::new();
    let big = c.path("huge.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let err = c.check_fails(&c.path("page.png"), &big);
    assert!(err.contains("huge.txt") && err.contains("200 MB") && err.contains("refused"), "{err}");
}

/// Paths with spaces and non-Latin letters: a missing one is named exactly, and a good run
/// (scan, ALTO transcript and OCR all under such names) reads and writes them.
#[test]
fn paths_with_spaces_and_non_latin_letters() {
    let c = Case::new();
    let folder = c.path("архив дела 7");
    std::fs::create_dir(&folder).unwrap();
    let missing = folder.join("скан страница 1.png");
    let err = c.check_fails(&missing, &c.path("t.txt"));
    assert!(err.contains("архив дела 7/скан страница 1.png") && err.contains("no such file"), "{err}");

    let scan = folder.join("скан страница 1.png");
    write_png(&scan, 120, 80);
    let line = |id: &str, words: &[&str]| {
        let strings: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, w)| format!("<String ID=\"{id}_{i}\" HPOS=\"{}\" VPOS=\"10\" WIDTH=\"20\" HEIGHT=\"10\" WC=\"0.95\" CONTENT=\"{w}\"/>", 5 + 22 * i))
            .collect();
        format!(
            "<TextLine ID=\"{id}\" HPOS=\"5\" VPOS=\"10\" WIDTH=\"110\" HEIGHT=\"10\">{}</TextLine>",
            strings.join("<SP/>")
        )
    };
    let transcript = folder.join("транскрипт 1.xml");
    std::fs::write(&transcript, format!("{ALTO_HEAD}{}{ALTO_TAIL}", line("l1", &["Мы", "просим", "вашей", "помощи."])))
        .unwrap();
    let ocr = folder.join("распознано 1.xml");
    std::fs::write(&ocr, format!("{ALTO_HEAD}{}{ALTO_TAIL}", line("o1", &["Мы", "просим", "вашей", "помоши."])))
        .unwrap();
    let report = folder.join("отчёт 1.json");
    let o = Command::new(env!("CARGO_BIN_EXE_scanproof"))
        .arg("check")
        .arg(&scan)
        .arg("--transcript")
        .arg(&transcript)
        .arg("--ocr")
        .arg(&ocr)
        .args(["--lang", "rus", "--no-lexicon", "--format", "json", "--exit-zero", "-o"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let review: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(review["pages"][0]["path"].as_str().unwrap(), scan.to_str().unwrap());
    let flag = &review["flags"][0];
    assert_eq!((flag["transcript"].as_str(), flag["element_id"].as_str()), (Some("помощи."), Some("l1_3")));
    assert_eq!(flag["line_bbox"], serde_json::json!([5, 10, 110, 10]));
}

#[test]
fn a_decisions_file_for_another_transcript() {
    let c = Case::new();
    let other = "Товарищ Батиров, мецлис и эндумен.\n";
    let decisions = serde_json::json!({
        "version": 1,
        "transcript_sha256": "0".repeat(64),
        "decisions": [
            {"id": "a1", "action": "accept", "at": "2024-01-01T00:00:00Z", "start": 8, "end": 16,
             "before": "Батиров,", "after": "Багиров,"},
            {"id": "b2", "action": "reject", "at": "2024-01-01T00:00:00Z", "start": 17, "end": 23,
             "before": "мецлис", "after": "мецлис"}
        ]
    });
    assert!(other.contains("Батиров,"));
    let d = c.write("other.decisions.json", decisions.to_string().as_bytes());
    let err = c.fails(&[
        "apply".as_ref(),
        "--transcript".as_ref(),
        c.path("t.txt").as_os_str(),
        "--decisions".as_ref(),
        d.as_os_str(),
    ]);
    assert!(err.contains("other.decisions.json") && err.contains("another transcript"), "{err}");
    assert_eq!(std::fs::read_to_string(c.path("t.txt")).unwrap(), "Dear Sir, we ask for your help.\n");
}

#[test]
fn undetectable_bytes_and_forced_utf8_name_the_byte_offset() {
    let c = Case::new();
    let garbage: Vec<u8> = (0..300u32).map(|i| (i * 7919 % 251) as u8).collect();
    let t = c.write("garbage.txt", &garbage);
    let err = c.check_fails(&c.path("page.png"), &t);
    assert!(err.contains("garbage.txt") && err.contains("UTF-8") && err.contains("byte offset"), "{err}");
    // windows-1251 read as the user says, UTF-8: an error at the first byte.
    let t = c.write("cp1251.txt", b"\xcc\xee\xf1\xea\xe2\xe0\n");
    let err = c.fails(&[
        "check".as_ref(),
        c.path("page.png").as_os_str(),
        "--transcript".as_ref(),
        t.as_os_str(),
        "--encoding".as_ref(),
        "utf-8".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(err.contains("cp1251.txt") && err.contains("UTF-8") && err.contains("byte offset 0"), "{err}");
}

#[test]
fn ocr_files_that_are_broken() {
    let c = Case::new();
    for (name, bytes) in [
        ("empty.xml", b"".as_slice()),
        ("notes.xml", b"just notes".as_slice()),
        ("cut.xml", format!("{ALTO_HEAD}<TextLine><String CONTENT=\"a").as_bytes()),
    ] {
        let ocr = c.write(name, bytes);
        let err = c.fails(&[
            "check".as_ref(),
            "--ocr".as_ref(),
            ocr.as_os_str(),
            "--transcript".as_ref(),
            c.path("t.txt").as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert!(err.contains(name), "{name}: {err}");
    }
}

/// Inputs the fuzzers once failed on (fuzz/regressions/TARGET/*), through the same checks.
#[test]
fn fuzz_regressions_replay() {
    use scanproof::formats::{invariants, TranscriptFormat};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let Ok(targets) = std::fs::read_dir(&root) else { return };
    let mut replayed = 0;
    for target in targets.flatten() {
        let name = target.file_name().to_string_lossy().into_owned();
        for input in std::fs::read_dir(target.path()).unwrap().flatten() {
            let bytes = std::fs::read(input.path()).unwrap();
            match name.as_str() {
                "transcript_text" => {
                    invariants::check_transcript(&bytes, Some(TranscriptFormat::Text));
                    invariants::check_transcript(&bytes, None);
                }
                "alto" => invariants::check_transcript(&bytes, Some(TranscriptFormat::Alto)),
                "page_xml" => invariants::check_transcript(&bytes, Some(TranscriptFormat::Page)),
                "hocr" => invariants::check_transcript(&bytes, Some(TranscriptFormat::Hocr)),
                "decisions" => invariants::check_decisions(&bytes),
                "align" => invariants::check_alignment(&bytes),
                other => panic!("fuzz/regressions/{other}: no such fuzz target"),
            }
            replayed += 1;
        }
    }
    let mut log = std::io::stderr();
    let _ = writeln!(log, "replayed {replayed} fuzz regression input(s)");
}
