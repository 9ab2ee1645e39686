"""``/api/*`` endpoints: chat with a session, report jobs, client FAQ.

Blocking work (the agent, the FAQ retriever) runs in Starlette's thread pool (plain ``def`` endpoints),
so the event loop keeps serving other requests.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.access import Caller, require_client_access
from assistant.api.errors import error_body
from assistant.api.security import Principal, authenticate, authenticate_any
from assistant.api.services import as_dict
from assistant.audit import safe_record_event
from assistant.jobs import ReportRequest
from core.errors import InvalidInput, NotFound
from datastore.repositories.jobs import JobRecord

router = APIRouter(prefix="/api")
_SESSION_RE = re.compile(r"^[A-Za-z0-9_.:\-]{1,40}$")


def scoped_session_id(caller: Caller, session_id: str | None) -> str | None:
    """Client-chosen session ids are namespaced by user, so two users never collide on "s1"."""
    if session_id is None:
        return None
    if not _SESSION_RE.match(session_id):
        raise InvalidInput(
            "session_id must be 1-40 letters, digits or -_.:", field="session_id", hint="e.g. a uuid4 hex"
        )
    return f"{caller.user_id}:{session_id}"[:64]


def unscoped(caller: Caller, stored: str | None) -> str | None:
    prefix = f"{caller.user_id}:"
    return stored[len(prefix) :] if stored and stored.startswith(prefix) else stored


def enforce_client_scope(engine: Any, caller: Caller, answer: dict[str, Any]) -> None:
    """Raise ``Forbidden`` when the agent's turn touched a client outside the caller's book.

    The agent already refuses such tool calls (the data never leaves the tool); this turns that refusal
    into the API's 403 so HTTP clients see an error, not a polite paragraph with status 200.
    """
    for call in answer.get("tool_calls") or []:
        args = call.get("args") or {}
        ids = [args["client_id"]] if args.get("client_id") else []
        ids += [c for c in args.get("client_ids") or [] if isinstance(c, str)]
        for cid in ids:
            require_client_access(engine, caller, str(cid))


# ---------------------------------------------------------------------------------------------- chat
class ChatRequest(BaseModel):
    message: str = Field(
        min_length=1, max_length=4000, description="The RM's question", examples=["C0001的组合穿透一下"]
    )
    session_id: str | None = Field(
        None, description="Keep one per conversation; memory persists across restarts"
    )


class ChatResponse(BaseModel):
    answer: str
    session_id: str | None
    tool_calls: list[dict[str, Any]]
    citations: list[str]
    ungrounded_numbers: list[str]
    attachments: list[str] = Field(description="File names of documents the agent generated")


@router.post(
    "/chat", response_model=ChatResponse, tags=["chat"], summary="Ask the copilot (with session memory)"
)
def chat(body: ChatRequest, request: Request, who: Principal = Depends(authenticate)) -> ChatResponse:
    ctx = request.app.state.ctx
    sid = scoped_session_id(who.caller, body.session_id)
    ans = as_dict(
        ctx.services.ask(
            body.message, caller=who.caller, engine=ctx.engine, settings=ctx.settings, session_id=sid
        )
    )
    enforce_client_scope(ctx.engine, who.caller, ans)
    return ChatResponse(
        answer=ans.get("answer", ""),
        session_id=unscoped(who.caller, ans.get("session_id") or sid),
        tool_calls=list(ans.get("tool_calls") or []),
        citations=list(ans.get("citations") or []),
        ungrounded_numbers=list(ans.get("ungrounded_numbers") or []),
        attachments=[Path(p).name for p in ans.get("attachments") or []],
    )


# ---------------------------------------------------------------------------------------------- FAQ
class TTLCache:
    """Small thread-safe LRU with a time-to-live. FAQ traffic repeats the same questions and the answer depends
    only on the question and the knowledge base, so answers are reused for ``ttl_s`` (a re-ingest shows up
    within that time)."""

    def __init__(self, size: int = 2048, ttl_s: float = 300.0) -> None:
        self._data: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.size, self.ttl_s = size, ttl_s
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            hit = self._data.get(key)
            if hit is None or time.monotonic() - hit[0] > self.ttl_s:
                self._data.pop(key, None)
                return None
            self._data.move_to_end(key)
            return hit[1]

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = (time.monotonic(), value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


class FaqRequest(BaseModel):
    question: str = Field(min_length=1, max_length=1000, examples=["基金定投怎么赎回？"])


class FaqResponse(BaseModel):
    answer: str
    citations: list[str]
    confidence: float
    handoff: bool = Field(description="True when a human adviser should take over")


@router.post("/faq", response_model=FaqResponse, tags=["faq"], summary="Client FAQ (client-channel identity)")
async def faq(body: FaqRequest, request: Request, _who: Principal = Depends(authenticate_any)) -> FaqResponse:
    # The key authenticates the calling system (e.g. the bank's app backend); the answer is produced as
    # Caller.client_channel(): answer_faq reads only the knowledge base, never client data or the agent's tools.
    ctx = request.app.state.ctx
    key = " ".join(body.question.split())
    ans = ctx.faq_cache.get(key)  # a hit is answered on the event loop, no thread hop
    if ans is None:
        # Retrieval is CPU-bound (query embedding): a few threads at a time is as fast as many and keeps
        # the event loop and the other endpoints responsive under a burst of new questions.
        async with ctx.faq_slots:
            ans = ctx.faq_cache.get(key)
            if ans is None:
                ans = as_dict(
                    await run_in_threadpool(
                        ctx.services.answer_faq,
                        key,
                        store_dir=ctx.settings.resolved_store_dir,
                        settings=ctx.settings,
                    )
                )
                ctx.faq_cache.put(key, ans)
    # The question itself is not stored (it may carry personal data); the outcome and confidence are.
    await run_in_threadpool(safe_record_event, ctx.engine, actor=_who.user.id, action="faq.answer",
                            detail={"handoff": bool(ans.get("handoff")),
                                    "confidence": float(ans.get("confidence") or 0.0)})
    return FaqResponse(
        answer=ans.get("answer", ""),
        citations=list(ans.get("citations") or []),
        confidence=float(ans.get("confidence") or 0.0),
        handoff=bool(ans.get("handoff")),
    )


# ---------------------------------------------------------------------------------------------- reports
class JobView(BaseModel):
    id: str
    status: str = Field(description="queued | running | done | failed")
    type: str
    params: dict[str, Any]
    progress: float
    error: dict[str, Any] | None = None
    file_url: str | None = None
    content_hash: str | None = None
    created_at: str
    updated_at: str


def job_view(job: JobRecord) -> JobView:
    import json

    error = None
    if job.error:
        try:
            error = json.loads(job.error)
        except ValueError:
            error = {"error": "error", "message": job.error}
    return JobView(
        id=job.id,
        status=job.status,
        type=job.type,
        params=job.params,
        progress=job.progress,
        error=error,
        file_url=f"/api/reports/{job.id}/file" if job.status == "done" else None,
        content_hash=job.content_hash,
        created_at=job.created_at.isoformat() + "Z",
        updated_at=job.updated_at.isoformat() + "Z",
    )


@router.post("/reports", status_code=202, response_model=JobView, tags=["reports"], summary="Queue a report")
def submit_report(
    body: ReportRequest,
    request: Request,
    who: Principal = Depends(authenticate),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    ctx = request.app.state.ctx
    if not ctx.jobs.accepting:
        return JSONResponse(
            error_body("unavailable", "the service is shutting down; retry shortly"), status_code=503
        )
    job, created = ctx.jobs.submit(who.caller, body, idempotency_key=idempotency_key)
    safe_record_event(ctx.engine, actor=who.user.id, action="report.submit", target=job.id,
                      detail={"type": job.type, "created": created})
    view = job_view(job)
    # 202 for a new job and for a reused one alike (the job is the resource); Location points at it.
    return JSONResponse(
        view.model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/api/reports/{job.id}", "X-Job-Reused": "false" if created else "true"},
    )


@router.get("/reports/{job_id}", response_model=JobView, tags=["reports"], summary="Job status and progress")
def report_status(job_id: str, request: Request, who: Principal = Depends(authenticate)) -> JobView:
    job = request.app.state.ctx.jobs.get(who.caller, job_id)
    _audit_admin_read(request, who, job)
    return job_view(job)


def _audit_admin_read(request: Request, who: Principal, job: JobRecord) -> None:
    """An admin looking at another user's report is an audited read."""
    if who.caller.role == "admin" and job.user_id != who.user.id:
        safe_record_event(request.app.state.ctx.engine, actor=who.user.id, action="admin.read", target=job.id,
                          detail={"owner": job.user_id, "type": job.type})


@router.get(
    "/reports/{job_id}/file",
    tags=["reports"],
    summary="Download the finished .docx",
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}
    },
)
def report_file(job_id: str, request: Request, who: Principal = Depends(authenticate)) -> Any:
    job = request.app.state.ctx.jobs.get(who.caller, job_id)
    _audit_admin_read(request, who, job)
    if job.status != "done":
        status = 409
        msg = f"report is {job.status}, not ready" + (
            " (it failed; see GET /api/reports/{id})" if job.status == "failed" else ""
        )
        return JSONResponse(
            error_body("not_ready", msg, hint="poll GET /api/reports/{id} until status is done"),
            status_code=status,
        )
    path = Path(job.file_path or "")
    if not path.is_file():
        raise NotFound(f"file of report {job_id!r} is gone", field="id", hint="submit the report again")
    safe_record_event(request.app.state.ctx.engine, actor=who.user.id, action="report.download", target=job.id,
                      detail={"content_hash": job.content_hash})
    return FileResponse(
        path,
        filename=path.name,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
