//! `render-sample`: type a reading of typewritten pages onto degraded "scans".
//!
//! In:  a directory of `page-N.txt` files, each a reading of one typewritten page, one paragraph
//!      a line. Paragraphs are word-wrapped at 62 columns, first line indented. Lines of numbers
//!      only (folio and page numbers: head right, sheet number at the foot), lines mostly in
//!      capitals (headings) and lines starting with initials (signatures) stand alone.
//! Out: `page-N.png` in the output directory for each `page-N.txt`: an 8-bit grayscale A4 page at
//!      300 dpi, typed in a monospace font with typewriter wear (uneven ink, faint and misaligned
//!      letters, baseline drift) and scanner wear (slight skew, blur, paper tone, grain, specks).
//!
//! Usage: `render-sample [--font PATH] [--seed N] READING_DIR SCANS_DIR`
//!
//! Every random choice comes from a ChaCha8 generator seeded with a fixed number (mixed with the
//! page number), so the same command writes byte-identical PNGs.
//!
//! The renderer does not use the `scanproof` library, so the sample scans can be remade whatever
//! state the main crate is in. It shares its typing and paper code with `render-pages`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::{GrayImage, Luma};
use imageproc::drawing::draw_text_mut;
use imageproc::filter::gaussian_blur_f32;
use imageproc::geometric_transformations::{rotate_about_center, Interpolation};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

// Shared with `render-pages` (tools/render/): the strike of a key, paper, encoding.
use scanproof_render::encode;
use scanproof_render::paper::{age_paper, Paper};
use scanproof_render::strike::{ink_cell, Cell, InkPage, Strike, Typewriter};

/// Fonts tried in order when `--font` is not given: typewriter-like monospace with Cyrillic.
const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/freefont/FreeMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
];
/// Consulted only for characters the main font lacks (FreeMono has no U+2713 CHECK MARK, which
/// the archive's page carries as a hand-made tick).
const FALLBACK_FONTS: &[&str] =
    &["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "/usr/share/fonts/truetype/freefont/FreeSerif.ttf"];

/// The letter's date, 2 December 1946: any fixed number would do.
const DEFAULT_SEED: u64 = 19461202;
/// Bytes a committed scan may take.
const MAX_PNG_BYTES: u64 = 1_500_000;

// Page geometry, at 300 dpi. A4 is 210 x 297 mm.
const DPI: u32 = 300;
const PAGE_W: u32 = 2480;
const PAGE_H: u32 = 3508;
/// Pica typewriter: 10 characters to the inch.
const PITCH_X: f32 = 30.0;
/// One and a half line spacing at 6 lines to the inch, the usual for office letters; shrunk
/// if a page would not fit.
const PITCH_Y: f32 = 75.0;
/// Typed line length in characters.
const COLUMNS: usize = 62;
/// Paragraph indent in characters.
const INDENT: usize = 5;
/// Soviet office paper: wide left margin (for binding), ~20 mm top.
const MARGIN_LEFT: f32 = 330.0;
const MARGIN_TOP: f32 = 250.0;
const MARGIN_BOTTOM: f32 = 250.0;

/// How worn the typewriter, ribbon and scan are. Tuned so that Tesseract (`rus`) misreads
/// about 4-5% of the characters: enough for a proofing tool to face real OCR noise, not so much
/// that it cannot see what the page says.
struct Wear {
    /// How each strike inks the paper.
    strike: Strike,
    /// Per-strike random vertical and horizontal offset, in pixels.
    jitter_y: f32,
    jitter_x: f32,
    /// Share of keys whose typebar is bent: always printed a little high or low.
    bent_key_share: f64,
    /// How far a bent key prints off the line, in pixels.
    bent_key_offset: f32,
    /// Most a typed line drifts up or down across its width, in pixels.
    line_drift: f32,
    /// Gaussian blur of the scan, in pixels.
    blur: f32,
    /// Skew of the page on the scanner glass, in degrees (sign random).
    skew_deg: (f32, f32),
    /// The paper: tone, grain, specks. Tesseract reads some specks as stray punctuation, as it
    /// does on real scans; they account for much of the error rate without hiding words.
    paper: Paper,
}

const WEAR: Wear = Wear {
    strike: Strike {
        ink: 0.88,
        ink_spread: 0.13,
        faint_chance: 0.03,
        faint_range: (0.30, 0.55),
        tilt: 0.55,
        mottle: 0.45,
        dropout_chance: 0.05,
        patchy: 0.0,
    },
    jitter_y: 1.5,
    jitter_x: 1.0,
    bent_key_share: 0.2,
    bent_key_offset: 3.0,
    line_drift: 3.0,
    blur: 0.9,
    skew_deg: (0.3, 0.8),
    paper: Paper { tone: (0.955, 0.03, 0.012), grain_share: 0.005, grain_depth: (6, 30), specks: 900 },
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("render-sample: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    font: Option<PathBuf>,
    seed: u64,
    input: PathBuf,
    output: PathBuf,
}

const USAGE: &str = "usage: render-sample [--font PATH] [--seed N] READING_DIR SCANS_DIR";

fn parse_args() -> Result<Args, String> {
    let mut font = None;
    let mut seed = DEFAULT_SEED;
    let mut positional = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--font") => font = Some(PathBuf::from(args.next().ok_or(USAGE)?)),
            Some("--seed") => {
                let v = args.next().ok_or(USAGE)?;
                seed = v.to_str().and_then(|s| s.parse().ok()).ok_or("--seed wants a whole number")?;
            }
            Some("-h" | "--help") => return Err(USAGE.into()),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [input, output]: [PathBuf; 2] = positional.try_into().map_err(|_| USAGE.to_string())?;
    Ok(Args { font, seed, input, output })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let fonts = Fonts::load(args.font.as_deref())?;

    let pages = find_pages(&args.input)?;
    if pages.is_empty() {
        return Err(format!("no page-N.txt files in {}", args.input.display()));
    }
    std::fs::create_dir_all(&args.output).map_err(|e| format!("cannot create {}: {e}", args.output.display()))?;

    // Bent typebars belong to the machine, not the page: the same keys misprint on every page.
    let keys = Typewriter::new(args.seed, WEAR.bent_key_share, WEAR.bent_key_offset);

    for (n, txt) in pages {
        let text = std::fs::read_to_string(&txt).map_err(|e| format!("cannot read {}: {e}", txt.display()))?;
        let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let page = render_page(&text, &fonts, &keys, &mut rng);
        let png = encode::encode_png(&page, DPI)?;
        let out = args.output.join(format!("page-{n}.png"));
        std::fs::write(&out, &png).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        let size = png.len() as u64;
        println!("{} -> {} ({} bytes)", txt.display(), out.display(), size);
        if size > MAX_PNG_BYTES {
            return Err(format!("{} is {size} bytes, over the {MAX_PNG_BYTES} allowed", out.display()));
        }
    }
    Ok(())
}

/// `page-N.txt` files in `dir`, by page number.
fn find_pages(dir: &Path) -> Result<BTreeMap<u32, PathBuf>, String> {
    let mut pages = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(n) =
            name.strip_prefix("page-").and_then(|s| s.strip_suffix(".txt")).and_then(|s| s.parse::<u32>().ok())
        {
            pages.insert(n, entry.path());
        }
    }
    Ok(pages)
}

// ---------------------------------------------------------------------------------------------
// Fonts

struct Fonts {
    main: FontVec,
    fallbacks: Vec<FontVec>,
    /// Pixel size at which the main font's advance is one typewriter pitch.
    scale: PxScale,
}

impl Fonts {
    fn load(chosen: Option<&Path>) -> Result<Fonts, String> {
        let main = match chosen {
            Some(p) => read_font(p)?,
            None => {
                let found = FONT_CANDIDATES.iter().map(Path::new).find(|p| p.exists());
                let Some(p) = found else {
                    return Err(format!(
                        "no typewriter font found; tried {}. Install the Debian package \
                         fonts-freefont-ttf (or fonts-liberation), or pass --font PATH",
                        FONT_CANDIDATES.join(", ")
                    ));
                };
                read_font(p)?
            }
        };
        let fallbacks =
            FALLBACK_FONTS.iter().map(Path::new).filter(|p| p.exists()).filter_map(|p| read_font(p).ok()).collect();
        // Size the face so that its advance is the typewriter's pitch (monospace: any glyph).
        let probe = main.as_scaled(PxScale::from(100.0)).h_advance(main.glyph_id('M'));
        let px = 100.0 * PITCH_X / probe.max(1.0);
        Ok(Fonts { main, fallbacks, scale: PxScale::from(px) })
    }

    /// The font that has `c`, with the pixel size to draw it at.
    fn for_char(&self, c: char) -> (&FontVec, PxScale) {
        if self.main.glyph_id(c).0 != 0 {
            return (&self.main, self.scale);
        }
        for f in &self.fallbacks {
            if f.glyph_id(c).0 != 0 {
                // Match the fallback's cap height to the main font's so the mark sits in line.
                let ratio = self.main.as_scaled(self.scale).ascent() / f.as_scaled(self.scale).ascent().max(1.0);
                return (f, PxScale::from(self.scale.y * ratio));
            }
        }
        (&self.main, self.scale)
    }
}

fn read_font(p: &Path) -> Result<FontVec, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("cannot read font {}: {e}", p.display()))?;
    FontVec::try_from_vec(bytes).map_err(|e| format!("{} is not a usable font: {e}", p.display()))
}

// ---------------------------------------------------------------------------------------------
// Layout: from the reading's lines to typed lines on a grid of columns and rows.

/// One typed line: the column where it starts and its text. `None` is a blank line.
type Typed = Option<(usize, String)>;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Header,
    Heading,
    Body,
    Closing,
}

/// Folio and page numbers, archive references, the tick at the foot: digits and marks only.
fn is_number_line(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_digit() || " .,-\u{2013}\u{2014}\u{2713}".contains(c))
}

/// "МОСКВА", "ЦК ВКП(б) ТОВАРИЩУ СТАЛИНУ": mostly capitals.
fn is_heading(s: &str) -> bool {
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    let lower = s.chars().filter(|c| c.is_lowercase()).count();
    upper > 0 && upper > lower
}

/// "М. Д. Багиров.": initials first.
fn is_signature(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    c.len() >= 6 && c[0].is_uppercase() && c[1] == '.' && c[2] == ' ' && c[3].is_uppercase() && c[4] == '.'
}

/// Word-wrap a paragraph into lines of at most `COLUMNS` characters, the first indented.
fn wrap(paragraph: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut col = INDENT;
    let mut cur = String::new();
    for word in paragraph.split_whitespace() {
        let len = cur.chars().count();
        let extra = if cur.is_empty() { 0 } else { 1 } + word.chars().count();
        if !cur.is_empty() && col + len + extra > COLUMNS {
            lines.push((col, std::mem::take(&mut cur)));
            col = 0;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push((col, cur));
    }
    lines
}

/// Lay a page out: typed lines in reading order, and the sheet number that goes at the foot.
fn layout(text: &str) -> (Vec<Typed>, Option<String>) {
    let mut src: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    // The archive numbers each sheet at the foot; the reading gives that number last.
    let footer = match src.last() {
        Some(l) if is_number_line(l) && l.chars().count() <= 4 => src.pop().map(String::from),
        _ => None,
    };
    let first_body = src.iter().position(|l| !is_number_line(l)).unwrap_or(src.len());

    let mut out: Vec<Typed> = Vec::new();
    let mut prev: Option<Kind> = None;
    for (i, line) in src.iter().enumerate() {
        let len = line.chars().count();
        let (kind, typed) = if is_number_line(line) && i < first_body {
            // Folio and page numbers at the head: the typist's page number ("3.") centred, the
            // archive's folio stamp and references to the right.
            let is_page_no = line.ends_with('.') && len <= 3;
            let col = if is_page_no { (COLUMNS - len) / 2 } else { COLUMNS.saturating_sub(len) };
            (Kind::Header, vec![(col, line.to_string())])
        } else if is_number_line(line) {
            (Kind::Closing, vec![(0, line.to_string())])
        } else if is_heading(line) && len <= COLUMNS {
            (Kind::Heading, vec![(0, line.to_string())])
        } else if is_signature(line) && len <= COLUMNS {
            (Kind::Closing, vec![(COLUMNS / 2 + 4, line.to_string())])
        } else {
            (Kind::Body, wrap(line))
        };
        // A blank line between the head, the address, the letter and its close.
        if prev.is_some_and(|p| p != kind) {
            out.push(None);
        }
        prev = Some(kind);
        out.extend(typed.into_iter().map(Some));
    }
    (out, footer)
}

// ---------------------------------------------------------------------------------------------
// Typing

fn render_page(text: &str, fonts: &Fonts, keys: &Typewriter, rng: &mut ChaCha8Rng) -> GrayImage {
    let (lines, footer) = layout(text);
    let footer_y = PAGE_H as f32 - MARGIN_BOTTOM;
    // Keep clear of the foot; tighten the spacing if a long page needs it.
    let room = footer_y - PITCH_Y - MARGIN_TOP;
    let pitch_y = PITCH_Y.min(room / lines.len().max(1) as f32);

    // Ink density, 0 (paper) to 1 (solid ink), for the whole page.
    let mut ink = InkPage::new(PAGE_W, PAGE_H);
    let noise_seed: u64 = rng.gen();
    let ascent = fonts.main.as_scaled(fonts.scale).ascent();

    let type_line = |ink: &mut InkPage, rng: &mut ChaCha8Rng, col: usize, s: &str, baseline: f32| {
        // The paper does not feed perfectly square: each line drifts a little.
        let drift = rng.gen_range(-WEAR.line_drift..=WEAR.line_drift);
        let line_len = (s.chars().count() as f32 * PITCH_X).max(1.0);
        for (i, c) in s.chars().enumerate() {
            if c.is_whitespace() {
                continue;
            }
            let x = MARGIN_LEFT + (col + i) as f32 * PITCH_X;
            let along = i as f32 * PITCH_X / line_len;
            let (key_dy, key_ink) = keys.key(c);
            let dy = key_dy + drift * along + rng.gen_range(-WEAR.jitter_y..=WEAR.jitter_y);
            let dx = rng.gen_range(-WEAR.jitter_x..=WEAR.jitter_x);
            strike(ink, fonts, c, x + dx, baseline + dy, key_ink, noise_seed, rng);
        }
    };

    for (row, line) in lines.iter().enumerate() {
        if let Some((col, s)) = line {
            let baseline = MARGIN_TOP + ascent + row as f32 * pitch_y;
            type_line(&mut ink, rng, *col, s, baseline);
        }
    }
    if let Some(f) = footer {
        let col = (COLUMNS - f.chars().count()) / 2;
        type_line(&mut ink, rng, col, &f, footer_y);
    }

    // Ribbon ink is a dark grey, never pure black.
    let typed = GrayImage::from_fn(PAGE_W, PAGE_H, |x, y| {
        let d = ink.d[(y * PAGE_W + x) as usize].min(1.0);
        Luma([(255.0 - 232.0 * d).round() as u8])
    });
    drop(ink);

    // Scanner optics and ink spread soften every edge.
    let blurred = gaussian_blur_f32(&typed, WEAR.blur);
    // The sheet lies slightly askew on the glass.
    let angle = rng.gen_range(WEAR.skew_deg.0..=WEAR.skew_deg.1) * if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
    let mut page = rotate_about_center(&blurred, angle.to_radians(), Interpolation::Bilinear, Luma([255]));

    age_paper(&mut page, noise_seed, &WEAR.paper, rng);
    page
}

/// Strike one key: draw `c` with its baseline at (x, baseline) and add its ink to the page.
#[allow(clippy::too_many_arguments)]
fn strike(
    ink: &mut InkPage,
    fonts: &Fonts,
    c: char,
    x: f32,
    baseline: f32,
    key_ink: f32,
    noise_seed: u64,
    rng: &mut ChaCha8Rng,
) {
    let (font, scale) = fonts.for_char(c);
    let sf = font.as_scaled(scale);
    // Draw the glyph alone on a scratch cell, so its ink can be varied before it meets the page.
    let pad = 8i32;
    let cell_w = (PITCH_X * 2.0) as i32 + 2 * pad;
    let cell_h = (sf.ascent() - sf.descent()).ceil() as i32 + 2 * pad;
    let mut cell = GrayImage::from_pixel(cell_w as u32, cell_h as u32, Luma([255]));
    let mut s = [0u8; 4];
    let glyph = c.encode_utf8(&mut s);
    // Centre the glyph in its typewriter cell (fallback glyphs may be wider or narrower).
    let adv = sf.h_advance(font.glyph_id(c));
    let gx = pad + ((PITCH_X - adv) / 2.0).round() as i32;
    // Typewriter type prints bolder than the thin Courier-like face: the slug's impression
    // spreads. Strike the glyph a pixel to the right and a pixel down as well; thickening the
    // horizontal strokes too keeps the feet of д and Д and the hook of л from vanishing.
    for (dx, dy) in [(0, 0), (1, 0), (0, 1)] {
        draw_text_mut(&mut cell, Luma([0]), gx + dx, pad + dy, scale, font, glyph);
    }
    let cover = cell.pixels().map(|p| (255 - p[0]) as f32 / 255.0).collect();
    let cell = Cell { w: cell_w, h: cell_h, cover };

    // Cell (0,0) sits here on the page: the glyph's top line is `ascent` above its baseline.
    let ox = x.round() as i32 - pad;
    let oy = (baseline - sf.ascent()).round() as i32 - pad;
    let hole_x = (pad as f32, pad as f32 + PITCH_X);
    let hole_y = (pad as f32 + 0.3 * sf.ascent(), pad as f32 + sf.ascent());
    ink_cell(ink, &cell, ox, oy, hole_x, hole_y, key_ink, &WEAR.strike, noise_seed, rng);
}
