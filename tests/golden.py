"""The one golden-file mechanism of the test suite: compare, never rewrite by accident.

A golden file is updated only on purpose, with ``pytest --update-golden`` (option defined in
``tests/conftest.py``) or ``UPDATE_GOLDEN=1``; review the diff before committing. Without either, a missing
golden file fails with a message saying how to create it, and a different one fails with the first
changed lines.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# set by tests/conftest.py from --update-golden; the environment variable works without it
UPDATE = False

HOW = "create or update it on purpose with `pytest --update-golden` (or UPDATE_GOLDEN=1), then review the diff"


def updating() -> bool:
    return UPDATE or os.environ.get("UPDATE_GOLDEN") == "1"


def check_text(path: Path, text: str) -> None:
    """Assert ``text`` equals the golden file ``path`` (written instead, in update mode)."""
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"missing golden file {path}: {HOW}", pytrace=False)
    expected = path.read_text(encoding="utf-8").splitlines()
    actual = text.splitlines()
    diff = [
        f"line {i + 1}:\n  golden: {e}\n  actual: {a}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=False))
        if e != a
    ]
    if diff or len(expected) != len(actual) or path.read_text(encoding="utf-8") != text:
        pytest.fail(
            f"{path.name} differs from its golden file ({len(diff)} changed lines, {len(expected)} golden vs "
            f"{len(actual)} actual lines); if intended, {HOW}\n" + "\n".join(diff[:10]),
            pytrace=False,
        )
