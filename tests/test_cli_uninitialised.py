"""Before `wealthdesk init` (or with a wrong database URL) every command says so in one line: no traceback,
and never a misleading "not your client"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

WEALTHDESK = [sys.executable, "-c", "from assistant.cli import main; main()"]


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "WEALTHDESK_VAR_DIR": str(tmp_path / "var"), **env}
    full_env.pop("WEALTHDESK_DATABASE_URL", None)
    full_env.update(env)
    return subprocess.run(
        WEALTHDESK + args, cwd=tmp_path, env=full_env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ["report", "proposal", "--client", "C0001", "--as", "RM001", "--out", "p.docx"],
        ["ask", "C0001今年收益怎么样", "--as", "RM001"],
    ],
)
def test_empty_database_says_run_init(args: list[str], tmp_path: Path) -> None:
    res = _run(args, tmp_path)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "wealthdesk init" in res.stderr
    assert "not your client" not in res.stderr + res.stdout


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{tmp}/a-file/wd.db",  # the folder cannot be created: a file stands in the way
        "postgresql+nosuchdriver://u@127.0.0.1:1/x",  # driver not installed
        "not a url",
    ],
)
def test_bad_database_url_is_one_line(url: str, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    res = _run(["book-scan", "--as", "RM001"], tmp_path, WEALTHDESK_DATABASE_URL=url.format(tmp=tmp_path))
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert "WEALTHDESK_DATABASE_URL" in res.stderr
