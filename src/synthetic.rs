//! Synthetic long documents for benchmarks and tests: a seed in, a book-length text and an
//! OCR-like corruption of it out. Words follow Zipf's law over a large invented vocabulary,
//! as in real prose (many words occur once, a few very often), which is what decides how many
//! anchors an aligner finds. It is never used on real input.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A typewritten page: 25 lines of 12 words, 300 words.
const WORDS_PER_LINE: usize = 12;
const LINES_PER_PAGE: usize = 25;
const VOCABULARY: usize = 60_000;
const SYLLABLES: &[&str] = &[
    "ka", "ro", "mi", "te", "sa", "lu", "ne", "di", "po", "ga", "ve", "ri", "to", "ma", "le", "su", "na", "bo", "ci",
    "de", "fa", "ho", "ji", "ke", "li", "mo", "nu", "pe", "qua", "re", "si", "tu", "va", "we", "xo", "ya", "ze", "an",
    "er", "in", "on", "us", "st", "th", "ch", "sh",
];

/// The text of `pages` pages, deterministic for a seed.
pub fn book(pages: usize, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let vocabulary: Vec<String> = (0..VOCABULARY)
        .map(|rank| {
            // Frequent words are short, rare ones long, as in real text.
            let n = 1 + (rank as f64).log10().max(0.0) as usize + rng.gen_range(0..2);
            (0..n).map(|_| SYLLABLES[rng.gen_range(0..SYLLABLES.len())]).collect()
        })
        .collect();
    // Zipf (s = 1.05) by inverse transform over the cumulative weights.
    let mut cumulative = Vec::with_capacity(VOCABULARY);
    let mut total = 0.0;
    for rank in 1..=VOCABULARY {
        total += 1.0 / (rank as f64).powf(1.05);
        cumulative.push(total);
    }
    let mut out = String::new();
    for _ in 0..pages {
        for _ in 0..LINES_PER_PAGE {
            for w in 0..WORDS_PER_LINE {
                let x = rng.gen::<f64>() * total;
                let rank = cumulative.partition_point(|&c| c < x).min(VOCABULARY - 1);
                if w > 0 {
                    out.push(' ');
                }
                out.push_str(&vocabulary[rank]);
                match rng.gen_range(0..20) {
                    0 => out.push(','),
                    1 => out.push('.'),
                    _ => {}
                }
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// Change about `rate` of the characters as an OCR engine does: mostly a look-alike letter,
/// sometimes a dropped or an extra character, a lost or an added space. Line breaks stay.
pub fn corrupt(text: &str, rate: f64, seed: u64) -> String {
    const LOOK_ALIKES: &[(char, char)] =
        &[('e', 'c'), ('a', 'o'), ('i', 'l'), ('l', '1'), ('o', '0'), ('n', 'm'), ('r', 'n'), ('u', 'v'), ('t', 'f')];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || !rng.gen_bool(rate) {
            out.push(c);
            continue;
        }
        match rng.gen_range(0..10) {
            0 => {} // dropped
            1 => {
                out.push(c);
                out.push(if c == ' ' { ' ' } else { '.' });
            }
            2 if c != ' ' => {
                out.push(c);
                out.push(' '); // a word split in two
            }
            _ => {
                let alike = LOOK_ALIKES.iter().find(|(a, _)| *a == c).map(|(_, b)| *b);
                out.push(alike.unwrap_or_else(|| (b'a' + rng.gen_range(0..26)) as char));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_is_deterministic_and_page_sized() {
        let a = book(2, 7);
        assert_eq!(a, book(2, 7));
        assert_eq!(a.split_whitespace().count(), 2 * WORDS_PER_LINE * LINES_PER_PAGE);
        let c = corrupt(&a, 0.05, 1);
        let changed = strsim::levenshtein(&a, &c) as f64 / a.chars().count() as f64;
        assert!((0.03..0.07).contains(&changed), "{changed}");
        assert_eq!(a.lines().count(), c.lines().count());
    }
}
