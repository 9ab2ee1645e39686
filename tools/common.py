"""Helpers every tool uses: the runtime context, the access check, the as-of date, compact results.

Tool bodies stay a few lines: check access → load inputs through ``datastore`` → call ``analytics`` /
``knowledge`` / ``reports`` → ``compact()`` the result into small JSON (floats rounded to 6 decimals,
lists cut to ``max_rows``).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import pandas as pd
from langchain.tools import ToolRuntime

from analytics.errors import InvalidInput
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




def as_of(ctx: AgentContext) -> date:
    """The data set's as-of date ("today" for analytics), never ``date.today()``."""
    from datastore.repositories.meta import as_of_date

    return as_of_date(ctx.engine)


def resolve_period(period: str | None, today: date) -> tuple[date | None, date]:
    """``(start, end)`` of a period token; the P&L window is (start, end]. ``None`` start = since the first
    purchase. ``"ytd"`` on 2026-11-20 → (2025-12-31, 2026-11-20); ``"last_year"`` → (2024-12-31, 2025-12-31);
    ``"6m"`` → (2026-05-20, 2026-11-20); ``"since:2023-01-01"`` → (2023-01-01, 2026-11-20)."""
    token = (period or "ytd").strip().lower()
    m = re.fullmatch(r"(\d+)\s*([ymw])", token)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        offset = {"y": pd.DateOffset(years=n), "m": pd.DateOffset(months=n), "w": pd.DateOffset(weeks=n)}[unit]
        return (pd.Timestamp(today) - offset).date(), today
    if token == "ytd":
        return date(today.year - 1, 12, 31), today
    if token == "last_year":
        return date(today.year - 2, 12, 31), date(today.year - 1, 12, 31)
    if token == "since_inception":
        return None, today
    m = re.fullmatch(r"since:(\d{4})-(\d{2})-(\d{2})", token)
    if m:
        start = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if start < today:
            return start, today
    m = re.fullmatch(r"year:(\d{4})", token)
    if m and int(m.group(1)) <= today.year:
        y = int(m.group(1))
        return date(y - 1, 12, 31), min(date(y, 12, 31), today)
    raise InvalidInput(f"unknown period {period!r}", field="period", hint=PERIOD_HELP)


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
