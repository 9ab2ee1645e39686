"""Registry of knowledge documents (``kb_documents``): who ingested which version, and who approved it.

The vector store decides what is served (its chunks carry the approval flag); this table is the bank's
record of it, one row per (store, source), rewritten when a new version is ingested (which resets the
approval: a changed file needs a new review).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, delete, insert, select, update

from datastore.schema import KbDocument


class KbDocRecord(BaseModel):
    source: str
    store: str
    title: str
    audience: str
    doc_type: str
    file_hash: str
    path: str
    ingested_by: str
    ingested_at: datetime
    status: str  # pending | approved | internal | removed
    approved_hash: str | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    screen_hits: list[str] | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record_ingest(engine: Engine, store: str, docs: Iterable[Any], *, by: str) -> int:
    """Upsert one row per ingested document (objects with source, path, title, audience, doc_type,
    sha256, approved, blocked — ``knowledge.ingest.IngestedDoc``); returns the number written."""
    now, n = _now(), 0
    with engine.begin() as conn:
        for d in docs:
            conn.execute(delete(KbDocument).where(KbDocument.store == store, KbDocument.source == d.source))
            approved = bool(d.approved)
            conn.execute(insert(KbDocument).values(
                source=d.source, store=store, title=d.title[:256], audience=d.audience, doc_type=d.doc_type,
                file_hash=d.sha256, path=d.path[:1024], ingested_by=by[:32], ingested_at=now,
                status=d.status, approved_hash=d.sha256 if approved else None,
                approved_by=by[:32] if approved else None, approved_at=now if approved else None,
                screen_hits=list(d.blocked) or None,
            ))
            n += 1
    return n


def record_removed(engine: Engine, store: str, sources: Iterable[str]) -> None:
    with engine.begin() as conn:
        for s in sources:
            conn.execute(update(KbDocument).where(KbDocument.store == store, KbDocument.source == s)
                         .values(status="removed"))


def record_approval(engine: Engine, store: str, source: str, file_hash: str, *, by: str) -> None:
    """Mark ``source`` approved at ``file_hash`` (a row is created if the document predates the registry)."""
    now = _now()
    with engine.begin() as conn:
        found = conn.execute(update(KbDocument).where(KbDocument.store == store, KbDocument.source == source)
                             .values(status="approved", approved_hash=file_hash, approved_by=by[:32],
                                     approved_at=now)).rowcount
        if not found:
            conn.execute(insert(KbDocument).values(
                source=source, store=store, title=source[-256:], audience="client", doc_type="", file_hash=file_hash,
                path="", ingested_by="unknown", ingested_at=now, status="approved", approved_hash=file_hash,
                approved_by=by[:32], approved_at=now))


def list_kb_documents(engine: Engine, store: str | None = None, *, status: str | None = None) -> list[KbDocRecord]:
    q = select(KbDocument).order_by(KbDocument.store, KbDocument.source)
    if store is not None:
        q = q.where(KbDocument.store == store)
    if status is not None:
        q = q.where(KbDocument.status == status)
    with engine.connect() as conn:
        return [KbDocRecord.model_validate(dict(r._mapping)) for r in conn.execute(q)]
