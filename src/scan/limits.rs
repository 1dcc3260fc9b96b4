//! Decoder limits shared by the page loaders (single images here, multi-page files in
//! `multipage`), kept apart so that neither has to import them from the other.

/// Decoder limits: a page scanned at 600 dpi on A3 is about 7000 x 10000 pixels; anything
/// beyond this is refused before allocation (a decompression bomb is refused, never decoded).
pub const MAX_SIDE: u32 = 20_000;
pub const MAX_ALLOC: u64 = 1 << 30;
