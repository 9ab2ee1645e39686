"""Parquet in and out of a batch run (pyarrow): a bank's canonical tables from ``--input DIR``, the
outputs under ``--out DIR``.

Input: one table per name, as ``DIR/<name>.parquet`` (a file, or a directory of part files) or a
Hive-style ``DIR/<name>/`` directory (``rm_id=RM001/part-0.parquet``; partition columns are read back as
strings). Columns: ``docs/batch.md``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import InvalidInput
from services.batch import schema

ARROW_TYPES = {"string": pa.string(), "double": pa.float64(), "long": pa.int64(), "date": pa.date32()}


def arrow_schema(cols: schema.Columns) -> pa.Schema:
    return pa.schema([pa.field(c, ARROW_TYPES[t]) for c, t in cols.items()])


def table_path(root: Path, name: str) -> Path | None:
    for p in (root / f"{name}.parquet", root / name):
        if p.exists():
            return p
    return None


def read_table(root: Path, name: str, *, required: bool = True) -> pd.DataFrame | None:
    """One input table as pandas (categorical partition columns as plain strings)."""
    path = table_path(root, name)
    if path is None:
        if required:
            raise InvalidInput(f"no table {name!r} in {root}", field="--input",
                               hint=f"add {name}.parquet (or a {name}/ directory) with the columns of docs/batch.md")
        return None
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the bank's input to fix
        raise InvalidInput(f"cannot read {path} as Parquet: {exc}", field="--input") from None
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(str)
    return df


def clear(path: Path) -> None:
    """Remove an output of an earlier run (a file from the local engine or a directory from Spark)."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def write_frame(df: pd.DataFrame, path: Path, cols: schema.Columns) -> Path:
    """One Parquet file with exactly the columns and types of ``cols`` (no pandas metadata, so a reader
    sees the same schema whichever engine wrote it)."""
    clear(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(schema.conform(df, cols), schema=arrow_schema(cols), preserve_index=False)
    pq.write_table(table.replace_schema_metadata(None), path)
    return path


def read_output(path: Path, cols: schema.Columns) -> pd.DataFrame:
    """An output (file or Spark directory) as pandas in canonical order (``rm_id``, ``seq``)."""
    df = schema.conform(pd.read_parquet(path), cols)
    return df.sort_values(["rm_id", "seq"], kind="stable", na_position="first").reset_index(drop=True)


def iter_output(path: Path, cols: schema.Columns, batch_rows: int = 50_000):
    """The rows of an output in chunks (for ``--write-db`` without holding a bank's output in memory)."""
    files = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
    for f in files:
        for batch in pq.ParquetFile(f).iter_batches(batch_size=batch_rows):
            yield schema.conform(batch.to_pandas(), cols)
