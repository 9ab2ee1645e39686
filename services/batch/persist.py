"""Write a batch run's results back to the database (``--write-db``), idempotent per run date and RM."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from datastore.repositories import batch as brepo


def save_run(engine: Engine, *, kind: str, run_date: date, rm_ids: list[str], frames: Iterable[pd.DataFrame],
             summary: dict[str, Any], engine_name: str) -> int:
    """Replace the rows of ``run_date`` for the partitions that completed, and record the run. Failed
    partitions are left as they were (their previous rows, if any, stay)."""
    n = brepo.replace_rows(engine, kind, run_date, rm_ids, frames)
    brepo.record_run(engine, run_date=run_date, kind=kind, engine_name=engine_name,
                     clients=int(summary.get("clients", 0)), rows=n,
                     failures=len(summary.get("failures", [])), summary=summary)
    return n
