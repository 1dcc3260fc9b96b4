//! Fuzz the plain-text transcript reader (encoding detection, tokenizer) and format detection:
//! arbitrary bytes, read as text and as detected (see `scanproof::formats::invariants`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanproof::formats::{invariants, TranscriptFormat};

fuzz_target!(|data: &[u8]| {
    invariants::check_transcript(data, Some(TranscriptFormat::Text));
    invariants::check_transcript(data, None);
});
