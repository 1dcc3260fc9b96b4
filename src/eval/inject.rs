//! Error injection for `eval`: a correct transcript in, a corrupted copy out with the spans of
//! what was changed. The errors are the kinds transcribers make: visual confusions, dropped
//! and doubled letters, split and merged words, real-word substitutions, changed digits and
//! changed names. Seeded, so a figure can be reproduced.

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
}

impl ErrorKind {
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
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Injected {
    pub kind: ErrorKind,
    /// Code-point span in the corrupted text.
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

/// Corrupt about one word in `rate`, never touching `protected` (code-point spans).
pub fn inject(text: &str, rate: usize, seed: u64, lexicon: &Lexicon, protected: &[Range<usize>]) -> Corrupted {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let tokens = tokenize(text);
    let chars: Vec<char> = text.chars().collect();
    let eligible: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            let t = &tokens[i];
            t.key.chars().count() >= 2
                && !t.text.contains('\n')
                && !protected.iter().any(|p| p.start < t.chars.end + 1 && t.chars.start < p.end + 1)
        })
        .collect();
    let want = (tokens.len() as f64 / rate.max(1) as f64).round() as usize;
    let mut picked: Vec<usize> = eligible.choose_multiple(&mut rng, want.min(eligible.len())).copied().collect();
    picked.sort_unstable();
    // No two edits next to each other: a merge takes the following word too.
    picked.dedup_by(|b, a| *b <= *a + 1);

    // Edits as (char range in the original, replacement, kind).
    let mut edits: Vec<(Range<usize>, String, ErrorKind)> = Vec::new();
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
            chars[t.chars.end..n.chars.start].iter().all(|c| *c == ' ')
                && trail == 0
                && !protected.iter().any(|p| p.start < n.chars.end + 1 && n.chars.start < p.end + 1)
        });
        if let Some((kind, new, span)) =
            corrupt_word(&core, span, next_word.map(|n| n.chars.clone()), &chars, lexicon, &mut rng)
        {
            edits.push((span, new, kind));
        }
    }

    // Apply in order, tracking how far later offsets move.
    let mut out = String::with_capacity(text.len() + 16);
    let mut injected = Vec::new();
    let mut cursor = 0usize;
    let mut delta: isize = 0;
    let mut shifts: Vec<(usize, isize)> = Vec::new();
    for (span, new, kind) in edits {
        out.extend(&chars[cursor..span.start]);
        let start = (span.start as isize + delta) as usize;
        let new_len = new.chars().count();
        out.push_str(&new);
        injected.push(Injected {
            kind,
            start,
            end: start + new_len,
            before: chars[span.clone()].iter().collect(),
            after: new,
        });
        delta += new_len as isize - span.len() as isize;
        shifts.push((span.end, delta));
        cursor = span.end;
    }
    out.extend(&chars[cursor..]);
    let moved = |at: usize| at as isize + shifts.iter().rev().find(|(end, _)| *end <= at).map_or(0, |(_, d)| *d);
    let protected = protected.iter().map(|p| moved(p.start) as usize..moved(p.end) as usize).collect();
    Corrupted { text: out, injected, protected }
}

fn corrupt_word(
    core: &str,
    span: Range<usize>,
    next: Option<Range<usize>>,
    chars: &[char],
    lexicon: &Lexicon,
    rng: &mut ChaCha8Rng,
) -> Option<(ErrorKind, String, Range<usize>)> {
    let letters: Vec<char> = core.chars().collect();
    let n = letters.len();
    let has_digit = letters.iter().any(|c| c.is_ascii_digit());
    if has_digit {
        let positions: Vec<usize> = (0..n).filter(|&k| letters[k].is_ascii_digit()).collect();
        let k = *positions.choose(rng)?;
        let mut new = letters.clone();
        let d = letters[k].to_digit(10)?;
        new[k] = char::from_digit((d + rng.gen_range(1..10)) % 10, 10)?;
        return Some((ErrorKind::Digit, new.into_iter().collect(), span));
    }
    let capitalized = letters[0].is_uppercase() && letters[1..].iter().all(|c| c.is_lowercase());
    let vowels = "aeiouаеиоуыэюя";
    let mut kinds = vec![
        ErrorKind::Confusion,
        ErrorKind::DroppedLetter,
        ErrorKind::DoubledLetter,
        ErrorKind::Split,
        ErrorKind::RealWord,
        ErrorKind::RealWord,
    ];
    if next.is_some() {
        kinds.push(ErrorKind::Merge);
    }
    if capitalized && lexicon.verdict(core) == Verdict::Unknown {
        kinds.extend([ErrorKind::Name, ErrorKind::Name]);
    }
    kinds.shuffle(rng);
    for kind in kinds {
        let made: Option<String> = match kind {
            ErrorKind::Confusion => {
                let options: Vec<(usize, &str)> = (0..n)
                    .flat_map(|k| {
                        let c = letters[k].to_lowercase().to_string();
                        CONFUSABLE.iter().filter_map(move |&(a, b)| {
                            let other = if a == c {
                                b
                            } else if b == c {
                                a
                            } else {
                                return None;
                            };
                            (other.chars().count() == 1 && other != c).then_some((k, other))
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
                let next = next.clone()?;
                let joined: String = chars[span.start..next.end].iter().filter(|c| **c != ' ').collect();
                return Some((kind, joined, span.start..next.end));
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
            ErrorKind::Name => {
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
        if let Some(new) = made.filter(|m| m != core) {
            return Some((kind, new, span));
        }
    }
    None
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
        let a = inject(text, 6, 7, &lex, &[]);
        let b = inject(text, 6, 7, &lex, &[]);
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
            let c = inject(text, 3, seed, &lex, &protected);
            let chars: Vec<char> = c.text.chars().collect();
            let p = &c.protected[0];
            assert_eq!(chars[p.clone()].iter().collect::<String>(), "eleven", "seed {seed}: {}", c.text);
        }
    }
}
