"""Referential integrity of the loaded sample book (SQLite PRAGMA and explicit joins via SQLAlchemy)."""

from __future__ import annotations

from sqlalchemy import func, select, text

from datastore.schema import Base


def test_foreign_key_check_is_clean(sample_engine) -> None:
    with sample_engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []


def test_every_foreign_key_resolves(sample_engine) -> None:
    """For every FK column of every table, count child rows whose non-null value has no parent."""
    checked = 0
    with sample_engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                child, parent = fk.parent, fk.column
                orphans = conn.execute(
                    select(func.count()).select_from(table)
                    .where(child.isnot(None))
                    .where(~child.in_(select(parent)))
                ).scalar_one()
                assert orphans == 0, f"{table.name}.{child.name} has {orphans} rows without {parent}"
                checked += 1
    assert checked >= 20
