"""Auth, error bodies, rate limit, request ids, health and offline docs (in-process TestClient)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from assistant.api import create_app
from datastore.repositories.users import revoke_keys
from tests.api.conftest import auth


def test_every_endpoint_but_health_and_wecom_needs_a_key(client: TestClient) -> None:
    calls = [
        ("post", "/api/chat", {"message": "hi"}),
        ("post", "/api/faq", {"question": "hi"}),
        ("post", "/api/reports", {"type": "proposal", "client_id": "C0001"}),
        ("get", "/api/reports/x", None),
        ("get", "/api/reports/x/file", None),
        ("get", "/v1/models", None),
        (
            "post",
            "/v1/chat/completions",
            {"model": "wealthdesk", "messages": [{"role": "user", "content": "hi"}]},
        ),
    ]
    for method, path, body in calls:
        r = client.request(method, path, json=body)
        assert r.status_code == 401, path
        assert r.headers["www-authenticate"] == "Bearer"
        body_json = r.json()
        # /v1 speaks OpenAI's error shape, everything else ours; both name the problem.
        if path.startswith("/v1/"):
            assert body_json["error"]["type"] == "unauthenticated"
        else:
            assert body_json["error"] == "unauthenticated" and body_json["request_id"]
    assert client.get("/healthz").status_code == 200


def test_invalid_and_revoked_keys_are_401(client: TestClient, keys: dict[str, str], engine) -> None:
    assert client.post("/api/faq", json={"question": "q"}, headers=auth("wd_nope")).status_code == 401
    assert (
        client.post("/api/faq", json={"question": "q"}, headers={"X-API-Key": keys["RM001"]}).status_code
        == 200
    )
    client.app.state.ctx.key_cache.ttl_s = 0.05  # type: ignore[attr-defined]
    revoke_keys(engine, "RM001")  # as `wealthdesk users revoke` would, from another process
    time.sleep(0.1)  # verified keys are cached for ttl_s
    r = client.post("/api/faq", json={"question": "q"}, headers=auth(keys["RM001"]))
    assert r.status_code == 401 and r.json()["message"] == "invalid, expired or revoked API key"


def test_another_rms_client_is_403_with_json(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/api/chat", json={"message": "C0003的持仓"}, headers=auth(keys["RM001"]))
    assert r.status_code == 403
    assert r.json()["error"] == "forbidden" and "not your client" in r.json()["message"]
    ok = client.post("/api/chat", json={"message": "C0003的持仓"}, headers=auth(keys["RM002"]))
    assert ok.status_code == 200
    assert ok.json()["tool_calls"] == [{"name": "lookthrough_portfolio", "args": {"client_id": "C0003"}}]
    # an admin sees every book
    assert client.post("/api/chat", json={"message": "C0001"}, headers=auth(keys["admin"])).status_code == 200


def test_validation_errors_are_400_naming_the_field(client: TestClient, keys: dict[str, str]) -> None:
    r = client.post("/api/reports", json={"type": "poem"}, headers=auth(keys["RM001"]))
    assert r.status_code == 400 and r.json()["error"] == "invalid_input" and r.json()["field"] == "type"
    r = client.post("/api/reports", json={"type": "proposal"}, headers=auth(keys["RM001"]))
    assert r.status_code == 400 and r.json()["field"] == "client_id"
    r = client.post("/api/chat", json={"message": ""}, headers=auth(keys["RM001"]))
    assert r.status_code == 400 and r.json()["field"] == "message"


def test_rate_limit_per_key_is_429(settings, engine, fakes, keys) -> None:
    app = create_app(
        settings.model_copy(update={"rate_limit_per_minute": 3}), engine=engine, services=fakes.services()
    )
    with TestClient(app) as c:
        codes = [
            c.post("/api/faq", json={"question": "q"}, headers=auth(keys["RM001"])).status_code
            for _ in range(5)
        ]
        assert codes == [200, 200, 200, 429, 429]
        r = c.post("/api/faq", json={"question": "q"}, headers=auth(keys["RM001"]))
        assert r.json()["error"] == "rate_limited" and r.headers["retry-after"]
        # the limit is per key: another key is unaffected
        assert c.post("/api/faq", json={"question": "q"}, headers=auth(keys["RM002"])).status_code == 200


def test_request_id_in_and_out(client: TestClient) -> None:
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces<script>"}).headers[
        "x-request-id"
    ]
    assert len(generated) == 32 and generated.isalnum()
    err = client.get("/api/reports/x", headers={"X-Request-ID": "trace-9"})
    assert err.json()["request_id"] == "trace-9"


def test_healthz_reports_db_store_and_model(client: TestClient, settings) -> None:
    body = client.get("/healthz").json()
    assert body["database"]["status"] == "ok"
    assert body["vector_store"]["status"] == "missing"  # nothing ingested in this temp var dir
    assert body["status"] == "degraded"
    assert body["model"]["mode"] == "offline"
    # A folder with a file in it is not a store (issue 13: /healthz said ok for a broken store).
    settings.resolved_store_dir.mkdir(parents=True)
    (settings.resolved_store_dir / "chroma.sqlite3").write_bytes(b"x")
    broken = client.get("/healthz").json()
    assert broken["status"] == "degraded" and broken["vector_store"]["status"] in ("error", "missing")
    import shutil

    from knowledge.ingest import ingest_paths
    from knowledge.store import reset_client

    shutil.rmtree(settings.resolved_store_dir)
    reset_client(settings.resolved_store_dir)
    faq = settings.var_dir / "faq.md"
    faq.write_text("---\ntitle: 问答\ndoc_type: faq\naudience: client\n---\n## Q1: 冷静期多久？\nA: 24 小时。\n",
                   encoding="utf-8")
    ingest_paths([faq], store_dir=settings.resolved_store_dir)
    healthy = client.get("/healthz").json()
    assert healthy["status"] == "ok" and healthy["vector_store"]["chunks"] == 1


def test_docs_work_offline(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "/docs-static/swagger-ui-bundle.js" in html and "/docs-static/swagger-ui.css" in html
    assert "cdn." not in html and "https://" not in html.replace("https://swagger.io", "")
    js = client.get("/docs-static/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 500_000 and b"SwaggerUIBundle" in js.content
    assert client.get("/docs-static/swagger-ui.css").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/v1/chat/completions", "/api/reports", "/channels/wecom/callback", "/healthz"} <= set(
        spec["paths"]
    )
    redoc = client.get("/redoc").text
    assert "/docs-static/redoc.standalone.js" in redoc and "fonts.googleapis" not in redoc


def test_healthz_probes_an_openai_endpoint(settings, engine, fakes) -> None:
    from fastapi import FastAPI

    from tests.api.support import LiveServer, free_port

    fake_llm = FastAPI()

    @fake_llm.get("/v1/models")
    def models() -> dict[str, object]:
        return {"object": "list", "data": [{"id": "qwen", "object": "model"}]}

    with LiveServer(fake_llm) as llm:
        up = settings.model_copy(update={"llm_mode": "openai", "llm_base_url": llm.url + "/v1"})
        with TestClient(create_app(up, engine=engine, services=fakes.services())) as c:
            model = c.get("/healthz").json()["model"]
            assert model["status"] == "ok" and model["endpoint"] == llm.url + "/v1"
    down = settings.model_copy(
        update={"llm_mode": "openai", "llm_base_url": f"http://127.0.0.1:{free_port()}/v1"}
    )
    with TestClient(create_app(down, engine=engine, services=fakes.services())) as c:
        body = c.get("/healthz").json()
        assert body["model"]["status"] == "unreachable" and body["status"] == "degraded"
