//! Unit tests of the Word reader and writer: the text a reader sees, and corrections written
//! as tracked changes.

use super::*;

const W: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#;

fn package(body: &str) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    out.start_file("[Content_Types].xml", opts).unwrap();
    out.write_all(b"<Types/>").unwrap();
    out.start_file(MAIN_PART, opts).unwrap();
    out.write_all(format!("{W}{body}</w:body></w:document>").as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

fn part_of(bytes: &[u8]) -> String {
    String::from_utf8(main_part(bytes).unwrap()).unwrap()
}

#[test]
fn reads_paragraphs_runs_tabs_and_skips_deleted_text_and_fields() {
    let body = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Мы </w:t></w:r><w:r><w:t>про</w:t></w:r><w:r><w:t xml:space="preserve">сим &amp; </w:t><w:tab/><w:t>x</w:t></w:r></w:p>
<w:p><w:del w:id="1" w:author="a"><w:r><w:delText>old</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>new</w:t></w:r></w:ins>
<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
<w:hyperlink r:id="x"><w:r><w:t> link</w:t></w:r></w:hyperlink><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>"#;
    let doc = read_document(Path::new("t.docx"), &package(body)).unwrap();
    assert_eq!(doc.transcript.text, "Мы просим & \tx\nnew link");
    assert_eq!(doc.format, TranscriptFormat::Docx);
    let keys: Vec<&str> = doc.transcript.tokens.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["Мы", "просим", "x", "new", "link"]);
    assert!(read_document(Path::new("t.docx"), b"PK\x03\x04 broken").unwrap_err().to_string().contains("t.docx"));
}

fn apply(body: &str, edits: &[(&str, &str)]) -> (String, String) {
    let bytes = package(body);
    let doc = read_document(Path::new("t.docx"), &bytes).unwrap();
    let text = &doc.transcript.text;
    let edits: Vec<Edit> = edits
        .iter()
        .map(|(old, new)| {
            let start = text[..text.find(old).unwrap()].chars().count();
            Edit {
                span: start..start + old.chars().count(),
                text: new.to_string(),
                author: "ann".into(),
                at: "2024-05-02T10:00:00Z".into(),
            }
        })
        .collect();
    let out = doc.write_corrections(&bytes, &edits, &Default::default()).unwrap();
    let part = part_of(&out);
    let prefix_len = W.len();
    (part[prefix_len..part.len() - "</w:body></w:document>".len()].to_string(), part_of(&bytes))
}

#[test]
fn a_correction_inside_a_run_splits_it_around_a_deletion_and_an_insertion() {
    let body = r#"<w:p><w:r w:rsidR="1"><w:rPr><w:i/></w:rPr><w:t>Товарищ Сидоров, Вам</w:t></w:r><w:r><w:t>!</w:t></w:r></w:p>"#;
    let (out, _) = apply(body, &[("Сидоров,", "Сидорин,")]);
    assert_eq!(
        out,
        "<w:p><w:r w:rsidR=\"1\"><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">Товарищ </w:t></w:r>\
         <w:del w:id=\"1\" w:author=\"ann\" w:date=\"2024-05-02T10:00:00Z\"><w:r w:rsidR=\"1\"><w:rPr><w:i/></w:rPr><w:delText xml:space=\"preserve\">Сидоров</w:delText></w:r></w:del>\
         <w:ins w:id=\"2\" w:author=\"ann\" w:date=\"2024-05-02T10:00:00Z\"><w:r w:rsidR=\"1\"><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">Сидорин</w:t></w:r></w:ins>\
         <w:r w:rsidR=\"1\"><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">, Вам</w:t></w:r><w:r><w:t>!</w:t></w:r></w:p>"
    );
}

#[test]
fn a_correction_over_two_runs_deletes_in_both_and_inserts_after_the_last() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">могут еже </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>часно</w:t></w:r><w:bookmarkStart w:id="7" w:name="b"/><w:r><w:t xml:space="preserve"> дальше</w:t></w:r></w:p>"#;
    let (out, _) = apply(body, &[("еже часно", "ежечасно")]);
    assert_eq!(
        out,
        "<w:p><w:r><w:t xml:space=\"preserve\">могут </w:t></w:r>\
         <w:del w:id=\"8\" w:author=\"ann\" w:date=\"2024-05-02T10:00:00Z\"><w:r><w:delText xml:space=\"preserve\">еже </w:delText></w:r></w:del>\
         <w:del w:id=\"9\" w:author=\"ann\" w:date=\"2024-05-02T10:00:00Z\"><w:r><w:rPr><w:i/></w:rPr><w:delText xml:space=\"preserve\">часно</w:delText></w:r></w:del>\
         <w:ins w:id=\"10\" w:author=\"ann\" w:date=\"2024-05-02T10:00:00Z\"><w:r><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">ежечасно</w:t></w:r></w:ins>\
         <w:bookmarkStart w:id=\"7\" w:name=\"b\"/><w:r><w:t xml:space=\"preserve\"> дальше</w:t></w:r></w:p>"
    );
}

#[test]
fn two_corrections_in_one_run_and_an_insertion() {
    let body = r#"<w:p><w:r><w:t>aa bb cc</w:t></w:r></w:p>"#;
    let (out, _) = apply(body, &[("aa", "AA"), ("cc", "cc dd")]);
    let doc_text = {
        let (t, _, _) = read_part(&format!("{W}{out}</w:body></w:document>")).unwrap();
        t
    };
    // Read back, deleted text is gone and inserted text is there: the corrected text.
    assert_eq!(doc_text, "AA bb cc dd");
    assert_eq!(out.matches("<w:del ").count(), 1);
    assert_eq!(out.matches("<w:ins ").count(), 2);
}

#[test]
fn a_correction_over_a_paragraph_end_is_refused_and_nothing_else_changes() {
    let bytes = package("<w:p><w:r><w:t>one</w:t></w:r></w:p><w:p><w:r><w:t>two</w:t></w:r></w:p>");
    let doc = read_document(Path::new("t.docx"), &bytes).unwrap();
    let edit = Edit { span: 2..5, text: "x".into(), author: String::new(), at: String::new() };
    let err = doc.write_corrections(&bytes, &[edit], &Default::default()).unwrap_err();
    assert!(err.contains("paragraph"), "{err}");
    // No edits: the package's parts are the same bytes.
    let same = doc.write_corrections(&bytes, &[], &Default::default()).unwrap();
    assert_eq!(part_of(&same), part_of(&bytes));
}
