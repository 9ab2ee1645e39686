"""Book scan: the caller's whole book checked for events that need a call (maturities, idle cash,
expired risk assessments, unsuitable holdings, drawdowns). Only the caller's own clients are scanned."""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from analytics.errors import Forbidden
from assistant.access import CLIENT_CHANNEL_DENIED, visible_client_ids
from tools.common import as_of, compact, context, need
from tools.context import AgentContext


class BookScanArgs(BaseModel):
    limit: int = Field(20, ge=1, le=100, description="Most urgent findings to return.")


@tool("book_scan", args_schema=BookScanArgs)
def book_scan(runtime: ToolRuntime[AgentContext], limit: int = 20) -> dict[str, Any]:
    """Scan the caller's book (客户名单扫描) for follow-ups: products maturing soon, idle cash, expired risk
    assessments, holdings above the client's risk level, large drawdowns."""
    ctx = context(runtime)
    ids = visible_client_ids(ctx.engine, ctx.caller)
    if ids is not None and not ids and ctx.caller.role == "client_channel":
        raise Forbidden(CLIENT_CHANNEL_DENIED)
    day = as_of(ctx)
    scan = need("analytics.book_scan", "scan_book")
    books = need("datastore.repositories.analytics_inputs", "client_books")(ctx.engine, ids, day)
    return compact(scan(books, as_of=day, settings=ctx.settings), max_rows=limit)
