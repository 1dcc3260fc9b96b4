//! Page images to file bytes: PNG with its resolution in a pHYs chunk, JPEG with a JFIF density.

use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{GrayImage, ImageEncoder};

/// PNG bytes of `page`, with a pHYs chunk so OCR engines know its resolution.
pub fn encode_png(page: &GrayImage, dpi: u32) -> Result<Vec<u8>, String> {
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Best, FilterType::Adaptive)
        .write_image(page.as_raw(), page.width(), page.height(), image::ExtendedColorType::L8)
        .map_err(|e| format!("cannot encode PNG: {e}"))?;
    // The encoder writes no resolution, so insert pHYs right after IHDR (8-byte signature,
    // then IHDR: 4 length + 4 type + 13 data + 4 CRC).
    let ppm = (dpi as f64 / 0.0254).round() as u32;
    let mut chunk = Vec::with_capacity(21);
    chunk.extend_from_slice(&9u32.to_be_bytes());
    let mut body = b"pHYs".to_vec();
    body.extend_from_slice(&ppm.to_be_bytes());
    body.extend_from_slice(&ppm.to_be_bytes());
    body.push(1); // unit: metre
    chunk.extend_from_slice(&body);
    chunk.extend_from_slice(&crc32(&body).to_be_bytes());
    png.splice(33..33, chunk);
    Ok(png)
}

/// Baseline JPEG bytes of `page` at `quality` (1-100), its resolution in the JFIF header.
pub fn encode_jpeg(page: &GrayImage, dpi: u32, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut out, quality);
    enc.set_pixel_density(PixelDensity::dpi(dpi.min(u16::MAX as u32) as u16));
    enc.write_image(page.as_raw(), page.width(), page.height(), image::ExtendedColorType::L8)
        .map_err(|e| format!("cannot encode JPEG: {e}"))?;
    Ok(out)
}

/// CRC-32 as PNG chunks use it (ISO 3309, reflected, polynomial 0xEDB88320).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
