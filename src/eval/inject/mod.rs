//! Error injection for `eval` and `train`: a correct transcript in, a corrupted copy out with
//! the spans of what was changed. Two families of errors, mixed as `Mix` says:
//! - what an OCR pass leaves in a transcript (`ocr` mix, the kinds of earlier releases): visual
//!   confusions, dropped and doubled letters, split and merged words, real-word substitutions
//!   from the dictionary's suggestions, changed digits and changed names;
//! - what people make typing or proofreading (`human` mix, `human.rs`): keyboard slips
//!   (adjacent keys), transposed letters, a letter from another alphabet that looks the same,
//!   a changed capital, dropped and doubled words, a dropped line, a modernized spelling, and a
//!   familiar word written for one the transcriber misread (a name, a term or a long word
//!   replaced by a dictionary word of like shape a few letters off: «feudal» for «fedai»).
//!
//! Seeded, so a figure can be reproduced.

mod human;

use crate::evidence::resemblance::CONFUSABLE;
use crate::lexicon::{Lexicon, Verdict};
use crate::transcript::tokenize;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    Confusion,
    DroppedLetter,
    DoubledLetter,
    Split,
    Merge,
    RealWord,
    Digit,
    Name,
    KeyboardSlip,
    Transposition,
    Homoglyph,
    Case,
    DroppedWord,
    DoubledWord,
    DroppedLine,
    Normalization,
    Familiar,
    Nearby,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 18] = [
        ErrorKind::Confusion,
        ErrorKind::DroppedLetter,
        ErrorKind::DoubledLetter,
        ErrorKind::Split,
        ErrorKind::Merge,
        ErrorKind::RealWord,
        ErrorKind::Digit,
        ErrorKind::Name,
        ErrorKind::KeyboardSlip,
        ErrorKind::Transposition,
        ErrorKind::Homoglyph,
        ErrorKind::Case,
        ErrorKind::DroppedWord,
        ErrorKind::DoubledWord,
        ErrorKind::DroppedLine,
        ErrorKind::Normalization,
        ErrorKind::Familiar,
        ErrorKind::Nearby,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Confusion => "visual confusion",
            ErrorKind::DroppedLetter => "dropped letter",
            ErrorKind::DoubledLetter => "doubled letter",
            ErrorKind::Split => "split word",
            ErrorKind::Merge => "merged words",
            ErrorKind::RealWord => "real-word substitution",
            ErrorKind::Digit => "changed digit",
            ErrorKind::Name => "changed name",
            ErrorKind::KeyboardSlip => "keyboard slip",
            ErrorKind::Transposition => "transposed letters",
            ErrorKind::Homoglyph => "letter of another alphabet",
            ErrorKind::Case => "changed capital",
            ErrorKind::DroppedWord => "dropped word",
            ErrorKind::DoubledWord => "doubled word",
            ErrorKind::DroppedLine => "dropped line",
            ErrorKind::Normalization => "modernized spelling",
            ErrorKind::Familiar => "familiar word for a misread one",
            ErrorKind::Nearby => "another word of the text",
        }
    }
}

/// How often each kind of error is injected, relative to the others.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix(pub Vec<(ErrorKind, f32)>);

impl Mix {
    /// The errors an OCR pass leaves: the mix of earlier releases, each kind equally likely
    /// where it applies (real-word substitutions twice).
    pub fn ocr() -> Mix {
        use ErrorKind::*;
        Mix(vec![
            (Confusion, 1.0),
            (DroppedLetter, 1.0),
            (DoubledLetter, 1.0),
            (Split, 1.0),
            (Merge, 1.0),
            (RealWord, 2.0),
            (Digit, 1.0),
            (Name, 1.0),
        ])
    }

    /// The errors people make typing and proofreading.
    pub fn human() -> Mix {
        use ErrorKind::*;
        Mix(vec![
            (KeyboardSlip, 1.0),
            (Transposition, 1.0),
            (Homoglyph, 0.5),
            (Case, 1.0),
            (DroppedWord, 1.0),
            (DoubledWord, 0.5),
            (DroppedLine, 0.3),
            (Normalization, 0.5),
            (RealWord, 1.0),
            (Familiar, 1.0),
            (Nearby, 1.0),
            (Digit, 0.5),
        ])
    }

    /// Both, as `eval` and `train` use them by default.
    pub fn all() -> Mix {
        let mut v = Mix::ocr().0;
        for (k, w) in Mix::human().0 {
            match v.iter_mut().find(|(x, _)| *x == k) {
                Some(e) => e.1 += w,
                None => v.push((k, w)),
            }
        }
        Mix(v)
    }

    /// Kinds in a seeded random order weighed by the mix (each at most once), to try in turn
    /// until one applies to the word.
    fn order(&self, rng: &mut ChaCha8Rng) -> Vec<ErrorKind> {
        let mut pool: Vec<(ErrorKind, f32)> = self.0.iter().filter(|(_, w)| *w > 0.0).copied().collect();
        let mut out = Vec::new();
        while !pool.is_empty() {
            let total: f32 = pool.iter().map(|(_, w)| w).sum();
            let mut x = rng.gen::<f32>() * total;
            let k = pool.iter().position(|(_, w)| {
                x -= w;
                x <= 0.0
            });
            let k = k.unwrap_or(pool.len() - 1);
            out.push(pool.remove(k).0);
        }
        out
    }
}

impl std::str::FromStr for Mix {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "ocr" => Ok(Mix::ocr()),
            "human" => Ok(Mix::human()),
            "all" => Ok(Mix::all()),
            // Kinds by name, equally often: «case,dropped-word,dropped-line».
            _ => s
                .split(',')
                .map(|name| {
                    ErrorKind::ALL
                        .into_iter()
                        .find(|k| serde_json::to_value(k).ok().and_then(|v| v.as_str().map(|v| v == name.trim())) == Some(true))
                        .map(|k| (k, 1.0))
                        .ok_or_else(|| format!("unknown error mix or kind '{name}': ocr, human, all, or kinds such as case,dropped-word"))
                })
                .collect::<std::result::Result<Vec<_>, String>>()
                .map(Mix),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Injected {
    pub kind: ErrorKind,
    /// Code-point span in the corrupted text (for a dropped word or line: the space or line
    /// break left where it stood).
    pub start: usize,
    pub end: usize,
    pub before: String,
    pub after: String,
}

/// A corrupted transcript and where it was corrupted; `protected` spans (known real errors of
/// the truth) are moved along so they still point at the same words.
pub struct Corrupted {
    pub text: String,
    pub injected: Vec<Injected>,
    pub protected: Vec<Range<usize>>,
}

/// One planned change: a span of the original (code points), its replacement, and which part
/// of the result is the error (relative to the replacement's start; `None`: all of it).
struct Edit {
    span: Range<usize>,
    new: String,
    kind: ErrorKind,
    marked: Option<Range<usize>>,
}

/// Corrupt about one word in `rate`, never touching `protected` (code-point spans).
pub fn inject(
    text: &str,
    rate: usize,
    seed: u64,
    lexicon: &Lexicon,
    protected: &[Range<usize>],
    mix: &Mix,
) -> Corrupted {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let tokens = tokenize(text);
    let chars: Vec<char> = text.chars().collect();
    let near_protected = |r: &Range<usize>| protected.iter().any(|p| p.start < r.end + 1 && r.start < p.end + 1);
    let eligible: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            let t = &tokens[i];
            t.key.chars().count() >= 2 && !t.text.contains('\n') && !near_protected(&t.chars)
        })
        .collect();
    let want = (tokens.len() as f64 / rate.max(1) as f64).round() as usize;
    let mut picked: Vec<usize> = eligible.choose_multiple(&mut rng, want.min(eligible.len())).copied().collect();
    picked.sort_unstable();
    // No two edits next to each other: a merge takes the following word too.
    picked.dedup_by(|b, a| *b <= *a + 1);

    let mut edits: Vec<Edit> = Vec::new();
    for &i in &picked {
        let t = &tokens[i];
        // The word's letters, without edge punctuation.
        let raw: Vec<char> = t.text.chars().collect();
        let lead = raw.iter().take_while(|c| !c.is_alphanumeric()).count();
        let trail = raw.iter().rev().take_while(|c| !c.is_alphanumeric()).count();
        if lead + trail >= raw.len() {
            continue;
        }
        let core: String = raw[lead..raw.len() - trail].iter().collect();
        let span = t.chars.start + lead..t.chars.end - trail;
        let next_word = tokens.get(i + 1).filter(|n| {
            chars[t.chars.end..n.chars.start].iter().all(|c| *c == ' ') && trail == 0 && !near_protected(&n.chars)
        });
        let word = human::Word { core: &core, span: span.clone(), token: t.chars.clone(), chars: &chars };
        for kind in mix.order(&mut rng) {
            let made = match kind {
                ErrorKind::KeyboardSlip
                | ErrorKind::Transposition
                | ErrorKind::Homoglyph
                | ErrorKind::Case
                | ErrorKind::DroppedWord
                | ErrorKind::DoubledWord
                | ErrorKind::DroppedLine
                | ErrorKind::Normalization => human::corrupt(kind, &word, &near_protected, &mut rng)
                    .map(|(span, new, marked)| Edit { span, new, kind, marked }),
                _ => corrupt_word(
                    kind,
                    &core,
                    span.clone(),
                    next_word.map(|n| n.chars.clone()),
                    &chars,
                    lexicon,
                    &mut rng,
                )
                .map(|(span, new)| Edit { span, new, kind, marked: None }),
            };
            if let Some(e) = made {
                edits.push(e);
                break;
            }
        }
    }
    edits.sort_by_key(|e| e.span.start);
    // A dropped line can reach over a word picked on it: the later edit gives way.
    let mut kept: Vec<Edit> = Vec::new();
    for e in edits {
        if kept.last().is_none_or(|k| k.span.end < e.span.start) {
            kept.push(e);
        }
    }

    // Apply in order, tracking how far later offsets move.
    let mut out = String::with_capacity(text.len() + 16);
    let mut injected = Vec::new();
    let mut cursor = 0usize;
    let mut delta: isize = 0;
    let mut shifts: Vec<(usize, isize)> = Vec::new();
    for e in kept {
        out.extend(&chars[cursor..e.span.start]);
        let start = (e.span.start as isize + delta) as usize;
        let new_len = e.new.chars().count();
        let marked = e.marked.clone().unwrap_or(0..new_len);
        injected.push(Injected {
            kind: e.kind,
            start: start + marked.start,
            end: start + marked.end,
            before: chars[e.span.clone()].iter().collect(),
            after: e.new.clone(),
        });
        out.push_str(&e.new);
        delta += new_len as isize - e.span.len() as isize;
        shifts.push((e.span.end, delta));
        cursor = e.span.end;
    }
    out.extend(&chars[cursor..]);
    let moved = |at: usize| at as isize + shifts.iter().rev().find(|(end, _)| *end <= at).map_or(0, |(_, d)| *d);
    let protected = protected.iter().map(|p| moved(p.start) as usize..moved(p.end) as usize).collect();
    Corrupted { text: out, injected, protected }
}

/// An OCR-like error of `kind` in a word, if it applies: the span changed and its new text.
fn corrupt_word(
    kind: ErrorKind,
    core: &str,
    span: Range<usize>,
    next: Option<Range<usize>>,
    chars: &[char],
    lexicon: &Lexicon,
    rng: &mut ChaCha8Rng,
) -> Option<(Range<usize>, String)> {
    let letters: Vec<char> = core.chars().collect();
    let n = letters.len();
    let has_digit = letters.iter().any(|c| c.is_ascii_digit());
    if has_digit != (kind == ErrorKind::Digit) {
        // Numbers get only digit errors, and words no digit errors.
        return None;
    }
    let capitalized = letters[0].is_uppercase() && letters[1..].iter().all(|c| c.is_lowercase());
    let vowels = "aeiouаеиоуыэюя";
    let made: Option<String> = match kind {
        ErrorKind::Digit => {
            let positions: Vec<usize> = (0..n).filter(|&k| letters[k].is_ascii_digit()).collect();
            let k = *positions.choose(rng)?;
            let mut new = letters.clone();
            let d = letters[k].to_digit(10)?;
            new[k] = char::from_digit((d + rng.gen_range(1..10)) % 10, 10)?;
            Some(new.into_iter().collect())
        }
        ErrorKind::Confusion => {
            let options: Vec<(usize, &str)> = (0..n)
                .flat_map(|k| {
                    let c = letters[k].to_lowercase().to_string();
                    let ascii = letters[k].is_ascii();
                    CONFUSABLE.iter().filter_map(move |&(a, b)| {
                        let other = if a == c {
                            b
                        } else if b == c {
                            a
                        } else {
                            return None;
                        };
                        // Same alphabet only: another alphabet's look-alike is a homoglyph.
                        let same_script = other.chars().all(|o| o.is_ascii() == ascii);
                        (other.chars().count() == 1 && other != c && same_script).then_some((k, other))
                    })
                })
                .collect();
            options.choose(rng).map(|&(k, other)| {
                let mut new = letters.clone();
                let o: char = other.chars().next().unwrap();
                new[k] = if letters[k].is_uppercase() { o.to_uppercase().next().unwrap_or(o) } else { o };
                new.into_iter().collect()
            })
        }
        ErrorKind::DroppedLetter if n >= 4 => {
            let k = rng.gen_range(1..n);
            let mut new = letters.clone();
            new.remove(k);
            Some(new.into_iter().collect())
        }
        ErrorKind::DoubledLetter if n >= 3 => {
            let k = rng.gen_range(1..n);
            let mut new = letters.clone();
            new.insert(k, letters[k]);
            Some(new.into_iter().collect())
        }
        ErrorKind::Split if n >= 6 => {
            let k = rng.gen_range(2..n - 2);
            let (a, b) = letters.split_at(k);
            Some(format!("{} {}", a.iter().collect::<String>(), b.iter().collect::<String>()))
        }
        ErrorKind::Merge => {
            let next = next?;
            let joined: String = chars[span.start..next.end].iter().filter(|c| **c != ' ').collect();
            return Some((span.start..next.end, joined));
        }
        ErrorKind::RealWord if lexicon.verdict(core) == Verdict::Known => {
            let lower = core.to_lowercase();
            let mut options: Vec<String> = lexicon
                .suggest(&lower)
                .into_iter()
                .filter(|s| {
                    s.to_lowercase() != lower
                        && s.chars().all(char::is_alphabetic)
                        && strsim::levenshtein(s, &lower) <= 2
                        && lexicon.verdict(s) == Verdict::Known
                })
                .collect();
            options.sort();
            options.choose(rng).map(|s| match_case(core, s))
        }
        ErrorKind::Familiar if n >= 4 && letters.iter().all(|c| c.is_alphabetic()) => {
            // A transcriber who cannot make out a word writes a word they know of like shape,
            // from the dictionary or from the text at hand: for a name or term the dictionary
            // lacks, one up to three letters off; for a longer word, two to three letters off,
            // four in a word of nine or more (one letter off is a real-word substitution).
            let lower = core.to_lowercase();
            let unknown = lexicon.verdict(core) == Verdict::Unknown;
            if !unknown && n < 6 {
                return None;
            }
            let least = if unknown { 1 } else { 2 };
            let most = if n >= 9 { 4 } else { 3 };
            let fits = |s: &String| {
                let d = strsim::levenshtein(&s.to_lowercase(), &lower);
                s.chars().all(char::is_alphabetic)
                    && (least..=most).contains(&d)
                    && s.chars().count() + 2 >= n
                    // A proper name is not written for a common word.
                    && (capitalized || s.starts_with(char::is_lowercase))
                    && lexicon.verdict(s) == Verdict::Known
            };
            let mut asked = vec![core.to_string()];
            if !unknown {
                // Hunspell's suggestions for a word it knows are mostly a letter off: it is
                // asked too about the word as a hurried eye takes it in, an inner letter
                // changed for another of the word's own.
                let mut blurred = letters.clone();
                let k = rng.gen_range(1..n - 1);
                let others: Vec<char> = letters.iter().copied().filter(|c| *c != letters[k]).collect();
                blurred[k] = *others.choose(rng)?;
                asked.push(blurred.into_iter().collect());
            }
            let text: String = chars.iter().collect();
            let own =
                text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() + 2 >= n).map(str::to_string);
            let mut options: Vec<String> =
                asked.iter().flat_map(|w| lexicon.suggest(w)).chain(own).filter(fits).collect();
            options.sort();
            options.dedup();
            options.choose(rng).map(|s| match_case(core, s))
        }
        ErrorKind::Nearby if letters.iter().all(|c| c.is_alphabetic()) && lexicon.verdict(core) == Verdict::Known => {
            // A word of the lines around for this one, of like length and unlike shape: an eye
            // on the wrong line, or a word of like sense written for the page's («oder» for
            // «und», «from» for «of», «Firmen» for «Betrieben»). No OCR makes these.
            let lower = core.to_lowercase();
            let around: String =
                chars[span.start.saturating_sub(160)..(span.end + 160).min(chars.len())].iter().collect();
            let pieces: Vec<&str> = around.split_whitespace().collect();
            // The first and last pieces may be cut words.
            let inner = pieces.get(1..pieces.len().saturating_sub(1)).unwrap_or(&[]);
            let mut options: Vec<String> = inner
                .iter()
                .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
                .filter(|w| {
                    let m = w.chars().count();
                    m >= 2
                        && m + 2 >= n
                        && m <= n + 3
                        && w.chars().all(char::is_alphabetic)
                        && strsim::levenshtein(&w.to_lowercase(), &lower) >= 2
                        && (capitalized || w.starts_with(char::is_lowercase))
                        && lexicon.verdict(w) == Verdict::Known
                })
                .map(|w| w.to_lowercase())
                .collect();
            options.sort();
            options.dedup();
            options.choose(rng).map(|s| match_case(core, s))
        }
        ErrorKind::Name if capitalized && lexicon.verdict(core) == Verdict::Unknown => {
            let positions: Vec<usize> = (1..n).filter(|&k| vowels.contains(letters[k])).collect();
            positions.choose(rng).map(|&k| {
                let mut new = letters.clone();
                let pool: Vec<char> =
                    vowels.chars().filter(|v| *v != letters[k] && v.is_ascii() == letters[k].is_ascii()).collect();
                new[k] = *pool.choose(rng).unwrap_or(&letters[k]);
                new.into_iter().collect()
            })
        }
        _ => None,
    };
    made.filter(|m| m != core).map(|m| (span, m))
}

/// A replacement word spelled with the original's capitalization.
fn match_case(original: &str, word: &str) -> String {
    if original.chars().next().is_some_and(char::is_uppercase) {
        let mut c = word.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_is_seeded_and_spans_point_at_the_changes() {
        let text = "The committee of the refugees met in Vienna on the 18th of July 1938 and decided to send a letter to the council of the League about the situation of the families";
        let lex = Lexicon::empty();
        let a = inject(text, 6, 7, &lex, &[], &Mix::ocr());
        let b = inject(text, 6, 7, &lex, &[], &Mix::ocr());
        assert_eq!(a.text, b.text);
        assert!(!a.injected.is_empty());
        let chars: Vec<char> = a.text.chars().collect();
        for inj in &a.injected {
            let got: String = chars[inj.start..inj.end].iter().collect();
            assert_eq!(got, inj.after, "{inj:?}");
            assert_ne!(inj.before, inj.after);
        }
    }

    #[test]
    fn protected_spans_are_untouched_and_moved() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lex = Lexicon::empty();
        let protected = vec![text.find("eleven").unwrap()..text.find("eleven").unwrap() + 6];
        for seed in 0..20 {
            let c = inject(text, 3, seed, &lex, &protected, &Mix::all());
            let chars: Vec<char> = c.text.chars().collect();
            let p = &c.protected[0];
            assert_eq!(chars[p.clone()].iter().collect::<String>(), "eleven", "seed {seed}: {}", c.text);
        }
    }
}

#[cfg(test)]
mod word_tests;
