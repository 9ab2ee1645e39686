"""Additive schema upgrades for databases created by an earlier version (``create_all`` never alters a table).

Only changes that cannot lose data are made, so running it on every start is safe:

- a nullable column in the models but not in the table is added (old rows get NULL);
- an index in the models but not in the database is created;
- on PostgreSQL, a VARCHAR shorter than the model's is widened (SQLite does not enforce lengths).

Anything else (a dropped or renamed column, a narrower type) is left alone: that needs a real migration.
"""

from __future__ import annotations

from sqlalchemy import Engine, String, inspect, text

from datastore.schema import Base


def upgrade_schema(engine: Engine) -> list[str]:
    """Apply the additive changes; returns what was done, e.g. ``["api_keys.expires_at added"]``."""
    insp = inspect(engine)
    existing = set(insp.get_table_names())
    prep = engine.dialect.identifier_preparer
    done: list[str] = []
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                continue  # create_all made it just now, complete
            have = {c["name"]: c for c in insp.get_columns(table.name)}
            for col in table.columns:
                found = have.get(col.name)
                if found is None:
                    if not col.nullable or col.primary_key:
                        continue  # not additive: needs a real migration (queries touching it will say so)
                    type_sql = col.type.compile(dialect=engine.dialect)
                    conn.execute(
                        text(f"ALTER TABLE {prep.quote(table.name)} ADD COLUMN {prep.quote(col.name)} {type_sql}")
                    )
                    done.append(f"{table.name}.{col.name} added")
                elif engine.dialect.name == "postgresql" and isinstance(col.type, String) and col.type.length:
                    old = getattr(found["type"], "length", None)
                    if old is not None and old < col.type.length:
                        conn.execute(
                            text(
                                f"ALTER TABLE {prep.quote(table.name)} ALTER COLUMN {prep.quote(col.name)} "
                                f"TYPE VARCHAR({col.type.length})"
                            )
                        )
                        done.append(f"{table.name}.{col.name} widened to {col.type.length}")
            indexes = {ix["name"] for ix in insp.get_indexes(table.name)}
            for index in table.indexes:
                if index.name and index.name not in indexes:
                    index.create(conn)
                    done.append(f"index {index.name} created")
    return done
