//! Lexicon: whether each reading is a word of the language. A transcript word that is no word
//! while the scan's reading is one is the strongest single sign of a transcription error;
//! the reverse is the usual look of an OCR misread.

use super::{evidence, Candidate};
use crate::align::char_edits;
use crate::lexicon::{Lexicon, Verdict};
use crate::types::Evidence;

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

/// The same letters spaced differently («сдав аться» / «сдаваться», «еже часно» / «ежечасно»):
/// the side whose words are all words is right.
fn weigh_spacing(c: &Candidate, lex: &Lexicon) -> Option<Evidence> {
    let (t, s) = (verdict_of(lex, &c.transcript), verdict_of(lex, &c.scan));
    let (tw, sw) = (&c.transcript, &c.scan);
    let (weight, note) = match (t, s) {
        (Verdict::Known, Verdict::Unknown) => {
            (-1.8, format!("«{tw}» is spelled as words; the scan's «{sw}» is not: the OCR spaced it wrongly"))
        }
        (Verdict::Unknown, Verdict::Known) => (2.5, format!("«{tw}» is not spelled as words; the scan's «{sw}» is")),
        _ => return None,
    };
    Some(evidence("lexicon", weight, note))
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
/// («5uicide») is no word of any language: it is what a transcript gets from an OCR pass or a
/// wrong keyboard layout. It counts only when the scan's reading of the place is not mixed
/// itself (an OCR reading with both languages loaded mixes scripts on its own).
fn mixed(word: &str) -> bool {
    let core = crate::transcript::word_core(word);
    let letters = core.chars().filter(|c| c.is_alphabetic()).count();
    let mut scripts = core.chars().filter_map(script);
    let first = scripts.next();
    let two_scripts = first.is_some() && scripts.any(|s| Some(s) != first);
    // Digits inside a word of letters, not an ordinal or a code at its ends («18th», «B12»).
    let inner = core.trim_matches(|c: char| c.is_ascii_digit());
    let digit_inside = letters >= 3 && inner.chars().any(|c| c.is_ascii_digit());
    let digit_led = letters >= 4 && core.chars().next().is_some_and(|c| c.is_ascii_digit()) && {
        // «5uicide»: one digit, then only letters.
        let rest = core.trim_start_matches(|c: char| c.is_ascii_digit());
        core.len() - rest.len() == 1 && rest.chars().all(char::is_alphabetic)
    };
    two_scripts || digit_inside || digit_led
}

/// Transcript words the scan shows nothing for (the OCR dropped a faint or garbled stretch).
/// Words of the language say nothing; a word split by a stray space («hou se») is nearly
/// always the transcriber's slip; other non-words are as likely names the OCR lost.
fn weigh_unread(c: &Candidate, lex: &Lexicon) -> Option<Evidence> {
    let tw = &c.transcript;
    if !tw.contains(' ') || verdict_of(lex, tw) != Verdict::Unknown {
        return None;
    }
    let joined = tw.replace(' ', "");
    (lex.verdict(&joined) == Verdict::Known).then(|| {
        let note = format!("«{tw}» is not spelled as words, but «{joined}» is a word (the scan shows no word here)");
        evidence("lexicon", 2.5, note)
    })
}

pub fn weigh(c: &Candidate, lex: &Lexicon) -> Option<Evidence> {
    if c.transcript.is_empty() {
        return None;
    }
    if c.scan.is_empty() {
        return if lex.is_empty() { None } else { weigh_unread(c, lex) };
    }
    if !c.transcript.contains(' ') && mixed(&c.transcript) && !mixed(&c.scan) {
        let tw = &c.transcript;
        return Some(evidence(
            "lexicon",
            2.0,
            format!("«{tw}» mixes alphabets or digits and letters, which no word does; the scan reads «{}»", c.scan),
        ));
    }
    if lex.is_empty() {
        return None;
    }
    let joined_scan = c.scan.replace(' ', "");
    let joined_transcript = c.transcript.replace(' ', "");
    if joined_scan.to_lowercase() == joined_transcript.to_lowercase() && c.scan != c.transcript {
        return weigh_spacing(c, lex);
    }
    let t = verdict_of(lex, &c.transcript);
    // A split or merged reading is judged as the single word it should be.
    let s = match verdict_of(lex, &c.scan) {
        Verdict::Unknown if c.scan.contains(' ') && lex.verdict(&joined_scan) == Verdict::Known => Verdict::Known,
        v => v,
    };
    let t = match t {
        Verdict::Unknown
            if c.transcript.contains(' ')
                && lex.verdict(&joined_transcript) == Verdict::Known
                && joined_transcript != joined_scan =>
        {
            Verdict::Known
        }
        v => v,
    };
    let (tw, sw) = (&c.transcript, &c.scan);
    let (weight, note) = match (t, s) {
        (Verdict::Unknown, Verdict::Known) => (2.5, format!("«{tw}» is not in the dictionary; the scan's «{sw}» is")),
        (Verdict::Known, Verdict::Unknown) => {
            // An OCR that garbles a word usually misses by a letter. When the readings are
            // further apart the scan's word is more likely a name or term the dictionary lacks.
            let edited: usize = char_edits(&tw.to_lowercase(), &sw.to_lowercase())
                .iter()
                .map(|(a, b)| a.chars().count().max(b.chars().count()))
                .sum();
            let w = match edited {
                0 | 1 => -1.8,
                2 => -0.9,
                _ => -0.4,
            };
            (w, format!("«{tw}» is a dictionary word and the scan's «{sw}» is not: probably an OCR misread"))
        }
        (Verdict::Known, Verdict::Known) => {
            (0.4, format!("both «{tw}» and «{sw}» are words: a real-word error is possible; the scan decides"))
        }
        (Verdict::Unknown, Verdict::Unknown) => {
            (-0.3, format!("neither «{tw}» nor «{sw}» is in the dictionary (a name or term?)"))
        }
        _ => return None,
    };
    Some(evidence("lexicon", weight, note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DiscrepancyKind;

    #[test]
    fn a_word_split_where_the_scan_shows_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("words.txt");
        std::fs::write(&list, "harbour\nmaster\n").unwrap();
        let lex = Lexicon::load("xxx", &[list]).unwrap();
        let unread = |t: &str| {
            let c = Candidate {
                kind: DiscrepancyKind::Insert,
                transcript: t.into(),
                scan: String::new(),
                words: vec![],
                tokens: 0..1,
            };
            weigh(&c, &lex).map(|e| e.weight)
        };
        assert_eq!(unread("harb our"), Some(2.5));
        // Words of the language, or a name the OCR lost: nothing to say.
        assert_eq!(unread("harbour master"), None);
        assert_eq!(unread("Qarlsbrook"), None);
    }

    #[test]
    fn mixed_words_are_found() {
        // A Cyrillic о in a Latin word, a digit for a letter, a Latin c in a Russian word.
        for word in ["wоrd", "h0use", "9ardens", "cобака", "l1ght."] {
            assert!(mixed(word), "{word}");
        }
        for word in ["house", "18th", "B12", "1938,", "собака", "3-4", "Müller", "2nd"] {
            assert!(!mixed(word), "{word}");
        }
    }
}
