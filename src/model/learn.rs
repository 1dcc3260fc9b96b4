//! From labeled flags to a model: every feature the flags carry becomes a weight, fitted by
//! `fit`. Second readings are a feature only where `check` would make them (where they could
//! change the verdict), and where that is depends on the weights: the fit is repeated with the
//! readings outside the band left out until the band settles.

use super::fit::{self, Options, Row};
use super::{Model, Provenance, REREAD};
use crate::types::Evidence;
use std::collections::BTreeMap;

/// A flag's evidence with the truth about it: was the transcript wrong there?
#[derive(Debug, Clone)]
pub struct Example {
    pub evidence: Vec<Evidence>,
    pub label: bool,
    /// How much it counts (a reviewer's decision can count more than an injected error).
    pub weight: f32,
    /// The document it comes from: calibration holds documents out, never single flags.
    pub doc: String,
}

#[derive(Debug, Clone)]
pub struct LearnOptions {
    /// L2 penalty on the weights (towards 0, or towards `base`'s weights when refining).
    pub l2: f32,
    /// Calibrate on held-out documents (see `calibrate`): the folds, 0 for none.
    pub calibration_folds: usize,
    /// Refine this model instead of fitting from scratch.
    pub base: Option<Model>,
    pub provenance: Provenance,
}

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions { l2: 1.0, calibration_folds: 5, base: None, provenance: Provenance::default() }
    }
}

/// Rounds of "fit, then leave out the second readings the fitted model would not make".
const BAND_ROUNDS: usize = 3;

/// Fit a model to the examples, then calibrate it on documents held out of the fit.
pub fn learn(examples: &[Example], opts: &LearnOptions) -> Model {
    let mut model = fit_model(examples, opts);
    if let Some((a, b)) = calibrate(examples, opts) {
        // The scores of documents the fit never saw, made to match how often they were right:
        // one scale for every learned weight and a shift of the bias keep each flag's score
        // a sum of its evidence's contributions.
        for w in model.weights.values_mut() {
            *w = round3(*w * a);
        }
        *model.weights.entry("prior.bias".into()).or_insert(0.0) += b;
        for band in [&mut model.reread_band, &mut model.garbled_band].into_iter().flatten() {
            band.iter_mut().for_each(|w| *w = round3(*w * a));
        }
        model.provenance.notes.retain(|n| !n.starts_with("calibrated"));
        model.provenance.notes.push(format!(
            "calibrated on {} held-out folds of documents: weights × {a:.3}, bias {b:+.3}",
            opts.calibration_folds
        ));
    }
    model
}

/// Platt scaling by document: each of K folds of documents is scored by a model fitted on the
/// others, and one scale and one shift of those held-out log-odds are fitted to the truth.
/// Weights fitted to a few hundred pages are too sure of themselves on pages they have not
/// seen; this measures by how much. `None` with fewer than K documents or too few errors.
fn calibrate(examples: &[Example], opts: &LearnOptions) -> Option<(f32, f32)> {
    let k = opts.calibration_folds;
    let mut docs: Vec<&str> = examples.iter().map(|x| x.doc.as_str()).collect();
    docs.sort_unstable();
    docs.dedup();
    if k < 2 || docs.len() < k || examples.iter().filter(|x| x.label).count() < 20 {
        return None;
    }
    let fold = |x: &Example| docs.binary_search(&x.doc.as_str()).unwrap_or(0) % k;
    let inner = LearnOptions { calibration_folds: 0, ..opts.clone() };
    let mut rows = Vec::new();
    for f in 0..k {
        let train: Vec<Example> = examples.iter().filter(|x| fold(x) != f).cloned().collect();
        let model = fit_model(&train, &inner);
        for x in examples.iter().filter(|x| fold(x) == f) {
            let mut evidence = x.evidence.clone();
            let p = model.weigh(&mut evidence).clamp(1e-4, 1.0 - 1e-4) as f64;
            let z = (p / (1.0 - p)).ln() as f32;
            rows.push(Row { x: vec![(0, z), (1, 1.0)], offset: 0.0, label: x.label, weight: x.weight });
        }
    }
    let ab = fit::fit(2, &rows, &Options { l2: 1e-3, prior: vec![1.0, 0.0], max_iterations: 50 });
    Some((ab[0] as f32, ab[1] as f32))
}

fn fit_model(examples: &[Example], opts: &LearnOptions) -> Model {
    let mut template = opts.base.clone().unwrap_or_else(|| Model::new(BTreeMap::new()));
    // A hand-set weight (the translation's) is learned like the others where examples carry it
    // (training pages with a translation), with the penalty pulling towards its hand-set value
    // instead of 0, so that a few examples move it a little; without any it stays as set.
    let carried: Vec<String> =
        template.fixed.keys().filter(|k| examples.iter().any(|x| carries(x, k))).cloned().collect();
    for k in carried {
        if let Some(w) = template.fixed.remove(&k) {
            template.weights.entry(k).or_insert(w);
        }
    }
    // Every learnable feature: those the examples carry and those the base model knows.
    let mut names: Vec<String> = examples
        .iter()
        .flat_map(|x| x.evidence.iter().flat_map(|e| e.features.keys().map(move |k| format!("{}.{k}", e.kind))))
        .chain(template.weights.keys().cloned())
        .filter(|k| !template.fixed.contains_key(k))
        .collect();
    names.sort();
    names.dedup();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let prior: Vec<f64> = names.iter().map(|k| template.weights.get(k).copied().unwrap_or(0.0) as f64).collect();
    let fit_opts = Options { l2: opts.l2 as f64, prior: prior.clone(), max_iterations: 50 };

    let mut model = template.clone();
    model.weights = names.iter().map(|k| (k.clone(), template.weights.get(k).copied().unwrap_or(0.0))).collect();
    // The first fit sees every second reading; later ones only those inside the band.
    let mut with_reread = vec![true; examples.len()];
    for round in 0..BAND_ROUNDS {
        let rows: Vec<Row> =
            examples.iter().zip(&with_reread).map(|(x, &keep)| row(x, keep, &index, &template)).collect();
        let beta = fit::fit(names.len(), &rows, &fit_opts);
        model.weights = names.iter().cloned().zip(beta.iter().map(|b| *b as f32)).collect();
        model.reread_band = observed_band(examples, &model, template.reread_band);
        model.garbled_band = garbled_band(examples, &model, template.garbled_band);
        let next: Vec<bool> = examples.iter().map(|x| model.counts_reread(&x.evidence)).collect();
        if next == with_reread && round > 0 {
            break;
        }
        with_reread = next;
    }
    model.weights.retain(|_, w| w.abs() >= 1e-4);
    for w in model.weights.values_mut() {
        *w = round3(*w);
    }
    model.l2 = opts.l2;
    model.provenance = opts.provenance.clone();
    model.provenance.rows = examples.len();
    model.provenance.positives = examples.iter().filter(|x| x.label).count();
    model
}

/// Weights are kept to three decimals: the model file stays readable and diffs small.
fn round3(w: f32) -> f32 {
    (w * 1000.0).round() / 1000.0
}

/// How far the second readings of `examples` move their scores under `model`, up and down
/// (with a refined model's own band as the least): where no second reading could carry a flag
/// across the threshold, none is made.
fn observed_band(examples: &[Example], model: &Model, least: Option<[f32; 2]>) -> Option<[f32; 2]> {
    let moves =
        examples.iter().flat_map(|x| x.evidence.iter().filter(|e| e.kind == REREAD)).map(|e| model.contribution(e));
    let (_, up, down) = reach(moves);
    let [least_up, least_down] = least.unwrap_or([0.0; 2]);
    (up > 0.0 || down > 0.0 || least.is_some()).then(|| [round3(up.max(least_up)), round3(down.max(least_down))])
}

/// How many moves, and the farthest up and down (0 when none went that way).
fn reach(moves: impl Iterator<Item = f32>) -> (usize, f32, f32) {
    moves.fold((0, 0f32, 0f32), |(n, up, down), c| (n + 1, up.max(c), down.max(-c)))
}

/// How far second readings of garbled first readings moved their scores: the whole change,
/// since a reading that replaced the first one had every evidence measured again on it. Never
/// narrower than `reread_band` (or a refined model's own garbled band).
fn garbled_band(examples: &[Example], model: &Model, least: Option<[f32; 2]>) -> Option<[f32; 2]> {
    let moves = examples
        .iter()
        .filter(|x| x.evidence.iter().any(|e| e.kind == REREAD) && super::first_garbled(&x.evidence))
        .map(|x| x.evidence.iter().map(|e| model.contribution(e)).sum::<f32>() - model.base_logit(&x.evidence));
    let (n, mut up, mut down) = reach(moves);
    if n == 0 && least.is_none() {
        // Nothing learned about them: every garbled reading is read again.
        return None;
    }
    for [u, d] in [model.reread_band, least].into_iter().flatten() {
        (up, down) = (up.max(u), down.max(d));
    }
    Some([round3(up), round3(down)])
}

/// Whether an example's evidence has feature `key` (`kind.name`) with a value.
fn carries(x: &Example, key: &str) -> bool {
    let Some((kind, name)) = key.split_once('.') else { return false };
    x.evidence.iter().any(|e| e.kind == kind && e.features.get(name).is_some_and(|v| *v != 0.0))
}

fn row(x: &Example, with_reread: bool, index: &BTreeMap<&str, usize>, model: &Model) -> Row {
    let mut features = Vec::new();
    let mut offset = 0.0;
    let evidence = if with_reread { &x.evidence[..] } else { super::without_reread(&x.evidence) };
    for e in evidence.iter().filter(|e| with_reread || e.kind != REREAD) {
        for (name, v) in &e.features {
            let key = format!("{}.{name}", e.kind);
            match (model.fixed.get(&key), index.get(key.as_str())) {
                (Some(w), _) => offset += w * v,
                (None, Some(&i)) => features.push((i, *v)),
                (None, None) => {}
            }
        }
    }
    Row { x: features, offset, label: x.label, weight: x.weight }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Favours;

    fn ev(kind: &str, name: &str, v: f32) -> Evidence {
        Evidence {
            kind: kind.into(),
            favours: Favours::Scan,
            weight: 0.0,
            note: String::new(),
            reading: None,
            features: [(name.to_string(), v)].into_iter().collect(),
            first: Vec::new(),
        }
    }

    #[test]
    fn learns_which_feature_marks_a_transcript_error() {
        // A transcript that mixes alphabets is wrong 9 times in 10; other differences 1 in 10.
        let mut examples = Vec::new();
        for i in 0..400 {
            let mixed = i % 2 == 0;
            let label = if mixed { i % 20 != 0 } else { i % 20 == 1 };
            let mut evidence = vec![ev("prior", "bias", 1.0)];
            if mixed {
                evidence.push(ev("lexicon", "t_mixed", 1.0));
            }
            examples.push(Example { evidence, label, weight: 1.0, doc: format!("d{}", i % 10) });
        }
        let model = learn(&examples, &LearnOptions { l2: 0.01, calibration_folds: 0, ..Default::default() });
        let bias = model.weights["prior.bias"];
        let mixed = model.weights["lexicon.t_mixed"];
        assert!((bias - (0.1f32 / 0.9).ln()).abs() < 0.1, "{model:?}");
        assert!((bias + mixed - (0.9f32 / 0.1).ln()).abs() < 0.1, "{model:?}");
        assert_eq!(model.provenance.rows, 400);
        // No example has a translation: its weights stay as set.
        assert_eq!(model.fixed, super::super::witness_weights());
    }

    #[test]
    fn the_translations_weights_are_learned_from_pages_that_have_one() {
        // «The scan reads what the translation names» is right 19 times in 20 here; a feature
        // of the translation no example shows stays hand-set.
        let mut examples = Vec::new();
        for i in 0..400 {
            let named = i % 4 == 0;
            let label = if named { i % 80 != 0 } else { i % 10 == 1 };
            let mut evidence = vec![ev("prior", "bias", 1.0)];
            if named {
                evidence.push(ev("witness", "scan_named", 1.0));
            }
            examples.push(Example { evidence, label, weight: 1.0, doc: format!("d{}", i % 10) });
        }
        let opts = LearnOptions { calibration_folds: 0, ..Default::default() };
        let model = learn(&examples, &opts);
        let hand_set = super::super::witness_weights()["witness.scan_named"];
        let learned = model.weights["witness.scan_named"];
        assert!(!model.fixed.contains_key("witness.scan_named"), "{model:?}");
        assert!(learned > hand_set + 1.0, "learned {learned}, hand-set {hand_set}");
        assert_eq!(model.fixed["witness.number"], super::super::witness_weights()["witness.number"]);
        // A handful of examples moves it from the hand-set value, not to 0 or to the bias.
        let few = learn(&examples[..8], &opts);
        assert!((few.weights["witness.scan_named"] - hand_set).abs() < 1.0, "{few:?}");
    }

    #[test]
    fn the_reread_band_is_how_far_second_readings_moved_scores() {
        // Two reread features that never fire together: the band is the larger of them each
        // way, not their sum.
        let mut examples = Vec::new();
        for i in 0..400 {
            let label = i % 3 == 0;
            let reread =
                if label == (i % 7 != 0) { ev("reread", "same", 1.0) } else { ev("reread", "transcript", 1.0) };
            let mut evidence = vec![ev("prior", "bias", 1.0), reread];
            if i % 2 == 0 {
                evidence.push(ev("reread", "neither", 1.0));
            }
            examples.push(Example { evidence, label, weight: 1.0, doc: format!("d{}", i % 10) });
        }
        let model = learn(&examples, &LearnOptions { l2: 0.01, calibration_folds: 0, ..Default::default() });
        let w = |k: &str| model.weights.get(k).copied().unwrap_or(0.0);
        let [up, down] = model.reread_band.expect("a band");
        let moves = [
            w("reread.same"),
            w("reread.transcript"),
            w("reread.same") + w("reread.neither"),
            w("reread.transcript") + w("reread.neither"),
        ];
        let want_up = moves.iter().fold(0f32, |m, &c| m.max(c));
        let want_down = moves.iter().fold(0f32, |m, &c| m.max(-c));
        assert!((up - want_up).abs() < 2e-3 && (down - want_down).abs() < 2e-3, "{up} {down} {moves:?}");
        let (sum_up, sum_down) = Model { reread_band: None, ..model.clone() }.reread_band();
        assert!(up < sum_up + 1e-6 && down < sum_down + 1e-6);
        // No garbled first reading among them: every garbled one would be read again.
        assert_eq!(model.garbled_band, None);
    }

    #[test]
    fn the_garbled_band_is_the_whole_move_of_a_replaced_reading() {
        // Garbled first readings (confidence 0.2) that a clear second reading replaced: the
        // first reading's evidence said "unknown word" (t_unknown), the second's says nothing
        // of it, and the reread adds `replaced`. The move is the whole difference.
        let mut examples = Vec::new();
        for i in 0..400 {
            let label = i % 4 == 0;
            let mut first = vec![ev("prior", "bias", 1.0), ev("confidence", "value", 0.2)];
            if label {
                first.push(ev("lexicon", "t_unknown", 1.0));
            }
            let mut reread = ev("reread", "replaced", 1.0);
            reread.first = first.clone();
            let evidence = vec![ev("prior", "bias", 1.0), ev("confidence", "value", 0.9), reread];
            examples.push(Example { evidence, label, weight: 1.0, doc: format!("d{}", i % 10) });
        }
        let model = learn(&examples, &LearnOptions { l2: 0.01, calibration_folds: 0, ..Default::default() });
        let w = |k: &str| model.weights.get(k).copied().unwrap_or(0.0);
        let [up, down] = model.garbled_band.expect("a garbled band");
        let moved = 0.7 * w("confidence.value") + w("reread.replaced");
        let moves = [moved, moved - w("lexicon.t_unknown")];
        let want_up = moves.iter().fold(model.reread_band.unwrap_or_default()[0], |m, &c| m.max(c));
        let want_down = moves.iter().fold(model.reread_band.unwrap_or_default()[1], |m, &c| m.max(-c));
        assert!((up - want_up).abs() < 2e-3 && (down - want_down).abs() < 2e-3, "{up} {down} {moves:?}");
    }
}
