"""Helpers every tool uses: the runtime context, the access check, the as-of date, compact results.

Tool bodies stay a few lines: one ``services`` call (which checks access first) → ``compact()`` the
typed result into small JSON (floats rounded to 6 decimals, lists cut to ``max_rows``; a tool that
returns a list the RM asked for in full passes the page size, so nothing is cut silently).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool
from pydantic import ValidationError

from core.errors import InvalidInput
from services.access import require_client_access
from services.deps import Deps
from services.periods import PERIOD_HELP, resolve_period  # noqa: F401  (re-export for callers)
from tools.context import AgentContext


def context(runtime: ToolRuntime[AgentContext]) -> AgentContext:
    ctx = runtime.context
    if not isinstance(ctx, AgentContext):
        raise InvalidInput("tools need an AgentContext", field="context", hint="call through assistant.agent.ask")
    return ctx


def client_guard(runtime: ToolRuntime[AgentContext], client_id: str) -> tuple[AgentContext, str]:
    """The context and the normalised client id, after the entitlement check (same refusal for unknown ids)."""
    ctx = context(runtime)
    cid = (client_id or "").strip().upper()
    require_client_access(ctx.engine, ctx.caller, cid)
    return ctx, cid


def invalid_arguments(name: str, exc: ValidationError) -> dict[str, Any]:
    """A tool's rejected arguments → the error result every edge returns: the field, what is wrong, the fix.

    ``search_products`` with ``horizon_days=23725`` → ``{"error": "invalid_input", "field": "horizon_days",
    "message": "search_products.horizon_days: Input should be less than or equal to 3650", "hint": …}``.
    """
    errors = [e for e in exc.errors() if e.get("loc") != ("runtime",)]
    first: dict[str, Any] = dict(errors[0]) if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ())) or None
    label = f"{name}.{where}" if where else name
    return {"error": "invalid_input", "message": f"{label}: {first.get('msg', 'invalid arguments')}",
            "field": where, "hint": f"correct {where or 'the arguments'} as the tool's input schema describes"}


def argument_error(tool: BaseTool, name: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """``invalid_arguments`` for ``args`` checked against ``tool``'s call schema (injected arguments aside),
    or None when they are valid: the agent's loop answers a bad call with this instead of LangChain's
    "Error invoking tool … with kwargs …" text, so the offline answer and the model both read the field."""
    schema = tool.tool_call_schema
    if not isinstance(schema, type) or not hasattr(schema, "model_validate"):
        return None  # a JSON-schema dict tool: the tool validates its own input
    try:
        schema.model_validate(args)
    except ValidationError as exc:
        return invalid_arguments(name, exc)
    return None


def as_of(ctx: AgentContext) -> date:
    """The data set's as-of date ("today" for analytics), never ``date.today()``."""
    return deps(ctx).as_of


def deps(ctx: AgentContext) -> Deps:
    """The services' dependencies for this turn (built once per turn and kept on the context)."""
    built = ctx.extras.get("_deps")
    if built is None:
        built = Deps.build(ctx.engine, ctx.caller, settings=ctx.settings)
        ctx.extras["_deps"] = built
    return built


def service_deps(runtime: ToolRuntime[AgentContext]) -> Deps:
    return deps(context(runtime))


def compact(obj: Any, *, max_rows: int = 10, depth: int = 0) -> Any:
    """JSON-safe, small: pydantic → dict, DataFrame → records, floats rounded, long lists cut."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="python")
    elif hasattr(obj, "to_dict") and hasattr(obj, "columns"):
        obj = obj.head(max_rows).to_dict("records")
    elif hasattr(obj, "to_dict") and hasattr(obj, "index"):
        obj = {str(k): v for k, v in obj.head(max_rows).to_dict().items()}
    if isinstance(obj, dict):
        return {str(k): compact(v, max_rows=max_rows, depth=depth + 1) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [compact(v, max_rows=max_rows, depth=depth + 1) for v in list(obj)[:max_rows]]
    if isinstance(obj, datetime | date):
        return obj.isoformat()[:10]
    if hasattr(obj, "item") and hasattr(obj, "dtype"):
        obj = obj.item()
    if isinstance(obj, float):
        return round(obj, 6) if math.isfinite(obj) else None
    return obj
