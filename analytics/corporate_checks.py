"""Data-plausibility warnings and snapshot changes for due diligence (pure, no I/O).

Plausibility is about the *source data*, not the company: an address in a city that does not exist, a
risk event copied verbatim onto several companies, a ratio that does not move at all across years. Each
warning tells the credit officer what to verify; none changes the verdict by itself.

Changes compare two snapshots. The store keeps one snapshot (the latest), so the earlier one is derived
from dated history: facilities started or matured and risk events dated in between, and the latest
fiscal year against the one before. Undated data (registration, shareholders) cannot be compared: the
change report says so instead of claiming "no change".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel

from analytics.corporate import Ratio
from analytics.regions import CITIES_BY_REGION

_CITY = re.compile(r"省(?P<city>[^省市]{1,6}市)")
# ratios that follow from the statements' structure, worth questioning when they never move
CONSTANT_CHECKED = (
    "gross_margin", "debt_to_asset", "current_ratio", "quick_ratio", "receivable_days", "inventory_days",
    "cfo_to_net_profit",
)


class Warning_(BaseModel):
    code: str  # unknown_city | city_region_mismatch | shared_event | constant_ratio
    subject: str  # the city, the event description, the metric
    detail: str = ""  # the other value: region city, company count, the constant value
    value: float | None = None


def city_warnings(address: str, credit_code: str) -> list[Warning_]:
    m = _CITY.search(address or "")
    if not m:
        return []
    city = m.group("city")
    out = []
    if city not in CITIES_BY_REGION.values():
        out.append(Warning_(code="unknown_city", subject=city))
    region = CITIES_BY_REGION.get((credit_code or "")[2:8])
    if region and city != region:
        out.append(Warning_(code="city_region_mismatch", subject=city, detail=region))
    return out


def shared_events(company_id: str, all_events: pd.DataFrame) -> list[Warning_]:
    """This company's events that appear verbatim (date, kind, amount, description) at other companies."""
    if not len(all_events):
        return []
    key = ["date", "kind", "description"]
    ev = all_events.assign(amount=all_events["amount"].fillna(-1.0))
    counts = ev.groupby([*key, "amount"])["corporate_id"].nunique()
    mine = ev[ev["corporate_id"] == company_id]
    out = []
    for row in mine.itertuples():
        n = int(counts[(row.date, row.kind, row.description, row.amount)])
        if n > 1:
            out.append(Warning_(code="shared_event", subject=str(row.description), detail=str(row.date), value=n))
    return out


def constant_ratios(ratio_list: list[Ratio], *, tolerance: float) -> list[Warning_]:
    """Metrics whose values over the reported years (≥2) differ by less than ``tolerance`` relative."""
    out = []
    for metric in CONSTANT_CHECKED:
        vals = [r.value for r in ratio_list if r.metric == metric and r.value is not None]
        if len(vals) < 2:
            continue
        mid = sum(abs(v) for v in vals) / len(vals)
        if mid > 0 and (max(vals) - min(vals)) / mid <= tolerance:
            out.append(Warning_(code="constant_ratio", subject=metric, value=vals[-1], detail=str(len(vals))))
    return out


class Change(BaseModel):
    area: str  # credit | events | financials | registration | shareholders
    code: str  # new_facility | matured | new_event | fin_delta | no_history
    subject: str = ""
    when: date | None = None
    before: float | None = None
    after: float | None = None


def snapshot_changes(
    before: date, after: date, *, credit: pd.DataFrame, events: pd.DataFrame, fin_rows: list[dict[str, Any]],
    years: list[int],
) -> list[Change]:
    """What changed between ``before`` and ``after`` as far as the dated data shows (module docstring)."""
    out: list[Change] = []
    lo, hi = pd.Timestamp(before), pd.Timestamp(after)
    for row in credit.itertuples() if len(credit) else []:
        start, mat = pd.Timestamp(row.start_date), pd.Timestamp(row.maturity_date)
        label = f"{row.lender} · {row.facility_type}"
        if lo < start <= hi:
            out.append(Change(area="credit", code="new_facility", subject=label, when=start.date(),
                              after=float(row.limit_amount)))
        if lo < mat <= hi:
            out.append(Change(area="credit", code="matured", subject=label, when=mat.date(),
                              after=float(row.balance)))
    for row in events.itertuples() if len(events) else []:
        d = pd.Timestamp(row.date)
        if lo < d <= hi:
            out.append(Change(area="events", code="new_event", subject=str(row.kind), when=d.date(),
                              after=None if pd.isna(row.amount) else float(row.amount)))
    by_year = {int(r["year"]): r for r in fin_rows}
    y1 = max((y for y in years if by_year.get(y, {}).get("revenue") is not None), default=None)
    if y1 is not None and (y1 - 1) in by_year:
        for item in ("revenue", "net_profit", "total_liabilities", "equity"):
            out.append(Change(area="financials", code="fin_delta", subject=item, when=date(y1, 12, 31),
                              before=by_year[y1 - 1].get(item), after=by_year[y1].get(item)))
    out.append(Change(area="registration", code="no_history"))
    out.append(Change(area="shareholders", code="no_history"))
    return out
