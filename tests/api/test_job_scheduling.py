"""Probes on report jobs (issue 13): two server instances on one database ran a re-queued job twice; one user's
60 jobs delayed another's by 30 s. Now jobs are claimed under a lease (run once across instances), claims
are round-robin across users, and each user has a quota of open jobs."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from analytics.errors import RateLimited
from assistant.access import Caller
from assistant.jobs import JobQueue, ReportRequest
from datastore.repositories import jobs as repo
from datastore.schema import ReportJob
from tests.api.support import FakeServices


def _queue(engine, fakes: FakeServices, tmp_path: Path, **kw) -> JobQueue:
    kw = {"workers": 2, "quota_per_user": 100, "lease_s": 5.0, "poll_s": 0.05, **kw}
    return JobQueue(
        engine, reports_dir=tmp_path / "reports", builders=fakes.services().report_builders(), **kw
    )


def _dd(company: str) -> ReportRequest:
    return ReportRequest(type="due_diligence", company=company, scenario="credit")


def _wait_all(engine, ids: list[str], timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = [repo.get_job(engine, i).status for i in ids]  # type: ignore[union-attr]
        if all(s in repo.FINISHED for s in statuses):
            return statuses
        time.sleep(0.05)
    raise AssertionError(f"jobs not finished: {statuses}")


def _naive_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def test_two_instances_on_one_database_run_each_job_once(engine, keys, tmp_path) -> None:
    fakes = FakeServices()
    fakes.builder_delay = 0.05
    a, b = _queue(engine, fakes, tmp_path), _queue(engine, fakes, tmp_path)
    # the probe: a job left 'running' by a crash (no live lease), then two instances start together
    a._accepting = True
    crashed, _ = a.submit(Caller.rm("RM001"), _dd("CRASHED"))
    with Session(engine) as s:
        s.execute(update(ReportJob).where(ReportJob.id == crashed.id).values(status="running", progress=0.3))
        s.commit()
    starters = [threading.Thread(target=q.start) for q in (a, b)]
    for t in starters:
        t.start()
    for t in starters:
        t.join()
    ids = [crashed.id]
    for i in range(20):  # both instances take submissions
        q = a if i % 2 else b
        ids.append(q.submit(Caller.rm("RM001" if i % 3 else "RM002"), _dd(f"E{i:03d}"))[0].id)
    try:
        assert _wait_all(engine, ids) == ["done"] * 21
    finally:
        a.stop()
        b.stop()
    built = [c for _, c in fakes.build_calls]
    assert sorted(built) == sorted(["CRASHED"] + [f"E{i:03d}" for i in range(20)])  # each exactly once
    owners = {repo.get_job(engine, i).attempts for i in ids}  # type: ignore[union-attr]
    assert owners == {1}


def test_a_job_running_under_a_live_lease_is_left_alone_and_an_expired_one_is_taken_over(
    engine, keys, tmp_path
) -> None:
    fakes = FakeServices()
    a = _queue(engine, fakes, tmp_path)
    a._accepting = True
    alive, _ = a.submit(Caller.rm("RM001"), _dd("ALIVE"))
    dead, _ = a.submit(Caller.rm("RM001"), _dd("DEAD"))
    with Session(engine) as s:
        s.execute(
            update(ReportJob)
            .where(ReportJob.id == alive.id)
            .values(status="running", lease_owner="other-host:1:x", lease_expires_at=_naive_now() + timedelta(hours=1))
        )
        s.execute(
            update(ReportJob)
            .where(ReportJob.id == dead.id)
            .values(status="running", lease_owner="gone:2:y", lease_expires_at=_naive_now() - timedelta(seconds=1))
        )
        s.commit()
    b = _queue(engine, fakes, tmp_path)
    assert b.start() == [dead.id]  # requeued: its owner stopped renewing; the live one is not touched
    try:
        _wait_all(engine, [dead.id])
        time.sleep(0.3)
        assert repo.get_job(engine, alive.id).status == "running"  # type: ignore[union-attr]
        assert fakes.build_calls == [("due_diligence", "DEAD")]
    finally:
        b.stop()


def test_the_lease_is_renewed_while_a_long_job_runs(engine, keys, tmp_path) -> None:
    """A builder that takes 4× the lease: the owner keeps renewing, so a second instance never steals it."""
    fakes = FakeServices()
    fakes.builder_delay = 3.0
    a = _queue(engine, fakes, tmp_path, workers=1, lease_s=1.0)
    b = _queue(engine, fakes, tmp_path, workers=1, lease_s=1.0)
    a.start()
    try:
        job, _ = a.submit(Caller.rm("RM001"), _dd("LONG"))
        deadline = time.monotonic() + 5
        while repo.get_job(engine, job.id).status != "running" and time.monotonic() < deadline:  # type: ignore[union-attr]
            time.sleep(0.02)
        b.start()
        assert _wait_all(engine, [job.id]) == ["done"]
    finally:
        a.stop()
        b.stop()
    assert fakes.build_calls == [("due_diligence", "LONG")]
    assert repo.get_job(engine, job.id).lease_owner is None  # type: ignore[union-attr]  # released when done


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_result(engine, keys, tmp_path) -> None:
    fakes = FakeServices()
    a = _queue(engine, fakes, tmp_path)
    a._accepting = True
    job, _ = a.submit(Caller.rm("RM001"), _dd("E1"))
    assert repo.claim_job(engine, job.id, "me", lease_s=5) is not None
    assert repo.claim_job(engine, job.id, "thief", lease_s=5) is None  # held
    with Session(engine) as s:
        s.execute(update(ReportJob).values(lease_expires_at=_naive_now() - timedelta(seconds=1)))
        s.commit()
    assert repo.claim_job(engine, job.id, "thief", lease_s=5) is not None  # expired → taken over
    assert repo.update_job(engine, job.id, owner="me", status="done", progress=1.0) is False
    assert repo.renew_leases(engine, "me", [job.id], lease_s=5) == set()
    assert repo.get_job(engine, job.id).status == "running"  # type: ignore[union-attr]


def test_one_users_many_jobs_do_not_starve_another_user(engine, keys, tmp_path) -> None:
    """RM001 queues 60 due-diligence reports, then RM002 asks for one: it is the next to run, not the 61st."""
    fakes = FakeServices()
    fakes.builder_gate = threading.Event()
    q = _queue(engine, fakes, tmp_path, workers=1)
    q.start()
    try:
        first, _ = q.submit(Caller.rm("RM001"), _dd("E000"))
        deadline = time.monotonic() + 5
        while repo.get_job(engine, first.id).status != "running" and time.monotonic() < deadline:  # type: ignore[union-attr]
            time.sleep(0.02)
        ids = [q.submit(Caller.rm("RM001"), _dd(f"E{i:03d}"))[0].id for i in range(1, 60)]
        theirs, _ = q.submit(Caller.rm("RM002"), ReportRequest(type="proposal", client_id="C0003"))
        fakes.builder_gate.set()
        _wait_all(engine, [first.id, theirs.id, *ids[:3]])
    finally:
        q.stop()
    order = [c for _, c in fakes.build_calls]
    assert order.index("C0003") == 1, order[:5]  # right after the job that was already running
    assert order[:4] == ["E000", "C0003", "E001", "E002"]


def test_per_user_quota_is_429_with_a_clear_message(engine, keys, tmp_path) -> None:
    fakes = FakeServices()
    q = _queue(engine, fakes, tmp_path, quota_per_user=3)
    q._accepting = True  # not started: everything stays queued
    for i in range(3):
        q.submit(Caller.rm("RM001"), _dd(f"E{i}"))
    with pytest.raises(RateLimited, match="you already have 3 report jobs queued or running; the limit is 3"):
        q.submit(Caller.rm("RM001"), _dd("E9"))
    again, created = q.submit(Caller.rm("RM001"), _dd("E0"))  # a retry of an existing job is not a new one
    assert created is False
    q.submit(Caller.rm("RM002"), _dd("E9"))  # another user is unaffected
    q.start()
    try:
        _wait_all(engine, [again.id])
        while repo.count_open_jobs(engine, "RM001"):
            time.sleep(0.05)
        q.submit(Caller.rm("RM001"), _dd("E9"))  # finished jobs free the quota
    finally:
        q.stop()


def test_quota_over_http(settings, engine, fakes, keys) -> None:
    from fastapi.testclient import TestClient

    from assistant.api import create_app
    from tests.api.conftest import auth

    app = create_app(settings.model_copy(update={"job_quota_per_user": 1}), engine=engine, services=fakes.services())
    fakes.builder_gate = threading.Event()
    with TestClient(app) as c:
        h = auth(keys["RM001"])
        assert c.post("/api/reports", json={"type": "proposal", "client_id": "C0001"}, headers=h).status_code == 202
        r = c.post("/api/reports", json={"type": "proposal", "client_id": "C0002"}, headers=h)
        assert r.status_code == 429 and r.json()["error"] == "rate_limited" and "limit is 1" in r.json()["message"]
        fakes.builder_gate.set()


def test_a_job_that_keeps_killing_its_worker_is_failed_not_retried_forever(engine, keys, tmp_path) -> None:
    fakes = FakeServices()
    q = _queue(engine, fakes, tmp_path)
    q._accepting = True
    job, _ = q.submit(Caller.rm("RM001"), _dd("OOM"))
    with Session(engine) as s:  # three workers already died on it
        s.execute(update(ReportJob).where(ReportJob.id == job.id).values(status="running", attempts=3))
        s.commit()
    q._run(job.id)
    failed = repo.get_job(engine, job.id)
    assert failed.status == "failed" and "interrupted 3 times" in (failed.error or "")  # type: ignore[union-attr]
    assert fakes.build_calls == []
