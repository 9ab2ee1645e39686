"""The local engine: the same partition function as Spark, called for each RM in this process."""

from __future__ import annotations

import pandas as pd

from services.batch import schema
from services.batch.context import BatchContext
from services.batch.partition import run_partition


def run_local(kind: str, frame: pd.DataFrame, ctx: BatchContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(output rows, partition rows) of ``kind`` over a partition frame (``schema.PARTITION``)."""
    parts = [run_partition(kind, part, ctx)
             for _, part in frame.groupby("rm_id", sort=True, dropna=False)]
    res = pd.concat(parts, ignore_index=True) if parts else schema.empty(schema.result_columns(kind))
    return split_result(kind, res)


def split_result(kind: str, res: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = res[res["record"] == "row"]
    stats = res[res["record"] == "partition"]
    return (schema.conform(rows, schema.OUTPUTS[kind]),
            schema.conform(stats, {"rm_id": "string", **schema.STATS}))
