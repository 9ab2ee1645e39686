"""Test-wide guards: no network except loopback, no real model calls, isolated var/ per session; the
``--update-golden`` option (tests/golden.py)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REALDATA = SHARED / "realdata"

_real_connect = socket.socket.connect
_LOOPBACK = ("127.", "::1", "localhost")


def _guarded_connect(self, address):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else str(address)
    if isinstance(host, str) and (host.startswith(_LOOPBACK) or self.family == socket.AF_UNIX):
        return _real_connect(self, address)
    raise RuntimeError(f"network access to {host!r} is not allowed in tests")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files (tests/*/golden) from the current output; review the diff before committing",
    )


def pytest_configure(config: pytest.Config) -> None:
    import tests.golden

    tests.golden.UPDATE = bool(config.getoption("--update-golden"))


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    for var in ("WEALTHDESK_LLM_BASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(var, None)
    os.environ["HF_HUB_OFFLINE"] = "1"
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The shared real public data; tests that need it skip cleanly when it is absent."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not present")
    return REALDATA


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temp SQLite file with the full sample book loaded once per test session."""
    from datastore.engine import get_engine
    from datastore.sample import load_sample

    path = tmp_path_factory.mktemp("sampledb") / "wealthdesk.db"
    load_sample(get_engine(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def sample_engine(sample_db_path: Path):  # type: ignore[no-untyped-def]
    """Engine on the session's sample database (treat as read-only; copy the file to mutate)."""
    from datastore.engine import get_engine

    return get_engine(f"sqlite:///{sample_db_path}")


@pytest.fixture(scope="session")
def sample_settings(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Settings whose var_dir/store_dir/reports_dir are temp dirs and whose database is the sample DB."""
    from assistant.settings import Settings

    var = tmp_path_factory.mktemp("var")
    return Settings(var_dir=var, database_url=f"sqlite:///{sample_db_path}", store_dir=var / "chroma",
                    reports_dir=var / "reports", _env_file=None)  # type: ignore[call-arg]
