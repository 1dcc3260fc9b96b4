//! PAGE-XML reader (PRImA PcGts, 2010 to 2019 schemas; Transkribus, kraken, eScriptorium,
//! ABBYY exports): the decoded XML in, the document model out: `TextLine`s with their own
//! `TextEquiv/Unicode` and their `Word`s (boxes from `Coords`, confidence from
//! `TextEquiv@conf`). Of several `TextEquiv`s the lowest `index` is the reading. `Glyph` and
//! region-level text are not read: the line is what a transcriber edits.

use super::xml::{unescape, Escape, Walker};
use super::{number, Line, Markup, Page, Piece, Word};
use crate::types::BBox;
use quick_xml::events::Event;

/// The `TextEquiv` being read: whose it is, its rank, and its text so far.
struct Equiv {
    of_word: bool,
    index: Option<i64>,
    conf: Option<f32>,
    pieces: Vec<Piece>,
    /// Where the `Unicode` element's content starts, for an empty one.
    unicode_at: Option<usize>,
    saw_unicode: bool,
}

/// A chosen reading: rank and text.
type Reading = (Option<i64>, Option<f32>, Vec<Piece>);

fn better(new: &Reading, old: &Option<Reading>) -> bool {
    match old {
        None => true,
        Some(o) => new.0.unwrap_or(i64::MAX) < o.0.unwrap_or(i64::MAX),
    }
}

pub fn parse(src: &str) -> Result<Markup, String> {
    let mut w = Walker::new(src, false);
    let mut markup = Markup::default();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut line: Option<(Line, Option<Reading>)> = None;
    let mut word: Option<(Word, Option<Reading>)> = None;
    let mut equiv: Option<Equiv> = None;
    let mut in_unicode = false;
    // Points of a 2010-style `<Coords><Point x y/>…</Coords>`.
    let mut points: Vec<(f32, f32)> = Vec::new();
    loop {
        let event = w.next_event()?;
        let parent = stack.last().map(|n| n.as_slice());
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().as_ref().to_vec();
                match name.as_slice() {
                    b"Page" => markup.pages.push(Page {
                        image: w.value(e, "imageFilename")?,
                        width: w.value(e, "imageWidth")?.as_deref().and_then(number).map(|v| v as u32),
                        height: w.value(e, "imageHeight")?.as_deref().and_then(number).map(|v| v as u32),
                        lines: Vec::new(),
                    }),
                    b"TextLine" => {
                        let l = Line { id: w.value(e, "id")?, ..Line::default() };
                        if empty {
                            push_line(&mut markup, l);
                        } else {
                            line = Some((l, None));
                        }
                    }
                    b"Word" if parent == Some(b"TextLine") && line.is_some() && !empty => {
                        word = Some((Word { id: w.value(e, "id")?, ..Word::default() }, None));
                    }
                    b"Coords" if matches!(parent, Some(b"TextLine" | b"Word")) => {
                        points.clear();
                        if let Some(p) = w.value(e, "points")? {
                            points = parse_points(&p);
                        }
                        if empty {
                            set_box(parent, &mut line, &mut word, &points);
                        }
                    }
                    b"Point" if parent == Some(b"Coords") => {
                        if let (Some(x), Some(y)) = (w.value(e, "x")?, w.value(e, "y")?) {
                            if let (Some(x), Some(y)) = (number(&x), number(&y)) {
                                points.push((x, y));
                            }
                        }
                    }
                    b"TextEquiv" if matches!(parent, Some(b"TextLine" | b"Word")) && !empty => {
                        let of_word = parent == Some(b"Word");
                        if (of_word && word.is_some()) || (!of_word && line.is_some()) {
                            equiv = Some(Equiv {
                                of_word,
                                index: w.value(e, "index")?.and_then(|i| i.trim().parse().ok()),
                                conf: w.value(e, "conf")?.as_deref().and_then(number),
                                pieces: Vec::new(),
                                unicode_at: None,
                                saw_unicode: false,
                            });
                        }
                    }
                    b"Unicode" if parent == Some(b"TextEquiv") => {
                        if let Some(eq) = equiv.as_mut().filter(|eq| !eq.saw_unicode) {
                            eq.saw_unicode = true;
                            eq.unicode_at = (!empty).then(|| w.position());
                            in_unicode = !empty;
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::Text(t) if in_unicode => {
                let range = w.range_of(t.as_ref()).ok_or("text not in the source")?;
                let text = unescape(&src[range.clone()], false, false)?.text;
                if let Some(eq) = equiv.as_mut() {
                    eq.pieces.push(Piece { text, source: range, escape: Escape::Text });
                }
            }
            Event::CData(t) if in_unicode => {
                let range = w.range_of(t.as_ref()).ok_or("CDATA not in the source")?;
                if let Some(eq) = equiv.as_mut() {
                    eq.pieces.push(Piece {
                        text: src[range.clone()].to_string(),
                        source: range,
                        escape: Escape::CData,
                    });
                }
            }
            Event::End(e) => {
                stack.pop();
                match e.local_name().as_ref() {
                    b"Unicode" if in_unicode => {
                        in_unicode = false;
                        if let Some(eq) = equiv.as_mut().filter(|eq| eq.pieces.is_empty()) {
                            let at = eq.unicode_at.unwrap_or(0);
                            eq.pieces.push(Piece { text: String::new(), source: at..at, escape: Escape::Text });
                        }
                    }
                    b"TextEquiv" => {
                        if let Some(eq) = equiv.take() {
                            let reading: Reading = (eq.index, eq.conf, eq.pieces);
                            let slot = if eq.of_word {
                                word.as_mut().map(|w| &mut w.1)
                            } else {
                                line.as_mut().map(|l| &mut l.1)
                            };
                            if let Some(slot) = slot {
                                if better(&reading, slot) {
                                    *slot = Some(reading);
                                }
                            }
                        }
                    }
                    b"Coords" if matches!(stack.last().map(|n| n.as_slice()), Some(b"TextLine" | b"Word")) => {
                        let owner = stack.last().map(|n| n.as_slice());
                        set_box(owner, &mut line, &mut word, &points);
                    }
                    b"Word" => {
                        if let (Some((mut wd, reading)), Some((l, _))) = (word.take(), line.as_mut()) {
                            if let Some((_, conf, pieces)) = reading {
                                wd.confidence = conf;
                                wd.pieces = pieces;
                            }
                            l.words.push(wd);
                        }
                    }
                    b"TextLine" => {
                        if let Some((mut l, reading)) = line.take() {
                            if let Some((_, conf, pieces)) = reading {
                                l.own_text = Some(Word { id: None, bbox: l.bbox, confidence: conf, pieces });
                            }
                            push_line(&mut markup, l);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(markup)
}

fn push_line(markup: &mut Markup, line: Line) {
    if markup.pages.is_empty() {
        markup.pages.push(Page::default());
    }
    markup.pages.last_mut().expect("a page").lines.push(line);
}

fn set_box(
    owner: Option<&[u8]>,
    line: &mut Option<(Line, Option<Reading>)>,
    word: &mut Option<(Word, Option<Reading>)>,
    points: &[(f32, f32)],
) {
    let b = bounding_box(points);
    match owner {
        Some(b"Word") => {
            if let Some((w, _)) = word.as_mut() {
                w.bbox = b;
            }
        }
        Some(b"TextLine") => {
            if let Some((l, _)) = line.as_mut() {
                l.bbox = b;
            }
        }
        _ => {}
    }
}

/// `points="x1,y1 x2,y2 …"`.
fn parse_points(s: &str) -> Vec<(f32, f32)> {
    s.split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((number(x)?, number(y)?))
        })
        .collect()
}

fn bounding_box(points: &[(f32, f32)]) -> Option<BBox> {
    let (first, rest) = points.split_first()?;
    let (mut x0, mut y0, mut x1, mut y1) = (first.0, first.1, first.0, first.1);
    for &(x, y) in rest {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    Some(super::bbox_from(x0, y0, x1 - x0, y1 - y0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_2019: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Page imageFilename="p1.jpg" imageWidth="900" imageHeight="1200">
    <TextRegion id="r1"><Coords points="0,0 900,0 900,1200 0,1200"/>
      <TextLine id="r1l1"><Coords points="10,20 310,20 310,50 10,50"/>
        <Word id="w1"><Coords points="10,20 100,20 100,50 10,50"/>
          <TextEquiv conf="0.8"><Unicode>Dear</Unicode></TextEquiv></Word>
        <Word id="w2"><Coords points="110,20 200,20 200,50 110,50"/>
          <Glyph id="g1"><TextEquiv><Unicode>S</Unicode></TextEquiv></Glyph>
          <TextEquiv conf="0.9"><Unicode>Sir</Unicode></TextEquiv></Word>
        <TextEquiv index="2"><Unicode>Deer Sir</Unicode></TextEquiv>
        <TextEquiv index="1" conf="0.85"><Unicode>Dear Sir &amp; Madam</Unicode></TextEquiv>
      </TextLine>
      <TextEquiv><Unicode>region text is not read</Unicode></TextEquiv>
    </TextRegion>
  </Page>
</PcGts>"#;

    #[test]
    fn lines_words_and_the_lowest_index() {
        let m = parse(PAGE_2019).unwrap();
        let l = &m.pages[0].lines[0];
        assert_eq!(l.own_text.as_ref().unwrap().text(), "Dear Sir & Madam");
        assert_eq!(l.words.iter().map(Word::text).collect::<Vec<_>>(), ["Dear", "Sir"]);
        assert_eq!(l.words[1].confidence, Some(0.9));
        assert_eq!(l.bbox, Some(BBox { x: 10, y: 20, w: 300, h: 30 }));
        assert_eq!(m.pages[0].image.as_deref(), Some("p1.jpg"));
        assert_eq!(super::super::transcript_view(&m).0, "Dear Sir & Madam");
    }

    #[test]
    fn page_2010_points_and_words_only() {
        let xml = r#"<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2010-03-19"><Page imageFilename="a.tif" imageWidth="10" imageHeight="10">
            <TextRegion id="r"><TextLine id="l"><Coords><Point x="1" y="2"/><Point x="5" y="7"/></Coords>
            <Word id="w"><TextEquiv><Unicode><![CDATA[a<b]]></Unicode></TextEquiv></Word></TextLine></TextRegion></Page></PcGts>"#;
        let m = parse(xml).unwrap();
        let l = &m.pages[0].lines[0];
        assert_eq!(l.bbox, Some(BBox { x: 1, y: 2, w: 4, h: 5 }));
        assert_eq!(super::super::transcript_view(&m).0, "a<b");
    }
}
