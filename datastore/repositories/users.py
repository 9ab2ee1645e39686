"""Users and API keys. Keys are random tokens shown once; only their SHA-256 hex digest is stored.

A user record looks like::

    UserRecord(id="RM001", role="rm", rm_id="RM001", wecom_user_id="zhangsan", active=True)

Roles: ``rm`` (the RM's own book), ``admin`` (every book), ``client_channel`` (a calling system such as
the bank app's FAQ backend: its key opens ``/api/faq`` only). A key may expire (``expires_at``) and is
revoked one by one (by its display prefix) or all together; ``deactivate_user`` stops a user at once:
keys revoked, WeCom link ignored (``user_for_wecom`` reads only active users), queued jobs cancelled.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import InvalidInput, NotFound
from datastore.schema import RM, ApiKey, ReportJob, User

KEY_PREFIX = "wd_"  # makes a leaked key easy to recognise in secret scanners and logs
ROLES = ("rm", "admin", "client_channel")


class UserRecord(BaseModel):
    id: str
    role: str  # rm | admin | client_channel
    rm_id: str | None
    wecom_user_id: str | None
    active: bool


def hash_key(plain: str) -> str:
    """SHA-256 hex digest of an API key (what ``api_keys.key_hash`` holds)."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _record(u: User) -> UserRecord:
    return UserRecord(id=u.id, role=u.role, rm_id=u.rm_id, wecom_user_id=u.wecom_user_id, active=u.active)


def add_user(engine: Engine, user_id: str, role: str, *, wecom_user_id: str | None = None) -> UserRecord:
    """Create a user. An ``rm`` user's id must be an RM id in ``rms`` (the RM's book = that RM's clients)."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}", field="role", hint="use rm, admin or client_channel")
    if not user_id or len(user_id) > 32:
        raise InvalidInput("user id must be 1-32 characters", field="id", hint="e.g. RM001")
    if role == "client_channel" and wecom_user_id:
        raise InvalidInput(
            "a client_channel user is a calling system, not a person: it cannot have a WeCom account",
            field="--wecom-user",
        )
    with Session(engine) as s:
        if s.get(User, user_id) is not None:
            raise InvalidInput(f"user {user_id!r} already exists", field="id", hint="use `users list`")
        rm_id = None
        if role == "rm":
            if s.get(RM, user_id) is None:
                raise NotFound(
                    f"no RM with id {user_id!r}",
                    field="id",
                    hint="an rm user id must be an RM id such as RM001",
                )
            rm_id = user_id
        if wecom_user_id and s.execute(select(User.id).where(User.wecom_user_id == wecom_user_id)).first():
            raise InvalidInput(f"WeCom user {wecom_user_id!r} is already linked", field="--wecom-user")
        user = User(
            id=user_id, role=role, rm_id=rm_id, wecom_user_id=wecom_user_id, active=True, created_at=_now()
        )
        s.add(user)
        try:
            s.commit()
        except IntegrityError as exc:  # a concurrent add of the same id or WeCom id
            raise InvalidInput(f"user {user_id!r} could not be created: {exc.orig}", field="id") from exc
        return _record(user)


def issue_key(engine: Engine, user_id: str, *, expires_days: float | None = None) -> str:
    """Create a new API key for ``user_id`` and return it in plain text (the only time it is visible).

    ``expires_days``: the key stops working that many days from now (None = until revoked)."""
    if expires_days is not None and expires_days <= 0:
        raise InvalidInput("expiry must be a positive number of days", field="--expires-days", hint="e.g. 90")
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    with Session(engine) as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id!r}", field="id", hint="create it with `wealthdesk users add`")
        if not user.active:
            raise InvalidInput(
                f"user {user_id!r} is deactivated", field="id", hint=f"`wealthdesk users activate {user_id}` first"
            )
        s.add(
            ApiKey(
                key_hash=hash_key(plain),
                prefix=plain[:12],
                user_id=user_id,
                created_at=now,
                revoked=False,
                expires_at=now + timedelta(days=expires_days) if expires_days is not None else None,
            )
        )
        s.commit()
    return plain


@dataclass(frozen=True)
class KeyMatch:
    """What a valid key resolves to; ``expires_at`` (naive UTC) lets a cache drop it on time."""

    user: UserRecord
    prefix: str
    expires_at: datetime | None


def lookup_key(engine: Engine, plain: str) -> KeyMatch | None:
    """The active user owning an unrevoked, unexpired key; None otherwise."""
    return lookup_digest(engine, hash_key(plain))


def lookup_digest(engine: Engine, digest: str) -> KeyMatch | None:
    """``lookup_key`` by the key's SHA-256 digest (the console's session keeps the digest, never the key)."""
    with Session(engine) as s:
        row = s.execute(
            select(User, ApiKey.prefix, ApiKey.expires_at)
            .join(ApiKey, ApiKey.user_id == User.id)
            .where(
                ApiKey.key_hash == digest,
                ApiKey.revoked.is_(False),
                User.active.is_(True),
                or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > _now()),
            )
        ).first()
        return KeyMatch(_record(row[0]), row[1], row[2]) if row else None


def user_for_key(engine: Engine, plain: str) -> tuple[UserRecord, str] | None:
    """The active user owning an unrevoked, unexpired key, with the key's display prefix; None otherwise."""
    return user_for_digest(engine, hash_key(plain))


def user_for_digest(engine: Engine, digest: str) -> tuple[UserRecord, str] | None:
    """``user_for_key`` by the key's SHA-256 digest (the console's session: expiry, revoke and deactivation
    end a signed-in session too)."""
    found = lookup_digest(engine, digest)
    return (found.user, found.prefix) if found else None


def revoke_keys(engine: Engine, user_id: str, *, prefix: str | None = None) -> int:
    """Revoke every key of ``user_id``, or only the one whose display prefix is ``prefix``; returns how many
    were active. An unknown prefix is ``NotFound`` (so a typo does not look like success)."""
    with Session(engine) as s:
        q = select(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked.is_(False))
        if prefix is not None:
            q = q.where(ApiKey.prefix == prefix.strip())
        keys = s.execute(q).scalars().all()
        if prefix is not None and not keys:
            raise NotFound(
                f"user {user_id!r} has no active key starting {prefix!r}",
                field="--key",
                hint=f"the 12-character prefixes are listed by `wealthdesk users show {user_id}`",
            )
        for k in keys:
            k.revoked = True
        s.commit()
        return len(keys)


def list_keys(engine: Engine, user_id: str) -> list[dict[str, object]]:
    """``[{"prefix", "created_at", "expires_at", "status": active|revoked|expired}]`` (never the key)."""
    now = _now()
    with Session(engine) as s:
        if s.get(User, user_id) is None:
            raise NotFound(f"no user {user_id!r}", field="id", hint="see `wealthdesk users list`")
        keys = s.execute(select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.created_at)).scalars()
        return [
            {
                "prefix": k.prefix,
                "created_at": k.created_at.isoformat(timespec="seconds") + "Z",
                "expires_at": k.expires_at.isoformat(timespec="seconds") + "Z" if k.expires_at else None,
                "status": "revoked"
                if k.revoked
                else "expired"
                if k.expires_at is not None and k.expires_at <= now
                else "active",
            }
            for k in keys
        ]


def deactivate_user(engine: Engine, user_id: str) -> dict[str, int]:
    """Stop a user in one transaction: inactive (WeCom and job runs check this), every key revoked, every
    queued report job cancelled. Returns ``{"keys_revoked", "jobs_cancelled"}``. Running jobs fail at their
    next identity check; finished reports stay (they are records)."""
    with Session(engine) as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id!r}", field="id", hint="see `wealthdesk users list`")
        user.active = False
        keys = s.execute(
            update(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked.is_(False)).values(revoked=True)
        ).rowcount
        jobs = s.execute(
            update(ReportJob)
            .where(ReportJob.user_id == user_id, ReportJob.status == "queued")
            .values(
                status="cancelled",
                error='{"error": "cancelled", "message": "the user was deactivated", "field": null, "hint": null}',
                updated_at=_now(),
            )
        ).rowcount
        s.commit()
    return {"keys_revoked": int(keys or 0), "jobs_cancelled": int(jobs or 0)}


def activate_user(engine: Engine, user_id: str) -> UserRecord:
    """Re-enable a deactivated user (its old keys stay revoked: issue a new one with ``users key``)."""
    with Session(engine, expire_on_commit=False) as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id!r}", field="id", hint="see `wealthdesk users list`")
        user.active = True
        s.commit()
        return _record(user)


def get_user(engine: Engine, user_id: str) -> UserRecord | None:
    with Session(engine) as s:
        u = s.get(User, user_id)
        return _record(u) if u else None


def user_for_wecom(engine: Engine, wecom_user_id: str) -> UserRecord | None:
    """The active user linked to a WeCom user id (``users.wecom_user_id``), or None."""
    with Session(engine) as s:
        u = s.execute(
            select(User).where(User.wecom_user_id == wecom_user_id, User.active.is_(True))
        ).scalar_one_or_none()
        return _record(u) if u else None


def list_users(engine: Engine) -> list[dict[str, object]]:
    """Users with their count of active keys: ``[{"id", "role", "rm_id", "wecom_user_id", "active", "keys"}]``."""
    with Session(engine) as s:
        users = s.execute(select(User).order_by(User.id)).scalars().all()
        keys = (
            s.execute(
                select(ApiKey.user_id).where(
                    ApiKey.revoked.is_(False), or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > _now())
                )
            )
            .scalars()
            .all()
        )
    counts: dict[str, int] = {}
    for uid in keys:
        counts[uid] = counts.get(uid, 0) + 1
    return [{**_record(u).model_dump(), "keys": counts.get(u.id, 0)} for u in users]


def person_names(engine: Engine) -> list[str]:
    """Client and RM names, registered with the log masker so they never reach a log line."""
    from datastore.schema import Client

    with Session(engine) as s:
        names = list(s.execute(select(Client.name)).scalars()) + list(s.execute(select(RM.name)).scalars())
    return [n for n in names if n]
