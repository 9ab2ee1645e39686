"""Console sign-in: a signed session cookie, CSRF tokens, and the caller behind a request.

The cookie (httpOnly, SameSite=Strict, Secure when served over https) holds a payload signed with
``itsdangerous`` and ``settings.console_secret``::

    {"d": "<sha256 of the API key>", "s": "<random session id>", "c": "<csrf token>", "l": "zh"}

Never the key itself. Each request re-checks the digest against ``api_keys`` (through the app's 10 s
``KeyCache``), so a revoked key or a deactivated user is signed out within seconds. CSRF is a synchronizer
token: the token lives in the signed cookie and every POST must echo it in ``X-CSRF-Token`` or a ``csrf``
form field; SameSite=Strict is the second line, not the only one.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from assistant.api.security import caller_of
from assistant.logging import get_logger
from core.errors import Forbidden, Unauthenticated
from core.identity import Caller
from datastore.repositories.users import UserRecord, hash_key, lookup_digest, user_for_key

COOKIE = "wd_console"
DEV_SECRET = "dev-only-console-secret-change-me"
LANGS = ("zh", "en")
log = get_logger("console")


@dataclass(frozen=True)
class ConsoleSession:
    user: UserRecord
    caller: Caller
    session_id: str
    csrf: str
    lang: str
    digest: str


def serializer(settings: Any) -> URLSafeTimedSerializer:
    secret = settings.console_secret.get_secret_value()
    return URLSafeTimedSerializer(secret, salt="wealthdesk-console-session")


def warn_if_dev_secret(settings: Any) -> None:
    if settings.console_secret.get_secret_value() == DEV_SECRET:
        log.warning("console sessions are signed with the development default secret: "
                    "set WEALTHDESK_CONSOLE_SECRET to a long random value before real use")


def sign_in(ctx: Any, plain_key: str) -> dict[str, str]:
    """The session payload for a valid key; ``Unauthenticated`` otherwise (same message for every failure)."""
    key = (plain_key or "").strip()
    found = user_for_key(ctx.engine, key) if key else None
    if found is None:
        raise Unauthenticated("invalid or revoked API key", hint="create one with `wealthdesk users add RM001 --role rm`")
    user, _prefix = found
    if user.role == "client_channel":
        raise Forbidden("the client-channel key cannot sign in to the RM console", hint="use an RM or admin key")
    return {"d": hash_key(key), "s": secrets.token_hex(8), "c": secrets.token_urlsafe(24), "l": "zh"}


def write_cookie(response: Response, ctx: Any, payload: dict[str, str], request: Request) -> None:
    response.set_cookie(
        COOKIE, serializer(ctx.settings).dumps(payload), max_age=int(ctx.settings.console_session_hours * 3600),
        httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def payload_of(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    ctx = request.app.state.ctx
    try:
        data = serializer(ctx.settings).loads(raw, max_age=int(ctx.settings.console_session_hours * 3600))
    except BadSignature:  # includes SignatureExpired
        return None
    return data if isinstance(data, dict) and {"d", "s", "c"} <= set(data) else None


def current(request: Request) -> ConsoleSession | None:
    """The signed-in session, or None (no cookie, bad signature, expired, revoked key, inactive user)."""
    data = payload_of(request)
    if data is None:
        return None
    ctx = request.app.state.ctx
    found = ctx.key_cache.get(data["d"])  # a KeyMatch: the cache drops it at the key's expiry
    if found is None:
        found = lookup_digest(ctx.engine, data["d"])  # revoked, expired or deactivated → signed out
        if found is None:
            return None
        ctx.key_cache.put(data["d"], found)
    user = found.user
    request.state.user_id = user.id  # for the access log
    lang = data.get("l") if data.get("l") in LANGS else "zh"
    return ConsoleSession(user=user, caller=caller_of(user), session_id=data["s"], csrf=data["c"], lang=lang,
                          digest=data["d"])


def require(request: Request) -> ConsoleSession:
    """FastAPI dependency for the JSON endpoints: 401 without a session."""
    sess = current(request)
    if sess is None:
        raise Unauthenticated("not signed in to the console", hint="sign in at /login with your API key")
    return sess


def check_csrf(request: Request, sess: ConsoleSession | None, form_token: str | None = None) -> None:
    """Every POST: the token from the header or the form must equal the session's (constant-time)."""
    sent = request.headers.get("x-csrf-token") or form_token or ""
    expected = sess.csrf if sess is not None else ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden("CSRF token missing or wrong", field="csrf", hint="reload the page and try again")
