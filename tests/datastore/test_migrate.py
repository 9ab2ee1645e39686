"""``create_schema`` upgrades a database made by an earlier version: new nullable columns and indexes appear,
data stays."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from datastore.engine import create_schema
from datastore.migrate import upgrade_schema
from datastore.repositories.users import add_user, issue_key, user_for_key


def test_columns_added_since_are_created_and_rows_survive(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    create_schema(engine)
    add_user(engine, "admin", "admin")
    key = issue_key(engine, "admin")
    with engine.begin() as c:  # turn it into the previous version's schema
        c.execute(text("DROP INDEX ix_reports_status"))
        for table, col in (("api_keys", "expires_at"), ("reports", "lease_owner"), ("reports", "lease_expires_at")):
            c.execute(text(f"ALTER TABLE {table} DROP COLUMN {col}"))
    assert "expires_at" not in {c["name"] for c in inspect(engine).get_columns("api_keys")}

    create_schema(engine)  # what `wealthdesk init` / `serve` do on start

    insp = inspect(engine)
    assert "expires_at" in {c["name"] for c in insp.get_columns("api_keys")}
    assert {"lease_owner", "lease_expires_at"} <= {c["name"] for c in insp.get_columns("reports")}
    assert "ix_reports_status" in {i["name"] for i in insp.get_indexes("reports")}
    found = user_for_key(engine, key)
    assert found is not None and found[0].id == "admin"  # the old key still works, no expiry
    assert upgrade_schema(engine) == []  # idempotent
