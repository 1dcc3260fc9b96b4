//! One key striking the paper: a glyph's coverage cell inked onto the page with uneven strength,
//! a tilted slug, blotchy ribbon texture and ink dropouts. Shared by `render-sample` and
//! `render-pages`; the random draws happen in a fixed order so a seed gives the same page.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::noise::{splitmix64, value_noise};

/// How a strike inks the paper.
#[derive(Clone, Copy, Debug)]
pub struct Strike {
    /// Ink darkness of a normal strike (1.0 = black).
    pub ink: f32,
    /// Spread of strike strength from letter to letter.
    pub ink_spread: f32,
    /// Chance that a strike is faint (a light touch on the key, a dry patch of ribbon).
    pub faint_chance: f64,
    /// Strength of a faint strike, relative to a normal one.
    pub faint_range: (f32, f32),
    /// How much one edge of a letter can be lighter than the other (the type slug hits unevenly).
    pub tilt: f32,
    /// Depth of the ribbon's blotchy texture.
    pub mottle: f32,
    /// Chance that a letter loses a patch of ink (worn ribbon, clogged or chipped type).
    pub dropout_chance: f64,
    /// Depth of broad unevenness across the page (a carbon sheet pressed harder in places);
    /// 0 leaves it out.
    pub patchy: f32,
}

/// The ink laid on a page so far: density 0 (paper) to 1 (solid ink) per pixel.
pub struct InkPage {
    pub w: u32,
    pub h: u32,
    pub d: Vec<f32>,
}

impl InkPage {
    pub fn new(w: u32, h: u32) -> Self {
        InkPage { w, h, d: vec![0f32; (w * h) as usize] }
    }
}

/// A glyph's coverage (0..1) on a scratch cell, before it meets the page.
pub struct Cell {
    pub w: i32,
    pub h: i32,
    pub cover: Vec<f32>,
}

/// The machine's fixed faults: some typebars are bent and print high or low, some keys strike
/// harder or softer than others. They belong to the machine, not the page.
pub struct Typewriter {
    seed: u64,
    bent_share: f64,
    bent_offset: f32,
}

impl Typewriter {
    pub fn new(seed: u64, bent_share: f64, bent_offset: f32) -> Self {
        Typewriter { seed: seed ^ 0x7F4A_7C15_9E37_79B9, bent_share, bent_offset }
    }

    /// (vertical offset in px, strength factor) for key `c`, the same on every page.
    pub fn key(&self, c: char) -> (f32, f32) {
        let h = splitmix64(self.seed ^ c as u64);
        let u = |shift: u32| ((h >> shift) & 0xFFFF) as f32 / 65535.0;
        let offset = if (u(0) as f64) < self.bent_share { (u(16) * 2.0 - 1.0) * self.bent_offset } else { 0.0 };
        (offset, 0.88 + 0.24 * u(32))
    }
}

/// Ink `cell` onto `page` with its (0,0) at page pixel (ox, oy). `key_ink` scales this strike;
/// ink dropouts fall in the cell box `hole_x` × `hole_y`.
#[allow(clippy::too_many_arguments)]
pub fn ink_cell(
    page: &mut InkPage,
    cell: &Cell,
    ox: i32,
    oy: i32,
    hole_x: (f32, f32),
    hole_y: (f32, f32),
    key_ink: f32,
    s: &Strike,
    noise_seed: u64,
    rng: &mut ChaCha8Rng,
) {
    // How hard this strike was.
    let mut strength = s.ink * key_ink * (1.0 + rng.gen_range(-s.ink_spread..=s.ink_spread));
    if rng.gen_bool(s.faint_chance) {
        strength *= rng.gen_range(s.faint_range.0..=s.faint_range.1);
    }
    // The slug lands unevenly: one side of the letter lighter than the other.
    let tilt_dir = rng.gen_range(0.0..std::f32::consts::TAU);
    let tilt = rng.gen_range(0.0..=s.tilt);
    let (tx, ty) = (tilt_dir.cos(), tilt_dir.sin());
    // Worn ribbon or chipped type: a patch of the letter prints little or nothing.
    let holes: Vec<(f32, f32, f32)> = if rng.gen_bool(s.dropout_chance) {
        (0..rng.gen_range(1..=2))
            .map(|_| (rng.gen_range(hole_x.0..hole_x.1), rng.gen_range(hole_y.0..hole_y.1), rng.gen_range(3.0..7.0)))
            .collect()
    } else {
        Vec::new()
    };

    let half = (cell.w as f32 / 2.0, cell.h as f32 / 2.0);
    for cy in 0..cell.h {
        for cx in 0..cell.w {
            let cover = cell.cover[(cy * cell.w + cx) as usize];
            if cover == 0.0 {
                continue;
            }
            let (px, py) = (ox + cx, oy + cy);
            if px < 0 || py < 0 || px >= page.w as i32 || py >= page.h as i32 {
                continue;
            }
            // Tilt: -1..1 across the cell along the strike's uneven direction.
            let along = ((cx as f32 - half.0) * tx + (cy as f32 - half.1) * ty) / half.1;
            let mut k = strength * (1.0 - tilt * 0.5 * (along + 1.0));
            // Ribbon texture: blotchy, continuous across the page (fabric and ink load).
            k *= 1.0 - s.mottle * value_noise(noise_seed, px as f32 / 5.0, py as f32 / 5.0);
            if s.patchy > 0.0 {
                k *= 1.0 - s.patchy * value_noise(noise_seed ^ 0x5EED, px as f32 / 260.0, py as f32 / 260.0);
            }
            for &(hx, hy, r) in &holes {
                let d2 = (cx as f32 - hx).powi(2) + (cy as f32 - hy).powi(2);
                if d2 < r * r {
                    k *= 0.15;
                }
            }
            let i = (py as u32 * page.w + px as u32) as usize;
            // Ink over ink darkens like a second strike, it does not simply replace.
            page.d[i] = 1.0 - (1.0 - page.d[i]) * (1.0 - cover * k.clamp(0.0, 1.0));
        }
    }
}
