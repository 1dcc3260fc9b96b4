//! Ink weight, for OCR of bold and blotted typescript: a grayscale page in; how thick its
//! strokes are against the height of its letters out, and the page with heavy strokes thinned
//! before Tesseract reads it. It reads nothing and changes no page whose ink is ordinary.
//!
//! Typewriter type at any resolution has strokes about a seventh of its letters' height; a
//! worn, over-inked ribbon or a carbon copy struck hard fills the letters' counters, and
//! Tesseract then misreads most of them (`e`/`o`/`a` become blots). Thinning the strokes back
//! (a grayscale dilation of the paper, i.e. a minimum filter on the ink) opens the counters.

use image::GrayImage;

/// Strokes thicker than this share of the letter height are heavy ink.
pub const HEAVY_STROKE_SHARE: f32 = 0.24;
/// What a thinned stroke should be, as a share of the letter height.
pub const NORMAL_STROKE_SHARE: f32 = 0.15;

/// The median width in pixels of the page's strokes: the median length of the horizontal
/// runs of ink (Otsu's threshold) inside letter-sized components' rows, or `None` on a page
/// with too little ink to tell.
pub fn stroke_width(page: &GrayImage) -> Option<f32> {
    let level = imageproc::contrast::otsu_level(page);
    let mut runs: Vec<u32> = Vec::new();
    // Every fourth row is enough for a median and keeps this to a few milliseconds.
    for y in (0..page.height()).step_by(4) {
        let mut run = 0u32;
        for x in 0..page.width() {
            if page.get_pixel(x, y).0[0] <= level {
                run += 1;
            } else if run > 0 {
                runs.push(run);
                run = 0;
            }
        }
        if run > 0 {
            runs.push(run);
        }
    }
    // Rules and blotches are long runs; specks single pixels: neither is a stroke.
    runs.retain(|&r| (2..=60).contains(&r));
    if runs.len() < 200 {
        return None;
    }
    let mid = runs.len() / 2;
    Some(*runs.select_nth_unstable(mid).1 as f32)
}

/// How a page's ink was corrected before OCR.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct InkCorrection {
    /// Pixels taken off each side of every stroke (0: none).
    pub thinned: u8,
}

/// The page with heavy strokes thinned to about `NORMAL_STROKE_SHARE` of the letter height,
/// or `None` when its ink is not heavy (the page is read as it is).
pub fn thin_heavy_ink(page: &GrayImage) -> Option<(GrayImage, InkCorrection)> {
    let height = crate::scan::letter_height(page)? as f32;
    let stroke = stroke_width(page)?;
    if stroke < HEAVY_STROKE_SHARE * height {
        return None;
    }
    let excess = stroke - NORMAL_STROKE_SHARE * height;
    let radius = ((excess / 2.0).round() as u8).clamp(1, 4);
    let mask = imageproc::morphology::Mask::square(radius);
    Some((imageproc::morphology::grayscale_dilate(page, &mask), InkCorrection { thinned: radius }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Letters drawn as rings (a counter inside) with strokes `stroke` px wide, 24 px high.
    fn page(stroke: u32) -> GrayImage {
        let mut img = GrayImage::from_pixel(1200, 800, image::Luma([245]));
        for row in 0..12 {
            for col in 0..40 {
                let (x0, y0) = (40 + col * 28, 40 + row * 60);
                for y in y0..y0 + 24 {
                    for x in x0..x0 + 18 {
                        let inside =
                            x >= x0 + stroke && x < x0 + 18 - stroke && y >= y0 + stroke && y < y0 + 24 - stroke;
                        if !inside {
                            img.put_pixel(x, y, image::Luma([20]));
                        }
                    }
                }
            }
        }
        img
    }

    #[test]
    fn stroke_width_is_measured() {
        assert_eq!(stroke_width(&page(3)), Some(3.0));
        assert_eq!(stroke_width(&page(7)), Some(7.0));
        assert_eq!(stroke_width(&GrayImage::from_pixel(200, 200, image::Luma([240]))), None);
    }

    #[test]
    fn only_heavy_ink_is_thinned() {
        assert!(thin_heavy_ink(&page(3)).is_none(), "ordinary strokes are left alone");
        let (thinned, how) = thin_heavy_ink(&page(7)).expect("heavy strokes are thinned");
        assert!(how.thinned >= 1);
        let after = stroke_width(&thinned).unwrap();
        assert!(after < 7.0 && after >= 2.0, "{after}");
    }
}
