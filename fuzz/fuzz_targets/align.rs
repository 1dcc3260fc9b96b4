//! Fuzz the alignment: a transcript and a scan reading split at the first 0xFF byte; ranges stay
//! in bounds and a text aligned with itself has no discrepancy.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| scanproof::formats::invariants::check_alignment(data));
