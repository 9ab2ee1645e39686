"""Column layouts of a batch run: the per-RM partition frame going in, and the rows coming out.

Types are named neutrally (string | double | long | date) so the engines derive their own schemas from
one place: ``assistant.batch`` builds the Spark ``StructType`` and the pyarrow schema from these, and
``conform`` gives a pandas frame exactly these dtypes, so both engines hand the partition function, and
write, the same values.

Partition frame (one per RM; clients and their positions in one frame, told apart by ``row_type``)::

    rm_id  row_type  client_id  name  risk_level  risk_assessed_on  monthly_expense  age  cash     product_code  shares  cost  market_value
    RM001  client    C0001      王伟   C3          2026-03-02        18000.0          45   52000.0  None          NaN     NaN   NaN
    RM001  position  C0001      None  None        None              NaN              NaN  NaN      000001        1200.0  ...   ...
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

Columns = dict[str, str]

PARTITION: Columns = {
    "rm_id": "string", "row_type": "string", "client_id": "string",
    # client rows
    "name": "string", "risk_level": "string", "risk_assessed_on": "date", "monthly_expense": "double",
    "age": "long", "cash": "double",
    # position rows
    "product_code": "string", "shares": "double", "cost": "double", "market_value": "double",
}
CLIENT_FIELDS = ("client_id", "name", "risk_level", "risk_assessed_on", "monthly_expense", "age", "cash")
POSITION_FIELDS = ("client_id", "product_code", "shares", "cost", "market_value")

FINDINGS: Columns = {
    "rm_id": "string", "seq": "long", "client_id": "string", "client_name": "string", "rule": "string",
    "reason": "string", "figure": "double", "unit": "string", "product_code": "string", "detail_date": "date",
    "reason_args": "string",  # JSON object (the figures and names the reason quotes)
}
EXPOSURES: Columns = {
    "rm_id": "string", "seq": "long", "client_id": "string",
    "level": "string",  # asset_class | industry | security
    "code": "string", "name": "string", "kind": "string",
    "weight": "double",  # share of the client's assets
    "share_of_equity": "double",  # industries: share of the identified stock exposure
    "coverage": "double", "uncovered": "double", "total_value": "double",  # the client's, on every row
    "disclosure_as_of": "date",  # oldest disclosure behind the line
    "via": "string",  # securities: the fund codes holding it, comma-separated
}
REPORTS: Columns = {
    "rm_id": "string", "seq": "long", "client_id": "string",
    "status": "string",  # rendered | skipped (same content hash) | failed
    "path": "string", "content_hash": "string", "error": "string",
}
# Every partition also returns one ``record = "partition"`` row with its own figures (data columns null).
STATS: Columns = {
    "record": "string", "part_clients": "long", "part_positions": "long", "part_rows": "long",
    "part_seconds": "double", "part_error": "string",
}
OUTPUTS: dict[str, Columns] = {"book-scan": FINDINGS, "lookthrough": EXPOSURES, "reports": REPORTS}
OUTPUT_FILES = {"book-scan": "findings.parquet", "lookthrough": "exposures.parquet", "reports": "reports.parquet"}


def result_columns(kind: str) -> Columns:
    """What a partition function returns for ``kind``: its output columns plus the partition figures."""
    return {**OUTPUTS[kind], **STATS}


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v))


def _dates(s: pd.Series) -> pd.Series:
    ts = pd.to_datetime(s, errors="coerce")
    return pd.Series([d.date() if not pd.isna(d) else None for d in ts], index=s.index, dtype=object)


def conform(df: pd.DataFrame, cols: Columns) -> pd.DataFrame:
    """``df`` with exactly ``cols`` in order and their dtypes (missing columns become null): strings as
    object with None, doubles float64, longs nullable Int64, dates ``datetime.date`` objects."""
    out = {}
    n = len(df)
    for c, t in cols.items():
        s = df[c] if c in df.columns else pd.Series([None] * n, index=df.index, dtype=object)
        if t == "string":  # object dtype with None (pandas 3 would otherwise infer ``str`` with NaN)
            s = pd.Series([v if isinstance(v, str) else (None if _missing(v) else str(v)) for v in s],
                          index=s.index, dtype=object)
        elif t == "double":
            s = pd.to_numeric(s, errors="coerce").astype("float64")
        elif t == "long":
            s = pd.to_numeric(s, errors="coerce").round().astype("Int64")
        elif t == "date":
            s = _dates(s) if n else pd.Series([], dtype=object)
        out[c] = s.reset_index(drop=True)
    return pd.DataFrame(out, columns=list(cols))


def empty(cols: Columns) -> pd.DataFrame:
    return conform(pd.DataFrame(), cols)


def as_date(v: object) -> date | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return None
    return pd.Timestamp(v).date()  # type: ignore[arg-type]
