"""Spark (local[2]) and the local engine give identical findings and exposures — on the sample book from
the database and on a synthetic bank read from Parquet by Spark; a failing partition is reported and the
rest completes; a rerun writes the same outputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from synthetic_bank import AS_OF

from assistant.batch.io import read_output
from assistant.batch.runner import RunOptions, run_batch
from services.batch import schema
from tests.batch.test_local_batch import _break_rm

FILES = {"book-scan": ("findings.parquet", schema.FINDINGS), "lookthrough": ("exposures.parquet", schema.EXPOSURES)}


def _both(spark, tmp_path: Path, kind: str, **kw) -> tuple[pd.DataFrame, pd.DataFrame, dict, dict]:  # type: ignore[no-untyped-def]
    name, cols = FILES[kind]
    a = run_batch(RunOptions(kind=kind, out=tmp_path / "local", engine="local", **kw))
    b = run_batch(RunOptions(kind=kind, out=tmp_path / "spark", engine="spark", spark=spark, **kw))
    assert (tmp_path / "spark" / name).is_dir()  # Spark writes a directory of part files
    return read_output(tmp_path / "local" / name, cols), read_output(tmp_path / "spark" / name, cols), a, b


def _same_summary(a: dict, b: dict) -> None:
    strip = lambda s: [{k: v for k, v in p.items() if k != "seconds"} for p in s["partitions"]]  # noqa: E731
    assert strip(a) == strip(b)
    assert (a["clients"], a["positions"], a["rows"], a["failures"]) == (b["clients"], b["positions"], b["rows"],
                                                                         b["failures"])


@pytest.mark.parametrize("kind", ["book-scan", "lookthrough"])
def test_sample_book_identical_on_both_engines(spark, sample_db_path, tmp_path, kind) -> None:
    local, sp, a, b = _both(spark, tmp_path, kind, database_url=f"sqlite:///{sample_db_path}")
    assert len(local) > 100 and a["failures"] == []
    pd.testing.assert_frame_equal(local, sp, check_exact=True)
    _same_summary(a, b)


def test_synthetic_bank_from_parquet_identical_with_a_failing_partition(spark, bank_dir, tmp_path) -> None:
    """Spark reads the bank's Parquet tables itself (partition frame built in Spark); RM00001's bad row
    fails that partition only, on both engines."""
    _break_rm(bank_dir, tmp_path / "bank", "RM00001")
    for kind in ("book-scan", "lookthrough"):
        local, sp, a, b = _both(spark, tmp_path / kind, kind, input=tmp_path / "bank", as_of=AS_OF)
        assert [f["rm_id"] for f in b["failures"]] == ["RM00001"] and "NO_SUCH" in b["failures"][0]["error"]
        assert set(sp["rm_id"]) == {"RM00000", "RM00002"} and len(sp) > 500
        pd.testing.assert_frame_equal(local, sp, check_exact=True)
        _same_summary(a, b)


def test_spark_rerun_is_idempotent(spark, bank_dir, tmp_path) -> None:
    opts = dict(kind="book-scan", engine="spark", spark=spark, input=bank_dir, as_of=AS_OF, out=tmp_path)
    run_batch(RunOptions(**opts))  # type: ignore[arg-type]
    first = read_output(tmp_path / "findings.parquet", schema.FINDINGS)
    s = run_batch(RunOptions(**opts))  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(first, read_output(tmp_path / "findings.parquet", schema.FINDINGS), check_exact=True)
    assert s["rows"] == len(first) and s["failures"] == []
