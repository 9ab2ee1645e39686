"""Channel outbox (table ``channel_outbox``): replies are stored before they are sent, so none is lost.

Life of a row::

    enqueue() ──► pending ──claim()──► sending ──delivered()──► delivered
                     ▲                    │
                     └──── retry_later() ─┘ (attempts+1, next_attempt_at = now + backoff)
                                          └── failed() after the last attempt (kept, with last_error)

``claim`` is one conditional UPDATE per row, so two workers (threads or server instances on one database)
never send the same row at once; a worker that dies mid-send leaves a lease that expires, and the row is
claimed again (delivery is at least once). Rows to one recipient go out in ``id`` order: a row is not
claimed while an earlier row to the same user is still pending or sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from datastore.schema import ChannelOutbox

OPEN = ("pending", "sending")


@dataclass(frozen=True)
class OutboxItem:
    id: int
    channel: str
    msg_id: str | None
    to_user: str
    kind: str  # text | file
    payload: str
    attempts: int


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def enqueue(
    engine: Engine, channel: str, to_user: str, items: list[tuple[str, str]], *, msg_id: str | None = None
) -> list[int]:
    """Store ``[(kind, payload), …]`` for ``to_user`` in one transaction; returns the row ids, in order."""
    now = _now()
    rows = [
        ChannelOutbox(
            channel=channel,
            msg_id=(msg_id or "")[:64] or None,
            to_user=to_user,
            kind=kind,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for kind, payload in items
    ]
    with Session(engine, expire_on_commit=False) as s:
        s.add_all(rows)
        s.commit()
    return [r.id for r in rows]


def claim(engine: Engine, channel: str, owner: str, *, lease_s: float, limit: int = 20) -> list[OutboxItem]:
    """Claim due rows (pending and due, or sending with an expired lease) for ``owner``; oldest first."""
    now = _now()
    earlier = aliased(ChannelOutbox)
    blocked = exists().where(
        earlier.to_user == ChannelOutbox.to_user,
        earlier.channel == ChannelOutbox.channel,
        earlier.id < ChannelOutbox.id,
        earlier.status.in_(OPEN),
    )
    claimable = or_(
        and_(ChannelOutbox.status == "pending", ChannelOutbox.next_attempt_at <= now),
        and_(ChannelOutbox.status == "sending", ChannelOutbox.lease_expires_at < now),
    )
    out: list[OutboxItem] = []
    with Session(engine) as s:
        ids = list(
            s.execute(
                select(ChannelOutbox.id)
                .where(ChannelOutbox.channel == channel, claimable, ~blocked)
                .order_by(ChannelOutbox.id)
                .limit(limit)
            ).scalars()
        )
        s.commit()  # end the read before the claiming writes (SQLite WAL: no stale-snapshot upgrade)
        for row_id in ids:
            # The WHERE repeats the claimable test: of two racing workers, exactly one gets rowcount 1.
            won = s.execute(
                update(ChannelOutbox)
                .where(ChannelOutbox.id == row_id, claimable)
                .values(status="sending", lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_s))
            ).rowcount
            s.commit()
            if won == 1:
                r = s.get(ChannelOutbox, row_id)
                assert r is not None
                out.append(OutboxItem(r.id, r.channel, r.msg_id, r.to_user, r.kind, r.payload, r.attempts))
                s.commit()
    return out


def _finish(engine: Engine, row_id: int, owner: str, **values: object) -> bool:
    with Session(engine) as s:
        n = s.execute(
            update(ChannelOutbox)
            .where(ChannelOutbox.id == row_id, ChannelOutbox.lease_owner == owner, ChannelOutbox.status == "sending")
            .values(lease_owner=None, lease_expires_at=None, **values)
        ).rowcount
        s.commit()
    return n == 1


def mark_delivered(engine: Engine, row_id: int, owner: str) -> bool:
    return _finish(
        engine, row_id, owner, status="delivered", delivered_at=_now(), attempts=ChannelOutbox.attempts + 1
    )


def retry_later(engine: Engine, row_id: int, owner: str, *, delay_s: float, error: str) -> bool:
    return _finish(
        engine,
        row_id,
        owner,
        status="pending",
        attempts=ChannelOutbox.attempts + 1,
        next_attempt_at=_now() + timedelta(seconds=delay_s),
        last_error=error[:2000],
    )


def mark_failed(engine: Engine, row_id: int, owner: str, *, error: str) -> bool:
    return _finish(engine, row_id, owner, status="failed", attempts=ChannelOutbox.attempts + 1, last_error=error[:2000])


def list_outbox(engine: Engine, channel: str, *, to_user: str | None = None) -> list[dict[str, object]]:
    """Rows as dicts (for tests and operators), oldest first."""
    q = select(ChannelOutbox).where(ChannelOutbox.channel == channel).order_by(ChannelOutbox.id)
    if to_user is not None:
        q = q.where(ChannelOutbox.to_user == to_user)
    with Session(engine) as s:
        return [
            {
                "id": r.id,
                "msg_id": r.msg_id,
                "to_user": r.to_user,
                "kind": r.kind,
                "status": r.status,
                "attempts": r.attempts,
                "last_error": r.last_error,
            }
            for r in s.execute(q).scalars()
        ]


def prune_outbox(engine: Engine, channel: str, cutoff: datetime) -> int:
    """Delete delivered and failed rows created before ``cutoff`` (they hold reply text: client data)."""
    with Session(engine) as s:
        n = s.execute(
            delete(ChannelOutbox).where(
                ChannelOutbox.channel == channel,
                ChannelOutbox.status.in_(("delivered", "failed")),
                ChannelOutbox.created_at < cutoff,
            )
        ).rowcount
        s.commit()
    return int(n or 0)


def count_by_status(engine: Engine, channel: str) -> dict[str, int]:
    """``{"pending": n, "sending": n, "delivered": n, "failed": n}`` (absent statuses are 0), for /healthz."""
    from sqlalchemy import func

    with Session(engine) as s:
        rows = s.execute(
            select(ChannelOutbox.status, func.count()).where(ChannelOutbox.channel == channel).group_by(ChannelOutbox.status)
        ).all()
    counts = {"pending": 0, "sending": 0, "delivered": 0, "failed": 0}
    counts.update({status: int(n) for status, n in rows})
    return counts
