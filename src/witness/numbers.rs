//! Numbers in running text: digits ("15,000", "40-41,42", "1946г.") and number words in
//! Russian, English and German, inflected Russian forms included («девяти-месячной» → 9,
//! «15 тысяч» → 15000), so that an original and its translation can be compared by value.

use std::ops::Range;

/// The languages whose number words are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Russian,
    English,
    German,
    Other,
}

impl Lang {
    /// From a Tesseract language code ("rus", "eng", "deu"; the first of "rus+eng").
    pub fn from_code(code: &str) -> Lang {
        match code.split('+').next().unwrap_or("") {
            "rus" | "ru" | "ukr" | "bel" => Lang::Russian,
            "eng" | "en" => Lang::English,
            "deu" | "de" | "ger" => Lang::German,
            _ => Lang::Other,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Russian => "rus",
            Lang::English => "eng",
            Lang::German => "deu",
            Lang::Other => "",
        }
    }
}

/// Russian cardinals with their case forms, in a fixed order of cases so that a number can be
/// respelled in the case of the one it replaces (nominative, genitive, dative, instrumental,
/// prepositional). "One" is left out: «один», "one" and "ein" are as often pronouns or articles.
const RUSSIAN: &[(u64, [&str; 5])] = &[
    (2, ["два", "двух", "двум", "двумя", "двух"]),
    (3, ["три", "трех", "трем", "тремя", "трех"]),
    (4, ["четыре", "четырех", "четырем", "четырьмя", "четырех"]),
    (5, ["пять", "пяти", "пяти", "пятью", "пяти"]),
    (6, ["шесть", "шести", "шести", "шестью", "шести"]),
    (7, ["семь", "семи", "семи", "семью", "семи"]),
    (8, ["восемь", "восьми", "восьми", "восемью", "восьми"]),
    (9, ["девять", "девяти", "девяти", "девятью", "девяти"]),
    (10, ["десять", "десяти", "десяти", "десятью", "десяти"]),
    (11, ["одиннадцать", "одиннадцати", "одиннадцати", "одиннадцатью", "одиннадцати"]),
    (12, ["двенадцать", "двенадцати", "двенадцати", "двенадцатью", "двенадцати"]),
    (13, ["тринадцать", "тринадцати", "тринадцати", "тринадцатью", "тринадцати"]),
    (14, ["четырнадцать", "четырнадцати", "четырнадцати", "четырнадцатью", "четырнадцати"]),
    (15, ["пятнадцать", "пятнадцати", "пятнадцати", "пятнадцатью", "пятнадцати"]),
    (16, ["шестнадцать", "шестнадцати", "шестнадцати", "шестнадцатью", "шестнадцати"]),
    (17, ["семнадцать", "семнадцати", "семнадцати", "семнадцатью", "семнадцати"]),
    (18, ["восемнадцать", "восемнадцати", "восемнадцати", "восемнадцатью", "восемнадцати"]),
    (19, ["девятнадцать", "девятнадцати", "девятнадцати", "девятнадцатью", "девятнадцати"]),
    (20, ["двадцать", "двадцати", "двадцати", "двадцатью", "двадцати"]),
    (30, ["тридцать", "тридцати", "тридцати", "тридцатью", "тридцати"]),
    (40, ["сорок", "сорока", "сорока", "сорока", "сорока"]),
    (50, ["пятьдесят", "пятидесяти", "пятидесяти", "пятьюдесятью", "пятидесяти"]),
    (60, ["шестьдесят", "шестидесяти", "шестидесяти", "шестьюдесятью", "шестидесяти"]),
    (70, ["семьдесят", "семидесяти", "семидесяти", "семьюдесятью", "семидесяти"]),
    (80, ["восемьдесят", "восьмидесяти", "восьмидесяти", "восемьюдесятью", "восьмидесяти"]),
    (90, ["девяносто", "девяноста", "девяноста", "девяноста", "девяноста"]),
    (100, ["сто", "ста", "ста", "ста", "ста"]),
    (200, ["двести", "двухсот", "двумстам", "двумястами", "двухстах"]),
    (300, ["триста", "трехсот", "тремстам", "тремястами", "трехстах"]),
    (400, ["четыреста", "четырехсот", "четыремстам", "четырьмястами", "четырехстах"]),
    (500, ["пятьсот", "пятисот", "пятистам", "пятьюстами", "пятистах"]),
    (600, ["шестьсот", "шестисот", "шестистам", "шестьюстами", "шестистах"]),
    (700, ["семьсот", "семисот", "семистам", "семьюстами", "семистах"]),
    (800, ["восемьсот", "восьмисот", "восьмистам", "восемьюстами", "восьмистах"]),
    (900, ["девятьсот", "девятисот", "девятистам", "девятьюстами", "девятистах"]),
];

/// «семью» is also "family" (accusative of «семья»): as a whole word it is left out.
const RUSSIAN_AMBIGUOUS: &[&str] = &["семью"];

const RUSSIAN_THOUSAND: &[&str] =
    &["тысяча", "тысячи", "тысяче", "тысячу", "тысячей", "тысячью", "тысяч", "тысячам", "тысячами", "тысячах"];
const RUSSIAN_MILLION: &[&str] =
    &["миллион", "миллиона", "миллиону", "миллионом", "миллионе", "миллионы", "миллионов", "миллионам", "миллионами"];

const ENGLISH: &[(u64, &str)] = &[
    (2, "two"),
    (3, "three"),
    (4, "four"),
    (5, "five"),
    (6, "six"),
    (7, "seven"),
    (8, "eight"),
    (9, "nine"),
    (10, "ten"),
    (11, "eleven"),
    (12, "twelve"),
    (13, "thirteen"),
    (14, "fourteen"),
    (15, "fifteen"),
    (16, "sixteen"),
    (17, "seventeen"),
    (18, "eighteen"),
    (19, "nineteen"),
    (20, "twenty"),
    (30, "thirty"),
    (40, "forty"),
    (50, "fifty"),
    (60, "sixty"),
    (70, "seventy"),
    (80, "eighty"),
    (90, "ninety"),
];

const GERMAN: &[(u64, &str)] = &[
    (2, "zwei"),
    (3, "drei"),
    (4, "vier"),
    (5, "fünf"),
    (6, "sechs"),
    (7, "sieben"),
    (8, "acht"),
    (9, "neun"),
    (10, "zehn"),
    (11, "elf"),
    (12, "zwölf"),
    (13, "dreizehn"),
    (14, "vierzehn"),
    (15, "fünfzehn"),
    (16, "sechzehn"),
    (17, "siebzehn"),
    (18, "achtzehn"),
    (19, "neunzehn"),
    (20, "zwanzig"),
    (30, "dreißig"),
    (40, "vierzig"),
    (50, "fünfzig"),
    (60, "sechzig"),
    (70, "siebzig"),
    (80, "achtzig"),
    (90, "neunzig"),
];

/// Second halves of Russian compounds that begin with a number in the genitive
/// («девятимесячный», «пятилетка», «двухэтажный»), so the number is found without a hyphen.
const RUSSIAN_COMPOUND_TAILS: &[&str] = &[
    "месяч",
    "летн",
    "лети",
    "летк",
    "дневн",
    "недельн",
    "часов",
    "минутн",
    "кратн",
    "этажн",
    "процентн",
    "тонн",
    "километров",
    "метров",
];

/// What a word is as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Word {
    Value(u64),
    Hundred,
    Thousand,
    Million,
}

fn russian_word(w: &str) -> Option<Word> {
    if RUSSIAN_AMBIGUOUS.contains(&w) {
        return None;
    }
    let w = w.replace('ё', "е");
    for (v, forms) in RUSSIAN {
        if forms.contains(&w.as_str()) {
            return Some(Word::Value(*v));
        }
    }
    if RUSSIAN_THOUSAND.contains(&w.as_str()) {
        return Some(Word::Thousand);
    }
    if RUSSIAN_MILLION.contains(&w.as_str()) {
        return Some(Word::Million);
    }
    // A number fused with what it counts: «девятимесячной».
    for (v, forms) in RUSSIAN {
        let genitive = forms[1];
        if let Some(tail) = w.strip_prefix(genitive) {
            if RUSSIAN_COMPOUND_TAILS.iter().any(|t| tail.starts_with(t)) {
                return Some(Word::Value(*v));
            }
        }
    }
    None
}

fn english_word(w: &str) -> Option<Word> {
    if let Some((_, v)) = ENGLISH.iter().map(|(v, s)| (s, v)).find(|(s, _)| **s == w) {
        return Some(Word::Value(*v));
    }
    match w {
        "hundred" | "hundreds" => Some(Word::Hundred),
        "thousand" | "thousands" => Some(Word::Thousand),
        "million" | "millions" => Some(Word::Million),
        _ => None,
    }
}

fn german_word(w: &str) -> Option<Word> {
    if let Some((_, v)) = GERMAN.iter().map(|(v, s)| (s, v)).find(|(s, _)| **s == w) {
        return Some(Word::Value(*v));
    }
    match w {
        "hundert" => return Some(Word::Hundred),
        "tausend" => return Some(Word::Thousand),
        "million" | "millionen" => return Some(Word::Million),
        _ => {}
    }
    // "fünfundzwanzig": ones "und" tens.
    let (ones, tens) = w.split_once("und")?;
    let o = GERMAN.iter().find(|(v, s)| *v < 10 && *s == ones.trim_end_matches('s'))?.0;
    let t = GERMAN.iter().find(|(v, s)| *v >= 20 && *s == tens)?.0;
    Some(Word::Value(t + o))
}

fn number_word(w: &str, lang: Lang) -> Option<Word> {
    let w = w.to_lowercase();
    match lang {
        Lang::Russian => russian_word(&w),
        Lang::English => english_word(&w),
        Lang::German => german_word(&w),
        Lang::Other => None,
    }
}

/// Digit groups of one word: "15,000" is one number, "40-41,42" three, "1946г." one.
fn digit_values(word: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let mut digits: String = chars[start..i].iter().collect();
        // Thousands separators: "15,000", "12.000", "1 000" is two words and joined by the caller.
        if digits.len() <= 3 {
            while i + 4 <= chars.len()
                && matches!(chars.get(i), Some(',') | Some('.') | Some('\u{202F}') | Some('\''))
                && chars[i + 1..].iter().take(3).filter(|c| c.is_ascii_digit()).count() == 3
                && !chars.get(i + 4).is_some_and(|c| c.is_ascii_digit())
            {
                digits.extend(&chars[i + 1..i + 4]);
                i += 4;
            }
        }
        if let Ok(v) = digits.parse() {
            out.push(v);
        }
    }
    out
}

/// A number found in a run of words, with the words it spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub value: u64,
    /// Indices into the words given to `find_numbers`.
    pub words: Range<usize>,
    /// Spelled out (not digits).
    pub spelled: bool,
}

/// Every number in a run of words (cores, no edge punctuation), composing number words
/// ("twenty five", «четыре тысячи», "15 тысяч").
pub fn find_numbers(words: &[&str], lang: Lang) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    // The number being composed: (total, current, first word, spelled).
    let mut acc: Option<(u64, u64, usize, bool)> = None;
    let flush = |acc: &mut Option<(u64, u64, usize, bool)>, end: usize, out: &mut Vec<Mention>| {
        if let Some((total, current, start, spelled)) = acc.take() {
            out.push(Mention { value: total + current, words: start..end, spelled });
        }
    };
    for (i, w) in words.iter().enumerate() {
        let parts: Vec<&str> = w.split(['-', '‐', '–']).filter(|p| !p.is_empty()).collect();
        let is_digits = w.chars().any(|c| c.is_ascii_digit());
        if is_digits {
            flush(&mut acc, i, &mut out);
            let values = digit_values(w);
            // A lone number followed by a multiplier word composes ("15 тысяч").
            if values.len() == 1 && w.chars().all(|c| c.is_ascii_digit()) {
                acc = Some((0, values[0], i, false));
            } else {
                out.extend(values.into_iter().map(|value| Mention { value, words: i..i + 1, spelled: false }));
            }
            continue;
        }
        // Number words: the whole word, or the parts of a hyphenated compound ("twenty-five",
        // «девяти-месячной», "nine-month").
        let mut found: Vec<Word> = Vec::new();
        if let Some(x) = number_word(w, lang) {
            found.push(x);
        } else {
            for p in &parts {
                match number_word(p, lang) {
                    Some(x) => found.push(x),
                    None => break,
                }
            }
        }
        if found.is_empty() {
            flush(&mut acc, i, &mut out);
            continue;
        }
        for x in found {
            match (x, acc.as_mut()) {
                (Word::Value(v), Some((_, current, _, _))) if *current >= 20 && *current % 10 == 0 && v < 10 => {
                    *current += v;
                }
                (Word::Value(v), Some((_, current, _, _))) if *current >= 100 && *current % 100 == 0 && v < 100 => {
                    *current += v;
                }
                (Word::Value(v), _) => {
                    flush(&mut acc, i, &mut out);
                    acc = Some((0, v, i, true));
                }
                (Word::Hundred, Some((_, current, _, spelled))) => {
                    *current = (*current).max(1) * 100;
                    *spelled = true;
                }
                (Word::Thousand, Some((total, current, _, spelled))) => {
                    *total += (*current).max(1) * 1000;
                    *current = 0;
                    *spelled = true;
                }
                (Word::Million, Some((total, current, _, spelled))) => {
                    *total += (*current).max(1) * 1_000_000;
                    *current = 0;
                    *spelled = true;
                }
                (Word::Hundred, None) => acc = Some((0, 100, i, true)),
                (Word::Thousand, None) => acc = Some((1000, 0, i, true)),
                (Word::Million, None) => acc = Some((1_000_000, 0, i, true)),
            }
        }
        // A compound adjective ends the number: «девяти-месячной задержки».
        if parts.len() > 1 && parts.iter().any(|p| number_word(p, lang).is_none()) {
            flush(&mut acc, i + 1, &mut out);
        }
    }
    flush(&mut acc, words.len(), &mut out);
    out
}

/// Whether two different numbers are near enough to be one misread or mistyped as the other:
/// one apart (девять / десять), or one digit changed, added or dropped in a number of two
/// digits or more (1936 / 1938, 144 / 1444). Single digits otherwise stand for themselves.
pub fn near(a: u64, b: u64) -> bool {
    if a == b {
        return false;
    }
    if a.abs_diff(b) == 1 {
        return true;
    }
    let (sa, sb) = (a.to_string(), b.to_string());
    if sa.len() < 2 && sb.len() < 2 {
        return false;
    }
    strsim::levenshtein(&sa, &sb) == 1
}

/// `word` with the number `from` respelled as `to` in the same case («десяти-месячной» with
/// 10 → 9 gives «девяти-месячной»); digits are replaced as digits. None when it cannot say.
pub fn respell(word: &str, from: u64, to: u64, lang: Lang) -> Option<String> {
    if word.chars().any(|c| c.is_ascii_digit()) {
        let f = from.to_string();
        return word.contains(&f).then(|| word.replacen(&f, &to.to_string(), 1));
    }
    if lang != Lang::Russian {
        return None;
    }
    let lower = word.to_lowercase().replace('ё', "е");
    let forms = RUSSIAN.iter().find(|(v, _)| *v == from)?.1;
    let target = RUSSIAN.iter().find(|(v, _)| *v == to)?.1;
    // The longest form of `from` that starts the word (or one of its hyphenated parts).
    let form = forms.iter().filter(|f| lower.contains(*f)).max_by_key(|f| f.len())?;
    let at = lower.find(form)?;
    // Case forms of one value can coincide (пяти: gen, dat, prep); the first case with that
    // form names the slot in the target's paradigm.
    let case = forms.iter().position(|f| f == form)?;
    let chars_before = lower[..at].chars().count();
    let len = form.chars().count();
    let orig: Vec<char> = word.chars().collect();
    let mut replacement = target[case].to_string();
    if orig.get(chars_before).is_some_and(|c| c.is_uppercase()) {
        let mut cs = replacement.chars();
        replacement = cs.next().map(|c| c.to_uppercase().chain(cs).collect()).unwrap_or_default();
    }
    let mut out: String = orig[..chars_before].iter().collect();
    out.push_str(&replacement);
    out.extend(&orig[chars_before + len..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, lang: Lang) -> Vec<u64> {
        let words: Vec<&str> = text.split_whitespace().collect();
        find_numbers(&words, lang).into_iter().map(|m| m.value).collect()
    }

    #[test]
    fn digits_and_words_in_three_languages() {
        let cases: &[(&str, Lang, &[u64])] = &[
            ("после десяти-месячной задержки", Lang::Russian, &[10]),
            ("после девятимесячной задержки", Lang::Russian, &[9]),
            ("сконцентрировано 15 тысяч войск", Lang::Russian, &[15000]),
            ("четыре тысячи федая", Lang::Russian, &[4000]),
            ("на одном или двух участках", Lang::Russian, &[2]),
            ("двадцать пять человек", Lang::Russian, &[25]),
            ("семинар и семью", Lang::Russian, &[]),
            ("after a nine-month delay", Lang::English, &[9]),
            ("In Kurdistan 15,000 troops", Lang::English, &[15000]),
            ("twenty-five men and two hundred horses", Lang::English, &[25, 200]),
            ("two mortars", Lang::English, &[2]),
            ("N 40-41,42,43", Lang::English, &[40, 41, 42, 43]),
            ("2 декабря 1946г.", Lang::Russian, &[2, 1946]),
            ("fünfundzwanzig Soldaten und neun Monate", Lang::German, &[25, 9]),
            ("zwölf tausend", Lang::German, &[12000]),
        ];
        for (text, lang, want) in cases {
            assert_eq!(values(text, *lang), *want, "{text}");
        }
    }

    #[test]
    fn near_numbers() {
        assert!(near(9, 10));
        assert!(near(1936, 1938));
        assert!(near(144, 1444));
        assert!(!near(2, 4));
        assert!(!near(28, 1));
        assert!(!near(15000, 15000));
    }

    #[test]
    fn respelled_in_the_same_case() {
        assert_eq!(respell("десяти-месячной", 10, 9, Lang::Russian).as_deref(), Some("девяти-месячной"));
        assert_eq!(respell("Двух", 2, 3, Lang::Russian).as_deref(), Some("Трех"));
        assert_eq!(respell("1936г.", 1936, 1938, Lang::Russian).as_deref(), Some("1938г."));
        assert_eq!(respell("nine", 9, 10, Lang::English), None);
    }
}
