//! Stable flag ids (issue 4): a transcript and fake OCR pages in, two reviews out, before and
//! after an unrelated edit; the untouched flags must keep their ids, since review decisions
//! are keyed on them.

use scanproof::types::{Flag, OcrPage, Transcript};
use scanproof::{lexicon::Lexicon, transcript, CheckOptions};
use std::path::PathBuf;

fn fake_page(index: usize, text: &str) -> OcrPage {
    OcrPage::from_text(index, format!("p{index}.png"), text, 0.9)
}

const PAGE_1: &str = "The committee met in Vienna on the first of March and discussed\n\
the situation of the refugees who had arrived from the Burgenland.\n\
Several members reported that the funds were nearly exhausted and\n\
that new donors were needed urgently before the end of the month.";

const PAGE_2: &str = "The chairman proposed to write to the Joint in Paris at once\n\
and to ask the Council for German Jewry in London for further help.\n\
A list of the families concerned was to be sent with the letter\n\
together with a report on the children who needed schooling.";

/// The transcript: the pages' text with four typist's errors, two per page.
fn transcript_text() -> String {
    let page_1 = PAGE_1.replace("Vienna", "Viena").replace("donors", "donnors");
    let page_2 = PAGE_2.replace("Paris", "Pariss").replace("families", "familes");
    format!("Letter of the committee, 1938.\n\n{page_1}\n{page_2}\n")
}

fn review(text: &str) -> Vec<Flag> {
    let t = Transcript {
        path: PathBuf::from("letter.txt"),
        sha256: transcript::sha256_hex(text.as_bytes()),
        tokens: transcript::tokenize(text),
        text: text.to_string(),
    };
    let pages = vec![fake_page(1, PAGE_1), fake_page(2, PAGE_2)];
    let opts = CheckOptions::new(Vec::new(), t.path.clone(), "eng");
    scanproof::review_pages(&t, &pages, &Lexicon::empty(), &opts, Vec::new(), None).flags
}

fn find<'a>(flags: &'a [Flag], transcript: &str) -> &'a Flag {
    flags
        .iter()
        .find(|f| f.transcript == transcript)
        .unwrap_or_else(|| panic!("no flag for «{transcript}» in {:#?}", flags))
}

#[test]
fn ids_survive_unrelated_edits_elsewhere_in_the_transcript() {
    let before_text = transcript_text();
    let before = review(&before_text);
    let typos = ["Viena", "donnors", "Pariss", "familes"];
    for t in typos {
        find(&before, t);
    }

    // Two unrelated edits: a longer heading (every offset after it moves) and a new typo far
    // from the others ("schooling" on the last line of page 2).
    let after_text = before_text
        .replace("Letter of the committee, 1938.", "Letter of the relief committee to the Council, 1938.")
        .replace("schooling", "schoolling");
    let after = review(&after_text);

    for t in typos {
        let (a, b) = (find(&before, t), find(&after, t));
        assert_eq!(a.id, b.id, "the flag on «{t}» changed its id after an unrelated edit");
        assert_ne!(a.start, b.start, "the heading edit should have moved «{t}»: the test would prove nothing");
    }
    // The edit itself is a new flag with an id of its own.
    let new = find(&after, "schoolling.");
    assert!(before.iter().all(|f| f.id != new.id));
    // Ids stay unique within a review.
    let mut ids: Vec<&str> = after.iter().map(|f| f.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), after.len());
}

#[test]
fn the_same_error_in_two_places_gets_two_ids() {
    // Same page, same words, different context: the context keeps them apart.
    let text = transcript_text().replace("the situation", "teh situation").replace("the end", "teh end");
    let flags = review(&text);
    let twins: Vec<&Flag> = flags.iter().filter(|f| f.transcript == "teh").collect();
    assert_eq!(twins.len(), 2, "{flags:#?}");
    assert_ne!(twins[0].id, twins[1].id);
}
