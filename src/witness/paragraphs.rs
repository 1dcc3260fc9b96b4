//! Paragraph alignment of an original and its translation: Gale and Church's dynamic programme
//! over paragraph lengths (1-1, 1-0, 0-1, 2-1, 1-2 and 2-2 beads), with a bonus for the numbers
//! and names a pair of paragraphs share. Folio numbers and stamps that the translation leaves
//! out become 1-0 beads.

use std::collections::HashMap;
use std::ops::Range;

/// What the alignment needs to know of one paragraph.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Letters and digits.
    pub length: usize,
    /// Numbers of two or more that it mentions (single digits recur everywhere).
    pub numbers: Vec<u64>,
    /// Fingerprints of its names (see `fingerprint`).
    pub names: Vec<String>,
}

/// A pair of aligned stretches: original paragraphs and translation paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    pub original: Range<usize>,
    pub translation: Range<usize>,
}

/// A name's rough sound in Latin letters, for spotting shared names cheaply: the first letter
/// and the consonants after it, with the letters that renderings swap folded together.
pub fn fingerprint(latin: &str) -> String {
    let mut out = String::new();
    for (i, c) in latin.chars().enumerate() {
        let c = match c {
            'q' | 'c' => 'k',
            'w' => 'v',
            'j' => 'd',
            'y' if i > 0 => continue,
            c if i > 0 && "aeiouhy".contains(c) => continue,
            c => c,
        };
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
        if out.chars().count() == 4 {
            break;
        }
    }
    out
}

/// Variance of the length ratio per unit length (Gale and Church measured 6.8 on
/// parliamentary proceedings; names and numbers keep a translation of a telegram no looser).
const VARIANCE: f64 = 6.8;
/// What one shared number or name is worth, in the same units as the length cost
/// (-ln probability): a shared «15 тысяч» / "15,000" is far stronger than a length match.
const ANCHOR_BONUS: f64 = 2.5;

/// -ln of the prior of each kind of bead (Gale and Church's frequencies).
fn bead_prior(o: usize, t: usize) -> f64 {
    let p: f64 = match (o, t) {
        (1, 1) => 0.89,
        (1, 0) | (0, 1) => 0.0099 / 2.0,
        (2, 1) | (1, 2) => 0.089 / 2.0,
        _ => 0.011,
    };
    -p.ln()
}

/// -ln P(the lengths match), from the normal approximation of the length ratio.
fn length_cost(lo: usize, lt: usize, ratio: f64) -> f64 {
    let (lo, lt) = (lo as f64, lt as f64);
    if lo == 0.0 && lt == 0.0 {
        return 0.0;
    }
    let mean = (lo + lt / ratio) / 2.0;
    let delta = (lt - lo * ratio) / (mean * VARIANCE).sqrt();
    let p = 2.0 * (1.0 - normal_cdf(delta.abs()));
    -(p.max(1e-12)).ln()
}

/// The standard normal distribution function (Abramowitz and Stegun 7.1.26, error < 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.3275911 * x.abs() / std::f64::consts::SQRT_2);
    let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    let erf = 1.0 - poly * (-(x * x) / 2.0).exp();
    if x >= 0.0 {
        (1.0 + erf) / 2.0
    } else {
        (1.0 - erf) / 2.0
    }
}

/// How many numbers and names two stretches share (each counted once per pair).
fn shared(a: &[&Outline], b: &[&Outline]) -> usize {
    let count = |xs: &[&Outline], f: &dyn Fn(&Outline) -> Vec<String>| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for x in xs {
            for k in f(x) {
                *m.entry(k).or_insert(0) += 1;
            }
        }
        m
    };
    let keys = |o: &Outline| -> Vec<String> {
        o.numbers.iter().map(|n| format!("#{n}")).chain(o.names.iter().map(|n| format!("@{n}"))).collect()
    };
    let (ma, mb) = (count(a, &keys), count(b, &keys));
    ma.iter().map(|(k, n)| (*n).min(mb.get(k).copied().unwrap_or(0))).sum()
}

/// Align the paragraphs of an original with those of its translation.
pub fn align_paragraphs(original: &[Outline], translation: &[Outline]) -> Vec<Bead> {
    let (n, m) = (original.len(), translation.len());
    let total_o: usize = original.iter().map(|o| o.length).sum();
    let total_t: usize = translation.iter().map(|o| o.length).sum();
    let ratio = if total_o == 0 { 1.0 } else { (total_t as f64 / total_o as f64).max(0.1) };
    let w = m + 1;
    let mut cost = vec![f64::INFINITY; (n + 1) * w];
    let mut back = vec![(0usize, 0usize); (n + 1) * w];
    cost[0] = 0.0;
    const MOVES: [(usize, usize); 6] = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2)];
    for i in 0..=n {
        for j in 0..=m {
            let here = cost[i * w + j];
            if !here.is_finite() {
                continue;
            }
            for (di, dj) in MOVES {
                if i + di > n || j + dj > m {
                    continue;
                }
                let a: Vec<&Outline> = original[i..i + di].iter().collect();
                let b: Vec<&Outline> = translation[j..j + dj].iter().collect();
                let lo: usize = a.iter().map(|o| o.length).sum();
                let lt: usize = b.iter().map(|o| o.length).sum();
                let bonus = if di > 0 && dj > 0 { ANCHOR_BONUS * shared(&a, &b) as f64 } else { 0.0 };
                let c = here + bead_prior(di, dj) + length_cost(lo, lt, ratio) - bonus;
                let k = (i + di) * w + j + dj;
                if c < cost[k] {
                    cost[k] = c;
                    back[k] = (i, j);
                }
            }
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (pi, pj) = back[i * w + j];
        beads.push(Bead { original: pi..i, translation: pj..j });
        (i, j) = (pi, pj);
    }
    beads.reverse();
    beads
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(length: usize, numbers: &[u64], names: &[&str]) -> Outline {
        Outline { length, numbers: numbers.to_vec(), names: names.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn paragraphs_meet_their_translations_past_folios() {
        let original = vec![
            outline(3, &[141], &[]),
            outline(200, &[28, 172], &["dknz"]),
            outline(100, &[], &[]),
            outline(2, &[18], &[]),
            outline(300, &[15000, 12000], &["krds"]),
            outline(120, &[], &["kvm"]),
        ];
        let translation = vec![
            outline(180, &[], &["dknz"]),
            outline(95, &[], &[]),
            outline(280, &[15000, 12000], &["krds"]),
            outline(110, &[], &["kvm"]),
        ];
        let beads = align_paragraphs(&original, &translation);
        // A folio may ride along with its neighbour in a 2-1 bead; each real paragraph must meet
        // its own translation.
        let partner = |k: usize| beads.iter().find(|b| b.original.contains(&k)).map(|b| b.translation.clone());
        for (k, j) in [(1, 0), (2, 1), (4, 2), (5, 3)] {
            assert_eq!(partner(k), Some(j..j + 1), "paragraph {k}: {beads:?}");
        }
    }

    #[test]
    fn fingerprints_fold_renderings() {
        assert_eq!(fingerprint("qavam"), fingerprint("kavam"));
        assert_eq!(fingerprint("javid"), "dvd");
        assert_eq!(fingerprint("kurdistane"), "krds");
    }
}
