"""Golden files for the normalized docx view (``reports.render.outline``); ``UPDATE_GOLDEN=1`` rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

from reports.render import outline

GOLDEN = Path(__file__).with_name("golden")


def check_golden(docx: Path, name: str) -> None:
    """Compare the docx's outline with ``golden/<name>.txt`` (write it when UPDATE_GOLDEN=1 or absent)."""
    lines = outline(docx)
    path = GOLDEN / f"{name}.txt"
    text = "\n".join(lines) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"missing golden {path.name}: run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8").splitlines()
    diff = [
        f"line {i + 1}:\n  golden: {e}\n  actual: {a}"
        for i, (e, a) in enumerate(zip(expected, lines, strict=False))
        if e != a
    ]
    assert not diff and len(expected) == len(lines), (
        f"{name}: docx differs from golden ({len(diff)} changed lines, {len(expected)} vs {len(lines)} lines); "
        "if intended, rerun with UPDATE_GOLDEN=1\n" + "\n".join(diff[:10])
    )
