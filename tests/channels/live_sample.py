"""Fixtures for channel tests that need the real agent and tools: a writable copy of the sample database
with API users (RM001, a client_channel key ``faq-bot``), the tiny knowledge store, offline settings and a
live uvicorn server with the real services. Loaded by tests/channels/conftest.py; module scope."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import create_app
from assistant.settings import Settings
from datastore.engine import get_engine
from datastore.repositories.lexicon import client_names
from datastore.repositories.users import add_user, issue_key
from tests.api.support import LiveServer
from tests.knowledge.conftest import tiny_corpus, tiny_store  # noqa: F401 - session fixtures (conftest imports them)


@pytest.fixture(scope="module")
def live_db_path(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the sample database (audit rows, sessions and users are written)."""
    out = tmp_path_factory.mktemp("livedb") / "wealthdesk.db"
    with sqlite3.connect(sample_db_path) as src, sqlite3.connect(out) as dst:
        src.backup(dst)
    return out


@pytest.fixture(scope="module")
def live_engine(live_db_path: Path):  # type: ignore[no-untyped-def]
    return get_engine(f"sqlite:///{live_db_path}")


@pytest.fixture(scope="module")
def live_keys(live_engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    add_user(live_engine, "RM001", "rm")
    add_user(live_engine, "faq-bot", "client_channel")
    return {u: issue_key(live_engine, u) for u in ("RM001", "faq-bot")}


@pytest.fixture(scope="module")
def live_settings(live_db_path: Path, tiny_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:  # noqa: F811
    var = tmp_path_factory.mktemp("livevar")
    return Settings(var_dir=var, database_url=f"sqlite:///{live_db_path}", store_dir=tiny_store, llm_mode="offline",
                    reports_dir=var / "reports", rate_limit_per_minute=1000, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def live_server(live_settings: Settings, live_engine, live_keys) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with LiveServer(create_app(live_settings, engine=live_engine, warm_up=False)) as server:
        yield server


@pytest.fixture(scope="module")
def own_client(live_engine) -> str:  # type: ignore[no-untyped-def]
    """A client in RM001's book."""
    return client_names(live_engine, "RM001")[0][0]


@pytest.fixture(scope="module")
def other_client(live_engine) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(id, name) of a client in another RM's book."""
    own = set(client_names(live_engine, "RM001"))
    return next((cid, name) for cid, name in client_names(live_engine, None) if (cid, name) not in own)
