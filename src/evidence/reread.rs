//! A second reading: the disputed word's line, cropped, enlarged and read again on its own
//! (`reading::second_readings` makes it). Misreads are unstable under such a change and what
//! the page really shows is not, so a second reading that repeats the scan's word supports it,
//! and one that gives the transcript's word takes the OCR's side away. This file measures how
//! the second reading relates to the first and to the transcript; the model weighs it.
//!
//! Every feature here lies in [0, 1], so the model can bound what a second reading could still
//! change (`Model::reread_band`) and read again only the flags where it could.

use super::{evidence, Features};
use crate::lexicon::{Lexicon, Verdict};
use crate::transcript::normalize_key;
use crate::types::{Evidence, SecondReading};

/// The first reading as the second is compared with it.
pub struct Reading<'a> {
    pub text: &'a str,
    pub confidence: f32,
}

/// A first reading below this confidence is garbled, and a second reading that is confident
/// (and clearly more so) replaces it rather than being compared with it.
pub const GARBLED: f32 = 0.5;
/// Below this a first reading is noise, whatever the second reading is near to.
const NOISE: f32 = 0.4;
const CONFIDENT: f32 = 0.5;

/// Compare a second reading with the transcript and the first reading.
pub fn measure(second: &SecondReading, transcript: &str, first: &Reading, lex: &Lexicon) -> Option<Evidence> {
    // Spacing counts (it is what a split or merge is about); case and punctuation do not.
    let key = |s: &str| {
        s.split_whitespace().map(normalize_key).filter(|k| !k.is_empty()).collect::<Vec<_>>().join(" ").to_lowercase()
    };
    let (mut k2, mut kt, mut k1) = (key(&second.text), key(transcript), key(first.text));
    if k1 == kt {
        // Only capitals are in dispute: then they are what the second reading is asked about.
        let cased =
            |s: &str| s.split_whitespace().map(normalize_key).filter(|k| !k.is_empty()).collect::<Vec<_>>().join(" ");
        (k2, kt, k1) = (cased(&second.text), cased(transcript), cased(first.text));
    }
    if k2.is_empty() {
        return None;
    }
    let text = second.text.trim();
    let mut f = Features::default();
    f.set("confidence", second.confidence.clamp(0.0, 1.0));
    let unsure = (1.0 - first.confidence).clamp(0.0, 1.0);
    let is_word = !lex.is_empty()
        && text.split_whitespace().all(|w| lex.verdict(&crate::transcript::word_core(w)) != Verdict::Unknown);
    if let [word] = second.words.as_slice() {
        if crate::evidence::alternatives::spelled(word, transcript).is_some() {
            f.flag("alt_spell_transcript", true);
        }
    }
    let mut reading = None;
    let note = if k2 == kt {
        f.flag("transcript", true);
        format!("read again on its own, the scan gives the transcript's «{text}»")
    } else if k2 == k1 {
        f.flag("same", true).set("same_unsure", unsure).flag("same_nonword", !lex.is_empty() && !is_word);
        if let [word] = second.words.as_slice() {
            // Sure of the very letters in dispute, with no thought of the transcript's.
            f.set("same_firm", crate::evidence::alternatives::firm(word, transcript).unwrap_or(0.0).clamp(0.0, 1.0));
        }
        format!("read again on its own, the scan gives «{text}» again")
    } else {
        let (to_scan, to_transcript) = (crate::align::distance(&k2, &k1), crate::align::distance(&k2, &kt));
        // A garbled first reading is replaced by a clear second one. A half-garbled one only by
        // a second reading still nearer to it than to the transcript: otherwise the second
        // reading is a third opinion, not a correction.
        let replaces = first.confidence < NOISE || to_scan < to_transcript;
        if first.confidence < GARBLED && second.confidence >= CONFIDENT.max(first.confidence + 0.25) && replaces {
            f.flag("replaced", true).set("replaced_unsure", unsure).flag("replaced_word", is_word);
            reading = Some(text.to_string());
            format!(
                "the first reading «{}» was garbled ({:.0}%); read again, the scan gives «{text}» ({:.0}%)",
                first.text,
                first.confidence * 100.0,
                second.confidence * 100.0
            )
        } else {
            let lean = if to_scan < to_transcript {
                f.flag("closer_scan", true);
                "closer to the scan's first reading"
            } else if to_transcript < to_scan {
                f.flag("closer_transcript", true);
                "closer to the transcript"
            } else {
                f.flag("neither", true);
                "no closer to either"
            };
            format!("read again, the scan gives «{text}», {lean}: the OCR is unsure here")
        }
    };
    let mut e = evidence("reread", f, note)?;
    e.reading = reading;
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::test_support::feature;

    fn second(text: &str, confidence: f32) -> SecondReading {
        SecondReading { text: text.into(), confidence, words: vec![] }
    }

    #[test]
    fn agreement_decides_the_side() {
        let lex = Lexicon::empty();
        let outcome = |s, t, first| {
            let e = measure(&second(s, 0.9), t, &Reading { text: first, confidence: 0.9 }, &lex);
            ["transcript", "same", "closer_scan", "closer_transcript", "neither", "replaced"]
                .into_iter()
                .find(|name| feature(&e, name) == 1.0)
        };
        assert_eq!(outcome("для", "для", "пля"), Some("transcript"));
        assert_eq!(outcome("федаи", "фиолет", "федаи"), Some("same"));
        assert_eq!(outcome("фсдаи", "фиолет", "федаи"), Some("closer_scan"));
        assert_eq!(outcome("фиолеп", "фиолет", "федаи"), Some("closer_transcript"));
        assert_eq!(outcome("еже часно", "еже часно", "ежечасно"), Some("transcript"));
        assert_eq!(outcome("ежечасно", "еже часно", "ежечасно"), Some("same"));
        assert!(measure(&second("", 0.9), "a", &Reading { text: "b", confidence: 0.9 }, &lex).is_none());
        // Where only capitals differ, the second reading's capitals decide.
        assert_eq!(outcome("committee", "Committee", "committee"), Some("same"));
        assert_eq!(outcome("Committee", "Committee", "committee"), Some("transcript"));
        // Agreement after an unsure first reading says how unsure it was.
        let e = measure(&second("неимением", 0.9), "наимением", &Reading { text: "неимением", confidence: 0.5 }, &lex);
        assert_eq!(feature(&e, "same_unsure"), 0.5);
        // A garbled first reading is replaced by a confident second one.
        let e =
            measure(&second("кровопийца", 0.9), "кровапийца", &Reading { text: "ве", confidence: 0.01 }, &lex).unwrap();
        assert_eq!((e.features.get("replaced").copied(), e.reading.as_deref()), (Some(1.0), Some("кровопийца")));
    }

    #[test]
    fn features_stay_in_the_unit_interval() {
        let lex = Lexicon::empty();
        for (s, t, f, c1, c2) in
            [("abc", "abd", "abc", 0.1, 1.4), ("x", "y", "z", -0.2, 0.5), ("word", "ward", "w0rd", 0.3, 0.95)]
        {
            if let Some(e) = measure(&second(s, c2), t, &Reading { text: f, confidence: c1 }, &lex) {
                assert!(e.features.values().all(|v| (0.0..=1.0).contains(v)), "{e:?}");
            }
        }
    }
}
