"""Request body limit for every endpoint, as plain ASGI middleware: 413 before the body is read.

Two checks, so neither an honest ``Content-Length`` nor a chunked upload without one gets past:

1. a declared ``Content-Length`` over the limit is answered 413 at once — the app is never called and
   not one body byte is read (the server then closes the connection);
2. otherwise the body is counted as the app pulls it; the chunk that crosses the limit is not handed
   on, the app's own response (usually a 400 from the failed read) is replaced by the 413, and nothing
   more is read.

Limits are per path prefix (the longest match wins), e.g. ``{"/channels/wecom/": 65536}`` for WeCom's
small XML pushes; everything else gets ``default``.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.logging import get_logger, request_id_var

log = get_logger("api")


class BodyTooLarge(Exception):
    """Raised from ``receive`` when the streamed body crosses the limit (caught by the middleware)."""


def _too_large(limit: int) -> tuple[dict[str, Any], bytes]:
    body = json.dumps(
        {
            "error": "payload_too_large",
            "message": f"request body is larger than {limit} bytes",
            "field": "body",
            "hint": "send a smaller body (the limit is WEALTHDESK_MAX_BODY_BYTES)",
            "request_id": request_id_var.get(),
        }
    ).encode("utf-8")
    start = {
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    return start, body


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, default: int, per_prefix: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        # longest prefix first, so "/channels/wecom/" beats "/"
        self.per_prefix = sorted((per_prefix or {}).items(), key=lambda kv: -len(kv[0]))

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.per_prefix:
            if path.startswith(prefix):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False  # the server rejects a malformed Content-Length itself
            if too_big:
                log.warning("request body too large (declared)", extra={"path": scope.get("path"), "limit": limit})
                await self._send_413(send, limit)
                return

        state = {"received": 0, "exceeded": False, "started": False, "answered": False}

        async def counting_receive() -> Message:
            if state["exceeded"]:
                raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["exceeded"] = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            if state["exceeded"] and not state["started"]:
                # the app is answering a body it could not read: answer 413 instead, once
                if not state["answered"]:
                    state["answered"] = True
                    await self._send_413(send, limit)
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not state["exceeded"]:
                raise
        if state["exceeded"]:
            log.warning("request body too large (streamed)", extra={"path": scope.get("path"), "limit": limit})
            if not state["started"] and not state["answered"]:
                state["answered"] = True
                await self._send_413(send, limit)

    @staticmethod
    async def _send_413(send: Send, limit: int) -> None:
        start, body = _too_large(limit)
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})
