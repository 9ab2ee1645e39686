"""Helpers of the due-diligence use case: industry peers, index returns and the AML risk rating."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from analytics import corporate as corp
from analytics.corporate_checks import Warning_
from analytics.corporate_ownership import Ownership
from datastore.repositories import corporate as repo

PEER_METRICS = ("revenue_growth", "gross_margin", "net_margin", "debt_to_asset", "current_ratio", "dscr")
# open events that make an account-opening customer high risk (反洗钱 客户风险等级)
AML_HIGH_EVENTS = ("dishonest", "enforcement", "abnormal")


def peer_ratios(engine: Engine, everyone: pd.DataFrame, reg: dict[str, Any], years: list[int]) -> list[dict]:
    """Latest-year ratios of every company in the same Shenwan industry (the subject included)."""
    out = []
    for row in everyone[everyone["industry_code"] == reg["industry_code"]].itertuples():
        fin = repo.corporate_financials(engine, row.id)
        present = [y for y in years if y in set(fin["year"])]
        if not present:
            continue
        rs = {r.metric: r.value for r in corp.ratios(fin, [present[-1]])}
        out.append({"id": row.id, "name": row.name, "year": present[-1], **{m: rs.get(m) for m in PEER_METRICS}})
    return out


def window_return(levels: pd.DataFrame, as_of: date, days: int = 365) -> float | None:
    """Index return over the ``days`` before ``as_of`` (last level on or before each end), None if absent."""
    if not len(levels):
        return None
    s = levels.assign(date=pd.to_datetime(levels["date"])).set_index("date")["level"].sort_index()
    end, start = s[: pd.Timestamp(as_of)], s[: pd.Timestamp(as_of - timedelta(days=days))]
    if not len(end) or not len(start) or start.iloc[-1] == 0:
        return None
    return float(end.iloc[-1] / start.iloc[-1] - 1)


def aml_rating(flags: list[corp.Flag], ownership: Ownership, warnings: list[Warning_]) -> tuple[str, list[str]]:
    """Customer AML risk rating by stated rules: high on an open dishonest/enforcement/abnormal record or a
    red flag; medium when beneficial ownership is not fully looked through or the data are questionable;
    low otherwise. Returns the rating and the reason codes."""
    codes = {f.code for f in flags}
    high = [c for c in (f"open_{k}" for k in AML_HIGH_EVENTS) if c in codes]
    high += [f.code for f in flags if f.severity == "red" and f.code not in high]
    if high:
        return "high", high
    medium = []
    if ownership.unresolved_share > 0:
        medium.append("ubo_unresolved")
    if ownership.ubo_basis == "senior_manager":
        medium.append("ubo_senior_manager")
    if warnings:
        medium.append("data_warnings")
    return ("medium", medium) if medium else ("low", ["no_adverse"])
