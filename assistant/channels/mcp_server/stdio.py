"""``wealthdesk mcp --stdio --as RM001``: the MCP server over stdin/stdout for a local host.

The identity is fixed by ``--as`` (the host launched the process as that user, like ``wealthdesk ask``);
everything else — tools, access control, audit — is the same server as ``/mcp``. The SDK points fd 1 at
stderr while serving, so a stray print or log line cannot corrupt the protocol stream.
"""

from __future__ import annotations

import anyio
from mcp.server.stdio import stdio_server
from sqlalchemy import Engine

from assistant.access import Caller
from assistant.channels.mcp_server.server import build_server
from assistant.settings import Settings


async def serve_stdio(engine: Engine, settings: Settings, caller: Caller) -> None:
    server = build_server(engine, settings, caller=caller)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def run_stdio(engine: Engine, settings: Settings, caller: Caller) -> None:
    anyio.run(serve_stdio, engine, settings, caller)
