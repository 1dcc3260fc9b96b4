//! Unit tests of apply: spans replaced byte-exactly, conflicts refused, applying twice changes
//! nothing.

use super::*;
use proptest::prelude::*;

fn change(id: &str, start: usize, before: &str, after: &str) -> Change {
    Change {
        id: id.into(),
        page: 1,
        line: 1,
        start,
        end: start + before.chars().count(),
        before: before.into(),
        after: after.into(),
        action: if before == after { Action::Reject } else { Action::Accept },
        reviewer: "t".into(),
        at: "2024-01-01T00:00:00Z".into(),
    }
}

fn run(bytes: &[u8], checked: &[u8], changes: &[Change]) -> Result<Correction> {
    correct(Path::new("t.txt"), bytes, &sha256_hex(checked), changes)
}

fn conflicts(r: Result<Correction>) -> Vec<String> {
    match r {
        Err(Error::Conflicts { conflicts, .. }) => conflicts,
        other => panic!("expected conflicts, got {other:?}"),
    }
}

const TEXT: &str = "\u{FEFF}Товарищ Бахиров,\r\nмецлис и эндумен.\r\n";
// Offsets count code points after the BOM: "Бахиров," is 8..16, "мецлис" 18..24.

#[test]
fn replaces_spans_keeping_bom_and_crlf() {
    let cs = [
        change("a", 8, "Бахиров,", "Багиров,"),
        change("b", 18, "мецлис", "меджлис"),
        change("c", 27, "эндумен.", "эндумен."),
    ];
    let out = run(TEXT.as_bytes(), TEXT.as_bytes(), &cs).unwrap();
    assert_eq!(String::from_utf8(out.bytes).unwrap(), "\u{FEFF}Товарищ Багиров,\r\nмеджлис и эндумен.\r\n");
    assert_eq!((out.applied.len(), out.unchanged), (2, 1));
}

#[test]
fn applying_twice_changes_nothing_the_second_time() {
    let cs = [
        change("a", 8, "Бахиров,", "Багиров,"),
        change("b", 18, "мецлис", "меджлис"),
        change("c", 27, "эндумен.", "энджумен."),
    ];
    let once = run(TEXT.as_bytes(), TEXT.as_bytes(), &cs).unwrap();
    let twice = run(&once.bytes, TEXT.as_bytes(), &cs).unwrap();
    assert_eq!(twice.bytes, once.bytes);
    assert!(twice.applied.is_empty());
    assert_eq!(twice.already_applied.len(), 3);
}

#[test]
fn a_later_decision_applies_after_an_earlier_apply() {
    let first = [change("b", 18, "мецлис", "меджлис")];
    let once = run(TEXT.as_bytes(), TEXT.as_bytes(), &first).unwrap();
    let more = [first[0].clone(), change("c", 27, "эндумен.", "энджумен.")];
    let out = run(&once.bytes, TEXT.as_bytes(), &more).unwrap();
    assert_eq!(String::from_utf8(out.bytes).unwrap(), "\u{FEFF}Товарищ Бахиров,\r\nмеджлис и энджумен.\r\n");
    assert_eq!((out.applied.len(), out.already_applied.len()), (1, 1));
}

#[test]
fn a_changed_transcript_whose_spans_still_hold_is_applied() {
    // Edited after the last span: hash differs, every flag's text still at its place.
    let edited = format!("{TEXT}P.S.\r\n");
    let cs = [change("a", 8, "Бахиров,", "Багиров,")];
    let out = run(edited.as_bytes(), TEXT.as_bytes(), &cs).unwrap();
    assert!(String::from_utf8(out.bytes).unwrap().contains("Багиров,\r\n"));
}

#[test]
fn refuses_naming_each_conflict_and_writes_nothing() {
    // A word inserted at the start moves every span: nothing may land in the wrong place.
    let edited = TEXT.replace("Товарищ", "Дорогой товарищ");
    let cs = [
        change("a", 8, "Бахиров,", "Багиров,"),
        change("b", 18, "мецлис", "меджлис"),
        change("r", 27, "эндумен.", "эндумен."),
    ];
    let msgs = conflicts(run(edited.as_bytes(), TEXT.as_bytes(), &cs));
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].contains("flag a") && msgs[0].contains("Бахиров,"));
    assert!(msgs[1].contains("flag b"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    std::fs::write(&path, &edited).unwrap();
    let mut d = Decisions::new(&sha256_hex(TEXT.as_bytes()));
    d.decisions.push(crate::review::decisions::Decision {
        id: "a".into(),
        action: Action::Accept,
        text: None,
        reviewer: String::new(),
        at: "2024-01-01T00:00:00Z".into(),
        page: Some(1),
        line: Some(1),
        start: Some(8),
        end: Some(16),
        before: Some("Бахиров,".into()),
        after: Some("Багиров,".into()),
    });
    let out = dir.path().join("new.txt");
    let err = apply_decisions(&path, &d, Path::new("d.json"), None, &Target::File(out.clone())).unwrap_err();
    assert!(err.to_string().contains("flag a"), "{err}");
    assert!(!out.exists());
    let err = apply_decisions(&path, &d, Path::new("d.json"), None, &Target::InPlace).unwrap_err();
    assert!(matches!(err, Error::Conflicts { .. }));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn a_span_that_does_not_hold_its_text_in_the_checked_file_is_a_conflict() {
    let cs = [change("a", 9, "Бахиров,", "Багиров,")];
    assert_eq!(conflicts(run(TEXT.as_bytes(), TEXT.as_bytes(), &cs)).len(), 1);
    let past_end = [change("z", 1000, "x", "y")];
    assert_eq!(conflicts(run(TEXT.as_bytes(), TEXT.as_bytes(), &past_end)).len(), 1);
}

#[test]
fn overlapping_decisions_are_conflicts() {
    let cs = [change("a", 8, "Бахиров,", "Багиров,"), change("b", 10, "хиров,", "гиров,")];
    let msgs = conflicts(run(TEXT.as_bytes(), TEXT.as_bytes(), &cs));
    assert!(msgs[0].contains("overlaps flag a"), "{msgs:?}");
}

#[test]
fn insertions_and_deletions() {
    let text = "one three four";
    let cs = [change("i", 3, "", " two"), change("d", 9, " four", "")];
    let out = run(text.as_bytes(), text.as_bytes(), &cs).unwrap();
    assert_eq!(out.bytes, b"one two three");
    let again = run(&out.bytes, text.as_bytes(), &cs).unwrap();
    assert_eq!(again.bytes, out.bytes);
    // An insertion into a changed file cannot confirm its place.
    let changed = "one three four!";
    assert_eq!(conflicts(run(changed.as_bytes(), text.as_bytes(), &cs[..1])).len(), 1);
}

#[test]
fn in_place_keeps_every_backup_and_logs_each_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    std::fs::write(&path, TEXT).unwrap();
    std::fs::write(dir.path().join("t.txt.bak"), "older backup").unwrap();
    let mut d = Decisions::new(&sha256_hex(TEXT.as_bytes()));
    for (id, s, before, action, text) in [
        ("a", 8, "Бахиров,", Action::Accept, None),
        ("b", 18, "мецлис", Action::Edit, Some("меджлис")),
        ("c", 27, "эндумен.", Action::Reject, None),
    ] {
        d.decisions.push(crate::review::decisions::Decision {
            id: id.into(),
            action,
            text: text.map(String::from),
            reviewer: "ann".into(),
            at: "2024-01-01T00:00:00Z".into(),
            page: Some(1),
            line: Some(2),
            start: Some(s),
            end: Some(s + before.chars().count()),
            before: Some(before.into()),
            after: (action == Action::Accept).then(|| "Багиров,".into()),
        });
    }
    let out = apply_decisions(&path, &d, Path::new("d.json"), None, &Target::InPlace).unwrap();
    assert_eq!((out.applied, out.unchanged), (2, 1));
    assert_eq!(out.backup, Some(dir.path().join("t.txt.bak.1")));
    assert_eq!(std::fs::read_to_string(out.backup.unwrap()).unwrap(), TEXT);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "\u{FEFF}Товарищ Багиров,\r\nмеджлис и эндумен.\r\n");
    let audit = std::fs::read_to_string(dir.path().join("t.txt.audit.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = audit.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["before"], "мецлис");
    assert_eq!(lines[1]["after"], "меджлис");
    assert_eq!(lines[1]["reviewer"], "ann");
    for key in ["id", "page", "line", "time"] {
        assert!(!lines[0][key].is_null(), "{key}");
    }
    // Again: nothing to do, no new backup, no rewrite.
    let again = apply_decisions(&path, &d, Path::new("d.json"), None, &Target::InPlace).unwrap();
    assert_eq!((again.applied, again.written, again.backup), (0, false, None));
    assert!(!dir.path().join("t.txt.bak.2").exists());
}

#[test]
fn a_second_apply_to_the_same_output_leaves_it_and_the_log_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    std::fs::write(&path, TEXT).unwrap();
    let report_free: Decisions = serde_json::from_value(serde_json::json!({
        "version": 1, "transcript_sha256": sha256_hex(TEXT.as_bytes()),
        "decisions": [{"id": "a", "action": "accept", "at": "2024-01-01T00:00:00Z",
                       "start": 8, "end": 16, "before": "Бахиров,", "after": "Багиров,"}]
    }))
    .unwrap();
    let out = dir.path().join("new.txt");
    let target = Target::File(out.clone());
    let first = apply_decisions(&path, &report_free, Path::new("d.json"), None, &target).unwrap();
    assert_eq!((first.applied, first.written), (1, true));
    let second = apply_decisions(&path, &report_free, Path::new("d.json"), None, &target).unwrap();
    assert_eq!((second.applied, second.already_applied, second.written), (0, 1, false));
    let audit = std::fs::read_to_string(dir.path().join("new.txt.audit.jsonl")).unwrap();
    assert_eq!(audit.lines().count(), 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), TEXT);
}

#[test]
fn output_naming_the_transcript_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    std::fs::write(&path, TEXT).unwrap();
    let d = Decisions::new("");
    let err = apply_decisions(&path, &d, Path::new("d.json"), None, &Target::File(dir.path().join(".").join("t.txt")))
        .unwrap_err();
    assert!(err.to_string().contains("--in-place"), "{err}");
}

#[test]
fn spans_come_from_the_report_when_the_decision_has_none() {
    let d: Decisions = serde_json::from_str(
        r#"{"version": 1, "transcript_sha256": "", "decisions": [
                {"id": "f", "action": "accept", "at": "2024-01-01T00:00:00Z"}]}"#,
    )
    .unwrap();
    let err = resolve_changes(&d, Path::new("d.json"), None).unwrap_err();
    assert!(err.to_string().contains("--report"), "{err}");
}

/// A transcript: words of Latin and Cyrillic, spaces, LF or CRLF, maybe a BOM.
fn transcript() -> impl Strategy<Value = (bool, bool, Vec<String>)> {
    (any::<bool>(), any::<bool>(), prop::collection::vec("[a-cа-вё]{1,6}", 1..30))
}

/// The file's text, and each word's code-point offset (BOM not counted, CR counted).
fn assemble(bom: bool, crlf: bool, words: &[String]) -> (String, Vec<usize>) {
    let mut s = String::from(if bom { "\u{FEFF}" } else { "" });
    let mut starts = Vec::new();
    let mut n = 0;
    for (i, w) in words.iter().enumerate() {
        starts.push(n);
        let sep = match (i % 4 == 3, crlf) {
            (true, true) => "\r\n",
            (true, false) => "\n",
            _ => " ",
        };
        s.push_str(w);
        s.push_str(sep);
        n += w.chars().count() + sep.chars().count();
    }
    (s, starts)
}

/// Changes on the picked words (their replacement, or the same text when `keep`), and the
/// words as they should come out.
fn with_changes(
    words: &[String],
    starts: &[usize],
    picks: &[(bool, String)],
    keep: bool,
) -> (Vec<Change>, Vec<String>) {
    let mut changes = Vec::new();
    let mut expected = words.to_vec();
    for (i, w) in words.iter().enumerate() {
        let (pick, repl) = &picks[i % picks.len()];
        if *pick {
            let after = if keep { w.clone() } else { repl.clone() };
            changes.push(change(&format!("f{i}"), starts[i], w, &after));
            expected[i] = after;
        }
    }
    (changes, expected)
}

proptest! {
    #[test]
    fn rejections_only_give_identical_bytes(
        (bom, crlf, words) in transcript(),
        picks in prop::collection::vec((any::<bool>(), "[x-z]{0,3}"), 1..8),
    ) {
        let (text, starts) = assemble(bom, crlf, &words);
        let (changes, _) = with_changes(&words, &starts, &picks, true);
        let out = run(text.as_bytes(), text.as_bytes(), &changes).unwrap();
        prop_assert_eq!(out.bytes, text.as_bytes());
    }

    #[test]
    fn changes_land_exactly_on_their_spans_and_twice_is_once(
        (bom, crlf, words) in transcript(),
        picks in prop::collection::vec((any::<bool>(), "[x-zэюя]{1,4}"), 1..8),
    ) {
        let (text, starts) = assemble(bom, crlf, &words);
        let (changes, expected) = with_changes(&words, &starts, &picks, false);
        let once = run(text.as_bytes(), text.as_bytes(), &changes).unwrap();
        prop_assert_eq!(
            String::from_utf8(once.bytes.clone()).unwrap(),
            assemble(bom, crlf, &expected).0
        );
        let twice = run(&once.bytes, text.as_bytes(), &changes).unwrap();
        prop_assert_eq!(&twice.bytes, &once.bytes);
        prop_assert!(twice.applied.is_empty());
    }

    #[test]
    fn a_retyped_span_is_never_overwritten(
        (bom, crlf, words) in transcript(),
        victim in any::<prop::sample::Index>(),
    ) {
        let (text, starts) = assemble(bom, crlf, &words);
        let (changes, _) = with_changes(&words, &starts, &[(true, "zz".to_string())], false);
        // Someone retyped one flagged word (same length, other letters) after the check.
        let v = victim.index(words.len());
        let mut retyped = words.clone();
        retyped[v] = "q".repeat(words[v].chars().count());
        let (edited, _) = assemble(bom, crlf, &retyped);
        let msgs = conflicts(run(edited.as_bytes(), text.as_bytes(), &changes));
        prop_assert_eq!(msgs.len(), 1);
        prop_assert!(msgs[0].contains(&format!("flag f{v} ")), "{:?}", msgs);
    }
}
