//! Ink: how each kind of typing marks the page, with a strength from mild (0) to severe (1).
//!
//! - normal: a fresh ribbon (typewriter faces) or even press ink (print faces);
//! - faint: a carbon copy: low contrast, strokes spread and fuzzy, unevenly pressed;
//! - heavy: a soaked ribbon on bold type: thick strokes, counters of e/a/o filled, ink
//!   spreading into the paper, smudges;
//! - overtype: normal ink, and the typist's corrections (letters struck twice, a wrong letter
//!   struck over, a word x'd out and typed again; see layout.rs).

use std::collections::HashMap;

use ab_glyph::{FontVec, PxScale};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::fonts::{raster, Class, Raster};
use crate::layout::{Overtype, Page};
use crate::noise::value_noise;
use crate::strike::{ink_cell, Cell, InkPage, Strike, Typewriter};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum InkKind {
    Normal,
    Faint,
    Heavy,
    Overtype,
}

impl InkKind {
    pub fn parse(s: &str) -> Option<InkKind> {
        Some(match s {
            "normal" => InkKind::Normal,
            "faint" => InkKind::Faint,
            "heavy" => InkKind::Heavy,
            "overtype" => InkKind::Overtype,
            _ => return None,
        })
    }
}

/// Everything the typing of one page needs to know about its ink.
#[derive(Clone, Debug)]
pub struct Ink {
    pub strike: Strike,
    /// Darkness of solid ink on white paper, 0-255.
    pub darkness: f32,
    /// Stroke thickening (dilation radius) in pixels.
    pub dilate: f32,
    /// Chance that a letter's counters (the holes of e, a, o) fill with ink.
    pub fill_counters: f64,
    /// Fuzzy strokes: blur sigma in pixels and how much of the stroke it replaces (0..1).
    pub soften: (f32, f32),
    /// Ink spreading into the paper around strokes: blur sigma in pixels and darkness (0..1).
    pub halo: (f32, f32),
    /// Ink smudges per page.
    pub smudges: usize,
    /// Carbon haze: a faint grey cloud over the sheet, as dark as this at most (0..1).
    pub haze: f32,
    /// Typewriter wobble: per-letter jitter (x, y), line drift, bent keys (share, offset).
    pub jitter: (f32, f32),
    pub line_drift: f32,
    pub bent: (f64, f32),
    pub overtype: Overtype,
}

/// The ink for `kind` at `strength` (0 mild .. 1 severe), for type whose em is `em_px` pixels
/// (effects scale with the type: pica type at 300 dpi has an em of 50 px).
pub fn ink_for(kind: InkKind, strength: f32, class: Class, em_px: f32) -> Ink {
    let s = strength.clamp(0.0, 1.0);
    let k = em_px / 50.0;
    let typewriter = class == Class::Typewriter;
    // The sample's typewriter (render-sample) is the normal ink at strength 0.5.
    let mut ink = Ink {
        strike: Strike {
            ink: 0.88,
            ink_spread: 0.13,
            faint_chance: 0.01 + 0.04 * s as f64,
            faint_range: (0.30, 0.55),
            tilt: 0.55,
            mottle: 0.30 + 0.30 * s,
            dropout_chance: 0.02 + 0.06 * s as f64,
            patchy: 0.0,
        },
        darkness: 232.0,
        dilate: 0.0,
        fill_counters: 0.0,
        soften: (0.0, 0.0),
        halo: (0.0, 0.0),
        smudges: 0,
        haze: 0.0,
        jitter: (1.0, 1.5),
        line_drift: 3.0,
        bent: (0.2, 3.0),
        overtype: Overtype::default(),
    };
    if !typewriter {
        // Print: even pressure, no typebars.
        ink.strike = Strike {
            ink: 0.95,
            ink_spread: 0.04,
            faint_chance: 0.002 + 0.01 * s as f64,
            faint_range: (0.5, 0.8),
            tilt: 0.1 + 0.2 * s,
            mottle: 0.1 + 0.25 * s,
            dropout_chance: 0.005 + 0.02 * s as f64,
            patchy: 0.0,
        };
        ink.darkness = 240.0;
        ink.jitter = (0.2, 0.3);
        ink.line_drift = 0.5;
        ink.bent = (0.0, 0.0);
    }
    match kind {
        InkKind::Normal => {}
        InkKind::Overtype => {
            ink.overtype = Overtype {
                echo: 0.02 + 0.10 * s as f64,
                correct: 0.01 + 0.05 * s as f64,
                xout: 0.004 + 0.025 * s as f64,
            };
        }
        InkKind::Faint => {
            // The severe end grows faster than the mild: s² for what breaks letters apart.
            ink.strike.ink = 0.62 - 0.26 * s;
            ink.strike.ink_spread = 0.18 + 0.1 * s;
            ink.strike.faint_chance = 0.04 + 0.25 * (s * s) as f64;
            ink.strike.faint_range = (0.25, 0.6);
            ink.strike.mottle = 0.35 + 0.35 * s;
            ink.strike.dropout_chance = 0.04 + 0.28 * (s * s) as f64;
            ink.strike.patchy = 0.25 + 0.6 * s;
            ink.soften = ((0.8 + 2.6 * s) * k, 0.6 + 0.35 * s);
            ink.haze = 0.1 * s;
        }
        InkKind::Heavy => {
            ink.strike.ink = 0.97;
            ink.strike.ink_spread = 0.06;
            ink.strike.faint_chance = 0.005;
            ink.strike.mottle = 0.15 + 0.1 * (1.0 - s);
            ink.strike.dropout_chance = 0.01;
            ink.strike.tilt = 0.25;
            ink.darkness = 245.0;
            ink.dilate = (0.7 + 5.0 * s) * k;
            ink.fill_counters = 0.05 + 0.9 * s as f64;
            ink.halo = ((1.0 + 2.0 * s) * k, 0.25 + 0.5 * s);
            ink.smudges = (10.0 + 500.0 * s * s) as usize;
        }
    }
    ink
}

/// Draws glyph cells for one face, keeping the deterministic part of each (the outline at a
/// quarter-pixel position, thickened and spread) for the next strike of the same letter.
pub struct Typist<'a> {
    pub font: &'a FontVec,
    pub scale: PxScale,
    pub fallback: Option<(&'a FontVec, PxScale)>,
    pub thin: bool,
    pub ink: &'a Ink,
    cache: HashMap<(char, u8), Option<Raster>>,
}

impl<'a> Typist<'a> {
    pub fn new(
        font: &'a FontVec,
        scale: PxScale,
        fallback: Option<(&'a FontVec, PxScale)>,
        thin: bool,
        ink: &'a Ink,
    ) -> Self {
        Typist { font, scale, fallback, thin, ink, cache: HashMap::new() }
    }

    fn cell(&mut self, c: char, q: u8) -> Option<&Raster> {
        let (font, scale, thin, ink) = (self.font, self.scale, self.thin, self.ink);
        let fallback = self.fallback;
        self.cache
            .entry((c, q))
            .or_insert_with(|| {
                use ab_glyph::Font;
                let (f, sc) = match fallback {
                    Some(fb) if font.glyph_id(c).0 == 0 => fb,
                    _ => (font, scale),
                };
                let pad = (ink.dilate + 3.0 * ink.soften.0.max(ink.halo.0)).ceil() as i32 + 3;
                let offsets: &[(i32, i32)] = if thin { &[(0, 0), (1, 0), (0, 1)] } else { &[(0, 0)] };
                let mut r = raster(f, sc, c, q as f32 / 4.0, pad, offsets)?;
                if ink.dilate > 0.0 {
                    dilate(&mut r.cell, ink.dilate);
                }
                if ink.soften.1 > 0.0 {
                    soften(&mut r.cell, ink.soften.0, ink.soften.1);
                }
                if ink.halo.1 > 0.0 {
                    halo(&mut r.cell, ink.halo.0, ink.halo.1);
                }
                Some(r)
            })
            .as_ref()
    }

    /// Strike `c` with its pen at (x, baseline).
    #[allow(clippy::too_many_arguments)]
    pub fn strike(
        &mut self,
        page: &mut InkPage,
        c: char,
        x: f32,
        baseline: f32,
        key_ink: f32,
        noise_seed: u64,
        rng: &mut ChaCha8Rng,
    ) {
        let q = ((x - x.floor()) * 4.0).floor() as u8;
        let ink = self.ink;
        let Some(r) = self.cell(c, q) else { return };
        let (ox, oy) = (x.floor() as i32 + r.dx, baseline.round() as i32 + r.dy);
        let (bx, by, bw, bh) = r.ink_box;
        let hole_x = (bx, bx + bw.max(1.0));
        let hole_y = (by + 0.3 * bh, by + bh.max(1.0));
        if ink.fill_counters > 0.0 && rng.gen_bool(ink.fill_counters) {
            let mut cell = Cell { w: r.cell.w, h: r.cell.h, cover: r.cell.cover.clone() };
            let level = rng.gen_range(0.6..1.0);
            fill_counters(&mut cell, level);
            ink_cell(page, &cell, ox, oy, hole_x, hole_y, key_ink, &ink.strike, noise_seed, rng);
        } else {
            ink_cell(page, &r.cell, ox, oy, hole_x, hole_y, key_ink, &ink.strike, noise_seed, rng);
        }
    }
}

/// Type every glyph of `page` onto an ink layer of `w`×`h` pixels.
#[allow(clippy::too_many_arguments)]
pub fn type_page(
    page: &Page,
    typist: &mut Typist,
    keys: Option<&Typewriter>,
    w: u32,
    h: u32,
    noise_seed: u64,
    rng: &mut ChaCha8Rng,
) -> InkPage {
    let ink = typist.ink.clone();
    let mut out = InkPage::new(w, h);
    for line in &page.lines {
        if line.glyphs.is_empty() {
            continue;
        }
        // The paper does not feed perfectly square: each line drifts a little.
        let drift = rng.gen_range(-ink.line_drift..=ink.line_drift);
        let x0 = line.glyphs[0].x;
        let span = (line.glyphs.last().map(|g| g.x).unwrap_or(x0) - x0).max(1.0);
        for g in &line.glyphs {
            if g.t.c.is_whitespace() {
                continue;
            }
            let (key_dy, key_ink) = keys.map(|k| k.key(g.t.c)).unwrap_or((0.0, 1.0));
            let along = (g.x - x0) / span;
            let dy = key_dy + drift * along + rng.gen_range(-ink.jitter.1..=ink.jitter.1);
            let dx = rng.gen_range(-ink.jitter.0..=ink.jitter.0);
            let (x, y) = (g.x + dx, line.baseline + dy);
            if let Some(u) = g.t.under {
                // The wrong letter, struck first and as hard.
                let k = keys.map(|k| k.key(u).1).unwrap_or(1.0);
                typist.strike(&mut out, u, x, y, k, noise_seed, rng);
            }
            typist.strike(&mut out, g.t.c, x, y, key_ink, noise_seed, rng);
            if g.t.echo {
                // Struck again: the carriage had slipped a little.
                let ex = rng.gen_range(1.5..4.0) * if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
                let ey = rng.gen_range(-1.5..1.5);
                let k = key_ink * rng.gen_range(0.55..0.95);
                typist.strike(&mut out, g.t.c, x + ex, y + ey, k, noise_seed, rng);
            }
        }
    }
    smudge(&mut out, page, ink.smudges, noise_seed, rng);
    if ink.haze > 0.0 {
        for y in 0..h {
            for x in 0..w {
                let n = value_noise(noise_seed ^ 0xCA5B, x as f32 / 40.0, y as f32 / 40.0)
                    * value_noise(noise_seed ^ 0xCA5C, x as f32 / 400.0, y as f32 / 400.0);
                let i = (y * w + x) as usize;
                out.d[i] = 1.0 - (1.0 - out.d[i]) * (1.0 - ink.haze * n);
            }
        }
    }
    out
}

/// Smears of ink beside the type: a blotted ribbon, a finger on wet ink.
fn smudge(ink: &mut InkPage, page: &Page, n: usize, noise_seed: u64, rng: &mut ChaCha8Rng) {
    let glyphs: Vec<(f32, f32)> =
        page.lines.iter().flat_map(|l| l.glyphs.iter().map(move |g| (g.x, l.baseline))).collect();
    if glyphs.is_empty() {
        return;
    }
    for _ in 0..n {
        let (gx, gy) = glyphs[rng.gen_range(0..glyphs.len())];
        let cx = gx + rng.gen_range(-10.0..30.0);
        let cy = gy - rng.gen_range(0.0..35.0);
        let rx: f32 = rng.gen_range(4.0..16.0);
        let ry: f32 = rng.gen_range(2.0..7.0);
        let angle: f32 = rng.gen_range(0.0..std::f32::consts::PI);
        let dark: f32 = rng.gen_range(0.15..0.55);
        let (ca, sa) = (angle.cos(), angle.sin());
        let r = rx.max(ry).ceil() as i32 + 1;
        for y in (cy as i32 - r).max(0)..(cy as i32 + r).min(ink.h as i32) {
            for x in (cx as i32 - r).max(0)..(cx as i32 + r).min(ink.w as i32) {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let (u, v) = ((dx * ca + dy * sa) / rx, (-dx * sa + dy * ca) / ry);
                let d2 = u * u + v * v;
                if d2 >= 1.0 {
                    continue;
                }
                let tex = 0.5 + value_noise(noise_seed ^ 0x5A5A, x as f32 / 3.0, y as f32 / 3.0);
                let a = (dark * (1.0 - d2) * tex).clamp(0.0, 1.0);
                let i = (y as u32 * ink.w + x as u32) as usize;
                ink.d[i] = 1.0 - (1.0 - ink.d[i]) * (1.0 - a);
            }
        }
    }
}

/// Thicken strokes: each pixel takes the strongest coverage within `r` pixels (the outer ring
/// weighted by the fraction of `r` beyond the whole pixels).
fn dilate(cell: &mut Cell, r: f32) {
    let ri = r.ceil() as i32;
    let offsets: Vec<(i32, i32, f32)> = (-ri..=ri)
        .flat_map(|dy| (-ri..=ri).map(move |dx| (dx, dy)))
        .filter_map(|(dx, dy)| {
            let d = ((dx * dx + dy * dy) as f32).sqrt();
            let w = (r + 0.5 - d).clamp(0.0, 1.0);
            (w > 0.0).then_some((dx, dy, w))
        })
        .collect();
    let src = cell.cover.clone();
    for y in 0..cell.h {
        for x in 0..cell.w {
            let mut best = 0f32;
            for &(dx, dy, w) in &offsets {
                let (sx, sy) = (x + dx, y + dy);
                if sx >= 0 && sy >= 0 && sx < cell.w && sy < cell.h {
                    best = best.max(src[(sy * cell.w + sx) as usize] * w);
                }
            }
            cell.cover[(y * cell.w + x) as usize] = best;
        }
    }
}

/// Separable Gaussian blur of a cell's coverage.
fn blur(cell: &Cell, sigma: f32) -> Vec<f32> {
    let r = (3.0 * sigma).ceil() as i32;
    let kernel: Vec<f32> = (-r..=r).map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let sum: f32 = kernel.iter().sum();
    let kernel: Vec<f32> = kernel.iter().map(|k| k / sum).collect();
    let (w, h) = (cell.w, cell.h);
    let mut tmp = vec![0f32; cell.cover.len()];
    for y in 0..h {
        for x in 0..w {
            let mut acc = 0.0;
            for (k, i) in kernel.iter().zip(-r..=r) {
                let sx = x + i;
                if sx >= 0 && sx < w {
                    acc += k * cell.cover[(y * w + sx) as usize];
                }
            }
            tmp[(y * w + x) as usize] = acc;
        }
    }
    let mut out = vec![0f32; cell.cover.len()];
    for y in 0..h {
        for x in 0..w {
            let mut acc = 0.0;
            for (k, i) in kernel.iter().zip(-r..=r) {
                let sy = y + i;
                if sy >= 0 && sy < h {
                    acc += k * tmp[(sy * w + x) as usize];
                }
            }
            out[(y * w + x) as usize] = acc;
        }
    }
    out
}

/// Fuzzy strokes: a share `mix` of the stroke replaced by its blur (brightened back so thin
/// strokes do not vanish altogether).
fn soften(cell: &mut Cell, sigma: f32, mix: f32) {
    if sigma <= 0.0 {
        return;
    }
    let b = blur(cell, sigma);
    for (c, b) in cell.cover.iter_mut().zip(b) {
        *c = ((1.0 - mix) * *c + mix * (1.6 * b).min(1.0)).clamp(0.0, 1.0);
    }
}

/// Ink spreading into the paper: a dark blur around every stroke.
fn halo(cell: &mut Cell, sigma: f32, amount: f32) {
    let b = blur(cell, sigma);
    for (c, b) in cell.cover.iter_mut().zip(b) {
        *c = c.max((amount * 2.0 * b).min(1.0));
    }
}

/// Fill the closed counters of a letter (background not reachable from the cell's edge).
fn fill_counters(cell: &mut Cell, level: f32) {
    let (w, h) = (cell.w, cell.h);
    let solid: Vec<bool> = cell.cover.iter().map(|&c| c > 0.45).collect();
    let ink = |i: usize| solid[i];
    let mut outside = vec![false; cell.cover.len()];
    let mut stack: Vec<(i32, i32)> = Vec::new();
    for x in 0..w {
        stack.push((x, 0));
        stack.push((x, h - 1));
    }
    for y in 0..h {
        stack.push((0, y));
        stack.push((w - 1, y));
    }
    while let Some((x, y)) = stack.pop() {
        if x < 0 || y < 0 || x >= w || y >= h {
            continue;
        }
        let i = (y * w + x) as usize;
        if outside[i] || ink(i) {
            continue;
        }
        outside[i] = true;
        stack.extend([(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]);
    }
    for i in 0..cell.cover.len() {
        if !outside[i] && !ink(i) {
            cell.cover[i] = cell.cover[i].max(level);
        }
    }
}
