//! Archive formats, issue 7: multi-page TIFF and PDF scans, each frame or page a page of the
//! document, in order (the rest of the issue is in `formats.rs`).

#[path = "common/shared_corpus.rs"]
mod shared_corpus;
use shared_corpus::{ehri, has_tool, os, scanproof};

// ---------------------------------------------------------------------------------------------
// Multi-page scans

fn tiff_of(frames: &[image::GrayImage]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut enc = tiff::encoder::TiffEncoder::new(&mut out).unwrap();
    for f in frames {
        enc.write_image::<tiff::encoder::colortype::Gray8>(f.width(), f.height(), f.as_raw()).unwrap();
    }
    out.into_inner()
}

/// A PDF with one JPEG page image per page, sized so that 300 dpi gives the image's pixels.
fn pdf_of(jpegs: &[(Vec<u8>, u32, u32)]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let n = jpegs.len();
    let mut obj = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    obj(&mut out, format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).as_bytes());
    for (i, (jpeg, w, h)) in jpegs.iter().enumerate() {
        let (pw, ph) = (*w as f32 * 72.0 / 300.0, *h as f32 * 72.0 / 300.0);
        let first = 3 + 3 * i;
        obj(
            &mut out,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw} {ph}] /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>",
                first + 1,
                first + 2
            )
            .as_bytes(),
        );
        let mut img = format!("<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n", jpeg.len()).into_bytes();
        img.extend_from_slice(jpeg);
        img.extend_from_slice(b"\nendstream");
        obj(&mut out, &img);
        let content = format!("q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q");
        obj(&mut out, format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).as_bytes(),
    );
    out
}

fn shade_page(w: u32, h: u32, shade: u8) -> image::GrayImage {
    image::GrayImage::from_fn(w, h, |x, _| image::Luma([if x < w / 2 { shade } else { 255 }]))
}

#[test]
fn multi_page_tiff_and_pdf_pages_follow_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let tif = dir.path().join("Akte 3.tif");
    std::fs::write(&tif, tiff_of(&[shade_page(60, 40, 10), shade_page(80, 50, 100), shade_page(30, 30, 200)])).unwrap();
    let png = dir.path().join("cover.png");
    shade_page(20, 20, 0).save(&png).unwrap();
    let pages = scanproof::scan::collect_scan_paths(&[png.clone(), tif.clone()]).unwrap();
    let names: Vec<String> = pages.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["cover.png", "Akte 3.tif#page=1", "Akte 3.tif#page=2", "Akte 3.tif#page=3"]);
    for (p, size) in pages.iter().zip([(20, 20), (60, 40), (80, 50), (30, 30)]) {
        scanproof::scan::check_page_file(p).unwrap();
        assert_eq!(scanproof::scan::load_page(p).unwrap().dimensions(), size);
        assert_eq!(scanproof::scan::page_dimensions(p).unwrap(), size);
    }
    // A folder lists the frames in place of the file.
    let folder = scanproof::scan::collect_scan_paths(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(folder.len(), 4);

    if !has_tool("pdftoppm") {
        return;
    }
    let jpeg = |img: &image::GrayImage| {
        let mut b = std::io::Cursor::new(Vec::new());
        img.write_to(&mut b, image::ImageFormat::Jpeg).unwrap();
        (b.into_inner(), img.width(), img.height())
    };
    let pdf = dir.path().join("Акт 5.pdf");
    std::fs::write(&pdf, pdf_of(&[jpeg(&shade_page(300, 150, 0)), jpeg(&shade_page(150, 300, 0))])).unwrap();
    let pages = scanproof::scan::collect_scan_paths(std::slice::from_ref(&pdf)).unwrap();
    assert_eq!(pages.len(), 2);
    assert!(pages[1].to_string_lossy().ends_with("Акт 5.pdf#page=2"));
    let img = scanproof::scan::load_page(&pages[1]).unwrap();
    let (w, h) = img.dimensions();
    assert!((w as i32 - 150).abs() <= 2 && (h as i32 - 300).abs() <= 2, "{w} x {h} at 300 dpi");
    assert!(img.get_pixel(10, 10).0[0] < 60 && img.get_pixel(140, 10).0[0] > 200, "the page image survives");
}

/// Real OCR of a two-frame TIFF and a PDF made of EHRI pages: pages numbered across the files,
/// each named FILE#page=N.
#[test]
fn ocr_reads_every_frame_and_pdf_page() {
    let Some(dir) = ehri() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let page = |n: u32| image::open(dir.join(format!("EHRI-BF-19380509b_EN_0{n}.jpg"))).unwrap().into_luma8();
    let tif = tmp.path().join("pages.tif");
    std::fs::write(&tif, tiff_of(&[page(1), page(2)])).unwrap();
    let mut args = vec![os("ocr"), tif.as_os_str()];
    let pdf = tmp.path().join("pages.pdf");
    let with_pdf = has_tool("pdftoppm");
    if with_pdf {
        let p3 = page(3);
        let mut b = std::io::Cursor::new(Vec::new());
        p3.write_to(&mut b, image::ImageFormat::Jpeg).unwrap();
        std::fs::write(&pdf, pdf_of(&[(b.into_inner(), p3.width(), p3.height())])).unwrap();
        args.push(pdf.as_os_str());
    }
    let out = tmp.path().join("pages.json");
    args.extend([os("--lang"), os("eng"), os("-o"), out.as_os_str()]);
    let (code, _, err) = scanproof(&args);
    assert_eq!(code, 0, "{err}");
    let pages: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let pages = pages.as_array().unwrap();
    assert_eq!(pages.len(), if with_pdf { 3 } else { 2 });
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p["index"], i + 1);
        assert!(
            p["path"].as_str().unwrap().ends_with(&format!("#page={}", if i < 2 { i + 1 } else { 1 })),
            "{}",
            p["path"]
        );
        assert!(p["words"].as_array().unwrap().len() > 50, "page {} was read", i + 1);
    }
}
