"""Engine and session factory. SQLite by default, PostgreSQL (or any SQLAlchemy URL) by configuration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigurationError
from datastore.schema import Base


def _owner_only(path: Path) -> None:
    """Create the SQLite file (and its WAL side files) readable by the owner only (0600): it holds
    client data. An existing file is tightened too."""
    import os

    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if p.exists() and (p.stat().st_mode & 0o077):
            try:
                p.chmod(0o600)
            except OSError:  # not our file (shared deployment): leave it to the operator
                pass


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per URL for the process. SQLite gets WAL and foreign keys turned on."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                _owner_only(path)
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot create the database folder {str(path.parent)!r}: {exc.strerror}",
                    field="WEALTHDESK_DATABASE_URL",
                    hint="point it (or WEALTHDESK_VAR_DIR) at a writable folder",
                ) from None
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ImportError as exc:  # e.g. postgresql+psycopg:// without the driver
        raise ConfigurationError(
            f"the database driver for this URL is not installed ({exc.name})",
            field="WEALTHDESK_DATABASE_URL",
            hint="for PostgreSQL: pip install -e '.[postgres]'",
        ) from None
    except ArgumentError as exc:
        raise ConfigurationError(
            f"not a database URL: {exc}", field="WEALTHDESK_DATABASE_URL", hint="e.g. sqlite:///var/wealthdesk.db"
        ) from None


def create_schema(engine: Engine) -> None:
    """Create missing tables, then add columns/indexes that newer versions introduced (``datastore.migrate``)."""
    from datastore.migrate import upgrade_schema

    Base.metadata.create_all(engine)
    upgrade_schema(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A transaction: commit on success, roll back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
