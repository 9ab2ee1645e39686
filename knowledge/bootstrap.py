"""Knowledge-base setup for ``wealthdesk init``: ingest the corpus directory into the store (idempotent)."""

from __future__ import annotations

import sys
from typing import Any

from core.errors import InvalidInput


def init_knowledge(settings: Any, *, progress: bool | None = None) -> dict[str, Any]:
    """Ingest ``settings.corpus_dir`` into ``settings.resolved_store_dir``.

    Returns ``{"added": files, "unchanged": files, "removed": files, "failed": [names], "chunks": n}``;
    a second run on an unchanged corpus returns ``added == 0``. A progress bar shows on a terminal.
    """
    from knowledge.ingest import ingest_paths

    corpus = settings.corpus_dir
    if not corpus.is_dir():
        raise InvalidInput(f"corpus directory {str(corpus)!r} does not exist", field="WEALTHDESK_CORPUS_DIR",
                           hint="point it at the sample corpus, e.g. data/corpus")
    if progress is None:
        progress = sys.stderr.isatty()
    report = ingest_paths([corpus], store_dir=settings.resolved_store_dir, settings=settings, progress=progress)
    return report.as_dict()
