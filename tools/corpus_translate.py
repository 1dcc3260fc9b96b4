#!/usr/bin/env python3
"""Give a share of a rendered corpus's pages a translation after their text, as published
transcriptions often have one (the sample has an English translation after the Russian), so
that `scanproof train` learns the translation's evidence instead of keeping it hand-set.

    tools/corpus_translate.py CORPUS [--share 0.5] [--seed 1]

No translation engine is at hand, and the checker reads only a translation's names and
numbers, paragraph by paragraph (`src/witness`). So each translated paragraph is text of the
target language (words of the corpus's own pages in that language, in a seeded order) about
as long as the original paragraph, carrying in order what a translator carries over: its
numbers, its names (capitalized inside a sentence) and its words outside the dictionary,
transliterated (Russian into English or German spellings, Latin into Russian). One carried
word in ten is rendered a little otherwise (a vowel), as translators' spellings vary.

Originals in rus get an English translation; eng and deu ones a Russian one (the checker finds
a translation inside the transcript by its other script). Each page's truth (ID_NN.txt) gets
a heading and the translated paragraphs after its text, and its JSON the code-point span of
that part (`"translation": [start, end]`), which `eval` and `train` never inject errors into.
Pages are chosen by document, so all pages of a document have a translation or none. Running
it again on a translated corpus does nothing.
"""

import argparse
import bisect
import json
import random
import re
import sys
from pathlib import Path

TARGET = {"rus": "eng", "eng": "rus", "deu": "rus"}
HEADING = {"eng": "Translation", "rus": "Перевод"}
HUNSPELL = {"rus": "ru_RU", "eng": "en_US", "deu": "de_DE"}

# Cyrillic to Latin: English (BGN/PCGN without marks) and German renderings.
CYR_EN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                  ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                   "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                   "yu", "ya"]))
CYR_DE = dict(CYR_EN, **{"в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch",
                         "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja", "ё": "jo"})
# Latin to Cyrillic, longest first.
LAT_RU = [("shch", "щ"), ("sch", "ш"), ("tsch", "ч"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"),
          ("kh", "х"), ("th", "т"), ("ph", "ф"), ("ts", "ц"), ("ck", "к"), ("qu", "кв"), ("ee", "и"),
          ("oo", "у"), ("ei", "ай"), ("ie", "и"), ("eu", "ой"), ("ya", "я"), ("yu", "ю"), ("yo", "ё"),
          ("ß", "сс"), ("ä", "э"), ("ö", "ё"), ("ü", "ю"), ("a", "а"), ("b", "б"), ("c", "к"),
          ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "дж"),
          ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"),
          ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"),
          ("y", "и"), ("z", "з")]
VOWELS = {"eng": "aeiou", "rus": "аеиоу"}
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|\d+(?:[.,:/]\d+)*")


def to_latin(word, table):
    return "".join(table.get(c, c) for c in word.lower())


def to_cyrillic(word):
    w, out, i = word.lower(), [], 0
    while i < len(w):
        for lat, cyr in LAT_RU:
            if w.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(w[i])
            i += 1
    return "".join(out)


def shape(form, like):
    """The transliteration cased as a translator writes it: a name capitalized, a word not."""
    return form[:1].upper() + form[1:] if like[:1].isupper() else form


class Dictionary:
    """The stems of a hunspell dictionary, without its affix rules: enough to tell the words a
    translator would carry over untranslated."""

    def __init__(self, lang):
        base = Path("/usr/share/hunspell") / HUNSPELL[lang]
        aff, dic = base.with_suffix(".aff"), base.with_suffix(".dic")
        if not dic.exists():
            sys.exit(f"corpus_translate: {dic} is missing (apt-get install hunspell-*)")
        enc = "utf-8"
        for line in aff.read_bytes().decode("latin-1").splitlines():
            if line.startswith("SET "):
                enc = line.split()[1]
        lines = dic.read_bytes().decode(enc, errors="replace").splitlines()[1:]
        self.stems = sorted({l.split("/")[0].strip().lower() for l in lines if l.strip()})

    def known(self, word):
        """A stem, a stem and an ending of up to three letters, or the start of a stem less
        such an ending (Russian lemmas)."""
        w = word.lower()
        if self.has(w):
            return True
        for k in range(1, 4):
            p = w[:len(w) - k]
            if len(p) >= 3 and self.has(p) or len(p) >= 4 and self.starts(p):
                return True
        return False

    def has(self, p):
        i = bisect.bisect_left(self.stems, p)
        return i < len(self.stems) and self.stems[i] == p

    def starts(self, p):
        i = bisect.bisect_left(self.stems, p)
        return i < len(self.stems) and self.stems[i].startswith(p)


def carried(paragraph, source, dictionary):
    """What a translator carries over from a paragraph, in order: numbers, names, unknown words.
    German capitalizes every noun, so there a name is a capitalized word the dictionary lacks."""
    text = re.sub(r"-\n", "", paragraph)
    out = []
    for m in WORD.finditer(text):
        w = m.group(0)
        before = text[:m.start()].rstrip()
        start = not before or before[-1] in ".!?:\"«"
        if any(c.isdigit() for c in w):
            if w.isdigit() or re.fullmatch(r"\d+(?:[.,:/]\d+)*", w):
                out.append((w, True))
        elif len(w) >= 3 and w[0].isupper() and not start and source != "deu" and not (w.isupper() and len(w) <= 3):
            out.append((w, False))
        elif len(w) >= 5 and not dictionary.known(w):
            out.append((w, False))
    return out


def translate_word(word, is_number, source, rng):
    if is_number:
        return word
    if source == "rus":
        table = CYR_DE if rng.random() < 0.2 else CYR_EN
        form, vowels = to_latin(word, table), VOWELS["eng"]
    else:
        form, vowels = to_cyrillic(word), VOWELS["rus"]
    if rng.random() < 0.1:
        spots = [i for i, c in enumerate(form) if c in vowels]
        if spots:
            i = rng.choice(spots)
            form = form[:i] + rng.choice([v for v in vowels if v != form[i]]) + form[i + 1:]
    return shape(form, word)


def translated_paragraph(paragraph, source, dictionary, pool, rng):
    words = WORD.findall(paragraph)
    carry = carried(paragraph, source, dictionary)
    n = max(3, round(len(words) * rng.uniform(0.9, 1.25)))
    at = rng.randrange(len(pool))
    filler = [pool[(at + k) % len(pool)] for k in range(n)]
    for j, (w, is_number) in enumerate(carry):
        filler.insert(min(len(filler), round((j + 0.5) * len(filler) / max(1, len(carry)))),
                      translate_word(w, is_number, source, rng))
    sentence = " ".join(filler)
    return sentence[:1].upper() + sentence[1:] + "."


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--share", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    pages = {}
    for js in sorted(args.corpus.glob("*.json")):
        meta = json.loads(js.read_text())
        txt = js.with_suffix(".txt")
        if "lang" in meta and "document" in meta and txt.exists():
            pages.setdefault(meta["document"], []).append((js, txt, meta))
    if not pages:
        sys.exit(f"corpus_translate: no rendered pages (ID_NN.json and .txt) in {args.corpus}")
    if any("translation" in m for ps in pages.values() for _, _, m in ps):
        print(f"corpus_translate: {args.corpus} is translated already", file=sys.stderr)
        return
    # Filler words of each target language: the corpus's own pages in it.
    pools = {}
    for ps in pages.values():
        for _, txt, meta in ps:
            pools.setdefault(meta["lang"], []).extend(
                w for w in WORD.findall(txt.read_text()) if not any(c.isdigit() for c in w) and len(w) > 1)
    pools = {lang: [w.lower() for w in words] for lang, words in pools.items()}
    rng = random.Random(args.seed)
    dictionaries, done = {}, 0
    for doc in sorted(pages):
        source = pages[doc][0][2]["lang"]
        target = TARGET.get(source)
        if not target or not pools.get(target) or rng.random() >= args.share:
            continue
        pool = pools[target]
        dictionary = dictionaries.setdefault(source, Dictionary(source))
        for js, txt, meta in pages[doc]:
            text = txt.read_text().rstrip("\n")
            paragraphs = [p for p in re.split(r"\n\s*\n", text) if any(c.isalpha() for c in p)]
            out = [translated_paragraph(p, source, dictionary, pool, rng) for p in paragraphs]
            head = text + "\n\n"
            full = head + HEADING[target] + "\n\n" + "\n\n".join(out) + "\n"
            txt.write_text(full)
            meta["translation"] = [len(head), len(full)]
            meta["translation_lang"] = target
            js.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
            done += 1
    print(f"corpus_translate: {done} pages of {args.corpus} have a translation", file=sys.stderr)


if __name__ == "__main__":
    main()
