//! tesstrain ground truth: per line `NAME_pPAGE_lLINE.png` (the line cut from the page as
//! read, with a margin, grayscale) and `NAME_pPAGE_lLINE.gt.txt` (its text, one line, NFC),
//! and `list.txt` naming every line image, one a line (tesstrain turns each into its `.lstmf`).

use super::GtLine;
use crate::error::{Error, Result};
use crate::types::BBox;
use image::GrayImage;
use std::path::Path;

/// The line's box widened by a margin (a quarter of its height above and below, half of it at
/// the ends) so no ascender, descender or edge letter is cut, kept inside the page.
pub fn line_window(b: BBox, width: u32, height: u32) -> BBox {
    let (my, mx) = ((b.h / 4).max(4), (b.h / 2).max(6));
    let x = b.x.saturating_sub(mx);
    let y = b.y.saturating_sub(my);
    let r = (b.x + b.w + mx).min(width);
    let bottom = (b.y + b.h + my).min(height);
    BBox { x, y, w: r.saturating_sub(x), h: bottom.saturating_sub(y) }
}

pub fn write_page(dir: &Path, name: &str, image: &GrayImage, lines: &[&GtLine]) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for l in lines {
        let stem = format!("{name}_p{}_l{}", l.page, l.line);
        let w = line_window(l.bbox, image.width(), image.height());
        if w.w == 0 || w.h == 0 {
            continue;
        }
        let crop = image::imageops::crop_imm(image, w.x, w.y, w.w, w.h).to_image();
        let png = format!("{stem}.png");
        crop.save_with_format(dir.join(&png), image::ImageFormat::Png)
            .map_err(|e| Error::BadImage { path: dir.join(&png), reason: e.to_string() })?;
        let gt = format!("{stem}.gt.txt");
        std::fs::write(dir.join(&gt), format!("{}\n", l.text)).map_err(|e| Error::io(dir.join(&gt), e))?;
        files.push(png);
        files.push(gt);
    }
    Ok(files)
}

/// `list.txt`: the line images, one a line, in page and line order.
pub fn write_list(dir: &Path, files: &[String]) -> Result<String> {
    let list: Vec<&str> = files.iter().filter(|f| f.ends_with(".png")).map(String::as_str).collect();
    let path = dir.join("list.txt");
    crate::report::write_atomically(&path, |w| {
        for f in &list {
            writeln!(w, "{f}")?;
        }
        Ok(())
    })?;
    Ok("list.txt".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_keeps_a_margin_inside_the_page() {
        let b = BBox { x: 100, y: 200, w: 500, h: 40 };
        assert_eq!(line_window(b, 2000, 3000), BBox { x: 80, y: 190, w: 540, h: 60 });
        let edge = BBox { x: 2, y: 1, w: 50, h: 40 };
        let w = line_window(edge, 60, 45);
        assert_eq!((w.x, w.y), (0, 0));
        assert!(w.x + w.w <= 60 && w.y + w.h <= 45);
    }
}
