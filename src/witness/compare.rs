//! Pairing the original's paragraphs, names and numbers with the translation's, and the
//! findings (names, initials, numbers) where the two disagree.

use super::findings::{Finding, Params, Scope, What};
use super::sides::{chars_of, initials_before, names_of, passage, NameAt, Side};
use super::translit::{self, Script};
use super::{names, numbers, paragraphs};
use crate::lexicon::{Lexicon, Verdict};
use std::collections::HashMap;
use std::ops::Range;

/// Per paragraph: its names and numbers.
struct Outlined {
    names: Vec<NameAt>,
    numbers: Vec<numbers::Mention>,
}

fn outline(side: &Side, lexicon: &Lexicon) -> Vec<Outlined> {
    side.paragraphs
        .iter()
        .map(|p| {
            let cores: Vec<String> = p.clone().map(|i| side.core(i)).collect();
            let words: Vec<&str> = cores.iter().map(String::as_str).collect();
            let numbers = numbers::find_numbers(&words, side.lang)
                .into_iter()
                .map(|m| numbers::Mention { words: m.words.start + p.start..m.words.end + p.start, ..m })
                .collect();
            Outlined { names: names_of(side, p, lexicon), numbers }
        })
        .collect()
}

fn latin_of(form: &str) -> String {
    match names::script(form) {
        Some(Script::Cyrillic) => translit::to_latin(form),
        _ => translit::fold_latin(form),
    }
}

fn paragraph_outline(side: &Side, o: &Outlined, p: &Range<usize>) -> paragraphs::Outline {
    paragraphs::Outline {
        length: p.clone().map(|i| side.tokens[i].text.chars().filter(|c| c.is_alphanumeric()).count()).sum(),
        numbers: o.numbers.iter().map(|m| m.value).filter(|v| *v >= 10).collect(),
        names: o.names.iter().map(|n| paragraphs::fingerprint(&latin_of(&n.form))).collect(),
    }
}

/// An original name's best counterpart in its translated paragraph(s).
struct Counterpart {
    name: NameAt,
    witness: NameAt,
    witness_paragraph: Range<usize>,
    m: names::Match,
}

pub(super) fn compare_sides(
    original: &Side,
    witness: &Side,
    lexicon: &Lexicon,
    witness_lexicon: &Lexicon,
    params: &Params,
) -> (Vec<Finding>, Vec<Scope>) {
    let o_out = outline(original, lexicon);
    let w_out = outline(witness, witness_lexicon);
    let o_lines: Vec<_> =
        o_out.iter().zip(&original.paragraphs).map(|(o, p)| paragraph_outline(original, o, p)).collect();
    let w_lines: Vec<_> =
        w_out.iter().zip(&witness.paragraphs).map(|(o, p)| paragraph_outline(witness, o, p)).collect();
    let beads = paragraphs::align_paragraphs(&o_lines, &w_lines);

    let mut findings = Vec::new();
    let mut scopes = Vec::new();
    let mut pairs: Vec<Counterpart> = Vec::new();
    for bead in beads.iter().filter(|b| !b.original.is_empty() && !b.translation.is_empty()) {
        let w_par = witness.paragraphs[bead.translation.start].start..witness.paragraphs[bead.translation.end - 1].end;
        let o_names: Vec<NameAt> = bead.original.clone().flat_map(|k| o_out[k].names.clone()).collect();
        let w_names: Vec<NameAt> = bead.translation.clone().flat_map(|k| w_out[k].names.clone()).collect();
        scopes.push(Scope {
            original: original.paragraphs[bead.original.start].start..original.paragraphs[bead.original.end - 1].end,
            names: w_names
                .iter()
                .map(|n| (n.form.clone(), passage(witness.text, witness.tokens, &w_par, &n.tokens)))
                .collect(),
        });
        pairs.extend(counterparts(original, &o_names, &w_names, &w_par, params));
        let o_nums: Vec<&numbers::Mention> = bead.original.clone().flat_map(|k| o_out[k].numbers.iter()).collect();
        let w_nums: Vec<&numbers::Mention> = bead.translation.clone().flat_map(|k| w_out[k].numbers.iter()).collect();
        findings.extend(number_findings(original, witness, &o_nums, &w_nums, &w_par));
    }
    findings.extend(name_findings(witness, &pairs, lexicon, params));
    findings.extend(initial_findings(original, witness, &pairs, params));
    (findings, scopes)
}

/// For each original name, the translation's word it matches best, when that word is close
/// enough to be its counterpart and no other original name claims it more closely. A name the
/// typist split («Пале ган») is tried joined with the next word too.
fn counterparts(
    original: &Side,
    o_names: &[NameAt],
    w_names: &[NameAt],
    w_par: &Range<usize>,
    params: &Params,
) -> Vec<Counterpart> {
    let best_for = |form: &str| -> Option<(usize, names::Match)> {
        w_names
            .iter()
            .enumerate()
            .filter_map(|(k, w)| names::compare(form, &w.form).map(|m| (k, m)))
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
    };
    let bests: Vec<Option<(usize, names::Match)>> = o_names.iter().map(|n| best_for(&n.form)).collect();
    let mut out: Vec<Counterpart> = Vec::new();
    for n in o_names {
        let Some((mut k, mut m)) = best_for(&n.form) else { continue };
        let mut name = n.clone();
        // Joined with the next word, when that is a lower-case word of the same sentence.
        let next = n.tokens.end;
        let same_paragraph = original.paragraphs.iter().any(|p| p.contains(&n.tokens.start) && p.contains(&next));
        if same_paragraph && !original.tokens[n.tokens.start].text.ends_with([',', '.', ';', ':']) {
            let core = original.core(next);
            if core.chars().all(char::is_alphabetic) && core.chars().next().is_some_and(char::is_lowercase) {
                let joined = format!("{}{}", n.form, core);
                if let Some((k2, m2)) = best_for(&joined) {
                    if m2.relative() + 0.1 < m.relative() && m2.relative() <= params.counterpart {
                        (k, m) = (k2, m2);
                        name = NameAt { tokens: n.tokens.start..next + 1, form: format!("{} {}", n.form, core) };
                    }
                }
            }
        }
        if m.relative() > params.counterpart {
            continue;
        }
        // Another original name of the bead whose best match this word is, and which it fits
        // better, claims it.
        let claimed = o_names.iter().zip(&bests).any(|(o, b)| {
            o.form != n.form && b.as_ref().is_some_and(|(bk, bm)| *bk == k && bm.cost + params.better_by < m.cost)
        });
        if claimed {
            continue;
        }
        out.push(Counterpart { name, witness: w_names[k].clone(), witness_paragraph: w_par.clone(), m });
    }
    out
}

fn name_findings(witness: &Side, pairs: &[Counterpart], lexicon: &Lexicon, params: &Params) -> Vec<Finding> {
    // The original's spelling that fits each translation name best, over the whole document.
    let mut best_form: HashMap<String, (f32, String, String)> = HashMap::new(); // witness key -> (cost, form, its ending)
    for p in pairs {
        let key = p.m.witness_stem.clone();
        let entry = best_form.entry(key).or_insert((f32::INFINITY, String::new(), String::new()));
        if p.m.cost < entry.0 {
            *entry = (p.m.cost, p.name.form.replace(' ', ""), p.m.ending.clone());
        }
    }
    // How often the original spells each disagreeing name so, against the same translation name.
    let mut repeats: HashMap<(String, String), usize> = HashMap::new();
    for p in pairs.iter().filter(|p| p.m.cost > params.agree) {
        *repeats.entry((stem_of(&p.name.form, &p.m), p.m.witness_stem.clone())).or_insert(0) += 1;
    }
    let mut out = Vec::new();
    for p in pairs {
        let form = p.name.form.replace(' ', "");
        let (best_cost, best, best_ending) = &best_form[&p.m.witness_stem];
        // The document's own better spelling: «Кавам» elsewhere against «Кавем» here.
        let elsewhere = *best_cost + params.better_by <= p.m.cost
            && stem_of(best, &names::Match { ending: best_ending.clone(), ..p.m.clone() }) != stem_of(&form, &p.m)
            && strsim::levenshtein(&best.to_lowercase(), &form.to_lowercase()) <= 3;
        if p.m.cost <= params.agree && !elsewhere {
            continue;
        }
        let (suggestion, support) = if elsewhere {
            let stem: String = best.chars().take(best.chars().count() - best_ending.chars().count()).collect();
            let suggestion = format!("{stem}{}", p.m.ending);
            (suggestion, Some(format!("the transcript writes «{best}» elsewhere, as the translation spells it")))
        } else {
            let strict = names::respell(&form, &p.m, false);
            let loose = names::respell(&form, &p.m, true);
            let known = |w: &str| !lexicon.is_empty() && lexicon.verdict(w) == Verdict::Known;
            if known(&strict) && !known(&form) {
                (strict.clone(), Some(format!("«{strict}» is a word and «{form}» is not")))
            } else if known(&loose) && !known(&form) {
                (loose.clone(), Some(format!("«{loose}» is a word and «{form}» is not")))
            } else {
                (loose, None)
            }
        };
        if suggestion.to_lowercase() == form.to_lowercase() {
            continue;
        }
        let times = repeats.get(&(stem_of(&p.name.form, &p.m), p.m.witness_stem.clone())).copied().unwrap_or(0);
        let established = (support.is_none() && times >= params.established).then_some(times);
        let w_tokens = &p.witness.tokens;
        out.push(Finding {
            what: What::Name,
            tokens: p.name.tokens.clone(),
            original: p.name.form.clone(),
            witness: p.witness.form.clone(),
            witness_chars: chars_of(witness.tokens, w_tokens),
            suggestion,
            passage: passage(witness.text, witness.tokens, &p.witness_paragraph, w_tokens),
            support,
            established,
            values: None,
        });
    }
    out
}

fn stem_of(form: &str, m: &names::Match) -> String {
    let form = form.replace(' ', "").to_lowercase();
    let n = form.chars().count().saturating_sub(m.ending.chars().count());
    form.chars().take(n).collect()
}

fn initial_findings(original: &Side, witness: &Side, pairs: &[Counterpart], params: &Params) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in pairs.iter().filter(|p| p.m.relative() <= params.counterpart) {
        let floor_o = original.paragraphs.iter().find(|r| r.contains(&p.name.tokens.start)).map_or(0, |r| r.start);
        let o = initials_before(original, p.name.tokens.start, floor_o);
        let w = initials_before(witness, p.witness.tokens.start, p.witness_paragraph.start);
        if o.is_empty() || o.len() != w.len() {
            continue;
        }
        for ((oi, oc), (wi, wc)) in o.iter().zip(&w) {
            if names::same_initial(oc, wc) {
                continue;
            }
            let back = match names::script(oc) {
                Some(Script::Cyrillic) => translit::to_cyrillic(wc).to_uppercase().chars().take(1).collect(),
                _ => wc.clone(),
            };
            out.push(Finding {
                what: What::Initial,
                tokens: *oi..*oi + 1,
                original: format!("{oc}."),
                witness: format!("{wc}."),
                witness_chars: chars_of(witness.tokens, &(*wi..*wi + 1)),
                suggestion: back,
                passage: passage(witness.text, witness.tokens, &p.witness_paragraph, &(*wi..p.witness.tokens.end)),
                support: None,
                established: None,
                values: None,
            });
        }
    }
    out
}

/// Numbers of the original with no equal in the translated paragraph, where the translation has
/// an unpaired number near it (девяти / nine).
fn number_findings(
    original: &Side,
    witness: &Side,
    o_nums: &[&numbers::Mention],
    w_nums: &[&numbers::Mention],
    w_par: &Range<usize>,
) -> Vec<Finding> {
    let mut w_left: Vec<&numbers::Mention> = w_nums.to_vec();
    let mut o_left: Vec<&numbers::Mention> = Vec::new();
    for o in o_nums {
        match w_left.iter().position(|w| w.value == o.value) {
            Some(k) => {
                w_left.remove(k);
            }
            None => o_left.push(o),
        }
    }
    let mut out = Vec::new();
    for o in o_left {
        let Some(k) = w_left.iter().position(|w| numbers::near(o.value, w.value)) else { continue };
        let w = w_left.remove(k);
        let raw: Vec<String> = o.words.clone().map(|i| original.core(i)).collect();
        let raw = raw.join(" ");
        let suggestion = numbers::respell(&raw, o.value, w.value, original.lang).unwrap_or_else(|| w.value.to_string());
        let w_words: Vec<String> = w.words.clone().map(|i| witness.core(i)).collect();
        out.push(Finding {
            what: What::Number,
            tokens: o.words.clone(),
            original: raw,
            witness: w_words.join(" "),
            witness_chars: chars_of(witness.tokens, &w.words),
            suggestion,
            passage: passage(witness.text, witness.tokens, w_par, &w.words),
            support: None,
            established: None,
            values: Some((o.value, w.value)),
        });
    }
    out
}
