//! Witness: a translation read independently from the same scans, as a second witness to the
//! transcript. In goes the transcript, its alignment with the scans and a translation (named
//! with `--witness`, or found at the end of the transcript itself); out come `Findings`:
//! transcript names and numbers that the translation's own paragraph contradicts, each with the
//! translation's form spelled back into the original's script. It weighs nothing (that is
//! `evidence::witness`) and judges no OCR.

mod compare;
mod findings;
pub mod names;
pub mod numbers;
pub mod paragraphs;
mod sides;
pub mod translit;

use crate::align::Alignment;
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::transcript::tokenize;
use crate::types::{Token, Transcript};
use compare::compare_sides;
pub use findings::{Finding, Findings, Params, Scope, What};
pub use numbers::Lang;
use sides::{script_of, split_paragraphs, Paragraphs, Side};
use std::ops::Range;
use std::path::PathBuf;
use translit::Script;

/// A translation given on the command line.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    /// From `FILE:LANG`; guessed from the text when absent.
    pub lang: Option<Lang>,
}

/// Read `FILE[:LANG]` (LANG a Tesseract code: eng, deu, rus).
pub fn read_source(arg: &str) -> Result<Source> {
    let (path, lang) = match arg.rsplit_once(':') {
        Some((p, l)) if (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()) && !p.is_empty() => {
            (p, Some(Lang::from_code(l)))
        }
        _ => (arg, None),
    };
    let path = PathBuf::from(path);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let text = crate::transcript::decode(&path, &bytes)?;
    if text.trim().is_empty() {
        return Err(Error::BadInput { path, reason: "the witness (translation) is empty".into() });
    }
    Ok(Source { path, text, lang })
}

/// Find the translation inside the transcript: the longest run of paragraphs in another script
/// than the scanned region's, about as long as the original (a citation header or an editor's
/// note is far shorter). It may follow the original outside the scanned region, or lie inside
/// it when the scan's reading is the transcript itself. Returns the original's paragraphs
/// (in the region, in its script) and the translation's.
fn embedded_translation(
    transcript: &Transcript,
    alignment: &Alignment,
    script: Script,
    params: &Params,
) -> Option<(Paragraphs, Paragraphs)> {
    let (text, tokens, region) = (&transcript.text, &transcript.tokens, &alignment.region);
    let all = split_paragraphs(text, tokens, 0..tokens.len());
    let scripts: Vec<(Option<Script>, usize)> = all.iter().map(|p| script_of(text, tokens, p)).collect();
    let in_region = |p: &Range<usize>| p.start < region.end && region.start < p.end;
    let original_letters: usize =
        all.iter().zip(&scripts).filter(|(p, (s, _))| in_region(p) && *s == Some(script)).map(|(_, (_, n))| n).sum();
    // Runs of paragraphs in one other script; paragraphs without letters (folio numbers, dates)
    // do not break a run.
    let mut best: Option<(Range<usize>, usize)> = None;
    let mut k = 0;
    while k < all.len() {
        let Some(other) = scripts[k].0.filter(|s| *s != script) else {
            k += 1;
            continue;
        };
        let (mut end, mut letters, mut j) = (k, 0, k);
        while j < all.len() && scripts[j].0.is_none_or(|s| s == other) {
            if scripts[j].0.is_some() {
                letters += scripts[j].1;
                end = j + 1;
            }
            j += 1;
        }
        if best.as_ref().is_none_or(|b| letters > b.1) {
            best = Some((k..end, letters));
        }
        k = end.max(k + 1);
    }
    let (run, letters) = best?;
    if (letters as f32) < params.min_share * original_letters as f32 {
        return None;
    }
    let original = all
        .iter()
        .enumerate()
        .filter(|(i, p)| !run.contains(i) && in_region(p) && scripts[*i].0.is_none_or(|s| s == script))
        .map(|(_, p)| p.start.max(region.start)..p.end.min(region.end))
        .collect();
    Some((original, all[run].to_vec()))
}

/// Guess a Latin-script language from its commonest words.
fn guess_lang(tokens: &[Token], script: Script) -> Lang {
    match script {
        Script::Cyrillic => return Lang::Russian,
        Script::Latin => {}
        _ => return Lang::Other,
    }
    let mut en = 0;
    let mut de = 0;
    for t in tokens {
        match t.key.to_lowercase().as_str() {
            "the" | "and" | "of" | "to" | "is" | "that" | "with" => en += 1,
            "der" | "die" | "und" | "das" | "nicht" | "mit" | "von" | "zu" => de += 1,
            _ => {}
        }
    }
    if de > en {
        Lang::German
    } else if en > 0 {
        Lang::English
    } else {
        Lang::Other
    }
}

/// Cross-check the transcript's scanned region against a translation: the one given, or else
/// one found in the transcript itself (`find_embedded`). None when there is no translation.
pub fn cross_check(
    transcript: &Transcript,
    alignment: &Alignment,
    lexicon: &Lexicon,
    lang: &str,
    given: Option<&Source>,
    find_embedded: bool,
    params: &Params,
) -> Option<Findings> {
    if alignment.region.is_empty() {
        return None;
    }
    let (text, tokens, region) = (&transcript.text, &transcript.tokens, alignment.region.clone());
    let original_lang = match Lang::from_code(lang) {
        Lang::Other => guess_lang(&tokens[region.clone()], Script::Latin),
        l => l,
    };
    // The scans' language names the original's script; the region's commonest script stands in
    // for a language without number words here.
    let script = match original_lang {
        Lang::Russian => Script::Cyrillic,
        Lang::English | Lang::German => Script::Latin,
        Lang::Other => script_of(text, tokens, &region).0?,
    };
    let file_tokens: Vec<Token>;
    let (w_text, w_tokens, o_pars, w_pars, origin) = match given {
        Some(s) => {
            file_tokens = tokenize(&s.text);
            let o_pars: Vec<Range<usize>> = split_paragraphs(text, tokens, region.clone())
                .into_iter()
                .filter(|p| script_of(text, tokens, p).0.is_none_or(|s| s == script))
                .collect();
            let w_pars = split_paragraphs(&s.text, &file_tokens, 0..file_tokens.len());
            (s.text.as_str(), &file_tokens[..], o_pars, w_pars, format!("the translation {}", s.path.display()))
        }
        None if find_embedded => {
            let (o, w) = embedded_translation(transcript, alignment, script, params)?;
            (text.as_str(), &tokens[..], o, w, "the transcript's own translation".to_string())
        }
        None => return None,
    };
    if w_pars.is_empty() || o_pars.is_empty() {
        return None;
    }
    let original = Side { text, tokens, paragraphs: o_pars, lang: original_lang };
    let w_script = translit::dominant_script(w_text).0.unwrap_or(Script::Other);
    let all_w: Vec<Token> = w_pars.iter().flat_map(|p| w_tokens[p.clone()].iter().cloned()).collect();
    let wlang = given.and_then(|s| s.lang).unwrap_or_else(|| guess_lang(&all_w, w_script));
    let witness = Side { text: w_text, tokens: w_tokens, paragraphs: w_pars, lang: wlang };
    // The translation's own dictionary tells its names from its words; without one every
    // capitalized word counts.
    let witness_lexicon = Lexicon::load(wlang.code(), &[]).unwrap_or_else(|_| Lexicon::empty());
    let (mut findings, scopes) = compare_sides(&original, &witness, lexicon, &witness_lexicon, params);
    findings.sort_by_key(|f| f.tokens.start);
    Some(Findings { origin, lang: wlang, findings, params: params.clone(), scopes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{align, Params as AlignParams};
    use crate::transcript::from_text;
    use crate::types::{DiscrepancyKind, OcrPage};

    fn page_of(text: &str) -> OcrPage {
        OcrPage::from_text(1, "p1.png", text, 0.9)
    }

    const ORIGINAL: &str = "Товарищ Петров прибыл в Тифлис десятого числа.\n\n\
        Он привез девять ящиков и письмо от Джапаридзе.\n\n\
        Отряд Сулейманова отошел к Баку.";
    const TRANSLATION: &str = "Comrade Petrov arrived in Tiflis on the tenth.\n\n\
        He brought eight crates and a letter from Japaridze.\n\n\
        Suleimanov's detachment withdrew to Baku.";

    fn findings_for(
        transcript_text: &str,
        scan: &str,
        given: Option<&Source>,
    ) -> (Transcript, Alignment, Option<Findings>) {
        let t = from_text(std::path::Path::new("t.txt"), transcript_text.to_string());
        let a = align(&t.tokens, &[page_of(scan)], &AlignParams::default());
        let f = cross_check(&t, &a, &Lexicon::empty(), "rus", given, true, &Params::default());
        (t, a, f)
    }

    #[test]
    fn an_embedded_translation_is_found_and_read() {
        let original = ORIGINAL.replace("Джапаридзе", "Джапарилзе");
        let text = format!("Citation: Archive, f. 1.\n\n{original}\n\n{TRANSLATION}");
        let (t, _, f) = findings_for(&text, &original, None);
        let f = f.expect("the translation after the original is found");
        assert_eq!(f.lang, Lang::English);
        let got: Vec<(String, String, String)> =
            f.findings.iter().map(|x| (x.original.clone(), x.witness.clone(), x.suggestion.clone())).collect();
        assert!(got.contains(&("Джапарилзе".into(), "Japaridze".into(), "Джапаридзе".into())), "{got:?}");
        assert!(got.contains(&("девять".into(), "eight".into(), "восемь".into())), "{got:?}");
        // Correct names have nothing against them.
        for x in &f.findings {
            assert!(!["Петров", "Тифлис", "Сулейманова", "Баку"].contains(&x.original.as_str()), "{x:?}");
        }
        // The witness's offsets point into the transcript.
        let j = f.findings.iter().find(|x| x.witness == "Japaridze").unwrap();
        let chars: Vec<char> = t.text.chars().collect();
        assert_eq!(chars[j.witness_chars.clone()].iter().collect::<String>(), "Japaridze");
    }

    #[test]
    fn a_citation_header_is_no_translation() {
        let text = format!("Citation: Archive, f. 1, op. 89.\n\n{ORIGINAL}");
        assert!(findings_for(&text, ORIGINAL, None).2.is_none());
    }

    #[test]
    fn a_given_translation_and_its_unopposed_places() {
        let original = ORIGINAL.replace("Джапаридзе", "Джапарилзе");
        let given = Source { path: PathBuf::from("en.txt"), text: TRANSLATION.into(), lang: Some(Lang::English) };
        // The scan reads as the transcript does: the finding stands alone, a flag of its own.
        let (_, a, f) = findings_for(&original, &original, Some(&given));
        let f = f.unwrap();
        let alone = f.unopposed(&a);
        assert_eq!(alone.len(), f.findings.len());
        assert!(alone.iter().all(|(_, d)| d.kind == DiscrepancyKind::Substitute && d.ocr.len() == 1));
        // Where the scan differs, the finding joins that discrepancy instead.
        let scan = original.replace("Джапарилзе", "Джапаридзе");
        let (_, a, f) = findings_for(&original, &scan, Some(&given));
        let f = f.unwrap();
        let k = f.findings.iter().position(|x| x.witness == "Japaridze").unwrap();
        assert!(f.unopposed(&a).iter().all(|(i, _)| *i != k));
        assert!(f.scan_agrees(&f.findings[k], "Джапаридзе"));
        assert!(!f.scan_agrees(&f.findings[k], "Джапарилзе"));
    }

    #[test]
    fn witness_argument_with_language() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("en.txt");
        std::fs::write(&p, TRANSLATION).unwrap();
        let s = read_source(&format!("{}:deu", p.display())).unwrap();
        assert_eq!(s.lang, Some(Lang::German));
        let s = read_source(p.to_str().unwrap()).unwrap();
        assert_eq!(s.lang, None);
        assert!(read_source("no/such/file.txt").is_err());
    }
}
