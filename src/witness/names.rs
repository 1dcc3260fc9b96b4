//! Names in an original and its translation: which words are names (capitalized inside a
//! sentence, or unknown to the dictionary), and how far apart two spellings are once Russian
//! case endings and English or German suffixes are set aside (Деканозова ~ Dekanozov,
//! Азербайджанской ~ Azerbaijani).

use super::translit::{self, Script};

/// Russian case endings, longest first within each length, that a name may carry beyond the
/// stem the translation spells (Деканозова / Dekanozov, Тегераном / Tehran).
const RUSSIAN_ENDINGS: &[&str] = &[
    "ского",
    "скому",
    "скими",
    "ском",
    "ской",
    "ский",
    "ских",
    "ским",
    "ская",
    "скую",
    "ские",
    "ское",
    "ами",
    "ями",
    "ого",
    "его",
    "ому",
    "ему",
    "ой",
    "ей",
    "ом",
    "ем",
    "ам",
    "ям",
    "ах",
    "ях",
    "ов",
    "ев",
    "ым",
    "им",
    "ых",
    "их",
    "ую",
    "ая",
    "ое",
    "ые",
    "ий",
    "ый",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "и",
    "ы",
];

/// English and German suffixes a translation adds to a name (Azerbaijani, Stalin's, Irans).
const LATIN_SUFFIXES: &[&str] = &["ians", "ian", "ans", "ese", "'s", "’s", "an", "en", "er", "s", "i"];

/// Letters a stem keeps: shorter stems match anything.
const MIN_STEM: usize = 3;

/// How `original` (a word of the original) reads against `witness` (a word of the translation).
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Cost in letters (1.0 is one wrong letter; accepted renderings cost little or nothing).
    pub cost: f32,
    /// Letters of the original's stem.
    pub stem_letters: usize,
    /// The original's ending left out of the comparison («а» of «Деканозова»).
    pub ending: String,
    /// The translation's word without its suffix.
    pub witness_stem: String,
}

impl Match {
    pub fn relative(&self) -> f32 {
        self.cost / self.stem_letters.max(self.witness_stem.chars().count()).max(1) as f32
    }
}

fn stems_cyr(word: &str) -> Vec<(String, String)> {
    let lower = word.to_lowercase();
    let mut out = vec![(word.to_string(), String::new())];
    for e in RUSSIAN_ENDINGS {
        if lower.ends_with(e) {
            let n = word.chars().count() - e.chars().count();
            if n >= MIN_STEM {
                let stem: String = word.chars().take(n).collect();
                let ending: String = word.chars().skip(n).collect();
                out.push((stem, ending));
            }
        }
    }
    out
}

fn stems_latin(word: &str) -> Vec<String> {
    let lower = translit::fold_latin(word);
    let mut out = vec![lower.clone()];
    for s in LATIN_SUFFIXES {
        if let Some(stem) = lower.strip_suffix(s) {
            if stem.chars().count() >= MIN_STEM {
                out.push(stem.to_string());
            }
        }
    }
    out
}

/// The script of a word's letters.
pub fn script(word: &str) -> Option<Script> {
    translit::dominant_script(word).0
}

/// The best reading of `original` as `witness` over the endings either may carry. None when
/// the scripts cannot be compared.
pub fn compare(original: &str, witness: &str) -> Option<Match> {
    let (so, sw) = (script(original)?, script(witness)?);
    let mut best: Option<Match> = None;
    let mut consider = |m: Match| {
        if best.as_ref().is_none_or(|b| m.cost < b.cost - 1e-6) {
            best = Some(m);
        }
    };
    // Setting an ending aside is nearly free, but a reading that needs none is preferred.
    const ENDING: f32 = 0.05;
    match (so, sw) {
        (Script::Cyrillic, Script::Latin) => {
            for (stem, ending) in stems_cyr(original) {
                for (k, w) in stems_latin(witness).into_iter().enumerate() {
                    let extra = ENDING * ((!ending.is_empty()) as u8 + (k > 0) as u8) as f32;
                    let cost = translit::compare(&stem, &w).cost + extra;
                    consider(Match {
                        cost,
                        stem_letters: stem.chars().count(),
                        ending: ending.clone(),
                        witness_stem: w,
                    });
                }
            }
        }
        (Script::Latin, Script::Cyrillic) => {
            for (stem, _) in stems_cyr(witness) {
                for (k, o) in stems_latin(original).into_iter().enumerate() {
                    let cost = translit::compare(&stem, &o).cost + if k > 0 { ENDING } else { 0.0 };
                    let ending = translit::fold_latin(original)[o.len()..].to_string();
                    consider(Match {
                        cost,
                        stem_letters: o.chars().count(),
                        ending,
                        witness_stem: stem.to_lowercase(),
                    });
                }
            }
        }
        (a, b) if a == b => {
            for (k, o) in stems_latin(original).into_iter().enumerate() {
                for (l, w) in stems_latin(witness).into_iter().enumerate() {
                    let cost = strsim::levenshtein(&o, &w) as f32 + ENDING * ((k > 0) as u8 + (l > 0) as u8) as f32;
                    let ending = translit::fold_latin(original)[o.len()..].to_string();
                    consider(Match { cost, stem_letters: o.chars().count(), ending, witness_stem: w });
                }
            }
        }
        _ => {}
    }
    best
}

/// The original's word spelled as the translation has it, keeping the original's own ending
/// and the letters whose rendering differs only by scheme (мецлис / Majlis → меджлис).
pub fn respell(original: &str, m: &Match, loose_vowels: bool) -> String {
    match (script(original), script(&m.witness_stem)) {
        (Some(Script::Cyrillic), Some(Script::Latin)) => {
            let n = original.chars().count() - m.ending.chars().count();
            let stem: String = original.chars().take(n).collect();
            // Letter by letter while the two are mostly alike; a name that differs throughout
            // (Саадиев / Sadchikov) is the translation's, spelled back whole.
            let mut out = if m.relative() <= 0.25 {
                translit::respell(&stem, &m.witness_stem, loose_vowels)
            } else {
                capitalize_like(original, &translit::to_cyrillic(&m.witness_stem))
            };
            out.push_str(&m.ending);
            out
        }
        (Some(Script::Latin), Some(Script::Cyrillic)) => {
            capitalize_like(original, &translit::to_latin(&m.witness_stem))
        }
        _ => capitalize_like(original, &m.witness_stem),
    }
}

fn capitalize_like(model: &str, word: &str) -> String {
    if model.chars().next().is_some_and(char::is_uppercase) {
        let mut cs = word.chars();
        cs.next().map(|c| c.to_uppercase().chain(cs).collect()).unwrap_or_default()
    } else {
        word.to_string()
    }
}

/// Whether an initial of the original («И») and one of the translation ("M") are the same
/// letter in some rendering (Ю / Yu, Х / Kh or H, Е / E or Ye).
pub fn same_initial(original: &str, witness: &str) -> bool {
    let (o, w) = (original.to_lowercase(), translit::fold_latin(witness));
    match (script(&o), script(&w)) {
        (Some(Script::Cyrillic), Some(Script::Latin)) => {
            let c = o.chars().next().unwrap_or(' ');
            let r = translit::compare(&c.to_string(), &w);
            r.cost < 0.5
        }
        (Some(Script::Latin), Some(Script::Cyrillic)) => same_initial(witness, original),
        _ => o == w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_are_set_aside() {
        for (o, w) in [
            ("Деканозова", "Dekanozov"),
            ("Азербайджанской", "Azerbaijani"),
            ("Тегерана", "Tehran"),
            ("Казвине", "Qazvin"),
            ("СТАЛИНУ", "Stalin"),
        ] {
            let m = compare(o, w).unwrap();
            assert!(m.cost < 0.75, "{o} / {w}: {m:?}");
        }
        let m = compare("Садыкова", "Sadchikov").unwrap();
        assert_eq!(m.ending, "а");
        assert_eq!(respell("Садыкова", &m, true), "Садчикова");
    }

    #[test]
    fn respelling_names() {
        let m = compare("Джавил", "Javid").unwrap();
        assert_eq!(respell("Джавил", &m, false), "Джавид");
        let m = compare("Хансе", "Khams").unwrap();
        assert_eq!(respell("Хансе", &m, false), "Хамсе");
    }

    #[test]
    fn initials() {
        assert!(same_initial("Д", "D"));
        assert!(same_initial("Х", "Kh"));
        assert!(!same_initial("И", "M"));
    }
}
