#!/usr/bin/env bash
# Issue 3's cost of the evidence: `scanproof ocr` (Tesseract and the page reading alone) against
# `scanproof check` (the same OCR, plus alignment, every piece of evidence and the second
# readings), both with --jobs 1 and no OCR cache, best of RUNS runs. On the bundled sample,
# and on a folder of NAME.jpg + NAME.xml pages when one is given, e.g.
#   scripts/bench_evidence.sh ../shared/corpus/ehri/english eng
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-2}
cargo build --release --quiet
bin=./target/release/scanproof
best() { sort -n | head -1; }
timed() {
  for r in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    awk -v a="$s" -v b="$e" 'BEGIN{printf "%.2f\n", b-a}'
  done | best
}
report() {
  awk -v n="$1" -v o="$2" -v c="$3" 'BEGIN{printf "%s: ocr %.2f s, check %.2f s, evidence adds %.1f%%\n", n, o, c, (c/o-1)*100}'
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
o=$(timed $bin ocr scans/bagirov-1946 --lang rus --jobs 1 -o /dev/null)
c=$(timed $bin check scans/bagirov-1946 -t transcripts/bagirov-1946.txt --lang rus --jobs 1 --no-cache --exit-zero -o /dev/null)
report "sample (5 pages)" "$o" "$c"
if [ $# -ge 1 ]; then
  dir=$1 lang=${2:-eng}
  o=$(timed $bin ocr "$dir" --lang "$lang" --jobs 1 -o /dev/null)
  each() { for p in "$dir"/*.jpg; do $bin check "$p" -t "${p%.jpg}.xml" --lang "$lang" --jobs 1 --no-cache --exit-zero -o /dev/null; done; }
  c=$(timed each)
  report "$dir ($(ls "$dir"/*.jpg | wc -l) pages, one check per page)" "$o" "$c"
fi
