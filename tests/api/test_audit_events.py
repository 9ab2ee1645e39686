"""Security-relevant HTTP events leave audit rows (issue 13, item 3): report submit/download, FAQ calls,
failed logins, an admin reading another user's report; and the chain stays intact."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from assistant.audit import verify
from datastore.repositories.audit import list_audit


def _h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_http_events_are_audited(client: TestClient, keys, engine) -> None:
    assert client.post("/api/faq", json={"question": "冷静期多久"}).status_code == 401
    assert client.post("/api/faq", json={"question": "冷静期多久"}, headers=_h("wd_forged")).status_code == 401
    assert client.post("/api/faq", json={"question": "冷静期多久"}, headers=_h(keys["RM001"])).status_code == 200
    job = client.post("/api/reports", json={"type": "proposal", "client_id": "C0001"}, headers=_h(keys["RM001"])).json()
    for _ in range(200):
        if client.get(f"/api/reports/{job['id']}", headers=_h(keys["RM001"])).json()["status"] == "done":
            break
        time.sleep(0.05)
    assert client.get(f"/api/reports/{job['id']}/file", headers=_h(keys["RM001"])).status_code == 200
    assert client.get(f"/api/reports/{job['id']}", headers=_h(keys["admin"])).status_code == 200
    rows = list(reversed(list_audit(engine, limit=50)))
    seen = [(r.tool, r.actor, r.outcome, r.target) for r in rows]
    assert ("auth.failed", "anonymous", "denied", "/api/faq") in seen
    assert [r.detail["reason"] for r in rows if r.tool == "auth.failed"] == ["missing key", "invalid, expired or revoked key"]
    faq = next(r for r in rows if r.tool == "faq.answer")
    assert faq.actor == "RM001" and set(faq.detail) == {"handoff", "confidence"}  # not the question itself
    assert ("report.submit", "RM001", "ok", job["id"]) in seen
    assert ("report.download", "RM001", "ok", job["id"]) in seen
    assert ("admin.read", "admin", "ok", job["id"]) in seen
    assert verify(engine).ok
