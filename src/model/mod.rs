//! The model: named features in, per-feature contributions to the log-odds that the transcript
//! is wrong out. A logistic regression, so that every flag's score is exactly the logistic of
//! the sum of its evidence's contributions, each one a weight times a value the reviewer can
//! see. The weights are learned (`scanproof train`, `fit.rs`) from pages with correct
//! transcriptions and injected errors, and from reviewers' decisions; the project's default
//! model is `models/default.json`, made by the command recorded in it.

pub mod fit;
pub mod learn;

use crate::error::{Error, Result};
use crate::types::{Evidence, Favours};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// What `models/*.json` files say they are.
pub const FORMAT: &str = "scanproof-model";
pub const VERSION: u32 = 1;

/// The evidence kind whose features come from a second reading: read only where it could
/// still change the verdict.
pub const REREAD: &str = "reread";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub format: String,
    pub version: u32,
    /// The score at which a flag is shown by default, and around which second readings are
    /// made. 0.5: "more likely than not".
    pub threshold: f32,
    /// Learned log-odds per unit of each feature, by `kind.name`.
    pub weights: BTreeMap<String, f32>,
    /// Weights set by hand, not learned (`witness_weights`): features of a translation of the
    /// document, when no training page had one.
    pub fixed: BTreeMap<String, f32>,
    /// L2 penalty the weights were fitted with (towards 0, or towards the model refined).
    pub l2: f32,
    /// How far a second reading moved a score up and down (log-odds) on the pages the model
    /// was trained on (`learn`). Narrower than what the reread weights could add up to, since
    /// their features exclude one another (a reading is the transcript's or the scan's again,
    /// not both); none in models made before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reread_band: Option<[f32; 2]>,
    /// The same for first readings the OCR garbled (confidence under `GARBLED`): how far the
    /// second reading moved their scores, up and down, on the training pages. A clear second
    /// reading replaces a garbled one and every evidence is measured again, so the move is
    /// wider than `reread_band`; but a garbled word whose other evidence is far below the
    /// threshold stays below it whatever it is read as, and is not read again. None: every
    /// garbled reading is read again (models made before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub garbled_band: Option<[f32; 2]>,
    pub provenance: Provenance,
}

/// How a model was made, so that it can be made again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The command line that made it.
    pub command: String,
    /// The folders of pages it was trained on, and how many pages, documents, candidates and
    /// real errors among them.
    pub sources: Vec<String>,
    pub pages: usize,
    pub documents: usize,
    pub rows: usize,
    pub positives: usize,
    /// Decisions files it was refined with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refined_with: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Hand-set weights for the translation's evidence (`evidence::witness`): the values a model
/// keeps when no training page came with a translation, and the prior that learning from such
/// pages starts from and is pulled towards (`learn::fit_model`). A name spelled otherwise
/// (+1.0) stays below what a bare discrepancy costs: foreign names have many renderings and a translator
/// slips too; a number (+1.5) has no rendering to vary; support from the transcript's own
/// spelling or the dictionary (+1.2), the scan reading the word as the translation has it
/// (+1.0), or the scan naming what the transcript has as a plain word (+1.5) add to it. A place
/// where only the translation speaks starts at −1.2, the odds of a bare difference.
pub fn witness_weights() -> BTreeMap<String, f32> {
    [
        ("witness.name", 1.0),
        ("witness.number", 1.5),
        ("witness.support", 1.2),
        ("witness.scan_agrees", 1.0),
        ("witness.scan_named", 1.5),
        ("witness.unopposed", -1.2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

pub fn logistic(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// The project's default model, parsed once.
    pub fn default_model() -> Arc<Model> {
        static DEFAULT: OnceLock<Arc<Model>> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                let text = include_str!("../../models/default.json");
                Arc::new(serde_json::from_str(text).expect("models/default.json is a valid model"))
            })
            .clone()
    }

    /// A model file, checked to be one.
    pub fn load(path: &Path) -> Result<Model> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let bad = |reason: String| Error::BadInput { path: path.to_path_buf(), reason };
        let model: Model = serde_json::from_str(&text).map_err(|e| bad(format!("not a scanproof model: {e}")))?;
        if model.format != FORMAT {
            return Err(bad(format!("format is '{}', expected '{FORMAT}'", model.format)));
        }
        if model.version != VERSION {
            return Err(bad(format!("model version {} is not {VERSION}; train it again", model.version)));
        }
        if model.weights.values().chain(model.fixed.values()).any(|w| !w.is_finite()) {
            return Err(bad("a weight is not a finite number".into()));
        }
        Ok(model)
    }

    /// A model with the given weights and nothing else (for tests and the fitter).
    pub fn new(weights: BTreeMap<String, f32>) -> Model {
        Model {
            format: FORMAT.into(),
            version: VERSION,
            threshold: 0.5,
            weights,
            fixed: witness_weights(),
            l2: 0.0,
            reread_band: None,
            garbled_band: None,
            provenance: Provenance::default(),
        }
    }

    /// The weight of `kind.name`: hand-set if fixed, else learned, else 0 (a feature the model
    /// never saw says nothing).
    pub fn weight(&self, key: &str) -> f32 {
        self.fixed.get(key).or_else(|| self.weights.get(key)).copied().unwrap_or(0.0)
    }

    /// One piece of evidence's contribution to the log-odds.
    pub fn contribution(&self, e: &Evidence) -> f32 {
        e.features.iter().map(|(name, v)| self.weight(&format!("{}.{name}", e.kind)) * v).sum()
    }

    /// How far a second reading could move a score, up and down: as far as second readings
    /// moved scores on the training pages, else (a model without that record) the sums of the
    /// positive and of the negative reread weights, since every reread feature lies in [0, 1].
    pub fn reread_band(&self) -> (f32, f32) {
        if let Some([up, down]) = self.reread_band {
            return (up, down);
        }
        let prefix = format!("{REREAD}.");
        let ws = self.weights.iter().filter(|(k, _)| k.starts_with(&prefix)).map(|(_, w)| *w);
        ws.fold((0.0, 0.0), |(up, down), w| (up + w.max(0.0), down + (-w).max(0.0)))
    }

    /// Whether a second reading could carry a flag whose other evidence sums to `base` across
    /// the threshold. Only the model's own threshold counts, so a score never depends on the
    /// `--min-score` it is shown at.
    pub fn worth_rereading(&self, base: f32) -> bool {
        let (up, down) = self.reread_band();
        within(base, up, down, logit(self.threshold))
    }

    /// Whether a flag with this evidence is read again: when a second reading could carry it
    /// across the threshold. A garbled first reading is measured against the wider band of
    /// `garbled_band` (every garbled one when the model has none): a clear second reading
    /// replaces it and every evidence is measured again on it (`evidence::reread::GARBLED`).
    pub fn counts_reread(&self, evidence: &[Evidence]) -> bool {
        let base = self.base_logit(evidence);
        match (first_garbled(evidence), self.garbled_band) {
            (true, Some([up, down])) => within(base, up, down, logit(self.threshold)),
            (true, None) => true,
            (false, _) => self.worth_rereading(base),
        }
    }

    /// The log-odds of the evidence other than a second reading, as the first reading gave it.
    pub fn base_logit(&self, evidence: &[Evidence]) -> f32 {
        without_reread(evidence).iter().filter(|e| e.kind != REREAD).map(|e| self.contribution(e)).sum()
    }

    /// Weigh a flag's evidence: each piece gets its contribution (and the side it favours),
    /// and the score is the logistic of their sum. A second reading outside the band where it
    /// could change the verdict is dropped, exactly as it would not have been made: a model
    /// applied to flags read again everywhere (`eval`, `train`) scores as `check` does.
    pub fn weigh(&self, evidence: &mut Vec<Evidence>) -> f32 {
        if evidence.iter().any(|e| e.kind == REREAD) && !self.counts_reread(evidence) {
            *evidence = without_reread(evidence).iter().filter(|e| e.kind != REREAD).cloned().collect();
        }
        let mut total = 0.0;
        for e in evidence.iter_mut() {
            let w = self.contribution(e);
            e.weight = (w * 100.0).round() / 100.0;
            e.favours = if w >= 0.0 { Favours::Scan } else { Favours::Transcript };
            total += w;
        }
        (logistic(total) * 1000.0).round() / 1000.0
    }

    /// Write the model as pretty JSON (weights in name order, so diffs read well).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a model serializes") + "\n"
    }
}

/// Whether the OCR's first reading of the place was garbled (`evidence::reread::GARBLED`).
pub fn first_garbled(evidence: &[Evidence]) -> bool {
    // A confidence of 0 is no feature at all (`Features::set` leaves zeros out): the evidence
    // is there, its value missing.
    without_reread(evidence)
        .iter()
        .find(|e| e.kind == "confidence")
        .is_some_and(|e| e.features.get("value").copied().unwrap_or(0.0) < crate::evidence::reread::GARBLED)
}

/// Whether a move of at most `up` or `down` from `base` could cross `bar`.
fn within(base: f32, up: f32, down: f32, bar: f32) -> bool {
    base + up >= bar && base - down < bar
}

/// The evidence as it stood before any second reading: the first reading's, kept on a second
/// reading that replaced it (`Evidence::first`), else the evidence itself.
pub fn without_reread(evidence: &[Evidence]) -> &[Evidence] {
    evidence.iter().find(|e| e.kind == REREAD && !e.first.is_empty()).map_or(evidence, |e| &e.first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: &str, features: &[(&str, f32)]) -> Evidence {
        Evidence {
            kind: kind.into(),
            favours: Favours::Scan,
            weight: 0.0,
            note: String::new(),
            reading: None,
            features: features.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            first: Vec::new(),
        }
    }

    fn model(pairs: &[(&str, f32)]) -> Model {
        Model::new(pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect())
    }

    #[test]
    fn the_score_is_the_logistic_of_the_contributions() {
        let m = model(&[("prior.bias", -1.0), ("lexicon.t_mixed", 3.0), ("confidence.value", 2.0)]);
        let mut e = vec![
            ev("prior", &[("bias", 1.0)]),
            ev("lexicon", &[("t_mixed", 1.0)]),
            ev("confidence", &[("value", 0.5)]),
        ];
        let score = m.weigh(&mut e);
        assert_eq!(e.iter().map(|e| e.weight).collect::<Vec<_>>(), [-1.0, 3.0, 1.0]);
        assert_eq!(e[0].favours, Favours::Transcript);
        assert!((score - logistic(3.0)).abs() < 1e-3);
        // A feature the model never saw weighs nothing; a fixed weight is used as set.
        assert_eq!(m.contribution(&ev("lexicon", &[("unheard_of", 1.0)])), 0.0);
        assert_eq!(m.contribution(&ev("witness", &[("number", 1.0)])), 1.5);
    }

    #[test]
    fn a_replacing_second_reading_is_judged_and_dropped_on_the_first_readings_evidence() {
        let m = model(&[("prior.bias", 1.0), ("reread.replaced", 1.0)]);
        let replacing = |first_bias: f32| {
            let mut reread = ev("reread", &[("replaced", 1.0)]);
            reread.first = vec![ev("prior", &[("bias", first_bias)])];
            vec![ev("prior", &[("bias", 3.0)]), reread]
        };
        // The first reading's -0.5 could be carried over 0: the evidence measured again counts.
        let mut e = replacing(-0.5);
        assert!((m.weigh(&mut e) - logistic(4.0)).abs() < 1e-3);
        // -1.5 could not: the second reading was never worth making, and the first reading's
        // evidence is what is weighed, as `check` would have weighed it.
        let mut e = replacing(-1.5);
        assert!((m.weigh(&mut e) - logistic(-1.5)).abs() < 1e-3);
        assert_eq!(e.len(), 1);
        // Unless the first reading was garbled: then no band bounds the replacement, it was
        // made, and it counts.
        let mut e = replacing(-1.5);
        e[1].first.push(ev("confidence", &[("value", 0.2)]));
        assert!(m.counts_reread(&e));
        assert!((m.weigh(&mut e) - logistic(4.0)).abs() < 1e-3);
        let mut e = replacing(-1.5);
        e[1].first.push(ev("confidence", &[("value", 0.7)]));
        assert!(!m.counts_reread(&e));
        // A reading at 0% has no «value» at all, and is garbled too.
        let mut e = replacing(-1.5);
        e[1].first.push(ev("confidence", &[("below_60", 0.6)]));
        assert!(m.counts_reread(&e));
        // With a garbled band learned (+4 / -1), a garbled reading 1.5 below is read again,
        // one 4.5 below is not: nothing it could be read as carries it over.
        let m = Model { garbled_band: Some([4.0, 1.0]), ..m };
        for (bias, read) in [(-1.5, true), (-4.5, false)] {
            let mut e = replacing(bias);
            e[1].first.push(ev("confidence", &[("value", 0.2)]));
            assert_eq!(m.counts_reread(&e), read, "{bias}");
        }
    }

    #[test]
    fn a_second_reading_counts_only_where_it_could_change_the_verdict() {
        let m = model(&[("prior.bias", 1.0), ("reread.same", 1.0), ("reread.transcript", -2.0)]);
        assert_eq!(m.reread_band(), (1.0, 2.0));
        let with = |bias: f32| {
            let mut e = vec![ev("prior", &[("bias", bias)]), ev("reread", &[("same", 1.0)])];
            let s = m.weigh(&mut e);
            (s, e.len())
        };
        // -0.5 could be carried over 0 by +1: the reading stays and counts.
        assert_eq!(with(-0.5).1, 2);
        // -1.5 could not: the reading is dropped as if never made.
        let (score, n) = with(-1.5);
        assert_eq!(n, 1);
        assert!((score - logistic(-1.5)).abs() < 1e-3);
        // +2.5 could not be pulled below 0 by -2: dropped too.
        assert_eq!(with(2.5).1, 1);
    }

    #[test]
    fn the_default_model_loads_and_bad_files_are_refused() {
        let m = Model::default_model();
        assert_eq!((m.format.as_str(), m.version), (FORMAT, VERSION));
        assert!(!m.weights.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.json");
        std::fs::write(&p, "{\"format\": \"other\"}").unwrap();
        let err = Model::load(&p).unwrap_err().to_string();
        assert!(err.contains("m.json"), "{err}");
        std::fs::write(&p, m.to_json()).unwrap();
        assert_eq!(Model::load(&p).unwrap(), *m);
    }
}
