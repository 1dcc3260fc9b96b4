//! Lexicon: whether each reading is a word of the language. A transcript word that is no word
//! while the scan's reading is one is the strongest single sign of a transcription error; the
//! reverse is the usual look of an OCR misread. Also measured here, since they need no OCR at
//! all: words that no language writes (mixed alphabets, a digit among letters, «AAnd»), and
//! words run together («yearsof») or split («hou se»).

use super::{alternatives, evidence, letters, Candidate, Features};
use crate::align::char_edits;
use crate::lexicon::{Lexicon, Verdict};
use crate::types::{DiscrepancyKind, Evidence};

/// How many letters differ between two readings, case aside (each changed stretch counts as
/// its longer side).
fn letters_edited(a: &str, b: &str) -> usize {
    char_edits(&a.to_lowercase(), &b.to_lowercase()).iter().map(|(x, y)| x.chars().count().max(y.chars().count())).sum()
}

/// Verdict on a multi-word reading: unknown if any part is unknown, known if all are known.
fn verdict_of(lex: &Lexicon, text: &str) -> Verdict {
    let mut verdicts = text.split_whitespace().map(|w| lex.verdict(w)).filter(|v| *v != Verdict::NotAWord).peekable();
    if verdicts.peek().is_none() {
        return Verdict::NotAWord;
    }
    if verdicts.clone().any(|v| v == Verdict::Unknown) {
        Verdict::Unknown
    } else {
        Verdict::Known
    }
}

/// Which alphabet a letter belongs to, for the scripts typewriters mix up: Latin, Cyrillic,
/// Greek (`None` for anything else, digits and marks included).
fn script(c: char) -> Option<u8> {
    match c as u32 {
        _ if !c.is_alphabetic() => None,
        0x0370..=0x03FF => Some(2),
        0x0400..=0x052F => Some(1),
        _ if c.is_ascii() || (0x00C0..=0x024F).contains(&(c as u32)) => Some(0),
        _ => None,
    }
}

/// A word that mixes alphabets (a Cyrillic «т» in «theh») or has a digit among its letters
/// («5uicide», «wi1l») is no word of any language: it is what a transcript gets from an OCR
/// pass or a wrong keyboard layout.
pub fn mixed(word: &str) -> bool {
    let core = crate::transcript::word_core(word);
    let n_letters = letters(&core);
    let mut scripts = core.chars().filter_map(script);
    let first = scripts.next();
    let two_scripts = first.is_some() && scripts.any(|s| Some(s) != first);
    // Digits inside a word of letters, not an ordinal or a code at its ends («18th», «B12»).
    let inner = core.trim_matches(|c: char| c.is_ascii_digit());
    let digit_inside = n_letters >= 3 && inner.chars().any(|c| c.is_ascii_digit());
    let digit_led = n_letters >= 4 && core.chars().next().is_some_and(|c| c.is_ascii_digit()) && {
        // «5uicide»: one digit, then only letters.
        let rest = core.trim_start_matches(|c: char| c.is_ascii_digit());
        core.len() - rest.len() == 1 && rest.chars().all(char::is_alphabetic)
    };
    two_scripts || digit_inside || digit_led
}

/// Capitals no spelling uses: two capitals and then small letters («AAnd», «THe»), or a
/// capital after small letters («wOrd»). Names like «McDonald» have a small letter between.
pub fn odd_case(word: &str) -> bool {
    let cs: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if cs.len() < 3 {
        return false;
    }
    let two_caps_then_small = cs[0].is_uppercase() && cs[1].is_uppercase() && cs[2..].iter().all(|c| c.is_lowercase());
    let cap_after_small = cs.windows(3).any(|w| w[0].is_lowercase() && w[1].is_uppercase() && w[2].is_lowercase())
        && cs[0].is_lowercase();
    two_caps_then_small || cap_after_small
}

/// Where a word that is no word splits into two words of the language («yearsof»).
fn splits_into_words(lex: &Lexicon, word: &str) -> Option<(String, String)> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 || lex.verdict(word) != Verdict::Unknown || !chars.iter().all(|c| c.is_alphabetic()) {
        return None;
    }
    (2..chars.len() - 1).find_map(|k| {
        let (a, b): (String, String) = (chars[..k].iter().collect(), chars[k..].iter().collect());
        (lex.verdict(&a) == Verdict::Known && lex.verdict(&b) == Verdict::Known).then_some((a, b))
    })
}

/// A dictionary word one edit from a transcript word that is none, and whether the scan's
/// reading points at it too («Governmemt» → «Government», which the scan's «iGovernment,»
/// holds). The edits use the letters of both readings only: hunspell's own suggestions would
/// find more, but cost tens of milliseconds a word on German compounds, more than the page's
/// OCR; and what matters here is whether the page's letters mend the transcript.
fn nearest_word(lex: &Lexicon, word: &str, scan: &str) -> Option<(String, bool)> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 || !chars.iter().all(|c| c.is_alphabetic()) {
        return None;
    }
    let mut alphabet: Vec<char> = scan.chars().chain(word.chars()).filter(|c| c.is_alphabetic()).collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    let n = chars.len();
    let mut tries: Vec<String> = Vec::new();
    for k in 0..n {
        tries.push(chars[..k].iter().chain(&chars[k + 1..]).collect());
        if k + 1 < n && chars[k] != chars[k + 1] {
            let mut t = chars.clone();
            t.swap(k, k + 1);
            tries.push(t.into_iter().collect());
        }
    }
    for k in 0..=n {
        for &a in &alphabet {
            tries.push(chars[..k].iter().chain(std::iter::once(&a)).chain(&chars[k..]).collect());
            if k < n && a != chars[k] {
                tries.push(chars[..k].iter().chain(std::iter::once(&a)).chain(&chars[k + 1..]).collect());
            }
        }
    }
    let found = tries.into_iter().find(|t| lex.verdict(t) == Verdict::Known)?;
    let (sl, scan, lower) = (found.to_lowercase(), scan.to_lowercase().replace(' ', ""), word.to_lowercase());
    let points = !scan.is_empty()
        && (scan == sl
            || (sl.chars().count() >= 4 && scan.contains(&sl))
            || strsim::levenshtein(&scan, &sl) < strsim::levenshtein(&scan, &lower));
    Some((found, points))
}

/// The dictionary word one letter from the scan's single-word reading of a substitution,
/// when it is not the transcript's word.
fn scan_near_other_word(c: &Candidate, lex: &Lexicon) -> Option<String> {
    let (tw, sw) = (&c.transcript, &c.scan);
    if c.kind != DiscrepancyKind::Substitute || tw.contains(' ') || sw.contains(' ') || letters(sw) < 4 {
        return None;
    }
    nearest_word(lex, sw, tw).map(|(word, _)| word).filter(|w| w.to_lowercase() != tw.to_lowercase())
}

/// Whether `transcript` is `scan`, one word, with one or more of its letters written as digits.
fn digit_for_letter(transcript: &str, scan: &str) -> bool {
    let (t, s): (Vec<char>, Vec<char>) = (transcript.chars().collect(), scan.chars().collect());
    let differ: Vec<(char, char)> = t.iter().zip(&s).filter(|(a, b)| a != b).map(|(a, b)| (*a, *b)).collect();
    t.len() == s.len()
        && t.iter().any(|c| c.is_alphabetic())
        && !differ.is_empty()
        && differ.iter().all(|(a, b)| a.is_ascii_digit() && b.is_alphabetic())
}

/// A line's verdict: words when four in five of the words the dictionary can judge are known,
/// not words when fewer than half are.
fn line_verdict(lex: &Lexicon, line: &str) -> Verdict {
    match lex.known_share(line) {
        Some(share) if share >= 0.8 => Verdict::Known,
        Some(share) if share < 0.5 => Verdict::Unknown,
        _ => Verdict::NotAWord,
    }
}

pub fn measure(c: &Candidate, lex: &Lexicon) -> Option<Evidence> {
    let mut f = Features::default();
    let mut notes: Vec<String> = Vec::new();
    let (tw, sw) = (&c.transcript, &c.scan);
    let single = !tw.is_empty() && !tw.contains(' ');

    // What no language writes, whatever the dictionary.
    if single && mixed(tw) && !mixed(sw) {
        f.flag("t_mixed", true);
        notes.push(format!("«{tw}» mixes alphabets or digits and letters, which no word does"));
    }
    if single && odd_case(tw) && !sw.split_whitespace().any(odd_case) {
        f.flag("t_odd_case", true);
        notes.push(format!("«{tw}» has capitals no spelling uses"));
    }
    if !lex.is_empty() {
        measure_words(c, lex, &mut f, &mut notes);
    }
    if f.is_empty() {
        return None;
    }
    evidence("lexicon", f, notes.join("; "))
}

/// The dictionary's verdicts on both sides, and what they imply.
fn measure_words(c: &Candidate, lex: &Lexicon, f: &mut Features, notes: &mut Vec<String>) {
    let (tw, sw) = (&c.transcript, &c.scan);
    if tw.is_empty() {
        // A word only on the scan: a dropped word is a word, OCR noise seldom is. A line is
        // words when most of its words are (OCR misreads a few of any line).
        let verdict = if c.is_line() { line_verdict(lex, sw) } else { verdict_of(lex, sw) };
        match verdict {
            Verdict::Known => {
                f.flag("s_known", true);
                notes.push(format!("the scan's «{sw}» is spelled as words"));
            }
            Verdict::Unknown => {
                f.flag("s_unknown", true);
                notes.push(format!("the scan's «{sw}» is not in the dictionary"));
            }
            Verdict::NotAWord => {}
        }
        return;
    }
    if sw.is_empty() {
        // Transcript words the scan shows nothing for: a word split by a stray space
        // («hou se») is nearly always the transcriber's slip.
        let joined = tw.replace(' ', "");
        if tw.contains(' ') && verdict_of(lex, tw) == Verdict::Unknown && lex.verdict(&joined) == Verdict::Known {
            f.flag("unread_joins", true);
            notes.push(format!(
                "«{tw}» is not spelled as words, but «{joined}» is a word (the scan shows no word here)"
            ));
        } else {
            match verdict_of(lex, tw) {
                Verdict::Known => f.flag("t_known", true),
                Verdict::Unknown => f.flag("t_unknown", true),
                Verdict::NotAWord => f,
            };
        }
        return;
    }
    let joined_scan = sw.replace(' ', "");
    let joined_transcript = tw.replace(' ', "");
    if joined_scan.to_lowercase() == joined_transcript.to_lowercase() && sw != tw {
        // The same letters spaced differently: the side whose words are all words is right.
        match (verdict_of(lex, tw), verdict_of(lex, sw)) {
            (Verdict::Known, Verdict::Unknown) => {
                f.flag("spacing_t_words", true);
                notes.push(format!("«{tw}» is spelled as words; the scan's «{sw}» is not"));
            }
            (Verdict::Unknown, Verdict::Known) => {
                f.flag("spacing_s_words", true);
                notes.push(format!("«{tw}» is not spelled as words; the scan's «{sw}» is"));
            }
            (Verdict::Known, Verdict::Known) => {
                f.flag("spacing_both_words", true);
                notes.push(format!("both «{tw}» and the scan's «{sw}» are spelled as words"));
            }
            _ => {}
        }
        if !tw.contains(' ') && splits_into_words(lex, tw).is_some() {
            f.flag("t_joins_words", true);
        }
        // Only the case differs: the dictionary may know the word in one case alone («London»,
        // German nouns, «Москва»), whatever the OCR's confidence.
        if !tw.contains(' ') && !sw.contains(' ') {
            match (lex.takes_case(tw), lex.takes_case(sw)) {
                (Some(false), Some(true)) => {
                    f.flag("case_t_not_a_spelling", true);
                    notes.push(format!("the dictionary writes «{sw}» as the scan has it, never «{tw}»"));
                }
                (Some(true), Some(false)) => {
                    f.flag("case_s_not_a_spelling", true);
                    notes.push(format!("the dictionary writes «{tw}» as the transcript has it, never «{sw}»"));
                }
                _ => {}
            }
        }
        return;
    }
    // A split or merged reading is judged as the single word it should be.
    let s = match verdict_of(lex, sw) {
        Verdict::Unknown if sw.contains(' ') && lex.verdict(&joined_scan) == Verdict::Known => Verdict::Known,
        v => v,
    };
    let t = match verdict_of(lex, tw) {
        Verdict::Unknown
            if tw.contains(' ')
                && lex.verdict(&joined_transcript) == Verdict::Known
                && joined_transcript != joined_scan =>
        {
            Verdict::Known
        }
        v => v,
    };
    // A digit where the scan reads a letter of a dictionary word («8yly» for «byly», «8y» for
    // «by»): no spelling writes it, whatever the OCR's confidence; words this short, or led by
    // the digit, escape `mixed`, which must spare ordinals («5th», «3ème»).
    if s == Verdict::Known && digit_for_letter(tw, sw) {
        f.flag("t_digit_for_letter", true);
        notes.push(format!("«{tw}» has a digit where the scan's «{sw}», a dictionary word, has a letter"));
    }
    match (t, s) {
        (Verdict::Unknown, Verdict::Known) => {
            f.flag("t_unknown_s_known", true);
            notes.push(format!("«{tw}» is not in the dictionary; the scan's «{sw}» is"));
        }
        (Verdict::Known, Verdict::Unknown) => {
            // An OCR that garbles a word usually misses by a letter; further apart, the scan's
            // word is more likely a name or term the dictionary lacks.
            let edited = letters_edited(tw, sw);
            f.flag("t_known_s_unknown", true);
            f.flag("t_known_s_near_miss", edited <= 1);
            // How sure the OCR is of a reading that is no word: a name or term the page has,
            // for which a transcriber may have written a word they know («feudal» for
            // «fedai»), or a misreading, which Tesseract can be sure of too (the model learns
            // how often each).
            if c.kind == DiscrepancyKind::Substitute {
                f.set("t_known_s_unknown_conf", c.confidence());
            }
            notes.push(format!("«{tw}» is a dictionary word and the scan's «{sw}» is not"));
            // The scan's reading mended by one letter is another word than the transcript's
            // («rezhostilo» → «rozhostilo», against «rozhostils»): the OCR garbled a letter of
            // a word the transcript does not have.
            if let Some(word) = scan_near_other_word(c, lex) {
                f.flag("t_known_s_near_other", true);
                notes.push(format!("the scan's «{sw}» is one letter from «{word}», which «{tw}» is not"));
            }
        }
        (Verdict::Known, Verdict::Known) => {
            f.flag("both_known", true);
            // One word read as another two or more letters off: a misalignment or the OCR's
            // misreading, or a transcriber's familiar word for a misread one; the reading's
            // certainty is what can tell them apart.
            if c.kind == DiscrepancyKind::Substitute && letters_edited(tw, sw) >= 2 {
                f.set("both_known_far_conf", c.confidence());
            }
            // Between two words only the scan can tell, and how sure the engine was of the
            // very letters in dispute is what it says.
            if c.kind == DiscrepancyKind::Substitute && c.words.len() == 1 {
                f.flag("both_known_firm", alternatives::firm_where_differs(c.words[0], &c.transcript));
            }
            notes.push(format!("both «{tw}» and «{sw}» are words: a real-word error is possible"));
        }
        (Verdict::Unknown, Verdict::Unknown) => {
            f.flag("both_unknown", true);
            notes.push(format!("neither «{tw}» nor «{sw}» is in the dictionary"));
            // The scan's garbled reading mended by one letter is a word the transcript's is
            // not («rewarkably» → «remarkably», against «remarkly»): the page likely has that
            // word. Where the transcript is right, the mended reading is mostly the
            // transcript's own word, or none (a name).
            if let Some(word) = scan_near_other_word(c, lex) {
                f.flag("s_near_other_word", true);
                notes.push(format!("the scan's «{sw}» is one letter from «{word}», which «{tw}» is not"));
            }
        }
        _ => {}
    }
    if t == Verdict::Unknown && !tw.contains(' ') {
        if let Some((word, points)) = nearest_word(lex, tw, sw) {
            f.flag("t_near_word", true);
            f.flag("suggestion_matches_scan", points);
            if points {
                notes.push(format!("the nearest word to «{tw}» is «{word}», which the scan's reading points to"));
            } else {
                notes.push(format!("the nearest word to «{tw}» is «{word}»"));
            }
        }
        // Two words run together («yearsof»), where the scan shows them apart.
        if c.kind == DiscrepancyKind::Merge || c.kind == DiscrepancyKind::Substitute {
            if let Some((a, b)) = splits_into_words(lex, tw) {
                f.flag("t_joins_words", true);
                notes.push(format!("«{tw}» is two words run together («{a} {b}»)"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::test_support::{cand, feature};
    use crate::types::{BBox, OcrWord};

    fn word_list(words: &str) -> (tempfile::TempDir, Lexicon) {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("words.txt");
        std::fs::write(&list, words).unwrap();
        let lex = Lexicon::load("xxx", &[list]).unwrap();
        (dir, lex)
    }

    #[test]
    fn a_word_split_where_the_scan_shows_nothing() {
        let (_dir, lex) = word_list("harbour\nmaster\n");
        let unread = |t: &str| measure(&cand(DiscrepancyKind::Insert, t, ""), &lex);
        assert_eq!(feature(&unread("harb our"), "unread_joins"), 1.0);
        assert_eq!(feature(&unread("harbour master"), "unread_joins"), 0.0);
        assert_eq!(feature(&unread("Qarlsbrook"), "unread_joins"), 0.0);
    }

    #[test]
    fn verdicts_of_both_sides() {
        let (_dir, lex) = word_list("harbour\nmaster\nyears\nof\n");
        let m = |t: &str, s: &str| measure(&cand(DiscrepancyKind::Substitute, t, s), &lex);
        assert_eq!(feature(&m("harbuor", "harbour"), "t_unknown_s_known"), 1.0);
        assert_eq!(feature(&m("harbour", "harbonr"), "t_known_s_near_miss"), 1.0);
        assert_eq!(feature(&m("master", "harbour"), "both_known"), 1.0);
        let joined = measure(&cand(DiscrepancyKind::Merge, "yearsof", "years of"), &lex);
        assert_eq!(feature(&joined, "t_joins_words"), 1.0);
        // A non-word one edit from a word that the scan's garbled reading holds.
        let (_dir, lex) = word_list("government\n");
        let e = measure(&cand(DiscrepancyKind::Substitute, "Governmemt", "iGovernment"), &lex);
        assert_eq!((feature(&e, "t_near_word"), feature(&e, "suggestion_matches_scan")), (1.0, 1.0));
        let e = measure(&cand(DiscrepancyKind::Substitute, "Governmemt", "Gavernnemt"), &lex);
        assert_eq!(feature(&e, "suggestion_matches_scan"), 0.0);
        // The scan's garbled reading is one letter from a word the transcript's is not.
        let (_dir, lex) = word_list("remarkably\n");
        let e = measure(&cand(DiscrepancyKind::Substitute, "remarkly", "rewarkably"), &lex);
        assert_eq!(feature(&e, "s_near_other_word"), 1.0);
        let e = measure(&cand(DiscrepancyKind::Substitute, "remarkabli", "rewarkabli"), &lex);
        assert_eq!(feature(&e, "s_near_other_word"), 0.0, "no word one letter from the scan");
        // The same where the transcript's word is a word too.
        let (_dir, lex) = word_list("rozhostilo\nrozhostils\n");
        let e = measure(&cand(DiscrepancyKind::Substitute, "rozhostils", "rezhostilo"), &lex);
        assert_eq!(feature(&e, "t_known_s_near_other"), 1.0);
        let e = measure(&cand(DiscrepancyKind::Substitute, "rozhostilo", "rezhostilo"), &lex);
        assert_eq!(feature(&e, "t_known_s_near_other"), 0.0, "the mended reading is the transcript's word");
    }

    /// The dictionary's verdicts weighed with the reading's certainty: a reading that is no
    /// word against a transcript word, and a word two or more letters off.
    #[test]
    fn sure_readings_against_dictionary_words() {
        let (_dir, lex) = word_list("feudal\nhouse\nhorse\nhorses\n");
        let word = |text: &str, confidence| OcrWord {
            text: text.into(),
            confidence,
            bbox: BBox::default(),
            line: 0,
            chars: vec![],
        };
        let m = |t: &str, w: &OcrWord| {
            let mut c = cand(DiscrepancyKind::Substitute, t, &w.text);
            c.words = vec![w];
            measure(&c, &lex)
        };
        let (sure, unsure) = (word("fedai", 0.85), word("fedai", 0.5));
        assert_eq!(feature(&m("feudal", &sure), "t_known_s_unknown_conf"), 0.85);
        assert_eq!(feature(&m("feudal", &unsure), "t_known_s_unknown_conf"), 0.5);
        assert_eq!(feature(&m("feudal", &unsure), "t_known_s_unknown"), 1.0);
        assert_eq!(feature(&m("horses", &word("house", 0.9)), "both_known_far_conf"), 0.9);
        assert_eq!(feature(&m("horse", &word("house", 0.9)), "both_known_far_conf"), 0.0, "one letter off");
        // How sure the engine was of the disputed letter, between two words.
        let symbols = |u: f32| {
            let mut w = word("house", 0.9);
            w.chars = "house"
                .chars()
                .map(|ch| crate::types::OcrChar {
                    text: ch.to_string(),
                    confidence: if ch == 'u' { u } else { 0.9957 },
                    alternatives: vec![],
                })
                .collect();
            w
        };
        assert_eq!(feature(&m("horse", &symbols(0.995)), "both_known_firm"), 1.0);
        assert_eq!(feature(&m("horse", &symbols(0.98)), "both_known_firm"), 0.0);
        assert_eq!(feature(&m("hovse", &symbols(0.995)), "both_known_firm"), 0.0, "not both words");
    }

    #[test]
    fn words_no_language_writes() {
        for word in ["wоrd", "h0use", "9ardens", "cобака", "l1ght.", "wi1l"] {
            assert!(mixed(word), "{word}");
        }
        for word in ["house", "18th", "B12", "1938,", "собака", "3-4", "Müller", "2nd"] {
            assert!(!mixed(word), "{word}");
        }
        for word in ["AAnd", "THe", "wOrd", "ТОт"] {
            assert!(odd_case(word), "{word}");
        }
        for word in ["And", "AND", "McDonald", "word", "USA", "MacLeod"] {
            assert!(!odd_case(word), "{word}");
        }
        let e = measure(&cand(DiscrepancyKind::Substitute, "AAnd", "And"), &Lexicon::empty());
        assert_eq!(feature(&e, "t_odd_case"), 1.0);
    }

    #[test]
    fn a_case_the_dictionary_never_writes_the_word_in() {
        let lex = Lexicon::load("eng", &[]).unwrap();
        if !lex.missing.is_empty() {
            eprintln!("skipped: no English hunspell dictionary ({:?})", lex.missing);
            return;
        }
        let m = |t: &str, s: &str| measure(&cand(DiscrepancyKind::Substitute, t, s), &lex);
        assert_eq!(feature(&m("london", "London"), "case_t_not_a_spelling"), 1.0);
        assert_eq!(feature(&m("London", "london"), "case_s_not_a_spelling"), 1.0);
        // Either case of a common word is a spelling: the sentence decides, not the dictionary.
        let e = m("Had", "had");
        assert_eq!((feature(&e, "case_t_not_a_spelling"), feature(&e, "case_s_not_a_spelling")), (0.0, 0.0));
    }

    #[test]
    fn a_digit_written_for_a_letter_of_the_scans_word() {
        let (_dir, lex) = word_list("byly\nby\nnoch\n");
        let m =
            |t: &str, s: &str| feature(&measure(&cand(DiscrepancyKind::Substitute, t, s), &lex), "t_digit_for_letter");
        assert_eq!(m("8yly", "byly"), 1.0);
        assert_eq!(m("8y", "by"), 1.0);
        assert_eq!(m("n0ch", "noch"), 1.0);
        // Not where the scan's word is none («Sth» for «5th»), nor a letter for a letter, nor
        // a digit for a digit.
        assert_eq!(m("5th", "Sth"), 0.0);
        assert_eq!(m("byly", "8yly"), 0.0);
        assert_eq!(m("bylo", "byly"), 0.0);
        assert_eq!(m("1938", "1988"), 0.0);
    }
}
