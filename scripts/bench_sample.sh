#!/usr/bin/env bash
# Issue 2's timing, side by side in one run: the `tesseract` command alone over the five
# sample pages one after another, then `scanproof check` on the same pages (release build,
# default --jobs, no OCR cache), each best of N runs. Prints both wall times and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
best() { sort -n | head -1; }
tess=$(for r in $(seq "$runs"); do
  s=$(date +%s.%N)
  for p in scans/bagirov-1946/page-*.png; do tesseract "$p" "$out/t" -l rus --psm 3 >/dev/null 2>&1; done
  e=$(date +%s.%N); awk -v a="$s" -v b="$e" "BEGIN{printf \"%.2f\\n\", b-a}"
done | best)
cache_flag=""
./target/release/scanproof check --help | grep -q -- '--no-cache' && cache_flag="--no-cache"
check=$(for r in $(seq "$runs"); do
  s=$(date +%s.%N)
  ./target/release/scanproof check scans/bagirov-1946 --transcript transcripts/bagirov-1946.txt --lang rus $cache_flag --exit-zero -o "$out/r.txt"
  e=$(date +%s.%N); awk -v a="$s" -v b="$e" "BEGIN{printf \"%.2f\\n\", b-a}"
done | best)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tesseract alone, 5 pages one after another: ${tess}s (best of $runs)"
echo "scanproof check on the same pages:          ${check}s (best of $runs)"
awk -v c="$check" -v t="$tess" "BEGIN{printf \"ratio: %.2f\\n\", c/t}"
