//! The faces `render-pages` types with: typewriter faces laid out at a fixed pitch, print faces
//! laid out proportionally. Only faces installed on the machine (Debian packages, installed by
//! scripts/setup.sh) and covering every letter of a text are chosen for it.

use std::path::{Path, PathBuf};

use ab_glyph::{point, Font, FontVec, PxScale, ScaleFont};
use serde::Serialize;

use crate::strike::Cell;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Typewriter,
    Print,
}

/// A face in the catalogue: the first of `files` that exists is used.
pub struct Face {
    pub name: &'static str,
    pub class: Class,
    pub files: &'static [&'static str],
    /// Thin strokes (FreeMono, Liberation Mono): typed with the slug's spread, a pixel right and
    /// down as well, as real type prints bolder than these screen faces.
    pub thin: bool,
}

const fn face(name: &'static str, class: Class, files: &'static [&'static str], thin: bool) -> Face {
    Face { name, class, files, thin }
}

/// Debian packages: fonts-freefont-ttf, fonts-liberation, fonts-courier-prime,
/// fonts-gnutypewriter, fonts-paratype, fonts-dejavu-core/-extra, fonts-noto-mono, fonts-cmu,
/// fonts-oldstandard, fonts-linuxlibertine, fonts-ebgaramond.
pub const CATALOGUE: &[Face] = &[
    face("FreeMono", Class::Typewriter, &["/usr/share/fonts/truetype/freefont/FreeMono.ttf"], true),
    face(
        "Liberation Mono",
        Class::Typewriter,
        &[
            "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
        ],
        true,
    ),
    face("Courier Prime", Class::Typewriter, &["/usr/share/fonts/opentype/courier-prime/Courier Prime.otf"], false),
    face("GNU Typewriter", Class::Typewriter, &["/usr/share/fonts/truetype/gnutypewriter/GNUTypewriter.ttf"], false),
    face("PT Mono", Class::Typewriter, &["/usr/share/fonts/truetype/paratype/PTM55F.ttf"], false),
    face("DejaVu Sans Mono", Class::Typewriter, &["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"], false),
    face(
        "Noto Mono",
        Class::Typewriter,
        &[
            "/usr/share/fonts/truetype/noto/NotoMono-Regular.ttf",
            "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
        ],
        false,
    ),
    face("CMU Typewriter", Class::Typewriter, &["/usr/share/fonts/truetype/cmu/cmuntt.ttf"], true),
    face("FreeSerif", Class::Print, &["/usr/share/fonts/truetype/freefont/FreeSerif.ttf"], false),
    face(
        "Liberation Serif",
        Class::Print,
        &[
            "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
            "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        ],
        false,
    ),
    face("PT Serif", Class::Print, &["/usr/share/fonts/truetype/paratype/PTF55F.ttf"], false),
    face("Old Standard", Class::Print, &["/usr/share/fonts/truetype/fonts-oldstandard/OldStandard-Regular.ttf"], false),
    face("CMU Serif", Class::Print, &["/usr/share/fonts/truetype/cmu/cmunrm.ttf"], false),
    face("DejaVu Serif", Class::Print, &["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"], false),
    face("Linux Libertine", Class::Print, &["/usr/share/fonts/opentype/linux-libertine/LinLibertine_R.otf"], false),
    face("EB Garamond", Class::Print, &["/usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf"], false),
];

/// Consulted only for a character the chosen face lacks (a text no face covers whole).
const FALLBACKS: &[&str] =
    &["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "/usr/share/fonts/truetype/freefont/FreeSerif.ttf"];

/// A face read from disk.
pub struct Loaded {
    pub name: String,
    pub class: Class,
    pub file: PathBuf,
    pub font: FontVec,
    pub thin: bool,
}

/// `"Courier Prime"` → `"courier-prime"`: how faces are named on the command line.
pub fn slug(name: &str) -> String {
    name.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-")
}

pub fn read_font(p: &Path) -> Result<FontVec, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("cannot read font {}: {e}", p.display()))?;
    FontVec::try_from_vec(bytes).map_err(|e| format!("{} is not a usable font: {e}", p.display()))
}

/// Every catalogue face installed here, in catalogue order.
pub fn load_installed() -> Vec<Loaded> {
    CATALOGUE
        .iter()
        .filter_map(|f| {
            let file = f.files.iter().map(Path::new).find(|p| p.exists())?;
            let font = read_font(file).ok()?;
            Some(Loaded { name: f.name.to_string(), class: f.class, file: file.to_path_buf(), font, thin: f.thin })
        })
        .collect()
}

/// A face from a file given on the command line; monospace if its 'i' and 'M' are as wide.
pub fn load_file(p: &Path) -> Result<Loaded, String> {
    let font = read_font(p)?;
    let s = font.as_scaled(PxScale::from(100.0));
    let mono = (s.h_advance(font.glyph_id('i')) - s.h_advance(font.glyph_id('M'))).abs() < 0.5;
    let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or("font").to_string();
    let class = if mono { Class::Typewriter } else { Class::Print };
    Ok(Loaded { name, class, file: p.to_path_buf(), font, thin: false })
}

pub fn load_fallbacks() -> Vec<FontVec> {
    FALLBACKS.iter().map(Path::new).filter(|p| p.exists()).filter_map(|p| read_font(p).ok()).collect()
}

/// The characters of `text` (other than spaces) that `font` has no glyph for, in text order.
pub fn missing(font: &FontVec, text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if font.glyph_id(c).0 == 0 && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The pixel scale at which `font`'s em is `em_px` high.
pub fn scale_for_em(font: &FontVec, em_px: f32) -> PxScale {
    let upem = font.units_per_em().unwrap_or(1000.0);
    PxScale::from(em_px * font.height_unscaled() / upem)
}

/// The pixel scale at which a monospace `font` advances `pitch` pixels a character.
pub fn scale_for_pitch(font: &FontVec, pitch: f32) -> PxScale {
    let probe = font.as_scaled(PxScale::from(100.0)).h_advance(font.glyph_id('M'));
    PxScale::from(100.0 * pitch / probe.max(1.0))
}

/// A glyph drawn on a scratch cell, with where the cell goes relative to the pen.
pub struct Raster {
    pub cell: Cell,
    /// Offset of the cell's (0,0) from the pen position (x on the page, baseline).
    pub dx: i32,
    pub dy: i32,
    /// The glyph's ink box inside the cell: x0, y0, width, height.
    pub ink_box: (f32, f32, f32, f32),
}

/// Draw `c` with its pen at fractional x `frac` (0..1), `pad` pixels of margin around it, and
/// struck once at each of `offsets` (the impressions blend like ink over ink).
pub fn raster(font: &FontVec, scale: PxScale, c: char, frac: f32, pad: i32, offsets: &[(i32, i32)]) -> Option<Raster> {
    let g = font.glyph_id(c).with_scale_and_position(scale, point(frac, 0.0));
    let og = font.outline_glyph(g)?;
    let bb = og.px_bounds();
    let (x0, y0) = (bb.min.x as i32, bb.min.y as i32);
    let (gw, gh) = ((bb.max.x - bb.min.x) as i32, (bb.max.y - bb.min.y) as i32);
    let max_dx = offsets.iter().map(|o| o.0).max().unwrap_or(0).max(0);
    let max_dy = offsets.iter().map(|o| o.1).max().unwrap_or(0).max(0);
    let (w, h) = (gw + 2 * pad + max_dx, gh + 2 * pad + max_dy);
    let mut cover = vec![0f32; (w * h) as usize];
    og.draw(|x, y, v| {
        let v = v.clamp(0.0, 1.0);
        for &(dx, dy) in offsets {
            let i = ((y as i32 + pad + dy) * w + x as i32 + pad + dx) as usize;
            cover[i] = 1.0 - (1.0 - cover[i]) * (1.0 - v);
        }
    });
    Some(Raster {
        cell: Cell { w, h, cover },
        dx: x0 - pad,
        dy: y0 - pad,
        ink_box: (pad as f32, pad as f32, gw as f32, gh as f32),
    })
}
