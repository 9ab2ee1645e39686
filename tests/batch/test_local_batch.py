"""The batch's partition functions and the local engine: same answers as the interactive services,
one RM's bad data fails only that RM, clear errors for bad input, idempotent write-back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_bank import AS_OF

from assistant.batch.io import read_output
from assistant.batch.runner import RunOptions, run_batch
from core.errors import InvalidInput
from services.batch import schema


def _db(sample_db_path: Path) -> str:
    return f"sqlite:///{sample_db_path}"


def test_partitioned_scan_equals_the_whole_book_scan(sample_engine, sample_db_path, tmp_path) -> None:
    """Partitioning by RM changes nothing: the batch's findings are the book scan's (services.loading +
    analytics.book.scan_book over every client at once)."""
    from analytics.book import scan_book
    from datastore.repositories.meta import as_of_date
    from services import loading

    s = run_batch(RunOptions(kind="book-scan", out=tmp_path, database_url=_db(sample_db_path)))
    got = read_output(tmp_path / "findings.parquet", schema.FINDINGS)
    day = as_of_date(sample_engine)
    want = scan_book(loading.client_books(sample_engine, None, day), as_of=day)
    assert s["clients"] == 200 and s["failures"] == [] and len(s["partitions"]) == 5
    assert len(got) == len(want) == s["rows"] > 100
    key = ["client_id", "rule", "product_code", "reason"]
    a = got.assign(product_code=got["product_code"].fillna("")).sort_values(key).reset_index(drop=True)
    b = want.assign(product_code=want["product_code"].fillna("")).sort_values(key).reset_index(drop=True)
    assert list(a["client_id"]) == list(b["client_id"]) and list(a["rule"]) == list(b["rule"])
    np.testing.assert_allclose(a["figure"].to_numpy(float), b["figure"].to_numpy(float), rtol=1e-12)
    assert [json.loads(x) for x in a["reason_args"]][:5] == [dict(x) for x in b["reason_args"]][:5]
    assert s["counts_by_rule"] == {k: int(v) for k, v in want["rule"].value_counts().sort_index().items()}


def test_exposures_equal_the_client_lookthrough(sample_engine, sample_db_path, tmp_path) -> None:
    from core.identity import Caller
    from services.clients import client_lookthrough
    from services.deps import Deps

    run_batch(RunOptions(kind="lookthrough", out=tmp_path, database_url=_db(sample_db_path), rm="RM001"))
    ex = read_output(tmp_path / "exposures.parquet", schema.EXPOSURES)
    assert set(ex["rm_id"]) == {"RM001"} and set(ex["level"]) == {"asset_class", "industry", "security"}
    lt = client_lookthrough(Deps.build(sample_engine, Caller.admin()), "C0001", 10)
    mine = ex[ex["client_id"] == "C0001"]
    ind = mine[mine["level"] == "industry"]
    assert list(ind["code"]) == [i.code for i in lt.industries]
    np.testing.assert_allclose(ind["weight"], [i.weight for i in lt.industries], rtol=1e-12)
    assert list(ind["disclosure_as_of"]) == [i.disclosure_as_of for i in lt.industries]
    sec = mine[mine["level"] == "security"]
    assert list(sec["code"]) == [h.security_id for h in lt.top_holdings]
    assert mine["coverage"].iloc[0] == pytest.approx(lt.coverage, rel=1e-12)
    # the look-through invariant per client: asset classes sum to 1
    sums = ex[ex["level"] == "asset_class"].groupby("client_id")["weight"].sum()
    np.testing.assert_allclose(sums, 1.0, atol=1e-9)


def _break_rm(src: Path, dst: Path, rm: str) -> None:
    """A copy of the synthetic bank where one position of ``rm`` holds a product the shelf does not know."""
    import shutil

    shutil.copytree(src, dst)
    cl = pd.read_parquet(dst / "clients.parquet")
    pos = pd.read_parquet(dst / "positions.parquet")
    victim = cl.loc[cl["rm_id"] == rm, "id"].iloc[5]
    pos.loc[pos.index[pos["client_id"] == victim][0], "product_code"] = "NO_SUCH"
    pos.to_parquet(dst / "positions.parquet", index=False)


def test_a_failing_partition_is_reported_and_the_rest_completes(bank_dir, tmp_path) -> None:
    clean = run_batch(RunOptions(kind="book-scan", out=tmp_path / "clean", input=bank_dir, as_of=AS_OF))
    _break_rm(bank_dir, tmp_path / "bad_bank", "RM00001")
    bad = run_batch(RunOptions(kind="book-scan", out=tmp_path / "bad", input=tmp_path / "bad_bank", as_of=AS_OF))
    assert clean["failures"] == [] and clean["clients"] == 900
    assert [f["rm_id"] for f in bad["failures"]] == ["RM00001"]
    assert "NO_SUCH" in bad["failures"][0]["error"] and "positions.product_code" in bad["failures"][0]["error"]
    assert bad["failures"][0]["clients"] == 300
    a = read_output(tmp_path / "clean" / "findings.parquet", schema.FINDINGS)
    b = read_output(tmp_path / "bad" / "findings.parquet", schema.FINDINGS)
    assert set(b["rm_id"]) == {"RM00000", "RM00002"}
    pd.testing.assert_frame_equal(a[a["rm_id"] != "RM00001"].reset_index(drop=True), b, check_exact=True)


def test_bad_input_is_a_clear_error(bank_dir, tmp_path) -> None:
    with pytest.raises(InvalidInput, match="--as-of"):
        run_batch(RunOptions(kind="book-scan", out=tmp_path, input=bank_dir))
    import shutil

    broken = tmp_path / "b"
    shutil.copytree(bank_dir, broken)
    pd.read_parquet(broken / "clients.parquet").drop(columns=["risk_level"]).to_parquet(broken / "clients.parquet")
    with pytest.raises(InvalidInput, match=r"clients.*risk_level"):
        run_batch(RunOptions(kind="book-scan", out=tmp_path / "o", input=broken, as_of=AS_OF))
    (broken / "products.parquet").unlink()
    with pytest.raises(InvalidInput, match="products"):
        run_batch(RunOptions(kind="book-scan", out=tmp_path / "o", input=broken, as_of=AS_OF))
    with pytest.raises(InvalidInput, match="RM99"):
        run_batch(RunOptions(kind="book-scan", out=tmp_path / "o", input=bank_dir, as_of=AS_OF, rm="RM99"))


def test_selection_by_rm_and_branch(bank_dir, tmp_path) -> None:
    one = run_batch(RunOptions(kind="book-scan", out=tmp_path / "a", input=bank_dir, as_of=AS_OF, rm="RM00002"))
    assert [p["rm_id"] for p in one["partitions"]] == ["RM00002"] and one["clients"] == 300
    br = run_batch(RunOptions(kind="book-scan", out=tmp_path / "b", input=bank_dir, as_of=AS_OF, branch="分行01"))
    assert [p["rm_id"] for p in br["partitions"]] == ["RM00001"]


def test_write_db_is_idempotent_per_run_date(scratch_db, tmp_path) -> None:
    from datastore.engine import get_engine
    from datastore.repositories.batch import batch_rows, batch_runs

    opts = dict(kind="book-scan", database_url=scratch_db, write_db=True)
    s1 = run_batch(RunOptions(out=tmp_path / "1", **opts))  # type: ignore[arg-type]
    engine = get_engine(scratch_db)
    day = pd.Timestamp(s1["as_of"]).date()
    first = batch_rows(engine, "book-scan", day)
    s2 = run_batch(RunOptions(out=tmp_path / "2", **opts))  # type: ignore[arg-type]
    second = batch_rows(engine, "book-scan", day)
    assert s1["db_rows"] == s2["db_rows"] == len(first) == len(second) == s1["rows"]
    pd.testing.assert_frame_equal(first, second)
    # one RM again: only its rows are replaced, the others stay
    run_batch(RunOptions(out=tmp_path / "3", rm="RM002", **opts))  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(batch_rows(engine, "book-scan", day), first)
    assert list(batch_runs(engine, day)["kind"]) == ["book-scan"] * 3
    got = read_output(tmp_path / "1" / "findings.parquet", schema.FINDINGS)
    assert list(first["client_id"]) == list(got["client_id"])
