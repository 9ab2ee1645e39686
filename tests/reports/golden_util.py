"""Golden files for the normalized docx view (``reports.render.outline``), through ``tests.golden``:
a missing or different golden fails; ``pytest --update-golden`` (or ``UPDATE_GOLDEN=1``) rewrites them."""

from __future__ import annotations

from pathlib import Path

from reports.render import outline
from tests.golden import check_text

GOLDEN = Path(__file__).with_name("golden")


def check_golden(docx: Path, name: str) -> None:
    """Compare the docx's outline with ``golden/<name>.txt``."""
    check_text(GOLDEN / f"{name}.txt", "\n".join(outline(docx)) + "\n")
