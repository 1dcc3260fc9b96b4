#!/usr/bin/env bash
# Build a varied synthetic corpus of typed pages in the `eval` layout, reproducibly.
#
#   scripts/make_corpus.sh [OUT] [--source fortunes|ehri] [--docs N] [--seed S]
#       [--langs eng,deu,rus,ces,pol,spa,ita] [--ink normal,faint,heavy,overtype]
#       [--strength 0.2,0.8] [--dpi 300,200,150,96] [--style random|fixed] [--rotate 0,90,180,270]
#       [--ru18c mixed|original|modern|none] [--one-page] [--translate SHARE] [--jobs N]
#       [-- more render-pages options]
#
# OUT (default ${XDG_CACHE_HOME:-~/.cache}/scanproof-corpus/SOURCE-SEED) gets ID_NN.png|jpg,
# ID_NN.txt, ID_NN.json, documents/ID.txt, manifest.csv, and the source texts in sources/.
# fortunes: Debian's fortune databases by language, plus 18th-century Russian book pages from
# ../shared/corpus/ru-18c. ehri: the shared EHRI transcriptions, one document per shared
# document (or per page with --one-page), each page typed on one page (--keep-lines --fit).
# --translate SHARE: that share of the documents (rus, eng, deu) gets a translation after each
# page's text (tools/corpus_translate.py), so that `train` learns the translation's evidence.
# Rendered pages are never committed: keep OUT outside the repository or under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

out="" source=fortunes docs="" seed=1 langs="" ink="normal,faint,heavy,overtype" strength=""
dpi="" style=random rotate="" ru18c=mixed one_page="" translate="" jobs=2 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --source) source=$2; shift 2 ;;
    --docs) docs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --langs) langs=$2; shift 2 ;;
    --ink) ink=$2; shift 2 ;;
    --strength) strength=$2; shift 2 ;;
    --dpi) dpi=$2; shift 2 ;;
    --style) style=$2; shift 2 ;;
    --rotate) rotate=$2; shift 2 ;;
    --ru18c) ru18c=$2; shift 2 ;;
    --one-page) one_page=1; shift ;;
    --translate) translate=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "make_corpus: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$out" ] || { echo "make_corpus: one output folder only ($out, $1)" >&2; exit 2; }; out=$1; shift ;;
  esac
done
case "$source" in fortunes|ehri) ;; *) echo "make_corpus: --source fortunes or ehri" >&2; exit 2 ;; esac
[ -n "$out" ] || out="${XDG_CACHE_HOME:-$HOME/.cache}/scanproof-corpus/$source-$seed"
shared="${SCANPROOF_SHARED:-$repo/../shared}"

# The renderer: a release build unless RENDER_PAGES names one.
render=${RENDER_PAGES:-}
if [ -z "$render" ]; then
  cargo build --release --quiet --bin render-pages
  render="$repo/target/release/render-pages"
fi

text_args=("$source" "$out/sources" --seed "$seed" --shared "$shared")
[ -n "$docs" ] && text_args+=(--docs "$docs")
[ -n "$langs" ] && text_args+=(--langs "$langs")
if [ "$source" = fortunes ]; then
  text_args+=(--ru18c "$ru18c")
else
  [ -n "$one_page" ] && text_args+=(--one-page)
fi
mkdir -p "$out"
python3 tools/corpus_text.py "${text_args[@]}"

args=(--list "$out/sources/list.tsv" -o "$out" --seed "$seed" --style "$style" --jobs "$jobs" --ink "$ink")
[ -n "$strength" ] && args+=(--strength "$strength")
[ -n "$dpi" ] && args+=(--dpi "$dpi")
[ -n "$rotate" ] && args+=(--rotate "$rotate")
# The shared pages are typed line for line, each on one page, as the original was.
[ "$source" = ehri ] && args+=(--keep-lines --fit)
"$render" "${args[@]}" ${extra[@]+"${extra[@]}"}
[ -n "$translate" ] && python3 tools/corpus_translate.py "$out" --share "$translate" --seed "$seed"
echo "make_corpus: $(ls "$out"/*.txt | wc -l) pages of $(($(wc -l < "$out/manifest.csv") - 1)) documents in $out" >&2
