"""API-key authentication, roles, the per-key rate limit and failed-auth throttling, as FastAPI dependencies.

A key arrives as ``Authorization: Bearer wd_…`` or ``X-API-Key: wd_…``; its SHA-256 is looked up in
``api_keys``; the user becomes an ``assistant.access.Caller`` (rm → the RM's book, admin → everything,
client_channel → no client data at all).

``principal_for_key`` is the one lookup every HTTP channel uses (REST, ``/v1``, ``/mcp``). Two dependencies
on top of it, deny by default: ``authenticate`` admits staff (rm, admin) and refuses a client_channel key with
403, so a new endpoint is closed to the FAQ backend unless it opts in with ``authenticate_any`` (``/api/faq``
does; ``/mcp`` calls ``principal_for_key`` itself and gives a client channel the knowledge tools only).

Throttling: a client IP that presents ``auth_failure_limit`` invalid keys within ``auth_failure_window_s`` gets
429 on every authenticated endpoint for ``auth_lockout_s`` (per process; a proxy in front should pass the
real address to uvicorn with ``--forwarded-allow-ips``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.access import Caller
from assistant.audit import safe_record_event
from core.errors import Forbidden, RateLimited, Unauthenticated
from datastore.repositories.users import KeyMatch, UserRecord, hash_key, lookup_key

_bearer = HTTPBearer(auto_error=False, description="API key from `wealthdesk users add`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same API key, as a header")
STAFF_ROLES = ("rm", "admin")
CLIENT_CHANNEL_ONLY_FAQ = (
    "this key belongs to a client channel: it may call /api/faq only (no chat, reports or client data)"
)


class Throttled(RateLimited):
    """429 with the seconds to wait (the error handler turns ``retry_after`` into ``Retry-After``)."""

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, hint=hint)


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
                raise Throttled(
                    f"rate limit of {self.per_minute} requests per minute exceeded for this API key",
                    retry_after=retry,
                    hint=f"retry in about {retry} s",
                )
            q.append(now)


class AuthThrottle:
    """Invalid-key attempts per client IP. ``check`` raises 429 while the IP is locked out; ``failed`` records
    one bad key and locks the IP out once ``limit`` failures fall within ``window_s``."""

    def __init__(self, limit: int, window_s: float, lockout_s: float, size: int = 65536) -> None:
        self.limit, self.window_s, self.lockout_s, self.size = limit, window_s, lockout_s, size
        self._fails: dict[str, deque[float]] = {}
        self._locked: dict[str, float] = {}  # ip → monotonic time the lockout ends
        self._lock = threading.Lock()

    def check(self, ip: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            until = self._locked.get(ip)
            if until is None:
                return
            if now >= until:
                del self._locked[ip]
                return
        retry = max(1, int(until - now) + 1)
        raise Throttled(
            "too many requests with invalid API keys from this address",
            retry_after=retry,
            hint=f"check the key you send; retry in about {retry} s",
        )

    def failed(self, ip: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._fails) >= self.size:
                self._fails.clear()  # bounded memory under a spray from many addresses
            q = self._fails.setdefault(ip, deque())
            while q and now - q[0] >= self.window_s:
                q.popleft()
            q.append(now)
            if len(q) >= self.limit:
                self._locked[ip] = now + self.lockout_s
                q.clear()


class KeyCache:
    """Recently verified keys (by SHA-256) → their ``KeyMatch``, for ``ttl_s`` seconds (never past the key's
    expiry).

    The lookup is the most expensive part of a small request (an ORM query per call); caching it briefly
    means a key revoked or a user deactivated from another process (the CLI) stops working within ``ttl_s``.
    Unknown keys are never cached, so a new key works at once.
    """

    def __init__(self, ttl_s: float = 2.0, size: int = 4096) -> None:
        self.ttl_s, self.size = ttl_s, size
        self._data: dict[str, tuple[float, KeyMatch]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> KeyMatch | None:
        with self._lock:
            hit = self._data.get(digest)
            if hit is None or time.monotonic() - hit[0] > self.ttl_s or _expired(hit[1]):
                self._data.pop(digest, None)
                return None
            return hit[1]

    def put(self, digest: str, match: KeyMatch) -> None:
        with self._lock:
            if len(self._data) >= self.size:
                self._data.clear()  # crude but bounded; refills from the DB within one request per key
            self._data[digest] = (time.monotonic(), match)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def _expired(match: KeyMatch) -> bool:
    return match.expires_at is not None and match.expires_at <= datetime.now(UTC).replace(tzinfo=None)


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


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def principal_for_key(ctx: Any, plain: str | None, ip: str = "unknown", *, where: str | None = None) -> Principal:
    """The user behind an API key (``ctx`` is the app's ``AppContext``), any role: the one lookup every HTTP
    channel uses (REST, ``/v1``, ``/mcp``). ``Unauthenticated`` without a key or with an unknown/revoked/expired
    one (which counts against ``ip``); ``RateLimited`` over the per-key limit or while ``ip`` is throttled for
    failed attempts. Each failure is an ``auth.failed`` audit row (``where``: the path)."""
    if not plain or not plain.strip():
        safe_record_event(ctx.engine, actor="anonymous", action="auth.failed", target=where,
                          detail={"reason": "missing key"}, outcome="denied")
        raise Unauthenticated("missing API key", hint="send Authorization: Bearer <key> or X-API-Key: <key>")
    ctx.auth_throttle.check(ip)
    plain = plain.strip()
    digest = hash_key(plain)
    found = ctx.key_cache.get(digest)
    if found is None:
        found = lookup_key(ctx.engine, plain)
        if found is None:
            ctx.auth_throttle.failed(ip)
            safe_record_event(ctx.engine, actor="anonymous", action="auth.failed", target=where,
                              detail={"reason": "invalid, expired or revoked key", "key_prefix": plain[:7]},
                              outcome="denied")
            raise Unauthenticated(
                "invalid, expired or revoked API key", hint="ask an administrator for a key (`wealthdesk users key`)"
            )
        ctx.key_cache.put(digest, found)
    ctx.limiter.hit(digest)
    return Principal(user=found.user, caller=caller_of(found.user), key_prefix=found.prefix)


async def authenticate_any(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
    api_key: str | None = Depends(_header),
) -> Principal:
    """Any active key, client_channel included (see ``principal_for_key``)."""
    who = principal_for_key(
        request.app.state.ctx,
        (bearer.credentials if bearer else None) or api_key,
        client_ip(request),
        where=request.url.path,
    )
    request.state.user_id = who.user.id  # for the access log
    return who


async def authenticate(who: Principal = Depends(authenticate_any)) -> Principal:
    """Staff only (rm, admin): a client_channel key is refused with 403."""
    if who.user.role not in STAFF_ROLES:
        raise Forbidden(CLIENT_CHANNEL_ONLY_FAQ)
    return who
