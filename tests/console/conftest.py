"""Console fixtures: a copy of the sample database with two RMs' keys, the app, and a signed-in client."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.settings import Settings
from datastore.engine import get_engine
from datastore.repositories.users import add_user, issue_key
from tests.api.support import FakeServices


@pytest.fixture(scope="module")
def console_env(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("console")
    db = work / "wealthdesk.db"
    shutil.copy(sample_db_path, db)  # the session sample DB is read-only; we write users, jobs, audit rows
    settings = Settings(  # type: ignore[call-arg]
        var_dir=work / "var", database_url=f"sqlite:///{db}", llm_mode="offline", rate_limit_per_minute=10_000,
        corpus_dir=work / "corpus", _env_file=None,
    )
    engine = get_engine(settings.resolved_database_url)
    for rm in ("RM001", "RM002"):
        add_user(engine, rm, "rm")
    add_user(engine, "FAQBOT", "client_channel")
    keys = {u: issue_key(engine, u) for u in ("RM001", "RM002", "FAQBOT")}
    return {"settings": settings, "engine": engine, "keys": keys, "work": work}


@pytest.fixture(scope="module")
def fakes() -> FakeServices:
    return FakeServices()


@pytest.fixture(scope="module")
def http(console_env: dict[str, Any], fakes: FakeServices) -> Iterator[TestClient]:
    app = create_app(console_env["settings"], engine=console_env["engine"], services=fakes.services())
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def login_token(html: str) -> str:
    """The sign-in form's CSRF token (the header's language form has its own field)."""
    return re.search(r'name="csrf" value="([^"]+)"', html.split('action="/login"')[1]).group(1)


def sign_in(c: TestClient, key: str) -> str:
    """Sign in through the form like a browser; returns the session's CSRF token (from the page meta tag)."""
    c.cookies.clear()
    page = c.get("/login")
    token = login_token(page.text)
    r = c.post("/login", data={"key": key, "csrf": token, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/", r.text
    home = c.get("/")
    return re.search(r'<meta name="csrf-token" content="([^"]*)"', home.text).group(1)
