//! The OCR's own alternatives: Tesseract's LSTM keeps, for each symbol, the other characters it
//! weighed. When the transcript's reading can be spelled from those (with real weight, not
//! the zero-confidence tail), the OCR itself hesitated towards the transcript.

use super::{evidence, Candidate, Features};
use crate::types::{DiscrepancyKind, Evidence, OcrChar, OcrWord};

/// An alternative counts when the LSTM gave it at least this confidence; the long tail at 0
/// lists every letter of similar shape and says nothing.
const MIN_ALTERNATIVE: f32 = 0.1;

pub fn measure(c: &Candidate) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || c.words.len() != 1 {
        return None;
    }
    let mut f = Features::default();
    if let Some((least, used)) = spelled(c.words[0], &c.transcript) {
        f.set("spell_transcript", 1.0).set("least", least);
        let note =
            format!("the OCR also considered {}, which spells the transcript's «{}»", used.join(", "), c.transcript);
        return evidence("alternatives", f, note);
    }
    // A word's confidence hides which letters the engine doubted: «гордо» at 96% may be
    // sure of every letter, «д» included, or unsure of just the one the transcript disputes.
    let least = sure_where_differs(c.words[0], &c.transcript).filter(|l| *l >= ENGINE_SURE)?;
    f.flag("firm", true);
    let note = format!(
        "the OCR was as sure as it gets ({:.2}%) of the letters where it differs from «{}», and weighed none of the transcript's there",
        least * 100.0,
        c.transcript
    );
    evidence("alternatives", f, note)
}

/// A symbol confidence at which Tesseract's LSTM is as sure as it gets: it caps the letters
/// of words in its own word list at 0.9957.
pub const ENGINE_SURE: f32 = 0.993;

/// Whether the engine was as sure as it gets of `word`'s letters in dispute with `target`
/// (`ENGINE_SURE`), with none of the target's letters weighed there. Held out (EHRI English and
/// German), the transcript was wrong at three in four places so read, and at one in twenty
/// where the disputed letters stand at 0.95-0.99. Relative to the word's own surest letter it
/// says little: the engine caps the letters of words outside its list (names, and garbled
/// readings alike) at 0.9904, and it is as sure of a garble's every letter.
pub fn firm_where_differs(word: &OcrWord, target: &str) -> bool {
    sure_where_differs(word, target).is_some_and(|least| least >= ENGINE_SURE)
}

/// How sure the engine was of `word` where it differs from `target`, letter against letter
/// (cases folded): the least confidence of the symbols in dispute (those read in place of
/// the target's letters, or beside letters the scan lacks), when none of them weighed a
/// letter of the target's there. `None` when one did, or nothing differs.
pub fn sure_where_differs(word: &OcrWord, target: &str) -> Option<f32> {
    let symbols: Vec<&OcrChar> = word.chars.iter().filter(|ch| ch.text.chars().any(char::is_alphanumeric)).collect();
    let read: Vec<String> = symbols.iter().map(|s| s.text.to_lowercase()).collect();
    let want: Vec<String> =
        target.chars().filter(|c| c.is_alphanumeric()).map(|c| c.to_lowercase().to_string()).collect();
    if read.is_empty() || want.is_empty() {
        return None;
    }
    let mut least: Option<f32> = None;
    let mut take = |sym: &OcrChar, wanted: &[String]| -> bool {
        if sym.alternatives.iter().any(|(alt, conf)| *conf >= MIN_ALTERNATIVE && wanted.contains(&alt.to_lowercase())) {
            return false;
        }
        least = Some(least.map_or(sym.confidence, |l| l.min(sym.confidence)));
        true
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &read, &want) {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let wanted = &want[new.clone()];
        let disputed: Vec<&OcrChar> = if old.is_empty() {
            // Letters the scan lacks: the engine read across them, from the symbols beside.
            [old.start.checked_sub(1), (old.start < symbols.len()).then_some(old.start)]
                .into_iter()
                .flatten()
                .map(|i| symbols[i])
                .collect()
        } else {
            symbols[old].to_vec()
        };
        for sym in disputed {
            if !take(sym, wanted) {
                return None;
            }
        }
    }
    least
}

/// `sure_where_differs`, where the two have as many letters and digits (a second reading's
/// `reread.same_firm`, learned on those alone). `None` when the lengths differ or nothing does.
pub fn firm(word: &OcrWord, target: &str) -> Option<f32> {
    letter_for_letter(word, target)?;
    sure_where_differs(word, target)
}

/// Whether `word`'s symbols, with their alternatives, spell `target`: the least confidence of
/// the alternatives used and how they read. `None` when they do not (or nothing to replace).
pub fn spelled(word: &OcrWord, target: &str) -> Option<(f32, Vec<String>)> {
    let (symbols, target) = letter_for_letter(word, target)?;
    let mut used = Vec::new();
    let mut least = 1.0f32;
    for (sym, want) in symbols.iter().zip(&target) {
        let want = want.to_string();
        if sym.text == want {
            continue;
        }
        let (_, conf) = sym.alternatives.iter().find(|(alt, conf)| *alt == want && *conf >= MIN_ALTERNATIVE)?;
        least = least.min(*conf);
        used.push(format!("«{}» ({:.0}%) for «{}»", want, conf * 100.0, sym.text));
    }
    (!used.is_empty()).then_some((least, used))
}

/// `word`'s letter and digit symbols and `target`'s letters and digits, when there are as
/// many of each (and some).
fn letter_for_letter<'w>(word: &'w OcrWord, target: &str) -> Option<(Vec<&'w OcrChar>, Vec<char>)> {
    let symbols: Vec<_> = word.chars.iter().filter(|ch| ch.text.chars().any(char::is_alphanumeric)).collect();
    let target: Vec<char> = target.chars().filter(|ch| ch.is_alphanumeric()).collect();
    (!symbols.is_empty() && symbols.len() == target.len()).then_some((symbols, target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::BBox;

    fn word(symbols: &[(&str, f32, &[(&str, f32)])]) -> OcrWord {
        let chars = symbols
            .iter()
            .map(|(t, c, alts)| OcrChar {
                text: t.to_string(),
                confidence: *c,
                alternatives: alts.iter().map(|(a, p)| (a.to_string(), *p)).collect(),
            })
            .collect();
        let text = symbols.iter().map(|s| s.0).collect();
        OcrWord { text, confidence: 0.9, bbox: BBox::default(), line: 0, chars }
    }

    #[test]
    fn firm_and_spelled_letters() {
        // «kab» read where the transcript has «kob»: the engine weighed «o» at 30%.
        let hesitant = word(&[("k", 0.99, &[]), ("a", 0.6, &[("o", 0.3)]), ("b", 0.98, &[])]);
        assert!(spelled(&hesitant, "kob").is_some());
        assert_eq!(firm(&hesitant, "kob"), None);
        // Sure of «a», with no thought of «o»: firm at the disputed letter's confidence.
        let sure = word(&[("k", 0.99, &[]), ("a", 0.95, &[("e", 0.02)]), ("b", 0.98, &[])]);
        assert_eq!(spelled(&sure, "kob"), None);
        assert_eq!(firm(&sure, "kob"), Some(0.95));
        // Another length, or no letter in dispute: nothing to say.
        assert_eq!(firm(&sure, "kobs"), None);
        assert_eq!(firm(&sure, "kab"), None);
    }

    #[test]
    fn sure_where_the_reading_differs() {
        // «гордо» read where the transcript has «горно»: sure of «д», «н» never weighed.
        let g = word(&[
            ("г", 0.996, &[]),
            ("о", 0.995, &[]),
            ("р", 0.996, &[]),
            ("д", 0.990, &[("л", 0.02)]),
            ("о", 0.9, &[]),
        ]);
        assert_eq!(sure_where_differs(&g, "Горно"), Some(0.990), "only the disputed letter counts");
        let c = Candidate {
            words: vec![&g],
            ..crate::evidence::test_support::cand(DiscrepancyKind::Substitute, "горно", "гордо")
        };
        assert!(!firm_where_differs(&g, "горно"), "0.990 is short of as sure as the engine gets");
        let mut sure = g.clone();
        sure.chars[3].confidence = 0.995;
        let e = measure(&Candidate { words: vec![&sure], ..c.clone() }).expect("measured");
        assert_eq!(e.features["firm"], 1.0);
        // A word the engine was unsure of throughout is not firm for being even.
        let unsure = word(&[("П", 0.9, &[]), ("и", 0.9, &[]), ("ш", 0.9, &[])]);
        assert!(!firm_where_differs(&unsure, "Паш"));
        // The engine weighed the transcript's letter: not firm, and the alternatives spell it.
        let h =
            word(&[("г", 0.99, &[]), ("о", 0.99, &[]), ("р", 0.99, &[]), ("д", 0.7, &[("н", 0.25)]), ("о", 0.99, &[])]);
        assert_eq!(sure_where_differs(&h, "горно"), None);
        assert!(measure(&Candidate { words: vec![&h], ..c.clone() })
            .unwrap()
            .features
            .contains_key("spell_transcript"));
        // Letters the transcript has and the scan lacks: judged by the symbols read beside
        // them («kob» read «kb»); a letter the scan has and the transcript lacks, by itself.
        let kb = word(&[("k", 0.99, &[]), ("b", 0.8, &[])]);
        assert_eq!(sure_where_differs(&kb, "kob"), Some(0.8));
        let kxb = word(&[("k", 0.99, &[]), ("x", 0.6, &[]), ("b", 0.98, &[])]);
        assert_eq!(sure_where_differs(&kxb, "kb"), Some(0.6));
        // Nothing in dispute.
        assert_eq!(sure_where_differs(&kb, "KB"), None);
    }
}
