//! The document's own spellings: a transcriber who writes «Кавам» six times and «Кавем» once,
//! where the scan reads «Кавам», slipped once. Conversely a word the transcript uses again and
//! again that the OCR reads as something the transcript never uses is the OCR's misread.

use super::{evidence, letters, Candidate, Features};
use crate::types::{DiscrepancyKind, Evidence};
use std::collections::HashMap;

/// How often each word (lower-cased core) occurs in the scanned region of the transcript, and
/// which transcript words the scan's readings stand against.
#[derive(Debug, Default)]
pub struct Spellings {
    counts: HashMap<String, usize>,
    /// Stem (`stems`) → how many words of the transcript have it (a word's family), and the
    /// first two distinct words that do, to name one in the note.
    stems: HashMap<String, (usize, Vec<String>)>,
    /// Scan reading → the transcript words it stands against, over all substitutions.
    readings: HashMap<String, Vec<String>>,
}

impl Spellings {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut counts = HashMap::new();
        let mut stems = HashMap::new();
        for w in words {
            let w = w.to_lowercase();
            for stem in self::stems(&w) {
                let (count, named) = stems.entry(stem).or_insert((0, Vec::new()));
                *count += 1;
                if named.len() < 2 && !named.contains(&w) {
                    named.push(w.clone());
                }
            }
            *counts.entry(w).or_insert(0) += 1;
        }
        Spellings { counts, stems, readings: HashMap::new() }
    }

    /// How many words of the transcript, other than `here` (the transcript's word at this
    /// place, which the counts include), share a stem with `word` (`stems`), and one of them.
    fn family(&self, word: &str, here: &str) -> (usize, Option<&str>) {
        let here = here.to_lowercase();
        let here_stems = stems(&here);
        let mut best = (0, None);
        for stem in stems(&word.to_lowercase()) {
            let Some((count, named)) = self.stems.get(&stem) else { continue };
            let count = count.saturating_sub(here_stems.contains(&stem) as usize);
            if count > best.0 {
                best = (count, named.iter().find(|w| **w != here).map(String::as_str));
            }
        }
        best
    }

    /// Learn which transcript words each scan reading stands against.
    pub fn learn_readings<'a>(&mut self, candidates: impl IntoIterator<Item = &'a Candidate<'a>>) {
        for c in candidates {
            if c.kind == DiscrepancyKind::Substitute && !c.scan.contains(' ') {
                self.readings.entry(c.scan.to_lowercase()).or_default().push(c.transcript.to_lowercase());
            }
        }
    }

    pub fn count(&self, word: &str) -> usize {
        self.counts.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
}

/// Letters a word needs before its spelling says anything (initials and particles do not).
const MIN_LETTERS: usize = 3;

/// Letters a stem keeps at least: «солд» of «солдат», never «со».
const MIN_STEM: usize = 4;

/// A word's stems, crudely: the word itself, less its last letter and less its last two, of at
/// least `MIN_STEM` letters. An inflected language ends one word in many ways («солдат»,
/// «солдаты», «солдатами»); no stemmer of every language is needed to see that two forms share
/// all but an ending of up to two letters.
fn stems(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    (0..=2)
        .filter(|&cut| chars.len() >= MIN_STEM + cut)
        .map(|cut| chars[..chars.len() - cut].iter().collect())
        .collect()
}

pub fn measure(c: &Candidate, spellings: &Spellings) -> Option<Evidence> {
    if c.kind != DiscrepancyKind::Substitute || c.transcript.contains(' ') || c.scan.contains(' ') {
        return None;
    }
    if letters(&c.transcript) < MIN_LETTERS {
        return None;
    }
    let mut f = Features::default();
    let mut notes = Vec::new();
    // The scan reads one word at several places where the transcript has several different
    // words: random misreads do not repeat a word, so the transcript varies, not the scan.
    // Short words are the exception: the OCR misreads «the» as «tie» wherever the type is worn.
    if let Some(against) = spellings.readings.get(&c.scan.to_lowercase()) {
        let mut distinct: Vec<&String> = against.iter().collect();
        distinct.sort();
        distinct.dedup();
        if letters(&c.scan) >= 5
            && against.len() >= 2
            && distinct.len() == against.len()
            && spellings.count(&c.scan) == 0
        {
            f.flag("reading_repeats", true);
            let list: Vec<&str> = distinct.iter().map(|s| s.as_str()).collect();
            notes.push(format!(
                "the scan reads «{}» at {} places where the transcript has {} different words ({})",
                c.scan,
                against.len(),
                distinct.len(),
                list.join(", ")
            ));
        }
    }
    if c.transcript.to_lowercase() != c.scan.to_lowercase() {
        // This occurrence itself counts once for the transcript's form.
        let here = spellings.count(&c.transcript).saturating_sub(1);
        let scan = spellings.count(&c.scan);
        let (t, s) = (&c.transcript, &c.scan);
        if scan >= 1 && here == 0 {
            // One other occurrence is no majority: an inflected language writes «Grube» and
            // «Gruben» in one letter as a matter of course.
            f.set("scan_elsewhere", (1.0 + scan as f32).ln()).flag("scan_majority", scan >= 2);
            notes.push(format!("the transcript writes «{s}» {scan} time(s) elsewhere and «{t}» only here"));
        } else if here >= 1 && scan == 0 {
            f.set("t_elsewhere", (1.0 + here as f32).ln());
            notes.push(format!("the transcript writes «{t}» {here} more time(s) and never «{s}»"));
        } else if here >= 1 && scan >= 1 {
            f.flag("both_elsewhere", true);
            notes.push(format!("the transcript writes both «{t}» and «{s}» elsewhere"));
        } else if letters(s) > MIN_STEM {
            // Neither form is written elsewhere, but one may be another form of a word that
            // is: «солдаты» read where the transcript has «сопдаты», with «солдат» on another
            // page. A misread ending leaves the stem, and with it the family, to both.
            let (t_family, s_family) = (spellings.family(t, t), spellings.family(s, t));
            let kin = |word: Option<&str>| word.map(|w| format!(" («{w}»)")).unwrap_or_default();
            if s_family.0 >= 1 && t_family.0 == 0 {
                f.flag("scan_family", true);
                notes.push(format!(
                    "the scan's «{s}» looks like another form of a word the transcript writes elsewhere{}; «{t}» does not",
                    kin(s_family.1)
                ));
            } else if t_family.0 >= 1 && s_family.0 == 0 {
                f.flag("t_family", true);
                notes.push(format!(
                    "«{t}» looks like another form of a word the transcript writes elsewhere{}; the scan's «{s}» does not",
                    kin(t_family.1)
                ));
            }
        }
    }
    evidence("consistency", f, notes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::test_support::{cand, feature};

    /// Made-up words: «солдат» on another page makes «солдаты» a form the document uses, and
    /// «сопдаты» (written only here) none; a misread ending («работалн») keeps the transcript's
    /// stem, so it says nothing; the transcript's word in a family the scan's is not in counts
    /// for the transcript.
    #[test]
    fn another_form_of_a_word_written_elsewhere() {
        let words = ["мы", "видели", "солдат", "и", "сопдаты", "шли", "рабочие", "работали", "работа"];
        let spellings = Spellings::new(words);
        let e = measure(&cand(DiscrepancyKind::Substitute, "сопдаты", "солдаты"), &spellings);
        assert_eq!((feature(&e, "scan_family"), feature(&e, "t_family")), (1.0, 0.0));
        assert!(e.as_ref().unwrap().note.contains("(«солдат»)"), "{e:?}");
        let e = measure(&cand(DiscrepancyKind::Substitute, "работали", "работалн"), &spellings);
        assert_eq!((feature(&e, "scan_family"), feature(&e, "t_family")), (0.0, 0.0));
        let e = measure(&cand(DiscrepancyKind::Substitute, "рабочие", "рабсчие"), &spellings);
        assert_eq!((feature(&e, "scan_family"), feature(&e, "t_family")), (0.0, 0.0));
        let e = measure(&cand(DiscrepancyKind::Substitute, "работали", "ребятами"), &spellings);
        assert_eq!((feature(&e, "scan_family"), feature(&e, "t_family")), (0.0, 1.0));
        // Short words have no family: «шли» is too short for a stem.
        let e = measure(&cand(DiscrepancyKind::Substitute, "шли", "шлюзы"), &spellings);
        assert_eq!((feature(&e, "scan_family"), feature(&e, "t_family")), (0.0, 0.0));
    }

    #[test]
    fn stems_are_the_word_less_one_or_two_letters() {
        assert_eq!(stems("шлюзы"), ["шлюзы", "шлюз"]);
        assert_eq!(stems("солдаты"), ["солдаты", "солдат", "солда"]);
        assert!(stems("дом").is_empty());
    }
}
