//! Measures review-and-apply on the sample: accept every shown flag that is a known error,
//! reject the rest, apply, then word-diff the corrected Russian text against the pages' own
//! reading. Once on the recorded OCR fixture (no Tesseract), once on the scans themselves.

use scanproof::review::apply::{apply_decisions, Target};
use scanproof::review::decisions::{Action, Decision, Decisions};
use scanproof::Review;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::path::Path;

struct Known {
    page: usize,
    transcript: String,
    original: String,
}

fn fixture(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bagirov-1946").join(rel)
}

fn known_errors() -> Vec<Known> {
    std::fs::read_to_string(fixture("known-errors.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Known { page: f[0].parse().unwrap(), transcript: f[1].into(), original: f[2].into() }
        })
        .collect()
}

/// A word as the known-errors list writes it: no punctuation at its edges.
fn core(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// The words in which two readings differ, without the words they share at either end
/// ("И. Д. Багиров" / "М. Д. Багиров" differ in "И." / "М.").
fn differing_words(a: &str, b: &str) -> (String, String) {
    let (mut a, mut b): (Vec<&str>, Vec<&str>) = (a.split_whitespace().collect(), b.split_whitespace().collect());
    while a.len() > 1 && b.len() > 1 && a.last() == b.last() {
        a.pop();
        b.pop();
    }
    let lead = a.iter().zip(&b).take_while(|(x, y)| x == y).count().min(a.len() - 1).min(b.len() - 1);
    (a[lead..].join(" "), b[lead..].join(" "))
}

/// The places where `text`'s Russian part differs from the pages' reading, as (text, pages).
fn word_differences(text: &str, original: &str) -> Vec<(String, String)> {
    let ours: Vec<&str> = text.split_whitespace().collect();
    let theirs: Vec<&str> = original.split_whitespace().collect();
    // The transcript also holds a citation header and an English translation: compare only the
    // stretch from the pages' first words to their last.
    let head = &theirs[..4];
    let tail = &theirs[theirs.len() - 4..];
    let from = ours.windows(4).position(|w| w == head).expect("the pages' first words are in the transcript");
    let to = ours.windows(4).rposition(|w| w == tail).expect("the pages' last words are in the transcript") + 4;
    let ours = &ours[from..to];
    capture_diff_slices(Algorithm::Myers, ours, &theirs)
        .into_iter()
        .filter_map(|op| match op {
            DiffOp::Equal { .. } => None,
            DiffOp::Delete { old_index, old_len, .. } => {
                Some((ours[old_index..old_index + old_len].join(" "), String::new()))
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                Some((String::new(), theirs[new_index..new_index + new_len].join(" ")))
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                Some((ours[old_index..old_index + old_len].join(" "), theirs[new_index..new_index + new_len].join(" ")))
            }
        })
        .collect()
}

/// Check the sample (`check` reads the transcript copy it is given), accept the shown flags
/// that are known errors, reject the rest, apply, and word-diff the result against the pages.
fn review_apply_and_measure(label: &str, check: impl FnOnce(&Path) -> Review) {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("bagirov-1946.txt");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("transcripts/bagirov-1946.txt"), &transcript).unwrap();
    let original: String = (1..=5)
        .map(|p| std::fs::read_to_string(fixture(&format!("original/page-{p}.txt"))).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let known = known_errors();
    assert_eq!(known.len(), 24);

    // Before: the word diff shows exactly the known errors.
    let before = word_differences(&std::fs::read_to_string(&transcript).unwrap(), &original);
    assert_eq!(before.len(), known.len(), "{before:?}");

    let review = check(&transcript);

    let mut decisions = Decisions::new(&review.transcript.sha256);
    let (mut accepted, mut rejected) = (0, 0);
    for flag in review.shown_flags() {
        // The flag may cover only the words that differ ("И." of "И. Д. Багиров").
        let is_known = known.iter().any(|k| {
            k.page == flag.page
                && [core(&k.transcript), core(&differing_words(&k.transcript, &k.original).0)]
                    .contains(&core(&flag.transcript))
        });
        let action = if is_known { Action::Accept } else { Action::Reject };
        if is_known {
            accepted += 1;
        } else {
            rejected += 1;
        }
        decisions.record(Decision::on_flag(flag, action, None, "measure", "2024-01-01T00:00:00Z".into()));
    }
    let corrected = dir.path().join("bagirov-1946.corrected.txt");
    let outcome =
        apply_decisions(&transcript, &decisions, Path::new("decisions.json"), None, &Target::File(corrected.clone()))
            .unwrap();
    assert_eq!(outcome.applied, accepted);

    let after = word_differences(&std::fs::read_to_string(&corrected).unwrap(), &original);
    let is_known_error = |(ours, theirs): &(String, String)| {
        known.iter().any(|k| {
            let (t, o) = differing_words(&k.transcript, &k.original);
            core(&t) == core(ours) && core(&o) == core(theirs)
        })
    };
    let left: Vec<_> = after.iter().filter(|d| is_known_error(d)).map(|d| &d.0).collect();
    let remaining = left.len();
    let other: Vec<_> = after.iter().filter(|d| !is_known_error(d)).collect();
    eprintln!(
        "sample ({label}): {} flags shown; accepted {accepted} (known errors), rejected {rejected}; \
         known errors remaining {remaining} of {} {left:?}; other changes {}: {other:?}",
        accepted + rejected,
        known.len(),
        other.len()
    );
    // Every accepted known error is gone, and the accepts changed nothing else.
    assert_eq!(remaining, known.len() - accepted, "{after:?}");
    assert!(other.is_empty(), "the corrected transcript differs from the pages elsewhere: {other:?}");
}

#[test]
fn on_recorded_ocr_accepting_the_known_errors_fixes_them_and_changes_nothing_else() {
    review_apply_and_measure("recorded OCR", |transcript| {
        let pages = scanproof::ocr::read_pages_json(&fixture("ocr.json")).unwrap();
        let opts = scanproof::CheckOptions::new(Vec::new(), transcript.to_path_buf(), "rus");
        scanproof::check_with_pages(&opts, pages, &|_| {}).unwrap()
    });
}

#[test]
fn on_the_scans_accepting_the_known_errors_fixes_them_and_changes_nothing_else() {
    review_apply_and_measure("Tesseract", |transcript| {
        let scans = Path::new(env!("CARGO_MANIFEST_DIR")).join("scans/bagirov-1946");
        let opts = scanproof::CheckOptions::new(vec![scans], transcript.to_path_buf(), "rus");
        scanproof::check(&opts, &|_| {}, &|_| {}).unwrap()
    });
}
