//! Spelling variants: two forms that are one word spelled two ways, as an edition that
//! modernizes or normalizes changes them («Rumania» / «Romania», «colour» / «color», «Theil» /
//! «Teil», «Straße» / «Strasse», «лѣсъ» / «лес»). Word lists per language are data
//! (`data/variants/LANG.txt`); regular endings and historical letters are rules here. Which of
//! the two the page has is for the scan to say; this only says they are one word.

use std::collections::HashMap;

/// How two forms are one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Only historical or typewriter letters differ: long s, ligatures, ß, umlauts typed as
    /// ae/oe/ue, ѣ і ѳ ѵ ъ.
    Letters,
    /// Spellings of one word: a listed pair, or a regular ending (-our/-or, -ise/-ize, -аго/-ого).
    Spelling,
}

/// The variants of a language combination («eng», «rus+eng»).
#[derive(Debug, Clone, Default)]
pub struct Variants {
    /// Each listed form (lowercase) with the number of its group.
    groups: HashMap<String, Vec<usize>>,
    members: Vec<Vec<String>>,
    /// Regular ending changes (older, newer).
    endings: Vec<(&'static str, &'static str)>,
}

const LISTS: &[(&str, &str)] = &[
    ("eng", include_str!("../data/variants/eng.txt")),
    ("deu", include_str!("../data/variants/deu.txt")),
    ("rus", include_str!("../data/variants/rus.txt")),
];

const ENDINGS: &[(&str, &[(&str, &str)])] = &[
    (
        "eng",
        &[
            ("our", "or"),
            ("ours", "ors"),
            ("oured", "ored"),
            ("ise", "ize"),
            ("ised", "ized"),
            ("ises", "izes"),
            ("ising", "izing"),
            ("isation", "ization"),
            ("yse", "yze"),
            ("tre", "ter"),
            ("tres", "ters"),
            ("lled", "led"),
            ("lling", "ling"),
            ("ller", "ler"),
            ("llers", "lers"),
            ("ogue", "og"),
        ],
    ),
    ("rus", &[("аго", "ого"), ("яго", "его"), ("ыя", "ые"), ("ія", "ие")]),
];

impl Variants {
    /// The lists and rules of every language of `lang` (Tesseract codes joined with «+»).
    pub fn for_languages(lang: &str) -> Variants {
        let mut v = Variants::default();
        for code in lang.split('+').map(|c| c.split('_').next().unwrap_or(c)) {
            if let Some((_, text)) = LISTS.iter().find(|(l, _)| *l == code) {
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                    let group = v.members.len();
                    let forms: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
                    for f in &forms {
                        v.groups.entry(f.clone()).or_default().push(group);
                    }
                    v.members.push(forms);
                }
            }
            if let Some((_, endings)) = ENDINGS.iter().find(|(l, _)| *l == code) {
                v.endings.extend_from_slice(endings);
            }
        }
        v
    }

    /// Whether `a` and `b` are one word spelled two ways (case aside: that is a rule of its own).
    pub fn relate(&self, a: &str, b: &str) -> Option<Variant> {
        let (a, b) = (a.to_lowercase(), b.to_lowercase());
        if a == b || a.is_empty() || b.is_empty() {
            return None;
        }
        let (fa, fb) = (fold_letters(&a), fold_letters(&b));
        if fa == fb {
            return Some(Variant::Letters);
        }
        (self.listed(&fa, &fb) || self.listed(&fb, &fa) || self.ending(&fa, &fb) || self.ending(&fb, &fa))
            .then_some(Variant::Spelling)
    }

    /// The word in today's spelling when it is written in historical letters or with an older
    /// ending («будетъ» → «будет», «новаго» → «нового», «Straſſe» → «Strasse»), so that a
    /// dictionary of today's language can judge it; empty when nothing changes.
    pub fn modern_forms(&self, word: &str) -> Vec<String> {
        let folded = fold_letters(word);
        let mut out = Vec::new();
        for (old, new) in &self.endings {
            let old = fold_letters(old);
            if let Some(stem) = folded.strip_suffix(old.as_str()).filter(|s| s.chars().count() >= 3) {
                out.push(format!("{stem}{new}"));
            }
        }
        if folded != word {
            out.insert(0, folded);
        }
        out
    }

    /// `a` starts with a listed form and `b` with another form of its group, the rest equal.
    fn listed(&self, a: &str, b: &str) -> bool {
        a.char_indices().map(|(i, _)| i).skip(1).chain([a.len()]).any(|cut| {
            let (head, rest) = a.split_at(cut);
            self.groups.get(head).is_some_and(|groups| {
                groups
                    .iter()
                    .any(|&g| self.members[g].iter().any(|m| m != head && b.strip_prefix(m.as_str()) == Some(rest)))
            })
        })
    }

    /// `a` ends with an older ending where `b` has the newer one, the stem equal and long
    /// enough that it is a word's ending («colour» / «color», not «four» / «for»).
    fn ending(&self, a: &str, b: &str) -> bool {
        self.endings.iter().any(|(old, new)| {
            a.strip_suffix(old).is_some_and(|stem| stem.chars().count() >= 3 && b.strip_suffix(new) == Some(stem))
        })
    }
}

/// A word with historical and typewriter letters in their modern spelling.
pub fn fold_letters(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ſ' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬀ' => out.push_str("ff"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ѣ' => out.push('е'),
            'Ѣ' => out.push('Е'),
            'і' | 'ї' => out.push('и'),
            'І' | 'Ї' => out.push('И'),
            'ѳ' => out.push('ф'),
            'Ѳ' => out.push('Ф'),
            'ѵ' => out.push('и'),
            'Ѵ' => out.push('И'),
            'ё' => out.push('е'),
            'Ё' => out.push('Е'),
            _ => out.push(c),
        }
    }
    // A hard sign ending a word was written before 1918 and is not now.
    if (out.ends_with('ъ') || out.ends_with('Ъ')) && out.chars().count() > 1 {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_forms_endings_and_letters() {
        let eng = Variants::for_languages("eng");
        assert_eq!(eng.relate("Rumanians", "Romanians"), Some(Variant::Spelling));
        assert_eq!(eng.relate("colour", "color"), Some(Variant::Spelling));
        assert_eq!(eng.relate("organized", "organised"), Some(Variant::Spelling));
        assert_eq!(eng.relate("four", "for"), None, "too short a stem for an ending");
        assert_eq!(eng.relate("the", "The"), None, "case is not a spelling");
        assert_eq!(eng.relate("form", "from"), None);
        let deu = Variants::for_languages("deu");
        assert_eq!(deu.relate("Strasse", "Straße"), Some(Variant::Letters));
        assert_eq!(deu.relate("Fluechtlinge", "Flüchtlinge"), Some(Variant::Letters));
        assert_eq!(deu.relate("Theilnahme", "Teilnahme"), Some(Variant::Spelling));
        assert_eq!(deu.relate("colour", "color"), None, "English endings are not German");
        let rus = Variants::for_languages("rus+eng");
        assert_eq!(rus.relate("лѣсъ", "лес"), Some(Variant::Letters));
        assert_eq!(rus.relate("новаго", "нового"), Some(Variant::Spelling));
        assert_eq!(rus.relate("colour", "color"), Some(Variant::Spelling));
        assert_eq!(rus.relate("сїе", "сие"), Some(Variant::Letters));
    }

    #[test]
    fn historical_spellings_have_modern_forms() {
        let rus = Variants::for_languages("rus");
        assert_eq!(rus.modern_forms("будетъ"), ["будет"]);
        assert_eq!(rus.modern_forms("повиновеніи"), ["повиновении"]);
        assert_eq!(rus.modern_forms("Іудея"), ["Иудея"]);
        assert_eq!(rus.modern_forms("ОТЪ"), ["ОТ"]);
        assert_eq!(rus.modern_forms("Донскаго"), ["Донского"]);
        assert_eq!(rus.modern_forms("благородныя"), ["благородные"]);
        assert!(rus.modern_forms("будет").is_empty());
        assert!(rus.modern_forms("наго").is_empty(), "a stem too short for an old ending");
        assert_eq!(Variants::for_languages("deu").modern_forms("Straſſe"), ["Strasse"]);
    }
}
