"""Nightly batch results written back to the database (``wealthdesk batch … --write-db``).

Idempotent per run date: ``replace_rows`` deletes the rows of that run date for the partitions (RMs)
being written, then inserts, in one transaction — a rerun of the same date and RMs leaves exactly one
copy, and a run over RM001 does not touch RM002's rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from datastore.engine import create_schema
from datastore.repositories._frames import model_columns, read_frame
from datastore.schema import BatchExposure, BatchFinding, BatchReport, BatchRun

TABLES: dict[str, Any] = {"book-scan": BatchFinding, "lookthrough": BatchExposure, "reports": BatchReport}


def _records(model: Any, frame: pd.DataFrame, run_date: date) -> list[dict[str, Any]]:
    cols = [c.name for c in model.__table__.columns if c.name != "run_date"]
    recs = frame[[c for c in cols if c in frame.columns]].astype(object).where(frame.notna(), None)
    out = recs.to_dict("records")
    for r in out:
        r["run_date"] = run_date
        if "reason_args" in r:
            r["reason_args"] = json.loads(r["reason_args"] or "{}")
        if "seq" in r and r["seq"] is not None:
            r["seq"] = int(r["seq"])
    return out


def replace_rows(engine: Engine, kind: str, run_date: date, rm_ids: Iterable[str],
                 frames: Iterable[pd.DataFrame]) -> int:
    """Replace the ``kind`` rows of ``run_date`` for ``rm_ids`` by the rows of ``frames`` (chunks of the
    output Parquet, columns of ``services.batch.schema``); returns the number of rows written."""
    model = TABLES[kind]
    create_schema(engine)  # a database made before the batch tables existed gains them
    n = 0
    with engine.begin() as conn:
        conn.execute(delete(model).where(model.run_date == run_date, model.rm_id.in_(list(rm_ids))))
        for frame in frames:
            recs = _records(model, frame, run_date)
            if recs:
                conn.execute(insert(model), recs)
                n += len(recs)
    return n


def record_run(engine: Engine, *, run_date: date, kind: str, engine_name: str, clients: int, rows: int,
               failures: int, summary: dict[str, Any]) -> int:
    create_schema(engine)
    with engine.begin() as conn:
        res = conn.execute(insert(BatchRun).values(
            run_date=run_date, kind=kind, engine=engine_name, finished_at=datetime.now(), clients=clients,
            rows=rows, failures=failures, summary=json.loads(json.dumps(summary, default=str))))
        return int(res.inserted_primary_key[0])


def batch_rows(engine: Engine, kind: str, run_date: date) -> pd.DataFrame:
    """The stored rows of ``kind`` for ``run_date`` (ordered by RM and sequence)."""
    model = TABLES[kind]
    order = (model.rm_id, model.seq) if hasattr(model, "seq") else (model.rm_id, model.client_id)
    return read_frame(engine, select(*model_columns(model)).where(model.run_date == run_date).order_by(*order))


def batch_runs(engine: Engine, run_date: date | None = None) -> pd.DataFrame:
    stmt = select(*model_columns(BatchRun)).order_by(BatchRun.id)
    if run_date is not None:
        stmt = stmt.where(BatchRun.run_date == run_date)
    return read_frame(engine, stmt)
