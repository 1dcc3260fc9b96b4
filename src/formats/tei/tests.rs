//! Unit tests of the TEI reader and writer: what a reader of the edition sees, and corrections
//! written as choices.

use super::*;

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc>
  </teiHeader>
  <text><body>"#;
const TAIL: &str = "</body></text>\n</TEI>\n";

fn doc(body: &str) -> String {
    format!("{HEAD}{body}{TAIL}")
}

fn text_of(body: &str, policy: Policy) -> String {
    read(&doc(body), policy).unwrap().0
}

#[test]
fn reads_what_a_reader_of_the_edition_sees() {
    let cases = [
        // Whitespace is layout; <lb/> ends a line; <lb break="no"/> joins a word.
        ("<p>Мы  просим\n   вашей<lb/>помощи</p>", "Мы просим вашей\nпомощи", "Мы просим вашей\nпомощи"),
        ("<p>обезору<lb break=\"no\"/>\n   жена и еже-\n<lb/>часно</p>", "обезоружена и еже-\nчасно", "обезоружена и еже-\nчасно"),
        // choice by policy; notes and deletions never; pb a paragraph break.
        (
            "<p>и <choice><abbr>т.д.</abbr><expan>так далее</expan></choice><note>n.b.</note> <del>x</del>y</p>",
            "и т.д. y",
            "и так далее y",
        ),
        (
            "<p><choice><sic>Кавем</sic><corr>Кавам</corr></choice> <choice><orig>colour</orig><reg>color</reg></choice></p><pb n=\"2\"/><p>next</p>",
            "Кавем colour\n\nnext",
            "Кавам color\n\nnext",
        ),
        // Supplied text only when normalized; am/ex inside an expansion.
        ("<p>a <supplied>b</supplied> c</p>", "a c", "a b c"),
        ("<p>d<am>ñ</am><ex>omin</ex>us</p>", "dñus", "dominus"),
        // A transcription correction scanproof wrote reads as its corr under both.
        ("<p><choice><sic>Сидоров</sic><corr type=\"transcription\">Сидорин</corr></choice></p>", "Сидорин", "Сидорин"),
        // Entities and CDATA.
        ("<p>A &amp; B<![CDATA[ <C>]]></p>", "A & B <C>", "A & B <C>"),
    ];
    for (body, diplomatic, normalized) in cases {
        assert_eq!(text_of(body, Policy::Diplomatic), diplomatic, "{body}");
        assert_eq!(text_of(body, Policy::Normalized), normalized, "{body}");
    }
}

#[test]
fn page_breaks_gaps_and_segments_point_at_the_source() {
    let src = doc(r##"<pb n="141" facs="#s1"/><p>one <gap reason="illegible"/> two <unclear>three</unclear></p><pb n="142" facs="p2.jpg"/><p xml:id="p2">four</p>"##)
        .replace("<text>", "<facsimile><surface xml:id=\"s1\"><graphic url=\"p1.jpg\"/></surface></facsimile><text>");
    let (text, layout, info) = read(&src, Policy::Diplomatic).unwrap();
    assert_eq!(text, "one two three\n\nfour");
    let pbs: Vec<(usize, Option<&str>, Option<&str>)> =
        info.page_breaks.iter().map(|b| (b.at, b.n.as_deref(), b.facs.as_deref())).collect();
    assert_eq!(pbs, [(0, Some("141"), Some("p1.jpg")), (13, Some("142"), Some("p2.jpg"))]);
    assert_eq!(info.quiet, [3..3, 7..13]);
    for s in &layout.segments {
        let piece: String = text.chars().skip(s.chars.start).take(s.chars.len()).collect();
        assert_eq!(&src[s.source.clone()], piece);
    }
    let last = layout.segments.last().unwrap();
    assert_eq!(layout.elements[last.element].id.as_deref(), Some("p2"));
    assert!(read("<TEI><teiHeader/></TEI>", Policy::Diplomatic).unwrap_err().contains("<text>"));
    assert!(read(
        "<tei:TEI xmlns:tei='x'><tei:text><tei:body><tei:p>ok</tei:p></tei:body></tei:text></tei:TEI>",
        Policy::Diplomatic
    )
    .is_ok());
}

#[test]
fn the_differing_core_is_whole_words_without_shared_edges() {
    let cases = [
        ("Тетерана,", "Тегерана,", "Тетерана", "Тегерана"),
        ("«Кавем»", "«Кавам»", "Кавем", "Кавам"),
        ("1444.", "144 4.", "1444", "144 4"),
        ("И. Д. Сидорин", "М. Д. Сидорин", "И", "М"),
        ("еже часно", "ежечасно", "еже часно", "ежечасно"),
        ("", " дом", "", " дом"),
        ("cc", "cc dd", "", " dd"),
        ("same", "same", "", ""),
    ];
    for (old, new, o, n) in cases {
        let (a, b, c, d) = differing_core(old, new);
        let got: (String, String) =
            (old.chars().skip(a).take(b - a).collect(), new.chars().skip(c).take(d - c).collect());
        assert_eq!(got, (o.to_string(), n.to_string()), "{old} → {new}");
    }
}

fn write(src: &str, edits: &[(&str, &str)], mode: TeiMode) -> String {
    let (text, layout, info) = read(src, Policy::Diplomatic).unwrap();
    let edits: Vec<Edit> = edits
        .iter()
        .map(|(old, new)| {
            let at = text.find(old).unwrap();
            let start = text[..at].chars().count();
            Edit {
                span: start..start + old.chars().count(),
                text: new.to_string(),
                author: "Ann Lee".into(),
                at: "2024-05-02T10:00:00Z".into(),
            }
        })
        .collect();
    let no_replace = |_: &[(Range<usize>, String)]| -> Result<Vec<(Range<usize>, String)>, String> {
        Err("not in this test".into())
    };
    let replace = |e: &[(Range<usize>, String)]| if e.is_empty() { Ok(Vec::new()) } else { no_replace(e) };
    let mut out = source_edits(src, &text, &layout, &info, &edits, mode, &replace).unwrap();
    out.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut s = src.to_string();
    for (r, new) in out {
        s.replace_range(r, &new);
    }
    s
}

#[test]
fn corrections_become_choices_and_a_change_in_a_new_revision_desc() {
    let src = doc("<p>Товарищ Сидоров, еже<lb/>\n часно</p>");
    let out = write(&src, &[("Сидоров,", "Сидорин,"), ("еже\nчасно", "ежечасно")], TeiMode::Choice);
    assert!(out.contains(
        "Товарищ <choice><sic>Сидоров</sic><corr resp=\"#Ann_Lee\" type=\"transcription\">Сидорин</corr></choice>, \
         <choice><sic>еже<lb/>\n часно</sic><corr resp=\"#Ann_Lee\" type=\"transcription\">ежечасно</corr></choice>"
    ), "{out}");
    assert!(out.contains("</fileDesc>\n    <revisionDesc>\n      <change when=\"2024-05-02T10:00:00Z\" who=\"#Ann_Lee\">scanproof: 2 correction(s)"), "{out}");
    assert_eq!(read(&out, Policy::Diplomatic).unwrap().0, "Товарищ Сидорин, ежечасно");
    assert_eq!(read(&out, Policy::Normalized).unwrap().0, "Товарищ Сидорин, ежечасно");
}

#[test]
fn a_change_joins_an_existing_revision_desc_and_insertions_get_an_empty_sic() {
    let src = doc("<p>a c</p>").replace(
        "</fileDesc>\n",
        "</fileDesc>\n    <revisionDesc>\n      <change when=\"2020-01-01\">made</change>\n    </revisionDesc>\n",
    );
    let (text, layout, info) = read(&src, Policy::Diplomatic).unwrap();
    let edits = [Edit { span: 1..1, text: " b".into(), author: String::new(), at: String::new() }];
    let none = |_: &[(Range<usize>, String)]| Ok(Vec::new());
    let mut out = source_edits(&src, &text, &layout, &info, &edits, TeiMode::Choice, &none).unwrap();
    out.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut s = src.clone();
    for (r, new) in out {
        s.replace_range(r, &new);
    }
    assert!(
        s.contains("<p>a<choice><sic/><corr resp=\"#scanproof\" type=\"transcription\"> b</corr></choice> c</p>"),
        "{s}"
    );
    assert!(s.contains("made</change>\n      <change who=\"#scanproof\">scanproof: 1 correction(s)"), "{s}");
    assert_eq!(read(&s, Policy::Diplomatic).unwrap().0, "a b c");
}

#[test]
fn a_correction_across_element_edges_is_refused_in_choice_mode() {
    let src = doc("<p><hi>ab</hi>cd</p>");
    let (text, layout, info) = read(&src, Policy::Diplomatic).unwrap();
    let edits = [Edit { span: 0..4, text: "xxyy".into(), author: String::new(), at: String::new() }];
    let none = |_: &[(Range<usize>, String)]| Ok(Vec::new());
    let err = source_edits(&src, &text, &layout, &info, &edits, TeiMode::Choice, &none).unwrap_err();
    assert!(err.contains("--tei-mode replace"), "{err}");
}
