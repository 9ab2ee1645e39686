"""Book scan: the caller's whole book checked for events that need a call (maturities, idle cash,
expired risk assessments, unsuitable holdings, drawdowns). Only the caller's own clients are scanned."""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from analytics.book import scan_book
from analytics.errors import Forbidden
from assistant.access import CLIENT_CHANNEL_DENIED, visible_client_ids
from services.loading import client_books
from tools.common import as_of, compact, context
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
    findings = scan_book(client_books(ctx.engine, ids, day), as_of=day)
    counts = findings["rule"].value_counts().to_dict() if len(findings) else {}
    return compact({"as_of": day, "clients_scanned": len(ids) if ids is not None else None,
                    "findings_by_rule": counts, "findings": findings.to_dict("records")}, max_rows=limit)
