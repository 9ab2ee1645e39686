"""Append-only audit log: an HMAC-SHA256 chain with signed checkpoints, written in one order.

Each row stores ``prev_hash`` (the previous row's ``mac``, ``GENESIS`` for the first) and its own
``mac`` = HMAC(key, prev_hash and every field). Without the key nobody can write a row that verifies,
so editing a row, inserting one, or recomputing the whole chain with plain SHA-256 is detected.
Deleting the *last* rows leaves a valid-looking shorter chain, so every append also rewrites a signed
``head`` checkpoint (rows so far, last id, last mac) in the same transaction, and ``periodic``
checkpoints are appended every ``CHECKPOINT_EVERY`` rows and at each verify; they are never changed.

Single writer order: an append reads the last row and inserts under a database-level lock (SQLite
``BEGIN IMMEDIATE``; PostgreSQL ``pg_advisory_xact_lock``), so two processes never both chain onto the
same row. Residual risk (documented in README): someone holding both write access and an old copy of
the whole log can restore that copy; export the periodic checkpoints off the box to catch that.

This module exposes insert and select only, never update or delete of audit rows. The key is passed in
by the caller (``assistant.audit`` resolves it from settings).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, func, insert, select, update

from datastore.schema import AuditCheckpoint, AuditLog

GENESIS = "0" * 64
CHECKPOINT_EVERY = 100
HEAD_ID = 0
# Threads of one process take turns here (cheaper than spinning on SQLite's busy timeout); the holder
# writes every row queued by the others in the same transaction (group commit).
_WRITE_LOCK = threading.Lock()
_PG_LOCK_ID = 7_346_001  # any constant shared by every WealthDesk process


class AuditRecord(BaseModel):
    """One audit row, e.g. ``AuditRecord(id=3, at=…, actor="RM001", tool="lookthrough_portfolio",
    args_digest="9f…", result_digest="1c…", outcome="ok", prev_hash="a7…", mac="5d…")``."""

    id: int
    at: datetime
    actor: str
    tool: str  # the tool name or the event's action ("report.download", "auth.failed", …)
    args_digest: str
    result_digest: str
    outcome: str
    prev_hash: str
    mac: str | None = None
    target: str | None = None
    detail: dict[str, Any] | None = None


@dataclass(frozen=True)
class ChainReport:
    """Result of ``verify_audit``: ``first_bad_id`` is None when intact; ``reason`` says what broke."""

    rows: int
    first_bad_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.reason


def _canon(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))


def _stamp(at: datetime) -> str:
    return at.replace(tzinfo=None).isoformat(timespec="microseconds")


def row_mac(key: bytes, prev_hash: str, at: datetime, actor: str, tool: str, args_digest: str,
            result_digest: str, outcome: str, target: str | None = None, detail: Any = None) -> str:
    """The chain link of a row: HMAC-SHA256 over its fields and the previous row's link."""
    text = "\x1f".join([prev_hash, _stamp(at), actor, tool, args_digest, result_digest, outcome,
                        target or "", _canon(detail) if detail is not None else ""])
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def checkpoint_mac(key: bytes, kind: str, row_count: int, last_id: int, last_mac: str) -> str:
    return hmac.new(key, f"{kind}|{row_count}|{last_id}|{last_mac}".encode(), hashlib.sha256).hexdigest()


def _lock_writers(conn: Connection) -> None:
    """Take the database-wide audit writer lock for the current transaction."""
    name = conn.dialect.name
    if name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not at the first INSERT
    elif name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_ID})")
    else:  # other databases: lock the head row (exists after the first append)
        conn.execute(select(AuditCheckpoint.id).where(AuditCheckpoint.id == HEAD_ID).with_for_update())


def _write_checkpoint(conn: Connection, key: bytes, kind: str, row_count: int, last_id: int, last_mac: str,
                      now: datetime) -> None:
    ct = AuditCheckpoint.__table__
    mac = checkpoint_mac(key, kind, row_count, last_id, last_mac)
    values = {"kind": kind, "at": now, "row_count": row_count, "last_id": last_id, "last_mac": last_mac, "mac": mac}
    # Bound parameters on fixed statements: SQLAlchemy caches the compiled SQL (this runs per append).
    if kind == "head":
        if conn.execute(update(ct).where(ct.c.id == HEAD_ID), values).rowcount == 0:
            conn.execute(insert(ct), {"id": HEAD_ID, **values})
    else:
        next_id = (conn.execute(select(func.max(ct.c.id))).scalar_one() or 0) + 1
        conn.execute(insert(ct), {"id": next_id, **values})


def _snapshot(conn: Connection) -> None:
    """One consistent view for a multi-statement read, while writers go on appending."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


@dataclass
class _Pending:
    """One row waiting for the group commit (see ``append_audit``)."""

    key: bytes
    values: dict[str, Any]
    row_id: int | None = None
    error: BaseException | None = None
    done: bool = False


_queues: dict[int, list[_Pending]] = {}  # per engine
_queue_lock = threading.Lock()


def append_audit(
    engine: Engine,
    *,
    key: bytes,
    actor: str,
    tool: str,
    outcome: str,
    args_digest: str = "",
    result_digest: str = "",
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> int:
    """Insert one row chained to the last one under the writer lock; returns its id once committed.

    Group commit: rows from concurrent threads queue up, and whichever thread holds the writer lock
    writes every queued row of that engine in one transaction (one database lock, one commit), so 50
    simultaneous FAQ calls cost one short transaction instead of 50 in a row. Each caller still returns
    only after its own row is committed (an audit row is never just "queued")."""
    item = _Pending(key, {
        "at": (at or datetime.now(UTC)).replace(tzinfo=None), "actor": actor, "tool": tool,
        "args_digest": args_digest, "result_digest": result_digest, "outcome": outcome,
        "target": target, "detail": detail,
    })
    with _queue_lock:
        _queues.setdefault(id(engine), []).append(item)
    with _WRITE_LOCK:
        if not item.done:
            with _queue_lock:
                batch = _queues.pop(id(engine), [])
            try:
                _write_batch(engine, batch)
            except BaseException as exc:  # every caller in the batch sees the failure
                for b in batch:
                    b.error, b.done = exc, True
                raise
    if item.error is not None:
        raise item.error
    assert item.row_id is not None
    return item.row_id


def _write_batch(engine: Engine, batch: list[_Pending]) -> None:
    t = AuditLog.__table__
    with engine.connect() as conn:
        _lock_writers(conn)
        last = conn.execute(select(t.c.id, t.c.mac).order_by(t.c.id.desc()).limit(1)).first()
        head = conn.execute(select(AuditCheckpoint.row_count).where(AuditCheckpoint.id == HEAD_ID)).first()
        prev = (last.mac or GENESIS) if last is not None else GENESIS
        count = head.row_count if head is not None else 0
        row_id = 0
        for item in batch:
            v = item.values
            mac = row_mac(item.key, prev, v["at"], v["actor"], v["tool"], v["args_digest"], v["result_digest"],
                          v["outcome"], v["target"], v["detail"])
            row_id = int(conn.execute(insert(t), {**v, "prev_hash": prev, "mac": mac}).inserted_primary_key[0])
            count += 1
            item.row_id, prev = row_id, mac
            if count % CHECKPOINT_EVERY == 0:
                _write_checkpoint(conn, item.key, "periodic", count, row_id, mac, v["at"])
        _write_checkpoint(conn, batch[-1].key, "head", count, row_id, prev, batch[-1].values["at"])
        conn.commit()
    for item in batch:
        item.done = True


def _record(r: Any) -> AuditRecord:
    return AuditRecord.model_validate(dict(r._mapping))


def list_audit(engine: Engine, *, actor: str | None = None, limit: int = 100) -> list[AuditRecord]:
    """Most recent rows first (optionally for one actor)."""
    t = AuditLog.__table__
    q = select(t).order_by(t.c.id.desc()).limit(limit)
    if actor is not None:
        q = q.where(t.c.actor == actor)
    with engine.connect() as conn:
        return [_record(r) for r in conn.execute(q)]


def audit_since(engine: Engine, since: datetime, *, limit: int | None = None) -> list[AuditRecord]:
    """Rows at or after ``since`` (naive UTC), oldest first."""
    t = AuditLog.__table__
    q = select(t).where(t.c.at >= since.replace(tzinfo=None)).order_by(t.c.id)
    if limit is not None:
        q = q.limit(limit)
    with engine.connect() as conn:
        return [_record(r) for r in conn.execute(q)]


def verify_audit(engine: Engine, key: bytes, *, checkpoint: bool = False) -> ChainReport:
    """Walk the chain and the checkpoints; see the module docstring. ``checkpoint=True`` appends a
    periodic checkpoint when the log is intact (``wealthdesk audit verify`` does)."""
    t = AuditLog.__table__
    with engine.connect() as conn:
        _snapshot(conn)
        cps = conn.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
        prev, count = GENESIS, 0
        macs: dict[int, tuple[str, int]] = {}  # checkpointed ids -> (mac, rows up to it)
        wanted = {cp.last_id for cp in cps}
        last_id = 0
        for r in conn.execute(select(t).order_by(t.c.id)):
            count += 1
            if r.mac is None:
                return ChainReport(count, int(r.id), f"row {r.id} has no mac (written before the keyed chain)")
            if r.prev_hash != prev:
                return ChainReport(count, int(r.id), f"row {r.id} does not link to the row before it "
                                                     "(a row was deleted or inserted, or the chain forked)")
            if row_mac(key, r.prev_hash, r.at, r.actor, r.tool, r.args_digest, r.result_digest, r.outcome,
                       r.target, r.detail) != r.mac:
                return ChainReport(count, int(r.id), f"row {r.id} was altered or its mac was not made with the "
                                                     "audit key (edited, or the chain recomputed without the key)")
            if r.id in wanted:
                macs[int(r.id)] = (r.mac, count)
            prev, last_id = r.mac, int(r.id)
        head = next((cp for cp in cps if cp.id == HEAD_ID), None)
        if count and head is None:
            return ChainReport(count, None, "the signed head checkpoint is missing (rows were deleted with it?)")
        for cp in cps:
            if checkpoint_mac(key, cp.kind, cp.row_count, cp.last_id, cp.last_mac) != cp.mac:
                return ChainReport(count, None, f"checkpoint {cp.id} ({cp.kind}) is not signed with the audit key")
            seen = macs.get(cp.last_id)
            if seen is None or seen != (cp.last_mac, cp.row_count):
                missing = min(cp.last_id, last_id + 1) if seen is None else cp.last_id
                return ChainReport(count, missing, f"the {cp.kind} checkpoint {cp.id} vouches for {cp.row_count} "
                                                   f"rows up to row {cp.last_id}; the log no longer has them "
                                                   "(rows deleted from the end, or replaced)")
        if head is not None and head.last_id != last_id:
            return ChainReport(count, last_id, f"rows after the head checkpoint's row {head.last_id} were added "
                                               "without updating the head")
        if checkpoint and count:
            conn.rollback()
            _lock_writers(conn)
            _write_checkpoint(conn, key, "periodic", count, last_id, prev, datetime.now(UTC).replace(tzinfo=None))
            conn.commit()
    return ChainReport(count)


def verify_chain(engine: Engine, key: bytes) -> int | None:
    """Id of the first bad row (or, for a checkpoint failure, the row it points at; -1 if none), None if intact."""
    report = verify_audit(engine, key)
    if report.ok:
        return None
    return report.first_bad_id if report.first_bad_id is not None else -1
