//! Witness: what a translation of the document says at this place. A translator read the
//! scans independently, so a name or number of the transcript that the translation's own
//! paragraph contradicts («Джавил» where it has "Javid", ten where it says "nine") is suspect,
//! more so when the scan reads it as the translation does. The note quotes the passage.

use super::{evidence, Candidate, Features};
use crate::types::Evidence;
use crate::witness::{Finding, Findings, What};

// The translation's weights start hand-set (`model::witness_weights`): the default model's
// training pages have no translation. Training pages or reviewed documents that have one move
// them from there (`model::learn`).

pub fn measure(c: &Candidate, witness: Option<&Findings>) -> Option<Evidence> {
    let findings = witness?;
    let Some(f) = findings.about(&c.tokens) else {
        return scan_named(c, findings);
    };
    if f.established.is_some() {
        return None;
    }
    let mut features = Features::default();
    features.flag(if f.what == What::Number { "number" } else { "name" }, true);
    let mut note = describe(f, &findings.origin);
    if let Some(why) = &f.support {
        features.flag("support", true);
        note.push_str("; ");
        note.push_str(why);
    }
    if !c.scan.is_empty() && c.scan.to_lowercase() != c.transcript.to_lowercase() && findings.scan_agrees(f, &c.scan) {
        features.flag("scan_agrees", true);
        note.push_str(&format!("; the scan reads «{}», as the translation has it", c.scan));
    }
    evidence("witness", features, note)
}

/// A place where only the translation speaks (scan and transcript agree): its base, instead of
/// the prior of a discrepancy.
pub fn unopposed(c: &Candidate, witness: &Findings) -> Vec<Evidence> {
    let mut base = Features::default();
    base.flag("unopposed", true);
    let note = "the scan reads as the transcript does; only the translation disagrees".to_string();
    evidence("witness", base, note).into_iter().chain(measure(c, Some(witness))).collect()
}

fn scan_named(c: &Candidate, findings: &Findings) -> Option<Evidence> {
    let n_letters = c.scan.chars().filter(|ch| ch.is_alphabetic()).count();
    if c.scan.contains(' ') || c.transcript.contains(' ') || n_letters < 4 {
        return None;
    }
    let (name, passage) = findings.names_the_scan(&c.tokens, &c.scan, &c.transcript)?;
    let note = format!(
        "{} has «{name}» here, as the scan reads «{}», where the transcript has «{}»: «{passage}»",
        findings.origin, c.scan, c.transcript
    );
    let mut f = Features::default();
    f.flag("scan_named", true);
    evidence("witness", f, note)
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
    use crate::evidence::test_support::feature;
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
        let mut c = crate::evidence::test_support::cand(DiscrepancyKind::Substitute, t, s);
        c.tokens = tokens;
        c
    }

    #[test]
    fn features_grow_with_support_and_the_scan() {
        let alone = findings(finding(What::Name, None, None));
        let e = measure(&cand("Джавил", "Джавил", 3..4), Some(&alone));
        assert_eq!((feature(&e, "name"), feature(&e, "scan_agrees")), (1.0, 0.0));
        let note = &e.as_ref().unwrap().note;
        assert!(note.contains("Javid") && note.contains("Dr. Javid"), "the note quotes the passage: {note}");
        let e = measure(&cand("Джавил", "Джавид", 3..4), Some(&alone));
        assert_eq!(feature(&e, "scan_agrees"), 1.0);
        let supported = findings(finding(What::Name, Some("the transcript writes «Джавид» elsewhere"), None));
        let e = measure(&cand("Джавил", "Джавил", 3..4), Some(&supported));
        assert_eq!(feature(&e, "support"), 1.0);
    }

    #[test]
    fn nothing_elsewhere_or_for_an_established_spelling() {
        let alone = findings(finding(What::Name, None, None));
        assert!(measure(&cand("Кавам", "Кавам", 7..8), Some(&alone)).is_none());
        assert!(measure(&cand("Джавил", "Джавид", 3..4), None).is_none());
        let established = findings(finding(What::Name, None, Some(4)));
        assert!(measure(&cand("Джавил", "Джавил", 3..4), Some(&established)).is_none());
    }
}
