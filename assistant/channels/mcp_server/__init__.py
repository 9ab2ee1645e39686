"""The MCP channel: WealthDesk's typed tools and knowledge documents for any MCP host (Dify, Claude
Desktop, Cursor, Qwen agents …), over Streamable HTTP at ``/mcp`` and over stdio (``wealthdesk mcp --stdio``).
See ``server`` (tools/resources), ``invoke`` (one audited tool call), ``http`` (API-key endpoint), ``stdio``.
"""

from assistant.channels.mcp_server.http import MCP_PATH, McpEndpoint
from assistant.channels.mcp_server.server import build_server

__all__ = ["MCP_PATH", "McpEndpoint", "build_server"]
