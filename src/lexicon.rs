//! Hunspell dictionaries (through `spellbook`) for the languages of `--lang`, plus a
//! collection's own word list (`--dict`). Each dictionary file is parsed once per process
//! (`batch` checks many documents, and a translation's dictionary is asked for per document),
//! queried per candidate.

use crate::error::{Error, Result};
use crate::variants::Variants;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Spellbook's default hasher is seeded at random per process, and the order of its
/// suggestions follows the hash: with a fixed seed the same word gets the same suggestions in
/// every run, so reports, injected errors and trained models are reproducible.
type Dictionary = spellbook::Dictionary<foldhash::fast::FixedState>;

pub struct Lexicon {
    dictionaries: Vec<(String, Arc<Dictionary>)>,
    extra: HashSet<String>,
    /// Languages asked for whose dictionary is not installed (warned about once).
    pub missing: Vec<(String, String)>,
    /// Spellings of one word in the languages (they need no dictionary).
    variants: Variants,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Known,
    Unknown,
    /// Numbers, single letters and the like: a dictionary has nothing to say.
    NotAWord,
}

/// The ISO 639-1 code of a Tesseract language code. Tesseract names its models by ISO 639-3
/// ("deu", "dan"), sometimes with a suffix for a script or spelling ("deu_latf", "srp_latn");
/// hunspell names its dictionaries by ISO 639-1 and region ("de_DE", "da_DK"). The table is
/// ISO's own (the `isolang` crate), so every language both tools know is covered.
pub fn iso_639_1(code: &str) -> Option<&'static str> {
    let base = code.split('_').next()?.to_ascii_lowercase();
    isolang::Language::from_639_3(&base)?.to_639_1()
}

/// Folders searched for hunspell dictionaries: `DICPATH` (hunspell's own variable) first, then
/// where Debian, Ubuntu, Fedora and Homebrew put them.
fn dictionary_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::env::var_os("DICPATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    dirs.extend(DICT_DIRS.iter().map(PathBuf::from));
    dirs
}

/// Every installed dictionary of a language (ISO 639-1): `da.dic`, `da_DK.dic`, `en_GB.dic`,
/// `de_DE_frami.dic` ..., by name, each file once (Debian links de_BE and de_LU to de_DE).
/// Regional variants all count: a British spelling is not a misspelling of American English.
pub fn installed_dictionaries(iso1: &str) -> Vec<(String, PathBuf)> {
    installed_in(iso1, &dictionary_dirs())
}

fn installed_in(iso1: &str, dirs: &[PathBuf]) -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".dic")).map(str::to_string))
            .filter(|n| n == iso1 || n.strip_prefix(iso1).is_some_and(|rest| rest.starts_with(['_', '-'])))
            .collect();
        names.sort();
        for name in names {
            let dic = dir.join(format!("{name}.dic"));
            if !dir.join(format!("{name}.aff")).is_file() {
                continue;
            }
            let real = std::fs::canonicalize(&dic).unwrap_or_else(|_| dic.clone());
            if seen.insert(real) {
                found.push((name, dic));
            }
        }
    }
    found
}

/// Why a language has no dictionary, for the warning.
fn missing_reason(code: &str) -> String {
    if code.starts_with("script/") || code.chars().next().is_some_and(char::is_uppercase) {
        return "it is a script model, not one language".into();
    }
    match iso_639_1(code) {
        Some(iso1) => {
            format!("no hunspell dictionary '{iso1}*' is installed (Debian/Ubuntu: apt-cache search hunspell-{iso1})")
        }
        None => "it has no ISO 639-1 code, which hunspell dictionaries are named by".into(),
    }
}

const DICT_DIRS: &[&str] = &[
    "/usr/share/hunspell",
    "/usr/share/myspell/dicts",
    "/usr/share/myspell",
    "/usr/local/share/hunspell",
    "/opt/homebrew/share/hunspell",
];

impl Lexicon {
    /// An empty lexicon: every word is unknown to it (used when lexicon evidence is off).
    pub fn empty() -> Self {
        Lexicon { dictionaries: Vec::new(), extra: HashSet::new(), missing: Vec::new(), variants: Variants::default() }
    }

    /// Load the system dictionaries for `lang` (Tesseract codes joined by '+') and the
    /// user's word lists, one word per line.
    pub fn load(lang: &str, word_lists: &[PathBuf]) -> Result<Self> {
        let mut lex = Lexicon { variants: Variants::for_languages(lang), ..Lexicon::empty() };
        for code in lang.split('+') {
            let found = iso_639_1(code).map(installed_dictionaries).unwrap_or_default();
            if found.is_empty() {
                lex.missing.push((code.to_string(), missing_reason(code)));
            }
            let mut failed = None;
            let mut loaded = 0;
            for (name, dic) in found {
                if lex.dictionaries.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                // One unreadable dictionary costs its evidence, not the run.
                match read_dictionary(&dic.with_extension("aff"), &dic) {
                    Ok(d) => {
                        lex.dictionaries.push((name, d));
                        loaded += 1;
                    }
                    Err(e) => failed = Some(e.to_string()),
                }
            }
            if let (0, Some(why)) = (loaded, failed) {
                lex.missing.push((code.to_string(), why));
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

    /// The languages' spelling variants.
    pub fn variants(&self) -> &Variants {
        &self.variants
    }

    /// A lexicon without dictionaries that still knows the languages' spelling variants.
    pub fn variants_only(lang: &str) -> Self {
        Lexicon { variants: Variants::for_languages(lang), ..Lexicon::empty() }
    }

    /// Of the words of `text` the dictionaries can judge (not numbers or single letters), the
    /// share they know; `None` when they can judge none.
    pub fn known_share(&self, text: &str) -> Option<f32> {
        let judged: Vec<Verdict> =
            text.split_whitespace().map(|w| self.verdict(w)).filter(|v| *v != Verdict::NotAWord).collect();
        let known = judged.iter().filter(|v| **v == Verdict::Known).count();
        (!judged.is_empty()).then(|| known as f32 / judged.len() as f32)
    }

    /// The names of the dictionaries loaded ("en_GB", "en_US"), in loading order.
    pub fn dictionary_names(&self) -> Vec<&str> {
        self.dictionaries.iter().map(|(n, _)| n.as_str()).collect()
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
        let title = title_case(&lower);
        let known = self.dictionaries.iter().any(|(_, d)| {
            d.check(word) || d.check(&lower) || d.check(&title) || word.split('-').all(|p| !p.is_empty() && d.check(p))
        });
        // A word in historical letters or with an older ending is a word when today's spelling
        // of it is: a dictionary of today's language does not know «будетъ», a page of 1790 has
        // nothing else (ru-18c: most false alarms there were the dictionary siding with an OCR
        // that reads the old letters as new ones).
        let known = known
            || (!self.dictionaries.is_empty() && self.variants.modern_forms(word).iter().any(|m| self.check_plain(m)));
        if known {
            Verdict::Known
        } else {
            Verdict::Unknown
        }
    }

    /// Whether a dictionary takes `word` in the case it is written in, for a word it knows in
    /// some case: «London» and «Haus» yes, «london» and «haus» no; a capital at the start and
    /// all capitals suit any word. `None` for a word no dictionary knows in any case (or known
    /// only from a word list or by its modern spelling, which say nothing about case).
    pub fn takes_case(&self, word: &str) -> Option<bool> {
        let lower = word.to_lowercase();
        let known = self.dictionaries.iter().any(|(_, d)| d.check(&lower) || d.check(&title_case(&lower)));
        known.then(|| self.dictionaries.iter().any(|(_, d)| d.check(word)))
    }

    /// Whether a dictionary knows `word` as it is or in lower case.
    fn check_plain(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.dictionaries.iter().any(|(_, d)| d.check(word) || d.check(&lower))
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
    let (aff_text, mut dic_text) = (read(aff)?, read(dic)?);
    // Hunspell skips a malformed entry (Debian's da_DK has «"A/S"», whose «S"» is no number
    // under FLAG num); spellbook refuses the whole file and names the line. Skip such lines
    // the way hunspell does, a few at most.
    for _ in 0..MAX_SKIPPED_ENTRIES {
        match Dictionary::new_with_hasher(&aff_text, &dic_text, Default::default()) {
            Ok(d) => return Ok(d),
            Err(e) => {
                let reason = e.to_string();
                let line = reason
                    .split("on line ")
                    .nth(1)
                    .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|&n| n > 1 && reason.contains(".dic"));
                let Some(n) = line else {
                    return Err(Error::Dictionary { path: dic.to_path_buf(), reason });
                };
                dic_text =
                    dic_text.split_inclusive('\n').enumerate().filter(|(i, _)| i + 1 != n).map(|(_, l)| l).collect();
            }
        }
    }
    Dictionary::new_with_hasher(&aff_text, &dic_text, Default::default())
        .map_err(|e| Error::Dictionary { path: dic.to_path_buf(), reason: e.to_string() })
}

/// Malformed dictionary entries skipped before a dictionary is given up on.
const MAX_SKIPPED_ENTRIES: usize = 20;

/// A lower-case word with its first letter a capital.
fn title_case(lower: &str) -> String {
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
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
        // The case a word is written in: a name's small letter is no spelling of it.
        assert_eq!(lex.takes_case("London"), Some(true));
        assert_eq!(lex.takes_case("london"), Some(false));
        assert_eq!(lex.takes_case("Москва"), Some(true));
        assert_eq!(lex.takes_case("москва"), Some(false));
        for w in ["had", "Had", "HAD", "LONDON", "МОСКВА", "товарищ", "Товарищ", "ТОВАРИЩ"] {
            assert_eq!(lex.takes_case(w), Some(true), "{w}");
        }
        assert_eq!(lex.takes_case("Тетерана"), None);
    }

    #[test]
    fn the_same_suggestions_in_the_same_order_from_every_parse() {
        // Each parse stands for a new process: with spellbook's random per-process seed the
        // order of suggestions changed from run to run, and with it the injected errors.
        let (aff, dic) = (Path::new("/usr/share/hunspell/en_US.aff"), Path::new("/usr/share/hunspell/en_US.dic"));
        if !dic.exists() {
            eprintln!("skipped: en_US not installed");
            return;
        }
        let suggest = |d: &Dictionary| {
            let mut all = Vec::new();
            for w in ["thier", "recieve", "goverment", "Comitee", "teh", "wich"] {
                let mut out = Vec::new();
                d.suggest(w, &mut out);
                all.push(out);
            }
            all
        };
        let first = suggest(&parse_dictionary(aff, dic).unwrap());
        assert!(first.iter().all(|s| !s.is_empty()), "{first:?}");
        for _ in 0..3 {
            assert_eq!(suggest(&parse_dictionary(aff, dic).unwrap()), first);
        }
    }

    #[test]
    fn tesseract_codes_map_to_iso_639_1() {
        let cases = [("dan", Some("da")), ("deu", Some("de")), ("deu_latf", Some("de")), ("rus", Some("ru"))];
        for (code, want) in cases {
            assert_eq!(iso_639_1(code), want, "{code}");
        }
        for code in ["script/Cyrillic", "Cyrillic", "osd", "equ"] {
            assert_eq!(iso_639_1(code), None, "{code}");
        }
    }

    #[test]
    fn every_regional_variant_is_found_once() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["en_US", "en_GB", "de_DE", "enx_XX"] {
            std::fs::write(dir.path().join(format!("{name}.dic")), "1\nword\n").unwrap();
            std::fs::write(dir.path().join(format!("{name}.aff")), "SET UTF-8\n").unwrap();
        }
        std::fs::write(dir.path().join("en_AU.dic"), "1\nword\n").unwrap(); // no .aff: skipped
        std::os::unix::fs::symlink(dir.path().join("de_DE.dic"), dir.path().join("de_AT.dic")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("de_DE.aff"), dir.path().join("de_AT.aff")).unwrap();
        let dirs = [dir.path().to_path_buf()];
        let names = |iso| installed_in(iso, &dirs).into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(names("en"), ["en_GB", "en_US"]);
        assert_eq!(names("de").len(), 1, "a link to the same file is loaded once");
        assert!(names("fr").is_empty());
    }

    /// Issue 13: a language outside the old hand-made table of 11 (Danish), and every installed
    /// variant of one inside it (British beside American English). `scripts/setup.sh` installs
    /// hunspell-da and hunspell-en-gb.
    #[test]
    fn issue13_danish_and_british_dictionaries_load() {
        if installed_dictionaries("da").is_empty() {
            eprintln!("skipped: no Danish hunspell dictionary (scripts/setup.sh installs hunspell-da)");
            return;
        }
        let lex = Lexicon::load("dan", &[]).unwrap();
        assert!(lex.missing.is_empty(), "{:?}", lex.missing);
        assert_eq!(lex.verdict("København"), Verdict::Known);
        assert_eq!(lex.verdict("arbejderne"), Verdict::Known);
        assert_eq!(lex.verdict("arbjederne"), Verdict::Unknown);
        let lex = Lexicon::load("eng", &[]).unwrap();
        if lex.dictionary_names().contains(&"en_GB") {
            assert_eq!(lex.verdict("colour"), Verdict::Known, "{:?}", lex.dictionary_names());
            assert_eq!(lex.verdict("color"), Verdict::Known);
        }
        let lex = Lexicon::load("script/Cyrillic", &[]).unwrap();
        assert!(lex.missing[0].1.contains("script model"), "{:?}", lex.missing);
    }
}
