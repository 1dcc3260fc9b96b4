//! The aligner's unit tests (kept apart so the stage itself reads in one file).

use super::*;
use crate::transcript::tokenize;

fn fake_page(index: usize, text: &str) -> OcrPage {
    OcrPage::from_text(index, format!("p{index}.png"), text, 0.9)
}

fn diffs(transcript: &str, scan: &str) -> Vec<(DiscrepancyKind, String, String)> {
    let tokens = tokenize(transcript);
    let pages = vec![fake_page(1, scan)];
    let a = align(&tokens, &pages, &Params::default());
    a.discrepancies
        .iter()
        .map(|d| {
            let t: Vec<_> = tokens[d.transcript.clone()].iter().map(|t| t.text.clone()).collect();
            let o: Vec<_> = a.ocr_tokens[d.ocr.clone()].iter().map(|t| t.text.clone()).collect();
            (d.kind, t.join(" "), o.join(" "))
        })
        .collect()
}

#[test]
fn kinds_of_discrepancy() {
    use DiscrepancyKind::*;
    let cases: &[(&str, &str, &[(DiscrepancyKind, &str, &str)])] = &[
        ("рука у нас прекрсный сегодня", "рука у нас прекрасный сегодня", &[(Substitute, "прекрсный", "прекрасный")]),
        ("силы могут еже часно уменьшаться", "силы могут ежечасно уменьшаться", &[(Split, "еже часно", "ежечасно")]),
        ("20 1444. Сочувствие на нашей", "20 144 4. Сочувствие на нашей", &[(Merge, "1444.", "144 4.")]),
        ("one two three four five", "one two three four five", &[]),
        ("the cat sat on the mat today", "the cat sat the mat today", &[(Insert, "on", "")]),
        ("driven out of the country now", "driven out from of the country now", &[(Delete, "", "from")]),
        ("this aim, The Council said", "this aim, the Council said", &[(Substitute, "The", "the")]),
        // Letter-spaced emphasis, read whole or letter by letter, is one word on both sides.
        ("the philosopher H u s s e r l wrote", "the philosopher Husserl wrote", &[]),
        ("the philosopher H u s s e r l wrote", "the philosopher H u s s e r l wrote", &[]),
    ];
    for (t, s, want) in cases {
        let got = diffs(t, s);
        let want: Vec<_> = want.iter().map(|(k, a, b)| (*k, a.to_string(), b.to_string())).collect();
        assert_eq!(got, want, "transcript {t:?} vs scan {s:?}");
    }
}

#[test]
fn punctuation_only_differences_are_equal() {
    assert!(diffs("Кавам, после задержки.", "Кавам после задержки,").is_empty());
}

#[test]
fn text_aligned_with_itself_has_no_discrepancy() {
    let text = "В соответствии с шифротелеграммой товарища от 28 ноября за № 172 мною были даны";
    assert!(diffs(text, text).is_empty());
}

#[test]
fn header_and_translation_are_outside_the_region() {
    let transcript = "Citation: Message from Bagirov, 1946, Wilson Center.\n\n\
        Мы в этом не сомневаемся, ибо показано зверскими расправами над демократами.\n\n\
        We have no doubt of this, for it has been shown by brutal reprisals.";
    let scan = "Мы в этом не сомневаемся, ибо\nпоказано зверскими расправами над демократами.";
    let tokens = tokenize(transcript);
    let a = align(&tokens, &[fake_page(1, scan)], &Params::default());
    let region: Vec<_> = tokens[a.region.clone()].iter().map(|t| t.key.as_str()).collect();
    assert_eq!(region.first(), Some(&"Мы"));
    assert_eq!(region.last(), Some(&"демократами"));
    assert!(a.discrepancies.is_empty(), "{:?}", a.discrepancies);
}

#[test]
fn region_grows_over_a_misspelled_first_word() {
    let transcript = "Header text here.\n\nТоварищ Бахиров, Вам хорошо известно, что мы";
    let scan = "Товарищ Багиров, Вам хорошо известно, что мы";
    let tokens = tokenize(transcript);
    let a = align(&tokens, &[fake_page(1, scan)], &Params::default());
    assert_eq!(tokens[a.region.start].key, "Товарищ");
    let transcript = "Бахиров Вам хорошо известно что мы";
    let got = diffs(transcript, "Багиров Вам хорошо известно что мы");
    assert_eq!(got, vec![(DiscrepancyKind::Substitute, "Бахиров".into(), "Багиров".into())]);
}

#[test]
fn stamp_on_the_scan_is_untranscribed() {
    let transcript = "Прошу Ваших указаний. Багиров";
    let scan = "Прошу Ваших указаний.\nСЕКРЕТНО ВХОДЯЩИЙ НОМЕР 4512\nБагиров";
    let tokens = tokenize(transcript);
    let a = align(&tokens, &[fake_page(1, scan)], &Params::default());
    // A whole line between transcribed lines is also offered as one skipped-line candidate
    // (the score decides whether it is shown); it stays untranscribed text.
    let skipped: Vec<_> = a.discrepancies.iter().map(|d| (d.kind, d.transcript.len(), d.ocr.len())).collect();
    assert_eq!(skipped, [(DiscrepancyKind::Delete, 0, 4)]);
    let un: Vec<_> = a
        .untranscribed
        .iter()
        .map(|r| a.ocr_tokens[r.clone()].iter().map(|t| t.key.as_str()).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(un, ["СЕКРЕТНО ВХОДЯЩИЙ НОМЕР 4512"]);
}

#[test]
fn hyphenated_line_ends_align_with_whole_words() {
    let got = diffs("the so-\ncalled Aryan paragraph", "the so-called\nAryan paragraph");
    assert!(got.is_empty(), "{got:?}");
    let got = diffs("the socalled Aryan paragraph", "the so-\ncalled Aryan paragraph");
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn tokens_map_to_pages() {
    let tokens = tokenize("one two three four five six seven eight");
    let pages = vec![fake_page(1, "one two three four"), fake_page(2, "five six seven eight")];
    let a = align(&tokens, &pages, &Params::default());
    assert_eq!(a.token_page, vec![Some(0), Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), Some(1)]);
}

/// The page's text with about `rate` of its letters misread (replaced, dropped or doubled),
/// deterministically: what OCR of heavy or faint typescript gives.
fn misread(text: &str, rate: f64, seed: u64) -> String {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut out = String::new();
    for c in text.chars() {
        if !c.is_alphanumeric() || next() >= rate {
            out.push(c);
            continue;
        }
        match (next() * 3.0) as u32 {
            0 => out.push(if c.is_uppercase() { 'X' } else { 'x' }),
            1 => {}
            _ => {
                out.push(c);
                out.push('i');
            }
        }
    }
    out
}

/// A transcript of another document is unrelated when the scans read confidently; a page
/// read with no confidence (too faint, too heavy) cannot tell, whatever it shares.
#[test]
fn unrelated_needs_a_confident_reading() {
    // Forty six-letter words over one alphabet or another: nothing in common.
    let words = |alphabet: &[u8]| -> String {
        let word = |i: usize| (0..6).map(|k| alphabet[(i * 37 + k * 11 + i / 3) % 8] as char).collect::<String>();
        (0..40).map(word).collect::<Vec<_>>().join(" ")
    };
    let (ours, other) = (tokenize(&words(b"abcdefgh")), words(b"mnoprstu"));
    for (confidence, unrelated) in [(0.9, true), (0.2, false)] {
        let pages = vec![OcrPage::from_text(1, "p1.png", &other, confidence)];
        let a = align(&ours, &pages, &Params::default());
        let shared = a.shared_words(&ours, &pages, &Params::default());
        assert_eq!(shared.unrelated(), unrelated, "confidence {confidence}: {shared:?}");
    }
    let same = vec![OcrPage::from_text(1, "p1.png", &words(b"abcdefgh"), 0.9)];
    assert!(!align(&ours, &same, &Params::default()).shared_words(&ours, &same, &Params::default()).unrelated());
    // Sure fragments on a page read as garbage (its mean confidence under 0.6) cannot tell
    // either: a faint page of the right text reads so.
    let mut garbage = OcrPage::from_text(1, "p1.png", &format!("{other} {other} {other}"), 0.2);
    for w in garbage.words.iter_mut().take(40) {
        w.confidence = 0.9;
    }
    let pages = vec![garbage];
    let shared = align(&ours, &pages, &Params::default()).shared_words(&ours, &pages, &Params::default());
    assert!(!shared.unrelated(), "{shared:?}");
}

/// Issue 13: a transcript that is exactly the page's text is never set aside, however badly
/// the page was read, and the header and translation around it still are.
#[test]
fn issue13_noisy_reading_does_not_shrink_the_region() {
    let body = "В соответствии с шифротелеграммой товарища Деканозова от 28 ноября за № 172 мною были даны \
        руководителям Азербайджанской демократической партии полностью все указания изложенные в его \
        телеграмме. Передаю ответное письмо Азербайджанских демократов полученное сегодня на мое имя из \
        Тавриза. Товарищ Багиров, Вам хорошо известно, что мы в целях мирного разрешения своих вопросов \
        пошли на колоссальные уступки иранскому правительству. Превратили свой национальный меджлис в \
        областной энджумен, полностью упразднили свое национальное правительство и приняли назначение \
        генерал-губернатора, а также всех руководителей учтенных Тегераном, реформировали четыре тысячи \
        федая в жандармерию, а остальных распустили по домам, согласились на слияние своей национальной \
        армии с иранскими войсками и на назначение командующего из Тегерана, сдали Иранскому \
        правительству Зенджан и Хамсе, являющиеся неотъемлемой частью Азербайджана и т.д. Несмотря на \
        это Кавам после девяти-месячной задержки нарушил заключенное между нами соглашение и имеет \
        открытое намерение отнять у нас силой оружия наши мизерные права.";
    let header = "Citation: Message from Bagirov to Stalin with Reply of the Azerbaijani Democrats, December 2, \
        1946, Wilson Center Digital Archive, obtained and translated by Gary Goldberg.\n\n";
    let translation = "\n\nIn accordance with the cipher telegram of Comrade Dekanozov of 28 November \
        No 172 I gave the leaders of the Azerbaijan Democratic Party all the instructions in his telegram.";
    for (rate, seed) in [(0.1, 1), (0.25, 2), (0.35, 3), (0.45, 4)] {
        let scan = misread(body, rate, seed);
        let tokens = tokenize(body);
        let a = align(&tokens, &[fake_page(1, &scan)], &Params::default());
        assert_eq!(a.region, 0..tokens.len(), "the page's own text at {rate} misread: {scan}");
        assert!(a.unread.is_empty(), "{rate}: {:?}", a.unread);

        let transcript = format!("{header}{body}{translation}");
        let tokens = tokenize(&transcript);
        let a = align(&tokens, &[fake_page(1, &scan)], &Params::default());
        // A first or last word misread beyond recognition may stay outside: at most that.
        let first = tokens.iter().position(|t| t.key == "В").unwrap();
        assert!((first..=first + 1).contains(&a.region.start), "{rate}: {:?}", tokens[a.region.start].key);
        let last = tokens.iter().position(|t| t.key == "права").unwrap();
        assert!((last - 1..=last).contains(&(a.region.end - 1)), "{rate}: {:?}", tokens[a.region.end - 1].key);
    }
}

#[test]
fn char_edits_name_the_changed_letters() {
    assert_eq!(char_edits("Тетерана", "Тегерана"), vec![("т".to_string(), "г".to_string())]);
    assert_eq!(char_edits("прекрсный", "прекрасный"), vec![(String::new(), "а".to_string())]);
}

/// Issue 13: the transcript's text beyond a page the OCR could not read is expected on the
/// scans (left unverified: that page may hold any of it), not set aside; a page read
/// confidently that matches nothing is untranscribed text, and the transcript beyond the
/// region stays not on the scans. Garbage on the region's own page holds as many words as its
/// letters.
#[test]
fn text_on_an_unreadable_page_stays_in_the_region() {
    let first = "The committee met on Tuesday in the library of the old school and heard the treasurer \
        read the accounts of the year, which showed a small surplus after the repairs to the roof.";
    let second = "Members then discussed the summer excursion, agreed to hire two coaches for the journey \
        to the coast, and asked the secretary to write to the hotel about lunch for sixty people. \
        The chairman closed the meeting at nine o'clock and thanked the ladies who had served tea.";
    let translation = "\n\nDas Komitee tagte am Dienstag in der Bibliothek der alten Schule.";
    // Every letter moved seven places on: as many letters, nothing that matches.
    let garbage: String = second
        .chars()
        .map(|c| if c.is_ascii_lowercase() { (b'a' + (c as u8 - b'a' + 7) % 26) as char } else { c })
        .collect();
    let transcript = format!("{first}\n\n{second}{translation}");
    let tokens = tokenize(&transcript);
    let body_end = tokens.iter().position(|t| t.key == "tea").unwrap() + 1;
    let first_end = tokens.iter().position(|t| t.key == "roof").unwrap() + 1;
    for (confidence, region_end) in [(0.35, tokens.len()), (0.9, first_end)] {
        let pages = vec![fake_page(1, first), OcrPage::from_text(2, "p2.png", &garbage, confidence)];
        let a = align(&tokens, &pages, &Params::default());
        assert_eq!(a.region, 0..region_end, "page 2 read at {confidence}");
    }
    // The same garbage at the foot of the first page: the words its letters hold.
    let mut pages = vec![OcrPage::from_text(1, "p1.png", &format!("{first}\n{garbage}"), 0.35)];
    for w in pages[0].words.iter_mut().take(first.split_whitespace().count()) {
        w.confidence = 0.9;
    }
    assert_eq!(align(&tokens, &pages, &Params::default()).region, 0..body_end);
    // Nothing readable at all: all of the transcript is expected there.
    let pages = vec![OcrPage::from_text(1, "p1.png", &garbage, 0.35)];
    assert_eq!(align(&tokens, &pages, &Params::default()).region, 0..tokens.len());
}

/// Issue 14: a skipped line whose last word the page broke with a hyphen, or whose first word
/// ends a hyphenated break from the line above, is still one skipped-line candidate: the
/// transcript keeps the half on the line it kept.
#[test]
fn a_skipped_line_with_a_broken_word_at_its_edge_is_one_candidate() {
    // The scan words of each skipped-line candidate.
    let skipped = |transcript: &str, scan: &str| -> Vec<String> {
        let tokens = tokenize(transcript);
        let a = align(&tokens, &[fake_page(1, scan)], &Params::default());
        a.discrepancies
            .iter()
            .filter(|d| d.kind == DiscrepancyKind::Delete && d.ocr.len() > 1)
            .map(|d| a.ocr_tokens[d.ocr.clone()].iter().map(|t| t.key.as_str()).collect::<Vec<_>>().join(" "))
            .collect()
    };
    let scan = "The committee met on Tuesday in the library\nof the old school and heard the exam-\n\
        ple of the treasurer who read the accounts\nof the year with a small surplus";
    let transcript = "The committee met on Tuesday in the library\nple of the treasurer who read the accounts\n\
        of the year with a small surplus";
    assert_eq!(skipped(transcript, scan), ["of the old school and heard the"]);

    let scan = "The committee met on Tuesday in the li-\nbrary of the old school and heard\n\
        the treasurer who read the accounts\nof the year with a small surplus";
    let transcript = "The committee met on Tuesday in the li-\nthe treasurer who read the accounts\n\
        of the year with a small surplus";
    // The aligner gives the broken word to the skipped line here («lithe» is nearer «the»).
    assert_eq!(skipped(transcript, scan), ["library of the old school and heard"]);
}

/// Issue 13: lines of type the OCR read nothing of (a page Tesseract called empty, a letterhead
/// in heavy ink) hold as many of the transcript's words beyond the region's ends as their
/// letters; a translation after them stays outside.
#[test]
fn text_on_lines_the_ocr_left_unread_stays_in_the_region() {
    use crate::types::{BBox, InkLine};
    let first = "The committee met on Tuesday in the library of the old school and heard the treasurer \
        read the accounts of the year, which showed a small surplus after the repairs to the roof.";
    let second = "Members then discussed the summer excursion, agreed to hire two coaches for the journey \
        to the coast, and asked the secretary to write to the hotel about lunch for sixty people.";
    let translation = "\n\nDas Komitee tagte am Dienstag in der Bibliothek der alten Schule.";
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count() as u32;
    let line = |y: u32, letters: u32| InkLine { bbox: BBox { x: 100, y, w: 1500, h: 30 }, letters };
    let tokens = tokenize(&format!("{first}\n\n{second}{translation}"));
    let body_end = tokens.iter().position(|t| t.key == "people").unwrap() + 1;
    let first_end = tokens.iter().position(|t| t.key == "roof").unwrap() + 1;
    // Page 2 read as empty, with its type unread (its text may run on: the translation is
    // unverified, not set aside), or blank.
    for (unread, region_end) in [(vec![line(100, letters(second))], tokens.len()), (vec![], first_end)] {
        let mut blank = OcrPage::from_text(2, "p2.png", "", 0.9);
        blank.unread = unread;
        let pages = vec![fake_page(1, first), blank];
        assert_eq!(align(&tokens, &pages, &Params::default()).region, 0..region_end);
    }
    // The first paragraph a letterhead above the words read: before the region's start.
    let mut page = fake_page(1, second);
    for w in &mut page.words {
        w.bbox = BBox { x: 100, y: 500, w: 50, h: 30 };
    }
    page.unread = vec![line(100, letters(first))];
    assert_eq!(align(&tokens, &[page], &Params::default()).region, 0..body_end);
    // A single page read as empty, its type unread: the whole transcript is expected there,
    // none of it set aside; a blank page holds none of it.
    let mut empty = OcrPage::from_text(1, "p1.png", "", 0.9);
    empty.unread = vec![line(100, letters(first)), line(140, letters(second))];
    assert_eq!(align(&tokens, &[empty.clone()], &Params::default()).region, 0..tokens.len());
    empty.unread.clear();
    assert_eq!(align(&tokens, &[empty], &Params::default()).region, 0..0);
}
