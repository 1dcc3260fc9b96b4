//! ALTO v4 ground truth: per page `NAME_pPAGE.xml` with one text block holding the exported
//! lines (boxes, and their words as strings), referencing `NAME_pPAGE.png`, the page as read.

use super::GtLine;
use crate::error::Result;
use crate::types::{BBox, PageSummary};
use image::GrayImage;
use quick_xml::events::{BytesDecl, Event};
use quick_xml::Writer;
use std::path::Path;

pub const NAMESPACE: &str = "http://www.loc.gov/standards/alto/ns-v4#";

fn position(b: BBox) -> [(&'static str, String); 4] {
    [("HPOS", b.x.to_string()), ("VPOS", b.y.to_string()), ("WIDTH", b.w.to_string()), ("HEIGHT", b.h.to_string())]
}

pub fn write_page(
    dir: &Path,
    name: &str,
    page: &PageSummary,
    image: &GrayImage,
    lines: &[&GtLine],
) -> Result<Vec<String>> {
    let stem = super::page_stem(name, page.page);
    let image_file = super::write_page_image(dir, &stem, image)?;
    let xml_file = format!("{stem}.xml");
    let (w, h) = image.dimensions();
    let block = lines.iter().map(|l| l.bbox).fold(BBox::default(), BBox::union);
    let attrs = position;
    crate::report::write_atomically(&dir.join(&xml_file), |out| {
        let mut x = Writer::new_with_indent(out, b' ', 2);
        x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        x.create_element("alto")
            .with_attribute(("xmlns", NAMESPACE))
            .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
            .with_attribute((
                "xsi:schemaLocation",
                "http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/alto/v4/alto-4-2.xsd",
            ))
            .write_inner_content(|x| {
                x.create_element("Description").write_inner_content(|x| {
                    x.create_element("MeasurementUnit")
                        .write_text_content(quick_xml::events::BytesText::new("pixel"))?;
                    x.create_element("sourceImageInformation").write_inner_content(|x| {
                        x.create_element("fileName")
                            .write_text_content(quick_xml::events::BytesText::new(&image_file))?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
                x.create_element("Layout").write_inner_content(|x| {
                    x.create_element("Page")
                        .with_attribute(("ID", format!("p{}", page.page).as_str()))
                        .with_attribute(("PHYSICAL_IMG_NR", page.page.to_string().as_str()))
                        .with_attribute(("WIDTH", w.to_string().as_str()))
                        .with_attribute(("HEIGHT", h.to_string().as_str()))
                        .write_inner_content(|x| {
                            let space = position(BBox { x: 0, y: 0, w, h });
                            x.create_element("PrintSpace")
                                .with_attributes(space.iter().map(|(k, v)| (*k, v.as_str())))
                                .write_inner_content(|x| {
                                    let b = attrs(block);
                                    x.create_element("TextBlock")
                                        .with_attribute(("ID", format!("p{}b1", page.page).as_str()))
                                        .with_attributes(b.iter().map(|(k, v)| (*k, v.as_str())))
                                        .write_inner_content(|x| {
                                            for l in lines {
                                                let p = attrs(l.bbox);
                                                x.create_element("TextLine")
                                                    .with_attribute((
                                                        "ID",
                                                        format!("p{}l{}", page.page, l.line).as_str(),
                                                    ))
                                                    .with_attributes(p.iter().map(|(k, v)| (*k, v.as_str())))
                                                    .write_inner_content(|x| {
                                                        for (i, word) in l.text.split(' ').enumerate() {
                                                            if i > 0 {
                                                                x.create_element("SP").write_empty()?;
                                                            }
                                                            x.create_element("String")
                                                                .with_attribute(("CONTENT", word))
                                                                .write_empty()?;
                                                        }
                                                        Ok(())
                                                    })?;
                                            }
                                            Ok(())
                                        })?;
                                    Ok(())
                                })?;
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
