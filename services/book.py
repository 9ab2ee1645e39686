"""Book use cases: the follow-up list by rule (complete, paged, never silently cut), and book totals (AUM).

Only the caller's own clients are read (an admin sees every client; the client channel none).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from datetime import date, timedelta
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from analytics.book import RULES, scan_book
from core.errors import InvalidInput
from core.policy import Policy
from services import loading
from services.access import require_book_access, require_client_access
from services.deps import Deps


class BookQuery(BaseModel):
    rule: str | None = Field(None, description="one of analytics.book.RULES; None = every rule")
    within_days: int | None = Field(None, ge=1, le=3650, description="maturing: window in days")
    month: str | None = Field(None, pattern=r"^(\d{4}-\d{2}|next|this)$",
                              description="maturing: a calendar month YYYY-MM, or next / this (month of the data date)")
    loss_threshold: float | None = Field(None, gt=0, lt=1, description="loss: share of cost, e.g. 0.2")
    client_id: str | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=500)


class BookQueryResult(BaseModel):
    as_of: date
    rule: str | None
    window: dict[str, Any]  # what the maturity / loss filter was
    clients_scanned: int
    total_findings: int  # findings matching, over every page
    clients_matching: int
    counts_by_rule: dict[str, int]
    page: int
    page_size: int
    pages: int
    complete: bool  # True when this page holds every matching finding
    findings: list[dict[str, Any]]


def _window(q: BookQuery, as_of: date) -> tuple[int | None, date | None, date | None]:
    """(days to scan for maturities, first day, last day) for the maturity filters."""
    if q.month:
        if q.month in ("next", "this"):
            y, m = as_of.year, as_of.month + (q.month == "next")
            y, m = (y + 1, 1) if m == 13 else (y, m)
        else:
            y, m = (int(x) for x in q.month.split("-"))
        first = date(y, m, 1)
        last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        if last <= as_of:
            raise InvalidInput(f"{q.month} is not after the data date {as_of}", field="month",
                               hint="give a coming month, e.g. the next one")
        return (last - as_of).days, max(first, as_of + timedelta(days=1)), last
    if q.within_days:
        return q.within_days, as_of + timedelta(days=1), as_of + timedelta(days=q.within_days)
    return None, None, None


_SCANS: OrderedDict[tuple[Any, ...], tuple[float, pd.DataFrame, int]] = OrderedDict()
_SCAN_TTL_S = 60.0


def _scan(deps: Deps, ids: list[str] | None, policy: Policy, days: int | None) -> tuple[pd.DataFrame, int]:
    """The book scan of one caller's book, reused for the pages of one list (a 10,000-client book is scanned
    once, not once per page). Keyed by the data version, so an import is never served stale."""
    key = (id(deps.engine), _rm(deps), tuple(ids or ()), deps.as_of, loading.data_version(deps.engine),
           policy.model_dump_json(), days)
    hit = _SCANS.get(key)
    if hit is not None and time.monotonic() - hit[0] < _SCAN_TTL_S:
        _SCANS.move_to_end(key)
        return hit[1], hit[2]
    frames = loading.client_books(deps.engine, ids, deps.as_of, rm_id=_rm(deps))
    found = scan_book(frames, as_of=deps.as_of, policy=policy, maturing_days=days)
    _SCANS[key] = (time.monotonic(), found, len(frames.clients))
    while len(_SCANS) > 16:
        _SCANS.popitem(last=False)
    return found, len(frames.clients)


def _rm(deps: Deps) -> str | None:
    """Whose book: the RM's own; None = every client (admin only; the client channel is refused earlier)."""
    return None if deps.caller.role == "admin" else deps.caller.rm_id


def book_query(deps: Deps, q: BookQuery) -> BookQueryResult:
    """名下客户 by rule: 下个月到期的客户, 测评过期, 亏损超过X%, 闲置资金, 风险错配, 集中度, 高龄持有高风险."""
    require_book_access(deps.caller)
    if q.rule is not None and q.rule not in RULES:
        raise InvalidInput(f"unknown rule {q.rule!r}", field="rule", hint="one of " + ", ".join(RULES))
    ids: list[str] | None = None  # None: the caller's whole book (every client for an admin)
    if q.client_id:
        require_client_access(deps.engine, deps.caller, q.client_id.upper())
        ids = [q.client_id.upper()]
    days, first, last = _window(q, deps.as_of)
    policy = deps.policy
    if q.loss_threshold is not None:
        policy = policy.replace(alerts={"loss_threshold": q.loss_threshold})
    found, scanned = _scan(deps, ids, policy, days)
    if first is not None and len(found):
        mat = found["rule"] == "maturing"
        d = pd.to_datetime(found["detail_date"])
        found = found[~mat | ((d >= pd.Timestamp(first)) & (d <= pd.Timestamp(last)))]
    counts = {str(k): int(v) for k, v in found["rule"].value_counts().items()} if len(found) else {}
    if q.rule is not None:
        found = found[found["rule"] == q.rule]
    if q.rule == "maturing" and len(found):
        found = found.sort_values(["detail_date", "client_id"], kind="stable")
    total = len(found)
    pages = max(1, math.ceil(total / q.page_size))
    if q.page > pages:
        raise InvalidInput(f"page {q.page} is past the last page {pages}", field="page", hint=f"1..{pages}")
    rows = found.iloc[(q.page - 1) * q.page_size : q.page * q.page_size]
    window: dict[str, Any] = {}
    if first is not None:
        window = {"from": first, "to": last, "days": days}
    if q.rule in (None, "loss"):
        window["loss_threshold"] = policy.alerts.loss_threshold
    return BookQueryResult(
        as_of=deps.as_of, rule=q.rule, window=window,
        clients_scanned=scanned,
        total_findings=total, clients_matching=int(found["client_id"].nunique()) if total else 0, counts_by_rule=counts,
        page=q.page, page_size=q.page_size, pages=pages, complete=total <= q.page_size,
        findings=rows.to_dict("records"),
    )


class BookTotals(BaseModel):
    as_of: date
    client_count: int
    aum: float  # market value of holdings + current-account cash, yuan
    cash: float
    by_asset_class: dict[str, float]
    by_risk_level: dict[str, int]  # clients per C1..C5
    largest_clients: list[dict[str, Any]]  # the largest by assets


def book_totals(deps: Deps, *, top_n: int = 10) -> BookTotals:
    """Book AUM and counts for the caller's book."""
    require_book_access(deps.caller)
    fr = loading.client_books(deps.engine, None, deps.as_of, rm_id=_rm(deps))
    pos = fr.positions.merge(fr.products[["code", "asset_class"]], left_on="product_code", right_on="code")
    cash = fr.cash.groupby("client_id")["balance"].sum() if fr.cash is not None and len(fr.cash) else pd.Series(
        dtype=float)
    by_class = pos.groupby("asset_class")["market_value"].sum()
    by_class["cash"] = float(by_class.get("cash", 0.0)) + float(cash.sum())
    per_client = pos.groupby("client_id")["market_value"].sum().add(cash, fill_value=0.0)
    names = fr.clients.set_index("id")["name"]
    top = per_client.sort_values(ascending=False).head(top_n)
    return BookTotals(
        as_of=deps.as_of, client_count=len(fr.clients), aum=float(pos["market_value"].sum()) + float(cash.sum()),
        cash=float(cash.sum()), by_asset_class={str(k): float(v) for k, v in by_class.items()},
        by_risk_level={str(k): int(v) for k, v in fr.clients["risk_level"].value_counts().sort_index().items()},
        largest_clients=[{"client_id": c, "name": str(names.get(c, "")), "total_assets": float(v)}
                         for c, v in top.items()],
    )
