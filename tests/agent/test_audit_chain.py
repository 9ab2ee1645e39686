"""The keyed audit chain against the penetration tester's probes (issue 13, item 3)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from assistant.audit import digest, record_event, record_tool_call, verify
from assistant.cli import app
from assistant.cli.common import run_app
from datastore.engine import create_schema, get_engine
from datastore.repositories.audit import GENESIS, list_audit

ROOT = Path(__file__).resolve().parents[2]


def _log(tmp_path: Path, n: int = 5):  # noqa: ANN202
    engine = get_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    create_schema(engine)
    for i in range(n):
        record_tool_call(engine, actor="RM001", tool="lookthrough_portfolio", args={"client_id": f"C000{i}"},
                         result={"ok": i}, outcome="ok")
    return engine


def test_intact_log_verifies(tmp_path):
    engine = _log(tmp_path)
    report = verify(engine)
    assert report.ok and report.rows == 5


def test_tail_deletion_is_detected(tmp_path):
    engine = _log(tmp_path)
    last = list_audit(engine, limit=2)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id >= :i"), {"i": last[-1].id})
    report = verify(engine)
    assert not report.ok and report.first_bad_id == last[-1].id
    assert "deleted from the end" in report.reason


def test_tail_deletion_with_the_head_checkpoint_is_detected(tmp_path):
    engine = _log(tmp_path)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"))
        conn.execute(text("DELETE FROM audit_checkpoints"))
    assert "head checkpoint is missing" in verify(engine).reason


def test_editing_the_last_row_is_detected(tmp_path):
    engine = _log(tmp_path)
    last = list_audit(engine, limit=1)[0]
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET outcome='forbidden' WHERE id=:i"), {"i": last.id})
    report = verify(engine)
    assert report.first_bad_id == last.id and "altered" in report.reason


def test_recomputing_the_plain_chain_without_the_key_is_detected(tmp_path):
    engine = _log(tmp_path)
    # The attacker rewrites row 2 and recomputes every link with plain SHA-256 (the old scheme).
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT * FROM audit_log ORDER BY id")).mappings().all()
        prev = GENESIS
        for r in rows:
            outcome = "forbidden" if r["id"] == rows[1]["id"] else r["outcome"]
            fields = [prev, str(r["at"]), r["actor"], r["tool"], r["args_digest"], r["result_digest"], outcome]
            mac = hashlib.sha256("|".join(fields).encode()).hexdigest()
            conn.execute(text("UPDATE audit_log SET prev_hash=:p, mac=:m, outcome=:o WHERE id=:i"),
                         {"p": prev, "m": mac, "o": outcome, "i": r["id"]})
            prev = mac
    report = verify(engine)
    assert not report.ok and report.first_bad_id == rows[0]["id"]


def test_argument_digests_are_keyed_not_reversible_by_enumeration(tmp_path):
    engine = _log(tmp_path, n=1)
    row = list_audit(engine, limit=1)[0]
    plain = json.dumps({"client_id": "C0000"}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Enumerating client ids with plain SHA-256 (the old scheme) does not find the stored digest...
    candidates = {hashlib.sha256(json.dumps({"client_id": f"C{i:04d}"}, separators=(",", ":")).encode()).hexdigest()
                  for i in range(200)}
    assert row.args_digest not in candidates and row.args_digest != hashlib.sha256(plain.encode()).hexdigest()
    assert row.args_digest == digest({"client_id": "C0000"})  # ...while the key holder can still prove it


def test_record_event_stores_action_target_and_detail(tmp_path):
    engine = _log(tmp_path, n=0)
    record_event(engine, actor="RM001", action="report.download", target="job-1", detail={"content_hash": "ab"})
    row = list_audit(engine, limit=1)[0]
    assert (row.tool, row.target, row.detail, row.outcome) == ("report.download", "job-1", {"content_hash": "ab"}, "ok")
    assert verify(engine).ok


def test_audit_verify_and_export_cli(tmp_path, monkeypatch, capsys):
    db = tmp_path / "cli.db"
    monkeypatch.setenv("WEALTHDESK_DATABASE_URL", f"sqlite:///{db}")
    from assistant.settings import get_settings

    get_settings.cache_clear()
    try:
        engine = _log(tmp_path, n=0)
        engine = get_engine(f"sqlite:///{db}")
        create_schema(engine)
        record_event(engine, actor="admin", action="user.add", target="RM009", detail={"role": "rm"})
        assert run_app(app, ["audit", "verify"]) == 0
        assert run_app(app, ["audit", "export", "--since", "2000-01-01", "--json"]) == 0
        out = capsys.readouterr().out
        exported = json.loads(out[out.index("["):])
        assert [r["tool"] for r in exported][:2] == ["user.add", "audit.verify"]
        assert run_app(app, ["audit", "export", "--since", "yesterday"]) == 2
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"))
        assert run_app(app, ["audit", "verify"]) == 1
        assert "first bad row" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


_WRITER = """
import sys
from assistant.audit import record_event
from datastore.engine import get_engine
engine = get_engine(sys.argv[1])
for i in range(int(sys.argv[3])):
    record_event(engine, actor=sys.argv[2], action="test.write", detail={"i": i})
"""


def test_two_processes_writing_at_once_keep_one_chain(tmp_path):
    url = f"sqlite:///{tmp_path / 'multi.db'}"
    create_schema(get_engine(url))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("WEALTHDESK_AUDIT_KEY", None)
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, url, f"P{n}", "40"], cwd=ROOT, env=env)
             for n in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    engine = get_engine(url)
    report = verify(engine)
    assert report.ok, report.reason
    assert report.rows == 120
    with engine.connect() as conn:  # every row links to a distinct predecessor: no fork
        prevs = [r[0] for r in conn.execute(text("SELECT prev_hash FROM audit_log"))]
    assert len(set(prevs)) == 120
