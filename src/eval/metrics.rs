//! The figures of an evaluation, from page runs whose flags are already weighed: precision,
//! recall and F1 at the threshold and over a sweep, recall by kind of error, false alarms on
//! the clean transcriptions, the known real errors found, and how well the scores are
//! calibrated (a reliability table in tenths, and the expected calibration error).

use super::corpus::{overlaps, PageRun};
use super::inject::Injected;
use super::EvalOptions;
use crate::types::Flag;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Default)]
pub struct Figures {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub true_flags: usize,
    pub false_flags: usize,
    pub found: usize,
    pub injected: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub pages: usize,
    pub words: usize,
    pub rate: usize,
    pub seed: u64,
    pub threshold: f32,
    /// "held out by document, K folds", or the model the figures are for.
    pub model: String,
    pub checker: Figures,
    pub every_difference: Figures,
    pub sweep: Vec<(f32, Figures)>,
    pub recall_by_kind: BTreeMap<String, (usize, usize)>,
    /// Shown flags a page on the clean transcriptions that hit no known real error.
    pub other_flags_per_page: f64,
    pub every_difference_flags_per_page: f64,
    pub known_real_errors: usize,
    pub known_real_errors_found: usize,
    pub calibration: Calibration,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub folds: Vec<FoldSummary>,
    /// The clean run's shown flags that hit no known error, for a person to sort.
    pub other_flags: Vec<OtherFlag>,
    /// Injected errors no shown flag covered, with the best flag there if any.
    pub missed: Vec<Missed>,
    /// Known real errors that no shown flag covered: the page, the truth's text around it,
    /// and the best flag there if any.
    pub known_missed: Vec<(String, String, Option<OtherFlag>)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FoldSummary {
    pub fold: usize,
    pub documents: Vec<String>,
    pub pages: usize,
    pub checker: Figures,
}

/// Scores in tenths against the share of them that were real errors (injected, or known real
/// errors of the truth), over every candidate of the corrupted runs; the expected calibration
/// error is the candidates' mean distance between the two.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Calibration {
    /// (from, to, candidates, mean score, share that were errors)
    pub bins: Vec<(f32, f32, usize, f64, f64)>,
    pub expected_calibration_error: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Missed {
    pub error: Injected,
    pub flag: Option<OtherFlag>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherFlag {
    pub page: String,
    /// Character offsets in the page's truth text (the columns of a known-errors list).
    pub start: usize,
    pub end: usize,
    /// Where on the scan, to look at it.
    pub bbox: crate::types::BBox,
    pub transcript: String,
    pub ocr: String,
    pub score: f32,
    pub evidence: Vec<String>,
}

impl OtherFlag {
    fn of(page: &str, f: &Flag) -> Self {
        let evidence = f.evidence.iter().map(|e| format!("{} {:+.2}: {}", e.kind, e.weight, e.note)).collect();
        OtherFlag {
            page: page.to_string(),
            start: f.start,
            end: f.end,
            bbox: f.bbox,
            transcript: f.transcript.clone(),
            ocr: f.ocr.clone(),
            score: f.score,
            evidence,
        }
    }
}

/// A flag of a corrupted run: its score, the injected errors it lands on, whether it lands on a
/// known real error instead.
struct Scored {
    score: f32,
    hits: Vec<usize>,
    natural: bool,
    /// The policy counts it (a flag it tolerates is never shown, whatever its score).
    counted: bool,
}

pub fn measure(runs: &[PageRun], opts: &EvalOptions, folds: Vec<FoldSummary>) -> EvalReport {
    let threshold = opts.check.score.threshold;
    let mut scored: Vec<Scored> = Vec::new();
    let mut injected_all: Vec<(Injected, bool)> = Vec::new();
    let mut missed = Vec::new();
    let (mut clean_other, mut clean_all) = (0usize, 0usize);
    let (mut natural_total, mut natural_found) = (0usize, 0usize);
    let mut other_flags = Vec::new();
    let mut known_missed = Vec::new();
    for run in runs {
        natural_total += run.natural.len();
        for r in &run.natural {
            if run.clean.iter().any(|f| f.shown && overlaps(f, r)) {
                natural_found += 1;
            } else {
                let text: String = run.text.chars().skip(r.start.saturating_sub(15)).take(r.len() + 30).collect();
                let best = run.clean.iter().filter(|f| overlaps(f, r)).max_by(|a, b| a.score.total_cmp(&b.score));
                known_missed.push((
                    run.name.clone(),
                    text.replace('\n', "⏎"),
                    best.map(|f| OtherFlag::of(&run.name, f)),
                ));
            }
        }
        for f in run.clean.iter().filter(|f| !run.natural.iter().any(|r| overlaps(f, r))) {
            clean_all += 1;
            if f.shown {
                clean_other += 1;
                other_flags.push(OtherFlag::of(&run.name, f));
            }
        }
        for c in &run.corrupted {
            let base = injected_all.len();
            let mut found = vec![false; c.injected.len()];
            for f in &c.flags {
                let hits = c.hits(f);
                if f.shown {
                    hits.iter().for_each(|&k| found[k] = true);
                }
                let natural = hits.is_empty() && c.protected.iter().any(|r| overlaps(f, r));
                let counted = opts.check.score.rules.counts(f.rule);
                scored.push(Scored { score: f.score, hits: hits.iter().map(|k| base + k).collect(), natural, counted });
            }
            for (inj, _) in c.injected.iter().zip(&found).filter(|(_, f)| !**f) {
                let best = c
                    .flags
                    .iter()
                    .filter(|f| overlaps(f, &(inj.start..inj.end)))
                    .max_by(|a, b| a.score.total_cmp(&b.score));
                missed.push(Missed { error: inj.clone(), flag: best.map(|f| OtherFlag::of(&run.name, f)) });
            }
            injected_all.extend(c.injected.iter().cloned().zip(found));
        }
    }

    let figures_at = |t: f32| -> Figures {
        let shown: Vec<&Scored> = scored.iter().filter(|f| f.counted && f.score >= t).collect();
        let true_flags = shown.iter().filter(|f| !f.hits.is_empty()).count();
        let false_flags = shown.iter().filter(|f| f.hits.is_empty() && !f.natural).count();
        let mut hit = vec![false; injected_all.len()];
        for f in &shown {
            f.hits.iter().for_each(|&k| hit[k] = true);
        }
        let found = hit.iter().filter(|h| **h).count();
        let precision = ratio(true_flags, true_flags + false_flags);
        let recall = ratio(found, injected_all.len());
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        Figures { precision, recall, f1, true_flags, false_flags, found, injected: injected_all.len() }
    };
    let mut recall_by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (inj, found) in &injected_all {
        let e = recall_by_kind.entry(inj.kind.name().to_string()).or_default();
        e.0 += *found as usize;
        e.1 += 1;
    }
    let labels: Vec<(f32, bool)> = scored.iter().map(|s| (s.score, !s.hits.is_empty() || s.natural)).collect();
    let pages = runs.len().max(1) as f64;
    EvalReport {
        pages: runs.len(),
        words: runs.iter().map(|r| r.words).sum(),
        rate: opts.rate,
        seed: opts.seed,
        threshold,
        model: match opts.folds {
            Some(k) if k >= 2 => {
                format!("held out by document: {k} folds, each scored by a model trained on the others")
            }
            _ => opts.check.score.model.provenance.command.clone(),
        },
        checker: figures_at(threshold),
        every_difference: figures_at(f32::MIN),
        sweep: (1..=9).map(|k| k as f32 / 10.0).map(|t| (t, figures_at(t))).collect(),
        recall_by_kind,
        other_flags_per_page: clean_other as f64 / pages,
        every_difference_flags_per_page: clean_all as f64 / pages,
        known_real_errors: natural_total,
        known_real_errors_found: natural_found,
        calibration: calibration(&labels),
        folds,
        other_flags,
        known_missed,
        missed,
    }
}

/// Reliability in tenths of the score, and the expected calibration error.
pub fn calibration(labels: &[(f32, bool)]) -> Calibration {
    let mut bins = Vec::new();
    let mut ece = 0.0;
    for b in 0..10 {
        let (lo, hi) = (b as f32 / 10.0, (b + 1) as f32 / 10.0);
        let inside: Vec<&(f32, bool)> =
            labels.iter().filter(|(s, _)| *s >= lo && (*s < hi || (b == 9 && *s <= 1.0))).collect();
        if inside.is_empty() {
            continue;
        }
        let n = inside.len();
        let mean = inside.iter().map(|(s, _)| *s as f64).sum::<f64>() / n as f64;
        let share = inside.iter().filter(|(_, l)| *l).count() as f64 / n as f64;
        ece += n as f64 / labels.len() as f64 * (mean - share).abs();
        bins.push((lo, hi, n, round3(mean), round3(share)));
    }
    Calibration { bins, expected_calibration_error: round3(ece) }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The evaluation as a table a person reads.
pub fn render_text(r: &EvalReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(out, "{} pages, {} words, one injected error per {} words (seed {})", r.pages, r.words, r.rate, r.seed)?;
    writeln!(out, "model: {}", r.model)?;
    writeln!(
        out,
        "{:<34} {:>9} {:>7} {:>6} {:>22}",
        "flagger", "precision", "recall", "F1", "other flags/page (clean)"
    )?;
    let row = |out: &mut dyn std::io::Write, name: &str, f: &Figures, other: f64| {
        writeln!(out, "{:<34} {:>9.3} {:>7.3} {:>6.3} {:>22.2}", name, f.precision, f.recall, f.f1, other)
    };
    row(out, &format!("scanproof (threshold {:.2})", r.threshold), &r.checker, r.other_flags_per_page)?;
    row(out, "every difference", &r.every_difference, r.every_difference_flags_per_page)?;
    for f in &r.folds {
        let name = format!("  fold {} ({} pages)", f.fold + 1, f.pages);
        row(out, &name, &f.checker, f64::NAN)?;
    }
    writeln!(out, "\nthreshold sweep:")?;
    for (t, f) in &r.sweep {
        writeln!(out, "  {t:.1}: precision {:.3} recall {:.3} F1 {:.3}", f.precision, f.recall, f.f1)?;
    }
    writeln!(out, "\nrecall by kind of error:")?;
    for (k, (found, total)) in &r.recall_by_kind {
        writeln!(out, "  {k:<28} {found}/{total}")?;
    }
    writeln!(out, "\ncalibration (score range: candidates, mean score, share that were errors):")?;
    for (lo, hi, n, mean, share) in &r.calibration.bins {
        writeln!(out, "  {lo:.1}-{hi:.1}: {n:>6}  {mean:.3}  {share:.3}")?;
    }
    writeln!(out, "  expected calibration error {:.3}", r.calibration.expected_calibration_error)?;
    if r.known_real_errors > 0 {
        writeln!(out, "\nknown real errors of the truth found: {}/{}", r.known_real_errors_found, r.known_real_errors)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_of_perfect_and_of_overconfident_scores() {
        // Scores of 0.25 of which a quarter are errors: calibrated.
        let fair: Vec<(f32, bool)> = (0..400).map(|i| (0.25, i % 4 == 0)).collect();
        let c = calibration(&fair);
        assert_eq!(c.bins.len(), 1);
        assert!(c.expected_calibration_error < 1e-9, "{c:?}");
        // Scores of 0.9 of which none are errors: off by 0.9.
        let bold: Vec<(f32, bool)> = (0..10).map(|_| (0.9, false)).collect();
        assert!((calibration(&bold).expected_calibration_error - 0.9).abs() < 1e-6);
    }
}
