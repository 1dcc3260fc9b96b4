//! PAGE-XML 2019 ground truth: per page `NAME_pPAGE.xml` with one text region holding the
//! exported lines (box polygons and their text), referencing `NAME_pPAGE.png`, the page as
//! read (turned and levelled, so the boxes fit), for eScriptorium, Transkribus and kraken.

use super::GtLine;
use crate::error::Result;
use crate::types::{BBox, PageSummary, Review};
use image::GrayImage;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::path::Path;

pub const NAMESPACE: &str = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15";

/// A box as a PAGE polygon: its four corners, clockwise from the top left.
pub fn points(b: BBox) -> String {
    let (r, bottom) = (b.x + b.w.max(1), b.y + b.h.max(1));
    format!("{},{} {},{} {},{} {},{}", b.x, b.y, r, b.y, r, bottom, b.x, bottom)
}

pub fn write_page(
    dir: &Path,
    name: &str,
    page: &PageSummary,
    image: &GrayImage,
    lines: &[&GtLine],
    review: &Review,
) -> Result<Vec<String>> {
    let stem = super::page_stem(name, page.page);
    let image_file = super::write_page_image(dir, &stem, image)?;
    let xml_file = format!("{stem}.xml");
    let path = dir.join(&xml_file);
    let now = crate::review::decisions::now_rfc3339();
    let (w, h) = image.dimensions();
    let clamp = |b: BBox| {
        let x = b.x.min(w.saturating_sub(1));
        let y = b.y.min(h.saturating_sub(1));
        BBox { x, y, w: b.w.min(w - x).max(1), h: b.h.min(h - y).max(1) }
    };
    let region = lines.iter().map(|l| clamp(l.bbox)).fold(BBox::default(), BBox::union);
    let lang = review.languages.clone();
    crate::report::write_atomically(&path, |out| {
        let mut x = Writer::new_with_indent(out, b' ', 2);
        x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        x.create_element("PcGts")
            .with_attribute(("xmlns", NAMESPACE))
            .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
            .with_attribute((
                "xsi:schemaLocation",
                "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15 http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15/pagecontent.xsd",
            ))
            .write_inner_content(|x| {
                x.create_element("Metadata").write_inner_content(|x| {
                    let creator = format!("scanproof {} export-gt", env!("CARGO_PKG_VERSION"));
                    x.create_element("Creator").write_text_content(BytesText::new(&creator))?;
                    x.create_element("Created").write_text_content(BytesText::new(&now))?;
                    x.create_element("LastChange").write_text_content(BytesText::new(&now))?;
                    let note = format!("Lines verified against the scan; OCR languages {lang}");
                    x.create_element("Comments").write_text_content(BytesText::new(&note))?;
                    Ok(())
                })?;
                x.create_element("Page")
                    .with_attribute(("imageFilename", image_file.as_str()))
                    .with_attribute(("imageWidth", w.to_string().as_str()))
                    .with_attribute(("imageHeight", h.to_string().as_str()))
                    .write_inner_content(|x| {
                        x.create_element("TextRegion")
                            .with_attribute(("id", format!("r{}", page.page).as_str()))
                            .write_inner_content(|x| {
                                x.create_element("Coords").with_attribute(("points", points(region).as_str())).write_empty()?;
                                for l in lines {
                                    x.create_element("TextLine")
                                        .with_attribute(("id", format!("r{}l{}", page.page, l.line).as_str()))
                                        .write_inner_content(|x| {
                                            x.create_element("Coords")
                                                .with_attribute(("points", points(clamp(l.bbox)).as_str()))
                                                .write_empty()?;
                                            x.create_element("TextEquiv").write_inner_content(|x| {
                                                x.create_element("Unicode").write_text_content(BytesText::new(&l.text))?;
                                                Ok(())
                                            })?;
                                            Ok(())
                                        })?;
                                }
                                Ok(())
                            })?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        writeln!(x.get_mut())
    })?;
    Ok(vec![image_file, xml_file])
}

use std::io::Write as _;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_is_a_closed_polygon_clockwise() {
        assert_eq!(points(BBox { x: 10, y: 20, w: 30, h: 5 }), "10,20 40,20 40,25 10,25");
    }
}
