"""Read a document file into pages of text plus its front matter.

Supported: Markdown (.md), plain text (.txt), Word (.docx via python-docx), PDF (.pdf via pypdf).
Corpus files start with a small YAML-ish header between ``---`` lines::

    ---
    title: 个人投资者适当性管理办法
    doc_type: policy          # product | policy | faq | research
    audience: client          # client | internal
    version_date: 2026-01-01
    ---

A .docx carries the same keys in its core properties (title, category=doc_type, subject=audience) or a
header paragraph block; a PDF in its metadata (/Title, /Subject=audience, /Keywords=doc_type). A missing
title or doc_type falls back to a guess from the path (``faq/`` → faq); ``audience`` never does: who may
read a document is a decision, so a file that does not declare it is refused at ingestion
(``AUDIENCE_HINT`` tells the author how to declare it).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import InvalidInput

SUPPORTED = (".md", ".markdown", ".txt", ".docx", ".pdf")
_FRONT_RE = re.compile(r"\A\ufeff?---\s*\n(.*?)\n---\s*\n", re.S)


@dataclass
class LoadedDoc:
    """``pages`` is a list of (page number or None, text); Markdown and text are a single page."""

    path: Path
    meta: dict[str, str]
    pages: list[tuple[int | None, str]] = field(default_factory=list)


AUDIENCE_HINT = {
    ".docx": "set the Word file's Subject property (File > Info > Properties) to client or internal",
    ".pdf": "set the PDF's /Subject metadata to client or internal",
}
AUDIENCE_HINT_TEXT = "add a line `audience: client` (or `audience: internal`) to the front matter between --- lines at the top"


class UnreadableFile(InvalidInput):
    """A file that cannot be read; ingestion reports it by name and goes on."""


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``key: value`` front matter from the body. Comments after ``#`` are dropped."""
    m = _FRONT_RE.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        line = line.split(" #", 1)[0].strip()
        if ":" in line and not line.startswith("#"):
            key, value = line.split(":", 1)
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end():]


def _guess_meta(path: Path, meta: dict[str, str], first_text: str) -> dict[str, str]:
    parts = {p.lower() for p in path.parts}
    out = dict(meta)
    if "doc_type" not in out:
        out["doc_type"] = (
            "faq" if "faq" in parts else "product" if "products" in parts
            else "research" if "research" in parts else "policy"
        )
    if "title" not in out:
        heading = re.search(r"^#\s+(.+)$", first_text, re.M)
        out["title"] = heading.group(1).strip() if heading else path.stem
    out.setdefault("version_date", "")
    return out


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{path.name}: not UTF-8 or GB18030 text", field="path", hint="save it as UTF-8")


def _read_docx(path: Path) -> tuple[dict[str, str], str]:
    import docx  # python-docx

    d = docx.Document(str(path))
    lines: list[str] = []
    for para in d.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name or "").lower() if para.style is not None else ""
        level = re.search(r"heading (\d)", style)
        if style == "title":
            lines.append(f"# {text}")
        elif level:
            lines.append("#" * (int(level.group(1)) + 1) + " " + text)
        else:
            lines.append(text)
    for table in d.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    meta, body = parse_front_matter("\n".join(lines) + "\n")
    props = d.core_properties
    for key, value in (("title", props.title), ("doc_type", props.category), ("audience", props.subject)):
        if value and key not in meta:
            meta[key] = value.strip()
    return meta, body


def _read_pdf(path: Path) -> tuple[dict[str, str], list[tuple[int | None, str]]]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files are reported by us, by name
    reader = PdfReader(str(path))
    meta: dict[str, str] = {}
    info: dict[str, Any] = dict(reader.metadata or {})
    for key, pdf_key in (("title", "/Title"), ("audience", "/Subject"), ("doc_type", "/Keywords")):
        value = info.get(pdf_key)
        if value:
            meta[key] = str(value).strip()
    pages: list[tuple[int | None, str]] = [(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
    if not any(text.strip() for _, text in pages):
        raise UnreadableFile(f"{path.name}: the PDF has no text layer", field="path", hint="OCR it first")
    return meta, pages


def load(path: Path) -> LoadedDoc:
    """Read one file. Raises ``UnreadableFile`` (naming the file) for anything that cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableFile(f"{path.name}: unsupported file type {suffix!r}", field="path",
                             hint="use .md, .txt, .docx or .pdf")
    try:
        if suffix == ".docx":
            meta, body = _read_docx(path)
            pages: list[tuple[int | None, str]] = [(None, body)]
        elif suffix == ".pdf":
            meta, pages = _read_pdf(path)
        else:
            meta, body = parse_front_matter(_read_text(path))
            pages = [(None, body)]
    except UnreadableFile:
        raise
    except Exception as exc:  # corrupt zip, broken PDF xref, permission denied…
        raise UnreadableFile(f"{path.name}: {type(exc).__name__}: {exc}", field="path",
                             hint="check the file opens in its own application") from exc
    return LoadedDoc(path=path, meta=_guess_meta(path, meta, pages[0][1] if pages else ""), pages=pages)
