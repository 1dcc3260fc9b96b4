//! Fuzz the TEI transcript reader: arbitrary bytes read as TEI; what reads must round-trip and
//! take a correction exactly (see `scanproof::formats::invariants`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanproof::formats::{invariants, TranscriptFormat};

fuzz_target!(|data: &[u8]| invariants::check_transcript(data, Some(TranscriptFormat::Tei)));
