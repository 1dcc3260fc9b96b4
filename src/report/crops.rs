//! Scan pictures for the HTML report: a `Review` and its page images (read from
//! `PageSummary.path`) in, JPEG data URIs out: one crop per flag with the word boxed, one per
//! untranscribed run, one downscaled view per page. Presentation only: boxes come from the
//! review as they are; a missing or unreadable image becomes a note, never an error.

use crate::types::{BBox, Review};
use base64::Engine as _;
use image::{DynamicImage, GenericImageView, Rgb, RgbImage};
use imageproc::drawing::draw_hollow_rect_mut;
use imageproc::rect::Rect;
use rayon::prelude::*;
use std::path::Path;

/// Shown instead of a crop for a word that is only in the transcript.
const NO_PLACE: &str = "no place on the scan: the scan has nothing here";

/// How the pictures are cut and compressed. The values keep the sample's words readable and
/// the 23-page EHRI report under 15 MB.
#[derive(Debug, Clone)]
pub struct CropParams {
    /// Height, in stored pixels, that a flagged word is scaled down to when it is taller:
    /// about the size of 14 pt type on screen, readable without zooming.
    pub word_height: f32,
    /// Width of a crop, in word heights: enough of the line to see the neighbouring words
    /// (≈ 10 words of typewriting), the same for every flag so the crops line up.
    pub crop_words: f32,
    /// Lines kept above and below, in word heights: the neighbours show it is the right line.
    pub margin_lines: f32,
    /// Width of a page view: the whole page is legible in layout, not in detail (crops are).
    pub page_width: u32,
    /// Largest crop of an untranscribed run (which may be a whole paragraph or a stamp).
    pub run_width: u32,
    pub run_height: u32,
    /// JPEG quality of crops; scans are mostly paper and ink, which compress well at this.
    pub crop_quality: u8,
    /// JPEG quality of page views, lower: they are for orientation.
    pub page_quality: u8,
}

impl Default for CropParams {
    fn default() -> Self {
        CropParams {
            word_height: 34.0,
            crop_words: 20.0,
            margin_lines: 1.3,
            page_width: 900,
            run_width: 800,
            run_height: 600,
            crop_quality: 78,
            page_quality: 60,
        }
    }
}

/// An embedded JPEG, its stored size in pixels and the size to show it at (larger when the
/// scan is of low resolution, so the word still reads at `word_height`).
#[derive(Debug, Clone)]
pub struct Picture {
    pub uri: String,
    pub width: u32,
    pub height: u32,
    pub display_width: u32,
    pub display_height: u32,
}

/// A picture, or why there is none (shown to the reader instead).
pub type Shot = Result<Picture, String>;

/// Every picture of a report, indexed like the review's vectors.
#[derive(Debug, Default)]
pub struct Pictures {
    /// By index into `Review::pages`.
    pub pages: Vec<Shot>,
    /// By index into `Review::flags`; `None` for flags that were not asked for.
    pub flags: Vec<Option<Shot>>,
    /// By index into `Review::untranscribed`.
    pub untranscribed: Vec<Shot>,
    /// By index into `Review::unverified`.
    pub unverified: Vec<Shot>,
}

/// Cut the pictures of `review`, reading page images relative to `base`; only flags for which
/// `wanted` holds get a crop. Pages are decoded in parallel, each once.
pub fn cut_pictures(
    review: &Review,
    base: &Path,
    wanted: impl Fn(usize) -> bool + Sync,
    params: &CropParams,
) -> Pictures {
    struct PageShots {
        view: Shot,
        flags: Vec<(usize, Shot)>,
        runs: Vec<(usize, Shot)>,
        unverified: Vec<(usize, Shot)>,
    }
    let per_page: Vec<PageShots> = review
        .pages
        .par_iter()
        .map(|page| {
            let flag_idx: Vec<usize> =
                (0..review.flags.len()).filter(|&i| review.flags[i].page == page.page && wanted(i)).collect();
            let run_idx: Vec<usize> =
                (0..review.untranscribed.len()).filter(|&i| review.untranscribed[i].page == page.page).collect();
            let unverified_idx: Vec<usize> =
                (0..review.unverified.len()).filter(|&i| review.unverified[i].page == page.page).collect();
            let path = base.join(&page.path);
            let image = match image::open(&path) {
                Ok(img) => crate::scan::orient_picture(img, page.rotation, page.skew),
                Err(e) => {
                    let why = format!("scan not available ({}): {e}", page.path.display());
                    return PageShots {
                        view: Err(why.clone()),
                        flags: flag_idx
                            .iter()
                            .map(|&i| match review.flags[i].bbox {
                                b if b.w == 0 || b.h == 0 => (i, Err(NO_PLACE.to_string())),
                                _ => (i, Err(why.clone())),
                            })
                            .collect(),
                        runs: run_idx.iter().map(|&i| (i, Err(why.clone()))).collect(),
                        unverified: unverified_idx.iter().map(|&i| (i, Err(why.clone()))).collect(),
                    };
                }
            };
            // Boxes are in the pixels the OCR saw; the file may since have been resized.
            let to_image = Scale {
                x: image.width() as f32 / page.width.max(1) as f32,
                y: image.height() as f32 / page.height.max(1) as f32,
            };
            PageShots {
                view: Ok(page_view(&image, params)),
                flags: flag_idx
                    .iter()
                    .map(|&i| {
                        let b = review.flags[i].bbox;
                        let shot = if b.w == 0 || b.h == 0 {
                            Err(NO_PLACE.to_string())
                        } else {
                            Ok(word_crop(&image, to_image.apply(b), params))
                        };
                        (i, shot)
                    })
                    .collect(),
                runs: run_idx
                    .iter()
                    .map(|&i| {
                        let b = to_image.apply(review.untranscribed[i].bbox);
                        (i, Ok(run_crop(&image, b, params)))
                    })
                    .collect(),
                unverified: unverified_idx
                    .iter()
                    .map(|&i| match review.unverified[i].bbox {
                        b if b.w == 0 || b.h == 0 => (i, Err(NO_PLACE.to_string())),
                        b => (i, Ok(run_crop(&image, to_image.apply(b), params))),
                    })
                    .collect(),
            }
        })
        .collect();

    let mut out = Pictures {
        pages: Vec::with_capacity(review.pages.len()),
        flags: vec![None; review.flags.len()],
        untranscribed: (0..review.untranscribed.len())
            .map(|_| Err("its page is not in the review".to_string()))
            .collect(),
        unverified: (0..review.unverified.len())
            .map(|_| Err("it lies between pages: no page of the scans shows it".to_string()))
            .collect(),
    };
    for p in per_page {
        out.pages.push(p.view);
        for (i, shot) in p.flags {
            out.flags[i] = Some(shot);
        }
        for (i, shot) in p.runs {
            out.untranscribed[i] = shot;
        }
        for (i, shot) in p.unverified {
            out.unverified[i] = shot;
        }
    }
    out
}

#[derive(Clone, Copy)]
struct Scale {
    x: f32,
    y: f32,
}

impl Scale {
    fn apply(self, b: BBox) -> BBox {
        BBox {
            x: (b.x as f32 * self.x) as u32,
            y: (b.y as f32 * self.y) as u32,
            w: ((b.w as f32 * self.x).ceil() as u32).max(1),
            h: ((b.h as f32 * self.y).ceil() as u32).max(1),
        }
    }
}

/// The window of `bbox` widened by `mx`/`my` on each side, clamped to the image; when one side
/// hits the edge the other side takes up the rest, so words near a margin keep their context.
fn window(img_w: u32, img_h: u32, b: BBox, mx: u32, my: u32) -> BBox {
    let span = |start: u32, len: u32, margin: u32, limit: u32| -> (u32, u32) {
        let want = (len + 2 * margin).min(limit);
        let centre = start as i64 + len as i64 / 2;
        let from = (centre - want as i64 / 2).clamp(0, (limit - want) as i64) as u32;
        (from, want)
    };
    let (x, w) = span(b.x.min(img_w - 1), b.w, mx, img_w);
    let (y, h) = span(b.y.min(img_h - 1), b.h, my, img_h);
    BBox { x, y, w, h }
}

/// The word and its line around it, scaled so the word is `word_height` tall at most, with a
/// red box around the word.
fn word_crop(image: &DynamicImage, b: BBox, params: &CropParams) -> Picture {
    let (iw, ih) = image.dimensions();
    // A word box taller than a few lines (a hyphenated pair) should not widen the window to
    // the whole page: measure the margins in one line's height.
    let line_h = (b.h as f32).clamp(ih as f32 / 150.0, ih as f32 / 30.0);
    let margin_x = ((line_h * params.crop_words - b.w as f32) / 2.0).max(line_h);
    let win = window(iw, ih, b, margin_x as u32, (line_h * params.margin_lines) as u32);
    let scale = (params.word_height / line_h).min(1.0);
    // Small scans are shown enlarged (by the browser, up to twice) rather than stored so.
    let zoom = (params.word_height / (line_h * scale)).clamp(1.0, 2.0);
    let mut crop = scaled_rgb(image, win, scale);
    // The box sits a few pixels outside the word so it never covers a letter.
    let pad = 3.0;
    let rel = |v: u32, from: u32| v.saturating_sub(from) as f32 * scale;
    let x0 = (rel(b.x, win.x) - pad).max(0.0);
    let y0 = (rel(b.y, win.y) - pad).max(0.0);
    let x1 = (rel(b.x + b.w, win.x) + pad).min(crop.width() as f32 - 1.0);
    let y1 = (rel(b.y + b.h, win.y) + pad).min(crop.height() as f32 - 1.0);
    let red = Rgb([214u8, 0, 0]);
    for t in 0..2i32 {
        let (w, h) = ((x1 - x0) as i32 + 1 + 2 * t, (y1 - y0) as i32 + 1 + 2 * t);
        if w > 0 && h > 0 {
            let rect = Rect::at(x0 as i32 - t, y0 as i32 - t).of_size(w as u32, h as u32);
            draw_hollow_rect_mut(&mut crop, rect, red);
        }
    }
    encode(&DynamicImage::ImageRgb8(crop), params.crop_quality, zoom)
}

/// Scan text the transcript lacks: its box with a little margin, at most `run_width` wide.
fn run_crop(image: &DynamicImage, b: BBox, params: &CropParams) -> Picture {
    let (iw, ih) = image.dimensions();
    let m = (ih / 150).max(4);
    let win = window(iw, ih, b, m, m);
    let scale = (params.run_width as f32 / win.w as f32).min(params.run_height as f32 / win.h as f32).min(1.0);
    let crop = scaled_rgb(image, win, scale);
    encode(&DynamicImage::ImageRgb8(crop), params.crop_quality, 1.0)
}

fn page_view(image: &DynamicImage, params: &CropParams) -> Picture {
    let (w, h) = image.dimensions();
    let view = if w > params.page_width {
        let nh = (h as f64 * params.page_width as f64 / w as f64).round().max(1.0) as u32;
        // Grey pages stay grey: a third of the bytes of colour.
        match image {
            DynamicImage::ImageLuma8(g) => {
                DynamicImage::ImageLuma8(image::imageops::thumbnail(g, params.page_width, nh))
            }
            _ => DynamicImage::ImageRgb8(image::imageops::thumbnail(&image.to_rgb8(), params.page_width, nh)),
        }
    } else {
        image.clone()
    };
    encode(&view, params.page_quality, 1.0)
}

/// The window `win` of the image as RGB (the box is red), scaled by `scale`.
fn scaled_rgb(image: &DynamicImage, win: BBox, scale: f32) -> RgbImage {
    let part = image.crop_imm(win.x, win.y, win.w, win.h).to_rgb8();
    if scale >= 0.999 {
        return part;
    }
    let w = ((win.w as f32 * scale).round() as u32).max(1);
    let h = ((win.h as f32 * scale).round() as u32).max(1);
    image::imageops::resize(&part, w, h, image::imageops::FilterType::Triangle)
}

fn encode(image: &DynamicImage, quality: u8, zoom: f32) -> Picture {
    let mut bytes = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
    // JPEG has no alpha; every image here is Luma8 or Rgb8, which always encode.
    let ok = match image {
        DynamicImage::ImageLuma8(g) => encoder.encode_image(g),
        other => encoder.encode_image(&other.to_rgb8()),
    };
    debug_assert!(ok.is_ok(), "JPEG encoding of an in-memory image failed");
    Picture {
        uri: format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(&bytes)),
        width: image.width(),
        height: image.height(),
        display_width: (image.width() as f32 * zoom).round() as u32,
        display_height: (image.height() as f32 * zoom).round() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_stays_inside_and_keeps_its_width_at_edges() {
        let cases = [
            // (bbox, margin) -> window
            (BBox { x: 500, y: 500, w: 40, h: 20 }, 100, BBox { x: 400, y: 410, w: 240, h: 200 }),
            (BBox { x: 0, y: 0, w: 40, h: 20 }, 100, BBox { x: 0, y: 0, w: 240, h: 200 }),
            (BBox { x: 980, y: 990, w: 20, h: 10 }, 100, BBox { x: 780, y: 810, w: 220, h: 190 }),
            (BBox { x: 10, y: 10, w: 900, h: 20 }, 100, BBox { x: 0, y: 0, w: 1000, h: 200 }),
        ];
        for (b, m, want) in cases {
            assert_eq!(window(1000, 1000, b, m, 90), want, "{b:?}");
        }
    }

    #[test]
    fn crop_boxes_the_word_in_red() {
        let page = DynamicImage::ImageLuma8(image::GrayImage::from_pixel(600, 800, image::Luma([255])));
        let b = BBox { x: 100, y: 200, w: 60, h: 20 };
        let pic = word_crop(&page, b, &CropParams::default());
        assert!(pic.uri.starts_with("data:image/jpeg;base64,"));
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(&pic.uri["data:image/jpeg;base64,".len()..]).unwrap();
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        assert_eq!((img.width(), img.height()), (pic.width, pic.height));
        let reddish = img.pixels().filter(|p| p[0] > 150 && p[1] < 100).count();
        assert!(reddish > 100, "{reddish} red pixels");
    }
}
