"""CLI: ``wealthdesk batch …`` exit codes (0 ok, 1 some partition failed, 2 bad input) and the JSON summary."""

from __future__ import annotations

import json

import pytest
from synthetic_bank import AS_OF

from assistant.cli import app
from assistant.cli.common import run_app
from tests.batch.test_local_batch import _break_rm


@pytest.fixture()
def cli_env(monkeypatch: pytest.MonkeyPatch, sample_settings):  # type: ignore[no-untyped-def]
    import assistant.cli.common as common

    monkeypatch.setattr(common, "get_settings", lambda: sample_settings)
    return sample_settings


def test_batch_cli_exit_codes(cli_env, bank_dir, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = run_app(app, ["batch", "book-scan", "--rm", "RM001", "--out", str(tmp_path / "a"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["clients"] == 40 and out["failures"] == []
    assert json.loads((tmp_path / "a" / "run_summary.json").read_text())["rows"] == out["rows"] > 0
    _break_rm(bank_dir, tmp_path / "bad", "RM00002")
    code = run_app(app, ["batch", "book-scan", "--input", str(tmp_path / "bad"), "--as-of", AS_OF.isoformat(),
                         "--out", str(tmp_path / "b")])
    cap = capsys.readouterr()
    assert code == 1 and "partition RM00002 failed" in cap.out and "NO_SUCH" in cap.out
    assert (tmp_path / "b" / "findings.parquet").is_file()
    code = run_app(app, ["batch", "lookthrough", "--input", str(bank_dir), "--out", str(tmp_path / "c")])
    assert code == 2 and "--as-of" in capsys.readouterr().err
    code = run_app(app, ["batch", "book-scan", "--engine", "hadoop", "--out", str(tmp_path / "d")])
    assert code == 2
