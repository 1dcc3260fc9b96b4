#!/usr/bin/env python3
"""Source texts for a synthetic corpus: one plain-text file per document and a list for
`render-pages --list` (id, Tesseract language, path; tab-separated).

  corpus_text.py fortunes OUTDIR [--docs N] [--seed S] [--langs eng,deu,rus,...]
                                 [--ru18c mixed|original|modern|none] [--shared DIR]
  corpus_text.py ehri OUTDIR [--docs N] [--seed S] [--langs eng,deu] [--one-page] [--shared DIR]

fortunes: Debian's fortune databases (packages fortunes, fortunes-min, fortunes-de,
  fortunes-ru, fortunes-cs, fortunes-pl, fortunes-es, fortunes-it), split on `%` lines,
  attribution lines dropped, grouped into letter-length documents per language (about 1-3
  typed pages); for Russian also the 18th-century book pages of SHARED/corpus/ru-18c (ALTO),
  line-end hyphens joined, in their pre-reform spelling (original), modernized (ѣ→е, і→и,
  ѳ→ф, ѵ→и, final ъ dropped), or each page one of the two (mixed: no text in both forms).
ehri: SHARED/corpus/ehri/{english,german}: one document per shared document, its pages
  separated by form feeds, every line as transcribed (render with --keep-lines --fit); with
  --one-page each shared page is a document of its own, repeated (-v2, -v3 ...) to reach --docs.

Documents are chosen and ordered by --seed alone: the same command writes the same files.
Standard library only.
"""

import argparse
import random
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

FORTUNES = Path("/usr/share/games/fortunes")

# Tesseract language -> fortune files. English: the general collections, not ASCII art, code,
# ethnic jokes or Zippy's non sequiturs.
ENGLISH = [
    "fortunes", "literature", "riddles", "wisdom", "people", "humorists", "science", "work",
    "love", "law", "education", "food", "politics", "news", "pets", "sports", "medicine",
    "men-women", "platitudes", "miscellaneous", "definitions", "goedel", "kids", "magic",
    "paradoxum", "songs-poems", "tao", "pratchett", "computers", "disclaimer", "drugs",
]
SUBDIRS = {"deu": "de", "rus": "ru", "ces": "cs", "pol": "pl", "spa": "es", "ita": "it"}

ATTRIBUTION = re.compile(r"^\s*(--|—|–|~~)\s*\S")
URL = re.compile(r"https?://|www\.|@\w+\.\w")


def fortune_files(lang):
    if lang == "eng":
        return [FORTUNES / n for n in ENGLISH if (FORTUNES / n).is_file()]
    sub = SUBDIRS.get(lang)
    if sub is None or not (FORTUNES / sub).is_dir():
        return []
    return sorted(
        p for p in (FORTUNES / sub).iterdir()
        if p.is_file() and not p.is_symlink() and p.suffix not in (".dat", ".u8")
    )


def allowed_char(c):
    if c.isspace() or c.isdigit():
        return True
    if c.isalpha():
        name = unicodedata.name(c, "")
        return name.startswith("LATIN") or name.startswith("CYRILLIC")
    return c in ".,;:!?-–—'\"«»„“”‘’()[]/&%+=*…№§$"


def clean_fortune(text):
    """A fortune's text as paragraphs, or None when it is no prose (art, code, lists, links)."""
    lines = text.rstrip().split("\n")
    # The attribution ("-- Name", maybe wrapped, maybe followed by a note) ends the text.
    marks = [i for i, l in enumerate(lines) if ATTRIBUTION.match(l)]
    if marks and marks[-1] >= len(lines) - 3:
        lines = lines[: marks[-1]]
    body = "\n".join(lines).strip()
    if len(body) < 60 or len(body) > 2500 or URL.search(body):
        return None
    if "\x08" in body or any(not allowed_char(c) for c in body):
        return None
    letters = sum(c.isalpha() for c in body)
    if letters < 0.6 * len(body.replace(" ", "").replace("\n", "")):
        return None
    paras = []
    for block in re.split(r"\n\s*\n", body):
        blines = [l.strip() for l in block.split("\n") if l.strip()]
        inner = blines[:-1]
        if len(inner) >= 2 and sum(len(l) < 45 for l in inner) * 2 > len(inner):
            # Verse and dialogue keep their lines.
            paras.extend(" ".join(l.split()) for l in blines)
        elif blines:
            paras.append(" ".join(" ".join(blines).split()))
    return paras or None


def read_fortunes(lang):
    out = []
    for f in fortune_files(lang):
        try:
            text = f.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = f.read_text(encoding="latin-1")
        for chunk in re.split(r"^%\s*$", text, flags=re.M):
            paras = clean_fortune(chunk)
            if paras:
                out.append((f.name.split(".")[0], paras))
    return out


def alto_lines(path):
    """The transcribed lines of an ALTO page: each TextLine's String CONTENTs joined by spaces."""
    root = ET.parse(path).getroot()
    lines = []
    for tl in root.iter():
        if tl.tag.rsplit("}", 1)[-1] != "TextLine":
            continue
        words = [s.get("CONTENT", "") for s in tl if s.tag.rsplit("}", 1)[-1] == "String"]
        line = " ".join(w for w in words if w)
        if line.strip():
            lines.append(line.strip())
    return lines


def reflow(lines):
    """Book lines to paragraphs: line-end hyphens joined, a short line ending a sentence ends its
    paragraph."""
    if not lines:
        return []
    typical = sorted(len(l) for l in lines)[len(lines) // 2]
    paras, cur = [], ""
    for line in lines:
        if cur.endswith("-") and not cur.endswith(" -"):
            cur = cur[:-1] + line
        else:
            cur = (cur + " " + line).strip()
        if len(line) < 0.75 * typical and line.rstrip()[-1:] in ".!?:»":
            paras.append(cur)
            cur = ""
    if cur:
        paras.append(cur)
    return paras


MODERN = str.maketrans({"ѣ": "е", "Ѣ": "Е", "і": "и", "І": "И", "ї": "и", "Ї": "И",
                        "ѳ": "ф", "Ѳ": "Ф", "ѵ": "и", "Ѵ": "И"})


def modernize(text):
    text = text.translate(MODERN)
    return re.sub(r"(?<=[бвгджзклмнпрстфхцчшщ])[ъЪ](?![а-яёА-ЯЁ])", "", text, flags=re.I)


def write_doc(outdir, listing, doc_id, lang, paras):
    path = outdir / f"{doc_id}.txt"
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    listing.append(f"{doc_id}\t{lang}\t{path.name}")


def make_fortunes(args, outdir, rng):
    langs = args.langs.split(",")
    listing = []
    per_lang = {l: args.docs // len(langs) + (1 if i < args.docs % len(langs) else 0) for i, l in enumerate(langs)}
    for lang in langs:
        want = per_lang[lang]
        ru18c = []
        if lang == "rus" and args.ru18c != "none":
            folder = Path(args.shared) / "corpus" / "ru-18c"
            pages = sorted(folder.glob("*.xml")) if folder.is_dir() else []
            if not pages:
                print(f"corpus_text: {folder} has no ALTO pages; Russian from fortunes only", file=sys.stderr)
            rng.shuffle(pages)
            ru18c = pages[: min(len(pages), want // 2)]
        pool = read_fortunes(lang)
        if not pool and not ru18c:
            print(f"corpus_text: no fortunes for {lang} (install fortunes-* packages)", file=sys.stderr)
            continue
        for i, page in enumerate(ru18c):
            paras = reflow(alto_lines(page))
            mode = args.ru18c if args.ru18c != "mixed" else ("original", "modern")[rng.randrange(2)]
            if mode == "modern":
                paras = [modernize(p) for p in paras]
            tag = "r18o" if mode == "original" else "r18m"
            write_doc(outdir, listing, f"{tag}-{page.stem}", "rus", paras)
        rng.shuffle(pool)
        n_docs = want - len(ru18c)
        k = 0
        for d in range(n_docs):
            target = rng.choice([700, 1200, 1800, 2500, 3500, 5000])
            paras, size = [], 0
            # A collection's name as a heading now and then ("Witze", "Computer").
            if pool and rng.random() < 0.25:
                paras.append(pool[k % len(pool)][0].replace("-", " ").replace("_", " ").capitalize())
            while size < target and pool:
                src, fp = pool[k % len(pool)]
                k += 1
                paras.extend(fp)
                size += sum(len(p) for p in fp)
            write_doc(outdir, listing, f"fort-{lang}-{d + 1:04d}", lang, paras)
    return listing


def make_ehri(args, outdir, rng):
    langs = args.langs.split(",")
    folders = {"eng": "english", "deu": "german"}
    listing = []
    docs = {}
    for lang in langs:
        if lang not in folders:
            print(f"corpus_text: EHRI has no {lang} pages (eng, deu)", file=sys.stderr)
            continue
        folder = Path(args.shared) / "corpus" / "ehri" / folders[lang]
        pages = sorted(folder.glob("*.xml"))
        if not pages:
            sys.exit(f"corpus_text: no ALTO pages in {folder}")
        for p in pages:
            m = re.match(r"(.*)_(\d+)$", p.stem)
            doc = m.group(1) if m else p.stem
            docs.setdefault((lang, doc), []).append(p)
    units = []
    for (lang, doc), pages in sorted(docs.items()):
        if args.one_page:
            units.extend((lang, p.stem, [p]) for p in pages)
        else:
            units.append((lang, doc, pages))
    want = args.docs or len(units)
    for n in range(want):
        lang, name, pages = units[n % len(units)]
        variant = n // len(units) + 1
        safe = re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-")
        doc_id = f"ehri-{safe}" + (f"-v{variant}" if variant > 1 or want > len(units) else "")
        texts = ["\n".join(alto_lines(p)) for p in pages]
        path = outdir / f"{doc_id}.txt"
        path.write_text("\n\f\n".join(texts) + "\n", encoding="utf-8")
        listing.append(f"{doc_id}\t{lang}\t{path.name}")
    return listing


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", choices=["fortunes", "ehri"])
    ap.add_argument("outdir")
    ap.add_argument("--docs", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--langs", default="")
    ap.add_argument("--ru18c", default="mixed", choices=["mixed", "original", "modern", "none"])
    ap.add_argument("--one-page", action="store_true")
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    args = ap.parse_args(argv)
    if not args.langs:
        args.langs = "eng,deu,rus" if args.source == "fortunes" else "eng,deu"
    if args.source == "fortunes" and not args.docs:
        args.docs = 60
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("*.txt"):
        old.unlink()
    rng = random.Random(args.seed)
    listing = make_fortunes(args, outdir, rng) if args.source == "fortunes" else make_ehri(args, outdir, rng)
    if not listing:
        sys.exit("corpus_text: no documents")
    (outdir / "list.tsv").write_text("\n".join(listing) + "\n", encoding="utf-8")
    print(f"corpus_text: {len(listing)} documents in {outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
