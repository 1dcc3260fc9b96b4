//! Tesseract 5.3 hands every text line to its LSTM as a PNG: `ImageData::SetPixInternal`
//! encodes the line's crop with `pixWriteMem(…, IFF_PNG)`, and `GetPixInternal` decodes it with
//! `pixReadMem` a moment later (builds with `TESSERACT_IMAGEDATA_AS_PIX` keep the Pix instead;
//! Debian's 5.3.0 is not one). On the enlarged pages of a one-page collection that round trip
//! was 9% of `batch`'s CPU samples, zlib's deflate 7.8 of them (`perf record`, issue 16).
//!
//! So the binary defines `pixWriteMem` and exports it (build.rs): the dynamic linker binds
//! Tesseract's calls to the executable's definition before Leptonica's, as it binds their
//! `malloc` to jemalloc (main.rs). A PNG asked for is written in Leptonica's own uncompressed
//! serialization ("spix"), which `pixReadMem` reads back to the same Pix, bit for bit: the
//! readings are unchanged. Every other format goes on to Leptonica's `pixWriteMem`. Nothing
//! else in the process asks Leptonica for PNG bytes.

use leptess::capi::{l_int32, l_ok, l_uint8, pixWriteMemSpix, IFF_PNG, PIX};
use std::sync::OnceLock;

type WriteMem = unsafe extern "C" fn(*mut *mut l_uint8, *mut usize, *mut PIX, l_int32) -> l_ok;

/// Leptonica's own `pixWriteMem`: the next definition after this one.
fn leptonica_write_mem() -> Option<WriteMem> {
    static NEXT: OnceLock<Option<WriteMem>> = OnceLock::new();
    *NEXT.get_or_init(|| {
        // SAFETY: a NUL-terminated name; RTLD_NEXT skips this executable's own definition.
        let f = unsafe { libc::dlsym(libc::RTLD_NEXT, c"pixWriteMem".as_ptr()) };
        // SAFETY: the symbol found is Leptonica's pixWriteMem, of this signature.
        (!f.is_null()).then(|| unsafe { std::mem::transmute::<*mut libc::c_void, WriteMem>(f) })
    })
}

/// Leptonica's `pixWriteMem`, with PNG written as "spix" (above).
///
/// # Safety
/// Leptonica's contract: valid out-pointers and a valid Pix.
#[no_mangle]
pub unsafe extern "C" fn pixWriteMem(
    pdata: *mut *mut l_uint8,
    psize: *mut usize,
    pix: *mut PIX,
    format: l_int32,
) -> l_ok {
    if format == IFF_PNG as l_int32 {
        return pixWriteMemSpix(pdata, psize, pix);
    }
    match leptonica_write_mem() {
        Some(write) => write(pdata, psize, pix, format),
        // Leptonica's error status; it cannot happen while Leptonica is linked.
        None => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptess::capi::{lept_free, pixCreate, pixDestroy, pixEqual, pixReadMem, pixSetPixel, IFF_PNM};

    /// Write `pix` with our `pixWriteMem` as `format`: the bytes, and the Pix read back.
    unsafe fn round_trip(pix: *mut PIX, format: u32) -> (Vec<u8>, *mut PIX) {
        let (mut data, mut size) = (std::ptr::null_mut(), 0usize);
        assert_eq!(pixWriteMem(&mut data, &mut size, pix, format as l_int32), 0);
        let bytes = std::slice::from_raw_parts(data, size).to_vec();
        let back = pixReadMem(data, size);
        lept_free(data.cast());
        (bytes, back)
    }

    /// Issue 16: the PNG Tesseract asks for is Leptonica's raw serialization, read back by
    /// `pixReadMem` to the same image; other formats are still Leptonica's own.
    #[test]
    fn a_png_asked_for_comes_back_the_same_image_and_other_formats_are_leptonicas() {
        unsafe {
            let mut pix = pixCreate(37, 11, 8);
            for (x, y) in (0..37).flat_map(|x| (0..11).map(move |y| (x, y))) {
                pixSetPixel(pix, x, y, ((x * 7 + y * 13) % 256) as u32);
            }
            for (format, magic) in [(IFF_PNG, &b"spix"[..]), (IFF_PNM, &b"P5"[..])] {
                let (bytes, mut back) = round_trip(pix, format);
                assert!(bytes.starts_with(magic), "format {format}: {:?}", &bytes[..8]);
                assert!(!back.is_null(), "format {format} is read back");
                let mut same = 0;
                pixEqual(pix, back, &mut same);
                assert_eq!(same, 1, "format {format}: another image came back");
                pixDestroy(&mut back);
            }
            pixDestroy(&mut pix);
        }
    }
}
