""" "Write my report" jobs: a thread pool that builds documents, with every state change in the ``reports`` table.

Life of a job::

    submit() ──► queued ──worker──► running (progress 0.1 … 0.9) ──► done (file_path, content_hash, facts)
                                                         └─────────► failed (error = the domain error text)

Idempotency: a request is reduced to a ``request_key`` — the ``Idempotency-Key`` header when given
(honoured whenever it was used before), otherwise a digest of the canonical parameters (honoured for
``dedup_window_minutes``). A matching job that has not failed is returned instead of a new one.

Restarts: ``start()`` requeues every job left queued or running; ``stop()`` lets running jobs finish and
leaves the not-yet-started ones queued in the database for the next start (nothing is lost).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Engine

from assistant.access import Caller, require_client_access
from assistant.logging import get_logger
from core.errors import Forbidden, InvalidInput, NotFound, WealthDeskError
from datastore.repositories import jobs as repo
from datastore.repositories.users import get_user

log = get_logger("jobs")

ReportBuilder = Callable[..., Any]  # returns a ReportResult-like object with .path / .sections / .figures


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
    """Thread-pool worker over the ``reports`` table. ``builders`` maps a job type to its builder callable:
    ``proposal(engine, caller, client_id, out, *, lang, settings)`` and
    ``due_diligence(engine, caller, company, scenario, out, *, lang, settings)``.
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
    ) -> None:
        self.engine = engine
        self.reports_dir = Path(reports_dir)
        self.builders = builders
        self.workers = workers
        self.settings = settings
        self.dedup_window_minutes = dedup_window_minutes
        self._pool: ThreadPoolExecutor | None = None
        self._futures: dict[str, Future[None]] = {}
        self._submit_lock = threading.Lock()  # makes find-or-create atomic for identical concurrent requests
        self._accepting = False

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> list[str]:
        """Open the pool and requeue unfinished jobs from an earlier run; returns the requeued ids."""
        self.reports_dir.mkdir(parents=True, exist_ok=True)
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="report-job")
        self._accepting = True
        ids = repo.requeue_unfinished(self.engine)
        for job_id in ids:
            self._enqueue(job_id)
        if ids:
            log.info("requeued unfinished report jobs", extra={"count": len(ids)})
        return ids

    def stop(self, *, wait: bool = True) -> None:
        """Stop accepting; let running jobs finish; queued ones stay queued in the DB for the next start."""
        self._accepting = False
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    @property
    def accepting(self) -> bool:
        return self._accepting

    # ------------------------------------------------------------------ submit / read
    def submit(
        self, caller: Caller, req: ReportRequest, *, idempotency_key: str | None = None
    ) -> tuple[repo.JobRecord, bool]:
        """Queue a report for ``caller``; returns (job, created). Raises Forbidden for another RM's client."""
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
            job = repo.create_job(self.engine, caller.user_id, req.type, params, key)
        self._enqueue(job.id)
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
        """Block until the in-process run of ``job_id`` ends (tests and the WeCom channel)."""
        fut = self._futures.get(job_id)
        if fut is not None:
            fut.result(timeout=timeout)

    # ------------------------------------------------------------------ worker
    def _enqueue(self, job_id: str) -> None:
        if self._pool is None:
            return  # not started: the job stays queued in the DB and runs after the next start
        fut = self._pool.submit(self._run, job_id)
        self._futures[job_id] = fut

        def _forget(_f: Future[None], j: str = job_id) -> None:
            self._futures.pop(j, None)

        fut.add_done_callback(_forget)

    def _run(self, job_id: str) -> None:
        job = repo.get_job(self.engine, job_id)
        if job is None or job.status not in repo.UNFINISHED:
            return
        repo.update_job(self.engine, job_id, status="running", progress=0.1, error=None)
        try:
            caller = caller_for_user(self.engine, job.user_id)
            builder = self.builders[job.type]
            out = self.reports_dir / f"{job.type}-{job_id}.docx"
            repo.update_job(self.engine, job_id, progress=0.3)
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
            repo.update_job(self.engine, job_id, progress=0.9)
            path = Path(getattr(result, "path", out))
            facts = {
                "sections": list(getattr(result, "sections", []) or []),
                "figures": [_plain(f) for f in getattr(result, "figures", []) or []],
                "ungrounded_numbers": list(getattr(result, "ungrounded_numbers", []) or []),
            }
            repo.update_job(
                self.engine,
                job_id,
                status="done",
                progress=1.0,
                file_path=str(path),
                content_hash=_file_digest(path),
                facts=facts,
            )
            log.info("report job done", extra={"job_id": job_id, "type": job.type})
        except WealthDeskError as exc:
            repo.update_job(
                self.engine, job_id, status="failed", error=json.dumps(exc.to_dict(), ensure_ascii=False)
            )
            log.warning("report job failed", extra={"job_id": job_id, "error": exc.code})
        except (
            Exception
        ) as exc:  # a bug in a builder must not kill the worker thread or leave the job running
            log.exception("report job crashed", extra={"job_id": job_id})
            err = {
                "error": "internal",
                "message": f"report builder failed: {type(exc).__name__}",
                "field": None,
                "hint": None,
            }
            repo.update_job(self.engine, job_id, status="failed", error=json.dumps(err))


def _plain(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if hasattr(obj, "_asdict"):
        return obj._asdict()
    if hasattr(obj, "__dict__"):
        return {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    return obj
