"""API-key authentication and the per-key rate limit, as FastAPI dependencies.

A key arrives as ``Authorization: Bearer wd_…`` or ``X-API-Key: wd_…``; its SHA-256 is looked up in
``api_keys``; the user becomes an ``assistant.access.Caller`` (rm → the RM's book, admin → everything).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.access import Caller
from assistant.audit import safe_record_event
from core.errors import RateLimited, Unauthenticated
from datastore.repositories.users import UserRecord, hash_key, user_for_key

_bearer = HTTPBearer(auto_error=False, description="API key from `wealthdesk users add`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same API key, as a header")


class RateLimiter:
    """Sliding one-minute window per key: at most ``per_minute`` requests in any 60 s."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            q = self._hits.setdefault(key, deque())
            while q and now - q[0] >= 60.0:
                q.popleft()
            if len(q) >= self.per_minute:
                retry = max(1, int(60.0 - (now - q[0])) + 1)
                raise RateLimited(
                    f"rate limit of {self.per_minute} requests per minute exceeded for this API key",
                    hint=f"retry in about {retry} s",
                )
            q.append(now)


class KeyCache:
    """Recently verified keys (by SHA-256) → user, for ``ttl_s`` seconds.

    The lookup is the most expensive part of a small request (an ORM query per call); caching it briefly
    means a key revoked with ``wealthdesk users revoke`` (another process) stops working within ``ttl_s``.
    Unknown keys are never cached, so a new key works at once.
    """

    def __init__(self, ttl_s: float = 10.0, size: int = 4096) -> None:
        self.ttl_s, self.size = ttl_s, size
        self._data: dict[str, tuple[float, UserRecord, str]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> tuple[UserRecord, str] | None:
        with self._lock:
            hit = self._data.get(digest)
            if hit is None or time.monotonic() - hit[0] > self.ttl_s:
                self._data.pop(digest, None)
                return None
            return hit[1], hit[2]

    def put(self, digest: str, user: UserRecord, prefix: str) -> None:
        with self._lock:
            if len(self._data) >= self.size:
                self._data.clear()  # crude but bounded; refills from the DB within one request per key
            self._data[digest] = (time.monotonic(), user, prefix)


@dataclass(frozen=True)
class Principal:
    """The authenticated user and the caller identity that flows into access control."""

    user: UserRecord
    caller: Caller
    key_prefix: str


def caller_of(user: UserRecord) -> Caller:
    if user.role == "admin":
        return Caller.admin(user.id)
    if user.role == "client_channel":  # FAQ/knowledge only: tools_for() and require_client_access see to it
        return Caller(user_id=user.id, role="client_channel")
    return Caller(user_id=user.id, role="rm", rm_id=user.rm_id)


def principal_for_key(ctx: Any, plain: str | None, *, where: str | None = None) -> Principal:
    """The user behind an API key (``ctx`` is the app's ``AppContext``): the one lookup every HTTP channel
    uses (REST, ``/v1``, ``/mcp``). ``Unauthenticated`` without a key or with an unknown/revoked one,
    ``RateLimited`` over the per-key limit. Each failure is an ``auth.failed`` audit row (``where``: the path)."""
    if not plain or not plain.strip():
        safe_record_event(ctx.engine, actor="anonymous", action="auth.failed", target=where,
                          detail={"reason": "missing key"}, outcome="denied")
        raise Unauthenticated("missing API key", hint="send Authorization: Bearer <key> or X-API-Key: <key>")
    plain = plain.strip()
    digest = hash_key(plain)
    found = ctx.key_cache.get(digest)
    if found is None:
        found = user_for_key(ctx.engine, plain)
        if found is None:
            safe_record_event(ctx.engine, actor="anonymous", action="auth.failed", target=where,
                              detail={"reason": "invalid or revoked key", "key_prefix": plain[:7]}, outcome="denied")
            raise Unauthenticated("invalid or revoked API key", hint="create one with `wealthdesk users add`")
        ctx.key_cache.put(digest, *found)
    user, prefix = found
    ctx.limiter.hit(digest)
    return Principal(user=user, caller=caller_of(user), key_prefix=prefix)


async def authenticate(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
    api_key: str | None = Depends(_header),
) -> Principal:
    """401 without a key or with an unknown/revoked one; 429 over the per-key limit."""
    who = principal_for_key(request.app.state.ctx, (bearer.credentials if bearer else None) or api_key,
                            where=request.url.path)
    request.state.user_id = who.user.id  # for the access log
    return who
