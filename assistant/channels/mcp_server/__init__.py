"""The MCP channel: WealthDesk's typed tools and knowledge documents for any MCP host (Dify, Claude
Desktop, Cursor, Qwen agents …), over Streamable HTTP at ``/mcp`` and over stdio (``wealthdesk mcp --stdio``).
Modules: ``server`` (tools/resources handlers), ``invoke`` (one audited tool call), ``http`` (the API-key
endpoint the app mounts), ``stdio``. Nothing is imported here, so the stdio command does not load the app.
"""
