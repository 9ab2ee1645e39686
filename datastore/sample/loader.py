"""Load the generated sample book into a database: one transaction, bulk inserts, idempotent.

``load_sample(engine)`` compares the digest of the generated tables with ``meta['sample_digest']``:
equal → nothing is touched ("unchanged"); absent → load; different → the sample tables are emptied and
reloaded in the same transaction ("reloaded"). App tables (users, sessions, reports, audit log) are
never touched. Positions are derived from transactions at load time.
"""

from __future__ import annotations

import hashlib
import math
import time
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, select, text

from datastore.engine import create_schema
from datastore.repositories.meta import get_meta, set_meta
from datastore.sample.positions import derive_positions
from datastore.schema import Base

# Insert order respects foreign keys; deletes run in reverse.
SAMPLE_TABLES = [
    "industries", "securities", "security_prices", "index_levels", "index_weights",
    "fund_companies", "fund_managers", "funds", "fund_nav", "fund_holdings", "fund_asset_allocation",
    "rms", "clients", "products", "transactions", "positions", "client_cash",
    "corporates", "corporate_shareholders", "corporate_financials", "corporate_risk_events", "corporate_credit",
]


def canonical_csv(df: pd.DataFrame) -> bytes:
    """Stable bytes for hashing: fixed float format, ISO dates, empty string for NULL, LF line ends."""
    return df.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8")


def digest(tables: dict[str, pd.DataFrame]) -> str:
    """sha256 over ``name\\n<canonical csv>`` of every table, in sorted table-name order."""
    h = hashlib.sha256()
    for name in sorted(tables):
        h.update(name.encode() + b"\n")
        h.update(canonical_csv(tables[name]))
    return h.hexdigest()


def _py(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item") and not isinstance(v, str | date):  # numpy scalar
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def insert_frame(conn: Connection, name: str, df: pd.DataFrame) -> int:
    """Bulk insert ``df`` (schema column names) into table ``name`` inside the caller's transaction."""
    if df.empty:
        return 0
    table = Base.metadata.tables[name]
    cols = [c.name for c in table.columns if c.name in df.columns]
    if conn.dialect.name == "sqlite":
        # driver-level executemany: several times faster than ORM/Core dict binding for 10^5+ rows
        conv = []
        for c in cols:
            s = df[c]
            vals = [_py(v) for v in s.tolist()]
            vals = [v.isoformat() if isinstance(v, date) else (int(v) if isinstance(v, bool) else v) for v in vals]
            conv.append(vals)
        sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        conn.exec_driver_sql(sql, list(zip(*conv, strict=True)))
    else:
        records = [{c: _py(v) for c, v in zip(cols, row, strict=True)} for row in df[cols].itertuples(index=False)]
        for i in range(0, len(records), 5000):
            conn.execute(table.insert(), records[i : i + 5000])
    return len(df)


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {n: int(conn.execute(select(func.count()).select_from(Base.metadata.tables[n])).scalar_one())
                for n in SAMPLE_TABLES}


def load_sample(engine: Engine) -> dict[str, Any]:
    """Create the schema and load the sample book. Returns
    ``{"status": "loaded"|"reloaded"|"unchanged", "digest": str, "as_of": date, "counts": {table: rows},
    "seconds": float}``."""
    from datastore.sample import AS_OF, generate

    t0 = time.perf_counter()
    create_schema(engine)
    tables = generate()
    dg = digest(tables)
    previous = get_meta(engine, "sample_digest")
    if previous == dg:
        return {"status": "unchanged", "digest": dg, "as_of": AS_OF, "counts": table_counts(engine),
                "seconds": round(time.perf_counter() - t0, 2)}
    splits = tables["fund_nav"].loc[tables["fund_nav"]["split_ratio"].notna(), ["fund_code", "date", "split_ratio"]]
    positions = derive_positions(tables["transactions"], splits.rename(columns={"fund_code": "product_code"}), AS_OF) \
        if "transactions" in tables else pd.DataFrame()
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # users may reference rms being reloaded
        if previous is not None:
            for name in reversed(SAMPLE_TABLES):
                conn.execute(Base.metadata.tables[name].delete())
        for name in SAMPLE_TABLES:
            if name == "positions":
                insert_frame(conn, name, positions)
            elif name in tables:
                insert_frame(conn, name, tables[name])
        set_meta(conn, {"sample_digest": dg, "as_of": AS_OF.isoformat()})
        if conn.dialect.name == "sqlite":
            bad = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if bad:
                raise RuntimeError(f"sample data violates foreign keys: {bad[:5]}")
    return {"status": "reloaded" if previous else "loaded", "digest": dg, "as_of": AS_OF,
            "counts": table_counts(engine), "seconds": round(time.perf_counter() - t0, 2)}
