//! Resemblance: is the difference the kind an OCR makes? Visually confusable letters (г/т,
//! rn/m, l/1) are the OCR's everyday misreads; readings that differ in several unrelated
//! letters are not, so a confident OCR that reads something quite different is believed.

use super::{evidence, Candidate, Features};
use crate::align::char_edits;
use crate::types::{DiscrepancyKind, Evidence};

/// Pairs of strings a typewritten page and an OCR engine confuse, both ways. Latin, Cyrillic,
/// and the look-alikes across the two scripts that a mixed-language model mixes up.
pub const CONFUSABLE: &[(&str, &str)] = &[
    // Cyrillic
    ("г", "т"),
    ("д", "л"),
    ("и", "н"),
    ("и", "п"),
    ("н", "п"),
    ("ц", "щ"),
    ("ш", "щ"),
    ("ь", "ъ"),
    ("ь", "б"),
    ("в", "з"),
    ("е", "с"),
    ("о", "с"),
    ("о", "а"),
    ("а", "д"),
    ("к", "н"),
    ("ы", "ь"),
    ("з", "э"),
    ("ж", "х"),
    ("т", "п"),
    ("л", "п"),
    ("ч", "у"),
    ("й", "и"),
    ("ё", "е"),
    ("ю", "н"),
    ("в", "в"),
    ("м", "н"),
    ("ш", "и"),
    // Pre-1918 letters, which a model of today's Russian reads as today's
    ("ѣ", "ъ"),
    ("ѣ", "ь"),
    ("ѣ", "е"),
    ("і", "и"),
    ("ї", "и"),
    ("і", "i"),
    ("ѳ", "ф"),
    ("ѳ", "о"),
    ("ѵ", "у"),
    ("ѵ", "v"),
    // Latin
    ("rn", "m"),
    ("m", "n"),
    ("cl", "d"),
    ("l", "1"),
    ("l", "i"),
    ("i", "1"),
    ("o", "0"),
    ("s", "5"),
    ("b", "8"),
    ("e", "c"),
    ("c", "o"),
    ("h", "b"),
    ("u", "n"),
    ("f", "t"),
    ("vv", "w"),
    ("ri", "n"),
    ("li", "h"),
    ("a", "o"),
    ("e", "o"),
    ("r", "n"),
    ("t", "l"),
    ("i", "j"),
    ("g", "q"),
    ("z", "2"),
    ("ä", "a"),
    ("ö", "o"),
    ("ü", "u"),
    ("ß", "b"),
    // Cyrillic / Latin look-alikes
    ("а", "a"),
    ("е", "e"),
    ("о", "o"),
    ("р", "p"),
    ("с", "c"),
    ("у", "y"),
    ("х", "x"),
    ("к", "k"),
    ("в", "b"),
    ("м", "m"),
    ("т", "t"),
    ("н", "h"),
    ("и", "u"),
    ("п", "n"),
];

/// Thin marks an OCR drops or invents on a noisy page.
const SLIGHT: &[&str] = &[".", ",", "'", "i", "l", "1", "ı", "ь", "ъ"];

pub fn is_confusable(a: &str, b: &str) -> bool {
    CONFUSABLE.iter().any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
        || (a.is_empty() && SLIGHT.contains(&b))
        || (b.is_empty() && SLIGHT.contains(&a))
}

/// Letters changed between two readings, case folded: (edits, letters touched, all confusable).
pub fn describe_edits(transcript: &str, scan: &str) -> (Vec<(String, String)>, usize, bool) {
    let edits = char_edits(&transcript.to_lowercase(), &scan.to_lowercase());
    let touched = edits.iter().map(|(a, b)| a.chars().count().max(b.chars().count())).sum();
    let confusable = !edits.is_empty() && edits.iter().all(|(a, b)| is_confusable(a, b));
    (edits, touched, confusable)
}

pub fn measure(c: &Candidate) -> Option<Evidence> {
    if !matches!(c.kind, DiscrepancyKind::Substitute | DiscrepancyKind::Split | DiscrepancyKind::Merge) {
        return None;
    }
    let mut f = Features::default();
    let (t, s) = (c.transcript.replace(' ', ""), c.scan.replace(' ', ""));
    // An abbreviation («e.g.», «a.m.») is where an OCR garbles dots and letters alike.
    f.flag("abbreviation", c.transcript.trim_end_matches('.').contains('.'));
    if t.to_lowercase() == s.to_lowercase() {
        // Where the spacing differs, a capital too is the OCR's (old print's final «Ъ» read
        // as a capital): the question is the space, not the case («Гос подинъ», «ГосподинЪ»).
        if t == s || c.transcript.to_lowercase() != c.scan.to_lowercase() {
            // The spacing differs. A dash the scan reads between words the transcript
            // keeps apart («to-the») is a speck or a typed hyphen the OCR joined them with.
            let dashed = c.scan_raw.contains(['-', '—', '–']) && c.transcript.contains(' ');
            f.flag("dash_join", dashed);
            let how = if t == s { "only in spacing" } else { "in spacing and capitals" };
            return evidence("resemblance", f, format!("«{}» and «{}» differ {how}", c.transcript, c.scan));
        }
        let first_only = {
            let (mut a, mut b) = (t.chars(), s.chars());
            a.next() != b.next() && a.as_str() == b.as_str()
        };
        // A capital where a sentence starts, a small letter elsewhere: the side that follows
        // the sentence is likely the page.
        let scan_capital = s.chars().next().is_some_and(char::is_uppercase);
        f.flag("case_only", true).flag("case_first_only", first_only);
        f.flag("case_scan_fits_sentence", first_only && scan_capital == c.place.sentence_start);
        let note = format!("«{}» and «{}» differ only in capitals", c.transcript, c.scan);
        return evidence("resemblance", f, note);
    }
    let (edits, touched, confusable) = describe_edits(&t, &s);
    let shown: Vec<String> =
        edits.iter().take(3).map(|(a, b)| format!("{}→{}", or_nothing(a), or_nothing(b))).collect();
    f.flag("edits_1", touched == 1).flag("edits_2", touched == 2).flag("edits_3plus", touched >= 3);
    f.flag("confusable", confusable);
    f.flag(
        "slight",
        edits
            .iter()
            .all(|(a, b)| SLIGHT.contains(&a.as_str()) && b.is_empty() || SLIGHT.contains(&b.as_str()) && a.is_empty()),
    );
    f.set("distance", crate::align::distance(&t, &s));
    let part = scan_reads_part(&t, &s);
    f.flag("scan_part", part);
    let note = if part {
        format!(
            "the scan's «{}» is only part of «{}»: an OCR that split the word or lost some of it",
            c.scan, c.transcript
        )
    } else if confusable {
        format!("{} is a common OCR confusion", shown.join(", "))
    } else {
        format!("the readings differ in {touched} letter(s) ({})", shown.join(", "))
    };
    evidence("resemblance", f, note)
}

/// Whether the scan's reading is a piece of the transcript's word with a good part of it
/// missing (at least two letters and a third): «rian» for «Austrian», «Wash» for «Washington».
/// An OCR makes these where it splits a word, reads half of it into a neighbour or loses it in
/// a smudge; a transcriber who adds to a word mostly adds a letter («giver» for «give»). Not
/// always: «these» for the page's «the» is a piece by this measure too, and the model weighs
/// it down with the OCR's pieces (the English real error it missed at stop 27).
fn scan_reads_part(transcript: &str, scan: &str) -> bool {
    let letters = |w: &str| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let (t, s) = (letters(transcript), letters(scan));
    let (nt, ns) = (t.chars().count(), s.chars().count());
    let missing = nt.saturating_sub(ns);
    ns > 0 && t.contains(&s) && missing >= 2 && 3 * missing >= nt
}

fn or_nothing(s: &str) -> &str {
    if s.is_empty() {
        "∅"
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_of_the_word() {
        assert!(scan_reads_part("Austrian", "rian"));
        assert!(scan_reads_part("Washington,", "Wash"));
        assert!(scan_reads_part("except", "ex"));
        // A letter added by the transcriber, a longer reading, or no piece of it: not a part.
        assert!(!scan_reads_part("giver", "give"));
        assert!(!scan_reads_part("Rumanians", "Rumanian"));
        assert!(!scan_reads_part("the", "these"));
        assert!(!scan_reads_part("und", "oder"));
        let e = measure(&crate::evidence::test_support::cand(DiscrepancyKind::Substitute, "Austrian", "rian"));
        assert_eq!(crate::evidence::test_support::feature(&e, "scan_part"), 1.0);
    }

    #[test]
    fn confusions() {
        assert!(is_confusable("т", "г"));
        assert!(is_confusable("m", "rn"));
        assert!(is_confusable("", "."));
        assert!(!is_confusable("л", "и"));
        let (_, touched, conf) = describe_edits("Тетерана", "Тегерана");
        assert_eq!((touched, conf), (1, true));
        let (_, touched, conf) = describe_edits("фиолет", "федаи");
        assert!(touched >= 2 && !conf);
    }

    #[test]
    fn a_split_word_read_in_another_case_is_a_spacing_difference() {
        use crate::evidence::test_support::{cand, feature};
        let e = measure(&cand(DiscrepancyKind::Split, "Гос подинъ", "ГосподинЪ"));
        assert!(e.is_none(), "a space alone gets no resemblance evidence: {e:?}");
        let e = measure(&cand(DiscrepancyKind::Substitute, "Господинъ", "ГосподинЪ"));
        assert_eq!(feature(&e, "case_only"), 1.0);
    }
}
