#!/usr/bin/env python3
"""Write the sample transcript (transcripts/bagirov-1946.txt) as a Word document, the test data of
the .docx reader and writer: tests/fixtures/bagirov-1946/bagirov-1946.docx.

LibreOffice (Debian libreoffice-writer-nogui) converts the text, a paragraph per line; then a few
runs are split the way Word splits them when an editor formats a word, so that corrections land
across runs: «Батиров» in bold, «часно» of «еже часно» in italics (its correction crosses two
runs), and a bookmark between them. Run from the repository root:

    python3 tools/sample_docx.py
"""

import os
import shutil
import subprocess
import tempfile
import zipfile

SOURCE = "transcripts/bagirov-1946.txt"
OUT = "tests/fixtures/bagirov-1946/bagirov-1946.docx"


def split(xml, before, word, props):
    """Put `word` (right after `before` in one w:t) into a run of its own with `props`."""
    at = xml.index(before + word)
    t_start = xml.rindex("<w:t", 0, at)
    run_start = xml.rindex("<w:r>", 0, at)
    run_props = xml[xml.index("<w:rPr>", run_start) : xml.index("</w:rPr>", run_start) + len("</w:rPr>")]
    cut = at + len(before)
    after = cut + len(word)
    t_open_end = xml.index(">", t_start) + 1
    # The text before now ends in a space, which Word keeps only under xml:space="preserve".
    head = xml[:t_start] + '<w:t xml:space="preserve">' + xml[t_open_end:cut] + "</w:t></w:r>"
    middle = f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{word}</w:t></w:r>'
    tail = f'<w:r>{run_props}<w:t xml:space="preserve">' + xml[after:]
    assert t_start < at
    return head + middle + tail


def main():
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(SOURCE, tmp)
        subprocess.run(
            [
                "soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                "--infilter=Text (encoded):UTF8,LF,,,", "--convert-to", "docx:MS Word 2007 XML",
                "--outdir", tmp, os.path.join(tmp, os.path.basename(SOURCE)),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        made = os.path.join(tmp, "bagirov-1946.docx")
        with zipfile.ZipFile(made) as z:
            entries = [(i, z.read(i.filename)) for i in z.infolist()]
        out = []
        for info, data in entries:
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml = split(xml, "Товарищ ", "Батиров", "<w:b/>")
                xml = split(xml, "еже ", "часно", "<w:i/>")
                xml = xml.replace(
                    "<w:t xml:space=\"preserve\">часно</w:t></w:r>",
                    '<w:t xml:space="preserve">часно</w:t></w:r><w:bookmarkStart w:id="0" w:name="hourly"/>'
                    '<w:bookmarkEnd w:id="0"/>',
                    1,
                )
                data = xml.encode("utf-8")
            out.append((info, data))
        with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in out:
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)


if __name__ == "__main__":
    main()
