#!/usr/bin/env bash
# Collections of many small documents (issue 16), two measurements in one run:
#
#  1. Pages a second and peak memory for `batch --jobs 1` and `--jobs 2` over a collection of
#     one-page documents, against Tesseract alone on the same pages (`tesseract PAGE - -l LANG`,
#     one thread, one page after another). The collection is a folder of NAME.png + NAME.txt
#     (page and transcript): by default 300 pages rendered from the shared EHRI transcriptions
#     with scripts/make_corpus.sh; COLLECTION=DIR takes another folder.
#  2. Peak memory of `batch` over 1,000 and 10,000 documents checked against OCR text
#     (`ocr_text` manifests: no scans, so everything but OCR), which must not grow with the
#     collection.
#
#   scripts/bench_collection.sh [--pages-only | --memory-only]
# Run it on an otherwise idle machine: it prints the load. RUNS=N repeats part 1 (best of N);
# BIN=PATH measures another build of scanproof (an earlier commit's, to compare);
# READING=single measures `batch --reading single` (one reading a page).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
runs=${RUNS:-1}
lang=${LANG_CODES:-eng}
cargo build --release --quiet --example text_collection
if [ -z "${BIN:-}" ]; then cargo build --release --quiet --bin scanproof; fi
bin=$(realpath "${BIN:-target/release/scanproof}")
reading=()
if [ -n "${READING:-}" ]; then reading=(--reading "$READING"); fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure NAME CMD...: wall seconds and peak RSS (MiB) of CMD into $NAME and ${NAME}_rss, the
# best of the rounds so far.
measure() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null
  local wall rss
  read -r wall rss < "$work/time"
  rss=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
  local old=${!name:-}
  if [ -z "$old" ] || awk -v a="$wall" -v b="$old" 'BEGIN { exit !(a < b) }'; then
    printf -v "$name" '%s' "$wall"
    printf -v "${name}_rss" '%s' "$rss"
  fi
  echo "  $name: ${wall}s, peak ${rss} MiB" >&2
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f", n / s }'; }

echo "cores: $(nproc); $(tesseract --version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$what" != --memory-only ]; then
  dir=${COLLECTION:-}
  if [ -z "$dir" ]; then
    dir=$work/corpus
    scripts/make_corpus.sh "$dir" --source ehri --one-page --docs 300 --langs "$lang" >&2
  fi
  mapfile -t pages < <(find "$dir" -maxdepth 1 \( -name '*.png' -o -name '*.jpg' \) | sort)
  {
    echo "id,scans,transcript,lang"
    for p in "${pages[@]}"; do
      n=$(basename "${p%.*}")
      echo "$n,$p,${p%.*}.txt,$lang"
    done
  } > "$work/manifest.csv"
  n=${#pages[@]}
  echo "== $n one-page documents from $dir${READING:+, --reading $READING}"
  tesseract_pages() {
    for p in "${pages[@]}"; do
      OMP_THREAD_LIMIT=1 tesseract "$p" - -l "$lang" > /dev/null 2>&1
    done
  }
  for round in $(seq "$runs"); do
    echo " round $round" >&2
    measure tess bash -c "$(declare -p pages lang); $(declare -f tesseract_pages); tesseract_pages"
    rm -rf "$work/out1" "$work/out2"
    measure j1 "$bin" batch "$work/manifest.csv" -o "$work/out1" --no-cache --jobs 1 --quiet --exit-zero "${reading[@]}"
    measure j2 "$bin" batch "$work/manifest.csv" -o "$work/out2" --no-cache --jobs 2 --quiet --exit-zero "${reading[@]}"
  done
  same=yes
  for f in "$work"/out1/*.json; do
    case $(basename "$f") in summary*) continue ;; esac
    cmp -s "$f" "$work/out2/$(basename "$f")" || same=no
  done
  printf '%-36s %8s s %8s pages/s %6s MiB peak\n' \
    "tesseract alone (1 thread)" "$tess" "$(per_second "$n" "$tess")" "$tess_rss" \
    "batch --jobs 1" "$j1" "$(per_second "$n" "$j1")" "$j1_rss" \
    "batch --jobs 2" "$j2" "$(per_second "$n" "$j2")" "$j2_rss"
  echo "batch --jobs 1 / tesseract: $(ratio "$j1" "$tess")   (target <= 1.10)"
  echo "pages/s --jobs 2 / --jobs 1: $(ratio "$j1" "$j2")   (target >= 1.8)"
  echo "reports the same with --jobs 1 and 2: $same"
fi

if [ "$what" != --pages-only ]; then
  echo "== documents checked against OCR text (ocr_text manifests), --jobs 2"
  for docs in 1000 10000; do
    target/release/examples/text_collection "$docs" "$work/text-$docs" 2> /dev/null
    measure "m$docs" "$bin" batch "$work/text-$docs/manifest.csv" -o "$work/text-$docs/out" --no-cache --jobs 2 --quiet --exit-zero
    checked=$(grep -c '"status": "done"' "$work/text-$docs/out/summary.json")
    echo "$docs documents ($checked checked): $(eval echo "\$m$docs")s, $(per_second "$docs" "$(eval echo "\$m$docs")") documents/s, peak $(eval echo "\$m${docs}_rss") MiB"
    rm -rf "$work/text-$docs"
  done
  echo "peak 10,000 / 1,000 documents: $(ratio "$m10000_rss" "$m1000_rss")   (target <= 1.10)"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
