//! The cross-check's result (`Findings`, each `Finding`, its `Params`) and what the rest of the
//! review asks of it: which finding a flag is about, whether the scan agrees, what stands alone.

use super::names;
use super::numbers::{self, Lang};
use super::translit::Script;
use crate::align::{Alignment, StepKind};
use crate::transcript::word_core;
use crate::types::{Discrepancy, DiscrepancyKind, Flag, OcrPage, Transcript, TranslationIssue};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Name,
    Initial,
    Number,
}

/// One place where the translation contradicts the transcript.
#[derive(Debug, Clone)]
pub struct Finding {
    pub what: What,
    /// Transcript tokens («Пале ган» is two).
    pub tokens: Range<usize>,
    /// The transcript's word(s), as cores.
    pub original: String,
    /// The translation's word(s).
    pub witness: String,
    /// The translation's words as code points of the witness text.
    pub witness_chars: Range<usize>,
    /// The original as the translation has it («Джавид» for «Джавил»).
    pub suggestion: String,
    /// The translated passage around the word, for the reviewer.
    pub passage: String,
    /// Why the suggested form is likely: the transcript writes it elsewhere, or it is a word.
    pub support: Option<String>,
    /// The transcript spells it so at this many places, each against the translation: the
    /// translation's spelling is then the likelier slip, and the finding is for its editors.
    pub established: Option<usize>,
    /// For numbers: the values (original, translation).
    pub values: Option<(u64, u64)>,
}

/// What the translation says against the transcript.
#[derive(Debug, Clone)]
pub struct Findings {
    /// Where the translation came from, for notes ("the transcript's own translation").
    pub origin: String,
    pub lang: Lang,
    pub findings: Vec<Finding>,
    pub params: Params,
    /// Each aligned stretch of the original (token range) with its translation's names and
    /// their passages: what the scan's own reading is checked against when the transcript's
    /// word is no name (a dictionary word in a name's place).
    pub scopes: Vec<Scope>,
}

#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub original: Range<usize>,
    /// (the translation's name, its passage)
    pub names: Vec<(String, String)>,
}

/// Settings of the cross-check; each value was read off the sample's names and numbers.
#[derive(Debug, Clone)]
pub struct Params {
    /// At most this cost (in letters) two spellings are one name: two cheap renderings
    /// (к/q and е/a in Кавам / Qavam) but not one wrong letter (Джавил / Javid costs 1.0).
    pub agree: f32,
    /// At most this cost per letter of the longer stem a translation's word is still the
    /// counterpart of the original's (Садыкова / Sadchikov, 0.35); with more than two letters
    /// in five wrong the two are different words that happen to share a few letters.
    pub counterpart: f32,
    /// Another spelling in the transcript must match the translation better by this much
    /// before it is taken as the document's own (Кавам against Кавем for "Qavam").
    pub better_by: f32,
    /// A spelling the transcript repeats at this many places is the document's own, not a
    /// slip: a typist does not repeat a slip three times, a translator keeps a rendering.
    pub established: usize,
    /// The translation counts as found in the transcript when its letters are at least this
    /// share of the original's (a citation header or an editor's note is far shorter).
    pub min_share: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params { agree: 0.75, counterpart: 0.4, better_by: 0.25, established: 3, min_share: 0.4 }
    }
}

/// A reading says just what the translation says when it costs at most one cheap rendering
/// (е / a in меджлис / Majlis); «Камсе» for "Khams" is only loosely the same.
const STRICT: f32 = 0.35;

impl Findings {
    /// The translation's name (and its passage) that the scan's reading of these tokens spells
    /// and the transcript's word does not: «федаи» read where the transcript has a dictionary
    /// word and the translation says "fedai".
    pub fn names_the_scan(&self, tokens: &Range<usize>, scan: &str, transcript: &str) -> Option<&(String, String)> {
        let scope = self.scopes.iter().find(|s| s.original.start <= tokens.start && tokens.end <= s.original.end)?;
        let agrees = |form: &str, name: &str| names::compare(form, name).is_some_and(|m| m.cost <= self.params.agree);
        scope.names.iter().find(|(name, _)| agrees(scan, name) && !agrees(transcript, name))
    }

    /// The finding about any of these transcript tokens.
    pub fn about(&self, tokens: &Range<usize>) -> Option<&Finding> {
        self.findings.iter().find(|f| f.tokens.start < tokens.end && tokens.start < f.tokens.end)
    }

    /// The finding that covers exactly the flag's transcript text (none for a spelling the
    /// document has established).
    pub fn finding_of(&self, transcript: &Transcript, flag: &Flag) -> Option<&Finding> {
        self.findings.iter().find(|f| {
            f.established.is_none()
                && transcript.tokens[f.tokens.start].chars.start == flag.start
                && transcript.tokens[f.tokens.end - 1].chars.end == flag.end
        })
    }

    /// Whether the scan's reading at a finding says what the translation says.
    pub fn scan_agrees(&self, f: &Finding, scan: &str) -> bool {
        match f.what {
            What::Number => {
                let words: Vec<&str> = scan.split_whitespace().collect();
                let lang = match names::script(scan) {
                    Some(Script::Cyrillic) => Lang::Russian,
                    _ => self.lang,
                };
                let want = f.values.map(|v| v.1);
                numbers::find_numbers(&words, lang).iter().any(|m| Some(m.value) == want)
                    || (lang == Lang::Russian && want.is_some_and(|v| scan.contains(&v.to_string())))
            }
            What::Initial => {
                let w = f.witness.split('.').next().unwrap_or("");
                let s = scan.trim_matches(|c: char| !c.is_alphabetic());
                !s.is_empty() && s.chars().count() == 1 && names::same_initial(s, w)
            }
            What::Name => {
                let joined: String = scan.split_whitespace().collect();
                names::compare(&joined, &f.witness).is_some_and(|m| m.cost <= self.params.agree)
            }
        }
    }

    /// Where the translation contradicts the transcript and the suggested reading (the scan's,
    /// first or second) does not say just what the translation says, the OCR garbled the word
    /// too: the translation's form, a small change of the transcript's, is the better suggestion
    /// («мегжлис» read, «меджлис» meant).
    pub fn amend_suggestions(&self, transcript: &Transcript, flags: &mut [Flag]) {
        for flag in flags.iter_mut().filter(|f| f.evidence.iter().any(|e| e.kind == "witness")) {
            let Some(f) = self.finding_of(transcript, flag) else {
                continue;
            };
            let said = word_core(&flag.suggestion);
            let agrees = match f.what {
                What::Name => names::compare(&said.replace(' ', ""), &f.witness).is_some_and(|m| m.cost <= STRICT),
                _ => self.scan_agrees(f, &said),
            };
            if !agrees {
                flag.suggestion = crate::transcript::suggest(&flag.transcript, &f.suggestion, flag.kind);
            }
        }
    }

    /// Transcript places the translation doubts where the scan and the transcript agree and no
    /// discrepancy stands: each becomes a flag of its own (weighed by `evidence::witness`).
    pub fn unopposed(&self, alignment: &Alignment) -> Vec<(usize, Discrepancy)> {
        let mut out = Vec::new();
        for (k, f) in self.findings.iter().enumerate() {
            if f.established.is_some() {
                continue;
            }
            let overlaps = |r: &Range<usize>| r.start < f.tokens.end && f.tokens.start < r.end;
            if alignment.discrepancies.iter().any(|d| overlaps(&d.transcript)) {
                continue;
            }
            let ocr: Vec<Range<usize>> = alignment
                .steps
                .iter()
                .filter(|s| overlaps(&s.transcript) && s.kind == StepKind::Equal)
                .map(|s| s.ocr.clone())
                .collect();
            let ocr = match (ocr.first(), ocr.last()) {
                (Some(a), Some(b)) => a.start..b.end,
                _ => 0..0,
            };
            let kind = if f.tokens.len() > 1 && f.what == What::Name {
                DiscrepancyKind::Split
            } else {
                DiscrepancyKind::Substitute
            };
            out.push((k, Discrepancy { kind, transcript: f.tokens.clone(), ocr }));
        }
        out
    }

    /// Places where the translation, not the transcript, looks wrong: the scan reads the
    /// original as the transcript has it, and no shown flag says otherwise.
    pub fn translation_issues(
        &self,
        transcript: &Transcript,
        alignment: &Alignment,
        pages: &[OcrPage],
        flags: &[Flag],
    ) -> Vec<TranslationIssue> {
        let mut out = Vec::new();
        for f in &self.findings {
            let (start, end) =
                (transcript.tokens[f.tokens.start].chars.start, transcript.tokens[f.tokens.end - 1].chars.end);
            if flags.iter().any(|fl| fl.shown && fl.start < end && start < fl.end) {
                continue;
            }
            let read_alike = alignment
                .steps
                .iter()
                .filter(|s| s.transcript.start < f.tokens.end && f.tokens.start < s.transcript.end)
                .all(|s| s.kind == StepKind::Equal);
            if !read_alike {
                continue;
            }
            let page = alignment
                .token_page
                .get(f.tokens.start)
                .copied()
                .flatten()
                .and_then(|p| pages.get(p))
                .map_or(0, |p| p.index);
            let note = match f.established {
                Some(n) => format!(
                    "the scan reads «{}» as the transcript does, which spells it so at {n} places; {} has «{}»",
                    f.original, self.origin, f.witness
                ),
                None => format!(
                    "the scan reads «{}» as the transcript does; {} has «{}»",
                    f.original, self.origin, f.witness
                ),
            };
            out.push(TranslationIssue {
                page,
                start,
                end,
                original: f.original.clone(),
                translation: f.witness.clone(),
                translation_start: f.witness_chars.start,
                translation_end: f.witness_chars.end,
                passage: f.passage.clone(),
                note,
            });
        }
        out
    }
}
