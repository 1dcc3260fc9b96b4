//! hOCR reader (Tesseract, kraken, OCRopus, ABBYY via converters): the decoded (X)HTML in, the
//! document model out: `ocr_page` → lines (`ocr_line`, `ocrx_line`, `ocr_header`, `ocr_caption`,
//! `ocr_textfloat`) → `ocrx_word`, boxes and `x_wconf` from the `title` properties. Lenient about
//! HTML (unclosed void elements, a few named entities); never expands a DTD entity.

use super::xml::{unescape, Escape, Walker};
use super::{Line, Markup, Page, Piece, Word};
use crate::types::BBox;
use quick_xml::events::Event;

const LINE_CLASSES: [&str; 5] = ["ocr_line", "ocrx_line", "ocr_header", "ocr_caption", "ocr_textfloat"];

/// The properties of a `title="bbox 1 2 3 4; x_wconf 93; image \"p.png\""`.
#[derive(Debug, Default, PartialEq)]
struct Title {
    bbox: Option<BBox>,
    wconf: Option<f32>,
    image: Option<String>,
}

fn parse_title(title: &str) -> Title {
    let mut t = Title::default();
    for prop in title.split(';') {
        let prop = prop.trim();
        let (key, rest) = prop.split_once(char::is_whitespace).unwrap_or((prop, ""));
        match key {
            "bbox" => {
                let v: Vec<f32> = rest.split_whitespace().filter_map(super::number).collect();
                if let [x0, y0, x1, y1] = v[..] {
                    t.bbox = Some(super::bbox_from(x0, y0, (x1 - x0).max(0.0), (y1 - y0).max(0.0)));
                }
            }
            "x_wconf" => t.wconf = super::number(rest).map(|c| (c / 100.0).min(1.0)),
            "image" => t.image = Some(rest.trim().trim_matches('"').to_string()),
            _ => {}
        }
    }
    t
}

pub fn parse(src: &str) -> Result<Markup, String> {
    let mut w = Walker::new(src, true);
    let mut markup = Markup::default();
    // Open page, line and word, each with the depth its element opened at.
    let mut page_depth: Option<usize> = None;
    let mut line: Option<(Line, usize)> = None;
    let mut word: Option<(Word, usize)> = None;
    loop {
        let event = w.next_event()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let Some(class) = w.value(e, "class")? else { continue };
                let classes: Vec<&str> = class.split_whitespace().collect();
                let depth = w.depth();
                if classes.contains(&"ocr_page") {
                    close_line(&mut markup, &mut line, &mut word);
                    let title = parse_title(&w.value(e, "title")?.unwrap_or_default());
                    markup.pages.push(Page {
                        image: title.image,
                        width: title.bbox.map(|b| b.x + b.w),
                        height: title.bbox.map(|b| b.y + b.h),
                        lines: Vec::new(),
                    });
                    page_depth = (!empty).then_some(depth);
                } else if classes.iter().any(|c| LINE_CLASSES.contains(c)) {
                    close_line(&mut markup, &mut line, &mut word);
                    let title = parse_title(&w.value(e, "title")?.unwrap_or_default());
                    let l = Line { id: w.value(e, "id")?, bbox: title.bbox, ..Line::default() };
                    if empty {
                        push_line(&mut markup, l);
                    } else {
                        line = Some((l, depth));
                    }
                } else if classes.contains(&"ocrx_word") && !empty {
                    if let Some((wd, _)) = word.take() {
                        push_word(&mut markup, &mut line, wd);
                    }
                    let title = parse_title(&w.value(e, "title")?.unwrap_or_default());
                    let wd =
                        Word { id: w.value(e, "id")?, bbox: title.bbox, confidence: title.wconf, pieces: Vec::new() };
                    word = Some((wd, depth));
                }
            }
            Event::Text(t) => {
                let range = w.range_of(t.as_ref()).ok_or("text not in the source")?;
                let raw = &src[range.clone()];
                if let Some((wd, _)) = word.as_mut() {
                    let text = unescape(raw, false, true)?.text;
                    wd.pieces.push(Piece { text, source: range, escape: Escape::Text });
                } else if let Some((l, _)) = line.as_mut() {
                    // Text straight in a line: a line the writer did not split into words.
                    if !raw.trim().is_empty() && l.words.is_empty() {
                        let text = unescape(raw, false, true)?.text;
                        let own = l.own_text.get_or_insert_with(|| Word { bbox: l.bbox, ..Word::default() });
                        own.pieces.push(Piece { text, source: range, escape: Escape::Text });
                    }
                }
            }
            Event::CData(t) => {
                let range = w.range_of(t.as_ref()).ok_or("CDATA not in the source")?;
                if let Some((wd, _)) = word.as_mut() {
                    wd.pieces.push(Piece {
                        text: src[range.clone()].to_string(),
                        source: range,
                        escape: Escape::CData,
                    });
                }
            }
            Event::End(_) => {
                // The walker has already stepped out: an element opened at depth d closes
                // when the depth falls below d.
                let depth = w.depth();
                if word.as_ref().is_some_and(|(_, d)| depth < *d) {
                    let (wd, _) = word.take().expect("checked");
                    push_word(&mut markup, &mut line, wd);
                }
                if line.as_ref().is_some_and(|(_, d)| depth < *d) {
                    close_line(&mut markup, &mut line, &mut word);
                }
                if page_depth.is_some_and(|d| depth < d) {
                    close_line(&mut markup, &mut line, &mut word);
                    page_depth = None;
                }
            }
            _ => {}
        }
    }
    close_line(&mut markup, &mut line, &mut word);
    Ok(markup)
}

fn push_word(markup: &mut Markup, line: &mut Option<(Line, usize)>, mut word: Word) {
    // Whitespace around a word's text is layout, not text: keep the pieces but trim them
    // only when the word has a single piece (the common case).
    if word.pieces.len() > 1 {
        word.pieces.retain(|p| !p.text.trim().is_empty() || p.text.is_empty());
    }
    match line.as_mut() {
        Some((l, _)) => {
            // Words seen before the line's own text was judged: the words win.
            l.own_text = None;
            l.words.push(word);
        }
        // A word outside any line is a line of its own.
        None => push_line(markup, Line { words: vec![word], ..Line::default() }),
    }
}

fn close_line(markup: &mut Markup, line: &mut Option<(Line, usize)>, word: &mut Option<(Word, usize)>) {
    if let Some((wd, _)) = word.take() {
        push_word(markup, line, wd);
    }
    if let Some((l, _)) = line.take() {
        push_line(markup, l);
    }
}

fn push_line(markup: &mut Markup, line: Line) {
    if markup.pages.is_empty() {
        markup.pages.push(Page::default());
    }
    markup.pages.last_mut().expect("a page").lines.push(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    const TESSERACT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head><title></title><meta name='ocr-system' content='tesseract 5.3.0' /></head>
 <body>
  <div class='ocr_page' id='page_1' title='image "p1.jpg"; bbox 0 0 934 1170; ppageno 0'>
   <div class='ocr_carea' id='block_1_1' title="bbox 762 29 783 43">
    <p class='ocr_par' id='par_1_1' lang='eng' title="bbox 762 29 783 43">
     <span class='ocr_line' id='line_1_1' title="bbox 530 129 776 149; baseline 0 0; x_size 20">
      <span class='ocrx_word' id='word_1_1' title='bbox 530 129 560 148; x_wconf 90'>c/o</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 570 129 600 148; x_wconf 47'>A&amp;B</span>
     </span>
     <span class='ocr_line' id='line_1_2' title="bbox 530 150 776 170"><span class='ocrx_word' id='word_1_3' title='bbox 530 150 560 170; x_wconf 93'><strong>Lon</strong>don</span></span>
    </p>
   </div>
  </div>
 </body>
</html>"#;

    #[test]
    fn tesseract_hocr() {
        let m = parse(TESSERACT).unwrap();
        let p = &m.pages[0];
        assert_eq!((p.image.as_deref(), p.width, p.height), (Some("p1.jpg"), Some(934), Some(1170)));
        let words: Vec<String> = p.lines.iter().flat_map(|l| l.words.iter().map(Word::text)).collect();
        assert_eq!(words, ["c/o", "A&B", "London"]);
        assert_eq!(p.lines[0].words[1].confidence, Some(0.47));
        assert_eq!(p.lines[0].words[0].bbox, Some(BBox { x: 530, y: 129, w: 30, h: 19 }));
        assert_eq!(super::super::transcript_view(&m).0, "c/o A&B\nLondon");
    }

    #[test]
    fn html_void_elements_and_lines_without_words() {
        let html = "<html><head><meta charset=utf-8></head><body><div class='ocr_page' title='bbox 0 0 10 10'>\
                    <span class='ocr_line' title='bbox 0 0 10 5'>two&nbsp;words</span><br></div></body></html>";
        let m = parse(html).unwrap();
        assert_eq!(super::super::transcript_view(&m).0, "two\u{A0}words");
    }
}
