"""``batch reports``: one grounded client-copy .docx per client (no ID number or mobile), skipped by content
hash on a rerun, a client whose report cannot be built listed as failed without stopping the others."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from assistant.batch.io import read_output
from assistant.batch.runner import RunOptions, run_batch
from services.batch import schema


@pytest.fixture
def small_rm(scratch_db: str) -> str:
    """RM009 with three sample clients, one of which holds nothing (no positions, no cash)."""
    from datastore.engine import get_engine

    with get_engine(scratch_db).begin() as c:
        c.execute(text("INSERT INTO rms (id, name, branch) VALUES ('RM009', '测试经理', '测试支行')"))
        c.execute(text("UPDATE clients SET rm_id = 'RM009' WHERE id IN ('C0001', 'C0002', 'C0003')"))
        c.execute(text("DELETE FROM positions WHERE client_id = 'C0003'"))
        c.execute(text("DELETE FROM transactions WHERE client_id = 'C0003'"))
        c.execute(text("DELETE FROM client_cash WHERE client_id = 'C0003'"))
    return scratch_db


def test_reports_rendered_then_skipped_and_failures_listed(small_rm, tmp_path) -> None:
    from datastore.engine import get_engine
    from reports.render import outline

    opts = dict(kind="reports", database_url=small_rm, rm="RM009", out=tmp_path)
    s1 = run_batch(RunOptions(**opts))  # type: ignore[arg-type]
    assert s1["counts_by_status"] == {"failed": 1, "rendered": 2}
    assert [f["client_id"] for f in s1["failed_reports"]] == ["C0003"]
    rows = read_output(tmp_path / "reports.parquet", schema.REPORTS)
    done = rows[rows["status"] == "rendered"]
    path = Path(done["path"].iloc[0])
    assert path.is_file() and path.parent == tmp_path / "reports" / "RM009"
    text_ = "\n".join(outline(path))
    from datastore.repositories.clients import get_client

    row = get_client(get_engine(small_rm), "C0001")  # decrypted (ID and mobile are encrypted at rest)
    ident, mobile = row["id_number"], row["mobile"]
    assert len(ident) == 18 and len(mobile) == 11
    assert ident not in text_ and mobile not in text_ and "C0001" not in text_  # client copy: nothing personal
    assert "年度财富报告" in text_ and "客户版" in text_
    stamp = path.read_bytes()
    s2 = run_batch(RunOptions(**opts))  # type: ignore[arg-type]
    assert s2["counts_by_status"] == {"failed": 1, "skipped": 2}
    assert path.read_bytes() == stamp  # not rewritten
    again = read_output(tmp_path / "reports.parquet", schema.REPORTS)
    assert list(again["content_hash"]) == list(rows["content_hash"])


def test_changed_content_renders_again(small_rm, tmp_path) -> None:
    from datastore.engine import get_engine

    opts = dict(kind="reports", database_url=small_rm, rm="RM009", out=tmp_path)
    run_batch(RunOptions(**opts))  # type: ignore[arg-type]
    with get_engine(small_rm).begin() as c:
        c.execute(text("UPDATE clients SET monthly_expense = monthly_expense + 1000 WHERE id = 'C0002'"))
    s = run_batch(RunOptions(**opts))  # type: ignore[arg-type]
    got = read_output(tmp_path / "reports.parquet", schema.REPORTS).set_index("client_id")["status"]
    assert got.to_dict() == {"C0001": "skipped", "C0002": "rendered", "C0003": "failed"}
    assert s["counts_by_status"]["rendered"] == 1


def test_reports_on_spark_match_local(spark, small_rm, tmp_path) -> None:
    a = run_batch(RunOptions(kind="reports", database_url=small_rm, rm="RM009", out=tmp_path / "l"))
    b = run_batch(RunOptions(kind="reports", database_url=small_rm, rm="RM009", out=tmp_path / "s",
                             engine="spark", spark=spark))
    ra = read_output(tmp_path / "l" / "reports.parquet", schema.REPORTS)
    rb = read_output(tmp_path / "s" / "reports.parquet", schema.REPORTS)
    assert list(ra["content_hash"]) == list(rb["content_hash"]) and a["counts_by_status"] == b["counts_by_status"]
    assert pd.Series(rb["status"]).tolist() == ["rendered", "rendered", "failed"]


def test_write_db_records_reports(small_rm, tmp_path) -> None:
    from datastore.engine import get_engine
    from datastore.repositories.batch import batch_rows

    for _ in range(2):
        s = run_batch(RunOptions(kind="reports", database_url=small_rm, rm="RM009", out=tmp_path, write_db=True))
    got = batch_rows(get_engine(small_rm), "reports", pd.Timestamp(s["as_of"]).date())
    assert sorted(got["client_id"]) == ["C0001", "C0002", "C0003"] and s["db_rows"] == 3
    assert got.set_index("client_id").loc["C0001", "status"] == "skipped"
