//! Resemblance: is the difference the kind an OCR makes? Visually confusable letters (г/т,
//! rn/m, l/1) are the OCR's everyday misreads; readings that differ in several unrelated
//! letters are not, so a confident OCR that reads something quite different is believed.

use super::{evidence, Candidate};
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
const SLIGHT: &[&str] = &[".", ",", "'", "i", "l", "1", "ı", "ь"];

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

pub fn weigh(c: &Candidate) -> Option<Evidence> {
    if !matches!(c.kind, DiscrepancyKind::Substitute | DiscrepancyKind::Split | DiscrepancyKind::Merge) {
        return None;
    }
    let (t, s) = (c.transcript.replace(' ', ""), c.scan.replace(' ', ""));
    if t.to_lowercase() == s.to_lowercase() {
        if t == s {
            // Only the spacing differs: judged by the split/merge kind and the lexicon.
            return None;
        }
        return Some(evidence(
            "resemblance",
            -1.5,
            format!("«{}» and «{}» differ only in capitals, which OCR often gets wrong", c.transcript, c.scan),
        ));
    }
    let (edits, touched, confusable) = describe_edits(&t, &s);
    let shown: Vec<String> =
        edits.iter().take(3).map(|(a, b)| format!("{}→{}", or_nothing(a), or_nothing(b))).collect();
    if confusable {
        return Some(evidence("resemblance", -0.6, format!("{} is a common OCR confusion", shown.join(", "))));
    }
    if touched >= 2 {
        return Some(evidence(
            "resemblance",
            0.6,
            format!(
                "the readings differ in {touched} letters ({}), more than an OCR misread usually does",
                shown.join(", ")
            ),
        ));
    }
    None
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
}
