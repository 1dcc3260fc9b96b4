//! ALTO (v2-v4) reader: the decoded XML in, the document model out (`Page` → `TextLine` →
//! `String@CONTENT`, with `HYP` joined to its word, boxes from HPOS/VPOS/WIDTH/HEIGHT and
//! confidences from `WC`, else `CC`). Read with a streaming parser; no entity is expanded and
//! nothing is fetched. It does not tokenize.

use super::xml::{unescape, Escape, Walker};
use super::{bbox_from, number, Line, Markup, Page, Piece, Word};
use quick_xml::events::{BytesStart, Event};

/// Assumed scan resolution when ALTO measures in mm10 or inch1200 and no scan is given to
/// measure against: what archives scan at.
const ASSUMED_DPI: f32 = 300.0;

pub fn parse(src: &str) -> Result<Markup, String> {
    let mut w = Walker::new(src, false);
    let mut markup = Markup::default();
    let mut image: Option<String> = None;
    let mut line: Option<Line> = None;
    // Which element's text is being read: the scan's file name or the measurement unit.
    let mut reading: Option<&'static str> = None;
    let mut collected = String::new();
    let mut in_source_info = false;
    loop {
        let event = w.next_event()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"sourceImageInformation" => in_source_info = !empty,
                    b"fileName" if in_source_info && !empty => reading = Some("fileName"),
                    b"MeasurementUnit" if !empty => reading = Some("MeasurementUnit"),
                    b"Page" => {
                        markup.pages.push(Page {
                            image: image.clone(),
                            width: w.value(e, "WIDTH")?.as_deref().and_then(number).map(|v| v as u32),
                            height: w.value(e, "HEIGHT")?.as_deref().and_then(number).map(|v| v as u32),
                            lines: Vec::new(),
                        });
                    }
                    b"TextLine" => {
                        if let Some(l) = line.take() {
                            push_line(&mut markup, l, &image);
                        }
                        let l = Line { id: w.value(e, "ID")?, bbox: element_box(&w, e)?, ..Line::default() };
                        if empty {
                            push_line(&mut markup, l, &image);
                        } else {
                            line = Some(l);
                        }
                    }
                    b"String" => {
                        if let (Some(l), Some(piece)) = (line.as_mut(), content_piece(&w, e)?) {
                            l.words.push(Word {
                                id: w.value(e, "ID")?,
                                bbox: element_box(&w, e)?,
                                confidence: confidence(&w, e)?,
                                pieces: vec![piece],
                            });
                        }
                    }
                    b"HYP" => {
                        // The line-end hyphen belongs to the word before it.
                        if let (Some(l), Some(piece)) = (line.as_mut(), content_piece(&w, e)?) {
                            match l.words.last_mut() {
                                Some(word) => word.pieces.push(piece),
                                None => l.words.push(Word { pieces: vec![piece], ..Word::default() }),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if reading.is_some() => {
                let raw = std::str::from_utf8(t.as_ref()).map_err(|e| e.to_string())?;
                collected.push_str(&unescape(raw, false, false)?.text);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"TextLine" => {
                    if let Some(l) = line.take() {
                        push_line(&mut markup, l, &image);
                    }
                }
                b"sourceImageInformation" => in_source_info = false,
                b"fileName" | b"MeasurementUnit" => {
                    let value = std::mem::take(&mut collected).trim().to_string();
                    match reading.take() {
                        Some("fileName") if image.is_none() && !value.is_empty() => image = Some(value),
                        Some("MeasurementUnit") => markup.pixels_per_unit = unit_scale(&value),
                        _ => {}
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    if let Some(l) = line.take() {
        push_line(&mut markup, l, &image);
    }
    Ok(markup)
}

/// A line goes to the last page; ALTO without a `Page` (seen in hand-made files) gets one.
fn push_line(markup: &mut Markup, line: Line, image: &Option<String>) {
    if markup.pages.is_empty() {
        markup.pages.push(Page { image: image.clone(), ..Page::default() });
    }
    markup.pages.last_mut().expect("a page").lines.push(line);
}

fn content_piece<'a>(w: &Walker<'a>, e: &BytesStart<'a>) -> Result<Option<Piece>, String> {
    let Some(v) = w.attribute(e, "CONTENT")? else { return Ok(None) };
    let text = unescape(v.raw, true, false).map_err(|r| format!("CONTENT {:?}: {r}", v.raw))?.text;
    Ok(Some(Piece { text, source: v.range, escape: Escape::Attribute(v.quote) }))
}

fn element_box<'a>(w: &Walker<'a>, e: &BytesStart<'a>) -> Result<Option<crate::types::BBox>, String> {
    let get = |name| -> Result<Option<f32>, String> { Ok(w.value(e, name)?.as_deref().and_then(number)) };
    Ok(match (get("HPOS")?, get("VPOS")?, get("WIDTH")?, get("HEIGHT")?) {
        (Some(x), Some(y), Some(wd), Some(h)) => Some(bbox_from(x, y, wd, h)),
        _ => None,
    })
}

/// `WC` (0..1), else the mean of `CC` (per character, 0 sure .. 9 unsure).
fn confidence<'a>(w: &Walker<'a>, e: &BytesStart<'a>) -> Result<Option<f32>, String> {
    if let Some(wc) = w.value(e, "WC")?.as_deref().and_then(number) {
        return Ok(Some(wc.min(1.0)));
    }
    let Some(cc) = w.value(e, "CC")? else { return Ok(None) };
    let digits: Vec<f32> = cc.split_whitespace().filter_map(|d| d.parse::<f32>().ok()).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    Ok(Some((1.0 - digits.iter().sum::<f32>() / digits.len() as f32 / 9.0).clamp(0.0, 1.0)))
}

/// Pixels per unit for ALTO's measurement units (`pixel` is the identity).
fn unit_scale(unit: &str) -> Option<f32> {
    match unit {
        "mm10" => Some(ASSUMED_DPI / 254.0),
        "inch1200" => Some(ASSUMED_DPI / 1200.0),
        _ => None,
    }
}

/// The transcript text of an ALTO document: each `TextLine`'s `String@CONTENT`s joined with
/// spaces, lines joined with newlines, in document order.
pub fn alto_text(xml: &str) -> Result<String, String> {
    Ok(super::transcript_view(&parse(xml)?).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alto_lines_and_strings() {
        let xml = r#"<?xml version="1.0"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace>
            <TextBlock><TextLine ID="l1"><String CONTENT="July"/><SP/><String CONTENT="18,"/></TextLine>
            <TextLine ID="l2"><String CONTENT="Dear &amp; Sir"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>"#;
        assert_eq!(alto_text(xml).unwrap(), "July 18,\nDear & Sir");
        assert!(alto_text("<alto><TextLine><String CONTENT='a'></TextLine>").is_err());
    }

    #[test]
    fn boxes_confidences_hyphens_and_the_scan() {
        let xml = r#"<alto><Description><MeasurementUnit>pixel</MeasurementUnit><sourceImageInformation>
            <fileName>p1.jpg</fileName></sourceImageInformation></Description><Layout><Page WIDTH="900" HEIGHT="1200">
            <TextLine ID="l1" HPOS="10" VPOS="20" WIDTH="300" HEIGHT="30">
              <String ID="s1" HPOS="10" VPOS="20" WIDTH="100" HEIGHT="30" WC="0.91" CONTENT="so"/>
              <HYP CONTENT="-"/></TextLine>
            <TextLine ID="l2"><String ID="s2" CC="0 9" CONTENT="called"/></TextLine></Page></Layout></alto>"#;
        let m = parse(xml).unwrap();
        let page = &m.pages[0];
        assert_eq!((page.image.as_deref(), page.width, page.height), (Some("p1.jpg"), Some(900), Some(1200)));
        let w = &page.lines[0].words[0];
        assert_eq!((w.text().as_str(), w.confidence, w.bbox.map(|b| b.w)), ("so-", Some(0.91), Some(100)));
        assert_eq!(page.lines[1].words[0].confidence, Some(0.5));
        assert_eq!(alto_text(xml).unwrap(), "so-\ncalled");
    }
}
