//! Hunspell dictionaries (through `spellbook`) for the languages of `--lang`, plus a
//! collection's own word list (`--dict`). Each dictionary file is parsed once per process
//! (`batch` checks many documents, and a translation's dictionary is asked for per document),
//! queried per candidate.

use crate::error::{Error, Result};
use spellbook::Dictionary;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub struct Lexicon {
    dictionaries: Vec<(String, Arc<Dictionary>)>,
    extra: HashSet<String>,
    /// Languages asked for whose dictionary is not installed (warned about once).
    pub missing: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Known,
    Unknown,
    /// Numbers, single letters and the like: a dictionary has nothing to say.
    NotAWord,
}

/// Hunspell dictionary name and Debian package for a Tesseract language code.
fn hunspell_for(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "rus" => ("ru_RU", "hunspell-ru"),
        "eng" => ("en_US", "hunspell-en-us"),
        "deu" => ("de_DE", "hunspell-de-de"),
        "fra" => ("fr_FR", "hunspell-fr"),
        "ukr" => ("uk_UA", "hunspell-uk"),
        "pol" => ("pl_PL", "hunspell-pl"),
        "ces" => ("cs_CZ", "hunspell-cs"),
        "ita" => ("it_IT", "hunspell-it"),
        "spa" => ("es_ES", "hunspell-es"),
        "nld" => ("nl_NL", "hunspell-nl"),
        "hun" => ("hu_HU", "hunspell-hu"),
        _ => return None,
    })
}

const DICT_DIRS: &[&str] =
    &["/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell", "/usr/local/share/hunspell"];

impl Lexicon {
    /// An empty lexicon: every word is unknown to it (used when lexicon evidence is off).
    pub fn empty() -> Self {
        Lexicon { dictionaries: Vec::new(), extra: HashSet::new(), missing: Vec::new() }
    }

    /// Load the system dictionaries for `lang` (Tesseract codes joined by '+') and the
    /// user's word lists, one word per line.
    pub fn load(lang: &str, word_lists: &[PathBuf]) -> Result<Self> {
        let mut lex = Lexicon::empty();
        for code in lang.split('+') {
            let Some((name, package)) = hunspell_for(code) else {
                lex.missing.push((code.to_string(), "no hunspell dictionary is known for it".into()));
                continue;
            };
            let found = DICT_DIRS.iter().map(Path::new).find(|d| d.join(format!("{name}.dic")).is_file());
            match found {
                Some(dir) => lex.dictionaries.push((
                    name.to_string(),
                    read_dictionary(&dir.join(format!("{name}.aff")), &dir.join(format!("{name}.dic")))?,
                )),
                None => lex.missing.push((code.to_string(), format!("install the Debian package {package}"))),
            }
        }
        for path in word_lists {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            lex.extra.extend(
                text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_lowercase),
            );
        }
        Ok(lex)
    }

    pub fn is_empty(&self) -> bool {
        self.dictionaries.is_empty() && self.extra.is_empty()
    }

    /// Whether `word` (a comparison key: no edge punctuation) is a word of the language.
    pub fn verdict(&self, word: &str) -> Verdict {
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 2 {
            return Verdict::NotAWord;
        }
        // Letters and digits mixed ("5uicide") are no word; ordinals ("18th") and a number
        // with its unit are left to the numbers evidence.
        if word.chars().any(|c| c.is_ascii_digit()) {
            let digits_first = word.chars().take_while(|c| c.is_ascii_digit()).count();
            let mixed_inside = word.chars().skip(digits_first).any(|c| c.is_ascii_digit());
            return if digits_first == 0 || mixed_inside { Verdict::Unknown } else { Verdict::NotAWord };
        }
        if self.extra.contains(&word.to_lowercase()) {
            return Verdict::Known;
        }
        // Hunspell knows "Москва" but treats "МОСКВА" by its CHECKSHARPS/case rules; try the
        // word as typed and in lower case with a capital, as typewritten headings are in caps.
        let lower = word.to_lowercase();
        let mut title = String::new();
        for (i, c) in lower.chars().enumerate() {
            if i == 0 {
                title.extend(c.to_uppercase());
            } else {
                title.push(c);
            }
        }
        let known = self.dictionaries.iter().any(|(_, d)| {
            d.check(word) || d.check(&lower) || d.check(&title) || word.split('-').all(|p| !p.is_empty() && d.check(p))
        });
        if known {
            Verdict::Known
        } else {
            Verdict::Unknown
        }
    }

    /// Hunspell's suggestions for a word (called only for flags that are shown).
    pub fn suggest(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (_, d) in &self.dictionaries {
            d.suggest(word, &mut out);
        }
        out
    }
}

/// A dictionary parsed once per process and shared: parsing en_US takes ~0.2 s, more than
/// checking a one-page letter, and every document of a collection asks for the same ones.
fn read_dictionary(aff: &Path, dic: &Path) -> Result<Arc<Dictionary>> {
    static PARSED: OnceLock<Mutex<HashMap<PathBuf, Arc<Dictionary>>>> = OnceLock::new();
    // Held while parsing, so two threads asking at once parse it once.
    let mut parsed = PARSED.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = parsed.get(dic) {
        return Ok(d.clone());
    }
    let d = Arc::new(parse_dictionary(aff, dic)?);
    parsed.insert(dic.to_path_buf(), d.clone());
    Ok(d)
}

fn parse_dictionary(aff: &Path, dic: &Path) -> Result<Dictionary> {
    let read =
        |p: &Path| std::fs::read(p).map_err(|e| Error::io(p, e)).map(|b| String::from_utf8_lossy(&b).into_owned());
    let (aff_text, dic_text) = (read(aff)?, read(dic)?);
    Dictionary::new(&aff_text, &dic_text)
        .map_err(|e| Error::Dictionary { path: dic.to_path_buf(), reason: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_and_non_words() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("names.txt");
        std::fs::write(&list, "# names\nПишевари\nShabustari\n").unwrap();
        let lex = Lexicon::load("xxx", &[list]).unwrap();
        assert_eq!(lex.verdict("Пишевари"), Verdict::Known);
        assert_eq!(lex.verdict("shabustari"), Verdict::Known);
        assert_eq!(lex.verdict("Пашевар"), Verdict::Unknown);
        assert_eq!(lex.verdict("1444"), Verdict::NotAWord);
        assert_eq!(lex.verdict("И"), Verdict::NotAWord);
        assert_eq!(lex.missing.len(), 1);
    }

    #[test]
    fn system_dictionaries_when_installed() {
        let lex = Lexicon::load("rus+eng", &[]).unwrap();
        if !lex.missing.is_empty() {
            eprintln!("skipped: hunspell dictionaries not installed ({:?})", lex.missing);
            return;
        }
        let known = ["обезоружена", "Москва", "МОСКВА", "товарищ", "barley", "circumstances", "генерал-губернатора"];
        for w in known {
            assert_eq!(lex.verdict(w), Verdict::Known, "{w}");
        }
        for w in ["прекрсный", "cirumstances", "Тетерана"] {
            assert_eq!(lex.verdict(w), Verdict::Unknown, "{w}");
        }
    }
}
