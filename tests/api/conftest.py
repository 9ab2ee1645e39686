"""Fixtures for the HTTP API tests: a seeded database per test, fake services, the app and keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from assistant.api import create_app
from assistant.settings import Settings
from tests.api.support import FakeServices, make_keys, seed_engine


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        var_dir=tmp_path / "var", llm_mode="offline", report_workers=2, rate_limit_per_minute=1000
    )


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return seed_engine(tmp_path / "seed.db")


@pytest.fixture
def keys(engine: Engine) -> dict[str, str]:
    return make_keys(engine)


@pytest.fixture
def fakes() -> FakeServices:
    return FakeServices()


@pytest.fixture
def app(settings: Settings, engine: Engine, fakes: FakeServices) -> FastAPI:
    return create_app(settings, engine=engine, services=fakes.services())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
