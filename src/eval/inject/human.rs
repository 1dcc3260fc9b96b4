//! Errors people make typing and proofreading a transcription: a neighbouring key, two letters
//! swapped, a letter from another alphabet that looks the same (a Cyrillic «а» in a Latin word,
//! from a keyboard layout left switched), a capital changed, a word dropped or typed twice, a
//! whole line skipped by the eye, and a spelling modernized by an editor.

use super::ErrorKind;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::ops::Range;

/// The word being corrupted: its core (no edge punctuation) and where it stands.
pub struct Word<'a> {
    pub core: &'a str,
    /// Code points of the core in the text.
    pub span: Range<usize>,
    /// Code points of the whole token (punctuation included).
    pub token: Range<usize>,
    pub chars: &'a [char],
}

/// Keyboard rows: QWERTY for Latin, ЙЦУКЕН for Cyrillic.
const ROWS: &[&[&str]] = &[&["qwertyuiop", "asdfghjkl", "zxcvbnm"], &["йцукенгшщзх", "фывапролджэ", "ячсмитьбю"]];

/// Pairs of letters that look the same in Latin and Cyrillic.
const LOOK_ALIKE: &[(char, char)] = &[
    ('a', 'а'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('c', 'с'),
    ('x', 'х'),
    ('y', 'у'),
    ('i', 'і'),
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
];

/// Spelling variants an edition may silently modernize or normalize, as (typed, edited):
/// endings when three letters or more («colour» → «color»), else letters anywhere («ß» → «ss»,
/// a typewriter's «ue» → «ü», pre-reform «ѣ» → «е»).
const VARIANTS: &[(&str, &str)] = &[
    ("our", "or"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("isation", "ization"),
    ("yse", "yze"),
    ("tre", "ter"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ß", "ss"),
    ("ae", "ä"),
    ("oe", "ö"),
    ("ue", "ü"),
    ("ё", "е"),
    ("ѣ", "е"),
    ("і", "и"),
    ("ѳ", "ф"),
    ("ъ", ""),
];

fn neighbours(c: char) -> Vec<char> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let upper = c.is_uppercase();
    for rows in ROWS {
        let grid: Vec<Vec<char>> = rows.iter().map(|r| r.chars().collect()).collect();
        for (r, row) in grid.iter().enumerate() {
            if let Some(k) = row.iter().position(|&x| x == lower) {
                let mut out = Vec::new();
                let mut near = |rr: usize, kk: isize| {
                    if kk >= 0 {
                        if let Some(&x) = grid.get(rr).and_then(|row| row.get(kk as usize)) {
                            out.push(if upper { x.to_uppercase().next().unwrap_or(x) } else { x });
                        }
                    }
                };
                near(r, k as isize - 1);
                near(r, k as isize + 1);
                if r > 0 {
                    near(r - 1, k as isize);
                    near(r - 1, k as isize + 1);
                }
                near(r + 1, k as isize - 1);
                near(r + 1, k as isize);
                return out;
            }
        }
    }
    Vec::new()
}

/// A human error of `kind` in `w`: the span of the text it replaces, the new text, and which
/// part of the result is the error (relative to the new text's start; `None`: all of it).
/// `None` when the kind does not apply to this word.
#[allow(clippy::type_complexity)]
pub fn corrupt(
    kind: ErrorKind,
    w: &Word,
    near_protected: &dyn Fn(&Range<usize>) -> bool,
    rng: &mut ChaCha8Rng,
) -> Option<(Range<usize>, String, Option<Range<usize>>)> {
    let letters: Vec<char> = w.core.chars().collect();
    let n = letters.len();
    if letters.iter().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let word = |new: Vec<char>| -> Option<(Range<usize>, String, Option<Range<usize>>)> {
        let new: String = new.into_iter().collect();
        (new != w.core).then(|| (w.span.clone(), new, None))
    };
    match kind {
        ErrorKind::KeyboardSlip if n >= 3 => {
            let k = rng.gen_range(0..n);
            let options = neighbours(letters[k]);
            let &c = options.choose(rng)?;
            let mut new = letters.clone();
            new[k] = c;
            word(new)
        }
        ErrorKind::Transposition if n >= 3 => {
            let positions: Vec<usize> = (0..n - 1).filter(|&k| letters[k] != letters[k + 1]).collect();
            let &k = positions.choose(rng)?;
            let mut new = letters.clone();
            new.swap(k, k + 1);
            word(new)
        }
        ErrorKind::Homoglyph => {
            let positions: Vec<(usize, char)> = (0..n)
                .filter_map(|k| {
                    LOOK_ALIKE.iter().find_map(|&(a, b)| {
                        if letters[k] == a {
                            Some((k, b))
                        } else if letters[k] == b {
                            Some((k, a))
                        } else {
                            None
                        }
                    })
                })
                .collect();
            let &(k, c) = positions.choose(rng)?;
            let mut new = letters.clone();
            new[k] = c;
            word(new)
        }
        ErrorKind::Case if n >= 2 && letters[0].is_alphabetic() => {
            let first = letters[0];
            let flipped: char = if first.is_uppercase() {
                // An all-capitals word keeps its look; only a capitalized word loses its capital.
                if letters[1].is_uppercase() {
                    return None;
                }
                first.to_lowercase().next()?
            } else {
                first.to_uppercase().next()?
            };
            let mut new = letters.clone();
            new[0] = flipped;
            word(new)
        }
        ErrorKind::DoubledWord => {
            let token: String = w.chars[w.token.clone()].iter().collect();
            Some((w.token.clone(), format!("{token} {token}"), None))
        }
        ErrorKind::DroppedWord => {
            // The word and the spaces before it go; the space after the previous word is where
            // it stood. Only inside a line, after a word.
            let before = &w.chars[..w.token.start];
            let spaces = before.iter().rev().take_while(|c| **c == ' ').count();
            let prev = before.len().checked_sub(spaces + 1)?;
            if spaces == 0 || w.chars[prev] == '\n' {
                return None;
            }
            let after = w.chars.get(w.token.end)?;
            if *after != ' ' {
                return None;
            }
            Some((w.token.start - spaces..w.token.end, String::new(), Some(0..1)))
        }
        ErrorKind::DroppedLine => {
            // The whole line the word is on, with the line break before it: the line break
            // after it is where it stood.
            let start = w.chars[..w.token.start].iter().rposition(|c| *c == '\n')?;
            let end = w.token.end + w.chars[w.token.end..].iter().position(|c| *c == '\n')?;
            let line: String = w.chars[start + 1..end].iter().collect();
            if line.split_whitespace().count() < 3 || near_protected(&(start..end)) {
                return None;
            }
            Some((start..end, String::new(), Some(0..1)))
        }
        ErrorKind::Normalization => {
            let lower = w.core.to_lowercase();
            if lower.len() != w.core.len() {
                return None;
            }
            VARIANTS.iter().find_map(|&(typed, edited)| {
                let at = if typed.chars().count() >= 3 {
                    // Endings: «colour» → «color», not «four» → «for».
                    (lower.ends_with(typed) && n >= typed.chars().count() + 3).then(|| lower.len() - typed.len())
                } else {
                    lower.find(typed)
                }?;
                let edited_word = format!("{}{}{}", &w.core[..at], edited, &w.core[at + typed.len()..]);
                (edited_word != w.core).then(|| (w.span.clone(), edited_word, None))
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn apply(text: &str, at: &str, kind: ErrorKind) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        let start = text[..text.find(at)?].chars().count();
        let span = start..start + at.chars().count();
        let w = Word { core: at, span: span.clone(), token: span, chars: &chars };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (span, new, _) = corrupt(kind, &w, &|_| false, &mut rng)?;
        Some(
            chars[..span.start]
                .iter()
                .chain(new.chars().collect::<Vec<_>>().iter())
                .chain(&chars[span.end..])
                .collect(),
        )
    }

    #[test]
    fn each_kind_makes_its_error() {
        assert_eq!(apply("all of the time", "of", ErrorKind::DroppedWord).as_deref(), Some("all the time"));
        assert_eq!(apply("the committee met", "committee", ErrorKind::Case).as_deref(), Some("the Committee met"));
        assert_eq!(apply("The Committee met", "Committee", ErrorKind::Case).as_deref(), Some("The committee met"));
        assert_eq!(apply("in the colour red", "colour", ErrorKind::Normalization).as_deref(), Some("in the color red"));
        assert_eq!(apply("four", "four", ErrorKind::Normalization), None);
        assert_eq!(apply("a big dog", "big", ErrorKind::DoubledWord).as_deref(), Some("a big big dog"));
        let lines = "first line here\nsecond line is here\nthird line";
        assert_eq!(apply(lines, "second", ErrorKind::DroppedLine).as_deref(), Some("first line here\nthird line"));
        let slipped = apply("the house", "house", ErrorKind::KeyboardSlip).unwrap();
        assert_ne!(slipped, "the house");
        let glyph = apply("the house", "house", ErrorKind::Homoglyph).unwrap();
        assert!(glyph.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)), "{glyph}");
        let swapped = apply("the house", "house", ErrorKind::Transposition).unwrap();
        let mut a: Vec<char> = swapped.chars().collect();
        let mut b: Vec<char> = "the house".chars().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn neighbouring_keys() {
        assert!(neighbours('s').contains(&'a') && neighbours('s').contains(&'d'));
        assert!(neighbours('S').contains(&'A'));
        assert!(neighbours('ы').contains(&'ф'));
        assert!(neighbours('1').is_empty());
    }
}
