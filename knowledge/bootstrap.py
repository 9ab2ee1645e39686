"""Knowledge-base setup for ``wealthdesk init``: ingest the corpus directory into the store (idempotent)."""

from __future__ import annotations

import sys
from typing import Any

from core.errors import InvalidInput

# The committed corpus (WEALTHDESK_CORPUS_DIR) is the bank's own reviewed seed corpus: `wealthdesk init`
# approves its client-audience documents as it ingests them. Anything added later with `kb ingest`
# waits for `wealthdesk kb approve`.
SEED_ACTOR = "init:seed-corpus"


def init_knowledge(settings: Any, *, progress: bool | None = None, report_out: list[Any] | None = None) -> dict[str, Any]:
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
    report = ingest_paths([corpus], store_dir=settings.resolved_store_dir, settings=settings, progress=progress,
                          ingested_by=SEED_ACTOR, approved_by=SEED_ACTOR)
    if report_out is not None:  # the CLI records the registry rows from the full report
        report_out.append(report)
    return report.as_dict()
