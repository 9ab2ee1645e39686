"""Convert one .docx to PDF through LibreOffice's UNO API, updating every index and field first.

``soffice --convert-to pdf`` exports the document as loaded, and a headless LibreOffice never refreshes a
table-of-contents field, so the TOC would keep the cached text without page numbers. This script is run
by ``reports.pdf`` with a *system* Python that can ``import uno`` (Debian: python3-uno), not with the
project's venv, so it imports nothing from WealthDesk. It starts its own soffice on a private pipe and
profile, updates all indexes twice (the first update can move headings to other pages), refreshes the
text fields, exports, and shuts soffice down.

Usage: python3 pdf_uno.py SOFFICE PROFILE_DIR IN.docx OUT.pdf START_TIMEOUT_S
Exit status 0 on success; otherwise a one-line reason on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]  # system python3-uno, see the module docstring
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(pipe: str, proc: subprocess.Popen, timeout_s: float):  # noqa: ANN202 - a UNO context
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException as exc:
            if proc.poll() is not None:
                raise SystemExit(f"soffice exited with status {proc.returncode} before accepting a connection") from exc
            if time.monotonic() > deadline:
                raise SystemExit(f"soffice did not accept a connection within {timeout_s:.0f} s") from exc
            time.sleep(0.1)


def convert(soffice: str, profile: str, src: str, dst: str, start_timeout_s: float) -> None:
    pipe = f"wealthdesk_pdf_{os.getpid()}"
    proc = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ctx = _connect(pipe, proc, start_timeout_s)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (_prop("Hidden", True),))
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {src}")
        indexes = doc.getDocumentIndexes()
        for _ in range(2):
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.getTextFields().refresh()
        doc.storeToURL(uno.systemPathToFileUrl(dst), (_prop("FilterName", "writer_pdf_Export"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001, S110 - the bridge drops while soffice exits; that is the goal
            pass
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    soffice_exe, profile_dir, src_path, dst_path, timeout = sys.argv[1:6]
    convert(soffice_exe, profile_dir, src_path, dst_path, float(timeout))
