"""Chinese-aware chunking that keeps structure labels with their text.

Boundaries, in order of strength: Markdown headings (and 第X章/第X节 lines), clause starts (第X条),
numbered FAQ questions (``Q12:`` / ``### Q12 …`` / ``问12：``; the question and its answer form one
chunk), then blank-line paragraphs grouped up to ``max_chars``. A unit longer than ``max_chars`` is split
at sentence ends (。！？；) and each part keeps its label, so a citation still points at the right clause.

>>> [(c.section, c.text[:8]) for c in chunk_text("## 第一章 总则\\n第一条 为规范……\\n第二条 本办法……")]
[('第一条', '第一条 为规范……'), ('第二条', '第二条 本办法……')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 600  # multilingual-e5-small reads 512 tokens; one CJK char is about one token

_CN_NUM = "零〇一二三四五六七八九十百千两0-9"
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_CHAPTER_RE = re.compile(rf"^\s*(第[{_CN_NUM}]+[章节编])\s*(.*)$")
_CLAUSE_RE = re.compile(rf"^\s*(?:\*\*)?(第[{_CN_NUM}]+条)(?:\*\*)?[\s　:：]*")
_FAQ_RE = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?(?:Q|问)\s*(\d{1,4})(?:\*\*)?\s*[:：.、\s]\s*", re.I)
_SENT_RE = re.compile(r"(?<=[。！？；!?;])|\n")


@dataclass
class RawChunk:
    text: str
    section: str  # 第五条 | Q12 | heading text | ""
    heading: str  # enclosing heading path, " / "-joined
    page: int | None = None


def _split_long(text: str, max_chars: int) -> list[str]:
    if len(text) <= max_chars:
        return [text]
    parts: list[str] = []
    current = ""
    for sentence in (s for s in _SENT_RE.split(text) if s):
        if current and len(current) + len(sentence) > max_chars:
            parts.append(current.strip())
            current = ""
        while len(sentence) > max_chars:  # one run-on sentence: hard cut
            parts.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        current += sentence
    if current.strip():
        parts.append(current.strip())
    return parts


def chunk_text(text: str, *, page: int | None = None, max_chars: int = MAX_CHARS) -> list[RawChunk]:
    """Cut one page of text into labelled chunks (see the module docstring for the rules)."""
    headings: dict[int, str] = {}
    units: list[RawChunk] = []
    buf: list[str] = []
    label = ""
    kind = "para"  # para | clause | faq | heading

    def heading_path() -> str:
        return " / ".join(headings[k] for k in sorted(headings))

    def flush() -> None:
        nonlocal buf, label, kind
        body = "\n".join(buf).strip()
        if body and not (kind == "heading" and body == label):
            units.append(RawChunk(body, label, heading_path(), page))
        buf, label, kind = [], "", "para"

    for line in text.splitlines():
        stripped = line.strip()
        h = _HEADING_RE.match(stripped)
        faq = _FAQ_RE.match(stripped)
        if h and not faq:
            flush()
            level, title = len(h.group(1)), h.group(2).strip()
            if level == 1:
                continue  # the document title: already in metadata
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = title
            clause = _CLAUSE_RE.match(title)
            label, kind = (clause.group(1), "clause") if clause else (title, "heading")
            buf = [title]
            continue
        chap = _CHAPTER_RE.match(stripped)
        if chap and len(stripped) <= 30:
            flush()
            headings = {k: v for k, v in headings.items() if k < 2}
            headings[2] = stripped
            continue
        clause = _CLAUSE_RE.match(stripped)
        if clause or faq:
            flush()
            label = clause.group(1) if clause else f"Q{faq.group(1)}"  # type: ignore[union-attr]
            kind = "clause" if clause else "faq"
            buf = [re.sub(r"^#+\s*", "", stripped)]
            continue
        if not stripped:
            # A blank line ends a free paragraph group only when it is already long enough.
            if kind == "para" and sum(len(b) for b in buf) >= max_chars * 0.6:
                flush()
            elif buf:
                buf.append("")
            continue
        if kind == "para" and sum(len(b) for b in buf) + len(stripped) > max_chars:
            flush()
        buf.append(stripped)
    flush()

    out: list[RawChunk] = []
    for unit in units:
        pieces = _split_long(unit.text, max_chars)
        for i, piece in enumerate(pieces):
            text = piece if i == 0 or not unit.section else f"{unit.section}（续）{piece}"
            out.append(RawChunk(re.sub(r"\n{3,}", "\n\n", text), unit.section, unit.heading, unit.page))
    return out
