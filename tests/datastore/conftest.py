"""Fixtures for datastore tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest


@pytest.fixture()
def scratch_engine(sample_db_path: Path, tmp_path: Path):  # noqa: ANN201 - sqlalchemy Engine
    """A private, writable copy of the sample database (sqlite backup API, so WAL content is included)."""
    from datastore.engine import get_engine

    dst = tmp_path / "copy.db"
    with sqlite3.connect(sample_db_path) as src, sqlite3.connect(dst) as out:
        src.backup(out)
    return get_engine(f"sqlite:///{dst}")
