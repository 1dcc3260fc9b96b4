#!/usr/bin/env bash
# The project's test command: system packages first, then every test (unit, end-to-end with
# real Tesseract on the bundled sample, browser tests in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo test --no-fail-fast "$@"
