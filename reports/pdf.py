"""Convert a generated .docx to PDF with LibreOffice (``soffice --headless --convert-to pdf``).

The machine has no system CJK font, so LibreOffice would draw Chinese as boxes. We run soffice with a
private fontconfig file that adds the font folder shipped by ``mplfonts`` and maps the Word font names
used by the base template (宋体/SimSun → Source Han Serif SC / Noto Serif CJK SC, 黑体/SimHei → SimHei)
to those files. A private LibreOffice profile per call keeps concurrent conversions apart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import ConfigurationError, WealthDeskError
from reports.charts import cjk_font_files

_ALIASES = {
    "宋体": ["Source Han Serif SC", "Noto Serif CJK SC"],
    "SimSun": ["Source Han Serif SC", "Noto Serif CJK SC"],
    "黑体": ["SimHei", "Noto Sans CJK SC"],
    "SimHei": ["SimHei", "Noto Sans CJK SC"],
}


def soffice_path() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


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
    """Convert ``docx`` to a PDF next to it; returns the PDF path.

    Raises ``ConfigurationError`` when soffice is not installed (the docx is left as is).
    """
    exe = soffice_path()
    if exe is None:
        raise ConfigurationError(
            "PDF conversion needs LibreOffice (soffice), which is not installed; the .docx was written",
            hint="apt-get install -y libreoffice-writer-nogui",
        )
    docx = docx.resolve()
    with tempfile.TemporaryDirectory(prefix="wd-soffice-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(work)), "HOME": str(work)}
        cmd = [
            exe,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ]
        try:
            proc = subprocess.run(
                cmd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise WealthDeskError(
                f"soffice did not finish converting {docx.name} within {timeout_s:.0f} s"
            ) from exc
    pdf = docx.with_suffix(".pdf")
    if proc.returncode != 0 or not pdf.is_file():
        raise WealthDeskError(
            f"soffice failed to convert {docx.name}: {(proc.stderr or proc.stdout).strip()[:300]}"
        )
    return pdf
