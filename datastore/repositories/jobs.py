"""Report jobs (table ``reports``) and inbound channel message ids (table ``channel_messages``).

A job record looks like::

    JobRecord(id="3f2a…", user_id="RM001", type="proposal", params={"client_id": "C0001", "lang": "zh"},
              status="running", progress=0.1, error=None, file_path=None, …)

Status moves queued → running → done | failed; a restart puts running jobs back to queued.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from datastore.schema import ChannelMessage, ReportJob

UNFINISHED = ("queued", "running")


class JobRecord(BaseModel):
    id: str
    user_id: str
    type: str
    params: dict[str, Any]
    request_key: str
    status: str
    progress: float
    error: str | None
    file_path: str | None
    content_hash: str | None
    facts: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _record(j: ReportJob) -> JobRecord:
    return JobRecord(
        id=j.id,
        user_id=j.user_id,
        type=j.type,
        params=dict(j.params or {}),
        request_key=j.request_key,
        status=j.status,
        progress=j.progress or 0.0,
        error=j.error,
        file_path=j.file_path,
        content_hash=j.content_hash,
        facts=j.facts,
        created_at=j.created_at,
        updated_at=j.updated_at,
    )


def create_job(
    engine: Engine, user_id: str, type_: str, params: dict[str, Any], request_key: str
) -> JobRecord:
    now = _now()
    job = ReportJob(
        id=str(uuid.uuid4()),
        user_id=user_id,
        type=type_,
        params=params,
        request_key=request_key,
        status="queued",
        progress=0.0,
        created_at=now,
        updated_at=now,
    )
    with Session(engine, expire_on_commit=False) as s:
        s.add(job)
        s.commit()
        return _record(job)


def find_reusable_job(
    engine: Engine, user_id: str, request_key: str, *, since: datetime | None
) -> JobRecord | None:
    """The newest job of ``user_id`` with ``request_key`` that has not failed (created after ``since``)."""
    q = select(ReportJob).where(
        ReportJob.user_id == user_id, ReportJob.request_key == request_key, ReportJob.status != "failed"
    )
    if since is not None:
        q = q.where(ReportJob.created_at >= since)
    with Session(engine) as s:
        j = s.execute(q.order_by(ReportJob.created_at.desc()).limit(1)).scalar_one_or_none()
        return _record(j) if j else None


def get_job(engine: Engine, job_id: str) -> JobRecord | None:
    with Session(engine) as s:
        j = s.get(ReportJob, job_id)
        return _record(j) if j else None


def list_jobs(engine: Engine, user_id: str, *, limit: int = 10) -> list[JobRecord]:
    """The user's most recent jobs, newest first (the console's "recent reports")."""
    with Session(engine) as s:
        rows = s.execute(
            select(ReportJob).where(ReportJob.user_id == user_id).order_by(ReportJob.created_at.desc()).limit(limit)
        ).scalars().all()
        return [_record(j) for j in rows]


def update_job(engine: Engine, job_id: str, **fields: Any) -> None:
    """Set columns of one job (status, progress, error, file_path, content_hash, facts) and touch updated_at."""
    allowed = {"status", "progress", "error", "file_path", "content_hash", "facts"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    with Session(engine) as s:
        s.execute(update(ReportJob).where(ReportJob.id == job_id).values(**fields, updated_at=_now()))
        s.commit()


def requeue_unfinished(engine: Engine) -> list[str]:
    """Put every queued/running job back to queued (progress 0) and return their ids, oldest first.

    Called once at startup: a job that was running when the process died never finished, so it runs again.
    """
    with Session(engine) as s:
        ids = list(
            s.execute(
                select(ReportJob.id).where(ReportJob.status.in_(UNFINISHED)).order_by(ReportJob.created_at)
            ).scalars()
        )
        if ids:
            s.execute(
                update(ReportJob)
                .where(ReportJob.id.in_(ids))
                .values(status="queued", progress=0.0, updated_at=_now())
            )
            s.commit()
        return ids


def count_by_status(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        rows = s.execute(select(ReportJob.status, func.count()).group_by(ReportJob.status)).all()
    return {status: int(n) for status, n in rows}


def remember_message(engine: Engine, channel: str, msg_id: str) -> bool:
    """Record an inbound message id. True the first time, False for a duplicate (a channel retry).

    The primary key (channel, msg_id) makes this atomic even with concurrent retries.
    """
    with Session(engine) as s:
        s.add(ChannelMessage(channel=channel, msg_id=msg_id[:64], received_at=_now()))
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
            return False
    return True


def forget_messages_before(engine: Engine, channel: str, cutoff: datetime) -> int:
    """Drop dedup rows older than ``cutoff`` (WeCom retries stop within a minute; a day is plenty)."""
    with Session(engine) as s:
        rows = (
            s.execute(
                select(ChannelMessage).where(
                    ChannelMessage.channel == channel, ChannelMessage.received_at < cutoff
                )
            )
            .scalars()
            .all()
        )
        for r in rows:
            s.delete(r)
        s.commit()
        return len(rows)


def window_start(minutes: float) -> datetime:
    """``now - minutes`` in the naive-UTC convention used by the tables."""
    return _now() - timedelta(minutes=minutes)


def ping(engine: Engine) -> None:
    """Raise if the database cannot answer a trivial query (for /healthz)."""
    with engine.connect() as conn:
        conn.execute(select(1)).scalar_one()
