"""Users and API keys. Keys are random tokens shown once; only their SHA-256 hex digest is stored.

A user record looks like::

    UserRecord(id="RM001", role="rm", rm_id="RM001", wecom_user_id="zhangsan", active=True)
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import InvalidInput, NotFound
from datastore.schema import RM, ApiKey, User

KEY_PREFIX = "wd_"  # makes a leaked key easy to recognise in secret scanners and logs


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
    if role not in ("rm", "admin", "client_channel"):
        raise InvalidInput(f"unknown role {role!r}", field="role", hint="use rm, admin or client_channel")
    if not user_id or len(user_id) > 32:
        raise InvalidInput("user id must be 1-32 characters", field="id", hint="e.g. RM001")
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


def issue_key(engine: Engine, user_id: str) -> str:
    """Create a new API key for ``user_id`` and return it in plain text (the only time it is visible)."""
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    with Session(engine) as s:
        if s.get(User, user_id) is None:
            raise NotFound(f"no user {user_id!r}", field="id", hint="create it with `wealthdesk users add`")
        s.add(
            ApiKey(
                key_hash=hash_key(plain), prefix=plain[:12], user_id=user_id, created_at=_now(), revoked=False
            )
        )
        s.commit()
    return plain


def user_for_key(engine: Engine, plain: str) -> tuple[UserRecord, str] | None:
    """The active user owning an unrevoked key, with the key's display prefix; None otherwise."""
    return user_for_digest(engine, hash_key(plain))


def user_for_digest(engine: Engine, digest: str) -> tuple[UserRecord, str] | None:
    """``user_for_key`` by the key's SHA-256 digest (the console's session keeps the digest, never the key)."""
    with Session(engine) as s:
        row = s.execute(
            select(User, ApiKey.prefix)
            .join(ApiKey, ApiKey.user_id == User.id)
            .where(ApiKey.key_hash == digest, ApiKey.revoked.is_(False), User.active.is_(True))
        ).first()
        return (_record(row[0]), row[1]) if row else None


def revoke_keys(engine: Engine, user_id: str) -> int:
    """Revoke every key of ``user_id``; returns how many were active."""
    with Session(engine) as s:
        keys = (
            s.execute(select(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked.is_(False)))
            .scalars()
            .all()
        )
        for k in keys:
            k.revoked = True
        s.commit()
        return len(keys)


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
        keys = s.execute(select(ApiKey.user_id).where(ApiKey.revoked.is_(False))).scalars().all()
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
