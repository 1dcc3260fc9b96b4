#!/usr/bin/env python3
"""Measure Tesseract's character error rate on the sample scans.

In:  READING_DIR with page-N.txt (what each page says), SCANS_DIR with page-N.png,
     and a Tesseract language (default: rus).
Out: per-page and total CER on stdout. CER = Levenshtein edit distance between the
     whitespace-normalized reading and Tesseract's text (every run of whitespace made one
     space, ends trimmed), divided by the reading's length; the total sums distances and
     lengths over all pages.

Usage: python3 tools/measure_cer.py tools/sample/bagirov-1946 scans/bagirov-1946 rus
       add --show to print each page's OCR text as well.

Standard library only; runs the `tesseract` command-line tool (--psm 3).
"""

import re
import subprocess
import sys
from pathlib import Path


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def ocr(png: Path, lang: str) -> str:
    out = subprocess.run(
        ["tesseract", str(png), "-", "-l", lang, "--psm", "3"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def main(argv: list[str]) -> int:
    show = "--show" in argv
    args = [a for a in argv if a != "--show"]
    if len(args) not in (2, 3):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: measure_cer.py READING_DIR SCANS_DIR [LANG] [--show]", file=sys.stderr)
        return 2
    reading, scans = Path(args[0]), Path(args[1])
    lang = args[2] if len(args) == 3 else "rus"

    pages = sorted(
        reading.glob("page-*.txt"), key=lambda p: int(p.stem.split("-")[1])
    )
    if not pages:
        print(f"no page-N.txt in {reading}", file=sys.stderr)
        return 1
    total_dist = total_len = 0
    for txt in pages:
        png = scans / (txt.stem + ".png")
        ref = normalize(txt.read_text(encoding="utf-8"))
        hyp = normalize(ocr(png, lang))
        dist = levenshtein(ref, hyp)
        total_dist += dist
        total_len += len(ref)
        print(f"{txt.stem}: CER {dist / len(ref):6.2%}  ({dist} edits / {len(ref)} chars)")
        if show:
            print(hyp + "\n")
    print(f"total:  CER {total_dist / total_len:6.2%}  ({total_dist} edits / {total_len} chars)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
