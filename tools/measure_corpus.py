#!/usr/bin/env python3
"""Tesseract's character error rate on a rendered corpus (render-pages / make_corpus.sh),
split by style: ink, ink strength, face class, resolution, turn.

In:  a folder of ID_NN.png|jpg + ID_NN.txt + ID_NN.json (the eval layout render-pages writes).
Out: tables of CER (sum of edit distances / sum of truth lengths) by group, on stdout.
     CER as tools/measure_cer.py: both texts whitespace-normalized, Levenshtein distance.

Usage: python3 tools/measure_corpus.py DIR [--jobs 2] [--psm 3] [--by ink,strength,...]
       [--markdown] [--pages out.tsv]

Each page is read with `OMP_THREAD_LIMIT=1 tesseract IMG - -l LANG --psm 3`, LANG from the
page's JSON. Readings are kept in DIR/ocr-psmN/ and reused while newer than the image.
Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure_cer import levenshtein, normalize  # noqa: E402


def strength_bin(s):
    s = float(s)
    return "0.0-0.3" if s < 0.3 else "0.3-0.7" if s < 0.7 else "0.7-1.0"


GROUPS = {
    "ink": lambda j: j["ink"],
    "strength": lambda j: strength_bin(j["strength"]),
    "ink+strength": lambda j: f'{j["ink"]} {strength_bin(j["strength"])}',
    "class": lambda j: j["font_class"],
    "dpi": lambda j: str(j["dpi"]),
    "font": lambda j: j["font"],
    "lang": lambda j: j["lang"],
    "rotation": lambda j: str(j["rotation"]),
    "format": lambda j: j["format"],
    "all": lambda j: "all",
}


def ocr(img, lang, psm, cache):
    out = cache / (img.stem + ".txt")
    if out.exists() and out.stat().st_mtime >= img.stat().st_mtime:
        return out.read_text(encoding="utf-8")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    r = subprocess.run(
        ["tesseract", str(img), "-", "-l", lang, "--psm", str(psm)],
        capture_output=True, text=True, env=env,
    )
    if r.returncode != 0:
        raise SystemExit(f"tesseract failed on {img}: {r.stderr.strip()}")
    tmp = out.with_suffix(".tmp")
    tmp.write_text(r.stdout, encoding="utf-8")
    tmp.replace(out)
    return r.stdout


def measure(page, psm, cache):
    meta = json.loads(page.read_text(encoding="utf-8"))
    img = page.with_name(meta["image"])
    truth = normalize(page.with_suffix(".txt").read_text(encoding="utf-8"))
    hyp = normalize(ocr(img, meta["lang"], psm, cache))
    return meta, levenshtein(truth, hyp), len(truth)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--psm", type=int, default=3)
    ap.add_argument("--by", default="ink,ink+strength,class,dpi,lang,all")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--pages", help="also write one line per page (TSV) to this file")
    args = ap.parse_args(argv)
    root = Path(args.dir)
    pages = sorted(p for p in root.glob("*.json") if p.with_suffix(".txt").exists())
    pages = [p for p in pages if "document" in p.read_text(encoding="utf-8")[:200]]
    if not pages:
        print(f"no rendered pages (ID_NN.json + .txt) in {root}", file=sys.stderr)
        return 2
    cache = root / f"ocr-psm{args.psm}"
    cache.mkdir(exist_ok=True)
    with ThreadPoolExecutor(max_workers=args.jobs) as ex:
        results = list(ex.map(lambda p: measure(p, args.psm, cache), pages))
    if args.pages:
        with open(args.pages, "w", encoding="utf-8") as f:
            f.write("page\tink\tstrength\tclass\tfont\tdpi\tlang\trotation\tcer\n")
            for p, (m, d, n) in zip(pages, results):
                f.write(f'{p.stem}\t{m["ink"]}\t{m["strength"]}\t{m["font_class"]}\t{m["font"]}\t'
                        f'{m["dpi"]}\t{m["lang"]}\t{m["rotation"]}\t{d / max(n, 1):.4f}\n')
    for by in args.by.split(","):
        key = GROUPS[by]
        agg = defaultdict(lambda: [0, 0, 0, []])
        for meta, d, n in results:
            a = agg[key(meta)]
            a[0] += d
            a[1] += n
            a[2] += 1
            a[3].append(d / max(n, 1))
        if args.markdown:
            print(f"\n| {by} | pages | CER | page CER min–max |\n|---|---|---|---|")
        else:
            print(f"\n{by:<22} {'pages':>5} {'CER':>8}   page CER min-max")
        for k in sorted(agg):
            d, n, c, per = agg[k]
            if args.markdown:
                print(f"| {k} | {c} | {d / max(n, 1):.2%} | {min(per):.1%}–{max(per):.1%} |")
            else:
                print(f"{k:<22} {c:>5} {d / max(n, 1):>8.2%}   {min(per):.1%}-{max(per):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
