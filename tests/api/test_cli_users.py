"""`wealthdesk users add|list|revoke` through the real CLI entry (run_app), on a seeded temp database."""

from __future__ import annotations

import json

import pytest

from assistant.cli import app as cli_app
from assistant.cli import service_cmds
from assistant.cli.common import run_app
from assistant.settings import Settings
from datastore.repositories.users import hash_key, user_for_key


@pytest.fixture
def cli_settings(monkeypatch: pytest.MonkeyPatch, tmp_path, engine) -> Settings:
    s = Settings(var_dir=tmp_path / "var", database_url=str(engine.url))  # the seeded test database
    monkeypatch.setattr(service_cmds, "get_settings", lambda: s)
    return s


def test_users_add_prints_a_working_key_once(cli_settings, engine, capsys) -> None:
    assert run_app(cli_app, ["users", "add", "RM001", "--role", "rm", "--wecom-user", "wang", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    key = out["api_key"]
    assert key.startswith("wd_") and len(key) > 40
    found = user_for_key(engine, key)
    assert found is not None and found[0].id == "RM001" and found[0].wecom_user_id == "wang"
    # only the hash is stored
    from sqlalchemy import text

    with engine.connect() as c:
        stored = [r[0] for r in c.execute(text("select key_hash from api_keys"))]
    assert stored == [hash_key(key)] and key not in stored

    assert run_app(cli_app, ["users", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {"id": "RM001", "role": "rm", "rm_id": "RM001", "wecom_user_id": "wang", "active": True, "keys": 1}
    ]
    assert key not in json.dumps(rows)

    assert run_app(cli_app, ["users", "revoke", "RM001"]) == 0
    assert user_for_key(engine, key) is None


def test_users_add_bad_input_exits_2(cli_settings, capsys) -> None:
    assert run_app(cli_app, ["users", "add", "RM999", "--role", "rm"]) == 2  # no such RM
    assert "no RM with id 'RM999'" in capsys.readouterr().err
    assert run_app(cli_app, ["users", "add", "x", "--role", "boss"]) == 2
    assert run_app(cli_app, ["users", "add", "admin", "--role", "admin"]) == 0
    assert run_app(cli_app, ["users", "add", "admin", "--role", "admin"]) == 2  # duplicate


def test_users_key_expiry_show_revoke_one_and_deactivate(cli_settings, engine, capsys) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from assistant.access import Caller
    from datastore.repositories.jobs import count_by_status, create_job
    from datastore.schema import ApiKey

    assert run_app(cli_app, ["users", "add", "RM001", "--role", "rm", "--wecom-user", "wang", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["api_key"]
    assert run_app(cli_app, ["users", "key", "RM001", "--expires-days", "90"]) == 0
    second = capsys.readouterr().out.strip()
    with Session(engine) as s:
        expiry = s.execute(select(ApiKey.expires_at).where(ApiKey.prefix == second[:12])).scalar_one()
    from datetime import UTC, datetime, timedelta

    assert abs(expiry - (datetime.now(UTC).replace(tzinfo=None) + timedelta(days=90))) < timedelta(minutes=1)

    assert run_app(cli_app, ["users", "show", "RM001", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(k["prefix"], k["status"], k["expires_at"] is None) for k in shown] == [
        (first[:12], "active", True),
        (second[:12], "active", False),
    ]
    assert first not in json.dumps(shown)

    assert run_app(cli_app, ["users", "revoke", "RM001", "--key", second[:12]]) == 0
    assert user_for_key(engine, second) is None and user_for_key(engine, first) is not None
    assert run_app(cli_app, ["users", "revoke", "RM001", "--key", "wd_nosuchkey"]) == 2  # a typo is not success
    assert "no active key starting 'wd_nosuchkey'" in capsys.readouterr().err

    create_job(engine, Caller.rm("RM001").user_id, "proposal", {"client_id": "C0001", "lang": "zh"}, "k1")
    assert run_app(cli_app, ["users", "deactivate", "RM001", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"user": "RM001", "keys_revoked": 1, "jobs_cancelled": 1}
    assert user_for_key(engine, first) is None and count_by_status(engine) == {"cancelled": 1}
    assert run_app(cli_app, ["users", "key", "RM001"]) == 2  # deactivated: activate first
    assert run_app(cli_app, ["users", "activate", "RM001"]) == 0
    assert run_app(cli_app, ["users", "key", "RM001"]) == 0
    assert user_for_key(engine, capsys.readouterr().out.strip().splitlines()[-1]) is not None
    assert user_for_key(engine, first) is None  # old keys stay revoked


def test_client_channel_user_and_bad_expiry(cli_settings, engine, capsys) -> None:
    assert run_app(cli_app, ["users", "add", "bank-app", "--role", "client_channel", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["user"]["role"] == "client_channel" and out["user"]["rm_id"] is None
    assert run_app(cli_app, ["users", "add", "admin", "--role", "admin", "--expires-days", "-1"]) == 2
    assert "positive number of days" in capsys.readouterr().err
    assert run_app(cli_app, ["users", "list", "--json"]) == 0
    assert [u["id"] for u in json.loads(capsys.readouterr().out)] == ["bank-app"]  # nothing half-created


def test_a_client_channel_user_gets_a_faq_only_caller(cli_settings, engine, capsys) -> None:
    from assistant.api.security import caller_of

    assert run_app(cli_app, ["users", "add", "faq-bot", "--role", "client_channel", "--json"]) == 0
    key = json.loads(capsys.readouterr().out)["api_key"]
    found = user_for_key(engine, key)
    assert found is not None and found[0].role == "client_channel" and found[0].rm_id is None
    caller = caller_of(found[0])
    assert caller.role == "client_channel" and caller.user_id == "faq-bot"
    assert run_app(cli_app, ["users", "add", "x", "--role", "superuser"]) == 2
    assert "use rm, admin or client_channel" in capsys.readouterr().err


def test_mcp_command_needs_stdio_and_an_identity(cli_settings, capsys) -> None:
    assert run_app(cli_app, ["mcp"]) == 2
    assert "wealthdesk mcp --stdio --as RM001" in capsys.readouterr().err
    assert run_app(cli_app, ["mcp", "--stdio"]) == 2
    assert "--as" in capsys.readouterr().err


@pytest.mark.parametrize(("as_user", "role", "user_id"), [
    ("RM001", "rm", "RM001"), ("admin", "admin", "admin"), ("client_channel", "client_channel", "client-channel"),
    ("client-channel", "client_channel", "client-channel"),
])
def test_mcp_stdio_identity_comes_from_as(cli_settings, monkeypatch, as_user, role, user_id) -> None:
    import assistant.channels.mcp_server.stdio as stdio_mod
    import assistant.logging as logging_mod

    seen = {}
    monkeypatch.setattr(logging_mod, "configure_logging", lambda level: None)  # keep the test run's loggers
    monkeypatch.setattr(stdio_mod, "run_stdio", lambda engine, settings, caller: seen.setdefault("caller", caller))
    assert run_app(cli_app, ["mcp", "--stdio", "--as", as_user]) == 0
    assert (seen["caller"].role, seen["caller"].user_id) == (role, user_id)
    assert run_app(cli_app, ["mcp", "--stdio", "--as", "nobody"]) == 2
