//! Print the text of ALTO files, one after another with a blank line between them: the
//! combined transcript of a multi-page document for scripts/bench_throughput.sh.
//! `alto_text PAGE-1.xml PAGE-2.xml ... > transcript.txt`

use std::io::Write;

fn main() {
    let mut out = std::io::stdout().lock();
    for path in std::env::args().skip(1) {
        let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let text = scanproof::formats::alto::alto_text(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
        writeln!(out, "{text}\n").expect("stdout is writable");
    }
}
