#!/usr/bin/python3
"""What LibreOffice makes of a Word document's tracked changes (for tests/docx_apply.rs).

    libreoffice_changes.py DOCUMENT.docx  ->  JSON on stdout:
    {"changes": [{"type": "Delete"|"Insert", "author": ..., "text": ...}, ...],
     "accepted": the document's text with every change accepted (paragraphs joined by "\n")}

It starts a headless soffice of its own (a fresh profile in a temporary folder, a pipe named
after this process, so parallel runs do not meet), opens the document hidden, reads the change
marks paragraph by paragraph, accepts all changes through LibreOffice's own command and reads the
text, then stops soffice. Needs Debian's libreoffice-writer-nogui and python3-uno.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(path):
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    pipe = f"scanproof_lo_{os.getpid()}"
    with tempfile.TemporaryDirectory() as profile:
        office = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
             f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
            ctx = None
            for _ in range(600):
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:
                    time.sleep(0.1)
            if ctx is None:
                raise SystemExit("soffice did not start")
            smgr = ctx.ServiceManager
            desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            changes, current = [], None
            paragraphs = doc.getText().createEnumeration()
            while paragraphs.hasMoreElements():
                par = paragraphs.nextElement()
                if not par.supportsService("com.sun.star.text.Paragraph"):
                    continue
                portions = par.createEnumeration()
                while portions.hasMoreElements():
                    portion = portions.nextElement()
                    if portion.TextPortionType == "Redline":
                        if portion.IsStart:
                            current = {"type": portion.RedlineType, "author": portion.RedlineAuthor, "text": ""}
                            changes.append(current)
                        else:
                            current = None
                    elif current is not None:
                        current["text"] += portion.getString()
            dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
            frame = doc.getCurrentController().getFrame()
            dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
            accepted = doc.getText().getString().replace("\r\n", "\n")
            doc.close(True)
            json.dump({"changes": changes, "accepted": accepted}, sys.stdout, ensure_ascii=False)
        finally:
            try:
                desktop.terminate()
            except Exception:
                pass
            try:
                office.wait(timeout=20)
            except subprocess.TimeoutExpired:
                office.kill()


if __name__ == "__main__":
    main(sys.argv[1])
