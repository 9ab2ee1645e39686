"""Request ids and the access log, as plain ASGI middleware (no buffering: SSE streams pass straight through).

``X-Request-ID`` from the client is kept when it is short and safe (letters, digits, ``-_.:``), otherwise a
new uuid4 hex is made; either way it is set on the response and on every log line of the request.

Every response except the static docs assets also gets ``Cache-Control: no-store`` (answers, reports and
errors carry client data: no browser, proxy or gateway cache may keep them) and ``X-Content-Type-Options:
nosniff``.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.logging import get_logger, request_id_var

log = get_logger("access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")
CACHEABLE_PREFIXES = ("/docs-static/",)  # swagger/redoc files: public, immutable, no client data


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        status: dict[str, Any] = {"code": 500}
        path = str(scope.get("path") or "")
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode("latin-1")))
                if not path.startswith(CACHEABLE_PREFIXES):
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers += [(b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff")]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            state = scope.get("state") or {}
            log.info(
                f"{scope.get('method')} {scope.get('path')} {status['code']}",
                extra={
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status["code"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": state.get("user_id"),
                },
            )
            request_id_var.reset(token)
