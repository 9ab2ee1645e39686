"""Report jobs over real HTTP: lifecycle, file download, idempotency, access checks, restart without loss."""

from __future__ import annotations

import threading
import time
import zipfile
from io import BytesIO
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.orm import Session

from assistant.access import Caller
from assistant.api import create_app
from assistant.jobs import ReportRequest
from datastore.repositories import jobs as jobs_repo
from datastore.schema import ReportJob
from tests.api.support import LiveServer


def _h(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def _wait_done(c: httpx.Client, base: str, job_id: str, key: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = c.get(f"{base}/api/reports/{job_id}", headers=_h(key)).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not finished: {body}")


def test_lifecycle_submit_poll_download(settings, engine, fakes, keys) -> None:
    fakes.builder_gate = threading.Event()
    with (
        LiveServer(create_app(settings, engine=engine, services=fakes.services())) as live,
        httpx.Client() as c,
    ):
        r = c.post(
            f"{live.url}/api/reports",
            json={"type": "proposal", "client_id": "C0001"},
            headers=_h(keys["RM001"]),
        )
        assert r.status_code == 202 and r.json()["status"] in ("queued", "running")
        job_id = r.json()["id"]
        assert r.headers["location"] == f"/api/reports/{job_id}"
        early = c.get(f"{live.url}/api/reports/{job_id}/file", headers=_h(keys["RM001"]))
        assert early.status_code == 409 and early.json()["error"] == "not_ready"
        fakes.builder_gate.set()
        done = _wait_done(c, live.url, job_id, keys["RM001"])
        assert (
            done["status"] == "done"
            and done["progress"] == 1.0
            and done["file_url"] == f"/api/reports/{job_id}/file"
        )
        assert len(done["content_hash"]) == 64
        f = c.get(f"{live.url}{done['file_url']}", headers=_h(keys["RM001"]))
        assert f.status_code == 200 and "wordprocessingml" in f.headers["content-type"]
        assert "word/document.xml" in zipfile.ZipFile(BytesIO(f.content)).namelist()
        # someone else's job does not exist for them; unknown ids are 404
        assert c.get(f"{live.url}/api/reports/{job_id}", headers=_h(keys["RM002"])).status_code == 404
        assert c.get(f"{live.url}/api/reports/{job_id}", headers=_h(keys["admin"])).status_code == 200
        assert c.get(f"{live.url}/api/reports/nope/file", headers=_h(keys["RM001"])).status_code == 404
        # due diligence goes to the other builder
        dd = c.post(
            f"{live.url}/api/reports",
            json={"type": "due_diligence", "company": "E001", "scenario": "credit"},
            headers=_h(keys["RM002"]),
        ).json()
        assert _wait_done(c, live.url, dd["id"], keys["RM002"])["status"] == "done"
    assert ("due_diligence", "E001") in fakes.build_calls


def test_access_checked_at_submit_and_failures_reported(client, keys, fakes, engine) -> None:
    r = client.post(
        "/api/reports", json={"type": "proposal", "client_id": "C0003"}, headers=_h(keys["RM001"])
    )
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert jobs_repo.count_by_status(engine) == {}  # nothing queued
    # the builder checks again: a job whose owner lost the client fails with the builder's error
    queue = client.app.state.ctx.jobs  # type: ignore[attr-defined]
    queue.stop()  # run the job by hand below, deterministically
    queue._accepting = True
    job, _ = queue.submit(Caller.rm("RM001"), ReportRequest(type="proposal", client_id="C0001"))
    with Session(engine) as s:
        s.execute(update(ReportJob).where(ReportJob.id == job.id).values(user_id="RM002", status="queued"))
        s.commit()
    queue._run(job.id)
    failed = client.get(f"/api/reports/{job.id}", headers=_h(keys["RM002"])).json()
    assert failed["status"] == "failed" and failed["error"]["error"] == "forbidden"
    assert client.get(f"/api/reports/{job.id}/file", headers=_h(keys["RM002"])).status_code == 409


def test_identical_requests_and_idempotency_key_reuse_the_job(client, keys) -> None:
    body = {"type": "proposal", "client_id": "C0002", "lang": "en"}
    a = client.post("/api/reports", json=body, headers=_h(keys["RM001"]))
    b = client.post("/api/reports", json=body, headers=_h(keys["RM001"]))
    assert a.json()["id"] == b.json()["id"] and b.headers["x-job-reused"] == "true"
    other_lang = client.post("/api/reports", json={**body, "lang": "zh"}, headers=_h(keys["RM001"]))
    assert other_lang.json()["id"] != a.json()["id"]
    k1 = client.post("/api/reports", json=body, headers=_h(keys["RM001"], **{"Idempotency-Key": "k-1"}))
    k2 = client.post("/api/reports", json=body, headers=_h(keys["RM001"], **{"Idempotency-Key": "k-1"}))
    assert k1.json()["id"] == k2.json()["id"] != a.json()["id"]
    # the same key on a different body is refused, not silently answered with the first job
    k_other = client.post(
        "/api/reports",
        json={**body, "client_id": "C0001"},
        headers=_h(keys["RM001"], **{"Idempotency-Key": "k-1"}),
    )
    assert k_other.status_code == 400 and k_other.json()["field"] == "Idempotency-Key"
    # the same key from another user is a different request
    k3 = client.post(
        "/api/reports",
        json={"type": "proposal", "client_id": "C0003"},
        headers=_h(keys["RM002"], **{"Idempotency-Key": "k-1"}),
    )
    assert k3.status_code == 202 and k3.json()["id"] != k1.json()["id"]


def test_jobs_survive_a_restart(settings, engine, fakes, keys) -> None:
    """One worker; shutting down mid-run finishes the running job and leaves the rest queued; the next
    start runs them. A job left 'running' by a crash is run again."""
    one = settings.model_copy(update={"report_workers": 1})
    fakes.builder_gate = threading.Event()
    ids: list[str] = []
    server = LiveServer(create_app(one, engine=engine, services=fakes.services())).start()
    with httpx.Client() as c:
        for cid in ("C0001", "C0002", "C0001"):
            r = c.post(
                f"{server.url}/api/reports",
                json={"type": "proposal", "client_id": cid, "lang": "zh"},
                headers=_h(keys["RM001"], **{"Idempotency-Key": f"restart-{len(ids)}"}),
            )
            ids.append(r.json()["id"])
    deadline = time.monotonic() + 5
    while jobs_repo.get_job(engine, ids[0]).status != "running" and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.02)
    threading.Timer(
        0.3, fakes.builder_gate.set
    ).start()  # release the running job while shutdown waits for it
    server.stop()
    statuses = [jobs_repo.get_job(engine, i).status for i in ids]  # type: ignore[union-attr]
    assert statuses[0] == "done"  # graceful shutdown finished the running job
    assert statuses[1:] == ["queued", "queued"]
    # simulate a crash: a job stuck in 'running'
    with Session(engine) as s:
        s.execute(update(ReportJob).where(ReportJob.id == ids[1]).values(status="running", progress=0.3))
        s.commit()
    with LiveServer(create_app(one, engine=engine, services=fakes.services())) as live, httpx.Client() as c:
        for i in ids:
            assert _wait_done(c, live.url, i, keys["RM001"])["status"] == "done"
    assert len(fakes.build_calls) == 3


def test_submissions_are_refused_while_shutting_down(client, keys) -> None:
    client.app.state.ctx.jobs.stop()  # type: ignore[attr-defined]  # what the lifespan does on SIGTERM
    r = client.post(
        "/api/reports", json={"type": "proposal", "client_id": "C0001"}, headers=_h(keys["RM001"])
    )
    assert r.status_code == 503 and r.json()["error"] == "unavailable"
    assert client.get("/healthz").json()["jobs"]["accepting"] is False
