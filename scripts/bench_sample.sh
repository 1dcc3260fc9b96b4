#!/usr/bin/env bash
# Issue 2's timing, side by side in one run: the `tesseract` command alone over the five
# sample pages one after another, then `scanproof check` on the same pages (release build, no
# OCR cache) with --jobs 1 and with the default (every core), each best of N runs. Tesseract
# runs with OMP_THREAD_LIMIT=1, its fastest setting here: with its default OpenMP threads it
# took 4x longer on this 2-core machine when anything else was running.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
best() { sort -n | head -1; }
tess=$(for r in $(seq "$runs"); do
  s=$(date +%s.%N)
  for p in scans/bagirov-1946/page-*.png; do OMP_THREAD_LIMIT=1 tesseract "$p" "$out/t" -l rus --psm 3 >/dev/null 2>&1; done
  e=$(date +%s.%N); awk -v a="$s" -v b="$e" "BEGIN{printf \"%.2f\\n\", b-a}"
done | best)
cache_flag=""
./target/release/scanproof check --help | grep -q -- '--no-cache' && cache_flag="--no-cache"
timed_check() {
  for r in $(seq "$runs"); do
    s=$(date +%s.%N)
    ./target/release/scanproof check scans/bagirov-1946 --transcript transcripts/bagirov-1946.txt --lang rus $cache_flag --exit-zero -o "$out/r.txt" "$@"
    e=$(date +%s.%N); awk -v a="$s" -v b="$e" "BEGIN{printf \"%.2f\\n\", b-a}"
  done | best
}
check1=$(timed_check --jobs 1)
check=$(timed_check)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tesseract alone, 5 pages one after another: ${tess}s (best of $runs)"
echo "scanproof check --jobs 1:                    ${check1}s (best of $runs)"
echo "scanproof check (default jobs):              ${check}s (best of $runs)"
awk -v c="$check1" -v t="$tess" "BEGIN{printf \"ratio --jobs 1: %.2f\\n\", c/t}"
awk -v c="$check" -v t="$tess" "BEGIN{printf \"ratio default jobs: %.2f\\n\", c/t}"
