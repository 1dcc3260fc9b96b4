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
    spelled(c.words[0], &c.transcript).map(|(least, used)| {
        let mut f = Features::default();
        f.set("spell_transcript", 1.0).set("least", least);
        let note =
            format!("the OCR also considered {}, which spells the transcript's «{}»", used.join(", "), c.transcript);
        evidence("alternatives", f, note).expect("measured")
    })
}

/// How sure the engine was of `word`'s symbols where they differ from `target`, letter for
/// letter: their least confidence, when none of them had an alternative that spells `target`
/// (the engine did not hesitate towards it). `None` when the lengths differ or nothing does.
pub fn firm(word: &OcrWord, target: &str) -> Option<f32> {
    let (symbols, target) = letter_for_letter(word, target)?;
    let mut least: Option<f32> = None;
    for (sym, want) in symbols.iter().zip(&target) {
        let want = want.to_string();
        if sym.text.to_lowercase() == want.to_lowercase() {
            continue;
        }
        if sym.alternatives.iter().any(|(alt, conf)| *alt == want && *conf >= MIN_ALTERNATIVE) {
            return None;
        }
        least = Some(least.map_or(sym.confidence, |l| l.min(sym.confidence)));
    }
    least
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
}
