//! A document's style: face, size, ink, layout and scan, drawn at random from a seed (each
//! choice from its own stream, so fixing one choice on the command line leaves the others as
//! they were) or fixed. Recorded beside every page so measurements can be split by style.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::fonts::{missing, Class, Loaded};
use crate::ink::InkKind;
use crate::layout::PageNumbers;
use crate::noise::splitmix64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Jpeg,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PageSize {
    pub name: &'static str,
    pub w_mm: f32,
    pub h_mm: f32,
}

pub const PAGE_SIZES: &[PageSize] = &[
    PageSize { name: "a4", w_mm: 210.0, h_mm: 297.0 },
    PageSize { name: "letter", w_mm: 215.9, h_mm: 279.4 },
    PageSize { name: "a5", w_mm: 148.0, h_mm: 210.0 },
    PageSize { name: "a6", w_mm: 105.0, h_mm: 148.0 },
];

/// What the command line fixes; empty lists leave the choice to the seed.
#[derive(Clone, Debug)]
pub struct Choices {
    pub random: bool,
    /// Face names (slugs) or indices into the installed faces, already resolved.
    pub fonts: Vec<usize>,
    pub class: Option<Class>,
    pub inks: Vec<InkKind>,
    pub strengths: Vec<f32>,
    pub dpis: Vec<u32>,
    pub formats: Vec<Format>,
    pub quality: (u8, u8),
    pub rotations: Vec<u32>,
    pub spacings: Vec<f32>,
    pub skew_max: Option<f32>,
    pub page: PageSize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Style {
    pub font: String,
    pub font_class: Class,
    pub font_file: String,
    /// Characters of the text the face lacks, drawn from a fallback face.
    pub fallback_chars: String,
    pub size_pt: f32,
    /// Typewriter pitch in characters to the inch (10 pica, 12 elite); none for print.
    pub pitch_cpi: Option<f32>,
    pub ink: InkKind,
    pub strength: f32,
    pub dpi: u32,
    pub format: Format,
    pub jpeg_quality: Option<u8>,
    pub page_size: &'static str,
    /// Left, right, top, bottom.
    pub margins_mm: [f32; 4],
    pub spacing: f32,
    pub indent_chars: u32,
    pub para_gap: bool,
    pub justify: bool,
    pub hyphen_rate: f64,
    pub heading: bool,
    pub heading_caps: bool,
    pub page_numbers: PageNumbers,
    pub folio: Option<u32>,
    pub skew_deg: f32,
    pub rotation: u32,
    pub blur: f32,
    pub paper_tone: f32,
    pub illumination: f32,
    pub grain: f64,
    pub specks: usize,
}

/// A generator for one choice of one document, independent of every other choice.
pub fn stream(seed: u64, tag: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(splitmix64(seed ^ splitmix64(tag.wrapping_mul(0xA24B_AED4_963E_E407))))
}

fn pick<T: Copy>(list: &[T], default: T, rng: &mut ChaCha8Rng) -> T {
    list.choose(rng).copied().unwrap_or(default)
}

/// The face for `text`: among the allowed faces (all installed if none given) those that have
/// every letter of the text; if none has, the allowed face that lacks the fewest.
fn choose_face(text: &str, faces: &[Loaded], c: &Choices, rng: &mut ChaCha8Rng, class: Class) -> usize {
    let mut allowed: Vec<usize> = if c.fonts.is_empty() {
        (0..faces.len()).filter(|&i| faces[i].class == class).collect()
    } else {
        c.fonts.clone()
    };
    if allowed.is_empty() {
        allowed = (0..faces.len()).collect();
    }
    let gaps: Vec<usize> = allowed.iter().map(|&i| missing(&faces[i].font, text).len()).collect();
    let best = gaps.iter().copied().min().unwrap_or(0);
    let covering: Vec<usize> = allowed.iter().zip(&gaps).filter(|(_, &g)| g == best).map(|(&i, _)| i).collect();
    if !c.random && c.fonts.is_empty() {
        return covering[0];
    }
    *covering.choose(rng).expect("at least one face")
}

/// Draw the style of document `seed` for `text`: the index of its face in `faces` (non-empty)
/// and the style.
pub fn draw(text: &str, faces: &[Loaded], c: &Choices, seed: u64) -> (usize, Style) {
    let r = c.random;
    let g = |tag: u64| stream(seed, tag);

    let class = match (c.class, c.fonts.first()) {
        (Some(k), _) => k,
        (None, Some(&i)) if c.fonts.iter().all(|&j| faces[j].class == faces[i].class) => faces[i].class,
        _ if !r => Class::Typewriter,
        _ => {
            if g(1).gen_bool(0.7) {
                Class::Typewriter
            } else {
                Class::Print
            }
        }
    };
    let fi = choose_face(text, faces, c, &mut g(2), class);
    let face = &faces[fi];
    let class = face.class;
    let typewriter = class == Class::Typewriter;

    let (size_pt, pitch_cpi) = match (typewriter, r) {
        (true, false) => (12.0, Some(10.0)),
        (true, true) => {
            if g(3).gen_bool(0.7) {
                (12.0, Some(10.0))
            } else {
                (10.0, Some(12.0))
            }
        }
        (false, false) => (11.0, None),
        (false, true) => ((g(3).gen_range(9.5f32..12.5) * 2.0).round() / 2.0, None),
    };
    let ink = match (c.inks.is_empty(), r) {
        (true, true) => {
            *[InkKind::Normal, InkKind::Faint, InkKind::Heavy, InkKind::Overtype].choose(&mut g(4)).expect("list")
        }
        _ => pick(&c.inks, InkKind::Normal, &mut g(4)),
    };
    let strength = match (c.strengths.is_empty(), r) {
        (false, _) => pick(&c.strengths, 0.5, &mut g(5)),
        (true, true) => (g(5).gen_range(0.0f32..1.0) * 100.0).round() / 100.0,
        (true, false) => 0.5,
    };
    let dpi = match (c.dpis.is_empty(), r) {
        (false, _) => pick(&c.dpis, 300, &mut g(6)),
        (true, true) => *[300, 300, 300, 300, 200, 200, 150, 150, 96, 96].choose(&mut g(6)).expect("list"),
        (true, false) => 300,
    };
    let format = match (c.formats.is_empty(), r) {
        (false, _) => pick(&c.formats, Format::Png, &mut g(7)),
        (true, true) if dpi <= 150 || g(7).gen_bool(0.4) => Format::Jpeg,
        _ => Format::Png,
    };
    let jpeg_quality = (format == Format::Jpeg).then(|| g(8).gen_range(c.quality.0..=c.quality.1.max(c.quality.0)));
    let spacing = match (c.spacings.is_empty(), r) {
        (false, _) => pick(&c.spacings, 1.5, &mut g(9)),
        (true, true) if typewriter => *[1.0, 1.5, 1.5, 2.0].choose(&mut g(9)).expect("list"),
        (true, true) => *[1.0, 1.0, 1.0, 1.5].choose(&mut g(9)).expect("list"),
        (true, false) => {
            if typewriter {
                1.5
            } else {
                1.0
            }
        }
    };
    let rotation = pick(&c.rotations, 0, &mut g(10));
    let skew_max = c.skew_max.unwrap_or(if r { 3.0 } else { 0.5 });
    let skew_deg = if r {
        // Mostly slight, now and then a page laid on the glass carelessly.
        let mut s = g(11);
        let u: f32 = s.gen_range(0.0..1.0);
        ((u * u * skew_max * 100.0).round() / 100.0) * if s.gen_bool(0.5) { 1.0 } else { -1.0 }
    } else {
        skew_max
    };

    let mut l = g(12);
    let margins_mm = if r {
        [l.gen_range(20.0..35.0), l.gen_range(15.0..25.0), l.gen_range(15.0..30.0), l.gen_range(15.0..25.0)]
            .map(|v: f32| v.round())
    } else {
        [28.0, 20.0, 20.0, 20.0]
    };
    let para_gap = r && l.gen_bool(if typewriter { 0.5 } else { 0.2 });
    let indent_chars = if !r {
        5
    } else if para_gap && l.gen_bool(0.5) {
        0
    } else {
        *[3u32, 5, 5, 8].choose(&mut l).expect("list")
    };
    let justify = r && !typewriter && l.gen_bool(0.7);
    let hyphen_rate = if r && l.gen_bool(0.7) { (l.gen_range(0.3..0.9f64) * 100.0).round() / 100.0 } else { 0.0 };
    let heading = r && l.gen_bool(0.3);
    let heading_caps = heading && l.gen_bool(if typewriter { 0.6 } else { 0.3 });
    let page_numbers = if r {
        *[PageNumbers::None, PageNumbers::None, PageNumbers::TopDash, PageNumbers::TopDot, PageNumbers::Bottom]
            .choose(&mut l)
            .expect("list")
    } else {
        PageNumbers::None
    };
    let folio = (r && l.gen_bool(0.15)).then(|| l.gen_range(1..400));

    let mut w = g(13);
    let (blur, paper_tone, illumination, grain, specks) = if r {
        (
            (w.gen_range(0.5f32..1.3) * 100.0).round() / 100.0,
            (w.gen_range(0.91f32..0.98) * 1000.0).round() / 1000.0,
            if w.gen_bool(0.5) { (w.gen_range(0.03f32..0.18) * 100.0).round() / 100.0 } else { 0.0 },
            (w.gen_range(0.001f64..0.01) * 1000.0).round() / 1000.0,
            w.gen_range(100..1500),
        )
    } else {
        (0.9, 0.955, 0.0, 0.005, 900)
    };

    let fallback_chars: String = missing(&face.font, text).into_iter().collect();
    let style = Style {
        font: face.name.clone(),
        font_class: class,
        font_file: face.file.display().to_string(),
        fallback_chars,
        size_pt,
        pitch_cpi,
        ink,
        strength,
        dpi,
        format,
        jpeg_quality,
        page_size: c.page.name,
        margins_mm,
        spacing,
        indent_chars,
        para_gap,
        justify,
        hyphen_rate,
        heading,
        heading_caps,
        page_numbers,
        folio,
        skew_deg,
        rotation,
        blur,
        paper_tone,
        illumination,
        grain,
        specks,
    };
    (fi, style)
}
