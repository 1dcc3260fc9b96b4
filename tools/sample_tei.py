#!/usr/bin/env python3
"""Write the sample transcript (transcripts/bagirov-1946.txt) as a TEI P5 edition, the test data
of the TEI reader and writer: tests/fixtures/bagirov-1946/bagirov-1946.tei.xml.

The text is the published transcription word for word (its 24 known errors included); the
citation goes into the header, the Russian text into <body> with a <pb n facs> per scan page, an
<fw> per folio or page number, <lb/> where a typewriter line of 62 columns would end, one word
hyphenated across a line (<lb break="no"/>), an abbreviation as <choice><abbr>/<expan>, a
spelling as <choice><orig>/<reg>, and an editorial <note>; the English translation follows as a
<div type="translation">. Run from the repository root:

    python3 tools/sample_tei.py
"""

import re
from xml.sax.saxutils import escape

SOURCE = "transcripts/bagirov-1946.txt"
OUT = "tests/fixtures/bagirov-1946/bagirov-1946.tei.xml"
# Where each scan page starts in the transcript: the page's first line.
PAGE_STARTS = {"1.89,112": 1, "142 2.": 2, "143": 3, "1444.": 4, "145 5.": 5}
WIDTH = 62


def lines_of(paragraph):
    """The words of a paragraph wrapped at WIDTH columns, as a typewriter would."""
    out, line = [], ""
    for word in paragraph.split():
        if line and len(line) + 1 + len(word) > WIDTH:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return out


def inline(text, state):
    """Escape a line and mark it up: the abbreviation, the spelling and the note, once each."""
    t = escape(text)
    if not state.get("abbr") and "т.д." in t:
        t = t.replace("т.д.", "<choice><abbr>т.д.</abbr><expan>так далее</expan></choice>", 1)
        state["abbr"] = True
    if not state.get("orig") and "шифротелеграммой" in t:
        t = t.replace(
            "шифротелеграммой", "<choice><orig>шифротелеграммой</orig><reg>шифровой телеграммой</reg></choice>", 1
        )
        state["orig"] = True
    if not state.get("note") and "Тавриза:" in t:
        t = t.replace("Тавриза:", 'Тавриза:<note type="editorial">Тавриз: Тебриз, Иранский Азербайджан.</note>', 1)
        state["note"] = True
    if not state.get("hyphen") and "демократической" in t:
        t = t.replace("демократической", 'демокра<lb break="no"/>\n          тической', 1)
        state["hyphen"] = True
    return t


def main():
    text = open(SOURCE, encoding="utf-8").read()
    start = text.index("1.89,112")
    end = text.index("CC VCP(b) to Cde. Stalin")
    header = " ".join(text[text.index('"Message from'):text.index("<https://")].split())
    russian = [p.strip() for p in re.split(r"\n\s*\n", text[start:end]) if p.strip()]
    english = [p.strip() for p in re.split(r"\n\s*\n", text[end:]) if p.strip()]

    state = {}
    body = []
    for p in russian:
        if p in PAGE_STARTS:
            n = PAGE_STARTS[p]
            # The scans, relative to the fixture: `check` finds them with no scans given.
            body.append(f'        <pb n="{n}" facs="../../../scans/bagirov-1946/page-{n}.png"/>')
        if re.fullmatch(r"[\d.,\s]+", p) and len(p) < 12:
            body.append(f'        <fw type="folio">{escape(p)}</fw>')
            continue
        ls = lines_of(p)
        marked = [inline(l, state) for l in ls]
        joined = "<lb/>\n          ".join(marked)
        body.append(f"        <p>\n          {joined}\n        </p>")
    translation = "\n".join(f"          <p>{escape(' '.join(p.split()))}</p>" for p in english)

    tei = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="ru">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Message from Bagirov to Stalin with Reply of the Azerbaijani Democrats</title>
      </titleStmt>
      <publicationStmt>
        <p>Test data of scanproof, made by tools/sample_tei.py from the published transcription.</p>
      </publicationStmt>
      <sourceDesc>
        <bibl>{escape(header)}</bibl>
      </sourceDesc>
    </fileDesc>
    <revisionDesc>
      <change when="2024-05-01" who="#scanproof">Converted from the web transcription.</change>
    </revisionDesc>
  </teiHeader>
  <text>
    <body>
      <div type="original" xml:lang="ru">
{chr(10).join(body)}
      </div>
      <div type="translation" xml:lang="en">
{translation}
      </div>
    </body>
  </text>
</TEI>
"""
    for key in ("abbr", "orig", "note", "hyphen"):
        assert state.get(key), f"no place for the {key}"
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(tei)


if __name__ == "__main__":
    main()
