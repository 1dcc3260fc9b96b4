//! Unit tests of the scan stage: letter height, ink components, skew, turns, contrast,
//! natural order and page checks.

use super::*;

/// Paint a `w`×`h` block of grey `level` at (`x`, `y`).
fn fill(page: &mut GrayImage, x: u32, y: u32, w: u32, h: u32, level: u8) {
    let rect = imageproc::rect::Rect::at(x as i32, y as i32).of_size(w, h);
    imageproc::drawing::draw_filled_rect_mut(page, rect, image::Luma([level]));
}

/// A page of letter-sized dark blocks `h` px high, with a rule and specks that must not count.
fn page_of_letters(h: u32) -> GrayImage {
    let mut img = GrayImage::from_pixel(60 * h, 40 * h, image::Luma([240]));
    for row in 0..20 {
        for col in 0..30 {
            fill(&mut img, col * 2 * h, row * 2 * h, h * 3 / 4, h, 20);
        }
    }
    for x in 0..img.width() {
        img.put_pixel(x, img.height() - 2, image::Luma([20]));
    }
    img.put_pixel(5, img.height() - 10, image::Luma([20]));
    img
}

#[test]
fn small_type_is_measured_and_enlarged() {
    assert_eq!(letter_height(&page_of_letters(8)), Some(8));
    assert!((ocr_scale(&page_of_letters(8)) - 22.0 / 8.0).abs() < 1e-3);
    assert_eq!(letter_height(&page_of_letters(24)), Some(24));
    assert_eq!(ocr_scale(&page_of_letters(24)), 1.0);
    // Tiny type is enlarged at most 3x; a blank page not at all.
    assert_eq!(letter_height(&page_of_letters(5)), Some(5));
    assert_eq!(ocr_scale(&page_of_letters(5)), 3.0);
    assert_eq!(ocr_scale(&GrayImage::from_pixel(300, 300, image::Luma([240]))), 1.0);
    // A large page whose small marks pass for type is enlarged no further than 5,000 px.
    let mut big = GrayImage::from_pixel(2400, 3400, image::Luma([240]));
    image::imageops::replace(&mut big, &page_of_letters(8), 100, 100);
    assert!((ocr_scale(&big) - 5000.0 / 3400.0).abs() < 1e-3, "{}", ocr_scale(&big));
}

/// Issue 16: the enlargement is made while the page is prepared (on the loader's thread), and
/// is exactly the one a reading would make.
#[test]
fn a_prepared_page_of_small_type_comes_enlarged() {
    let page = page_of_letters(8);
    let p = prepare(page.clone());
    let big = p.enlarged.expect("small type is enlarged");
    let (w, h) = page.dimensions();
    assert_eq!(big.dimensions(), ((w as f32 * p.scale).round() as u32, (h as f32 * p.scale).round() as u32));
    assert_eq!(Some(big), enlarge(&page, p.scale));
    assert_eq!(p.letter, letter_height(&page), "measured once, for the scale and the unread lines");
    assert!(prepare(page_of_letters(24)).enlarged.is_none());
    assert!(enlarge(&page, 1.0).is_none());
}

/// Issue 16: the SIMD enlargement is the same bicubic (Catmull-Rom) one `image` makes, to a
/// grey level on all but a few pixels beside sharp edges (a typewritten page's letters, here
/// with the grey steps of faint ink), in a twentieth of the time.
#[test]
fn the_enlargement_is_image_s_bicubic_one() {
    let mut page = page_of_letters(8);
    fill(&mut page, 20, 20, 40, 6, 150);
    for scale in [1.5f32, 22.0 / 8.0, 3.0] {
        let big = enlarge(&page, scale).expect("enlarged");
        let reference =
            image::imageops::resize(&page, big.width(), big.height(), image::imageops::FilterType::CatmullRom);
        let apart: Vec<u8> = big.as_raw().iter().zip(reference.as_raw()).map(|(a, b)| a.abs_diff(*b)).collect();
        let share = |over: u8| apart.iter().filter(|&&d| d > over).count() as f32 / apart.len() as f32;
        assert!(share(1) < 0.02, "scale {scale}: {} of the pixels over a grey level apart", share(1));
        assert!(share(32) == 0.0, "scale {scale}: none far apart");
    }
}

/// The boxes of imageproc's pixel-by-pixel labelling, which `ink_components` replaces.
fn components_by_pixel(page: &GrayImage, level: u8) -> Vec<(u32, u32, u32, u32)> {
    use imageproc::region_labelling::{connected_components, Connectivity};
    let ink = image::ImageBuffer::from_fn(page.width(), page.height(), |x, y| {
        image::Luma([u8::from(page.get_pixel(x, y).0[0] <= level)])
    });
    let labels = connected_components(&ink, Connectivity::Eight, image::Luma([0u8]));
    let count = labels.pixels().map(|p| p.0[0]).max().unwrap_or(0) as usize;
    let mut boxes = vec![(u32::MAX, 0u32, u32::MAX, 0u32); count + 1];
    for (x, y, p) in labels.enumerate_pixels() {
        let b = &mut boxes[p.0[0] as usize];
        *b = (b.0.min(y), b.1.max(y), b.2.min(x), b.3.max(x));
    }
    boxes.remove(0);
    boxes
}

#[test]
fn components_by_runs_are_those_by_pixels() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(16);
    for (w, h, ink) in [(2, 2, 0.5), (7, 2, 0.5), (2, 9, 0.5), (40, 30, 0.1), (40, 30, 0.45), (64, 48, 0.7)] {
        for _ in 0..20 {
            let page = GrayImage::from_fn(w, h, |_, _| image::Luma([if rng.gen_bool(ink) { 20 } else { 230 }]));
            let mut got = ink_components(&page, 128);
            let mut want = components_by_pixel(&page, 128);
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{w}x{h} at {ink}");
        }
    }
    // Diagonal neighbours join (8-connectivity); a U joins at its bottom.
    let page = GrayImage::from_fn(5, 4, |x, y| {
        let ink = matches!((x, y), (0, 0) | (1, 1) | (3, 0) | (3, 1) | (4, 3)) || (y == 2 && x <= 3);
        image::Luma([if ink { 0 } else { 255 }])
    });
    let mut got = ink_components(&page, 128);
    got.sort_unstable();
    assert_eq!(got, [(0, 3, 0, 4)]);
    assert_eq!(ink_components(&GrayImage::from_pixel(1, 3, image::Luma([0])), 128), [(0, 2, 0, 0)]);
    assert!(ink_components(&GrayImage::from_pixel(3, 1, image::Luma([200])), 128).is_empty());
}

#[test]
fn otsu_from_the_histogram_is_imageprocs_otsu() {
    let real = load_page(Path::new("scans/bagirov-1946/page-1.png")).unwrap();
    let ramp = GrayImage::from_fn(300, 200, |x, y| image::Luma([((x * 7 + y * 3) % 256) as u8]));
    let blank = GrayImage::from_pixel(40, 30, image::Luma([200]));
    let two = GrayImage::from_fn(50, 50, |x, _| image::Luma([if x < 10 { 30 } else { 220 }]));
    for page in [&real, &ramp, &blank, &two] {
        assert_eq!(otsu_level(&grey_histogram(page)), imageproc::contrast::otsu_level(page));
    }
}

#[test]
fn components_by_runs_are_those_by_pixels_on_a_real_page() {
    let page = load_page(Path::new("scans/bagirov-1946/page-1.png")).unwrap();
    let level = imageproc::contrast::otsu_level(&page);
    let mut got = ink_components(&page, level);
    let mut want = components_by_pixel(&page, level);
    got.sort_unstable();
    want.sort_unstable();
    assert!(got.len() > 1000, "{} components", got.len());
    assert!(got == want, "{} components by runs, {} by pixels", got.len(), want.len());
}

/// Lines of letter-like blocks, as a typed page: ink in rows.
fn typed_page() -> GrayImage {
    let mut img = GrayImage::from_pixel(1200, 1600, image::Luma([250]));
    for row in 0..30 {
        for col in 0..50 {
            if (row * 7 + col * 3) % 11 == 0 {
                continue; // word spaces
            }
            fill(&mut img, 100 + col * 20, 100 + row * 45, 14, 22, 30);
        }
    }
    img
}

#[test]
fn skew_is_measured_and_levelled() {
    let page = typed_page();
    assert!(measure_skew(&page).abs() < 0.1, "{}", measure_skew(&page));
    for angle in [1.5f32, -2.0, 3.2] {
        let crooked = level(&page, -angle); // turned clockwise by `angle`
        let found = measure_skew(&crooked);
        assert!((found - angle).abs() < 0.15, "turned {angle}, measured {found}");
        let straight = level(&crooked, found);
        assert!(measure_skew(&straight).abs() < 0.15);
    }
    assert_eq!(measure_skew(&GrayImage::from_pixel(300, 300, image::Luma([240]))), 0.0);
}

#[test]
fn turns_are_clockwise_and_undone_by_their_complement() {
    let mut img = GrayImage::from_pixel(4, 2, image::Luma([255]));
    img.put_pixel(0, 0, image::Luma([0]));
    let t = turn(&img, 90);
    assert_eq!(t.dimensions(), (2, 4));
    assert_eq!(t.get_pixel(1, 0).0[0], 0, "the top-left corner goes to the top right");
    assert_eq!(turn(&turn(&img, 90), 270), img);
    assert_eq!(turn(&turn(&img, 180), 180), img);
    assert_eq!(orient(img.clone(), 0, 0.0), img);
}

#[test]
fn contrast_is_stretched_to_full_range() {
    let mut img = GrayImage::from_pixel(100, 100, image::Luma([200]));
    for x in 0..30 {
        img.put_pixel(x, 0, image::Luma([90]));
        img.put_pixel(x, 1, image::Luma([90]));
        img.put_pixel(x, 2, image::Luma([90]));
        img.put_pixel(x, 3, image::Luma([90]));
    }
    let want = imageproc::contrast::stretch_contrast(&img, 90, 200, 0, 255);
    let out = preprocess(img);
    assert_eq!(out, want, "as imageproc's stretch");
    assert_eq!(out.get_pixel(0, 0).0[0], 0);
    assert_eq!(out.get_pixel(50, 50).0[0], 255);
    let blank = GrayImage::from_pixel(10, 10, image::Luma([250]));
    assert_eq!(preprocess(blank.clone()), blank);
    // Every level, 40 pixels each: the 99th percentile is level 253; the 1st (2) would be
    // within the "paper's" spread, which has no room for it here, so the dark end stays.
    let ramp = GrayImage::from_fn(256, 40, |x, _| image::Luma([x as u8]));
    assert_eq!(preprocess(ramp.clone()), imageproc::contrast::stretch_contrast(&ramp, 0, 253, 0, 255));
}

/// A page of mottled paper (levels 224-246) with one short line of grey type, under 1% of it.
fn few_lines_on_grainy_paper() -> GrayImage {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut page = GrayImage::from_fn(1200, 1600, |_, _| image::Luma([rng.gen_range(224..=246)]));
    for letter in 0..30 {
        fill(&mut page, 100 + letter * 30, 200, 16, 26, 150);
    }
    page
}

#[test]
fn paper_grain_is_not_stretched_to_black_on_a_page_of_few_lines() {
    let page = few_lines_on_grainy_paper();
    let ink = page.pixels().filter(|p| p.0[0] < 200).count() as f64 / (1200.0 * 1600.0);
    assert!(ink < 0.01, "the type is under 1% of the page: {ink}");
    let out = preprocess(page);
    // The 1st percentile is paper (224): stretched to black, the grain became specks.
    let darkest_paper = (0..1200).map(|x| out.get_pixel(x, 1000).0[0]).min().unwrap();
    assert!(darkest_paper >= 180, "paper stays light: {darkest_paper}");
    assert!(out.get_pixel(105, 210).0[0] < 120, "type stays dark");
}

#[test]
fn letters_are_measured_in_lines_not_among_specks() {
    // Three lines of 24 px letters, and 2,000 specks of 6 px scattered over the page.
    let mut page = GrayImage::from_pixel(2400, 3400, image::Luma([240]));
    for line in 0..3 {
        for letter in 0..40 {
            fill(&mut page, 200 + letter * 30, 300 + line * 60, 18, 24, 30);
        }
    }
    for k in 0..2000u32 {
        // A coarse lattice, jittered: specks far apart, none beside another.
        fill(&mut page, 100 + (k % 40) * 55 + k % 7, 600 + (k / 40) * 55 + k % 11, 6, 6, 30);
    }
    assert_eq!(letter_height(&page), Some(24));
    assert_eq!(ocr_scale(&page), 1.0);
}

#[test]
fn natural_order() {
    let mut names = vec!["page-10.png", "page-2.png", "page-1.png", "page-02b.png", "Page-3.png"];
    names.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(names, ["Page-3.png", "page-1.png", "page-2.png", "page-02b.png", "page-10.png"]);
}

#[test]
fn image_extensions_case_insensitive() {
    assert!(is_image_path(Path::new("a/B.JPG")));
    assert!(is_image_path(Path::new("x.tiff")));
    assert!(!is_image_path(Path::new("x.txt")));
    assert!(!is_image_path(Path::new("noext")));
}

#[test]
fn empty_and_non_image_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    let err = load_page(&empty).unwrap_err().to_string();
    assert!(err.contains("empty.png") && err.contains("empty"), "{err}");
    let text = dir.path().join("notes.png");
    std::fs::write(&text, b"just some text, not an image").unwrap();
    let err = load_page(&text).unwrap_err().to_string();
    assert!(err.contains("notes.png") && err.contains("not"), "{err}");
}

/// `shrink` averages whole blocks (the least factor that fits), drops a ragged edge, and
/// leaves a page that fits alone.
#[test]
fn shrink_takes_block_means() {
    let page = GrayImage::from_fn(10, 7, |x, y| image::Luma([if x < 3 && y < 3 { 0 } else { 90 }]));
    let small = shrink(&page, 4).unwrap();
    assert_eq!(small.dimensions(), (3, 2));
    assert_eq!(small.get_pixel(0, 0).0[0], 0);
    assert_eq!(small.get_pixel(1, 0).0[0], 90);
    assert_eq!(small.get_pixel(2, 1).0[0], 90);
    assert!(shrink(&page, 10).is_none());
}

/// The histogram counts every pixel at its level, the three left over past the last four too.
#[test]
fn grey_histogram_counts_every_pixel() {
    let page = GrayImage::from_fn(7, 5, |x, y| image::Luma([((x * 37 + y * 11) % 5) as u8 * 50]));
    let mut expected = [0u64; 256];
    for p in page.pixels() {
        expected[p.0[0] as usize] += 1;
    }
    assert_eq!(grey_histogram(&page), expected);
    assert_eq!(grey_histogram(&page).iter().sum::<u64>(), 35);
}
