//! Paper: tone, grain and dust specks, shared by the renderers. Grain is sparse rather than
//! per-pixel so a PNG stays small.

use image::GrayImage;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::noise::value_noise;

#[derive(Clone, Copy, Debug)]
pub struct Paper {
    /// Paper brightness: base + broad × (noise 0..1) + fine × (noise 0..1), as a factor on white.
    pub tone: (f32, f32, f32),
    /// Share of paper pixels that carry grain, and how dark it gets (0-255).
    pub grain_share: f64,
    pub grain_depth: (u8, u8),
    /// Dust and toner specks per page. Tesseract reads some of them as stray punctuation, as
    /// it does on real scans.
    pub specks: usize,
}

pub fn age_paper(page: &mut GrayImage, noise_seed: u64, paper: &Paper, rng: &mut ChaCha8Rng) {
    let (w, h) = page.dimensions();
    let tone_seed = noise_seed ^ 0xA5A5_A5A5;
    for (x, y, p) in page.enumerate_pixels_mut() {
        // Aged paper is a little grey and unevenly so, in broad soft patches.
        let broad = value_noise(tone_seed, x as f32 / 450.0, y as f32 / 450.0);
        let fine = value_noise(tone_seed ^ 1, x as f32 / 70.0, y as f32 / 70.0);
        let tone = paper.tone.0 + paper.tone.1 * broad + paper.tone.2 * fine;
        let mut v = p[0] as f32 * tone;
        if rng.gen_bool(paper.grain_share) {
            v -= rng.gen_range(paper.grain_depth.0..=paper.grain_depth.1) as f32;
        }
        p[0] = v.round().clamp(0.0, 255.0) as u8;
    }
    // Dust and toner specks: mostly tiny, now and then a bigger one.
    for _ in 0..paper.specks {
        let cx = rng.gen_range(0.0..w as f32);
        let cy = rng.gen_range(0.0..h as f32);
        let r: f32 = if rng.gen_bool(0.05) { rng.gen_range(2.0..4.0) } else { rng.gen_range(0.6..1.8) };
        let dark: f32 = rng.gen_range(0.3..0.9);
        let (x0, x1) = ((cx - r).floor().max(0.0) as u32, ((cx + r).ceil() as u32).min(w - 1));
        let (y0, y1) = ((cy - r).floor().max(0.0) as u32, ((cy + r).ceil() as u32).min(h - 1));
        for y in y0..=y1 {
            for x in x0..=x1 {
                let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
                let cover = (r + 0.5 - d).clamp(0.0, 1.0);
                if cover > 0.0 {
                    let p = page.get_pixel_mut(x, y);
                    p[0] = (p[0] as f32 * (1.0 - dark * cover)).round() as u8;
                }
            }
        }
    }
}
