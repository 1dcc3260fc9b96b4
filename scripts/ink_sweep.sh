#!/usr/bin/env bash
# Tesseract's CER on the same documents typed with each ink at several strengths: the
# calibration of render-pages' inks (tools/README.md). Every folder holds the same documents in
# the same faces, sizes and scans (each style choice has its own random stream); only the ink
# and its strength change.
#
#   scripts/ink_sweep.sh [ROOT] [--docs N] [--seed S] [--langs eng,deu,rus] [--inks LIST]
#       [--strengths LIST] [--dpi LIST] [--jobs N] [-- more render-pages options]
#
# ROOT (default ${XDG_CACHE_HOME:-~/.cache}/scanproof-corpus/ink-sweep) gets INK-STRENGTH/ folders
# and sweep.txt with the CER of every folder by ink, strength, face class and resolution.
set -euo pipefail
cd "$(dirname "$0")/.."
root="" docs=9 seed=1 langs=eng,deu,rus inks="normal,faint,heavy,overtype" strengths="0,0.5,1" dpi="" jobs=2 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --langs) langs=$2; shift 2 ;;
    --inks) inks=$2; shift 2 ;;
    --strengths) strengths=$2; shift 2 ;;
    --dpi) dpi=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "ink_sweep: unknown option $1" >&2; exit 2 ;;
    *) root=$1; shift ;;
  esac
done
[ -n "$root" ] || root="${XDG_CACHE_HOME:-$HOME/.cache}/scanproof-corpus/ink-sweep"
mkdir -p "$root"
cargo build --release --quiet --bin render-pages
export RENDER_PAGES="$PWD/target/release/render-pages"
dpi_args=()
[ -n "$dpi" ] && dpi_args=(--dpi "$dpi")
for ink in ${inks//,/ }; do
  for s in ${strengths//,/ }; do
    dir="$root/$ink-$s"
    scripts/make_corpus.sh "$dir" --docs "$docs" --seed "$seed" --langs "$langs" --ink "$ink" \
      --strength "$s" --jobs "$jobs" ${dpi_args[@]+"${dpi_args[@]}"} -- --max-pages 1 ${extra[@]+"${extra[@]}"} >/dev/null
    echo "== $ink $s" >&2
  done
done
for ink in ${inks//,/ }; do
  for s in ${strengths//,/ }; do
    echo "== $ink $s"
    python3 tools/measure_corpus.py "$root/$ink-$s" --jobs "$jobs" --by all,class,dpi
  done
done | tee "$root/sweep.txt"
