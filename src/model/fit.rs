//! Fitting a logistic regression by Newton's method (iteratively reweighted least squares)
//! with an L2 penalty towards a prior mean. Written here rather than taken from linfa-logistic
//! or smartcore because refining a model with a reviewer's decisions needs three things they
//! do not offer together: weights per row (a decision counts more than an injected error),
//! fixed offsets (the hand-set witness weights) and a penalty towards the model being refined
//! instead of towards zero. The linear algebra is nalgebra's Cholesky.

use nalgebra::{DMatrix, DVector};

/// One training example: sparse features (index, value), a fixed contribution to its
/// log-odds, whether the transcript was wrong there, and how much it counts.
#[derive(Debug, Clone)]
pub struct Row {
    pub x: Vec<(usize, f32)>,
    pub offset: f32,
    pub label: bool,
    pub weight: f32,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Penalty λ on ½·Σ(β − μ)².
    pub l2: f64,
    /// μ, the weights the fit is pulled towards (zeros for a fresh model; the model being
    /// refined otherwise).
    pub prior: Vec<f64>,
    pub max_iterations: usize,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn objective(beta: &DVector<f64>, rows: &[Row], opts: &Options) -> f64 {
    let mut loss = 0.0;
    for r in rows {
        let z = linear(beta, r);
        // log(1 + e^z) − y·z, written so that it never overflows.
        let softplus = if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() };
        loss += r.weight as f64 * (softplus - if r.label { z } else { 0.0 });
    }
    let pen: f64 = beta.iter().zip(&opts.prior).map(|(b, m)| (b - m).powi(2)).sum();
    loss + 0.5 * opts.l2 * pen
}

fn linear(beta: &DVector<f64>, r: &Row) -> f64 {
    r.offset as f64 + r.x.iter().map(|&(j, v)| beta[j] * v as f64).sum::<f64>()
}

/// The weights minimizing the penalized log loss, starting from the prior.
pub fn fit(n: usize, rows: &[Row], opts: &Options) -> Vec<f64> {
    assert_eq!(opts.prior.len(), n, "one prior weight per feature");
    let mut beta = DVector::from_vec(opts.prior.clone());
    let mut current = objective(&beta, rows, opts);
    for _ in 0..opts.max_iterations {
        let mut grad = DVector::<f64>::zeros(n);
        let mut hess = DMatrix::<f64>::zeros(n, n);
        for r in rows {
            let p = sigmoid(linear(&beta, r));
            let w = r.weight as f64;
            let g = w * (p - if r.label { 1.0 } else { 0.0 });
            let h = w * p * (1.0 - p);
            for &(j, vj) in &r.x {
                grad[j] += g * vj as f64;
                for &(k, vk) in &r.x {
                    hess[(j, k)] += h * vj as f64 * vk as f64;
                }
            }
        }
        for j in 0..n {
            grad[j] += opts.l2 * (beta[j] - opts.prior[j]);
            hess[(j, j)] += opts.l2.max(1e-9);
        }
        let Some(chol) = hess.cholesky() else { break };
        let step = chol.solve(&grad);
        // Newton's step, halved until the objective falls (it nearly always does at once).
        let mut t = 1.0;
        let mut improved = false;
        while t > 1e-4 {
            let candidate = &beta - &step * t;
            let value = objective(&candidate, rows, opts);
            if value <= current {
                let gain = current - value;
                beta = candidate;
                current = value;
                improved = gain > 1e-9 * (1.0 + current.abs());
                break;
            }
            t /= 2.0;
        }
        if !improved {
            break;
        }
    }
    beta.iter().copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn recovers_the_weights_that_made_the_labels() {
        // y ~ Bernoulli(σ(−1 + 2·x1 − 1.5·x2)).
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let rows: Vec<Row> = (0..20_000)
            .map(|_| {
                let (x1, x2): (f32, f32) = (rng.gen(), rng.gen::<f32>().round());
                let p = sigmoid(-1.0 + 2.0 * x1 as f64 - 1.5 * x2 as f64);
                Row { x: vec![(0, 1.0), (1, x1), (2, x2)], offset: 0.0, label: rng.gen::<f64>() < p, weight: 1.0 }
            })
            .collect();
        let beta = fit(3, &rows, &Options { l2: 1e-3, prior: vec![0.0; 3], max_iterations: 50 });
        for (got, want) in beta.iter().zip([-1.0, 2.0, -1.5]) {
            assert!((got - want).abs() < 0.15, "{beta:?}");
        }
    }

    #[test]
    fn a_strong_penalty_keeps_the_prior_and_offsets_count() {
        let rows = vec![
            Row { x: vec![(0, 1.0)], offset: 0.0, label: true, weight: 1.0 },
            Row { x: vec![(0, 1.0)], offset: 0.0, label: false, weight: 3.0 },
        ];
        let free = fit(1, &rows, &Options { l2: 1e-6, prior: vec![0.0], max_iterations: 50 });
        assert!((free[0] - (1.0f64 / 3.0).ln()).abs() < 1e-3, "{free:?}");
        let held = fit(1, &rows, &Options { l2: 1e6, prior: vec![2.0], max_iterations: 50 });
        assert!((held[0] - 2.0).abs() < 1e-3, "{held:?}");
        // An offset of +1 on every row is taken off the learned weight.
        let shifted: Vec<Row> = rows.iter().cloned().map(|r| Row { offset: 1.0, ..r }).collect();
        let w = fit(1, &shifted, &Options { l2: 1e-6, prior: vec![0.0], max_iterations: 50 });
        assert!((w[0] - (free[0] - 1.0)).abs() < 1e-3, "{w:?}");
    }
}
