"""Probes on keys and roles (issue 13): the FAQ backend's key, expiry, per-key revoke, deactivation,
failed-auth throttling, no-store caching and switching the docs off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from assistant.access import Caller
from assistant.api import create_app
from assistant.jobs import ReportRequest
from datastore.repositories import jobs as jobs_repo
from datastore.repositories.users import (
    add_user,
    deactivate_user,
    issue_key,
    list_keys,
    revoke_keys,
    user_for_key,
    user_for_wecom,
)
from datastore.schema import ApiKey
from tests.api.conftest import auth

CHAT = {"message": "你好"}


def days_ago(n: float) -> datetime:
    return datetime.now(UTC).replace(tzinfo=None) - timedelta(days=n)
V1 = {"model": "wealthdesk", "messages": [{"role": "user", "content": "hi"}]}


def test_a_client_channel_key_reaches_only_the_faq(client: TestClient, engine) -> None:
    """Probe: the bank app's FAQ backend held a key that also opened /api/chat. Now it gets 403 there."""
    add_user(engine, "bank-app", "client_channel")
    key = issue_key(engine, "bank-app")
    assert client.post("/api/faq", json={"question": "冷静期多久"}, headers=auth(key)).status_code == 200
    refused = [
        client.post("/api/chat", json={"message": "C0001的持仓"}, headers=auth(key)),
        client.post("/v1/chat/completions", json=V1, headers=auth(key)),
        client.get("/v1/models", headers=auth(key)),
        client.post("/api/reports", json={"type": "proposal", "client_id": "C0001"}, headers=auth(key)),
        client.get("/api/reports/x", headers=auth(key)),
        client.get("/api/reports/x/file", headers=auth(key)),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert refused[0].json()["error"] == "forbidden" and "/api/faq only" in refused[0].json()["message"]
    assert refused[1].json()["error"]["type"] == "forbidden"  # OpenAI's shape under /v1
    assert jobs_repo.count_by_status(engine) == {}


def test_client_channel_users_cannot_be_linked_to_wecom(engine) -> None:
    import pytest

    from analytics.errors import InvalidInput

    with pytest.raises(InvalidInput, match="cannot have a WeCom account"):
        add_user(engine, "bank-app", "client_channel", wecom_user_id="someone")


def test_an_expired_key_is_401_even_when_cached(client: TestClient, engine, keys) -> None:
    key = issue_key(engine, "RM001", expires_days=30)
    assert client.post("/api/chat", json=CHAT, headers=auth(key)).status_code == 200  # now cached
    with Session(engine) as s:  # 30 days pass
        s.execute(update(ApiKey).where(ApiKey.prefix == key[:12]).values(expires_at=days_ago(1)))
        s.commit()
    client.app.state.ctx.key_cache.clear()  # type: ignore[attr-defined]
    r = client.post("/api/chat", json=CHAT, headers=auth(key))
    assert r.status_code == 401 and "expired" in r.json()["message"]
    assert [k["status"] for k in list_keys(engine, "RM001")] == ["active", "expired"]
    # a cached key never outlives its expiry
    from assistant.api.security import KeyCache
    from datastore.repositories.users import KeyMatch, get_user

    cache = KeyCache(ttl_s=60)
    user = get_user(engine, "RM001")
    cache.put("d1", KeyMatch(user, "wd_x", days_ago(-1)))  # type: ignore[arg-type]
    cache.put("d2", KeyMatch(user, "wd_y", days_ago(0.0001)))  # type: ignore[arg-type]
    assert cache.get("d1") is not None and cache.get("d2") is None


def test_one_key_is_revoked_by_its_prefix(client: TestClient, engine, keys) -> None:
    second = issue_key(engine, "RM001")
    revoke_keys(engine, "RM001", prefix=second[:12])
    client.app.state.ctx.key_cache.clear()  # type: ignore[attr-defined]
    assert client.post("/api/chat", json=CHAT, headers=auth(second)).status_code == 401
    assert client.post("/api/chat", json=CHAT, headers=auth(keys["RM001"])).status_code == 200


def test_deactivation_stops_keys_wecom_and_queued_jobs_at_once(settings, engine, fakes, keys) -> None:
    """Probe: a revoked user's queued jobs still ran and its WeCom account still got answers."""
    app = create_app(settings, engine=engine, services=fakes.services())
    with TestClient(app) as c:
        queue = app.state.ctx.jobs
        queue.stop()  # hold the workers so the jobs stay queued
        queue._accepting = True
        job, _ = queue.submit(Caller.rm("RM001"), ReportRequest(type="proposal", client_id="C0001"))
        other, _ = queue.submit(Caller.rm("RM002"), ReportRequest(type="proposal", client_id="C0003"))
        assert c.post("/api/chat", json=CHAT, headers=auth(keys["RM001"])).status_code == 200  # cached now
        assert user_for_wecom(engine, "wang") is not None

        assert deactivate_user(engine, "RM001") == {"keys_revoked": 1, "jobs_cancelled": 1}

        c.app.state.ctx.key_cache.ttl_s = 0  # type: ignore[attr-defined]  # the 2 s cache window has passed
        r = c.post("/api/chat", json=CHAT, headers=auth(keys["RM001"]))
        assert r.status_code == 401
        assert user_for_key(engine, keys["RM001"]) is None and user_for_wecom(engine, "wang") is None
        assert jobs_repo.get_job(engine, job.id).status == "cancelled"  # type: ignore[union-attr]
        queue._run(job.id)  # a worker reaching it anyway does not run it
        queue._run(other.id)
        assert fakes.build_calls == [("proposal", "C0003")]
        body = c.get(f"/api/reports/{job.id}", headers=auth(keys["admin"])).json()
        assert body["status"] == "cancelled" and "deactivated" in body["error"]["message"]
    import pytest

    from analytics.errors import InvalidInput

    with pytest.raises(InvalidInput, match="deactivated"):
        issue_key(engine, "RM001")


def test_repeated_bad_keys_from_one_address_are_throttled(settings, engine, fakes, keys) -> None:
    s = settings.model_copy(update={"auth_failure_limit": 5, "auth_lockout_s": 60.0})
    with TestClient(create_app(s, engine=engine, services=fakes.services())) as c:
        codes = [
            c.post("/api/chat", json=CHAT, headers=auth(f"wd_guess{i}")).status_code for i in range(7)
        ]
        assert codes == [401] * 5 + [429] * 2
        locked = c.post("/api/chat", json=CHAT, headers=auth(keys["RM001"]))  # even a good key, from there
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 1
        assert "invalid API keys from this address" in locked.json()["message"]
        ctx = c.app.state.ctx  # type: ignore[attr-defined]
        ctx.auth_throttle.check("10.9.9.9")  # another address is not affected
    # the lockout ends
    from assistant.api.security import AuthThrottle

    t = AuthThrottle(limit=2, window_s=10, lockout_s=5)
    t.failed("ip", now=0)
    t.failed("ip", now=1)
    import pytest

    from analytics.errors import RateLimited

    with pytest.raises(RateLimited):
        t.check("ip", now=2)
    t.check("ip", now=6.5)
    t.failed("ip", now=20)  # failures outside the window do not add up
    t.failed("ip", now=40)
    t.check("ip", now=41)


def test_responses_with_client_data_are_not_cacheable(client: TestClient, keys) -> None:
    h = auth(keys["RM001"])
    responses = [
        client.post("/api/chat", json={"message": "C0001的持仓"}, headers=h),
        client.post("/v1/chat/completions", json=V1, headers=h),
        client.post("/api/reports", json={"type": "proposal", "client_id": "C0001"}, headers=h),
        client.get("/api/reports/nope", headers=h),
        client.post("/api/faq", json={"question": "q"}, headers=h),
        client.post("/api/chat", json={"message": "C0003的持仓"}, headers=h),  # a 403 too
    ]
    assert [r.headers.get("cache-control") for r in responses] == ["no-store"] * len(responses)
    assert all(r.headers["x-content-type-options"] == "nosniff" for r in responses)
    # public static files may still be cached
    assert client.get("/docs-static/swagger-ui.css").headers.get("cache-control") != "no-store"


def test_docs_can_be_switched_off(settings, engine, fakes) -> None:
    prod = settings.model_copy(update={"docs_enabled": False})
    with TestClient(create_app(prod, engine=engine, services=fakes.services())) as c:
        for path in ("/docs", "/redoc", "/openapi.json", "/docs-static/swagger-ui.css"):
            assert c.get(path).status_code == 404, path
        assert c.get("/healthz").status_code == 200


def test_key_expiry_must_be_positive(engine, keys) -> None:
    import pytest

    from analytics.errors import InvalidInput

    with pytest.raises(InvalidInput, match="positive"):
        issue_key(engine, "RM001", expires_days=0)
    assert days_ago(0) - days_ago(1) < timedelta(days=1, seconds=1)


def test_bad_keys_on_mcp_count_towards_the_same_throttle(settings, engine, fakes, keys) -> None:
    s = settings.model_copy(update={"auth_failure_limit": 3})
    with TestClient(create_app(s, engine=engine, services=fakes.services())) as c:
        codes = [c.post("/mcp", json={}, headers=auth(f"wd_guess{i}")).status_code for i in range(2)]
        codes.append(c.post("/api/faq", json={"question": "q"}, headers=auth("wd_guess9")).status_code)
        codes.append(c.post("/mcp", json={}, headers=auth(keys["RM001"])).status_code)
        assert codes == [401, 401, 401, 429]
