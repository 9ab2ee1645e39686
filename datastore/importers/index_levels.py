"""Daily index levels: JQData exports (date, close, factor) and akshare (``stock_zh_index_daily``: date,
open, high, low, close, volume; ``index_zh_a_hist``: 日期, 开盘, 收盘, …). Stored as ``index_levels``.

Like NAV imports, rows for the dates in the file replace the stored rows of those dates and nothing
else, unless ``replace_range`` (``--replace-range``) deletes the stored rows between the file's first
and last date. Gates: dates after the as-of date, duplicate dates, levels ≤ 0 or absurd, and daily moves
beyond ±50% (an index has no dividend or split days).
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
from datastore.schema import IndexLevel

FORMATS = {
    "jqdata": {"date": ["日期"], "close": ["收盘"], "factor": []},
    "akshare": {"date": ["日期"], "close": ["收盘", "收盘价"]},
}
MAX_LEVEL = 1e6


def read_index(path: str | Path, fmt: str, gate: Gate) -> pd.DataFrame:
    """date, level, _line (ascending) from an index file; errors name file, line and column."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}", field="format", hint=" | ".join(FORMATS))
    f = CsvFile(path)
    c = f.resolve(FORMATS[fmt], required=["date", "close"])
    rows = []
    for i, r in enumerate(f.df.to_dict("records")):
        d = gate.date(f.line(i), c["date"], parse_date(f, i, c["date"], r[c["date"]]))
        level = parse_number(f, i, c["close"], r[c["close"]], strictly_positive=True)
        if level > MAX_LEVEL:  # type: ignore[operator]
            raise f.error(i, c["close"], f"{level:,.6g} is not an index level", hint="the close in index points")
        if "factor" in c and r[c["factor"]].strip():
            k = parse_number(f, i, c["factor"], r[c["factor"]], strictly_positive=True)
            if abs(float(k) - 1.0) > 1e-9:  # type: ignore[arg-type]
                raise f.error(i, c["factor"], f"adjustment factor {k:g} ≠ 1",
                              hint="index levels are never adjusted; export the raw close")
        rows.append({"date": d, "level": float(level), "_line": f.line(i)})  # type: ignore[arg-type]
    if not rows:
        raise f.error(None, c["date"], "no data rows", hint="export the series with its header")
    df = pd.DataFrame(rows)
    gate.unique(df, ["date"], c["date"], "date")
    return df.sort_values("date", ignore_index=True)


def import_index(engine: Engine, path: str | Path, code: str, fmt: str, *, as_of: date | None = None,
                 replace_range: bool = False) -> dict[str, Any]:
    """Store an index series under ``code`` (e.g. 000300) in one transaction."""
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[0-9A-Z]{3,16}", code):
        raise InvalidInput(f"index code {code!r} is not valid", field="code", hint="e.g. --code 000300")
    create_schema(engine)
    gate = Gate(path, resolve_as_of(engine, as_of))
    df = read_index(path, fmt, gate)
    first, last = df["date"].iloc[0], df["date"].iloc[-1]
    with engine.connect() as conn:
        stored = pd.DataFrame(conn.execute(select(IndexLevel.date, IndexLevel.level).where(
            IndexLevel.index_code == code)).all(), columns=["date", "level"])
    kept = stored[~stored["date"].isin(set(df["date"]))]
    if replace_range:
        kept = kept[(kept["date"] < first) | (kept["date"] > last)]
    merged = pd.concat([kept.assign(_line=np.nan), df], ignore_index=True).sort_values("date", ignore_index=True)
    gate.daily_returns(merged.rename(columns={"level": "unit_nav"}).assign(dividend=0.0, split_ratio=np.nan)
                       .astype({"unit_nav": float}), "close")
    replaced = 0
    with engine.begin() as conn:
        if replace_range:
            replaced = conn.execute(delete(IndexLevel).where(
                IndexLevel.index_code == code, IndexLevel.date >= first, IndexLevel.date <= last)).rowcount or 0
        else:
            days = df["date"].tolist()
            for j in range(0, len(days), 500):
                replaced += conn.execute(delete(IndexLevel).where(
                    IndexLevel.index_code == code, IndexLevel.date.in_(days[j:j + 500]))).rowcount or 0
        insert_frame(conn, "index_levels", df[["date", "level"]].assign(index_code=code))
    clear_cache()
    return {"code": code, "format": fmt, "rows": len(df), "first": first, "last": last, "replaced": int(replaced)}
