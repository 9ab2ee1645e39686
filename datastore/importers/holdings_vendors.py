"""Vendor adapters for fund holdings: map each vendor's columns onto ``holdings.HOLDING_COLUMNS``.

Units are converted here and nowhere else: percent of NAV → fraction, 万股 → 股, 万元 → 元.
Each reader returns ``(lines, sectors, report_column)``; ``report_column`` names the column that carries
the period in error messages. Column mappings: docs/importers.md.

- akshare ``fund_portfolio_hold_em``: 序号, 股票代码, 股票名称, 占净值比例 (%), 持股数 (万股), 持仓市值 (万元), 季度
- akshare ``fund_portfolio_bond_hold_em``: 序号, 债券代码, 债券名称, 占净值比例 (%), 持仓市值 (万元), 季度
- akshare ``fund_portfolio_industry_allocation_em``: 序号, 行业类别 (CSRC), 占净值比例 (%), 市值 (万元), 截止时间
- tushare ``fund_portfolio``: ts_code, ann_date, end_date, symbol, mkv (元), amount (股), stk_mkv_ratio (% of the
  fund's *stock* value), stk_float_ratio
- eastmoney JSON (as scraped from the fund page): [{fund_code, fund_name, holdings: [{stock_code, stock_name,
  weight_pct_of_nav}], stockDistribution: [{name (CSRC), value (%)}]}]
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from datastore.importers._csv import CsvFile, parse_date, parse_number
from datastore.importers.disclosure import report_date_from_label
from datastore.importers.holdings import HOLDING_COLUMNS, SECTOR_COLUMNS, require_code
from datastore.importers.quality import Gate
from datastore.importers.securities import bond_id, bond_type, stock_id
from datastore.schema import FundAssetAllocation

WAN = 10_000.0  # 万
_NO_SECTORS = pd.DataFrame(columns=SECTOR_COLUMNS)


def _pct(f: CsvFile, i: int, col: str, value: str, gate: Gate) -> float:
    x = parse_number(f, i, col, (value or "").replace("%", ""))
    return gate.weight(f.line(i), col, float(x) / 100.0)  # type: ignore[arg-type]


def _opt(f: CsvFile, i: int, c: dict[str, str], key: str, scale: float, gate: Gate) -> float | None:
    if key not in c:
        return None
    x = parse_number(f, i, c[key], f.df.iat[i, f.df.columns.get_loc(c[key])], minimum=0, allow_empty=True)
    if x is None:
        return None
    check = gate.units if key in ("shares",) else gate.amount
    return check(f.line(i), c[key], x * scale)


def _period(f: CsvFile, i: int, c: dict[str, str], key: str, report_date: date | None) -> date:
    if key in c and f.df.iat[i, f.df.columns.get_loc(c[key])].strip():
        raw = f.df.iat[i, f.df.columns.get_loc(c[key])]
        d = report_date_from_label(raw)
        if d is None:
            try:
                d = parse_date(f, i, c[key], raw)
            except Exception:  # noqa: BLE001 - reported below with the expected forms
                d = None
        if d is None:
            raise f.error(i, c[key], f"{raw!r} names no report period", hint='e.g. "2025年1季度股票投资明细"')
        if report_date is not None and d != report_date:
            raise f.error(i, c[key], f"period {d} differs from --report-date {report_date}",
                          hint="drop --report-date or import one period per run")
        return d
    if report_date is None:
        raise f.error(i, c.get(key, key), "no report period", hint="the file needs the 季度 column, or pass --report-date")
    return report_date


def _stock(f: CsvFile, i: int, col: str, raw: str) -> tuple[str, str]:
    v = raw.strip()
    if re.fullmatch(r"\d{1,4}", v):  # an A-share code whose leading zeros a spreadsheet dropped, or junk
        raise f.error(i, col, f"{raw!r} is not a stock code", hint="A-share codes have 6 digits (002463), "
                      "Hong Kong 5 (01801): keep the column as text when saving from Excel")
    sid = stock_id(v)
    if sid is None:
        raise f.error(i, col, f"{raw!r} is not a stock code", hint="600519, 600519.SH or 01801 (Hong Kong)")
    return sid


def read_akshare_stock(gate: Gate, *, code: str | None, report_date: date | None, **_: Any):  # noqa: ANN201
    fund = require_code(code)
    f = CsvFile(gate.path)
    c = f.resolve({"股票代码": [], "股票名称": [], "占净值比例": ["占净值比例(%)"], "持股数": ["持股数(万股)"],
                   "持仓市值": ["持仓市值(万元)"], "季度": ["报告期"]}, required=["股票代码", "占净值比例"])
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        sid, market = _stock(f, i, c["股票代码"], r[c["股票代码"]])
        rows.append({"fund_code": fund, "report_date": _period(f, i, c, "季度", report_date), "security_id": sid,
                     "security_name": r.get(c.get("股票名称", ""), "").strip() or None, "kind": "stock",
                     "market": market, "bond_type": None, "weight": _pct(f, i, c["占净值比例"], r[c["占净值比例"]], gate),
                     "shares": _opt(f, i, {"shares": c["持股数"]} if "持股数" in c else {}, "shares", WAN, gate),
                     "market_value": _opt(f, i, {"mv": c["持仓市值"]} if "持仓市值" in c else {}, "mv", WAN, gate),
                     "fund_name": None, "_line": f.line(i)})
    return pd.DataFrame(rows, columns=HOLDING_COLUMNS), _NO_SECTORS, c.get("季度", "季度")


def read_akshare_bond(gate: Gate, *, code: str | None, report_date: date | None, **_: Any):  # noqa: ANN201
    fund = require_code(code)
    f = CsvFile(gate.path)
    c = f.resolve({"债券代码": [], "债券名称": [], "占净值比例": ["占净值比例(%)"], "持仓市值": ["持仓市值(万元)"],
                   "季度": ["报告期"]}, required=["债券代码", "占净值比例"])
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        bid = bond_id(r[c["债券代码"]])
        if bid is None:
            raise f.error(i, c["债券代码"], f"{r[c['债券代码']]!r} is not a bond code")
        name = r.get(c.get("债券名称", ""), "").strip() or None
        rows.append({"fund_code": fund, "report_date": _period(f, i, c, "季度", report_date), "security_id": bid[0],
                     "security_name": name, "kind": "bond", "market": bid[1], "bond_type": bond_type(name or ""),
                     "weight": _pct(f, i, c["占净值比例"], r[c["占净值比例"]], gate), "shares": None,
                     "market_value": _opt(f, i, {"mv": c["持仓市值"]} if "持仓市值" in c else {}, "mv", WAN, gate),
                     "fund_name": None, "_line": f.line(i)})
    return pd.DataFrame(rows, columns=HOLDING_COLUMNS), _NO_SECTORS, c.get("季度", "季度")


def read_akshare_industry(gate: Gate, *, code: str | None, report_date: date | None, **_: Any):  # noqa: ANN201
    fund = require_code(code)
    f = CsvFile(gate.path)
    c = f.resolve({"行业类别": [], "占净值比例": ["占净值比例(%)"], "市值": ["市值(万元)"], "截止时间": ["截止日期"]},
                  required=["行业类别", "占净值比例"])
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        sector = r[c["行业类别"]].strip()
        if not sector:
            raise f.error(i, c["行业类别"], "is empty")
        rows.append({"fund_code": fund, "report_date": _period(f, i, c, "截止时间", report_date), "sector": sector,
                     "published_on": None, "weight": _pct(f, i, c["占净值比例"], r[c["占净值比例"]], gate),
                     "market_value": _opt(f, i, {"mv": c["市值"]} if "市值" in c else {}, "mv", WAN, gate),
                     "_line": f.line(i)})
    return pd.DataFrame(columns=HOLDING_COLUMNS), pd.DataFrame(rows, columns=SECTOR_COLUMNS), c.get("截止时间", "截止时间")


def read_tushare(gate: Gate, *, code: str | None, report_date: date | None, engine: Engine,
                 stock_share: float | None = None, **_: Any):  # noqa: ANN201
    """tushare gives each line as a share of the fund's stock book (``stk_mkv_ratio``); the share of NAV is
    that times the fund's stock share of NAV for the period: from ``fund_asset_allocation`` when stored,
    else ``stock_share`` (``--stock-share``, one fund and period per file)."""
    f = CsvFile(gate.path)
    c = f.resolve({"ts_code": [], "ann_date": [], "end_date": [], "symbol": [], "mkv": [], "amount": [],
                   "stk_mkv_ratio": []}, required=["ts_code", "end_date", "symbol", "stk_mkv_ratio"])
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        ts = r[c["ts_code"]].strip().upper()
        fund = ts.split(".")[0]
        if code and fund != code:
            raise f.error(i, c["ts_code"], f"fund {ts} differs from --code {code}")
        if not re.fullmatch(r"\d{6}", fund):
            raise f.error(i, c["ts_code"], f"{ts!r} is not a tushare fund code", hint="e.g. 001753.OF")
        end = parse_date(f, i, c["end_date"], r[c["end_date"]])
        if report_date is not None and end != report_date:
            continue  # --report-date selects one period of a multi-period export
        ann = parse_date(f, i, c["ann_date"], r[c["ann_date"]]) if "ann_date" in c and r[c["ann_date"]].strip() else None
        sid, market = _stock(f, i, c["symbol"], r[c["symbol"]])
        ratio = parse_number(f, i, c["stk_mkv_ratio"], r[c["stk_mkv_ratio"]], minimum=0)
        if ratio > 100:  # type: ignore[operator]
            raise f.error(i, c["stk_mkv_ratio"], f"{ratio:g}% of the stock book exceeds 100%")
        rows.append({"fund_code": fund, "report_date": end, "published_on": ann, "security_id": sid, "security_name": None,
                     "kind": "stock", "market": market, "bond_type": None, "weight": float(ratio) / 100,  # type: ignore[arg-type]
                     "shares": _opt(f, i, {"shares": c["amount"]} if "amount" in c else {}, "shares", 1.0, gate),
                     "market_value": _opt(f, i, {"mv": c["mkv"]} if "mkv" in c else {}, "mv", 1.0, gate),
                     "fund_name": None, "_line": f.line(i)})
    df = pd.DataFrame(rows, columns=HOLDING_COLUMNS + ["published_on"])
    df = df.loc[:, ~df.columns.duplicated()]
    if df.empty:
        return df, _NO_SECTORS, c["end_date"]
    # stock share of NAV per (fund, period)
    periods = df[["fund_code", "report_date"]].drop_duplicates()
    with engine.connect() as conn:
        alloc = {(a, b): s for a, b, s in conn.execute(select(
            FundAssetAllocation.fund_code, FundAssetAllocation.report_date, FundAssetAllocation.stock).where(
            FundAssetAllocation.fund_code.in_(periods["fund_code"].tolist()))).all()}
    share = {}
    for p in periods.itertuples(index=False):
        s = alloc.get((p.fund_code, p.report_date))
        if s is None and stock_share is not None and len(periods) == 1:
            s = stock_share if stock_share <= 1 else stock_share / 100
        if s is None or not 0 <= s <= 1:
            ln = int(df.loc[(df["fund_code"] == p.fund_code) & (df["report_date"] == p.report_date), "_line"].min())
            raise gate.error(ln, c["stk_mkv_ratio"], f"stk_mkv_ratio is a share of the stock book; fund {p.fund_code}'s "
                             f"stock share of NAV on {p.report_date} is not known",
                             "pass --stock-share 0.85 (股票占净值比, report section 5.1) for a one-fund, one-period file")
        share[(p.fund_code, p.report_date)] = s
    df["weight"] = df["weight"] * [share[k] for k in zip(df["fund_code"], df["report_date"], strict=True)]
    # several ann_dates for one period: the first announcement is the quarterly top 10, the later one the
    # semi-annual/annual report's full list (tushare keeps each line under the date it first appeared)
    first = df.groupby(["fund_code", "report_date"])["published_on"].transform("min")
    last = df.groupby(["fund_code", "report_date"])["published_on"].transform("max")
    two = first.notna() & (first != last)
    top10 = df[two & (df["published_on"] == first)].assign(disclosure="top10", published_on=first[two])
    full = df[two].assign(disclosure="full", published_on=last[two])
    single = df[~two].assign(disclosure=None)
    out = pd.concat([top10, full, single], ignore_index=True)
    return out, _NO_SECTORS, c["end_date"]


def _positions(text: str, key: str) -> list[int]:
    """1-based line of each ``"key":`` in document order (the k-th match is the k-th object's key)."""
    starts = np.array([m.start() for m in re.finditer(rf'"{key}"\s*:', text)], dtype=np.int64)
    newlines = np.array([m.start() for m in re.finditer("\n", text)], dtype=np.int64)
    return (np.searchsorted(newlines, starts) + 1).tolist()


def read_eastmoney_json(gate: Gate, *, code: str | None, report_date: date | None, **_: Any):  # noqa: ANN201
    """The scrape carries no period: ``--report-date`` (or a ``report_date`` key per fund) says which."""
    p = gate.path
    if not p.is_file():
        raise gate.error(None, None, "file not found", "give the path of the JSON file")
    text = p.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise gate.error(exc.lineno, None, f"not valid JSON ({exc.msg}, column {exc.colno})",
                         "export the holdings as a JSON list of funds") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise gate.error(1, None, "expected a list of funds", '[{"fund_code": …, "holdings": […]}]')
    fund_lines, hold_lines, dist_lines = _positions(text, "fund_code"), _positions(text, "stock_code"), _positions(text, "name")
    rows, sectors = [], []
    hi = di = 0
    for k, fund in enumerate(data):
        fl = fund_lines[k] if k < len(fund_lines) else None
        if not isinstance(fund, dict) or not re.fullmatch(r"\d{6}", str(fund.get("fund_code", ""))):
            raise gate.error(fl, "fund_code", f"fund #{k + 1}: {fund.get('fund_code') if isinstance(fund, dict) else fund!r} "
                             "is not a 6-digit fund code")
        fcode = str(fund["fund_code"])
        if code and fcode != code:
            hi += len(fund.get("holdings") or [])
            di += len(fund.get("stockDistribution") or [])
            continue
        rd = report_date
        if fund.get("report_date"):
            try:
                rd = date.fromisoformat(str(fund["report_date"]))
            except ValueError:
                raise gate.error(fl, "report_date", f"{fund['report_date']!r} is not a date") from None
        if rd is None:
            raise gate.error(fl, "report_date", f"fund {fcode}: the file names no report period",
                             "pass --report-date YYYY-MM-DD (the quarter end of the disclosure)")
        for h in fund.get("holdings") or []:
            ln = hold_lines[hi] if hi < len(hold_lines) else fl
            hi += 1
            sid = stock_id(str(h.get("stock_code", "")))
            if sid is None:
                raise gate.error(ln, "stock_code", f"{h.get('stock_code')!r} is not a stock code")
            raw = str(h.get("weight_pct_of_nav", "")).strip().rstrip("%")
            try:
                w = float(raw.replace(",", ""))
            except ValueError:
                raise gate.error(ln, "weight_pct_of_nav", f"{h.get('weight_pct_of_nav')!r} is not a percentage",
                                 'e.g. "9.52%"') from None
            if not np.isfinite(w):
                raise gate.error(ln, "weight_pct_of_nav", f"{raw!r} is not a finite number")
            rows.append({"fund_code": fcode, "report_date": rd, "security_id": sid[0],
                         "security_name": str(h.get("stock_name") or "").strip() or None, "kind": "stock",
                         "market": sid[1], "bond_type": None, "weight": gate.weight(ln, "weight_pct_of_nav", w / 100),
                         "shares": None, "market_value": None, "fund_name": fund.get("fund_name"), "_line": ln,
                         "_fund_line": fl or ln})
        for s in fund.get("stockDistribution") or []:
            ln = dist_lines[di] if di < len(dist_lines) else fl
            di += 1
            try:
                w = float(str(s.get("value", "")).rstrip("%"))
            except ValueError:
                raise gate.error(ln, "value", f"{s.get('value')!r} is not a percentage") from None
            sectors.append({"fund_code": fcode, "report_date": rd, "published_on": None, "sector": str(s.get("name", "")).strip(),
                            "weight": gate.weight(ln, "value", w / 100), "market_value": None, "_line": ln,
                            "fund_name": fund.get("fund_name"), "_fund_line": fl or ln})
    sec = pd.DataFrame(sectors, columns=[*SECTOR_COLUMNS, "fund_name", "_fund_line"])
    return pd.DataFrame(rows, columns=[*HOLDING_COLUMNS, "_fund_line"]), sec, "report_date"
