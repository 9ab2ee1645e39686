"""Report jobs (table ``reports``) and inbound channel message ids (table ``channel_messages``).

A job record looks like::

    JobRecord(id="3f2a…", user_id="RM001", type="proposal", params={"client_id": "C0001", "lang": "zh"},
              status="running", progress=0.1, error=None, file_path=None, …)

Status moves queued → running → done | failed (or queued → cancelled when the user is deactivated).

Leases make a job run once even with several server instances on one database: a worker *claims* a job with
one conditional UPDATE (``status='queued'``, or ``running`` with an expired lease), which sets ``lease_owner``
and ``lease_expires_at``; the owner renews the lease while the builder runs, and every later write is
conditional on still owning it. A job whose owner died is claimable again once its lease expires.

Fair scheduling: ``claim_next_job`` picks round-robin across users — a job's rank is the number of jobs its
user already has running plus its position among that user's waiting jobs; lowest rank first, then the user
served longest ago (``started_at`` of their last claim), then the oldest job. One user's long queue therefore
never delays another user's first job by more than one job per worker.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from datastore.schema import ChannelMessage, ReportJob

UNFINISHED = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")


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
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    attempts: int = 0


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
        lease_owner=j.lease_owner,
        lease_expires_at=j.lease_expires_at,
        attempts=j.attempts or 0,
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


def update_job(engine: Engine, job_id: str, *, owner: str | None = None, **fields: Any) -> bool:
    """Set columns of one job (status, progress, error, file_path, content_hash, facts) and touch updated_at.

    With ``owner`` the write happens only while that worker still holds the job's lease (returns False
    otherwise: another instance took the job over, and this worker's result must be dropped). A final
    status (done/failed) releases the lease."""
    allowed = {"status", "progress", "error", "file_path", "content_hash", "facts"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    values: dict[str, Any] = {**fields, "updated_at": _now()}
    if fields.get("status") in FINISHED:
        values.update(lease_owner=None, lease_expires_at=None)
    q = update(ReportJob).where(ReportJob.id == job_id)
    if owner is not None:
        q = q.where(ReportJob.lease_owner == owner, ReportJob.status == "running")
    with Session(engine) as s:
        n = s.execute(q.values(**values)).rowcount
        s.commit()
    return n == 1


def _claimable(now: datetime) -> Any:
    """Queued, or running under a lease that expired (or never existed: a row from before leases)."""
    return or_(
        ReportJob.status == "queued",
        and_(
            ReportJob.status == "running",
            or_(ReportJob.lease_expires_at.is_(None), ReportJob.lease_expires_at < now),
        ),
    )


def _take(s: Session, job_id: str, owner: str, lease_s: float, now: datetime) -> JobRecord | None:
    won = s.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, _claimable(now))
        .values(
            status="running",
            progress=0.1,
            error=None,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_s),
            attempts=func.coalesce(ReportJob.attempts, 0) + 1,
            started_at=now,
            updated_at=now,
        )
    ).rowcount
    s.commit()
    if won != 1:
        return None  # another worker (thread or instance) claimed it first
    j = s.get(ReportJob, job_id)
    return _record(j) if j else None


def claim_job(engine: Engine, job_id: str, owner: str, *, lease_s: float) -> JobRecord | None:
    """Claim one given job if it is claimable; None when someone else holds it or it is finished."""
    with Session(engine) as s:
        return _take(s, job_id, owner, lease_s, _now())


def claim_next_job(engine: Engine, owner: str, *, lease_s: float, scan: int = 2000) -> JobRecord | None:
    """Claim the fairest claimable job (see the module docstring) for ``owner``; None when there is none."""
    now = _now()
    with Session(engine) as s:
        running = dict(
            s.execute(
                select(ReportJob.user_id, func.count())
                .where(ReportJob.status == "running", ReportJob.lease_expires_at >= now)
                .group_by(ReportJob.user_id)
            ).all()
        )
        rows = s.execute(
            select(ReportJob.id, ReportJob.user_id, ReportJob.created_at)
            .where(_claimable(now))
            .order_by(ReportJob.created_at, ReportJob.id)
            .limit(scan)
        ).all()
        users = {u for _, u, _ in rows}
        served = dict(
            s.execute(
                select(ReportJob.user_id, func.max(ReportJob.started_at))
                .where(ReportJob.user_id.in_(users), ReportJob.started_at >= now - timedelta(days=1))
                .group_by(ReportJob.user_id)
            ).all()
        ) if users else {}
        s.commit()  # end the read before the claiming writes (SQLite WAL: no stale-snapshot upgrade)
        seen: dict[str, int] = defaultdict(int)
        ranked = []
        for job_id, user_id, created_at in rows:
            rank = int(running.get(user_id, 0)) + seen[user_id]
            ranked.append((rank, served.get(user_id) or datetime.min, created_at, job_id))
            seen[user_id] += 1
        for _rank, _served, _created, job_id in sorted(ranked):
            got = _take(s, job_id, owner, lease_s, now)
            if got is not None:
                return got
    return None


def renew_leases(engine: Engine, owner: str, job_ids: list[str], *, lease_s: float) -> set[str]:
    """Extend the leases ``owner`` holds on ``job_ids``; returns the ids it still holds."""
    if not job_ids:
        return set()
    now = _now()
    with Session(engine) as s:
        s.execute(
            update(ReportJob)
            .where(ReportJob.id.in_(job_ids), ReportJob.lease_owner == owner, ReportJob.status == "running")
            .values(lease_expires_at=now + timedelta(seconds=lease_s))
        )
        s.commit()
        held = s.execute(
            select(ReportJob.id).where(
                ReportJob.id.in_(job_ids), ReportJob.lease_owner == owner, ReportJob.status == "running"
            )
        ).scalars()
        return set(held)


def count_open_jobs(engine: Engine, user_id: str) -> int:
    """Queued + running jobs of one user (for the per-user quota)."""
    with Session(engine) as s:
        return int(
            s.execute(
                select(func.count())
                .select_from(ReportJob)
                .where(ReportJob.user_id == user_id, ReportJob.status.in_(UNFINISHED))
            ).scalar_one()
        )


def requeue_unfinished(engine: Engine) -> list[str]:
    """Put running jobs whose lease expired (their worker died) back to queued, and return the ids of every
    queued job, oldest first. A job another live instance is running keeps its lease and is not touched.

    Called at startup (for the log: the workers claim from the table anyway).
    """
    now = _now()
    with Session(engine) as s:
        s.execute(
            update(ReportJob)
            .where(
                ReportJob.status == "running",
                or_(ReportJob.lease_expires_at.is_(None), ReportJob.lease_expires_at < now),
            )
            .values(status="queued", progress=0.0, lease_owner=None, lease_expires_at=None, updated_at=now)
        )
        s.commit()
        return list(
            s.execute(
                select(ReportJob.id).where(ReportJob.status == "queued").order_by(ReportJob.created_at)
            ).scalars()
        )


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
        n = s.execute(
            delete(ChannelMessage).where(ChannelMessage.channel == channel, ChannelMessage.received_at < cutoff)
        ).rowcount
        s.commit()
        return int(n or 0)


def window_start(minutes: float) -> datetime:
    """``now - minutes`` in the naive-UTC convention used by the tables."""
    return _now() - timedelta(minutes=minutes)


def ping(engine: Engine) -> None:
    """Raise if the database cannot answer a trivial query (for /healthz)."""
    with engine.connect() as conn:
        conn.execute(select(1)).scalar_one()
