//! Turning and levelling a page: its skew measured by projection, the page rotated level,
//! turned a quarter or half, or both as it was read (`orient`). Part of the scan stage.

use super::histogram::{grey_histogram, otsu_level};
use image::GrayImage;

/// The page turned `rotation` degrees clockwise (0, 90, 180, 270; anything else is 0).
pub fn turn(page: &GrayImage, rotation: u32) -> GrayImage {
    use image::imageops;
    match rotation % 360 {
        90 => imageops::rotate90(page),
        180 => imageops::rotate180(page),
        270 => imageops::rotate270(page),
        _ => page.clone(),
    }
}

/// Skew below this many degrees is left alone: Tesseract reads such lines as they are, and
/// rotating a page blurs its letters a little (levelled from 0.5°, the sample's pages at
/// 0.5-0.75° lost one of their 24 known errors).
pub const MIN_SKEW: f32 = 1.0;
/// The largest skew looked for: a page fed crooked, not a turned one.
pub const MAX_SKEW: f32 = 6.0;

/// The angle (degrees, clockwise) of the page's text lines, found by projection: the angle at
/// which the ink, counted along lines of that slope, falls into the sharpest rows. Measured on
/// a copy at most 1000 px wide (`shrink`), binarized at Otsu's level; 0 for a page with too
/// little ink.
pub fn measure_skew(page: &GrayImage) -> f32 {
    let small = shrink(page, 1000);
    let small = small.as_ref().unwrap_or(page);
    let level = otsu_level(&grey_histogram(small));
    let ink: Vec<(f32, f32)> =
        small.enumerate_pixels().filter(|(_, _, p)| p.0[0] <= level).map(|(x, y, _)| (x as f32, y as f32)).collect();
    let area = (small.width() * small.height()) as usize;
    // A blank page, or one that is all ink, has no lines to level.
    if ink.len() < 500 || ink.len() * 2 > area {
        return 0.0;
    }
    let height = small.height() as f32;
    let width = small.width() as f32;
    let sharpness = |degrees: f32| -> f64 {
        let slope = degrees.to_radians().tan();
        let offset = width * slope.abs();
        let mut rows = vec![0u32; (height + 2.0 * offset) as usize + 2];
        for &(x, y) in &ink {
            let r = round_index(y - x * slope + offset);
            if let Some(c) = rows.get_mut(r) {
                *c += 1;
            }
        }
        rows.iter().map(|&c| (c as f64) * (c as f64)).sum()
    };
    let best = |from: f32, to: f32, step: f32| {
        let steps = ((to - from) / step).round() as i32;
        (0..=steps)
            .map(|k| from + k as f32 * step)
            .map(|a| (a, sharpness(a)))
            .fold((0.0, f64::MIN), |b, c| if c.1 > b.1 { c } else { b })
            .0
    };
    let coarse = best(-MAX_SKEW, MAX_SKEW, 0.25);
    let fine = best(coarse - 0.25, coarse + 0.25, 0.05);
    (fine * 100.0).round() / 100.0
}

/// `v.round() as usize`, without the libm call `round` is on x86-64 (a fifth of the skew
/// measure's time, run per ink pixel per angle): the truncation, plus one when the fraction
/// left is a half or more. Both are exact in f32, so it is the same number for every `v`.
#[inline]
fn round_index(v: f32) -> usize {
    let t = v as usize;
    // Without a branch: the fraction is a half or more about every other time.
    t.saturating_add((v - t as f32 >= 0.5) as usize)
}

/// The page at most `width` px wide: each block of k × k pixels averaged, k the least whole
/// factor that fits; `None` when it fits already. Block means cost a few ms a page where
/// `imageops::resize` took 200-350 ms, a tenth of Tesseract's time on the page (issue 16).
pub fn shrink(page: &GrayImage, width: u32) -> Option<GrayImage> {
    let k = page.width().div_ceil(width.max(1));
    if k <= 1 {
        return None;
    }
    let (w, h) = ((page.width() / k).max(1), (page.height() / k).max(1));
    let mut sums = vec![0u32; w as usize];
    let mut small = GrayImage::new(w, h);
    for y in 0..h {
        sums.fill(0);
        for row in (y * k)..((y + 1) * k).min(page.height()) {
            let pixels = &page.as_raw()[(row * page.width()) as usize..][..(w * k) as usize];
            for (x, block) in pixels.chunks(k as usize).enumerate().take(w as usize) {
                sums[x] += block.iter().map(|&p| p as u32).sum::<u32>();
            }
        }
        let n = k * k;
        for (x, &sum) in sums.iter().enumerate() {
            small.put_pixel(x as u32, y, image::Luma([((sum + n / 2) / n) as u8]));
        }
    }
    Some(small)
}

/// The page rotated by `-skew` degrees about its centre, so lines measured at `skew` run level;
/// corners brought in are paper white.
pub fn level(page: &GrayImage, skew: f32) -> GrayImage {
    use imageproc::geometric_transformations::{rotate_about_center, Interpolation};
    if skew == 0.0 {
        return page.clone();
    }
    rotate_about_center(page, -skew.to_radians(), Interpolation::Bilinear, image::Luma([255]))
}

/// A picture of the page (in colour, for reports) turned and levelled as the page was read.
pub fn orient_picture(picture: image::DynamicImage, rotation: u32, skew: f32) -> image::DynamicImage {
    use imageproc::geometric_transformations::{rotate_about_center, Interpolation};
    let turned = match rotation % 360 {
        90 => picture.rotate90(),
        180 => picture.rotate180(),
        270 => picture.rotate270(),
        _ => picture,
    };
    if skew == 0.0 {
        return turned;
    }
    let rgb = turned.into_rgb8();
    let white = image::Rgb([255, 255, 255]);
    image::DynamicImage::ImageRgb8(rotate_about_center(&rgb, -skew.to_radians(), Interpolation::Bilinear, white))
}

/// The page as it was read: turned, then levelled (`OcrPage::rotation`, `OcrPage::skew`). Crops,
/// second readings and exported line images are cut from this, so the boxes fit.
pub fn orient(page: GrayImage, rotation: u32, skew: f32) -> GrayImage {
    let turned = if rotation % 360 == 0 { page } else { turn(&page, rotation) };
    if skew == 0.0 {
        turned
    } else {
        level(&turned, skew)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `round_index` is `round() as usize` for every f32, the halves, the values just under them
    /// (0.49999997 rounds to 0, where adding a half would make it 1), negatives and NaN included.
    #[test]
    fn round_index_is_round_for_every_f32() {
        let mut values =
            vec![0.0f32, -0.0, 0.5, 0.49999997, 1.5, 2.5, -0.5, -0.49999997, -3.7, f32::NAN, 8388609.0, 1e30];
        values.extend((0..2_000_000u32).map(|i| f32::from_bits(i.wrapping_mul(2_654_435_761))));
        values.extend((0..100_000).map(|i| i as f32 / 64.0 - 10.0));
        for v in values {
            assert_eq!(round_index(v), v.round() as usize, "{v}");
        }
    }
}
