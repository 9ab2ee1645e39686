"""Book tools: the caller's follow-up list by rule (complete and paged: never cut silently) and book totals."""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from analytics.book import RULES
from services import book
from tools.common import compact, service_deps
from tools.context import AgentContext


class BookScanArgs(BaseModel):
    rule: str | None = Field(None, description="Only this rule: " + ", ".join(RULES) + "; omit for every rule.")
    within_days: int | None = Field(None, ge=1, le=3650, description="Maturing within this many days (下个月 ≈ 30).")
    month: str | None = Field(None, pattern=r"^(\d{4}-\d{2}|next|this)$",
                              description="Maturing in this month: YYYY-MM, next (下个月) or this (本月).")
    loss_threshold: float | None = Field(None, gt=0, lt=1, description="Loss beyond this share of cost, e.g. 0.2.")
    page: int = Field(1, ge=1, description="Page of the list (1 = first).")
    page_size: int = Field(50, ge=1, le=200, description="Findings per page.")


class TotalsArgs(BaseModel):
    top_n: int = Field(10, ge=0, le=50, description="How many of the largest clients to list.")


@tool("book_scan", args_schema=BookScanArgs)
def book_scan(
    runtime: ToolRuntime[AgentContext], rule: str | None = None, within_days: int | None = None,
    month: str | None = None, loss_threshold: float | None = None, page: int = 1, page_size: int = 50,
) -> dict[str, Any]:
    """Scan the caller's book (客户名单扫描) for follow-ups: products maturing (in N days or a month), idle
    cash, expired risk assessments, holdings above the client's risk level, losses beyond a threshold,
    single-product / manager / industry concentration, elderly clients holding R3+. Complete lists, paged."""
    q = book.BookQuery(rule=rule, within_days=within_days, month=month, loss_threshold=loss_threshold, page=page,
                       page_size=page_size)
    return compact(book.book_query(service_deps(runtime), q), max_rows=page_size)


@tool("book_totals", args_schema=TotalsArgs)
def book_totals(runtime: ToolRuntime[AgentContext], top_n: int = 10) -> dict[str, Any]:
    """Totals of the caller's book (名下客户总资产/AUM): clients, AUM, cash, by asset class and risk level,
    the largest clients."""
    return compact(book.book_totals(service_deps(runtime), top_n=top_n), max_rows=max(top_n, 1))
