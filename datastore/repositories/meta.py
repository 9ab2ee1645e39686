"""Key/value facts about the loaded data (``meta`` table): sample digest, as-of date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine, delete, insert, select

from datastore.schema import Meta


def get_meta(engine: Engine | Connection, key: str) -> str | None:
    """The stored value for ``key`` or None (also None when the table does not exist yet)."""
    from sqlalchemy import inspect

    if isinstance(engine, Engine):
        with engine.connect() as conn:
            return get_meta(conn, key)
    if not inspect(engine).has_table(Meta.__tablename__):
        return None
    return engine.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()




def set_meta(conn: Connection, values: dict[str, str]) -> None:
    """Upsert ``values`` inside the caller's transaction (delete + insert: portable across databases)."""
    conn.execute(delete(Meta).where(Meta.key.in_(list(values))))
    conn.execute(insert(Meta), [{"key": k, "value": v} for k, v in values.items()])


def data_as_of(engine: Engine) -> date | None:
    """The as-of date of the loaded data set ("today" for analytics), or None before ``init``."""
    v = get_meta(engine, "as_of")
    return date.fromisoformat(v) if v else None


def as_of_date(engine: Engine) -> date:
    """The loaded data set's as-of date; raises ``DataUnavailable`` before ``wealthdesk init``."""
    from core.errors import DataUnavailable

    d = data_as_of(engine)
    if d is None:
        raise DataUnavailable("no data loaded (meta.as_of missing)", hint="run `wealthdesk init`")
    return d


_EPOCH = [0]  # bumped by every importer in this process; part of services.loading's cache key


def clear_cache() -> None:
    """Mark the data changed (importers call it after a commit), so cached look-through is recomputed."""
    _EPOCH[0] += 1


def data_epoch() -> int:
    return _EPOCH[0]
