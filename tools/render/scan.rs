//! The scanner: optics blur, skew on the glass, paper tone, uneven light, grain and specks,
//! the resolution it was scanned (or saved for the web) at, and a page fed in turned.

use image::imageops::{self, FilterType};
use image::{GrayImage, Luma};
use imageproc::filter::gaussian_blur_f32;
use imageproc::geometric_transformations::{rotate_about_center, Interpolation};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::paper::{age_paper, Paper};
use crate::strike::InkPage;

/// The canvas everything is drawn on: 300 dpi.
pub const CANVAS_DPI: u32 = 300;

#[derive(Clone, Debug)]
pub struct Scan {
    /// Gaussian blur sigma at 300 dpi, in pixels.
    pub blur: f32,
    pub skew_deg: f32,
    /// Whole-page turn, clockwise: 0, 90, 180 or 270.
    pub rotation: u32,
    pub paper: Paper,
    /// Uneven light: how much darker the dimmest corner is (0..1).
    pub illumination: f32,
    pub dpi: u32,
}

/// Ink on paper as an 8-bit page at 300 dpi: paper white, solid ink `darkness` below it.
pub fn to_gray(ink: &InkPage, darkness: f32) -> GrayImage {
    GrayImage::from_fn(ink.w, ink.h, |x, y| {
        let d = ink.d[(y * ink.w + x) as usize].min(1.0);
        Luma([(255.0 - darkness * d).round() as u8])
    })
}

pub fn scan(typed: &GrayImage, s: &Scan, noise_seed: u64, rng: &mut ChaCha8Rng) -> GrayImage {
    let mut page = if s.blur > 0.0 { gaussian_blur_f32(typed, s.blur) } else { typed.clone() };
    if s.skew_deg != 0.0 {
        page = rotate_about_center(&page, s.skew_deg.to_radians(), Interpolation::Bilinear, Luma([255]));
    }
    age_paper(&mut page, noise_seed, &s.paper, rng);
    if s.illumination > 0.0 {
        light(&mut page, s.illumination, rng);
    }
    if s.dpi != CANVAS_DPI {
        let f = s.dpi as f32 / CANVAS_DPI as f32;
        let (w, h) = ((page.width() as f32 * f).round() as u32, (page.height() as f32 * f).round() as u32);
        page = imageops::resize(&page, w.max(1), h.max(1), FilterType::Triangle);
    }
    match s.rotation {
        90 => imageops::rotate90(&page),
        180 => imageops::rotate180(&page),
        270 => imageops::rotate270(&page),
        _ => page,
    }
}

/// A lamp not quite even: a ramp across the page from one side plus a soft vignette.
fn light(page: &mut GrayImage, amount: f32, rng: &mut ChaCha8Rng) {
    let angle: f32 = rng.gen_range(0.0..std::f32::consts::TAU);
    let (ca, sa) = (angle.cos(), angle.sin());
    let (w, h) = (page.width() as f32, page.height() as f32);
    let half_diag = (w * w + h * h).sqrt() / 2.0;
    for (x, y, p) in page.enumerate_pixels_mut() {
        let (dx, dy) = (x as f32 - w / 2.0, y as f32 - h / 2.0);
        let ramp = ((dx * ca + dy * sa) / half_diag + 1.0) / 2.0;
        let vignette = (dx * dx + dy * dy) / (half_diag * half_diag);
        let f = 1.0 - amount * (0.7 * ramp + 0.3 * vignette);
        p[0] = (p[0] as f32 * f).round().clamp(0.0, 255.0) as u8;
    }
}
