//! A page's grey levels: their histogram, Otsu's threshold and the paper's level, which the
//! contrast stretch, the letter and skew measures and the ink measures all start from.

use image::GrayImage;

/// How many of the page's pixels have each grey level.
/// Counted in four tallies, one per pixel of each four, summed at the end: a single tally makes
/// each count wait for the previous one when neighbouring pixels share a level (paper does),
/// and took 3-4 times as long on a 300 dpi page.
pub fn grey_histogram(page: &GrayImage) -> [u64; 256] {
    let mut tallies = [[0u64; 256]; 4];
    let pixels = page.as_raw();
    let mut quads = pixels.chunks_exact(4);
    for q in &mut quads {
        tallies[0][q[0] as usize] += 1;
        tallies[1][q[1] as usize] += 1;
        tallies[2][q[2] as usize] += 1;
        tallies[3][q[3] as usize] += 1;
    }
    for &p in quads.remainder() {
        tallies[0][p as usize] += 1;
    }
    std::array::from_fn(|level| tallies.iter().map(|t| t[level]).sum())
}

/// Otsu's threshold of a page: the level that best splits its histogram into two classes
/// (ink at or below it). The same arithmetic as `imageproc::contrast::otsu_level`, from the
/// histogram counted once by `grey_histogram`: imageproc's own count went through its generic
/// pixel iterator, 30-40 ms a 300 dpi page, three times a page (a tenth of `check`'s own time).
pub fn otsu_level(histogram: &[u64; 256]) -> u8 {
    let total: u64 = histogram.iter().sum();
    let total_sum: f64 = histogram.iter().enumerate().map(|(t, &n)| (t as u64 * n) as f64).sum();
    let (mut background_sum, mut background) = (0f64, 0u64);
    let (mut largest, mut best) = (0f64, 0u8);
    for (t, &n) in histogram.iter().enumerate() {
        background += n;
        if background == 0 {
            continue;
        }
        let foreground = total - background;
        if foreground == 0 {
            break;
        }
        background_sum += (t as u64 * n) as f64;
        let mean_diff = background_sum / background as f64 - (total_sum - background_sum) / foreground as f64;
        let variance = background as f64 * foreground as f64 * mean_diff.powi(2);
        if variance > largest {
            largest = variance;
            best = t as u8;
        }
    }
    best
}

/// The paper's grey level (the page's median: most of a page is paper) and its spread (the
/// median distance of the page's levels from it), from the page's histogram.
pub fn paper_level(histogram: &[u64; 256]) -> (u8, u8) {
    let half = histogram.iter().sum::<u64>() / 2;
    let median_of = |counts: &[u64; 256]| {
        let mut seen = 0;
        counts
            .iter()
            .position(|&n| {
                seen += n;
                seen > half
            })
            .unwrap_or(0) as u8
    };
    let paper = median_of(histogram);
    let mut deviations = [0u64; 256];
    for (level, &n) in histogram.iter().enumerate() {
        deviations[level.abs_diff(paper as usize)] += n;
    }
    (paper, median_of(&deviations))
}
