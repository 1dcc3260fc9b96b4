//! `render-pages`: type plain text onto page images in a chosen or seeded-random style, for
//! training and measuring the checker on varied pages (typewriter and print faces, faint carbon
//! and heavy ink, overtyping, skew, turned pages, small web-copy type).
//!
//! In:  plain-text documents (UTF-8; paragraphs separated by blank lines, a form feed on a line
//!      of its own starts a new page), as files or a `--list` of `id<TAB>lang<TAB>path`.
//! Out: in the `eval` layout, for each document ID and page NN: `OUT/ID_NN.png|jpg`, the text
//!      on that page as typed `OUT/ID_NN.txt`, its style `OUT/ID_NN.json`; the whole text of
//!      each document `OUT/documents/ID.txt`; and `OUT/manifest.csv` for `scanproof batch`.
//!
//! Deterministic: every random choice comes from ChaCha8 streams seeded with `--seed` and the
//! document id, so the same command writes byte-identical files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::fonts::{self, slug, Class, Loaded};
use crate::ink::InkKind;
use crate::style::{self, Choices, Format, PAGE_SIZES};
use crate::{doc, manifest, noise};

#[derive(Parser)]
#[command(name = "render-pages", about = "Type plain text onto page images (synthetic scans) in varied styles")]
struct Cli {
    /// Plain-text documents; the id is the file name without its extension.
    texts: Vec<PathBuf>,
    /// A list of documents, one a line: id, Tesseract language and text path, tab-separated
    /// (paths relative to the list).
    #[arg(long)]
    list: Option<PathBuf>,
    /// Output folder.
    #[arg(short, long, required_unless_present = "list_fonts")]
    out: Option<PathBuf>,
    /// Tesseract language recorded for documents given as files.
    #[arg(long, default_value = "eng")]
    lang: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// `random`: every choice drawn from the seed; `fixed`: one plain style (FreeMono pica,
    /// normal ink, 300 dpi PNG). Options below fix a choice either way.
    #[arg(long, default_value = "random")]
    style: String,
    /// Faces to choose from (names as --list-fonts prints them, or font files).
    #[arg(long, value_delimiter = ',')]
    font: Vec<String>,
    /// typewriter or print.
    #[arg(long)]
    class: Option<String>,
    /// Inks to choose from: normal, faint, heavy, overtype.
    #[arg(long, value_delimiter = ',')]
    ink: Vec<String>,
    /// Ink strengths to choose from, 0 (mild) to 1 (severe); random in 0..1 if not given.
    #[arg(long, value_delimiter = ',')]
    strength: Vec<f32>,
    /// Resolutions to choose from (the page is drawn at 300 dpi and scaled).
    #[arg(long, value_delimiter = ',')]
    dpi: Vec<u32>,
    /// png, jpeg.
    #[arg(long, value_delimiter = ',')]
    format: Vec<String>,
    /// JPEG quality range, LO-HI.
    #[arg(long, default_value = "50-90")]
    quality: String,
    /// Whole-page turns to choose from (clockwise degrees: 0, 90, 180, 270).
    #[arg(long, value_delimiter = ',')]
    rotate: Vec<u32>,
    /// Line spacings to choose from (1, 1.5, 2).
    #[arg(long, value_delimiter = ',')]
    spacing: Vec<f32>,
    /// Largest skew in degrees (random styles), or the skew (fixed style).
    #[arg(long)]
    skew: Option<f32>,
    /// Paper size: a4, letter, a5, a6.
    #[arg(long, default_value = "a4")]
    page: String,
    /// Shrink spacing and type until each page of the text (form-feed chunk) fits one page.
    #[arg(long)]
    fit: bool,
    /// Keep every input line as a line (no reflowing into paragraphs).
    #[arg(long)]
    keep_lines: bool,
    /// Keep at most this many pages of each document.
    #[arg(long)]
    max_pages: Option<usize>,
    /// Documents rendered at once.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Print the installed faces and the scripts they cover, then exit.
    #[arg(long)]
    list_fonts: bool,
}

struct Job {
    id: String,
    lang: String,
    path: PathBuf,
}

/// The `render-pages` command.
pub fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("render-pages: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let cli = Cli::parse();
    let mut faces = fonts::load_installed();
    if cli.list_fonts {
        for f in &faces {
            let latin = fonts::missing(&f.font, "äöüßčřšžåøæéèçłńőű").is_empty();
            let cyr = fonts::missing(&f.font, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя").is_empty();
            let old = fonts::missing(&f.font, "ѣіѳ").is_empty();
            println!(
                "{:<18} {:<10} latin-ext {:<3} cyrillic {:<3} pre-reform {:<3} {}",
                slug(&f.name),
                format!("{:?}", f.class).to_lowercase(),
                yes(latin),
                yes(cyr),
                yes(old),
                f.file.display()
            );
        }
        return Ok(());
    }
    let out = cli.out.clone().expect("clap requires --out");
    let choices = choices(&cli, &mut faces)?;
    if faces.is_empty() {
        return Err("no fonts installed: run scripts/setup.sh (fonts-freefont-ttf and others)".into());
    }
    let jobs = jobs(&cli)?;
    if jobs.is_empty() {
        return Err("no documents: give text files or --list FILE".into());
    }
    std::fs::create_dir_all(out.join("documents")).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let fallbacks = fonts::load_fallbacks();
    let opts = doc::Options { fit: cli.fit, keep_lines: cli.keep_lines, max_pages: cli.max_pages };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cli.jobs.max(1))
        .build()
        .map_err(|e| format!("cannot start workers: {e}"))?;
    let results: Vec<Result<String, String>> = pool.install(|| {
        jobs.par_iter().map(|job| render_job(job, &faces, &fallbacks, &choices, &opts, cli.seed, &out)).collect()
    });
    let mut failed = 0;
    for r in results {
        match r {
            Ok(line) => println!("{line}"),
            Err(e) => {
                eprintln!("render-pages: {e}");
                failed += 1;
            }
        }
    }
    manifest::write(&out)?;
    if failed > 0 {
        return Err(format!("{failed} document(s) failed"));
    }
    Ok(())
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// What a page's JSON says: the document, the page, and the style.
#[derive(Serialize)]
struct PageInfo<'a> {
    document: &'a str,
    page: usize,
    pages: usize,
    lang: &'a str,
    image: String,
    source: String,
    seed: u64,
    #[serde(flatten)]
    style: &'a style::Style,
}

fn render_job(
    job: &Job,
    faces: &[Loaded],
    fallbacks: &[ab_glyph::FontVec],
    choices: &Choices,
    opts: &doc::Options,
    seed: u64,
    out: &Path,
) -> Result<String, String> {
    let raw = std::fs::read(&job.path).map_err(|e| format!("cannot read {}: {e}", job.path.display()))?;
    let text = String::from_utf8(raw).map_err(|_| format!("{} is not UTF-8 text", job.path.display()))?;
    let text = clean(&text);
    if text.split_whitespace().next().is_none() {
        return Err(format!("{} has no text", job.path.display()));
    }
    let doc_seed = noise::splitmix64(seed ^ fnv1a(job.id.as_bytes()));
    let r = doc::render(&text, faces, fallbacks, choices, opts, doc_seed)?;
    let n = r.pages.len();
    let ext = match r.style.format {
        Format::Png => "png",
        Format::Jpeg => "jpg",
    };
    let mut whole = String::new();
    for (i, (bytes, page_text)) in r.pages.iter().enumerate() {
        let stem = format!("{}_{:02}", job.id, i + 1);
        let image = format!("{stem}.{ext}");
        write(&out.join(&image), bytes)?;
        write(&out.join(format!("{stem}.txt")), page_text.as_bytes())?;
        let info = PageInfo {
            document: &job.id,
            page: i + 1,
            pages: n,
            lang: &job.lang,
            image,
            source: job.path.display().to_string(),
            seed,
            style: &r.style,
        };
        let json = serde_json::to_string_pretty(&info).map_err(|e| e.to_string())? + "\n";
        write(&out.join(format!("{stem}.json")), json.as_bytes())?;
        if i > 0 {
            whole.push('\n');
        }
        whole.push_str(page_text);
    }
    write(&out.join("documents").join(format!("{}.txt", job.id)), whole.as_bytes())?;
    let s = &r.style;
    Ok(format!(
        "{}: {n} page(s), {} {}pt, {:?} ink {:.2}, {} dpi {:?}, skew {:.2}, turned {}",
        job.id, s.font, s.size_pt, s.ink, s.strength, s.dpi, s.format, s.skew_deg, s.rotation
    ))
}

fn write(p: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(p, bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))
}

/// NFC (faces have precomposed letters), tabs to spaces, no control characters but line ends
/// and form feeds.
fn clean(text: &str) -> String {
    let t: String = text.trim_start_matches('\u{feff}').nfc().collect();
    t.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|&c| c == '\n' || c == '\u{c}' || !c.is_control())
        .collect::<String>()
        .replace('\u{c}', "\n\u{c}\n")
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

fn jobs(cli: &Cli) -> Result<Vec<Job>, String> {
    let mut jobs = Vec::new();
    for p in &cli.texts {
        let id = p.file_stem().and_then(|s| s.to_str()).ok_or(format!("{}: no usable file name", p.display()))?;
        jobs.push(Job { id: id.to_string(), lang: cli.lang.clone(), path: p.clone() });
    }
    if let Some(list) = &cli.list {
        let text = std::fs::read_to_string(list).map_err(|e| format!("cannot read {}: {e}", list.display()))?;
        let base = list.parent().unwrap_or(Path::new("."));
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let [id, lang, path] = f[..] else {
                return Err(format!("{} line {}: want id, lang and path separated by tabs", list.display(), n + 1));
            };
            jobs.push(Job { id: id.to_string(), lang: lang.to_string(), path: base.join(path) });
        }
    }
    for j in &jobs {
        if j.id.is_empty() || j.id.contains(['/', '\\']) || j.id.starts_with('.') {
            return Err(format!("{}: document id {:?} is not a plain file name", j.path.display(), j.id));
        }
    }
    let mut ids: Vec<&str> = jobs.iter().map(|j| j.id.as_str()).collect();
    ids.sort();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("document id {} is given twice", w[0]));
    }
    Ok(jobs)
}

/// The command line's constraints, checked. Font files given by path join `faces`.
fn choices(cli: &Cli, faces: &mut Vec<Loaded>) -> Result<Choices, String> {
    let random = match cli.style.as_str() {
        "random" => true,
        "fixed" => false,
        s => return Err(format!("--style {s}: want random or fixed")),
    };
    let mut fonts = Vec::new();
    for f in &cli.font {
        if f.contains('/') || f.ends_with(".ttf") || f.ends_with(".otf") {
            faces.push(fonts::load_file(Path::new(f))?);
            fonts.push(faces.len() - 1);
        } else {
            let i = faces.iter().position(|x| slug(&x.name) == slug(f)).ok_or_else(|| {
                let names: Vec<String> = faces.iter().map(|x| slug(&x.name)).collect();
                format!("--font {f}: not installed; installed: {}", names.join(", "))
            })?;
            fonts.push(i);
        }
    }
    let class = match cli.class.as_deref() {
        None => None,
        Some("typewriter") => Some(Class::Typewriter),
        Some("print") => Some(Class::Print),
        Some(s) => return Err(format!("--class {s}: want typewriter or print")),
    };
    let inks = cli
        .ink
        .iter()
        .map(|s| InkKind::parse(s).ok_or(format!("--ink {s}: want normal, faint, heavy or overtype")))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(s) = cli.strength.iter().find(|s| !(0.0..=1.0).contains(*s)) {
        return Err(format!("--strength {s}: want 0 to 1"));
    }
    if let Some(d) = cli.dpi.iter().find(|d| !(50..=600).contains(*d)) {
        return Err(format!("--dpi {d}: want 50 to 600"));
    }
    let formats = cli
        .format
        .iter()
        .map(|s| match s.as_str() {
            "png" => Ok(Format::Png),
            "jpeg" | "jpg" => Ok(Format::Jpeg),
            _ => Err(format!("--format {s}: want png or jpeg")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let quality = cli
        .quality
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<u8>().ok()?, b.parse::<u8>().ok()?)))
        .filter(|(a, b)| (1..=100).contains(a) && (1..=100).contains(b) && a <= b)
        .ok_or(format!("--quality {}: want LO-HI within 1-100", cli.quality))?;
    if let Some(r) = cli.rotate.iter().find(|r| ![0, 90, 180, 270].contains(*r)) {
        return Err(format!("--rotate {r}: want 0, 90, 180 or 270"));
    }
    if let Some(s) = cli.spacing.iter().find(|s| !(0.8..=3.0).contains(*s)) {
        return Err(format!("--spacing {s}: want 1, 1.5 or 2"));
    }
    if let Some(s) = cli.skew.filter(|s| s.abs() > 10.0) {
        return Err(format!("--skew {s}: want at most 10 degrees"));
    }
    let page = *PAGE_SIZES
        .iter()
        .find(|p| p.name == cli.page)
        .ok_or(format!("--page {}: want a4, letter, a5 or a6", cli.page))?;
    Ok(Choices {
        random,
        fonts,
        class,
        inks,
        strengths: cli.strength.clone(),
        dpis: cli.dpi.clone(),
        formats,
        quality,
        rotations: cli.rotate.clone(),
        spacings: cli.spacing.clone(),
        skew_max: cli.skew,
        page,
    })
}
