//! Fuzz the decisions reader: arbitrary bytes as a decisions file; what reads must write and
//! read back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| scanproof::formats::invariants::check_decisions(data));
