"""Load prompt and answer templates from ``prompts/<lang>/<name>.md``.

``load("system", "zh")`` → the file text. ``sections("answer_messages", "en")`` splits a file on
``## key`` headings → ``{"clarify_client": "Which client …", …}`` (text trimmed).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from core.errors import InvalidInput, NotFound

ROOT = Path(__file__).resolve().parent
LANGS = ("zh", "en")


@lru_cache(maxsize=256)
def load(name: str, lang: str = "zh") -> str:
    """The template ``prompts/<lang>/<name>.md`` as text (cached; files are read-only at run time)."""
    if lang not in LANGS:
        raise InvalidInput(f"unsupported language {lang!r}", field="lang", hint="use zh or en")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise InvalidInput(f"bad template name {name!r}", field="name", hint="lower-case letters, digits, _")
    path = ROOT / lang / f"{name}.md"
    if not path.is_file():
        raise NotFound(f"no prompt template {name!r} for language {lang!r}", field="name")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=64)
def sections(name: str, lang: str = "zh") -> dict[str, str]:
    """``## key`` → body for a template file made of sections."""
    out: dict[str, str] = {}
    key: str | None = None
    lines: list[str] = []
    for line in load(name, lang).splitlines():
        m = re.match(r"^##\s+(\w+)\s*$", line)
        if m:
            if key is not None:
                out[key] = "\n".join(lines).strip()
            key, lines = m.group(1), []
        elif key is not None:
            lines.append(line)
    if key is not None:
        out[key] = "\n".join(lines).strip()
    return out
