"""Append-only audit log with a hash chain.

Each row stores ``prev_hash`` = the hash of the row before it (``GENESIS`` for the first row), where a
row's hash covers its own fields plus its ``prev_hash``. Editing or deleting any row breaks the chain,
which ``verify_chain`` reports. This module exposes insert and select only, never update or delete.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from datastore.schema import AuditLog

GENESIS = "0" * 64
# SQLite's deferred transactions let two threads read the same "last row" before either inserts, which
# would fork the chain; writers in this process therefore take turns.
_WRITE_LOCK = threading.Lock()


class AuditRecord(BaseModel):
    """One audit row, e.g. ``AuditRecord(id=3, at=…, actor="RM001", tool="lookthrough_portfolio",
    args_digest="9f…", result_digest="1c…", outcome="ok", prev_hash="a7…")``."""

    id: int
    at: datetime
    actor: str
    tool: str
    args_digest: str
    result_digest: str
    outcome: str
    prev_hash: str


def row_hash(
    prev_hash: str, at: datetime, actor: str, tool: str, args_digest: str, result_digest: str, outcome: str
) -> str:
    """The chain link of a row: sha256 over its fields and the previous row's link."""
    stamp = at.replace(tzinfo=None).isoformat(timespec="microseconds")
    text = "|".join([prev_hash, stamp, actor, tool, args_digest, result_digest, outcome])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _link_of(row: AuditLog) -> str:
    return row_hash(row.prev_hash, row.at, row.actor, row.tool, row.args_digest, row.result_digest, row.outcome)


def append_audit(
    engine: Engine,
    *,
    actor: str,
    tool: str,
    args_digest: str,
    result_digest: str,
    outcome: str,
    at: datetime | None = None,
) -> int:
    """Insert one row chained to the last one; returns its id.

    Reading the last row and inserting happen in one transaction under a process-wide lock, so the chain
    stays linear within a process. (Several processes writing at once could still fork it;
    ``verify_chain`` would show where.)
    """
    when = (at or datetime.now(UTC)).replace(tzinfo=None)
    with _WRITE_LOCK, Session(engine) as s, s.begin():
        last = s.execute(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).scalar_one_or_none()
        prev = _link_of(last) if last is not None else GENESIS
        row = AuditLog(
            at=when,
            actor=actor,
            tool=tool,
            args_digest=args_digest,
            result_digest=result_digest,
            outcome=outcome,
            prev_hash=prev,
        )
        s.add(row)
        s.flush()
        return int(row.id)


def list_audit(engine: Engine, *, actor: str | None = None, limit: int = 100) -> list[AuditRecord]:
    """Most recent rows first (optionally for one actor)."""
    with Session(engine) as s:
        q = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
        if actor is not None:
            q = q.where(AuditLog.actor == actor)
        return [AuditRecord.model_validate(r, from_attributes=True) for r in s.execute(q).scalars()]


def verify_chain(engine: Engine) -> int | None:
    """Id of the first row whose ``prev_hash`` does not match its predecessor, or None if intact."""
    with Session(engine) as s:
        prev = GENESIS
        for row in s.execute(select(AuditLog).order_by(AuditLog.id)).scalars():
            if row.prev_hash != prev:
                return int(row.id)
            prev = _link_of(row)
    return None
