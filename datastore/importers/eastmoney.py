"""Eastmoney / 天天基金 fund NAV history CSV (历史净值).

Columns (others such as 申购状态 or a junk ``Unnamed: 0`` are ignored; API names in brackets):
净值日期 [FSRQ], 单位净值 [DWJZ], 累计净值 [LJJZ], 日增长率 [JZZZL] (percent, optional), 分红送配 [FHSP]
(optional). 分红送配 text becomes numbers: "每份派现金0.1000元" → dividend 0.1;
"每份基金份额折算1.7356份" or "每份基金份额分拆1.2份" → split_ratio (k new units per unit).
日增长率 is converted from percent to a fraction (eastmoney computes it on adjusted NAV).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, select

from core.errors import InvalidInput
from datastore.engine import create_schema
from datastore.importers._csv import CsvFile, parse_date, parse_number
from datastore.importers.quality import Gate, resolve_as_of
from datastore.repositories.meta import clear_cache
from datastore.sample.loader import insert_frame
from datastore.schema import Fund, FundCompany, FundManager, FundNav

NAV_COLUMNS = ["date", "unit_nav", "acc_nav", "dividend", "split_ratio", "daily_return"]
_ALIASES = {"净值日期": ["FSRQ"], "单位净值": ["DWJZ"], "累计净值": ["LJJZ"], "日增长率": ["JZZZL"], "分红送配": ["FHSP"]}
_CASH = re.compile(r"派现金\s*([0-9]+(?:\.[0-9]+)?)\s*元")
_SPLIT = re.compile(r"(?:折算|分拆)(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*份")

PLACEHOLDER_COMPANY = "EXT"
PLACEHOLDER_MANAGER = "EXT"
_DEFAULT_RISK = {"money": "R1", "bond": "R2", "hybrid": "R3", "fof": "R3", "equity": "R4", "index": "R4",
                 "feeder": "R4", "qdii": "R4"}


def parse_event(text: str) -> tuple[float, float | None]:
    """(cash dividend per unit, split ratio or None) from a 分红送配 cell; ValueError if unrecognised.

    >>> parse_event("每份派现金0.1000元")
    (0.1, None)
    >>> parse_event("每份基金份额折算1.494202845份")
    (0.0, 1.494202845)
    """
    t = (text or "").strip()
    if not t:
        return 0.0, None
    cash = _CASH.search(t)
    split = _SPLIT.search(t)
    if cash is None and split is None:
        raise ValueError(t)
    return (float(cash.group(1)) if cash else 0.0), (float(split.group(1)) if split else None)


def read_eastmoney_nav(path: str | Path) -> pd.DataFrame:
    """Parse an eastmoney NAV export into canonical rows sorted by date (ascending):

        date        unit_nav  acc_nav  dividend  split_ratio  daily_return
        2009-12-25  1.445     3.226    0.10      NaN          0.0013
    ``date`` holds ``datetime.date``; ``daily_return`` is a fraction (NaN where the vendor left it
    empty); ``split_ratio`` NaN on ordinary days. Raises ``InvalidInput`` naming file, line and column.
    """
    return _read(path)[NAV_COLUMNS]


def _read(path: str | Path) -> pd.DataFrame:
    """``read_eastmoney_nav`` plus ``_line`` (the file line of each row) for the quality gates."""
    f = CsvFile(path)
    cols = f.resolve(_ALIASES, required=["净值日期", "单位净值", "累计净值"])
    if f.df.empty:
        raise InvalidInput(f"{f.path}: no data rows", field="file", hint="export the NAV history with its header")
    rows: list[dict[str, Any]] = []
    seen: dict[date, int] = {}
    for i, rec in enumerate(f.df.to_dict("records")):
        d = parse_date(f, i, cols["净值日期"], rec[cols["净值日期"]])
        if d in seen:
            raise f.error(i, cols["净值日期"], f"date {d} repeats line {f.line(seen[d])}", hint="one row per date")
        seen[d] = i
        unit = parse_number(f, i, cols["单位净值"], rec[cols["单位净值"]], strictly_positive=True)
        acc = parse_number(f, i, cols["累计净值"], rec[cols["累计净值"]], strictly_positive=True)
        ret = None
        if "日增长率" in cols:
            ret = parse_number(f, i, cols["日增长率"], rec[cols["日增长率"]].replace("%", ""), allow_empty=True)
        div, split = 0.0, None
        if "分红送配" in cols:
            try:
                div, split = parse_event(rec[cols["分红送配"]])
            except ValueError:
                raise f.error(i, cols["分红送配"], f"unrecognised event text {rec[cols['分红送配']]!r}",
                              hint='expected "每份派现金0.1000元" or "每份基金份额折算1.0234份"') from None
            if split is not None and split <= 0:
                raise f.error(i, cols["分红送配"], "split ratio must be greater than 0")
        rows.append({"date": d, "unit_nav": unit, "acc_nav": acc, "dividend": div, "split_ratio": split,
                     "daily_return": None if ret is None else round(ret / 100, 10), "_line": f.line(i)})
    out = pd.DataFrame(rows, columns=[*NAV_COLUMNS, "_line"]).sort_values("date", ignore_index=True)
    for c in ("split_ratio", "daily_return"):
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


def import_eastmoney_nav(engine: Engine, path: str | Path, code: str, *, create: bool = False,
                         name: str | None = None, fund_type: str | None = None, as_of: date | None = None,
                         replace_range: bool = False) -> dict[str, Any]:
    """Store a NAV export as ``fund_nav`` rows of fund ``code`` in one transaction.

    Rows for the dates in the file replace the stored rows of those dates (re-importing is idempotent);
    stored rows on other dates are kept. ``replace_range=True`` (CLI ``--replace-range``) deletes every
    stored row between the file's first and last date first, for a vendor's corrected history.
    The quality gates (``datastore.importers.quality``) refuse dates after ``as_of`` (default: the data
    set's as-of date), unit NAVs ≤ 0 or above 1,000, and daily returns beyond ±50% on a day without
    dividend or split (also across the seam with the stored row before the file's first date). If the fund is
    not in ``funds``, pass ``create=True`` with ``name`` and ``fund_type``: a minimal fund record is
    created under the placeholder company/manager ``EXT`` (fees 0, risk level by type, benchmark
    "未知"), so analytics can run on it; nothing is created implicitly.
    Returns ``{"code", "rows", "first", "last", "dividends", "splits", "created_fund", "replaced"}``
    (``replaced`` = stored rows deleted: same dates, or the whole range with ``replace_range``).
    """
    code = (code or "").strip()
    if not re.fullmatch(r"\d{6}", code):
        raise InvalidInput(f"fund code {code!r} is not 6 digits", field="code", hint="e.g. --code 161725")
    nav = _read(path)
    create_schema(engine)
    gate = Gate(path, resolve_as_of(engine, as_of))
    for ln, d, unit, acc in nav[["_line", "date", "unit_nav", "acc_nav"]].itertuples(index=False):
        gate.date(int(ln), "净值日期", d)
        gate.unit_nav(int(ln), "单位净值", unit)
        gate.unit_nav(int(ln), "累计净值", acc)
    first, last = nav["date"].iloc[0], nav["date"].iloc[-1]
    with engine.connect() as conn:
        stored = pd.DataFrame(conn.execute(select(FundNav.date, FundNav.unit_nav, FundNav.dividend,
                                                  FundNav.split_ratio).where(FundNav.fund_code == code)).all(),
                              columns=["date", "unit_nav", "dividend", "split_ratio"])
    kept = stored[~stored["date"].isin(set(nav["date"]))]
    if replace_range:
        kept = kept[(kept["date"] < first) | (kept["date"] > last)]
    merged = pd.concat([kept.assign(_line=np.nan), nav], ignore_index=True).sort_values("date", ignore_index=True)
    gate.daily_returns(merged.astype({"unit_nav": float, "dividend": float, "split_ratio": float}), "单位净值")
    created = False
    replaced = 0
    with engine.begin() as conn:
        exists = conn.execute(select(Fund.code).where(Fund.code == code)).first() is not None
        if not exists:
            if not create:
                raise InvalidInput(f"fund {code!r} is not in the database", field="code",
                                   hint="add --create --name NAME --type TYPE to create a minimal fund record")
            if not name or fund_type not in _DEFAULT_RISK:
                raise InvalidInput("creating a fund needs --name and --type", field="type",
                                   hint="type is one of " + ", ".join(_DEFAULT_RISK))
            _ensure_placeholders(conn, nav["date"].iloc[0])
            insert_frame(conn, "funds", pd.DataFrame([{
                "code": code, "name": name, "name_en": name, "type": fund_type, "is_etf": False,
                "target_fund_code": None, "manager_id": PLACEHOLDER_MANAGER, "company_id": PLACEHOLDER_COMPANY,
                "benchmark": "未知 (imported)", "benchmark_index": None, "benchmark_equity_share": 0.0,
                "management_fee": 0.0, "custody_fee": 0.0, "subscription_fee": 0.0, "redemption_fee": 0.0,
                "risk_level": _DEFAULT_RISK[fund_type], "inception_date": nav["date"].iloc[0], "size": 0.0,
                "currency": "CNY"}]))
            created = True
        if replace_range:  # explicit: the file is the whole truth between its first and last date
            replaced = conn.execute(delete(FundNav).where(
                FundNav.fund_code == code, FundNav.date >= first, FundNav.date <= last)).rowcount or 0
        else:  # only the dates the file brings; a sparse file never deletes the history in between
            days = nav["date"].tolist()
            for j in range(0, len(days), 500):  # bounded IN lists (SQLite variable limit)
                replaced += conn.execute(delete(FundNav).where(
                    FundNav.fund_code == code, FundNav.date.in_(days[j:j + 500]))).rowcount or 0
        insert_frame(conn, "fund_nav", nav[NAV_COLUMNS].assign(fund_code=code))
    clear_cache()
    return {"code": code, "rows": len(nav), "first": nav["date"].iloc[0], "last": nav["date"].iloc[-1],
            "dividends": int((nav["dividend"] > 0).sum()), "splits": int(nav["split_ratio"].notna().sum()),
            "created_fund": created, "replaced": int(replaced)}


def _ensure_placeholders(conn, first: date) -> None:  # noqa: ANN001 - Connection
    if conn.execute(select(FundCompany.id).where(FundCompany.id == PLACEHOLDER_COMPANY)).first() is None:
        insert_frame(conn, "fund_companies", pd.DataFrame([{
            "id": PLACEHOLDER_COMPANY, "name": "外部导入(未知基金公司)", "name_en": "Imported (unknown company)",
            "founded": first, "aum": 0.0}]))
    if conn.execute(select(FundManager.id).where(FundManager.id == PLACEHOLDER_MANAGER)).first() is None:
        insert_frame(conn, "fund_managers", pd.DataFrame([{
            "id": PLACEHOLDER_MANAGER, "name": "未知", "company_id": PLACEHOLDER_COMPANY, "career_start": first,
            "education": None}]))
