#!/usr/bin/env bash
# Long-document alignment (issue 6): a synthetic 1,000-page book (~300,000 words) against an
# OCR-like corruption of it (5% of characters changed), through `check --ocr-text`, with wall
# time and peak memory from /usr/bin/time -v; the stages' own times from examples/align_stages;
# then dinglehopper (pip install dinglehopper) on the same two texts, stopped after 10 minutes.
#   scripts/bench_align.sh [PAGES] [--no-dinglehopper]
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-1000}
cargo build --release --quiet --bin scanproof --example long_document --example align_stages
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/long_document "$pages" "$work"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

peak() { awk -F': ' '/Elapsed \(wall clock\)/ { w = $2 } /Maximum resident/ { m = $2 } END { printf "wall %s, peak %.0f MiB\n", w, m / 1024 }' "$1"; }

echo "== scanproof check --ocr-text (English dictionary on)"
/usr/bin/time -v target/release/scanproof check --ocr-text "$work/ocr.txt" -t "$work/transcript.txt" -l eng \
  -f json -o "$work/report.json" --exit-zero 2> "$work/time.txt" || { cat "$work/time.txt"; exit 1; }
peak "$work/time.txt"
echo "== scanproof check --ocr-text --no-lexicon"
/usr/bin/time -v target/release/scanproof check --ocr-text "$work/ocr.txt" -t "$work/transcript.txt" --no-lexicon \
  -f json -o "$work/report.json" --exit-zero 2> "$work/time.txt" || { cat "$work/time.txt"; exit 1; }
peak "$work/time.txt"
echo "== stages (no dictionary)"
target/release/examples/align_stages "$work/transcript.txt" "$work/ocr.txt"

if [ "${2:-}" != "--no-dinglehopper" ]; then
  if command -v dinglehopper > /dev/null; then
    echo "== dinglehopper (stopped after 600 s)"
    set +e
    (cd "$work" && timeout 600 /usr/bin/time -v dinglehopper transcript.txt ocr.txt dh > /dev/null 2> time-dh.txt)
    rc=$?
    set -e
    if [ $rc -eq 124 ]; then
      echo "dinglehopper: not finished after 600 s, stopped"
    else
      peak "$work/time-dh.txt"
      [ -f "$work/dh.json" ] && grep -E '"(cer|wer)"' "$work/dh.json" | tr -d ' ,' | tr '\n' ' ' && echo
    fi
  else
    echo "dinglehopper not installed (pip install dinglehopper); skipped"
  fi
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
