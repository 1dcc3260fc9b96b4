#!/usr/bin/env bash
# Install what scanproof and its tests need on Debian/Ubuntu, only what is missing.
# Tesseract and Leptonica (libraries and language data), clang for the bindings, hunspell
# dictionaries, a typewriter font for the sample renderer, Chromium for the browser tests,
# poppler-utils (pdfinfo, pdftoppm) to rasterize PDF scans, fonts and fortunes for render-pages.
# For the edition tests (issue 15): jing (RELAX NG validation of TEI), LibreOffice Writer without a
# GUI and its Python bridge (Word documents' tracked changes), lighttpd, iipimage-server and vips
# (a local IIIF image server).
# Issue 13: Tesseract's orientation model (osd) and a script model (Cyrillic), and hunspell
# dictionaries outside the first three languages (Danish) and beside them (British English),
# which the language tests load; libxml2-utils (xmllint) validates exported PAGE-XML.
set -euo pipefail

packages=(
  pkg-config clang libclang-dev libtesseract-dev libleptonica-dev
  # tikv-jemalloc-sys builds jemalloc from its source with configure and make.
  make
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-deu
  tesseract-ocr-osd tesseract-ocr-script-cyrl
  hunspell-en-us hunspell-ru hunspell-de-de hunspell-en-gb hunspell-da
  libxml2-utils
  fonts-freefont-ttf fonts-liberation
  chromium chromium-driver
  poppler-utils
  # render-pages (tools/README.md): typewriter and print faces with Latin and Cyrillic, and
  # Debian's fortune databases as source text for scripts/make_corpus.sh.
  fonts-courier-prime fonts-gnutypewriter fonts-paratype fonts-dejavu-core fonts-dejavu-extra
  fonts-noto-mono fonts-cmu fonts-oldstandard fonts-linuxlibertine fonts-ebgaramond
  fortunes fortunes-min fortunes-de fortunes-ru fortunes-cs fortunes-pl fortunes-es fortunes-it
  # Editions and IIIF (issue 15): TEI validation, Word documents read back, a IIIF image server.
  jing libreoffice-writer-nogui python3-uno
  lighttpd iipimage-server libvips-tools
  # tests/cluster.rs (scripts/slurm_local.sh): a single-node Slurm with munge, GNU parallel,
  # python3 to pick free ports.
  slurmctld slurmd slurm-client munge parallel python3
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is not installed; install it with rustup (https://rustup.rs) and run this again" >&2
  exit 1
fi
