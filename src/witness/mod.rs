//! Witness: a translation read independently from the same scans, as a second witness to the
//! transcript. In goes the transcript, its alignment with the scans and a translation (named
//! with `--witness`, or found at the end of the transcript itself); out come `Findings`:
//! transcript names and numbers that the translation's own paragraph contradicts, each with the
//! translation's form spelled back into the original's script. It weighs nothing (that is
//! `evidence::witness`) and judges no OCR.

pub mod names;
pub mod numbers;
pub mod paragraphs;
pub mod translit;

use crate::align::{Alignment, StepKind};
use crate::error::{Error, Result};
use crate::lexicon::{Lexicon, Verdict};
use crate::transcript::{tokenize, word_core};
use crate::types::{Discrepancy, DiscrepancyKind, Flag, OcrPage, Token, Transcript, TranslationIssue};
pub use numbers::Lang;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use translit::Script;

/// A translation given on the command line.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    /// From `FILE:LANG`; guessed from the text when absent.
    pub lang: Option<Lang>,
}

/// Read `FILE[:LANG]` (LANG a Tesseract code: eng, deu, rus).
pub fn read_source(arg: &str) -> Result<Source> {
    let (path, lang) = match arg.rsplit_once(':') {
        Some((p, l)) if (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()) && !p.is_empty() => {
            (p, Some(Lang::from_code(l)))
        }
        _ => (arg, None),
    };
    let path = PathBuf::from(path);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let text = crate::transcript::decode(&path, &bytes)?;
    if text.trim().is_empty() {
        return Err(Error::BadInput { path, reason: "the witness (translation) is empty".into() });
    }
    Ok(Source { path, text, lang })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Name,
    Initial,
    Number,
}

/// One place where the translation contradicts the transcript.
#[derive(Debug, Clone)]
pub struct Finding {
    pub what: What,
    /// Transcript tokens («Пале ган» is two).
    pub tokens: Range<usize>,
    /// The transcript's word(s), as cores.
    pub original: String,
    /// The translation's word(s).
    pub witness: String,
    /// The translation's words as code points of the witness text.
    pub witness_chars: Range<usize>,
    /// The original as the translation has it («Джавид» for «Джавил»).
    pub suggestion: String,
    /// The translated passage around the word, for the reviewer.
    pub passage: String,
    /// Why the suggested form is likely: the transcript writes it elsewhere, or it is a word.
    pub support: Option<String>,
    /// The transcript spells it so at this many places, each against the translation: the
    /// translation's spelling is then the likelier slip, and the finding is for its editors.
    pub established: Option<usize>,
    /// For numbers: the values (original, translation).
    pub values: Option<(u64, u64)>,
}

/// What the translation says against the transcript.
#[derive(Debug, Clone)]
pub struct Findings {
    /// Where the translation came from, for notes ("the transcript's own translation").
    pub origin: String,
    pub lang: Lang,
    pub findings: Vec<Finding>,
    pub params: Params,
    /// Each aligned stretch of the original (token range) with its translation's names and
    /// their passages: what the scan's own reading is checked against when the transcript's
    /// word is no name (a dictionary word in a name's place).
    pub scopes: Vec<Scope>,
}

#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub original: Range<usize>,
    /// (the translation's name, its passage)
    pub names: Vec<(String, String)>,
}

/// Settings of the cross-check; each value was read off the sample's names and numbers.
#[derive(Debug, Clone)]
pub struct Params {
    /// At most this cost (in letters) two spellings are one name: two cheap renderings
    /// (к/q and е/a in Кавам / Qavam) but not one wrong letter (Джавил / Javid costs 1.0).
    pub agree: f32,
    /// At most this cost per letter of the longer stem a translation's word is still the
    /// counterpart of the original's (Садыкова / Sadchikov, 0.35); with more than two letters
    /// in five wrong the two are different words that happen to share a few letters.
    pub counterpart: f32,
    /// Another spelling in the transcript must match the translation better by this much
    /// before it is taken as the document's own (Кавам against Кавем for "Qavam").
    pub better_by: f32,
    /// A spelling the transcript repeats at this many places is the document's own, not a
    /// slip: a typist does not repeat a slip three times, a translator keeps a rendering.
    pub established: usize,
    /// The translation counts as found in the transcript when its letters are at least this
    /// share of the original's (a citation header or an editor's note is far shorter).
    pub min_share: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params { agree: 0.75, counterpart: 0.4, better_by: 0.25, established: 3, min_share: 0.4 }
    }
}

/// A reading says just what the translation says when it costs at most one cheap rendering
/// (е / a in меджлис / Majlis); «Камсе» for "Khams" is only loosely the same.
const STRICT: f32 = 0.35;

/// One side of the comparison: a text, its word tokens, and the paragraphs (token ranges) that
/// belong to this side.
struct Side<'a> {
    text: &'a str,
    tokens: &'a [Token],
    paragraphs: Vec<Range<usize>>,
    lang: Lang,
}

/// Paragraphs as token ranges.
type Paragraphs = Vec<Range<usize>>;

/// The paragraphs of `tokens[range]`: a blank line between two words parts them.
fn split_paragraphs(text: &str, tokens: &[Token], range: Range<usize>) -> Vec<Range<usize>> {
    let mut paragraphs: Vec<Range<usize>> = Vec::new();
    let mut start = range.start;
    for i in range.start + 1..range.end {
        let gap = &text[tokens[i - 1].bytes.end..tokens[i].bytes.start];
        if gap.matches('\n').count() >= 2 {
            paragraphs.push(start..i);
            start = i;
        }
    }
    if start < range.end {
        paragraphs.push(start..range.end);
    }
    paragraphs
}

fn script_of(text: &str, tokens: &[Token], p: &Range<usize>) -> (Option<Script>, usize) {
    translit::dominant_script(&text[tokens[p.start].bytes.start..tokens[p.end - 1].bytes.end])
}

impl<'a> Side<'a> {
    fn core(&self, i: usize) -> String {
        word_core(&self.tokens[i].text)
    }

    /// Whether token `i` starts a sentence (after . ! ? : or a quote, or at a paragraph start).
    fn sentence_initial(&self, i: usize, paragraph_start: usize) -> bool {
        if i == paragraph_start {
            return true;
        }
        let prev = self.tokens[i - 1].text.trim_end_matches(['"', '»', '“', '”', ')', ']']);
        prev.ends_with(['.', '!', '?', ':', ';']) || self.tokens[i].text.starts_with(['"', '«', '“', '„'])
    }
}

/// A name-like word (or two, joined) of one side.
#[derive(Debug, Clone)]
struct NameAt {
    tokens: Range<usize>,
    form: String,
}

/// Whether a word is a name for the comparison: letters only (hyphens allowed), three or more,
/// and capitalized inside a sentence or unknown to the dictionary.
fn name_like(core: &str, initial: bool, lexicon: &Lexicon) -> bool {
    let letters = core.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 || !core.chars().all(|c| c.is_alphabetic() || c == '-') {
        return false;
    }
    let capital = core.chars().next().is_some_and(char::is_uppercase);
    if lexicon.is_empty() {
        return capital && !initial;
    }
    (capital && !initial) || lexicon.verdict(core) == Verdict::Unknown
}

fn names_of(side: &Side, paragraph: &Range<usize>, lexicon: &Lexicon) -> Vec<NameAt> {
    paragraph
        .clone()
        .filter_map(|i| {
            let core = side.core(i);
            // A short word with a full stop is an abbreviation (Cde., Dr., тов.), not a name.
            if core.chars().count() <= 3 && side.tokens[i].text.trim_end_matches(['"', '»', ')']).ends_with('.') {
                return None;
            }
            name_like(&core, side.sentence_initial(i, paragraph.start), lexicon)
                .then(|| NameAt { tokens: i..i + 1, form: core })
        })
        .collect()
}

/// Initials directly before token `i` («И. Д.» before «Багиров»), as letters.
fn initials_before(side: &Side, i: usize, floor: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut k = i;
    while k > floor {
        let t = &side.tokens[k - 1].text;
        let core = word_core(t);
        if core.chars().count() == 1 && core.chars().all(char::is_uppercase) && t.trim_end().ends_with('.') {
            out.push((k - 1, core));
            k -= 1;
        } else {
            break;
        }
    }
    out.reverse();
    out
}

/// The translated passage around one word: the paragraph, cut to about 60 characters either
/// side on word boundaries.
fn passage(text: &str, tokens: &[Token], paragraph: &Range<usize>, at: &Range<usize>) -> String {
    const SIDE: usize = 60;
    let (mut a, mut b) = (at.start, at.end);
    let len = |a: usize, b: usize| text[tokens[a].bytes.start..tokens[b - 1].bytes.end].chars().count();
    while a > paragraph.start && len(a - 1, at.end) <= SIDE + len(at.start, at.end) {
        a -= 1;
    }
    while b < paragraph.end && len(at.start, b + 1) <= SIDE + len(at.start, at.end) {
        b += 1;
    }
    let mut s: String =
        text[tokens[a].bytes.start..tokens[b - 1].bytes.end].split_whitespace().collect::<Vec<_>>().join(" ");
    if a > paragraph.start {
        s.insert(0, '…');
    }
    if b < paragraph.end {
        s.push('…');
    }
    s
}

/// Find the translation inside the transcript: the longest run of paragraphs in another script
/// than the scanned region's, about as long as the original (a citation header or an editor's
/// note is far shorter). It may follow the original outside the scanned region, or lie inside
/// it when the scan's reading is the transcript itself. Returns the original's paragraphs
/// (in the region, in its script) and the translation's.
fn embedded_translation(
    transcript: &Transcript,
    alignment: &Alignment,
    script: Script,
    params: &Params,
) -> Option<(Paragraphs, Paragraphs)> {
    let (text, tokens, region) = (&transcript.text, &transcript.tokens, &alignment.region);
    let all = split_paragraphs(text, tokens, 0..tokens.len());
    let scripts: Vec<(Option<Script>, usize)> = all.iter().map(|p| script_of(text, tokens, p)).collect();
    let in_region = |p: &Range<usize>| p.start < region.end && region.start < p.end;
    let original_letters: usize =
        all.iter().zip(&scripts).filter(|(p, (s, _))| in_region(p) && *s == Some(script)).map(|(_, (_, n))| n).sum();
    // Runs of paragraphs in one other script; paragraphs without letters (folio numbers, dates)
    // do not break a run.
    let mut best: Option<(Range<usize>, usize)> = None;
    let mut k = 0;
    while k < all.len() {
        let Some(other) = scripts[k].0.filter(|s| *s != script) else {
            k += 1;
            continue;
        };
        let (mut end, mut letters, mut j) = (k, 0, k);
        while j < all.len() && scripts[j].0.is_none_or(|s| s == other) {
            if scripts[j].0.is_some() {
                letters += scripts[j].1;
                end = j + 1;
            }
            j += 1;
        }
        if best.as_ref().is_none_or(|b| letters > b.1) {
            best = Some((k..end, letters));
        }
        k = end.max(k + 1);
    }
    let (run, letters) = best?;
    if (letters as f32) < params.min_share * original_letters as f32 {
        return None;
    }
    let original = all
        .iter()
        .enumerate()
        .filter(|(i, p)| !run.contains(i) && in_region(p) && scripts[*i].0.is_none_or(|s| s == script))
        .map(|(_, p)| p.start.max(region.start)..p.end.min(region.end))
        .collect();
    Some((original, all[run].to_vec()))
}

/// Guess a Latin-script language from its commonest words.
fn guess_lang(tokens: &[Token], script: Script) -> Lang {
    match script {
        Script::Cyrillic => return Lang::Russian,
        Script::Latin => {}
        _ => return Lang::Other,
    }
    let mut en = 0;
    let mut de = 0;
    for t in tokens {
        match t.key.to_lowercase().as_str() {
            "the" | "and" | "of" | "to" | "is" | "that" | "with" => en += 1,
            "der" | "die" | "und" | "das" | "nicht" | "mit" | "von" | "zu" => de += 1,
            _ => {}
        }
    }
    if de > en {
        Lang::German
    } else if en > 0 {
        Lang::English
    } else {
        Lang::Other
    }
}

/// Cross-check the transcript's scanned region against a translation: the one given, or else
/// one found in the transcript itself (`find_embedded`). None when there is no translation.
pub fn cross_check(
    transcript: &Transcript,
    alignment: &Alignment,
    lexicon: &Lexicon,
    lang: &str,
    given: Option<&Source>,
    find_embedded: bool,
    params: &Params,
) -> Option<Findings> {
    if alignment.region.is_empty() {
        return None;
    }
    let (text, tokens, region) = (&transcript.text, &transcript.tokens, alignment.region.clone());
    let original_lang = match Lang::from_code(lang) {
        Lang::Other => guess_lang(&tokens[region.clone()], Script::Latin),
        l => l,
    };
    // The scans' language names the original's script; the region's commonest script stands in
    // for a language without number words here.
    let script = match original_lang {
        Lang::Russian => Script::Cyrillic,
        Lang::English | Lang::German => Script::Latin,
        Lang::Other => script_of(text, tokens, &region).0?,
    };
    let file_tokens: Vec<Token>;
    let (w_text, w_tokens, o_pars, w_pars, origin) = match given {
        Some(s) => {
            file_tokens = tokenize(&s.text);
            let o_pars: Vec<Range<usize>> = split_paragraphs(text, tokens, region.clone())
                .into_iter()
                .filter(|p| script_of(text, tokens, p).0.is_none_or(|s| s == script))
                .collect();
            let w_pars = split_paragraphs(&s.text, &file_tokens, 0..file_tokens.len());
            (s.text.as_str(), &file_tokens[..], o_pars, w_pars, format!("the translation {}", s.path.display()))
        }
        None if find_embedded => {
            let (o, w) = embedded_translation(transcript, alignment, script, params)?;
            (text.as_str(), &tokens[..], o, w, "the transcript's own translation".to_string())
        }
        None => return None,
    };
    if w_pars.is_empty() || o_pars.is_empty() {
        return None;
    }
    let original = Side { text, tokens, paragraphs: o_pars, lang: original_lang };
    let w_script = translit::dominant_script(w_text).0.unwrap_or(Script::Other);
    let all_w: Vec<Token> = w_pars.iter().flat_map(|p| w_tokens[p.clone()].iter().cloned()).collect();
    let wlang = given.and_then(|s| s.lang).unwrap_or_else(|| guess_lang(&all_w, w_script));
    let witness = Side { text: w_text, tokens: w_tokens, paragraphs: w_pars, lang: wlang };
    // The translation's own dictionary tells its names from its words; without one every
    // capitalized word counts.
    let witness_lexicon = Lexicon::load(wlang.code(), &[]).unwrap_or_else(|_| Lexicon::empty());
    let (mut findings, scopes) = compare_sides(&original, &witness, lexicon, &witness_lexicon, params);
    findings.sort_by_key(|f| f.tokens.start);
    Some(Findings { origin, lang: wlang, findings, params: params.clone(), scopes })
}

/// Per paragraph: its names and numbers.
struct Outlined {
    names: Vec<NameAt>,
    numbers: Vec<numbers::Mention>,
}

fn outline(side: &Side, lexicon: &Lexicon) -> Vec<Outlined> {
    side.paragraphs
        .iter()
        .map(|p| {
            let cores: Vec<String> = p.clone().map(|i| side.core(i)).collect();
            let words: Vec<&str> = cores.iter().map(String::as_str).collect();
            let numbers = numbers::find_numbers(&words, side.lang)
                .into_iter()
                .map(|m| numbers::Mention { words: m.words.start + p.start..m.words.end + p.start, ..m })
                .collect();
            Outlined { names: names_of(side, p, lexicon), numbers }
        })
        .collect()
}

fn latin_of(form: &str) -> String {
    match names::script(form) {
        Some(Script::Cyrillic) => translit::to_latin(form),
        _ => translit::fold_latin(form),
    }
}

fn paragraph_outline(side: &Side, o: &Outlined, p: &Range<usize>) -> paragraphs::Outline {
    paragraphs::Outline {
        length: p.clone().map(|i| side.tokens[i].text.chars().filter(|c| c.is_alphanumeric()).count()).sum(),
        numbers: o.numbers.iter().map(|m| m.value).filter(|v| *v >= 10).collect(),
        names: o.names.iter().map(|n| paragraphs::fingerprint(&latin_of(&n.form))).collect(),
    }
}

/// An original name's best counterpart in its translated paragraph(s).
struct Counterpart {
    name: NameAt,
    witness: NameAt,
    witness_paragraph: Range<usize>,
    m: names::Match,
}

fn compare_sides(
    original: &Side,
    witness: &Side,
    lexicon: &Lexicon,
    witness_lexicon: &Lexicon,
    params: &Params,
) -> (Vec<Finding>, Vec<Scope>) {
    let o_out = outline(original, lexicon);
    let w_out = outline(witness, witness_lexicon);
    let o_lines: Vec<_> =
        o_out.iter().zip(&original.paragraphs).map(|(o, p)| paragraph_outline(original, o, p)).collect();
    let w_lines: Vec<_> =
        w_out.iter().zip(&witness.paragraphs).map(|(o, p)| paragraph_outline(witness, o, p)).collect();
    let beads = paragraphs::align_paragraphs(&o_lines, &w_lines);

    let mut findings = Vec::new();
    let mut scopes = Vec::new();
    let mut pairs: Vec<Counterpart> = Vec::new();
    for bead in beads.iter().filter(|b| !b.original.is_empty() && !b.translation.is_empty()) {
        let w_par = witness.paragraphs[bead.translation.start].start..witness.paragraphs[bead.translation.end - 1].end;
        let o_names: Vec<NameAt> = bead.original.clone().flat_map(|k| o_out[k].names.clone()).collect();
        let w_names: Vec<NameAt> = bead.translation.clone().flat_map(|k| w_out[k].names.clone()).collect();
        scopes.push(Scope {
            original: original.paragraphs[bead.original.start].start..original.paragraphs[bead.original.end - 1].end,
            names: w_names
                .iter()
                .map(|n| (n.form.clone(), passage(witness.text, witness.tokens, &w_par, &n.tokens)))
                .collect(),
        });
        pairs.extend(counterparts(original, &o_names, &w_names, &w_par, params));
        let o_nums: Vec<&numbers::Mention> = bead.original.clone().flat_map(|k| o_out[k].numbers.iter()).collect();
        let w_nums: Vec<&numbers::Mention> = bead.translation.clone().flat_map(|k| w_out[k].numbers.iter()).collect();
        findings.extend(number_findings(original, witness, &o_nums, &w_nums, &w_par));
    }
    findings.extend(name_findings(witness, &pairs, lexicon, params));
    findings.extend(initial_findings(original, witness, &pairs, params));
    (findings, scopes)
}

/// For each original name, the translation's word it matches best, when that word is close
/// enough to be its counterpart and no other original name claims it more closely. A name the
/// typist split («Пале ган») is tried joined with the next word too.
fn counterparts(
    original: &Side,
    o_names: &[NameAt],
    w_names: &[NameAt],
    w_par: &Range<usize>,
    params: &Params,
) -> Vec<Counterpart> {
    let best_for = |form: &str| -> Option<(usize, names::Match)> {
        w_names
            .iter()
            .enumerate()
            .filter_map(|(k, w)| names::compare(form, &w.form).map(|m| (k, m)))
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
    };
    let bests: Vec<Option<(usize, names::Match)>> = o_names.iter().map(|n| best_for(&n.form)).collect();
    let mut out: Vec<Counterpart> = Vec::new();
    for n in o_names {
        let Some((mut k, mut m)) = best_for(&n.form) else { continue };
        let mut name = n.clone();
        // Joined with the next word, when that is a lower-case word of the same sentence.
        let next = n.tokens.end;
        let same_paragraph = original.paragraphs.iter().any(|p| p.contains(&n.tokens.start) && p.contains(&next));
        if same_paragraph && !original.tokens[n.tokens.start].text.ends_with([',', '.', ';', ':']) {
            let core = original.core(next);
            if core.chars().all(char::is_alphabetic) && core.chars().next().is_some_and(char::is_lowercase) {
                let joined = format!("{}{}", n.form, core);
                if let Some((k2, m2)) = best_for(&joined) {
                    if m2.relative() + 0.1 < m.relative() && m2.relative() <= params.counterpart {
                        (k, m) = (k2, m2);
                        name = NameAt { tokens: n.tokens.start..next + 1, form: format!("{} {}", n.form, core) };
                    }
                }
            }
        }
        if m.relative() > params.counterpart {
            continue;
        }
        // Another original name of the bead whose best match this word is, and which it fits
        // better, claims it.
        let claimed = o_names.iter().zip(&bests).any(|(o, b)| {
            o.form != n.form && b.as_ref().is_some_and(|(bk, bm)| *bk == k && bm.cost + params.better_by < m.cost)
        });
        if claimed {
            continue;
        }
        out.push(Counterpart { name, witness: w_names[k].clone(), witness_paragraph: w_par.clone(), m });
    }
    out
}

/// Code points of tokens `r` without the punctuation at their outer edges (an initial keeps
/// its full stop).
fn chars_of(tokens: &[Token], r: &Range<usize>) -> Range<usize> {
    let (first, last) = (&tokens[r.start].text, &tokens[r.end - 1].text);
    let lead = first.chars().take_while(|c| !c.is_alphanumeric()).count();
    let letters = last.trim_end_matches(|c: char| !c.is_alphanumeric());
    let mut trail = last.chars().count() - letters.chars().count();
    if letters.chars().filter(|c| c.is_alphanumeric()).count() == 1 && last[letters.len()..].starts_with('.') {
        trail -= 1;
    }
    tokens[r.start].chars.start + lead..tokens[r.end - 1].chars.end - trail
}

fn name_findings(witness: &Side, pairs: &[Counterpart], lexicon: &Lexicon, params: &Params) -> Vec<Finding> {
    // The original's spelling that fits each translation name best, over the whole document.
    let mut best_form: HashMap<String, (f32, String, String)> = HashMap::new(); // witness key -> (cost, form, its ending)
    for p in pairs {
        let key = p.m.witness_stem.clone();
        let entry = best_form.entry(key).or_insert((f32::INFINITY, String::new(), String::new()));
        if p.m.cost < entry.0 {
            *entry = (p.m.cost, p.name.form.replace(' ', ""), p.m.ending.clone());
        }
    }
    // How often the original spells each disagreeing name so, against the same translation name.
    let mut repeats: HashMap<(String, String), usize> = HashMap::new();
    for p in pairs.iter().filter(|p| p.m.cost > params.agree) {
        *repeats.entry((stem_of(&p.name.form, &p.m), p.m.witness_stem.clone())).or_insert(0) += 1;
    }
    let mut out = Vec::new();
    for p in pairs {
        let form = p.name.form.replace(' ', "");
        let (best_cost, best, best_ending) = &best_form[&p.m.witness_stem];
        // The document's own better spelling: «Кавам» elsewhere against «Кавем» here.
        let elsewhere = *best_cost + params.better_by <= p.m.cost
            && stem_of(best, &names::Match { ending: best_ending.clone(), ..p.m.clone() }) != stem_of(&form, &p.m)
            && strsim::levenshtein(&best.to_lowercase(), &form.to_lowercase()) <= 3;
        if p.m.cost <= params.agree && !elsewhere {
            continue;
        }
        let (suggestion, support) = if elsewhere {
            let stem: String = best.chars().take(best.chars().count() - best_ending.chars().count()).collect();
            let suggestion = format!("{stem}{}", p.m.ending);
            (suggestion, Some(format!("the transcript writes «{best}» elsewhere, as the translation spells it")))
        } else {
            let strict = names::respell(&form, &p.m, false);
            let loose = names::respell(&form, &p.m, true);
            let known = |w: &str| !lexicon.is_empty() && lexicon.verdict(w) == Verdict::Known;
            if known(&strict) && !known(&form) {
                (strict.clone(), Some(format!("«{strict}» is a word and «{form}» is not")))
            } else if known(&loose) && !known(&form) {
                (loose.clone(), Some(format!("«{loose}» is a word and «{form}» is not")))
            } else {
                (loose, None)
            }
        };
        if suggestion.to_lowercase() == form.to_lowercase() {
            continue;
        }
        let times = repeats.get(&(stem_of(&p.name.form, &p.m), p.m.witness_stem.clone())).copied().unwrap_or(0);
        let established = (support.is_none() && times >= params.established).then_some(times);
        let w_tokens = &p.witness.tokens;
        out.push(Finding {
            what: What::Name,
            tokens: p.name.tokens.clone(),
            original: p.name.form.clone(),
            witness: p.witness.form.clone(),
            witness_chars: chars_of(witness.tokens, w_tokens),
            suggestion,
            passage: passage(witness.text, witness.tokens, &p.witness_paragraph, w_tokens),
            support,
            established,
            values: None,
        });
    }
    out
}

fn stem_of(form: &str, m: &names::Match) -> String {
    let form = form.replace(' ', "").to_lowercase();
    let n = form.chars().count().saturating_sub(m.ending.chars().count());
    form.chars().take(n).collect()
}

fn initial_findings(original: &Side, witness: &Side, pairs: &[Counterpart], params: &Params) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in pairs.iter().filter(|p| p.m.relative() <= params.counterpart) {
        let floor_o = original.paragraphs.iter().find(|r| r.contains(&p.name.tokens.start)).map_or(0, |r| r.start);
        let o = initials_before(original, p.name.tokens.start, floor_o);
        let w = initials_before(witness, p.witness.tokens.start, p.witness_paragraph.start);
        if o.is_empty() || o.len() != w.len() {
            continue;
        }
        for ((oi, oc), (wi, wc)) in o.iter().zip(&w) {
            if names::same_initial(oc, wc) {
                continue;
            }
            let back = match names::script(oc) {
                Some(Script::Cyrillic) => translit::to_cyrillic(wc).to_uppercase().chars().take(1).collect(),
                _ => wc.clone(),
            };
            out.push(Finding {
                what: What::Initial,
                tokens: *oi..*oi + 1,
                original: format!("{oc}."),
                witness: format!("{wc}."),
                witness_chars: chars_of(witness.tokens, &(*wi..*wi + 1)),
                suggestion: back,
                passage: passage(witness.text, witness.tokens, &p.witness_paragraph, &(*wi..p.witness.tokens.end)),
                support: None,
                established: None,
                values: None,
            });
        }
    }
    out
}

/// Numbers of the original with no equal in the translated paragraph, where the translation has
/// an unpaired number near it (девяти / nine).
fn number_findings(
    original: &Side,
    witness: &Side,
    o_nums: &[&numbers::Mention],
    w_nums: &[&numbers::Mention],
    w_par: &Range<usize>,
) -> Vec<Finding> {
    let mut w_left: Vec<&numbers::Mention> = w_nums.to_vec();
    let mut o_left: Vec<&numbers::Mention> = Vec::new();
    for o in o_nums {
        match w_left.iter().position(|w| w.value == o.value) {
            Some(k) => {
                w_left.remove(k);
            }
            None => o_left.push(o),
        }
    }
    let mut out = Vec::new();
    for o in o_left {
        let Some(k) = w_left.iter().position(|w| numbers::near(o.value, w.value)) else { continue };
        let w = w_left.remove(k);
        let raw: Vec<String> = o.words.clone().map(|i| original.core(i)).collect();
        let raw = raw.join(" ");
        let suggestion = numbers::respell(&raw, o.value, w.value, original.lang).unwrap_or_else(|| w.value.to_string());
        let w_words: Vec<String> = w.words.clone().map(|i| witness.core(i)).collect();
        out.push(Finding {
            what: What::Number,
            tokens: o.words.clone(),
            original: raw,
            witness: w_words.join(" "),
            witness_chars: chars_of(witness.tokens, &w.words),
            suggestion,
            passage: passage(witness.text, witness.tokens, w_par, &w.words),
            support: None,
            established: None,
            values: Some((o.value, w.value)),
        });
    }
    out
}

impl Findings {
    /// The translation's name (and its passage) that the scan's reading of these tokens spells
    /// and the transcript's word does not: «федаи» read where the transcript has a dictionary
    /// word and the translation says "fedai".
    pub fn names_the_scan(&self, tokens: &Range<usize>, scan: &str, transcript: &str) -> Option<&(String, String)> {
        let scope = self.scopes.iter().find(|s| s.original.start <= tokens.start && tokens.end <= s.original.end)?;
        let agrees = |form: &str, name: &str| names::compare(form, name).is_some_and(|m| m.cost <= self.params.agree);
        scope.names.iter().find(|(name, _)| agrees(scan, name) && !agrees(transcript, name))
    }

    /// The finding about any of these transcript tokens.
    pub fn about(&self, tokens: &Range<usize>) -> Option<&Finding> {
        self.findings.iter().find(|f| f.tokens.start < tokens.end && tokens.start < f.tokens.end)
    }

    /// The finding that covers exactly the flag's transcript text (none for a spelling the
    /// document has established).
    pub fn finding_of(&self, transcript: &Transcript, flag: &Flag) -> Option<&Finding> {
        self.findings.iter().find(|f| {
            f.established.is_none()
                && transcript.tokens[f.tokens.start].chars.start == flag.start
                && transcript.tokens[f.tokens.end - 1].chars.end == flag.end
        })
    }

    /// Whether the scan's reading at a finding says what the translation says.
    pub fn scan_agrees(&self, f: &Finding, scan: &str) -> bool {
        match f.what {
            What::Number => {
                let words: Vec<&str> = scan.split_whitespace().collect();
                let lang = match names::script(scan) {
                    Some(Script::Cyrillic) => Lang::Russian,
                    _ => self.lang,
                };
                let want = f.values.map(|v| v.1);
                numbers::find_numbers(&words, lang).iter().any(|m| Some(m.value) == want)
                    || (lang == Lang::Russian && want.is_some_and(|v| scan.contains(&v.to_string())))
            }
            What::Initial => {
                let w = f.witness.split('.').next().unwrap_or("");
                let s = scan.trim_matches(|c: char| !c.is_alphabetic());
                !s.is_empty() && s.chars().count() == 1 && names::same_initial(s, w)
            }
            What::Name => {
                let joined: String = scan.split_whitespace().collect();
                names::compare(&joined, &f.witness).is_some_and(|m| m.cost <= self.params.agree)
            }
        }
    }

    /// Where the translation contradicts the transcript and the suggested reading (the scan's,
    /// first or second) does not say just what the translation says, the OCR garbled the word
    /// too: the translation's form, a small change of the transcript's, is the better suggestion
    /// («мегжлис» read, «меджлис» meant).
    pub fn amend_suggestions(&self, transcript: &Transcript, flags: &mut [Flag]) {
        for flag in flags.iter_mut().filter(|f| f.evidence.iter().any(|e| e.kind == "witness")) {
            let Some(f) = self.finding_of(transcript, flag) else {
                continue;
            };
            let said = word_core(&flag.suggestion);
            let agrees = match f.what {
                What::Name => names::compare(&said.replace(' ', ""), &f.witness).is_some_and(|m| m.cost <= STRICT),
                _ => self.scan_agrees(f, &said),
            };
            if !agrees {
                flag.suggestion = crate::transcript::suggest(&flag.transcript, &f.suggestion, flag.kind);
            }
        }
    }

    /// Transcript places the translation doubts where the scan and the transcript agree and no
    /// discrepancy stands: each becomes a flag of its own (weighed by `evidence::witness`).
    pub fn unopposed(&self, alignment: &Alignment) -> Vec<(usize, Discrepancy)> {
        let mut out = Vec::new();
        for (k, f) in self.findings.iter().enumerate() {
            if f.established.is_some() {
                continue;
            }
            let overlaps = |r: &Range<usize>| r.start < f.tokens.end && f.tokens.start < r.end;
            if alignment.discrepancies.iter().any(|d| overlaps(&d.transcript)) {
                continue;
            }
            let ocr: Vec<Range<usize>> = alignment
                .steps
                .iter()
                .filter(|s| overlaps(&s.transcript) && s.kind == StepKind::Equal)
                .map(|s| s.ocr.clone())
                .collect();
            let ocr = match (ocr.first(), ocr.last()) {
                (Some(a), Some(b)) => a.start..b.end,
                _ => 0..0,
            };
            let kind = if f.tokens.len() > 1 && f.what == What::Name {
                DiscrepancyKind::Split
            } else {
                DiscrepancyKind::Substitute
            };
            out.push((k, Discrepancy { kind, transcript: f.tokens.clone(), ocr }));
        }
        out
    }

    /// Places where the translation, not the transcript, looks wrong: the scan reads the
    /// original as the transcript has it, and no shown flag says otherwise.
    pub fn translation_issues(
        &self,
        transcript: &Transcript,
        alignment: &Alignment,
        pages: &[OcrPage],
        flags: &[Flag],
    ) -> Vec<TranslationIssue> {
        let mut out = Vec::new();
        for f in &self.findings {
            let (start, end) =
                (transcript.tokens[f.tokens.start].chars.start, transcript.tokens[f.tokens.end - 1].chars.end);
            if flags.iter().any(|fl| fl.shown && fl.start < end && start < fl.end) {
                continue;
            }
            let read_alike = alignment
                .steps
                .iter()
                .filter(|s| s.transcript.start < f.tokens.end && f.tokens.start < s.transcript.end)
                .all(|s| s.kind == StepKind::Equal);
            if !read_alike {
                continue;
            }
            let page = alignment
                .token_page
                .get(f.tokens.start)
                .copied()
                .flatten()
                .and_then(|p| pages.get(p))
                .map_or(0, |p| p.index);
            let note = match f.established {
                Some(n) => format!(
                    "the scan reads «{}» as the transcript does, which spells it so at {n} places; {} has «{}»",
                    f.original, self.origin, f.witness
                ),
                None => format!(
                    "the scan reads «{}» as the transcript does; {} has «{}»",
                    f.original, self.origin, f.witness
                ),
            };
            out.push(TranslationIssue {
                page,
                start,
                end,
                original: f.original.clone(),
                translation: f.witness.clone(),
                translation_start: f.witness_chars.start,
                translation_end: f.witness_chars.end,
                passage: f.passage.clone(),
                note,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{align, Params as AlignParams};
    use crate::transcript::from_text;

    fn page_of(text: &str) -> OcrPage {
        OcrPage::from_text(1, "p1.png", text, 0.9)
    }

    const ORIGINAL: &str = "Товарищ Петров прибыл в Тифлис десятого числа.\n\n\
        Он привез девять ящиков и письмо от Джапаридзе.\n\n\
        Отряд Сулейманова отошел к Баку.";
    const TRANSLATION: &str = "Comrade Petrov arrived in Tiflis on the tenth.\n\n\
        He brought eight crates and a letter from Japaridze.\n\n\
        Suleimanov's detachment withdrew to Baku.";

    fn findings_for(
        transcript_text: &str,
        scan: &str,
        given: Option<&Source>,
    ) -> (Transcript, Alignment, Option<Findings>) {
        let t = from_text(std::path::Path::new("t.txt"), transcript_text.to_string());
        let a = align(&t.tokens, &[page_of(scan)], &AlignParams::default());
        let f = cross_check(&t, &a, &Lexicon::empty(), "rus", given, true, &Params::default());
        (t, a, f)
    }

    #[test]
    fn an_embedded_translation_is_found_and_read() {
        let original = ORIGINAL.replace("Джапаридзе", "Джапарилзе");
        let text = format!("Citation: Archive, f. 1.\n\n{original}\n\n{TRANSLATION}");
        let (t, _, f) = findings_for(&text, &original, None);
        let f = f.expect("the translation after the original is found");
        assert_eq!(f.lang, Lang::English);
        let got: Vec<(String, String, String)> =
            f.findings.iter().map(|x| (x.original.clone(), x.witness.clone(), x.suggestion.clone())).collect();
        assert!(got.contains(&("Джапарилзе".into(), "Japaridze".into(), "Джапаридзе".into())), "{got:?}");
        assert!(got.contains(&("девять".into(), "eight".into(), "восемь".into())), "{got:?}");
        // Correct names have nothing against them.
        for x in &f.findings {
            assert!(!["Петров", "Тифлис", "Сулейманова", "Баку"].contains(&x.original.as_str()), "{x:?}");
        }
        // The witness's offsets point into the transcript.
        let j = f.findings.iter().find(|x| x.witness == "Japaridze").unwrap();
        let chars: Vec<char> = t.text.chars().collect();
        assert_eq!(chars[j.witness_chars.clone()].iter().collect::<String>(), "Japaridze");
    }

    #[test]
    fn a_citation_header_is_no_translation() {
        let text = format!("Citation: Archive, f. 1, op. 89.\n\n{ORIGINAL}");
        assert!(findings_for(&text, ORIGINAL, None).2.is_none());
    }

    #[test]
    fn a_given_translation_and_its_unopposed_places() {
        let original = ORIGINAL.replace("Джапаридзе", "Джапарилзе");
        let given = Source { path: PathBuf::from("en.txt"), text: TRANSLATION.into(), lang: Some(Lang::English) };
        // The scan reads as the transcript does: the finding stands alone, a flag of its own.
        let (_, a, f) = findings_for(&original, &original, Some(&given));
        let f = f.unwrap();
        let alone = f.unopposed(&a);
        assert_eq!(alone.len(), f.findings.len());
        assert!(alone.iter().all(|(_, d)| d.kind == DiscrepancyKind::Substitute && d.ocr.len() == 1));
        // Where the scan differs, the finding joins that discrepancy instead.
        let scan = original.replace("Джапарилзе", "Джапаридзе");
        let (_, a, f) = findings_for(&original, &scan, Some(&given));
        let f = f.unwrap();
        let k = f.findings.iter().position(|x| x.witness == "Japaridze").unwrap();
        assert!(f.unopposed(&a).iter().all(|(i, _)| *i != k));
        assert!(f.scan_agrees(&f.findings[k], "Джапаридзе"));
        assert!(!f.scan_agrees(&f.findings[k], "Джапарилзе"));
    }

    #[test]
    fn witness_argument_with_language() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("en.txt");
        std::fs::write(&p, TRANSLATION).unwrap();
        let s = read_source(&format!("{}:deu", p.display())).unwrap();
        assert_eq!(s.lang, Some(Lang::German));
        let s = read_source(p.to_str().unwrap()).unwrap();
        assert_eq!(s.lang, None);
        assert!(read_source("no/such/file.txt").is_err());
    }
}
