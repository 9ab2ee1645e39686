"""Convert a generated .docx to PDF with LibreOffice (``soffice --headless --convert-to pdf``).

The machine has no system CJK font, so LibreOffice would draw Chinese as boxes. We run soffice with a
private fontconfig file that adds the font folder shipped by ``mplfonts`` and maps the Word font names
used by the base template (宋体/SimSun → Source Han Serif SC / Noto Serif CJK SC, 黑体/SimHei → SimHei)
to those files. A private LibreOffice profile per call keeps concurrent conversions apart.

A headless ``--convert-to`` never updates fields, so the table of contents would have no page numbers.
When a system Python with LibreOffice's UNO bridge is available (Debian: python3-uno), the conversion runs
``reports/pdf_uno.py`` instead, which updates every index and field before exporting. Without it we fall
back to ``--convert-to`` and log a warning saying what to install.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from core.errors import ConfigurationError, WealthDeskError
from reports.charts import cjk_font_files

log = logging.getLogger(__name__)
UNO_SCRIPT = Path(__file__).with_name("pdf_uno.py")
# LibreOffice's own interpreter (upstream builds) first, then Debian's python3 with python3-uno
_UNO_PYTHONS = ("/usr/lib/libreoffice/program/python", "/opt/libreoffice/program/python", "/usr/bin/python3")

_ALIASES = {
    "宋体": ["Source Han Serif SC", "Noto Serif CJK SC"],
    "SimSun": ["Source Han Serif SC", "Noto Serif CJK SC"],
    "黑体": ["SimHei", "Noto Sans CJK SC"],
    "SimHei": ["SimHei", "Noto Sans CJK SC"],
}


def soffice_path() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python interpreter that can ``import uno`` (needed to update the TOC), or None."""
    for exe in (*_UNO_PYTHONS, shutil.which("python3")):
        if exe and Path(exe).is_file():
            try:
                ok = subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=20, check=False)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if ok.returncode == 0:
                return exe
    return None


def fontconfig_file(workdir: Path) -> Path:
    """Write a fonts.conf that includes the system config plus the mplfonts CJK fonts and aliases."""
    font_dir = next(iter(cjk_font_files().values())).parent
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer>"
        + "".join(f"<family>{p}</family>" for p in prefer)
        + "</prefer></alias>"
        for name, prefer in _ALIASES.items()
    )
    conf = workdir / "fonts.conf"
    conf.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"<dir>{font_dir}</dir><cachedir>{workdir / 'fc-cache'}</cachedir>{aliases}</fontconfig>",
        encoding="utf-8",
    )
    return conf


def to_pdf(docx: Path, *, timeout_s: float = 180.0) -> Path:
    """Convert ``docx`` to a PDF next to it, with the table of contents' page numbers filled in when
    python3-uno is available; returns the PDF path.

    Raises ``ConfigurationError`` when soffice is not installed (the docx is left as is), and
    ``WealthDeskError`` when soffice fails or takes longer than ``timeout_s``.
    """
    exe = soffice_path()
    if exe is None:
        raise ConfigurationError(
            "PDF conversion needs LibreOffice (soffice), which is not installed; the .docx was written",
            hint="apt-get install -y libreoffice-writer-nogui python3-uno fonts-noto-cjk",
        )
    docx = docx.resolve()
    pdf = docx.with_suffix(".pdf")
    py = uno_python()
    if py is None:
        log.warning("python3-uno is not installed: the PDF's table of contents has no page numbers "
                    "(apt-get install -y python3-uno)")
    with tempfile.TemporaryDirectory(prefix="wd-soffice-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(work)), "HOME": str(work)}
        profile = work / "profile"
        if py is not None:
            cmd = [py, str(UNO_SCRIPT), exe, str(profile), str(docx), str(pdf), str(timeout_s)]
        else:
            cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(docx.parent), str(docx)]
        proc = _run(cmd, env, timeout_s, docx.name)
    if proc.returncode != 0 or not pdf.is_file():
        raise WealthDeskError(
            f"soffice failed to convert {docx.name}: {(proc.stderr or proc.stdout).strip()[-300:]}"
        )
    return pdf


def _run(cmd: list[str], env: dict[str, str], timeout_s: float, name: str) -> subprocess.CompletedProcess:
    """Run ``cmd`` in its own process group so a timeout also ends the soffice it started."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise WealthDeskError(f"soffice did not finish converting {name} within {timeout_s:.0f} s") from exc
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
