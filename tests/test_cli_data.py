"""`wealthdesk init` and `wealthdesk data …` through the real CLI entry (run_app → exit codes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.cli import app
from assistant.cli.common import run_app
from assistant.settings import Settings


@pytest.fixture()
def settings_copy(sample_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings on a private copy of the sample DB, injected where the CLI reads settings."""
    db = tmp_path / "var" / "wealthdesk.db"
    db.parent.mkdir()
    with sqlite3.connect(sample_db_path) as src, sqlite3.connect(db) as out:
        src.backup(out)
    s = Settings(var_dir=tmp_path / "var", _env_file=None)  # type: ignore[call-arg]
    monkeypatch.setattr("assistant.cli.common.get_settings", lambda: s)
    return s


def test_init_second_run_reports_no_changes(settings_copy: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(app, ["init", "--skip-kb"]) == 0
    out = capsys.readouterr().out
    assert "no changes" in out and "security_prices" in out and "2026-11-20" in out
    assert run_app(app, ["init", "--skip-kb", "--json"]) == 0
    assert '"status": "unchanged"' in capsys.readouterr().out


def test_verify_regenerates_and_matches(sample_engine) -> None:
    from datastore.sample import load_sample

    res = load_sample(sample_engine, verify=True)  # regenerate, compare digests, touch nothing
    assert res["status"] == "unchanged" and res["counts"]["clients"] >= 200


def test_import_nav_cli(settings_copy: Settings, realdata: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = realdata / "fund_nav_piginzoo" / "000001.csv"
    assert run_app(app, ["data", "import-nav", str(f), "--format", "eastmoney"]) == 2  # unknown fund
    assert "--create" in " ".join(capsys.readouterr().err.split())
    rc = run_app(app, ["data", "import-nav", str(f), "--create", "--name", "华夏成长混合", "--type", "hybrid"])
    assert rc == 0 and "8 dividends" in " ".join(capsys.readouterr().out.split())


def test_import_nav_bad_file_exit_code(settings_copy: Settings, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "001101.csv"
    p.write_text("净值日期,单位净值,累计净值\n2021-01-04,oops,1.2\n", encoding="utf-8")
    assert run_app(app, ["data", "import-nav", str(p)]) == 2
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert "line 2" in err and "单位净值" in err and "not a number" in err


def test_import_bank_cli(settings_copy: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "tx.csv"
    p.write_text("client_id,product_code,date,type,amount,shares,price,fee\n"
                 "C0001,004401,2026-11-02,buy,10000,8000,1.25,0\n", encoding="utf-8")
    assert run_app(app, ["data", "import-bank", str(p), "--kind", "transactions"]) == 0
    assert "1 inserted" in " ".join(capsys.readouterr().out.split())
    assert run_app(app, ["data", "import-bank", str(p), "--kind", "orders"]) == 2
