"""Canonical fund-holding lines and their storage (the vendor adapters only produce these frames).

``HOLDING_COLUMNS`` — one disclosed line, units already converted at the edge::

    fund_code report_date published_on disclosure security_id  security_name kind  weight  shares     market_value _line
    022365    2025-06-30  2025-07-21   top10      300502.SZ    新易盛        stock 0.1008  1.2e6      4.2e8        12

``weight`` is a fraction of NAV, ``shares`` units (股/张), ``market_value`` yuan; ``published_on`` the
announcement date or, absent, the legal deadline (``datastore.importers.disclosure``); ``_line`` the
source line for error messages. ``SECTOR_COLUMNS`` — a CSRC sector allocation line (fund_code,
report_date, published_on, sector, weight, market_value, _line).

``store_holdings`` validates everything first (quality gates, known funds, one kind per security) and
then writes in one transaction: each (fund, report date, disclosure) in the file replaces the stored
lines of that same report and nothing else. Securities not yet known are created with the file's name
and no industry (*unclassified* until ``import-industries`` classifies them).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, delete, select

from core.errors import InvalidInput
from datastore.engine import create_schema
from datastore.importers.fund_list import fund_type_from_name, insert_minimal_funds
from datastore.importers.quality import Gate
from datastore.repositories.meta import clear_cache
from datastore.sample.loader import insert_frame
from datastore.schema import Fund, FundHolding, FundSectorAllocation, Security

HOLDING_COLUMNS = ["fund_code", "report_date", "published_on", "disclosure", "security_id", "security_name",
                   "kind", "market", "bond_type", "weight", "shares", "market_value", "fund_name", "_line"]
SECTOR_COLUMNS = ["fund_code", "report_date", "published_on", "sector", "weight", "market_value", "_line"]
FUND_CODE = re.compile(r"^\d{6}$")


def _check_reports(gate: Gate, lines: pd.DataFrame, column: str) -> None:
    for col in ("report_date", "published_on"):
        for ln, d in lines[["_line", col]].drop_duplicates(col).itertuples(index=False):
            gate.date(int(ln), column if col == "report_date" else "published", d,
                      what="report date" if col == "report_date" else "publication date")
    early = lines[lines["published_on"] < lines["report_date"]]
    if len(early):
        r = early.iloc[0]
        raise gate.error(int(r["_line"]), "published", f"published {r['published_on']} before the period end "
                         f"{r['report_date']}", "a report appears after its period; fix --published")


def _ensure_funds(conn: Connection, gate: Gate, frames: list[pd.DataFrame], create: bool) -> list[str]:
    """Fund codes of the file that exist; with ``create`` the missing ones are added as minimal records
    (name from the file, type from the name); otherwise the first unknown fund is an error."""
    def cols(f: pd.DataFrame) -> pd.DataFrame:  # the fund's own line when the format has one (JSON)
        out = f.assign(fund_name=f["fund_name"] if "fund_name" in f else None)
        return out.assign(_line=out["_fund_line"]) if "_fund_line" in out else out

    codes = pd.concat([cols(f)[["fund_code", "fund_name", "_line"]] for f in frames], ignore_index=True)
    codes = codes.drop_duplicates("fund_code")
    bad = codes[~codes["fund_code"].astype(str).str.fullmatch(FUND_CODE)]
    if len(bad):
        r = bad.iloc[0]
        raise gate.error(int(r["_line"]), "fund_code", f"{r['fund_code']!r} is not a 6-digit fund code")
    known = set(conn.execute(select(Fund.code).where(Fund.code.in_(codes["fund_code"].tolist()))).scalars())
    missing = codes[~codes["fund_code"].isin(known)]
    if missing.empty:
        return []
    if not create:
        r = missing.iloc[0]
        raise gate.error(int(r["_line"]), "fund_code", f"fund {r['fund_code']!r} is not in the database",
                         "import the fund list first (wealthdesk data import-funds FILE --format eastmoney-list) "
                         "or add --create-funds")
    recs = []
    for r in missing.itertuples(index=False):
        name = r.fund_name if isinstance(r.fund_name, str) and r.fund_name.strip() else None
        ftype = fund_type_from_name(name or "")
        if name is None or ftype is None:
            raise gate.error(int(r._line), "fund_name", f"cannot create fund {r.fund_code!r}: "
                             + ("the file gives no name" if name is None else f"no fund type in the name {name!r}"),
                             "import the fund list first (wealthdesk data import-funds FILE --format eastmoney-list)")
        recs.append({"code": r.fund_code, "name": name, "type": ftype})
    insert_minimal_funds(conn, pd.DataFrame(recs), first=min(frames[0]["report_date"]) if len(frames[0]) else None)
    return sorted(missing["fund_code"])


def _ensure_securities(conn: Connection, gate: Gate, lines: pd.DataFrame) -> int:
    secs = lines.drop_duplicates("security_id")
    stored = dict(conn.execute(select(Security.id, Security.kind).where(
        Security.id.in_(secs["security_id"].tolist()))).all())
    clash = secs[secs["security_id"].map(stored).notna() & (secs["security_id"].map(stored) != secs["kind"])]
    if len(clash):
        r = clash.iloc[0]
        raise gate.error(int(r["_line"]), "security", f"{r['security_id']} is stored as a {stored[r['security_id']]}, "
                         f"the file lists it as a {r['kind']}", "check the code (stock and bond codes differ)")
    new = secs[~secs["security_id"].isin(stored)]
    insert_frame(conn, "securities", pd.DataFrame({
        "id": new["security_id"], "name": new["security_name"].fillna(new["security_id"]).str.slice(0, 64),
        "kind": new["kind"], "industry_code": None, "bond_type": new["bond_type"], "rating": None,
        "market": new["market"]}))
    return len(new)


def store_holdings(engine: Engine, gate: Gate, lines: pd.DataFrame, sectors: pd.DataFrame | None = None,
                   *, create_funds: bool = False, column: str = "report_date") -> dict[str, Any]:
    """Validate and store canonical holding lines (and CSRC sector lines) atomically. Returns counts."""
    sectors = sectors if sectors is not None else pd.DataFrame(columns=SECTOR_COLUMNS)
    if lines.empty and sectors.empty:
        raise gate.error(None, None, "no holding rows", "export the disclosure with its header")
    create_schema(engine)
    key = ["fund_code", "report_date", "disclosure"]
    if len(lines):
        _check_reports(gate, lines, column)
        gate.unique(lines, [*key, "security_id"], "security", "holding line")
        tot = lines.groupby(key).agg(weight=("weight", "sum"), line=("_line", "min"))
        for (f, d, disc), row in tot[tot["weight"] > gate.limits.max_report_weight].head(1).iterrows():
            gate.report_total(int(row["line"]), "weight", float(row["weight"]), f"the {disc} report of {f} on {d}")
    if len(sectors):
        _check_reports(gate, sectors, column)
        gate.unique(sectors, ["fund_code", "report_date", "sector"], "sector", "sector line")
    reports = lines[key].drop_duplicates() if len(lines) else pd.DataFrame(columns=key)
    periods = sectors[["fund_code", "report_date"]].drop_duplicates()
    with engine.begin() as conn:
        created = _ensure_funds(conn, gate, [x for x in (lines, sectors) if len(x)], create_funds)
        new_secs = _ensure_securities(conn, gate, lines) if len(lines) else 0
        for (d, disc), grp in reports.groupby(["report_date", "disclosure"]):  # few periods, many funds
            for chunk in _chunks(grp["fund_code"].tolist(), 500):
                conn.execute(delete(FundHolding).where(FundHolding.report_date == d, FundHolding.disclosure == disc,
                                                       FundHolding.fund_code.in_(chunk)))
        if len(lines):
            ranked = lines.assign(rank=lines.sort_values("weight", ascending=False, kind="stable")
                                  .groupby(key).cumcount() + 1)
            insert_frame(conn, "fund_holdings", ranked.rename(columns={})[[
                "fund_code", "report_date", "published_on", "disclosure", "rank", "security_id", "weight",
                "shares", "market_value"]])
        for d, grp in periods.groupby("report_date"):
            for chunk in _chunks(grp["fund_code"].tolist(), 500):
                conn.execute(delete(FundSectorAllocation).where(
                    FundSectorAllocation.system == "csrc", FundSectorAllocation.report_date == d,
                    FundSectorAllocation.fund_code.in_(chunk)))
        if len(sectors):
            insert_frame(conn, "fund_sector_allocation", sectors.assign(system="csrc")[[
                "fund_code", "report_date", "system", "sector", "published_on", "weight", "market_value"]])
    clear_cache()
    return {"file": str(gate.path), "funds": int(pd.concat([lines["fund_code"], sectors["fund_code"]]).nunique()),
            "reports": len(reports), "lines": len(lines), "sector_lines": len(sectors),
            "new_securities": new_secs, "created_funds": created,
            "report_dates": sorted({str(d) for d in pd.concat([lines["report_date"], sectors["report_date"]])})}


def _chunks(items: list[Any], n: int) -> list[list[Any]]:
    return [items[i:i + n] for i in range(0, len(items), n)]


def require_code(code: str | None, what: str = "--code") -> str:
    c = (code or "").strip()
    if not FUND_CODE.match(c):
        raise InvalidInput(f"fund code {c!r} is not 6 digits" if c else "this format carries no fund code",
                           field="code", hint=f"pass {what} 161725")
    return c


def parse_day(value: str | date | None, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date", field=field, hint="use YYYY-MM-DD") from None


def finish_reports(gate: Gate, lines: pd.DataFrame, *, disclosure: str | None, published: date | None,
                   column: str) -> pd.DataFrame:
    """Fill ``disclosure`` and ``published_on`` per report and check the periods.

    disclosure: the ``--disclosure`` value, else a vendor value already in the frame, else *auto*: more
    than 10 stock lines (or 5 bond lines, the quarterly report's limits) in one report → full, otherwise
    top10. published_on: ``--published``, else the vendor's date in the frame, else the legal deadline.
    """
    from datastore.importers.disclosure import is_quarter_end, publication_deadline

    if disclosure not in (None, "top10", "full"):
        raise InvalidInput(f"unknown disclosure {disclosure!r}", field="disclosure", hint="top10 | full")
    out = lines.copy()
    bad = out[~out["report_date"].map(is_quarter_end)]
    if len(bad):
        r = bad.iloc[0]
        raise gate.error(int(r["_line"]), column, f"report date {r['report_date']} is not a quarter end",
                         "fund reports cover periods ending 03-31, 06-30, 09-30 or 12-31")
    if disclosure is not None:
        out["disclosure"] = disclosure
    elif "disclosure" not in out or out["disclosure"].isna().any():
        n = out.groupby(["fund_code", "report_date", "kind"])["security_id"].transform("size")
        auto = ((out["kind"] == "stock") & (n > 10)) | ((out["kind"] == "bond") & (n > 5))
        full = auto.groupby([out["fund_code"], out["report_date"]]).transform("any")
        vendor = out["disclosure"] if "disclosure" in out else pd.Series(None, index=out.index, dtype=object)
        out["disclosure"] = vendor.where(vendor.notna(), full.map({True: "full", False: "top10"}))
    wrong = out[(out["disclosure"] == "full") & ~out["report_date"].map(lambda d: (d.month, d.day) in ((6, 30), (12, 31)))]
    if len(wrong):
        r = wrong.iloc[0]
        raise gate.error(int(r["_line"]), column, f"a full holdings list for {r['report_date']}: quarterly reports "
                         "(03-31, 09-30) disclose only the top 10 stocks and top 5 bonds",
                         "use --disclosure top10, or check the report date")
    vendor_pub = out["published_on"] if "published_on" in out else pd.Series(None, index=out.index, dtype=object)
    deadline = [publication_deadline(d, disc) for d, disc in zip(out["report_date"], out["disclosure"], strict=True)]
    out["published_on"] = [published or (v if isinstance(v, date) else dl)
                           for v, dl in zip(vendor_pub, deadline, strict=True)]
    return out


def import_holdings(engine: Engine, path: str, fmt: str, *, code: str | None = None, report_date: date | None = None,
                    disclosure: str | None = None, published: date | None = None, as_of: date | None = None,
                    create_funds: bool = False, stock_share: float | None = None) -> dict[str, Any]:
    """Import a holdings disclosure file of format ``fmt`` (see docs/importers.md)."""
    from datastore.importers import holdings_vendors as v
    from datastore.importers.quality import resolve_as_of

    readers = {"akshare-stock": v.read_akshare_stock, "akshare-bond": v.read_akshare_bond,
               "akshare-industry": v.read_akshare_industry, "tushare": v.read_tushare,
               "eastmoney-json": v.read_eastmoney_json}
    if fmt not in readers:
        raise InvalidInput(f"unknown format {fmt!r}", field="format", hint=" | ".join(readers))
    create_schema(engine)
    gate = Gate(path, resolve_as_of(engine, as_of))
    lines, sectors, column = readers[fmt](gate, code=code, report_date=report_date, engine=engine,
                                          stock_share=stock_share)
    if len(lines):
        lines = finish_reports(gate, lines, disclosure=disclosure, published=published, column=column)
    if len(sectors):
        extra = [c for c in ("fund_name", "_fund_line") if c in sectors]
        sectors = finish_reports(gate, sectors.assign(kind="sector", security_id=sectors["sector"]),
                                 disclosure="top10", published=published, column=column)[SECTOR_COLUMNS + extra]
    res = store_holdings(engine, gate, lines, sectors, create_funds=create_funds, column=column)
    return {"format": fmt, **res}
