//! Archive formats, issue 7: XML transcripts (ALTO, PAGE-XML 2013/2019, hOCR) checked and
//! corrected in place, OCR files used instead of Tesseract, legacy encodings read and written
//! back; and the properties the issue asks for, as proptests. Multi-page TIFF and PDF scans are
//! in `multipage_scans.rs`.

use proptest::prelude::*;
use scanproof::formats::{invariants, read_document, ReadOptions, TranscriptFormat};
use std::path::Path;
use std::process::Command;

#[path = "common/shared_corpus.rs"]
mod shared_corpus;
use shared_corpus::{ehri, has_tool, os, scanproof};

const PAGE: &str = "EHRI-BF-19380509b_EN_01";

/// The acceptance criterion: an EHRI page with its ALTO v4 transcript, directly; flags name the
/// transcript's lines.
#[test]
fn ehri_alto_transcript_checks_directly() {
    let Some(dir) = ehri() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.json");
    let (code, _, err) = scanproof(&[
        os("check"),
        dir.join(format!("{PAGE}.jpg")).as_os_str(),
        os("--transcript"),
        dir.join(format!("{PAGE}.xml")).as_os_str(),
        os("--lang"),
        os("eng"),
        os("--no-cache"),
        os("--format"),
        os("json"),
        os("-o"),
        out.as_os_str(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let review: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert!(review["stats"]["cer"].as_f64().unwrap() < 0.05, "{}", review["stats"]);
    for f in review["flags"].as_array().unwrap() {
        assert!(f["element_id"].as_str().is_some_and(|id| id.starts_with("eSc_line_")), "{f}");
        assert_eq!(f["line_bbox"].as_array().map(Vec::len), Some(4), "{f}");
    }
}

/// The other acceptance criterion: the same page with Tesseract's own ALTO and hOCR as `--ocr`,
/// with and without the scan beside it.
#[test]
fn ehri_with_tesseracts_own_alto_and_hocr() {
    let Some(dir) = ehri() else { return };
    if !has_tool("tesseract") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let scan = dir.join(format!("{PAGE}.jpg"));
    let base = tmp.path().join("out");
    let st = Command::new("tesseract")
        .arg(&scan)
        .arg(&base)
        .args(["-l", "eng", "alto", "hocr"])
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    for (ocr, with_scan) in [("out.xml", false), ("out.hocr", false), ("out.xml", true)] {
        let out = tmp.path().join("r.json");
        let mut args = vec![os("check")];
        if with_scan {
            args.push(scan.as_os_str());
        }
        let ocr_path = tmp.path().join(ocr);
        let transcript = dir.join(format!("{PAGE}.xml"));
        args.extend([
            os("--ocr"),
            ocr_path.as_os_str(),
            os("--transcript"),
            transcript.as_os_str(),
            os("--format"),
            os("json"),
            os("-o"),
            out.as_os_str(),
        ]);
        let (code, _, err) = scanproof(&args);
        assert!(code == 0 || code == 1, "{ocr}: {err}");
        let review: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(review["stats"]["pages"], 1);
        assert!(review["stats"]["ocr_words"].as_u64().unwrap() > 300, "{ocr}: {}", review["stats"]);
        assert!(review["stats"]["cer"].as_f64().unwrap() < 0.08, "{ocr}: {}", review["stats"]);
        assert!(review["pages"][0]["ocr_confidence"].as_f64().unwrap() > 0.5, "the file's own confidences are used");
        if with_scan {
            assert_eq!(review["pages"][0]["path"].as_str(), scan.to_str());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Apply on XML: only the corrected characters change.

const PAGE_2013: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15">
  <Metadata><Creator>Transkribus</Creator></Metadata>
  <Page imageFilename="p.jpg" imageWidth="900" imageHeight="1200">
    <TextRegion id="r1"><Coords points="0,0 900,0 900,1200 0,1200"/>
      <TextLine id="r1l1"><Coords points="10,20 310,20 310,50 10,50"/>
        <TextEquiv><Unicode>Товарищ Батиров, мецлис</Unicode></TextEquiv></TextLine>
      <TextLine id="r1l2"><Coords points="10,60 310,60 310,90 10,90"/>
        <TextEquiv><Unicode>и эндумен &amp; «Тегеран».</Unicode></TextEquiv></TextLine>
    </TextRegion>
  </Page>
</PcGts>
"#;

const PAGE_2019: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Page imageFilename="p.jpg" imageWidth="900" imageHeight="1200">
    <TextRegion id="r1">
      <TextLine id="l1"><Coords points="10,20 310,20 310,50 10,50"/>
        <Word id="w1"><Coords points="10,20 90,20 90,50 10,50"/><TextEquiv conf="0.9"><Unicode>Товарищ</Unicode></TextEquiv></Word>
        <Word id="w2"><Coords points="100,20 190,20 190,50 100,50"/><TextEquiv conf="0.9"><Unicode>Батиров,</Unicode></TextEquiv></Word>
        <Word id="w3"><Coords points="200,20 290,20 290,50 200,50"/><TextEquiv conf="0.9"><Unicode>мецлис</Unicode></TextEquiv></Word>
      </TextLine>
      <TextLine id="l2"><Coords points="10,60 310,60 310,90 10,90"/>
        <Word id="w4"><TextEquiv><Unicode>и</Unicode></TextEquiv></Word>
        <Word id="w5"><TextEquiv><Unicode>эндумен</Unicode></TextEquiv></Word>
        <Word id="w6"><TextEquiv><Unicode>&amp;</Unicode></TextEquiv></Word>
        <Word id="w7"><TextEquiv><Unicode>«Тегеран».</Unicode></TextEquiv></Word>
      </TextLine>
    </TextRegion>
  </Page>
</PcGts>
"#;

const HOCR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title></title><meta name='ocr-system' content='tesseract 5.3.0' /></head>
 <body><div class='ocr_page' id='page_1' title='image "p.jpg"; bbox 0 0 900 1200; ppageno 0'>
   <span class='ocr_line' id='line_1_1' title="bbox 10 20 310 50">
    <span class='ocrx_word' id='word_1_1' title='bbox 10 20 90 50; x_wconf 91'>Товарищ</span>
    <span class='ocrx_word' id='word_1_2' title='bbox 100 20 190 50; x_wconf 88'>Батиров,</span>
    <span class='ocrx_word' id='word_1_3' title='bbox 200 20 290 50; x_wconf 90'>мецлис</span>
   </span>
   <span class='ocr_line' id='line_1_2' title="bbox 10 60 310 90">
    <span class='ocrx_word' id='word_1_4' title='bbox 10 60 20 90; x_wconf 95'>и</span>
    <span class='ocrx_word' id='word_1_5' title='bbox 30 60 120 90; x_wconf 80'>эндумен</span>
    <span class='ocrx_word' id='word_1_6' title='bbox 130 60 140 90; x_wconf 80'>&amp;</span>
    <span class='ocrx_word' id='word_1_7' title='bbox 150 60 300 90; x_wconf 85'>«Тегеран».</span>
   </span>
 </div></body></html>
"#;

fn alto_fixture() -> String {
    let line = |id: &str, words: &[&str]| {
        let strings: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, w)| format!("\n      <String ID=\"{id}s{i}\" HPOS=\"{}\" VPOS=\"20\" WIDTH=\"80\" HEIGHT=\"30\" WC=\"0.9\" CONTENT=\"{w}\"/>", 10 + 90 * i))
            .collect();
        format!(
            "\n    <TextLine ID=\"{id}\" HPOS=\"10\" VPOS=\"20\" WIDTH=\"300\" HEIGHT=\"30\">{}<SP/></TextLine>",
            strings.join("<SP WIDTH=\"10\"/>")
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v2#\">\n<Description><MeasurementUnit>pixel</MeasurementUnit></Description>\n<Layout><Page ID=\"p1\" WIDTH=\"900\" HEIGHT=\"1200\"><PrintSpace><TextBlock ID=\"b1\">{}{}\n</TextBlock></PrintSpace></Page></Layout></alto>\n",
        line("l1", &["Товарищ", "Батиров,", "мецлис"]),
        line("l2", &["и", "эндумен", "&amp;", "«Тегеран»."])
    )
}

/// A decision on the first occurrence of `before` in the document's text.
fn decision(doc: &scanproof::formats::Document, id: &str, before: &str, after: &str) -> serde_json::Value {
    let text = &doc.transcript.text;
    let at = text.find(before).unwrap_or_else(|| panic!("{before:?} in {text:?}"));
    let start = text[..at].chars().count();
    serde_json::json!({"id": id, "action": "accept", "at": "2024-01-01T00:00:00Z", "start": start,
        "end": start + before.chars().count(), "before": before, "after": after})
}

/// Apply three corrections to a transcript file through the CLI; return the output bytes.
fn apply_three(dir: &Path, name: &str, bytes: &[u8]) -> Vec<u8> {
    let t = dir.join(name);
    std::fs::write(&t, bytes).unwrap();
    let doc = read_document(&t, bytes, &ReadOptions::default()).unwrap();
    let mut reject = decision(&doc, "r", "«Тегеран».", "«Тегеран».");
    reject["action"] = "reject".into();
    let decisions = vec![
        decision(&doc, "a", "Батиров,", "Багиров,"),
        decision(&doc, "b", "мецлис", "меджлис"),
        decision(&doc, "c", "эндумен", "энджумен"),
        reject,
    ];
    let d = serde_json::json!({"version": 1, "transcript_sha256": doc.transcript.sha256, "decisions": decisions});
    let dpath = dir.join(format!("{name}.decisions.json"));
    std::fs::write(&dpath, d.to_string()).unwrap();
    let out = dir.join(format!("corrected-{name}"));
    let (code, _, err) = scanproof(&[
        os("apply"),
        os("--transcript"),
        t.as_os_str(),
        os("--decisions"),
        dpath.as_os_str(),
        os("-o"),
        out.as_os_str(),
    ]);
    assert_eq!(code, 0, "{name}: {err}");
    assert!(err.contains("3 change(s) applied"), "{name}: {err}");
    std::fs::read(&out).unwrap()
}

#[test]
fn apply_changes_only_the_corrected_text_of_each_xml_format() {
    let dir = tempfile::tempdir().unwrap();
    for (name, src, format) in [
        ("a.alto.xml", alto_fixture(), TranscriptFormat::Alto),
        ("p2013.xml", PAGE_2013.to_string(), TranscriptFormat::Page),
        ("p2019.xml", PAGE_2019.to_string(), TranscriptFormat::Page),
        ("t.hocr", HOCR.to_string(), TranscriptFormat::Hocr),
    ] {
        let out = apply_three(dir.path(), name, src.as_bytes());
        let expected =
            src.replacen("Батиров,", "Багиров,", 1).replacen("мецлис", "меджлис", 1).replacen("эндумен", "энджумен", 1);
        assert_eq!(String::from_utf8(out.clone()).unwrap(), expected, "{name}: everything else byte for byte");
        let again = read_document(Path::new(name), &out, &ReadOptions::default()).unwrap();
        assert_eq!(again.format, format);
        assert_eq!(again.transcript.text, "Товарищ Багиров, меджлис\nи энджумен & «Тегеран».", "{name}");
    }
}

/// The real EHRI ALTO (a whole line in one CONTENT): a correction inside it changes those
/// characters and nothing else.
#[test]
fn apply_on_an_ehri_alto_page() {
    let Some(dir) = ehri() else { return };
    let src = std::fs::read(dir.join(format!("{PAGE}.xml"))).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().join("page.xml");
    std::fs::write(&t, &src).unwrap();
    let doc = read_document(&t, &src, &ReadOptions::default()).unwrap();
    let d = serde_json::json!({"version": 1, "transcript_sha256": doc.transcript.sha256,
        "decisions": [decision(&doc, "x", "Lordship", "Lordshop")]});
    let dpath = tmp.path().join("d.json");
    std::fs::write(&dpath, d.to_string()).unwrap();
    let (code, _, err) = scanproof(&[
        os("apply"),
        os("--transcript"),
        t.as_os_str(),
        os("--decisions"),
        dpath.as_os_str(),
        os("--in-place"),
    ]);
    assert_eq!(code, 0, "{err}");
    let out = std::fs::read(&t).unwrap();
    let src_s = String::from_utf8(src).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), src_s.replacen("Lordship", "Lordshop", 1));
    assert_eq!(std::fs::read_to_string(tmp.path().join("page.xml.bak")).unwrap(), src_s);
}

// ---------------------------------------------------------------------------------------------
// Encodings

const LETTER: &str = "Товарищ Батиров, мецлис и эндумен просят вашей помощи.\nМосква, 12 мая 1946 года.\n";

fn alto_ocr_of(text: &str) -> String {
    let mut lines = String::new();
    for (n, l) in text.lines().enumerate() {
        lines.push_str(&format!("<TextLine ID=\"o{n}\">"));
        for (i, w) in l.split_whitespace().enumerate() {
            lines.push_str(&format!(
                "<String HPOS=\"{}\" VPOS=\"{}\" WIDTH=\"60\" HEIGHT=\"20\" WC=\"0.96\" CONTENT=\"{w}\"/>",
                10 + 70 * i,
                10 + 30 * n
            ));
        }
        lines.push_str("</TextLine>");
    }
    format!("<alto><Layout><Page WIDTH=\"900\" HEIGHT=\"900\">{lines}</Page></Layout></alto>")
}

/// Legacy Cyrillic transcripts are detected (with a warning naming the encoding), checked with
/// their offsets in code points, and corrected in the encoding they came in; a correction the
/// encoding cannot hold is refused and nothing is written.
#[test]
fn legacy_cyrillic_transcripts_are_read_and_written_back_in_their_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let ocr = dir.path().join("ocr.xml");
    std::fs::write(&ocr, alto_ocr_of(&LETTER.replace("Батиров", "Багиров"))).unwrap();
    for (label, name) in [("windows-1251", "windows-1251"), ("koi8-r", "KOI8-R"), ("ibm866", "CP866")] {
        let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
        let bytes = enc.encode(LETTER).0.into_owned();
        let t = dir.path().join(format!("{label}.txt"));
        std::fs::write(&t, &bytes).unwrap();
        let report = dir.path().join(format!("{label}.json"));
        let (code, _, err) = scanproof(&[
            os("check"),
            os("--ocr"),
            ocr.as_os_str(),
            os("--transcript"),
            t.as_os_str(),
            os("--lang"),
            os("rus"),
            os("--no-lexicon"),
            os("--min-score"),
            os("0"),
            os("--format"),
            os("json"),
            os("-o"),
            report.as_os_str(),
        ]);
        assert_eq!(code, 1, "{label}: {err}");
        assert!(err.contains(&format!("read as {name}")), "{label}: the warning names the encoding: {err}");
        let review: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        let flag = review["flags"].as_array().unwrap().iter().find(|f| f["transcript"] == "Батиров,").unwrap();
        assert_eq!((flag["start"].as_u64(), flag["end"].as_u64()), (Some(8), Some(16)), "{label}");

        let decide = |after: &str| {
            serde_json::json!({"version": 1, "transcript_sha256": review["transcript"]["sha256"], "decisions": [
                {"id": flag["id"], "action": "edit", "text": after, "at": "2024-01-01T00:00:00Z",
                 "start": 8, "end": 16, "before": "Батиров,", "after": after}]})
        };
        let dpath = dir.path().join(format!("{label}.decisions.json"));
        std::fs::write(&dpath, decide("Багиров,").to_string()).unwrap();
        let out = dir.path().join(format!("{label}.corrected.txt"));
        let (code, _, err) = scanproof(&[
            os("apply"),
            os("--transcript"),
            t.as_os_str(),
            os("--decisions"),
            dpath.as_os_str(),
            os("-o"),
            out.as_os_str(),
        ]);
        assert_eq!(code, 0, "{label}: {err}");
        assert_eq!(
            std::fs::read(&out).unwrap(),
            enc.encode(&LETTER.replace("Батиров", "Багиров")).0.as_ref(),
            "{label}"
        );

        std::fs::write(&dpath, decide("Багиров漢").to_string()).unwrap();
        let refused = dir.path().join(format!("{label}.refused.txt"));
        let (code, _, err) = scanproof(&[
            os("apply"),
            os("--transcript"),
            t.as_os_str(),
            os("--decisions"),
            dpath.as_os_str(),
            os("-o"),
            refused.as_os_str(),
        ]);
        assert_eq!(code, 2, "{label}: {err}");
        assert!(err.contains("cannot be written in") && err.contains(name), "{label}: {err}");
        assert!(!refused.exists());
    }
}

#[test]
fn utf16_with_a_bom_and_utf8_with_one() {
    for bytes in [
        [vec![0xFF, 0xFE], LETTER.encode_utf16().flat_map(u16::to_le_bytes).collect()].concat(),
        [vec![0xFE, 0xFF], LETTER.encode_utf16().flat_map(u16::to_be_bytes).collect()].concat(),
        [b"\xEF\xBB\xBF".to_vec(), LETTER.as_bytes().to_vec()].concat(),
    ] {
        let doc = read_document(Path::new("t.txt"), &bytes, &ReadOptions::default()).unwrap();
        assert_eq!(doc.transcript.text, LETTER);
        assert!(doc.warnings.is_empty(), "a BOM is no guess");
        let at = LETTER.chars().position(|c| c == 'Б').unwrap();
        let out = doc.rewrite(&bytes, &[(at..at + 7, "Багиров".into())]).unwrap();
        let again = read_document(Path::new("t.txt"), &out, &ReadOptions::default()).unwrap();
        assert_eq!(again.transcript.text, LETTER.replace("Батиров", "Багиров"));
        assert_eq!(out[..2], bytes[..2], "the BOM stays");
    }
}

/// `--encoding` overrides detection; `--transcript-format text` reads XML as text.
#[test]
fn encoding_and_format_overrides() {
    let koi = encoding_rs::KOI8_R.encode(LETTER).0.into_owned();
    let forced = read_document(
        Path::new("t"),
        &koi,
        &ReadOptions { format: None, encoding: Some(encoding_rs::KOI8_R), ..Default::default() },
    )
    .unwrap();
    assert_eq!(forced.transcript.text, LETTER);
    assert!(forced.warnings.is_empty());
    let as_text = read_document(
        Path::new("t"),
        HOCR.as_bytes(),
        &ReadOptions { format: Some(TranscriptFormat::Text), ..Default::default() },
    )
    .unwrap();
    assert!(as_text.transcript.text.contains("ocrx_word"));
}

// ---------------------------------------------------------------------------------------------
// Properties

/// Words with the characters XML escapes, Cyrillic, combining marks and punctuation.
fn word() -> impl Strategy<Value = String> {
    "[a-cа-вё&<>\"'«»\u{0301},.-]{1,6}"
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// An XML transcript in `format` holding `lines` of words, with some whitespace variety.
fn xml_of(format: TranscriptFormat, lines: &[Vec<String>], pad: &str) -> String {
    let mut body = String::new();
    for (n, words) in lines.iter().enumerate() {
        match format {
            TranscriptFormat::Alto => {
                body.push_str(&format!("<TextLine ID=\"l{n}\">{pad}"));
                for (i, w) in words.iter().enumerate() {
                    body.push_str(&format!("<String ID=\"s{n}_{i}\" CONTENT=\"{}\"/>{pad}<SP/>", escape_attr(w)));
                }
                body.push_str("</TextLine>\n");
            }
            TranscriptFormat::Page => {
                body.push_str(&format!(
                    "<TextLine id=\"l{n}\">{pad}<TextEquiv><Unicode>{}</Unicode></TextEquiv></TextLine>\n",
                    escape_text(&words.join(" "))
                ));
            }
            _ => {
                body.push_str(&format!("<span class='ocr_line' id='l{n}' title='bbox 0 {n} 10 {}'>{pad}", n + 1));
                for (i, w) in words.iter().enumerate() {
                    body.push_str(&format!(
                        "<span class='ocrx_word' id='w{n}_{i}' title='bbox 0 0 1 1; x_wconf 90'>{}</span>{pad}",
                        escape_text(w)
                    ));
                }
                body.push_str("</span>\n");
            }
        }
    }
    match format {
        TranscriptFormat::Alto => format!("<?xml version=\"1.0\"?>\n<alto><Layout><Page>{body}</Page></Layout></alto>"),
        TranscriptFormat::Page => format!("<?xml version=\"1.0\"?>\n<PcGts><Page>{body}</Page></PcGts>"),
        _ => format!("<html><body><div class='ocr_page' title='bbox 0 0 10 10'>{body}</div></body></html>"),
    }
}

fn any_format() -> impl Strategy<Value = TranscriptFormat> {
    prop_oneof![Just(TranscriptFormat::Alto), Just(TranscriptFormat::Page), Just(TranscriptFormat::Hocr)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Every transcript character is covered exactly once by tokens and the gaps between them.
    #[test]
    fn tokens_and_gaps_cover_every_character(text in "[a-cа-вё \n\t\r\u{A0},.«»—-]{0,80}") {
        let tokens = scanproof::transcript::tokenize(&text);
        invariants::assert_tokens_cover(&text, &tokens);
        let covered: usize = tokens.iter().map(|t| t.chars.len()).sum::<usize>()
            + tokens.windows(2).map(|w| w[1].chars.start - w[0].chars.end).sum::<usize>()
            + tokens.first().map_or(text.chars().count(), |t| t.chars.start)
            + tokens.last().map_or(0, |t| text.chars().count() - t.chars.end);
        prop_assert_eq!(covered, text.chars().count());
    }

    /// A text aligned with its own words has no discrepancy.
    #[test]
    fn a_text_aligned_with_itself_has_no_discrepancy(lines in prop::collection::vec(prop::collection::vec("[a-cа-вё]{1,5}[,.]?", 1..8), 1..6)) {
        let text: String = lines.iter().map(|l| l.join(" ")).collect::<Vec<_>>().join("\n");
        invariants::check_alignment(text.as_bytes());
    }

    /// Reading an XML transcript and writing it back with no corrections gives the same bytes.
    #[test]
    fn read_then_write_of_xml_is_byte_identical(
        format in any_format(),
        lines in prop::collection::vec(prop::collection::vec(word(), 1..5), 1..5),
        pad in "[ \n\t]{0,3}",
    ) {
        let xml = xml_of(format, &lines, &pad);
        let doc = read_document(Path::new("t.xml"), xml.as_bytes(), &ReadOptions::default()).unwrap();
        prop_assert_eq!(doc.format, format);
        prop_assert_eq!(doc.rewrite(xml.as_bytes(), &[]).unwrap(), xml.as_bytes());
        invariants::check_transcript(xml.as_bytes(), None);
    }

    /// Apply with only rejections is the identity, on every format.
    #[test]
    fn apply_with_only_rejections_is_the_identity(
        format in prop_oneof![Just(TranscriptFormat::Text), any_format()],
        lines in prop::collection::vec(prop::collection::vec(word(), 1..5), 1..5),
        picks in prop::collection::vec(any::<bool>(), 1..10),
    ) {
        let bytes = match format {
            TranscriptFormat::Text => lines.iter().map(|l| l.join(" ")).collect::<Vec<_>>().join("\r\n"),
            f => xml_of(f, &lines, " "),
        };
        let doc = read_document(Path::new("t"), bytes.as_bytes(), &ReadOptions::default()).unwrap();
        let changes: Vec<scanproof::review::apply::Change> = doc.transcript.tokens.iter().enumerate()
            .filter(|(i, _)| picks[i % picks.len()])
            .map(|(i, t)| scanproof::review::apply::Change {
                id: format!("f{i}"), page: 1, line: t.line, start: t.chars.start, end: t.chars.end,
                before: t.text.clone(), after: t.text.clone(),
                action: scanproof::review::decisions::Action::Reject,
                reviewer: String::new(), at: "2024-01-01T00:00:00Z".into(),
            })
            .collect();
        let out = scanproof::review::apply::correct(Path::new("t"), bytes.as_bytes(), &doc.transcript.sha256, &changes).unwrap();
        prop_assert_eq!(out.bytes, bytes.as_bytes());
    }
}
