//! Tests of the word-level kinds that need a dictionary: a familiar word for an unfamiliar
//! one, another word of the text.

use super::*;

mod familiar {
    use super::*;

    /// A name or term the dictionary lacks is replaced by a dictionary word of like shape
    /// (a transcriber writing a word they know); a short known word is left to the real-word
    /// substitution.
    #[test]
    fn a_familiar_word_replaces_an_unfamiliar_one() {
        let lex = Lexicon::load("eng", &[]).unwrap();
        if lex.is_empty() {
            eprintln!("no English hunspell dictionary installed: skipped");
            return;
        }
        let text = "the Comitee met";
        let chars: Vec<char> = text.chars().collect();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (span, new) =
            corrupt_word(ErrorKind::Familiar, "Comitee", 4..11, None, &chars, &lex, &mut rng).expect("a suggestion");
        assert_eq!(span, 4..11);
        assert_eq!(lex.verdict(&new), Verdict::Known, "{new}");
        assert!(new.starts_with(char::is_uppercase), "case kept: {new}");
        let d = strsim::levenshtein(&new.to_lowercase(), "comitee");
        assert!((1..=3).contains(&d), "{new}");
        assert!(corrupt_word(ErrorKind::Familiar, "house", 0..5, None, &chars, &lex, &mut rng).is_none());
        // A long known word gets a word two to four letters off, from hunspell's suggestions.
        let ru = Lexicon::load("rus", &[]).unwrap();
        if !ru.is_empty() {
            let mut rng = ChaCha8Rng::seed_from_u64(2);
            let (_, new) = corrupt_word(ErrorKind::Familiar, "неимением", 0..9, None, &chars, &ru, &mut rng).unwrap();
            assert_eq!(ru.verdict(&new), Verdict::Known, "{new}");
            assert!((2..=4).contains(&strsim::levenshtein(&new, "неимением")), "{new}");
        }
    }
}

mod nearby {
    use super::*;

    /// A word of the lines around, of like length and unlike shape, replaces a known word:
    /// «or» for «and» where the sentence has both, never a word the text does not hold.
    #[test]
    fn another_word_of_the_text_replaces_a_word() {
        let lex = Lexicon::load("eng", &[]).unwrap();
        if lex.is_empty() {
            eprintln!("no English hunspell dictionary installed: skipped");
            return;
        }
        let text = "write to them or call them at once, and send the papers before the end of the week";
        let chars: Vec<char> = text.chars().collect();
        let at = text.find("and").unwrap();
        let words: Vec<&str> = text.split(|c: char| !c.is_alphabetic()).collect();
        let mut made = std::collections::BTreeSet::new();
        for seed in 0..30 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let (span, new) = corrupt_word(ErrorKind::Nearby, "and", at..at + 3, None, &chars, &lex, &mut rng)
                .expect("a word of the text");
            assert_eq!(span, at..at + 3);
            assert!(words.contains(&new.as_str()) && new != "and", "{new}");
            assert!(strsim::levenshtein(&new, "and") >= 2 && (2..=6).contains(&new.chars().count()), "{new}");
            made.insert(new);
        }
        assert!(made.len() >= 3, "{made:?}");
        // A number, or a word the dictionary does not know, is left to other kinds.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(corrupt_word(ErrorKind::Nearby, "Qwzx", 0..4, None, &chars, &lex, &mut rng).is_none());
    }
}
