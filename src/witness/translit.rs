//! Transliteration: a Cyrillic word against a Latin one, letter by letter, and back. The
//! comparison accepts the spellings of GOST 7.79, BGN/PCGN and the usual English and German
//! renderings (дж → j, х → kh/h, ш → sh/sch, г → h) at little or no cost, so that what is left
//! is a real difference; its alignment tells which letters to change for a suggestion.

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// The script most of a text's letters are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    Other,
}

pub fn script_of_char(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    Some(match c as u32 {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        _ => Script::Other,
    })
}

/// The dominant script of a text and how many letters it has.
pub fn dominant_script(text: &str) -> (Option<Script>, usize) {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for s in text.chars().filter_map(script_of_char) {
        match counts.iter_mut().find(|(k, _)| *k == s) {
            Some((_, n)) => *n += 1,
            None => counts.push((s, 1)),
        }
    }
    let total = counts.iter().map(|(_, n)| n).sum();
    (counts.into_iter().max_by_key(|(_, n)| *n).map(|(s, _)| s), total)
}

/// Lower case without diacritics (é → e, ü → u): the translations this compares with spell the
/// same name with and without them.
pub fn fold_latin(word: &str) -> String {
    word.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

fn is_cyr_vowel(c: char) -> bool {
    "аеёиоуыэюя".contains(c)
}

fn is_lat_vowel(c: char) -> bool {
    "aeiouy".contains(c)
}

/// Latin renderings of a Cyrillic letter with their cost: 0 for the standard schemes, a little
/// for the looser habits of translators (a Persian name's е often comes back as "a": Зенджан,
/// Zanjan; Russian writes a foreign h as г: Тегеран, Tehran).
fn options(c: char) -> &'static [(&'static str, f32)] {
    match c {
        'а' => &[("a", 0.0), ("e", 0.4), ("o", 0.5)],
        'б' => &[("b", 0.0), ("p", 0.5)],
        'в' => &[("v", 0.0), ("w", 0.1), ("b", 0.4), ("ff", 0.3)],
        'г' => &[("g", 0.0), ("h", 0.2), ("gh", 0.2)],
        'д' => &[("d", 0.0), ("t", 0.5)],
        'е' => &[("e", 0.0), ("ye", 0.0), ("ie", 0.1), ("je", 0.1), ("a", 0.3), ("i", 0.5), ("", 0.4)],
        'ё' => &[("e", 0.0), ("yo", 0.0), ("io", 0.0), ("o", 0.2), ("jo", 0.1)],
        'ж' => &[("zh", 0.0), ("j", 0.2), ("sch", 0.3), ("z", 0.6), ("g", 0.6)],
        'з' => &[("z", 0.0), ("s", 0.2), ("dh", 0.5)],
        'и' => &[("i", 0.0), ("y", 0.2), ("ee", 0.3), ("e", 0.5)],
        'й' => &[("i", 0.0), ("y", 0.0), ("j", 0.1), ("", 0.2)],
        'к' => &[("k", 0.0), ("c", 0.1), ("q", 0.2), ("ck", 0.1), ("kh", 0.5)],
        'л' => &[("l", 0.0)],
        'м' => &[("m", 0.0)],
        'н' => &[("n", 0.0)],
        'о' => &[("o", 0.0), ("a", 0.4), ("u", 0.5)],
        'п' => &[("p", 0.0)],
        'р' => &[("r", 0.0)],
        'с' => &[("s", 0.0), ("c", 0.2), ("ss", 0.1), ("z", 0.5)],
        'т' => &[("t", 0.0), ("th", 0.3), ("d", 0.5)],
        'у' => &[("u", 0.0), ("ou", 0.1), ("oo", 0.2), ("w", 0.5), ("o", 0.5)],
        'ф' => &[("f", 0.0), ("ph", 0.1), ("v", 0.4)],
        'х' => &[("kh", 0.0), ("h", 0.1), ("ch", 0.1), ("x", 0.3), ("k", 0.4)],
        'ц' => &[("ts", 0.0), ("c", 0.2), ("tz", 0.1), ("z", 0.2), ("tc", 0.1)],
        'ч' => &[("ch", 0.0), ("tch", 0.1), ("tsch", 0.1), ("c", 0.4)],
        'ш' => &[("sh", 0.0), ("sch", 0.1), ("ch", 0.3), ("s", 0.6)],
        'щ' => &[("shch", 0.0), ("sch", 0.2), ("sh", 0.3)],
        'ъ' => &[("", 0.0)],
        'ы' => &[("y", 0.0), ("i", 0.2)],
        'ь' => &[("", 0.0), ("i", 0.3), ("y", 0.3)],
        'э' => &[("e", 0.0), ("a", 0.3)],
        'ю' => &[("yu", 0.0), ("iu", 0.0), ("ju", 0.1), ("u", 0.3), ("ou", 0.3)],
        'я' => &[("ya", 0.0), ("ia", 0.0), ("ja", 0.1), ("a", 0.3)],
        'і' => &[("i", 0.0)],
        'ї' => &[("yi", 0.0), ("i", 0.1)],
        'є' => &[("ye", 0.0), ("ie", 0.0), ("e", 0.2)],
        'ґ' => &[("g", 0.0)],
        _ => &[],
    }
}

/// Two-letter groups with a rendering of their own.
fn pair_options(a: char, b: char) -> &'static [(&'static str, f32)] {
    match (a, b) {
        ('д', 'ж') => &[("j", 0.0), ("dzh", 0.0), ("dj", 0.1), ("dsch", 0.1), ("g", 0.4)],
        ('к', 'с') => &[("x", 0.0)],
        ('ь', 'е') | ('ъ', 'е') => &[("ye", 0.0), ("ie", 0.0)],
        ('и', 'й') | ('ы', 'й') => &[("y", 0.0), ("iy", 0.0), ("yi", 0.1), ("ii", 0.1), ("i", 0.1)],
        _ => &[],
    }
}

/// The plain transliteration (BGN/PCGN-like, with дж → j): for fingerprints and notes.
pub fn to_latin(word: &str) -> String {
    let chars: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((s, _)) = chars.get(i + 1).and_then(|&b| pair_options(chars[i], b).first()) {
            out.push_str(s);
            i += 2;
            continue;
        }
        match options(chars[i]).first() {
            Some((s, _)) => out.push_str(s),
            None => out.push(chars[i]),
        }
        i += 1;
    }
    out
}

/// Substitution of one letter for another that no scheme writes for it.
const SUB: f32 = 1.0;
/// A vowel for another vowel: vowels of foreign names wander between renderings more than
/// consonants do.
const VOWEL_SUB: f32 = 0.6;
/// A Cyrillic or Latin vowel with nothing on the other side (Tehran / Тегеран).
const GAP_VOWEL: f32 = 0.4;
const GAP_CONSONANT: f32 = 1.0;
/// An English doubled consonant (Pishevvari) or a silent h after a consonant.
const DOUBLED: f32 = 0.1;

/// How one Cyrillic stretch lines up with one Latin stretch.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Char indices into the Cyrillic word.
    pub cyr: Range<usize>,
    /// Byte indices into the folded Latin word.
    pub lat: Range<usize>,
    pub cost: f32,
}

/// The cheapest way to read `cyr` as `lat` (folded), with its alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub cost: f32,
    pub segments: Vec<Segment>,
}

/// Compare a Cyrillic word with a Latin one (any case): a weighted edit distance in which each
/// Cyrillic letter may be written as any of its renderings at that rendering's cost.
pub fn compare(cyr: &str, lat: &str) -> Reading {
    let c: Vec<char> = cyr.chars().flat_map(char::to_lowercase).collect();
    let l = fold_latin(lat);
    let lb = l.as_bytes();
    let (n, m) = (c.len(), lb.len());
    let w = m + 1;
    let mut cost = vec![f32::INFINITY; (n + 1) * w];
    let mut back: Vec<Option<(usize, usize, f32)>> = vec![None; (n + 1) * w];
    cost[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[i * w + j];
            if !here.is_finite() {
                continue;
            }
            let mut relax = |ni: usize, nj: usize, step: f32| {
                let k = ni * w + nj;
                if here + step < cost[k] - 1e-6 {
                    cost[k] = here + step;
                    back[k] = Some((i, j, step));
                }
            };
            let rest = &l[j..];
            if i < n {
                for (s, c0) in options(c[i]) {
                    if rest.starts_with(s) {
                        relax(i + 1, j + s.len(), *c0);
                        // A doubled consonant in the Latin spelling.
                        let last = s.as_bytes().last().copied();
                        if let Some(b) = last.filter(|b| !is_lat_vowel(*b as char)) {
                            if lb.get(j + s.len()) == Some(&b) {
                                relax(i + 1, j + s.len() + 1, c0 + DOUBLED);
                            }
                        }
                    }
                }
                if i + 1 < n {
                    for (s, c0) in pair_options(c[i], c[i + 1]) {
                        if rest.starts_with(s) {
                            relax(i + 2, j + s.len(), *c0);
                        }
                    }
                }
                let gap = if is_cyr_vowel(c[i]) { GAP_VOWEL } else { GAP_CONSONANT };
                relax(i + 1, j, gap);
                if j < m && lb[j].is_ascii() {
                    let sub = if is_cyr_vowel(c[i]) && is_lat_vowel(lb[j] as char) { VOWEL_SUB } else { SUB };
                    relax(i + 1, j + 1, sub);
                }
            }
            if let Some(ch) = rest.chars().next() {
                let ins = if is_lat_vowel(ch) {
                    GAP_VOWEL
                } else if ch == 'h' && j > 0 {
                    DOUBLED * 3.0
                } else if j > 0 && lb[j - 1] as char == ch {
                    DOUBLED
                } else {
                    GAP_CONSONANT
                };
                relax(i, j + ch.len_utf8(), ins);
            }
        }
    }
    let mut segments = Vec::new();
    let (mut i, mut j) = (n, m);
    while let Some((pi, pj, step)) = back[i * w + j] {
        segments.push(Segment { cyr: pi..i, lat: pj..j, cost: step });
        (i, j) = (pi, pj);
    }
    segments.reverse();
    Reading { cost: cost[n * w + m], segments }
}

/// Latin letters back into Cyrillic, longest group first (for the parts of a suggestion that
/// come from the translation).
pub fn to_cyrillic(lat: &str) -> String {
    const GROUPS: &[(&str, &str)] = &[
        ("shch", "щ"),
        ("tsch", "ч"),
        ("dzh", "дж"),
        ("sch", "ш"),
        ("zh", "ж"),
        ("kh", "х"),
        ("ts", "ц"),
        ("ch", "ч"),
        ("sh", "ш"),
        ("yu", "ю"),
        ("ya", "я"),
        ("yo", "ё"),
        ("ye", "е"),
        ("ph", "ф"),
        ("j", "дж"),
        ("x", "кс"),
        ("q", "к"),
        ("w", "в"),
        ("c", "к"),
        ("h", "х"),
        ("y", "й"),
        ("a", "а"),
        ("b", "б"),
        ("d", "д"),
        ("e", "е"),
        ("f", "ф"),
        ("g", "г"),
        ("i", "и"),
        ("k", "к"),
        ("l", "л"),
        ("m", "м"),
        ("n", "н"),
        ("o", "о"),
        ("p", "п"),
        ("r", "р"),
        ("s", "с"),
        ("t", "т"),
        ("u", "у"),
        ("v", "в"),
        ("z", "з"),
    ];
    let l = fold_latin(lat);
    let mut out = String::new();
    let mut rest = l.as_str();
    while let Some(ch) = rest.chars().next() {
        match GROUPS.iter().find(|(g, _)| rest.starts_with(g)) {
            Some((g, c)) => {
                // An English doubled consonant is one Russian letter.
                if !(g.len() == 1 && out.ends_with(c) && !is_lat_vowel(ch)) {
                    out.push_str(c);
                }
                rest = &rest[g.len()..];
            }
            None => {
                out.push(ch);
                rest = &rest[ch.len_utf8()..];
            }
        }
    }
    out
}

/// `cyr` changed where it differs from `lat` for real: letters whose rendering the schemes
/// accept stay as the original has them, the others come from the translation. With
/// `loose_vowels` the cheap vowel variants (е / a) come from the translation too.
pub fn respell(cyr: &str, lat: &str, loose_vowels: bool) -> String {
    let reading = compare(cyr, lat);
    let chars: Vec<char> = cyr.chars().collect();
    let l = fold_latin(lat);
    let mut out = String::new();
    // A run of changed segments is spelled back as one ("c" + "h" is ч, not кх).
    let mut run: Option<(Range<usize>, Range<usize>)> = None;
    let flush = |run: &mut Option<(Range<usize>, Range<usize>)>, out: &mut String| {
        if let Some((cyr, lat)) = run.take() {
            let mut from = to_cyrillic(&l[lat]);
            if chars.get(cyr.start).is_some_and(|c| c.is_uppercase()) {
                let mut cs = from.chars();
                from = cs.next().map(|c| c.to_uppercase().chain(cs).collect()).unwrap_or_default();
            }
            out.push_str(&from);
        }
    };
    for s in &reading.segments {
        let original: String = chars[s.cyr.clone()].iter().collect();
        let vowels = original.chars().all(|c| is_cyr_vowel(c.to_lowercase().next().unwrap_or(c)));
        let keep = s.cost == 0.0
            || (s.cost < 0.5 && !(loose_vowels && vowels))
            || (s.cost <= DOUBLED + 1e-6 && s.cyr.len() == 1);
        if keep {
            flush(&mut run, &mut out);
            out.push_str(&original);
        } else {
            run = Some(match run.take() {
                Some((c, l)) => (c.start..s.cyr.end, l.start..s.lat.end),
                None => (s.cyr.clone(), s.lat.clone()),
            });
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_english_spellings_cost_little() {
        let same = [
            ("Деканозов", "Dekanozov"),
            ("Шабустари", "Shabustari"),
            ("Джавид", "Javid"),
            ("Хамс", "Khams"),
            ("Тегеран", "Tehran"),
            ("Кавам", "Qavam"),
            ("меджлис", "Majlis"),
            ("Пишевари", "Pishevvari"),
            ("Тавриз", "Tabriz"),
            ("Решт", "Rasht"),
            ("Курдистан", "Kurdistan"),
            ("Азербайджан", "Azerbaijan"),
            ("Садчиков", "Sadchikov"),
            ("Падеган", "Padegan"),
        ];
        for (c, l) in same {
            let r = compare(c, l);
            assert!(r.cost < 0.75, "{c} / {l}: {}", r.cost);
        }
    }

    #[test]
    fn a_wrong_letter_costs_a_letter() {
        let differ = [("Джавил", "Javid"), ("Ханс", "Khams"), ("Палеган", "Padegan"), ("Киров", "Kilov")];
        for (c, l) in differ {
            let r = compare(c, l);
            assert!(r.cost >= 0.75, "{c} / {l}: {}", r.cost);
        }
        assert!(compare("Саадиев", "Sadchikov").cost < compare("Саадиев", "Kurdistan").cost);
    }

    #[test]
    fn respelling_keeps_accepted_letters() {
        assert_eq!(respell("Джавил", "Javid", false), "Джавид");
        assert_eq!(respell("мецлис", "Majlis", false), "меджлис");
        assert_eq!(respell("Ханс", "Khams", false), "Хамс");
        assert_eq!(respell("Палеган", "Padegan", false), "Падеган");
        assert_eq!(respell("Пашевари", "Pishevvari", true), "Пишевари");
        assert_eq!(respell("эндумен", "enjumen", false), "энджумен");
    }

    #[test]
    fn back_and_forth() {
        assert_eq!(to_latin("Хамсе"), "khamse");
        assert_eq!(to_latin("Джавид"), "javid");
        assert_eq!(to_cyrillic("Sadchikov"), "садчиков");
        assert_eq!(to_cyrillic("Pishevvari"), "пишевари");
        assert_eq!(dominant_script("Кавам, Qavam and Tehran").0, Some(Script::Latin));
    }
}
