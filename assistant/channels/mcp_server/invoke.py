"""Run one agent tool for an MCP client exactly as the agent's loop runs it.

The same LangChain tool object, the same ``AgentContext`` in a ``ToolRuntime`` (so ``client_guard`` →
``require_client_access`` and the suitability checks run inside the tool, as in chat), the same error
mapping (``WealthDeskError.to_dict()``) and one audit row per call (``record_tool_call``), with the outcome
``ok`` / ``forbidden`` / ``error``. Only the shape of the answer differs: an MCP ``CallToolResult``.

>>> run_tool(ctx, tools["lookthrough_portfolio"], {"client_id": "C0001"}, call_id="mcp-1")
ToolRun(name="lookthrough_portfolio", outcome="ok", payload={"client_id": "C0001", "coverage": 0.93, …},
        citations=[], audit_id=412)
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool
from pydantic import ValidationError

from assistant.access import CLIENT_CHANNEL_DENIED, Caller
from assistant.audit import Outcome, record_tool_call
from core.errors import Forbidden, WealthDeskError
from tools.common import invalid_arguments
from tools.context import AgentContext

log = logging.getLogger(__name__)


@dataclass
class ToolRun:
    name: str
    outcome: Outcome
    payload: Any  # the tool's JSON result, or the error dict {"error", "message", "field", "hint"}
    citations: list[str] = field(default_factory=list)
    audit_id: int | None = None

    @property
    def is_error(self) -> bool:
        return self.outcome != "ok"


def run_tool(ctx: AgentContext, tool: BaseTool | None, args: dict[str, Any] | None, *, name: str,
             call_id: str) -> ToolRun:
    """Invoke ``tool`` with ``args`` for ``ctx.caller``; never raises for domain or argument errors.

    ``tool=None`` means the caller may not use the tool ``name`` (a client-channel key asking for a
    client-data tool): refused like a tool refusing a client, with an audit row (outcome forbidden).
    """
    args = dict(args or {})
    args.pop("runtime", None)  # identity comes from the key, never from the arguments
    outcome: Outcome = "ok"
    if tool is None:
        outcome, payload = "forbidden", Forbidden(_denied_message(ctx.caller)).to_dict()
    else:
        runtime: ToolRuntime[AgentContext] = ToolRuntime(state={}, context=ctx, config={}, stream_writer=lambda _: None,
                              tool_call_id=call_id, store=None)
        try:
            payload = tool.invoke({**args, "runtime": runtime})
        except WealthDeskError as exc:
            outcome = "forbidden" if isinstance(exc, Forbidden) else "error"
            payload = exc.to_dict()
        except ValidationError as exc:
            outcome, payload = "error", invalid_arguments(name, exc)
        except Exception as exc:  # a tool bug must not take the MCP session down; the log keeps details
            log.exception("tool %s failed", name)
            outcome, payload = "error", {"error": "error", "message": f"{type(exc).__name__}: tool failed"}
    content = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False, default=str)
    audit_id = record_tool_call(ctx.engine, actor=ctx.caller.user_id, tool=name, args=args, result=content,
                                outcome=outcome)
    cites = [str(c) for c in payload.get("_citations") or []] if isinstance(payload, dict) else []
    return ToolRun(name=name, outcome=outcome, payload=payload, citations=cites, audit_id=audit_id)


def _denied_message(caller: Caller) -> str:
    from assistant.access import NOT_YOUR_CLIENT

    return CLIENT_CHANNEL_DENIED if caller.role == "client_channel" else NOT_YOUR_CLIENT


def public_view(payload: Any) -> Any:
    """The result without metadata keys (``_citations``, ``_hide``): what an MCP host shows or reads."""
    if not isinstance(payload, dict):
        return payload
    return {k: v for k, v in payload.items() if not str(k).startswith("_")}
