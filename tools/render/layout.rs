//! Text to typed lines: paragraphs, headings, page numbers, line-end hyphenation and the
//! typist's overtyping, placed on pages. Every line keeps the text it shows (its truth), so
//! the transcription written beside a page is exactly what was typed there.

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Character widths of the face being typed with.
pub struct Metrics<'a> {
    pub font: &'a FontVec,
    pub scale: PxScale,
    /// A typewriter's fixed pitch in pixels; `None` for proportional print.
    pub pitch: Option<f32>,
}

impl Metrics<'_> {
    pub fn advance(&self, c: char) -> f32 {
        match self.pitch {
            Some(p) => p,
            None => self.font.as_scaled(self.scale).h_advance(self.font.glyph_id(c)),
        }
    }

    fn kern(&self, a: char, b: char) -> f32 {
        match self.pitch {
            Some(_) => 0.0,
            None => self.font.as_scaled(self.scale).kern(self.font.glyph_id(a), self.font.glyph_id(b)),
        }
    }

    fn width(&self, chars: &[TChar]) -> f32 {
        chars.iter().map(|t| self.advance(t.c)).sum()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageNumbers {
    None,
    /// "- 2 -" centred at the head of every page after the first.
    TopDash,
    /// "2." centred at the head of every page after the first.
    TopDot,
    /// "2" centred at the foot of every page.
    Bottom,
}

/// Where things go on the page, in pixels of the 300 dpi canvas.
#[derive(Clone, Debug)]
pub struct Geometry {
    pub page_w: f32,
    pub page_h: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
    pub line_h: f32,
    /// First-line indent of a paragraph.
    pub indent: f32,
    /// Height of capitals above the baseline (where the first line's baseline goes).
    pub ascent: f32,
}

#[derive(Clone, Debug)]
pub struct Rules {
    pub justify: bool,
    /// A blank line between paragraphs as well as the indent.
    pub para_gap: bool,
    /// Chance that a long word which does not fit is broken with a hyphen.
    pub hyphen_rate: f64,
    /// A short first paragraph becomes a centred heading, in capitals if `heading_caps`.
    pub heading: bool,
    pub heading_caps: bool,
    pub page_numbers: PageNumbers,
    /// An archive folio number at the head right, counting up from this.
    pub folio: Option<u32>,
    /// Every input line is a line of its own (wrapped only when too long).
    pub keep_lines: bool,
}

/// How often the typist overtypes (per letter, per word, per word); zeros for none.
#[derive(Clone, Copy, Debug, Default)]
pub struct Overtype {
    pub echo: f64,
    pub correct: f64,
    pub xout: f64,
}

/// One key struck: the letter left on the page, possibly over a wrong one struck first
/// (`under`), possibly struck twice (`echo`).
#[derive(Clone, Copy, Debug)]
pub struct TChar {
    pub c: char,
    pub under: Option<char>,
    pub echo: bool,
}

#[derive(Clone, Debug)]
pub struct Glyph {
    pub t: TChar,
    pub x: f32,
}

#[derive(Clone, Debug, Default)]
pub struct Line {
    pub baseline: f32,
    pub glyphs: Vec<Glyph>,
    /// What the line says: its words as the typist meant them (x'd-out words left out).
    pub truth: String,
}

#[derive(Clone, Debug, Default)]
pub struct Page {
    pub lines: Vec<Line>,
}

impl Page {
    /// The page's text: its lines in reading order, blank lines where the page has them.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            out.push_str(&l.truth);
            out.push('\n');
        }
        let t = out.trim_matches('\n');
        format!("{t}\n")
    }
}

/// A word as typed. An x'd-out word (`xout`) is on the page but not in the text.
#[derive(Clone, Debug)]
struct Tok {
    chars: Vec<TChar>,
    xout: bool,
}

impl Tok {
    fn plain(s: &str) -> Tok {
        Tok { chars: s.chars().map(|c| TChar { c, under: None, echo: false }).collect(), xout: false }
    }
    fn truth(&self) -> String {
        if self.xout {
            String::new()
        } else {
            self.chars.iter().map(|t| t.c).collect()
        }
    }
}

enum Block {
    /// A paragraph, reflowed and indented.
    Para(String),
    /// A line that stands alone: an address line, a salutation, a signature.
    Single(String),
    PageBreak,
}

/// Paragraphs are separated by blank lines; a form feed on a line of its own starts a page.
fn blocks(text: &str, keep_lines: bool, short: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut group: Vec<&str> = Vec::new();
    let flush = |group: &mut Vec<&str>, out: &mut Vec<Block>| {
        if group.is_empty() {
            return;
        }
        if keep_lines {
            out.extend(group.iter().map(|l| Block::Single(l.to_string())));
        } else if group.len() == 1 && group[0].chars().count() < short {
            out.push(Block::Single(group[0].to_string()));
        } else {
            out.push(Block::Para(group.join(" ")));
        }
        group.clear();
    };
    for raw in text.lines() {
        let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if raw.trim() == "\u{c}" {
            flush(&mut group, &mut out);
            out.push(Block::PageBreak);
        } else if line.is_empty() {
            flush(&mut group, &mut out);
        } else {
            group.push(raw.trim());
        }
    }
    flush(&mut group, &mut out);
    out
}

const VOWELS: &str = "aeiouyäöüåøæéèêáàíóòúùůýěœ\u{e2}\u{ee}\u{f4}аеёиоуыэюяѣіїѵ";

fn is_vowel(c: char) -> bool {
    VOWELS.contains(c.to_lowercase().next().unwrap_or(c))
}

/// Where to break `chars` so that the first part and its hyphen fit in `room`: after a
/// hyphen the word has, else between a vowel and a consonant, at least two letters each side.
/// Returns the length of the first part and whether a hyphen must be added.
fn split_point(chars: &[TChar], room: f32, m: &Metrics) -> Option<(usize, bool)> {
    let n = chars.len();
    let fits = |k: usize, add: bool| m.width(&chars[..k]) + if add { m.advance('-') } else { 0.0 } <= room;
    if let Some(j) = (1..n.saturating_sub(2)).rev().find(|&j| chars[j].c == '-' && fits(j + 1, false)) {
        return Some((j + 1, false));
    }
    (2..n.saturating_sub(1)).rev().find_map(|k| {
        let (a, b) = (chars[k - 1].c, chars[k].c);
        let letters = chars[..k].iter().filter(|t| t.c.is_alphabetic()).count() >= 2
            && chars[k..].iter().filter(|t| t.c.is_alphabetic()).count() >= 2;
        (a.is_alphabetic() && b.is_alphabetic() && is_vowel(a) && !is_vowel(b) && letters && fits(k, true))
            .then_some((k, true))
    })
}

/// The words of `s` as typed, with the typist's overtyping drawn from `ot`.
fn tokens(s: &str, ot: &Overtype, rng: &mut ChaCha8Rng) -> Vec<Tok> {
    let mut out = Vec::new();
    let active = ot.echo > 0.0 || ot.correct > 0.0 || ot.xout > 0.0;
    for w in s.split_whitespace() {
        let mut tok = Tok::plain(w);
        if !active {
            out.push(tok);
            continue;
        }
        let letters: Vec<usize> = (0..tok.chars.len()).filter(|&i| tok.chars[i].c.is_alphabetic()).collect();
        // A word begun wrong, x'd out and typed again: the x's cover a slip of it.
        if letters.len() >= 3 && rng.gen_bool(ot.xout) {
            let mut slip: Vec<char> = tok.chars.iter().map(|t| t.c).collect();
            let i = letters[rng.gen_range(0..letters.len() - 1)];
            slip.swap(i, i + 1);
            let cut = rng.gen_range(letters.len().min(3)..=slip.len());
            let chars = slip[..cut].iter().map(|&c| TChar { c: 'x', under: Some(c), echo: false }).collect();
            out.push(Tok { chars, xout: true });
        }
        // A wrong letter corrected by striking the right one over it: the wrong one is another
        // letter of the same word (the slip a typist's fingers make).
        if letters.len() >= 2 && rng.gen_bool(ot.correct) {
            let i = letters[rng.gen_range(0..letters.len())];
            let j = letters[rng.gen_range(0..letters.len())];
            if tok.chars[j].c != tok.chars[i].c {
                tok.chars[i].under = Some(tok.chars[j].c.to_lowercase().next().unwrap_or(tok.chars[j].c));
            }
        }
        for &i in &letters {
            if rng.gen_bool(ot.echo) {
                tok.chars[i].echo = true;
            }
        }
        out.push(tok);
    }
    out
}

/// Break tokens into lines no wider than `avail` (the first `first` narrower by the indent).
fn break_lines(
    toks: Vec<Tok>,
    first_indent: f32,
    avail: f32,
    m: &Metrics,
    hyphen_rate: f64,
    rng: &mut ChaCha8Rng,
) -> Vec<(f32, Vec<Tok>)> {
    let space = m.advance(' ');
    let mut lines: Vec<(f32, Vec<Tok>)> = Vec::new();
    let mut indent = first_indent;
    let mut cur: Vec<Tok> = Vec::new();
    let mut cur_w = 0.0f32;
    let mut queue: std::collections::VecDeque<Tok> = toks.into();
    while let Some(tok) = queue.pop_front() {
        let w = m.width(&tok.chars);
        let room = avail - indent;
        let need = if cur.is_empty() { w } else { cur_w + space + w };
        if need <= room {
            cur_w = need;
            cur.push(tok);
            continue;
        }
        let left = if cur.is_empty() { room } else { room - cur_w - space };
        let long = tok.chars.len() >= 7;
        let split = if tok.xout || (!cur.is_empty() && !(long && rng.gen_bool(hyphen_rate))) {
            None
        } else {
            split_point(&tok.chars, left, m)
        };
        match split {
            Some((k, add)) => {
                let mut head = tok.chars[..k].to_vec();
                if add {
                    head.push(TChar { c: '-', under: None, echo: false });
                }
                cur.push(Tok { chars: head, xout: false });
                queue.push_front(Tok { chars: tok.chars[k..].to_vec(), xout: false });
            }
            None if cur.is_empty() && tok.chars.len() <= 2 => cur.push(tok),
            None if cur.is_empty() => {
                // Longer than a whole line and no place to break it: cut where it fits.
                let mut k = tok.chars.len() - 1;
                while k > 1 && m.width(&tok.chars[..k]) + m.advance('-') > room {
                    k -= 1;
                }
                let mut head = tok.chars[..k].to_vec();
                head.push(TChar { c: '-', under: None, echo: false });
                cur.push(Tok { chars: head, xout: tok.xout });
                queue.push_front(Tok { chars: tok.chars[k..].to_vec(), xout: tok.xout });
            }
            None => queue.push_front(tok),
        }
        lines.push((indent, std::mem::take(&mut cur)));
        cur_w = 0.0;
        indent = 0.0;
    }
    if !cur.is_empty() {
        lines.push((indent, cur));
    }
    lines
}

/// Glyph positions of one line starting at `x0`; `extra` is added to every space (justified).
fn place(toks: &[Tok], x0: f32, extra: f32, m: &Metrics) -> (Vec<Glyph>, String) {
    let mut glyphs = Vec::new();
    let mut x = x0;
    let mut truth: Vec<String> = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        if i > 0 {
            x += m.advance(' ') + extra;
        }
        let mut prev: Option<char> = None;
        for t in &tok.chars {
            if let Some(p) = prev {
                x += m.kern(p, t.c);
            }
            glyphs.push(Glyph { t: *t, x });
            x += m.advance(t.c);
            prev = Some(t.c);
        }
        let s = tok.truth();
        if !s.is_empty() {
            truth.push(s);
        }
    }
    (glyphs, truth.join(" "))
}

/// A line to be placed: left-aligned at an indent, centred, or right-aligned; justified or not.
struct Row {
    toks: Vec<Tok>,
    align: Align,
    justify: bool,
}

enum Align {
    Left(f32),
    Centre,
    Right,
}

/// Lay `text` out on as many pages as it needs.
pub fn layout(text: &str, g: &Geometry, r: &Rules, ot: &Overtype, m: &Metrics, rng: &mut ChaCha8Rng) -> Vec<Page> {
    let avail = g.page_w - g.left - g.right;
    let chars_per_line = (avail / m.advance('n')).max(10.0) as usize;
    let mut rows: Vec<Option<Row>> = Vec::new(); // None: a blank line; also page breaks below
    let mut breaks: Vec<usize> = Vec::new(); // row indices where a new page must start
    let mut prev_para = None::<bool>;
    let blocks = blocks(text, r.keep_lines, chars_per_line * 6 / 10);
    for (bi, b) in blocks.iter().enumerate() {
        match b {
            Block::PageBreak => {
                breaks.push(rows.len());
                prev_para = None;
            }
            Block::Single(s) if bi == 0 && r.heading && s.chars().count() <= chars_per_line * 7 / 10 => {
                let s = if r.heading_caps { s.to_uppercase() } else { s.clone() };
                rows.push(Some(Row { toks: tokens(&s, ot, rng), align: Align::Centre, justify: false }));
                rows.push(None);
                prev_para = None;
            }
            Block::Single(s) => {
                if prev_para == Some(true) {
                    rows.push(None);
                }
                for (indent, toks) in break_lines(tokens(s, ot, rng), 0.0, avail, m, r.hyphen_rate, rng) {
                    rows.push(Some(Row { toks, align: Align::Left(indent), justify: false }));
                }
                prev_para = Some(false);
            }
            Block::Para(s) => {
                if prev_para == Some(false) || (prev_para == Some(true) && r.para_gap) {
                    rows.push(None);
                }
                let lines = break_lines(tokens(s, ot, rng), g.indent, avail, m, r.hyphen_rate, rng);
                let n = lines.len();
                for (i, (indent, toks)) in lines.into_iter().enumerate() {
                    rows.push(Some(Row { toks, align: Align::Left(indent), justify: r.justify && i + 1 < n }));
                }
                prev_para = Some(true);
            }
        }
    }
    paginate(rows, &breaks, g, r, m)
}

fn paginate(rows: Vec<Option<Row>>, breaks: &[usize], g: &Geometry, r: &Rules, m: &Metrics) -> Vec<Page> {
    let avail = g.page_w - g.left - g.right;
    let mut pages: Vec<Vec<Option<Row>>> = vec![Vec::new()];
    let header = |n: usize| (r.page_numbers == PageNumbers::TopDash || r.page_numbers == PageNumbers::TopDot) && n > 1;
    let has_head = |n: usize| header(n) || r.folio.is_some();
    let capacity = |n: usize| {
        let usable = g.page_h - g.top - g.bottom - g.ascent;
        let rows = (usable / g.line_h).floor() as usize + 1;
        rows.saturating_sub(if has_head(n) { 2 } else { 0 }).max(1)
    };
    for (i, row) in rows.into_iter().enumerate() {
        let cur = pages.len();
        let last = pages.last_mut().expect("one page");
        if (breaks.contains(&i) && !last.is_empty()) || last.len() >= capacity(cur) {
            pages.push(Vec::new());
        }
        let last = pages.last_mut().expect("one page");
        if row.is_none() && last.is_empty() {
            continue; // no blank line at the head of a page
        }
        last.push(row);
    }
    while pages.len() > 1 && pages.last().is_some_and(|p| p.iter().all(Option::is_none)) {
        pages.pop();
    }

    let mut out = Vec::new();
    for (pi, rows) in pages.into_iter().enumerate() {
        let n = pi + 1;
        let mut page = Page::default();
        let mut y = g.top + g.ascent;
        let head = |s: String, align: Align| Row { toks: vec![Tok::plain(&s)], align, justify: false };
        let mut top: Vec<Row> = Vec::new();
        if header(n) {
            let s = if r.page_numbers == PageNumbers::TopDash { format!("- {n} -") } else { format!("{n}.") };
            top.push(head(s, Align::Centre));
        }
        if let Some(f) = r.folio {
            top.push(head((f as usize + pi).to_string(), Align::Right));
        }
        if !top.is_empty() {
            // Folio and page number share the head line, in reading order left to right.
            for row in &top {
                page.lines.push(line_of(row, y, g, avail, m));
            }
            merge_head(&mut page);
            page.lines.push(Line { baseline: y + g.line_h, ..Line::default() });
            y += 2.0 * g.line_h;
        }
        for row in rows {
            match row {
                Some(row) => page.lines.push(line_of(&row, y, g, avail, m)),
                None => page.lines.push(Line { baseline: y, ..Line::default() }),
            }
            y += g.line_h;
        }
        if r.page_numbers == PageNumbers::Bottom {
            let yb = (g.page_h - g.bottom * 0.55).max(y + g.line_h);
            page.lines.push(line_of(&head(n.to_string(), Align::Centre), yb, g, avail, m));
        }
        out.push(page);
    }
    out
}

/// The head's pieces (page number, folio) typed on one line become one line of text.
fn merge_head(page: &mut Page) {
    if page.lines.len() == 2 {
        let b = page.lines.pop().expect("two lines");
        let a = page.lines.last_mut().expect("one line");
        a.glyphs.extend(b.glyphs);
        a.truth = format!("{} {}", a.truth, b.truth);
    }
}

fn line_of(row: &Row, baseline: f32, g: &Geometry, avail: f32, m: &Metrics) -> Line {
    let (natural, _) = place(&row.toks, 0.0, 0.0, m);
    let width = natural.last().map(|gl| gl.x + m.advance(gl.t.c)).unwrap_or(0.0);
    let gaps = row.toks.len().saturating_sub(1);
    let (x0, extra) = match row.align {
        Align::Left(indent) if row.justify && gaps > 0 => {
            (g.left + indent, ((avail - indent - width) / gaps as f32).clamp(0.0, 3.0 * m.advance(' ')))
        }
        Align::Left(indent) => (g.left + indent, 0.0),
        Align::Centre => (g.left + ((avail - width) / 2.0).max(0.0), 0.0),
        Align::Right => (g.left + (avail - width).max(0.0), 0.0),
    };
    // A typewriter only stops on its columns.
    let x0 = match m.pitch {
        Some(p) => g.left + ((x0 - g.left) / p).round() * p,
        None => x0,
    };
    let (glyphs, truth) = place(&row.toks, x0, extra, m);
    Line { baseline, glyphs, truth }
}
