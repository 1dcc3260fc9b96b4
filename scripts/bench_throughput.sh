#!/usr/bin/env bash
# Throughput of `scanproof check` against Tesseract alone (issue 6), in one run on the same
# pages (default: the 23 English EHRI pages): Tesseract's CLI over the pages one after another,
# then `check --no-cache --jobs 1`, `check --jobs 2` on an empty cache, and the cached re-run.
# Prints wall times and ratios. Run it on an otherwise idle machine: it prints the load.
#   scripts/bench_throughput.sh [PAGES_DIR] [LANG]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/ehri/english}
lang=${2:-eng}
if [ ! -d "$dir" ]; then
  echo "bench_throughput: $dir not found (the shared corpus); give a folder of page images" >&2
  exit 2
fi
cargo build --release --quiet --bin scanproof --example alto_text
bin=target/release/scanproof
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mapfile -t pages < <(find "$dir" -maxdepth 1 \( -name '*.jpg' -o -name '*.png' -o -name '*.tif' \) | sort)
# One transcript for all the pages: each page's ALTO text, in page order.
alto=()
for p in "${pages[@]}"; do
  [ -f "${p%.*}.xml" ] && alto+=("${p%.*}.xml")
done
if [ ${#alto[@]} -gt 0 ]; then
  target/release/examples/alto_text "${alto[@]}" > "$work/transcript.txt"
else
  echo "no ALTO transcripts beside the pages; checking against an empty-ish transcript" >&2
  echo "none" > "$work/transcript.txt"
fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "pages: ${#pages[@]} from $dir; cores: $(nproc); $(tesseract --version 2>&1 | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Tesseract alone, one page after another, one thread (as each scanproof worker runs it).
t0=$(now)
for p in "${pages[@]}"; do
  OMP_THREAD_LIMIT=1 tesseract "$p" - -l "$lang" > /dev/null 2>&1
done
tess=$(since "$t0")

run_check() { "$bin" check "${pages[@]}" -t "$work/transcript.txt" -l "$lang" -f json --exit-zero "$@"; }
t0=$(now); run_check --no-cache --jobs 1 -o "$work/j1.json"; j1=$(since "$t0")
t0=$(now); run_check --cache "$work/cache" --jobs 2 -o "$work/j2.json"; j2=$(since "$t0")
t0=$(now); run_check --cache "$work/cache" --jobs 2 -o "$work/warm.json"; warm=$(since "$t0")

same=yes
cmp -s "$work/j1.json" "$work/j2.json" && cmp -s "$work/j1.json" "$work/warm.json" || same=no
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %8s s\n' "tesseract alone (1 thread)" "$tess" \
  "check --no-cache --jobs 1" "$j1" \
  "check --jobs 2 (empty cache)" "$j2" \
  "check --jobs 2 (cached re-run)" "$warm"
echo "jobs 1 / tesseract:        $(ratio "$j1" "$tess")   (target <= 1.10)"
echo "pages/s jobs 2 / jobs 1:   $(ratio "$j1" "$j2")   (target >= 1.7)"
echo "cached re-run / first run: $(ratio "$warm" "$j2")   (target <= 0.05)"
echo "reports identical across runs: $same"
