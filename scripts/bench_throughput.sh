#!/usr/bin/env bash
# Throughput of `scanproof check` against Tesseract alone (issues 6 and 16), in one run on the
# same pages (default: the 23 English EHRI pages): Tesseract's CLI over the pages one after
# another, then `check --no-cache --jobs 1`, `check --jobs 2` on an empty cache, and the cached
# re-run; RUNS rounds (default 3), each variant's best. Prints wall times and ratios. Run it on
# an otherwise idle machine: it prints the load.
#   scripts/bench_throughput.sh [PAGES_DIR] [LANG] [NAME_PATTERN]
#   scripts/bench_throughput.sh ../shared/corpus/ehri/english eng 'EHRI-DR-19390125-US_0[1-6]'
# BIN=PATH measures another build of scanproof (an earlier commit's, to compare) instead of
# this tree's; KEEP_REPORT=FILE keeps the --jobs 1 report.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/ehri/english}
lang=${2:-eng}
pattern=${3:-*}
runs=${RUNS:-3}
if [ ! -d "$dir" ]; then
  echo "bench_throughput: $dir not found (the shared corpus); give a folder of page images" >&2
  exit 2
fi
cargo build --release --quiet --example alto_text
if [ -z "${BIN:-}" ]; then cargo build --release --quiet --bin scanproof; fi
bin=$(realpath "${BIN:-target/release/scanproof}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mapfile -t pages < <(find "$dir" -maxdepth 1 \( -name "$pattern.jpg" -o -name "$pattern.png" -o -name "$pattern.tif" \) | sort)
if [ ${#pages[@]} -eq 0 ]; then
  echo "bench_throughput: no page images matching $pattern in $dir" >&2
  exit 2
fi
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# timed NAME CMD...: wall seconds into $NAME, CPU seconds (user + system) into ${NAME}_cpu, each
# the least of the rounds so far. CPU time does not grow when other work shares the cores, so
# its ratio holds under load too.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@"
  read -r wall user sys < "$work/time"
  local cpu
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  local old=${!name:-} old_cpu
  old_cpu=$(eval "echo \${${name}_cpu:-}")
  if [ -z "$old" ] || awk -v a="$wall" -v b="$old" 'BEGIN { exit !(a < b) }'; then printf -v "$name" '%s' "$wall"; fi
  if [ -z "$old_cpu" ] || awk -v a="$cpu" -v b="$old_cpu" 'BEGIN { exit !(a < b) }'; then printf -v "${name}_cpu" '%s' "$cpu"; fi
  echo "  round $round: $name ${wall}s wall, ${cpu}s CPU" >&2
}

echo "pages: ${#pages[@]} from $dir; cores: $(nproc); $(tesseract --version 2>&1 | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Tesseract alone, one page after another, one thread (as each scanproof worker runs it).
tesseract_pages() {
  for p in "${pages[@]}"; do
    OMP_THREAD_LIMIT=1 tesseract "$p" - -l "$lang" > /dev/null 2>&1
  done
}
same=yes
for round in $(seq "$runs"); do
  timed tess bash -c "$(declare -p pages lang); $(declare -f tesseract_pages); tesseract_pages"
  # The machine's own headroom for two workers: Tesseract alone as two processes, each over half
  # the pages. Other work on the cores shows here as a ratio well below 2.
  tesseract_halves() {
    local half=$(((${#pages[@]} + 1) / 2))
    (pages=("${pages[@]:0:half}") && tesseract_pages) &
    (pages=("${pages[@]:half}") && tesseract_pages)
    wait
  }
  timed tess2 bash -c "$(declare -p pages lang); $(declare -f tesseract_pages tesseract_halves); tesseract_halves"

  timed j1 "$bin" check "${pages[@]}" -t "$work/transcript.txt" -l "$lang" -f json --exit-zero --no-cache --jobs 1 -o "$work/j1.json"
  rm -rf "$work/cache"
  timed j2 "$bin" check "${pages[@]}" -t "$work/transcript.txt" -l "$lang" -f json --exit-zero --cache "$work/cache" --jobs 2 -o "$work/j2.json"
  timed warm "$bin" check "${pages[@]}" -t "$work/transcript.txt" -l "$lang" -f json --exit-zero --cache "$work/cache" --jobs 2 -o "$work/warm.json"
  cmp -s "$work/j1.json" "$work/j2.json" && cmp -s "$work/j1.json" "$work/warm.json" || same=no
  if [ -n "${KEEP_REPORT:-}" ]; then cp "$work/j1.json" "$KEEP_REPORT"; fi
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8s s wall %8s s CPU\n' "tesseract alone (1 thread)" "$tess" "$tess_cpu" \
  "tesseract alone, 2 processes" "$tess2" "$tess2_cpu" \
  "check --no-cache --jobs 1" "$j1" "$j1_cpu" \
  "check --jobs 2 (empty cache)" "$j2" "$j2_cpu" \
  "check --jobs 2 (cached re-run)" "$warm" "$warm_cpu"
echo "best of $runs rounds"
echo "jobs 1 / tesseract:        $(ratio "$j1" "$tess") wall, $(ratio "$j1_cpu" "$tess_cpu") CPU   (target <= 1.05)"
echo "pages/s jobs 2 / jobs 1:   $(ratio "$j1" "$j2")   (target >= 1.85; Tesseract's own 2 / 1: $(ratio "$tess" "$tess2"))"
echo "cached re-run / first run: $(ratio "$warm" "$j2")   (target <= 0.05)"
echo "reports identical across runs: $same"
