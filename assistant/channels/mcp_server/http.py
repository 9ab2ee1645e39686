"""``/mcp``: the MCP server over Streamable HTTP, behind the same API keys as the rest of the service.

An ASGI endpoint in front of the SDK's ``StreamableHTTPSessionManager``: each request's key is checked with
``assistant.api.security.principal_for_key`` (Bearer or X-API-Key, the same cache, rate limit and 401 body
as every endpoint); the principal goes on the request scope for the handlers, and as the SDK's
``AuthenticatedUser`` so a session id only works with the key that opened it.

The SDK's DNS-rebinding check (Host/Origin allow-list) is not enabled: every request needs an API key, which a
page in a browser cannot supply, and the service is reached under whatever host name the bank gives it.

The session manager's task group must live inside the app's lifespan (``McpEndpoint.running`` is entered by
``create_app``'s lifespan); it is made anew per lifespan, because a manager runs only once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import anyio
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from sqlalchemy import Engine
from starlette.authentication import AuthCredentials
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from assistant.api.errors import error_response
from assistant.api.security import principal_for_key
from assistant.channels.mcp_server.server import PRINCIPAL_SCOPE_KEY, build_server
from assistant.settings import Settings
from core.errors import ConfigurationError, WealthDeskError

MCP_PATH = "/mcp"


def _key(headers: Headers) -> str | None:
    auth = headers.get("authorization") or ""
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return headers.get("x-api-key")


class McpEndpoint:
    """The ASGI app mounted at ``/mcp`` (GET, POST, DELETE as the Streamable HTTP transport needs)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        manager = StreamableHTTPSessionManager(app=build_server(self.engine, self.settings))
        async with manager.run():
            self.manager = manager
            try:
                yield
            finally:
                self.manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app_ctx: Any = scope["app"].state.ctx
        try:
            if self.manager is None:
                raise ConfigurationError("the MCP endpoint is not running", hint="start the service with its lifespan")
            ip = (scope.get("client") or ("unknown",))[0]  # failed keys count against it, as on REST
            who = await anyio.to_thread.run_sync(
                partial(principal_for_key, where=MCP_PATH), app_ctx, _key(Headers(scope=scope)), ip
            )
        except WealthDeskError as exc:
            await error_response(exc, path=scope.get("path", MCP_PATH))(scope, receive, send)
            return
        scope.setdefault("state", {})["user_id"] = who.user.id  # for the access log
        scope[PRINCIPAL_SCOPE_KEY] = who
        scope["user"] = AuthenticatedUser(AccessToken(
            token=who.key_prefix, client_id=who.user.id, subject=who.user.id, scopes=[who.caller.role]))
        scope["auth"] = AuthCredentials([who.caller.role])
        await self.manager.handle_request(scope, receive, send)
