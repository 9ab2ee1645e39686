"""Helpers every tool uses: the runtime context, the access check, the as-of date, compact results.

Tool bodies stay a few lines: check access → load inputs through ``datastore`` → call ``analytics`` /
``knowledge`` / ``reports`` → ``compact()`` the result into small JSON (floats rounded to 6 decimals,
lists cut to ``max_rows``).
"""

from __future__ import annotations

import importlib
import math
from datetime import date, datetime
from typing import Any

from langchain.tools import ToolRuntime

from analytics.errors import DataUnavailable, InvalidInput
from assistant.access import require_client_access
from tools.context import AgentContext

PERIOD_HELP = (
    "Period: 1m, 3m, 6m, 1y, 3y, ytd (今年以来), last_year (去年), since_inception, since:YYYY-MM-DD "
    "(e.g. since:2023-01-01) or year:YYYY."
)


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


def need(module: str, attr: str) -> Any:
    """A function from another area, or ``DataUnavailable`` naming what is missing (no traceback)."""
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise DataUnavailable(f"{module}.{attr} is not available in this build", hint=str(exc)) from None


def as_of(ctx: AgentContext) -> date:
    """The data set's as-of date ("today" for analytics), never ``date.today()``."""
    return need("datastore.repositories.meta", "as_of_date")(ctx.engine)


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
