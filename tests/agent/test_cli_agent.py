"""`wealthdesk ask --json` shape and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.settings import get_settings


@pytest.fixture()
def cli_env(mini_engine, tmp_path, monkeypatch):
    monkeypatch.setenv("WEALTHDESK_DATABASE_URL", str(mini_engine.url))
    monkeypatch.setenv("WEALTHDESK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("WEALTHDESK_LLM_MODE", "offline")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_ask_json_shape_and_session_follow_up(cli_env):
    runner = CliRunner()
    first = runner.invoke(app, ["ask", "张伟的穿透", "--as", "RM001", "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert list(data)[:4] == ["answer", "tool_calls", "citations", "ungrounded_numbers"]
    assert data["tool_calls"] == [{"name": "lookthrough_portfolio", "args": {"client_id": "C0001"}}]
    second = runner.invoke(app, ["ask", "那他的行业分布呢?", "--as", "RM001", "--json",
                                 "--session", data["session_id"]])
    assert json.loads(second.output)["tool_calls"][0]["args"] == {"client_id": "C0001"}


def test_unknown_identity_is_bad_input(cli_env):
    from assistant.cli.common import run_app

    assert run_app(app, ["ask", "hi", "--as", "nobody"]) == 2


def test_refusal_exits_3_and_prints_the_refusal(cli_env):
    res = CliRunner().invoke(app, ["ask", "C0003的穿透", "--as", "RM001", "--json"])
    assert res.exit_code == 3 and json.loads(res.output)["tool_calls"][0]["args"] == {"client_id": "C0003"}
