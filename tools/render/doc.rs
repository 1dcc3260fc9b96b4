//! One document: its style drawn, its text laid out on pages, each page typed and scanned.

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use rand::Rng;

use crate::encode::{encode_jpeg, encode_png};
use crate::fonts::{scale_for_em, scale_for_pitch, Class, Loaded};
use crate::ink::{ink_for, type_page, Typist};
use crate::layout::{layout, Geometry, Metrics, Page, Rules};
use crate::paper::Paper;
use crate::scan::{scan, to_gray, Scan, CANVAS_DPI};
use crate::strike::Typewriter;
use crate::style::{draw, stream, Choices, Format, Style};

pub struct Options {
    /// Shrink spacing, then type, until each form-feed chunk fits one page.
    pub fit: bool,
    pub keep_lines: bool,
    pub max_pages: Option<usize>,
}

pub struct Rendered {
    pub style: Style,
    /// Each page: image bytes and the text on it.
    pub pages: Vec<(Vec<u8>, String)>,
}

fn mm(v: f32) -> f32 {
    v / 25.4 * CANVAS_DPI as f32
}

/// Sizes for a face at `shrink` (1 = as styled): pixel scale, typewriter pitch, em in pixels.
fn sizing(face: &Loaded, style: &Style, shrink: f32) -> (PxScale, Option<f32>, f32) {
    match style.pitch_cpi {
        Some(cpi) => {
            let pitch = CANVAS_DPI as f32 / cpi * shrink;
            (scale_for_pitch(&face.font, pitch), Some(pitch), pitch / 0.6)
        }
        None => {
            let em = style.size_pt * shrink / 72.0 * CANVAS_DPI as f32;
            (scale_for_em(&face.font, em), None, em)
        }
    }
}

pub fn render(
    text: &str,
    faces: &[Loaded],
    fallbacks: &[FontVec],
    choices: &Choices,
    opts: &Options,
    seed: u64,
) -> Result<Rendered, String> {
    let (fi, mut style) = draw(text, faces, choices, seed);
    let face = &faces[fi];
    let (page_w, page_h) = (mm(choices.page.w_mm).round(), mm(choices.page.h_mm).round());
    let chunks = 1 + text.lines().filter(|l| l.trim() == "\u{c}").count();

    // Lay out; when fitting, retry with single spacing and then smaller type.
    let attempts: Vec<(f32, f32)> = if opts.fit {
        let mut a = vec![(style.spacing, 1.0)];
        for shrink in [1.0, 0.92, 0.85, 0.78, 0.72] {
            a.push((1.0, shrink));
        }
        a
    } else {
        vec![(style.spacing, 1.0)]
    };
    let base = (style.size_pt, style.pitch_cpi);
    let mut chosen = None;
    for (i, &(spacing, shrink)) in attempts.iter().enumerate() {
        let (scale, pitch, em) = sizing(face, &style, shrink);
        let m = Metrics { font: &face.font, scale, pitch };
        let sf = face.font.as_scaled(scale);
        let line_h = match pitch {
            Some(p) => p / 0.6 * spacing, // 6 lines to the inch for pica, single spaced
            None => em * 1.2 * spacing,
        };
        let indent = match pitch {
            Some(p) => style.indent_chars as f32 * p,
            None => style.indent_chars as f32 * 0.35 * em,
        };
        let [l, r, t, b] = style.margins_mm.map(mm);
        let g = Geometry { page_w, page_h, left: l, right: r, top: t, bottom: b, line_h, indent, ascent: sf.ascent() };
        let rules = Rules {
            justify: style.justify,
            para_gap: style.para_gap,
            hyphen_rate: style.hyphen_rate,
            heading: style.heading,
            heading_caps: style.heading_caps,
            page_numbers: style.page_numbers,
            folio: style.folio,
            keep_lines: opts.keep_lines,
        };
        let ink = ink_for(style.ink, style.strength, face.class, em);
        let pages = layout(text, &g, &rules, &ink.overtype, &m, &mut stream(seed, 20));
        if pages.len() <= chunks || i + 1 == attempts.len() {
            style.spacing = spacing;
            style.size_pt = (base.0 * shrink * 10.0).round() / 10.0;
            style.pitch_cpi = base.1.map(|c| (c / shrink * 10.0).round() / 10.0);
            chosen = Some((pages, scale, em, ink));
            break;
        }
    }
    let (mut pages, scale, _em, ink) = chosen.expect("at least one attempt");
    if let Some(n) = opts.max_pages {
        pages.truncate(n.max(1));
    }

    // A character the face lacks comes from a fallback face, sized to the same capitals.
    let fallback = fallbacks.iter().find(|f| style.fallback_chars.chars().all(|c| f.glyph_id(c).0 != 0)).map(|f| {
        let ratio = face.font.as_scaled(scale).ascent() / f.as_scaled(scale).ascent().max(1.0);
        (f, PxScale::from(scale.y * ratio))
    });
    let typewriter = face.class == Class::Typewriter;
    let keys = typewriter.then(|| Typewriter::new(seed, ink.bent.0, ink.bent.1));
    let mut typist = Typist::new(&face.font, scale, fallback, face.thin, &ink);

    let mut out = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let bytes = render_page(page, &mut typist, keys.as_ref(), &style, (page_w, page_h), seed, pi)?;
        out.push((bytes, page.text()));
    }
    Ok(Rendered { style, pages: out })
}

fn render_page(
    page: &Page,
    typist: &mut Typist,
    keys: Option<&Typewriter>,
    style: &Style,
    (w, h): (f32, f32),
    seed: u64,
    pi: usize,
) -> Result<Vec<u8>, String> {
    let mut rng = stream(seed, 100 + pi as u64);
    let noise_seed: u64 = rng.gen();
    let darkness = typist.ink.darkness;
    let ink = type_page(page, typist, keys, w as u32, h as u32, noise_seed, &mut rng);
    let typed = to_gray(&ink, darkness);
    drop(ink);
    let s = Scan {
        blur: style.blur,
        skew_deg: style.skew_deg,
        rotation: style.rotation,
        paper: Paper {
            tone: (style.paper_tone, 0.03, 0.012),
            grain_share: style.grain,
            grain_depth: (6, 30),
            specks: style.specks,
        },
        illumination: style.illumination,
        dpi: style.dpi,
    };
    let scanned = scan(&typed, &s, noise_seed, &mut rng);
    match style.format {
        Format::Png => encode_png(&scanned, style.dpi),
        Format::Jpeg => encode_jpeg(&scanned, style.dpi, style.jpeg_quality.unwrap_or(75)),
    }
}
