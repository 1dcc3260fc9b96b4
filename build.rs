//! Export the binary's `pixWriteMem` (src/line_images.rs) to the dynamic symbol table, so that
//! Tesseract's calls bind to it rather than to Leptonica's.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bin=scanproof=-Wl,--export-dynamic-symbol=pixWriteMem");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
