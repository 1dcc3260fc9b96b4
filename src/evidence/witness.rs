//! Witness: what a translation of the document says at this place. A translator read the
//! scans independently, so a name or number of the transcript that the translation's own
//! paragraph contradicts («Джавил» where it has "Javid", ten where it says "nine") is suspect,
//! more so when the scan reads it as the translation does. The note quotes the passage.

use super::{evidence, Candidate};
use crate::types::Evidence;
use crate::witness::{Finding, Findings, What};

/// A name the translation spells otherwise. Alone it stays below the prior of a substitution
/// (1.2): foreign names have many renderings, and a translator can slip as well.
const NAME: f32 = 1.0;
/// A number has no rendering to vary: "nine" against «десяти» is a plain contradiction.
const NUMBER: f32 = 1.5;
/// The translation's form is the transcript's own spelling elsewhere, or a dictionary word where
/// the transcript's is none: then the transcript's form is the odd one out.
const SUPPORT: f32 = 1.2;
/// The scan reads the word as the translation does: two independent readings against one.
const SCAN_AGREES: f32 = 1.0;

/// The scan reads, as the translation names it, a word the transcript has as a plain word
/// (no name, so no finding): one reading and the translation against the transcript.
const SCAN_NAMED: f32 = 1.5;

pub fn weigh(c: &Candidate, witness: Option<&Findings>) -> Option<Evidence> {
    let findings = witness?;
    let Some(f) = findings.about(&c.tokens) else {
        return scan_named(c, findings);
    };
    if f.established.is_some() {
        return None;
    }
    let mut weight = match f.what {
        What::Number => NUMBER,
        What::Name | What::Initial => NAME,
    };
    let mut note = describe(f, &findings.origin);
    if let Some(why) = &f.support {
        weight += SUPPORT;
        note.push_str("; ");
        note.push_str(why);
    }
    if !c.scan.is_empty() && c.scan.to_lowercase() != c.transcript.to_lowercase() && findings.scan_agrees(f, &c.scan) {
        weight += SCAN_AGREES;
        note.push_str(&format!("; the scan reads «{}», as the translation has it", c.scan));
    }
    Some(evidence("witness", weight, note))
}

fn scan_named(c: &Candidate, findings: &Findings) -> Option<Evidence> {
    let letters = c.scan.chars().filter(|ch| ch.is_alphabetic()).count();
    if c.scan.contains(' ') || c.transcript.contains(' ') || letters < 4 {
        return None;
    }
    let (name, passage) = findings.names_the_scan(&c.tokens, &c.scan, &c.transcript)?;
    let note = format!(
        "{} has «{name}» here, as the scan reads «{}», where the transcript has «{}»: «{passage}»",
        findings.origin, c.scan, c.transcript
    );
    Some(evidence("witness", SCAN_NAMED, note))
}

fn describe(f: &Finding, origin: &str) -> String {
    match (f.what, f.values) {
        (What::Number, Some((o, w))) => format!(
            "{origin} has «{}» ({w}) where the transcript has «{}» ({o}): «{}»; the transcript would read «{}»",
            f.witness, f.original, f.passage, f.suggestion
        ),
        _ => format!(
            "{origin} has «{}» where the transcript has «{}»: «{}»; the transcript would read «{}»",
            f.witness, f.original, f.passage, f.suggestion
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DiscrepancyKind;
    use crate::witness::{Params, What};

    fn finding(what: What, support: Option<&str>, established: Option<usize>) -> Finding {
        Finding {
            what,
            tokens: 3..4,
            original: "Джавил".into(),
            witness: "Javid".into(),
            witness_chars: 0..5,
            suggestion: "Джавид".into(),
            passage: "Pishevvari, Shabustari, Padegan, Dr. Javid".into(),
            support: support.map(str::to_string),
            established,
            values: None,
        }
    }

    fn findings(f: Finding) -> Findings {
        Findings {
            origin: "the translation".into(),
            lang: crate::witness::Lang::English,
            findings: vec![f],
            params: Params::default(),
            scopes: Vec::new(),
        }
    }

    fn cand(t: &str, s: &str, tokens: std::ops::Range<usize>) -> Candidate<'static> {
        Candidate { kind: DiscrepancyKind::Substitute, transcript: t.into(), scan: s.into(), words: vec![], tokens }
    }

    #[test]
    fn weights_grow_with_support_and_the_scan() {
        let alone = findings(finding(What::Name, None, None));
        let e = weigh(&cand("Джавил", "Джавил", 3..4), Some(&alone)).unwrap();
        assert!((e.weight - NAME).abs() < 1e-6, "{e:?}");
        assert!(e.note.contains("Javid") && e.note.contains("Dr. Javid"), "the note quotes the passage: {}", e.note);
        let e = weigh(&cand("Джавил", "Джавид", 3..4), Some(&alone)).unwrap();
        assert!((e.weight - NAME - SCAN_AGREES).abs() < 1e-6, "{e:?}");
        let supported = findings(finding(What::Name, Some("the transcript writes «Джавид» elsewhere"), None));
        let e = weigh(&cand("Джавил", "Джавил", 3..4), Some(&supported)).unwrap();
        assert!((e.weight - NAME - SUPPORT).abs() < 1e-6, "{e:?}");
    }

    #[test]
    fn nothing_elsewhere_or_for_an_established_spelling() {
        let alone = findings(finding(What::Name, None, None));
        assert!(weigh(&cand("Кавам", "Кавам", 7..8), Some(&alone)).is_none());
        assert!(weigh(&cand("Джавил", "Джавид", 3..4), None).is_none());
        let established = findings(finding(What::Name, None, Some(4)));
        assert!(weigh(&cand("Джавил", "Джавил", 3..4), Some(&established)).is_none());
    }
}
