""" "Write my report" jobs: worker threads that claim jobs from the ``reports`` table and build documents.

Life of a job::

    submit() ──► queued ──claim──► running (lease; progress 0.1 … 0.9) ──► done (file_path, content_hash, facts)
                   │                                              └─────► failed (error = the domain error text)
                   └── users deactivate ──► cancelled

The table is the queue: workers *claim* jobs (``datastore.repositories.jobs.claim_next_job``: one conditional
UPDATE, round-robin across users) and hold a lease they renew every ``lease_s / 3`` while the builder runs.
Two server instances on one database therefore never run one job twice; a job whose instance died is
claimed again once its lease expires. Jobs queued by another instance are found by polling every ``poll_s``.

Limits: a user may have ``quota_per_user`` jobs queued or running (more → 429 ``RateLimited``); a request
that reuses an existing job does not count.

Idempotency: a request is reduced to a ``request_key`` — the ``Idempotency-Key`` header when given
(honoured whenever it was used before), otherwise a digest of the canonical parameters (honoured for
``dedup_window_minutes``). A matching job that has not failed is returned instead of a new one.

Restarts: ``stop()`` stops claiming, lets running jobs finish and leaves queued ones in the table; the next
``start()`` (here or on another instance) picks them up, and re-queues running jobs whose lease expired.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Engine

from assistant.access import Caller, require_client_access
from assistant.logging import get_logger
from core.errors import Forbidden, InvalidInput, NotFound, RateLimited, WealthDeskError
from datastore.repositories import jobs as repo
from datastore.repositories.users import get_user

log = get_logger("jobs")

ReportBuilder = Callable[..., Any]  # returns a ReportResult-like object with .path / .sections / .figures
MAX_ATTEMPTS = 3  # a job whose worker died this many times (e.g. the builder exhausts memory) is failed


class ReportRequest(BaseModel):
    """Body of ``POST /api/reports``. ``client_id`` for a proposal, ``company`` (+ ``scenario``) for due diligence."""

    type: Literal["proposal", "due_diligence"] = Field(description="proposal | due_diligence")
    client_id: str | None = Field(None, description="Client id for a proposal, e.g. C0001")
    company: str | None = Field(None, description="Company id or name for due diligence, e.g. E001")
    scenario: str | None = Field(None, description="Due-diligence scenario (passed to the builder)")
    lang: Literal["zh", "en"] = "zh"

    @model_validator(mode="after")
    def _target(self) -> ReportRequest:
        if self.type == "proposal" and not self.client_id:
            raise InvalidInput("a proposal needs client_id", field="client_id", hint="e.g. C0001")
        if self.type == "due_diligence" and not self.company:
            raise InvalidInput(
                "due diligence needs company", field="company", hint="a company id such as E001"
            )
        return self

    def params(self) -> dict[str, Any]:
        keys = ("client_id", "lang") if self.type == "proposal" else ("company", "scenario", "lang")
        return {k: getattr(self, k) for k in keys}


def caller_for_user(engine: Engine, user_id: str) -> Caller:
    """The identity a job runs as: looked up again at run time, so a deactivated user's jobs fail."""
    user = get_user(engine, user_id)
    if user is None or not user.active:
        raise Forbidden(f"user {user_id!r} is not active")
    if user.role == "client_channel":
        raise Forbidden("the client channel cannot request reports")
    if user.role == "admin":
        return Caller.admin(user.id)
    return Caller(user_id=user.id, role="rm", rm_id=user.rm_id)


def request_digest(user_id: str, type_: str, params: dict[str, Any]) -> str:
    canonical = json.dumps({"u": user_id, "t": type_, "p": params}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


class JobQueue:
    """Worker threads over the ``reports`` table. ``builders`` maps a job type to its builder callable:
    ``proposal(engine, caller, client_id, out, *, lang, settings)`` and
    ``due_diligence(engine, caller, company, scenario, out, *, lang, settings)``.
    ``quota_per_user`` / ``lease_s`` / ``poll_s`` default to the settings' ``job_*`` values.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        reports_dir: Path,
        builders: dict[str, ReportBuilder],
        workers: int = 2,
        settings: Any = None,
        dedup_window_minutes: float = 10.0,
        quota_per_user: int | None = None,
        lease_s: float | None = None,
        poll_s: float | None = None,
    ) -> None:
        self.engine = engine
        self.reports_dir = Path(reports_dir)
        self.builders = builders
        self.workers = workers
        self.settings = settings
        self.dedup_window_minutes = dedup_window_minutes
        self.quota_per_user = quota_per_user or int(getattr(settings, "job_quota_per_user", 5))
        self.lease_s = float(lease_s or getattr(settings, "job_lease_s", 30.0))
        self.poll_s = float(poll_s or getattr(settings, "job_poll_s", 1.0))
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"  # this instance's lease name
        self._threads: list[threading.Thread] = []
        self._running: set[str] = set()  # job ids this instance is building (their leases get renewed)
        self._lock = threading.Lock()
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._submit_lock = threading.Lock()  # makes find-or-create atomic for identical concurrent requests
        self._accepting = False

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> list[str]:
        """Start the workers and the lease heartbeat; returns the ids of jobs waiting from earlier runs."""
        self.reports_dir.mkdir(parents=True, exist_ok=True)
        self._stopping.clear()
        self._accepting = True
        ids = repo.requeue_unfinished(self.engine)
        if ids:
            log.info("report jobs waiting from an earlier run", extra={"count": len(ids)})
        self._threads = [
            threading.Thread(target=self._work, name=f"report-job-{i}", daemon=True) for i in range(self.workers)
        ]
        self._threads.append(threading.Thread(target=self._heartbeat, name="report-lease", daemon=True))
        for t in self._threads:
            t.start()
        return ids

    def stop(self, *, wait: bool = True) -> None:
        """Stop accepting and claiming; let running jobs finish; queued ones stay queued in the DB."""
        self._accepting = False
        self._stopping.set()
        with self._wake:
            self._wake.notify_all()
        if wait:
            for t in self._threads:
                t.join()
        self._threads = []

    @property
    def accepting(self) -> bool:
        return self._accepting

    # ------------------------------------------------------------------ submit / read
    def submit(
        self, caller: Caller, req: ReportRequest, *, idempotency_key: str | None = None
    ) -> tuple[repo.JobRecord, bool]:
        """Queue a report for ``caller``; returns (job, created). Raises Forbidden for another RM's client and
        RateLimited when the caller already has ``quota_per_user`` jobs queued or running."""
        if not self._accepting:
            raise WealthDeskError("the service is shutting down; submit the report again in a moment")
        if caller.role == "client_channel":
            raise Forbidden("the client channel cannot request reports")
        if req.type == "proposal":
            assert req.client_id is not None
            require_client_access(self.engine, caller, req.client_id)  # again inside the builder
        params = req.params()
        if idempotency_key is not None:
            if not idempotency_key or len(idempotency_key) > 200:
                raise InvalidInput("Idempotency-Key must be 1-200 characters", field="Idempotency-Key")
            key = "idem:" + hashlib.sha256(f"{caller.user_id}\n{idempotency_key}".encode()).hexdigest()[:59]
            since = None
        else:
            key = request_digest(caller.user_id, req.type, params)
            since = repo.window_start(self.dedup_window_minutes)
        with self._submit_lock:
            found = repo.find_reusable_job(self.engine, caller.user_id, key, since=since)
            if found is not None:
                if (found.type, found.params) != (req.type, params):
                    # A retried request must be the same request; a reused key on another body is a client bug.
                    raise InvalidInput(
                        "Idempotency-Key was already used for a different report request",
                        field="Idempotency-Key",
                        hint="use a new key for a new request",
                    )
                return found, False
            open_jobs = repo.count_open_jobs(self.engine, caller.user_id)
            if open_jobs >= self.quota_per_user:
                raise RateLimited(
                    f"you already have {open_jobs} report jobs queued or running; the limit is "
                    f"{self.quota_per_user} per user",
                    hint="wait for one to finish (GET /api/reports/{id}), then submit again",
                )
            job = repo.create_job(self.engine, caller.user_id, req.type, params, key)
        with self._wake:
            self._wake.notify()
        log.info("report job queued", extra={"job_id": job.id, "type": req.type, "user": caller.user_id})
        return job, True

    def get(self, caller: Caller, job_id: str) -> repo.JobRecord:
        """A job the caller may see (its owner, or an admin); anything else is NotFound, revealing nothing."""
        job = repo.get_job(self.engine, job_id)
        if job is None or (caller.role != "admin" and job.user_id != caller.user_id):
            raise NotFound(
                f"no report job {job_id!r}", field="id", hint="use the id returned by POST /api/reports"
            )
        return job

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until ``job_id`` is finished (by any instance); TimeoutError after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = repo.get_job(self.engine, job_id)
            if job is None or job.status in repo.FINISHED:
                return
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"report job {job_id} still {job.status}")
            time.sleep(0.05)

    # ------------------------------------------------------------------ workers
    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                job = repo.claim_next_job(self.engine, self.owner, lease_s=self.lease_s)
            except Exception:  # the database may be briefly unavailable: keep the worker alive
                log.exception("claiming a report job failed")
                job = None
            if job is None:
                with self._wake:
                    self._wake.wait(self.poll_s)
                continue
            try:
                self._execute(job)
            except Exception:  # e.g. the database went away while recording the result: the lease expires
                log.exception("report job could not be recorded", extra={"job_id": job.id})

    def _heartbeat(self) -> None:
        """Renew the leases of the jobs this instance runs, every lease_s / 3, until stopped and idle."""
        while True:
            with self._lock:
                ids = list(self._running)
            if self._stopping.is_set() and not ids:
                return
            try:
                held = repo.renew_leases(self.engine, self.owner, ids, lease_s=self.lease_s)
                for lost in set(ids) - held:
                    log.warning("report job lease lost to another instance", extra={"job_id": lost})
            except Exception:
                log.exception("renewing report job leases failed")
            if self._stopping.is_set():
                time.sleep(min(self.lease_s / 3, 0.2))  # shutting down: exit soon after the last job ends
            else:
                self._stopping.wait(self.lease_s / 3)

    def _run(self, job_id: str) -> None:
        """Claim one given job and run it here (tests and tools; the workers use ``claim_next_job``)."""
        job = repo.claim_job(self.engine, job_id, self.owner, lease_s=self.lease_s)
        if job is not None:
            self._execute(job)

    def _execute(self, job: repo.JobRecord) -> None:
        job_id, me = job.id, self.owner
        with self._lock:
            self._running.add(job_id)
        try:
            self._build(job, me)
        finally:
            with self._lock:
                self._running.discard(job_id)

    def _build(self, job: repo.JobRecord, me: str) -> None:
        job_id = job.id
        try:
            if job.attempts > MAX_ATTEMPTS:
                raise WealthDeskError(
                    f"the report was interrupted {job.attempts - 1} times (its server stopped while building it)",
                    hint="submit it again; if it keeps failing, tell the administrator",
                )
            caller = caller_for_user(self.engine, job.user_id)
            builder = self.builders[job.type]
            # one file per attempt: a builder that lost its lease never overwrites the new owner's file
            out = self.reports_dir / f"{job.type}-{job_id}-{job.attempts}.docx"
            repo.update_job(self.engine, job_id, owner=me, progress=0.3)
            p = job.params
            if job.type == "proposal":
                result = builder(
                    self.engine, caller, p["client_id"], out, lang=p.get("lang", "zh"), settings=self.settings
                )
            else:
                result = builder(
                    self.engine,
                    caller,
                    p["company"],
                    p.get("scenario"),
                    out,
                    lang=p.get("lang", "zh"),
                    settings=self.settings,
                )
            repo.update_job(self.engine, job_id, owner=me, progress=0.9)
            path = Path(getattr(result, "path", out))
            facts = {
                "sections": list(getattr(result, "sections", []) or []),
                "figures": [_plain(f) for f in getattr(result, "figures", []) or []],
                "ungrounded_numbers": list(getattr(result, "ungrounded_numbers", []) or []),
            }
            saved = repo.update_job(
                self.engine,
                job_id,
                owner=me,
                status="done",
                progress=1.0,
                file_path=str(path),
                content_hash=_file_digest(path),
                facts=facts,
            )
            if saved:
                log.info("report job done", extra={"job_id": job_id, "type": job.type})
            else:
                log.warning("report job finished after its lease was lost; result dropped", extra={"job_id": job_id})
        except WealthDeskError as exc:
            repo.update_job(
                self.engine, job_id, owner=me, status="failed", error=json.dumps(exc.to_dict(), ensure_ascii=False)
            )
            log.warning("report job failed", extra={"job_id": job_id, "error": exc.code})
        except Exception as exc:  # a bug in a builder must not kill the worker thread or leave the job running
            log.exception("report job crashed", extra={"job_id": job_id})
            err = {
                "error": "internal",
                "message": f"report builder failed: {type(exc).__name__}",
                "field": None,
                "hint": None,
            }
            repo.update_job(self.engine, job_id, owner=me, status="failed", error=json.dumps(err))


def _plain(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if hasattr(obj, "_asdict"):
        return obj._asdict()
    if hasattr(obj, "__dict__"):
        return {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    return obj
