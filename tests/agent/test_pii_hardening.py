"""PII probes from issue 13 (item 9): formatted numbers, loopback spoofing, clients added after start,
encryption at rest with key rotation, owner-only files, retention purge."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from assistant.pii import Masker, NameDirectory, is_loopback_url


@pytest.mark.parametrize("secret", [
    "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "13812345678",
    "4111 1111 1111 1111", "4111-1111-1111-1111", "6222 0212 3456 7890 128",
    "110105 19491231 002X", "110105194912310021",
])
def test_formatted_numbers_are_masked_and_restored(secret: str):
    from analytics.identifiers import is_valid_luhn

    if secret.startswith("6222"):
        assert is_valid_luhn(secret.replace(" ", ""))
    m = Masker(names=[])
    text = f"客户号码：{secret}。"
    masked = m.mask(text)
    assert secret not in masked and "«" in masked
    assert m.restore(masked) == text


def test_amounts_and_fund_codes_with_spaces_are_not_phone_numbers():
    m = Masker(names=[])
    for plain in ("基金 110011 与 161725", "金额 1 234 567 元", "2026-11-30 的净值 1.2345"):
        assert m.mask(plain) == plain


@pytest.mark.parametrize(("url", "loopback"), [
    ("http://127.0.0.1:8001/v1", True), ("http://127.1.2.3/v1", True), ("http://localhost/v1", True),
    ("http://[::1]:8000/v1", True), ("http://127.evil.example/v1", False), ("http://127.0.0.1.nip.io/v1", False),
    ("https://api.deepseek.com/v1", False), ("http://10.0.0.5/v1", False), ("http://[::ffff:8.8.8.8]/v1", False),
])
def test_loopback_uses_the_parsed_ip_address(url: str, loopback: bool):
    assert is_loopback_url(url) is loopback


def test_clients_added_after_start_are_masked(tmp_path: Path, sample_db_path: Path):
    from datastore.engine import get_engine
    from datastore.repositories.lexicon import names_fingerprint
    from datastore.repositories.users import person_names

    db = tmp_path / "copy.db"
    with sqlite3.connect(sample_db_path) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    engine = get_engine(f"sqlite:///{db}")
    directory = NameDirectory(lambda: person_names(engine), lambda: names_fingerprint(engine), check_s=0.0)
    assert "司马新客" not in directory.names()
    with engine.begin() as conn:
        row = dict(conn.execute(text("SELECT * FROM clients LIMIT 1")).mappings().one())
        row.update(id="C9999", name="司马新客")
        conn.execute(text(f"INSERT INTO clients ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})"), row)
    assert "司马新客" in directory.names()
    assert "司马新客" not in Masker(directory.names()).mask("客户司马新客想赎回")


def test_log_lines_mask_clients_registered_through_a_directory(capsys):
    import logging

    from assistant.logging import configure_logging, get_logger, register_name_source

    names = ["欧阳晚到"]
    register_name_source(NameDirectory(lambda: list(names), lambda: len(names), check_s=0.0))
    configure_logging("INFO")
    names.append("上官后来")
    get_logger("test").info("客户上官后来 138-1234-5678 来电")
    err = capsys.readouterr().err
    line = json.loads(err.strip().splitlines()[-1])
    assert "上官后来" not in line["msg"] and "1234" not in line["msg"]
    logging.getLogger("wealthdesk").handlers.clear()


# ------------------------------------------------------------------------------------------ at rest
def test_sample_loader_stores_ciphertext_and_repositories_return_plain(sample_engine, sample_db_path: Path):
    from datastore.repositories.clients import get_client

    with sqlite3.connect(sample_db_path) as raw:
        idn, mobile = raw.execute("SELECT id_number, mobile FROM clients WHERE id='C0001'").fetchone()
    assert idn.startswith("enc1:") and mobile.startswith("enc1:")
    c = get_client(sample_engine, "C0001")
    assert c is not None and len(c["id_number"]) == 18 and len(c["mobile"]) == 11 and c["mobile"].startswith("1")
    assert c["id_number"] not in idn and c["mobile"] not in mobile


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_key_rotation_reencrypts_and_old_key_can_be_dropped(tmp_path: Path, sample_db_path: Path):
    from analytics.errors import ConfigurationError
    from datastore import crypto
    from datastore.engine import get_engine
    from datastore.repositories.clients import get_client
    from datastore.repositories.pii import reencrypt_clients

    db = tmp_path / "rot.db"
    with sqlite3.connect(sample_db_path) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    engine = get_engine(f"sqlite:///{db}")
    try:
        crypto.configure(None)
        plain = get_client(engine, "C0001")
        new = f"k2:{_key()}"
        crypto.configure(f"{new},{crypto.DEV_KID}:{base64.b64encode(crypto.dev_keyring().keys['dev']).decode()}")
        res = reencrypt_clients(engine)
        assert res["reencrypted"] == res["clients"] > 0 and res["key_id"] == "k2"
        assert reencrypt_clients(engine)["reencrypted"] == 0  # idempotent
        crypto.configure(new)  # the old key is gone
        assert get_client(engine, "C0001") == plain
        with sqlite3.connect(db) as raw:
            assert raw.execute("SELECT mobile FROM clients WHERE id='C0001'").fetchone()[0].startswith("enc1:k2:")
        crypto.configure(f"k3:{_key()}")  # a key that never encrypted this data
        with pytest.raises(ConfigurationError, match="k2"):
            get_client(engine, "C0001")
    finally:
        crypto.configure(None)


def test_bad_key_settings_fail_fast():
    from analytics.errors import ConfigurationError
    from datastore.crypto import parse_keys

    for spec in ("nokid", "k1:not base64!!", f"k1:{base64.b64encode(b'short').decode()}"):
        with pytest.raises(ConfigurationError, match="WEALTHDESK_PII_KEY"):
            parse_keys(spec)


def test_tampered_ciphertext_does_not_decrypt():
    from analytics.errors import ConfigurationError
    from datastore.crypto import decrypt, encrypt

    stored = encrypt("13812345678", "clients.mobile")
    assert decrypt(stored, "clients.mobile") == "13812345678"
    with pytest.raises(ConfigurationError):
        decrypt(stored, "clients.id_number")  # moved to another column
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    with pytest.raises(ConfigurationError):
        decrypt(flipped, "clients.mobile")


# ------------------------------------------------------------------------------------------ files
def test_database_and_generated_files_are_owner_only(tmp_path: Path):
    from assistant.security_setup import configure_process
    from assistant.settings import Settings
    from datastore.engine import create_schema, get_engine

    old = os.umask(0o022)
    try:
        configure_process(Settings(var_dir=tmp_path / "var", _env_file=None))  # type: ignore[call-arg]
        db = tmp_path / "var" / "new" / "w.db"
        create_schema(get_engine(f"sqlite:///{db}"))
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
        assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
        report = tmp_path / "var" / "reports" / "r.docx"
        report.parent.mkdir(parents=True)
        report.write_bytes(b"docx")
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
        assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700
    finally:
        os.umask(old)


# ------------------------------------------------------------------------------------------ retention
def test_purge_deletes_old_messages_reports_and_dedup_rows_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from assistant.cli import app
    from assistant.cli.common import run_app
    from assistant.settings import get_settings
    from datastore.engine import create_schema, get_engine
    from datastore.repositories.audit import list_audit

    var = tmp_path / "var"
    reports = var / "reports"
    reports.mkdir(parents=True)
    engine = get_engine(f"sqlite:///{var / 'p.db'}")
    create_schema(engine)
    now = datetime.now(UTC).replace(tzinfo=None)
    old, recent = now - timedelta(days=400), now - timedelta(days=3)
    files = {}
    with engine.begin() as conn:
        for sid, when in (("s-old", old), ("s-new", recent)):
            conn.execute(text("INSERT INTO sessions (id, user_id, created_at, updated_at, state) VALUES "
                              "(:i, 'RM001', :w, :w, '{}')"), {"i": sid, "w": when})
            conn.execute(text("INSERT INTO messages (session_id, seq, role, content, payload, created_at) VALUES "
                              "(:i, 1, 'user', '客户张伟的持仓', '{}', :w)"), {"i": sid, "w": when})
        for jid, when, status in (("j-old", old, "done"), ("j-new", recent, "done"), ("j-run", old, "running")):
            f = reports / f"{jid}.docx"
            f.write_bytes(b"x")
            files[jid] = f
            conn.execute(text("INSERT INTO reports (id, user_id, type, params, request_key, status, progress, file_path,"
                              " created_at, updated_at) VALUES (:i, 'RM001', 'proposal', '{}', :i, :s, 1.0, :f, :w, :w)"),
                         {"i": jid, "s": status, "f": str(f), "w": when})
        for mid, when in (("m-old", old), ("m-new", recent)):
            conn.execute(text("INSERT INTO channel_messages (channel, msg_id, received_at) VALUES ('wecom', :m, :w)"),
                         {"m": mid, "w": when})
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    with engine.begin() as conn:  # a tampered path pointing outside the reports folder
        conn.execute(text("INSERT INTO reports (id, user_id, type, params, request_key, status, progress, file_path,"
                          " created_at, updated_at) VALUES ('j-evil', 'RM001', 'proposal', '{}', 'e', 'failed', 1.0, :f,"
                          " :w, :w)"), {"f": str(outside), "w": old})
    monkeypatch.setenv("WEALTHDESK_VAR_DIR", str(var))
    monkeypatch.setenv("WEALTHDESK_DATABASE_URL", f"sqlite:///{var / 'p.db'}")
    monkeypatch.setenv("WEALTHDESK_RETENTION_DAYS", "180")
    get_settings.cache_clear()
    try:
        assert run_app(app, ["purge", "--dry-run"]) == 0
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM messages")).scalar_one() == 2
        assert run_app(app, ["purge"]) == 0
    finally:
        get_settings.cache_clear()
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT id FROM sessions"))] == ["s-new"]
        assert conn.execute(text("SELECT count(*) FROM messages")).scalar_one() == 1
        assert sorted(r[0] for r in conn.execute(text("SELECT id FROM reports"))) == ["j-new", "j-run"]
        assert [r[0] for r in conn.execute(text("SELECT msg_id FROM channel_messages"))] == ["m-new"]
    assert not files["j-old"].exists() and files["j-new"].exists() and files["j-run"].exists()
    assert outside.read_text() == "keep"
    assert list_audit(engine, limit=1)[0].tool == "data.purge"
