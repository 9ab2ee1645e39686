"""The copilot pane: the same agent as every channel (``ctx.services.ask``), streamed to the browser as SSE.

``POST /console/api/copilot`` with ``{"message", "client_id"}`` and ``X-CSRF-Token``. Events::

    event: delta   data: {"text": "…"}              token pieces (openai mode) or the whole answer (offline)
    event: done    data: {"answer", "tool_calls", "tool_status", "citations", "ungrounded_numbers"}
    event: error   data: {"error", "message", "hint"}

One conversation per browser session and client: the agent's session id is ``<user>:cc:<session>:<client>``,
so the agent's dialogue state (the client being discussed, seeded with the page's client) and its history
persist across questions; the question itself goes to the agent unchanged.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from assistant.api.services import as_dict
from assistant.console import session
from assistant.console.session import ConsoleSession
from assistant.errors import WealthDeskError
from assistant.logging import get_logger
from assistant.sessions import open_session
from core.errors import InvalidInput
from datastore.repositories.conversation import get_session, list_messages, update_state
from services.access import require_client_access

router = APIRouter(prefix="/console/api", include_in_schema=False)
log = get_logger("console.copilot")
_DONE = object()


def conversation_id(sess: ConsoleSession, client_id: str | None) -> str:
    return f"{sess.user.id}:cc:{sess.session_id}:{(client_id or 'book').upper()}"[:64]


def seed_client(engine: Any, sess: ConsoleSession, sid: str, cid: str) -> None:
    """Access check first (a refusal ends the request before the agent runs), then the client becomes the
    conversation's subject unless the conversation already has one."""
    require_client_access(engine, sess.caller, cid)
    found = open_session(engine, sess.caller, sid)
    if not found.state.get("client_id"):
        update_state(engine, sid, {**found.state, "client_id": cid})


def _sse(event: str, payload: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


@router.post("/copilot")
async def copilot(request: Request, sess: ConsoleSession = Depends(session.require)) -> StreamingResponse:
    session.check_csrf(request, sess)
    body = await request.json()
    message = str(body.get("message") or "").strip()
    cid = str(body.get("client_id") or "").strip().upper() or None
    if not message:
        raise InvalidInput("the question is empty", field="message", hint="type a question about this client")
    ctx = request.app.state.ctx
    sid = conversation_id(sess, cid)
    if cid is not None:  # the pane is about this client: seed the agent's dialogue state with it
        await run_in_threadpool(seed_client, ctx.engine, sess, sid, cid)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Any] = asyncio.Queue()

    def push(item: Any) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, item)

    def run() -> None:
        try:
            ans = as_dict(ctx.services.ask(message, caller=sess.caller, engine=ctx.engine, settings=ctx.settings,
                                           session_id=sid,
                                           stream=lambda piece: push(("delta", {"text": piece}))))
            push(("done", {k: ans.get(k) for k in ("answer", "tool_calls", "tool_status", "citations",
                                                   "ungrounded_numbers", "refused")}))
        except WealthDeskError as exc:
            push(("error", exc.to_dict()))
        except Exception as exc:  # the stream must end with an event the page can show
            log.exception("copilot failed")
            push(("error", {"error": "internal", "message": f"copilot failed ({type(exc).__name__})",
                            "hint": "try again; quote the request id to support"}))
        finally:
            push(_DONE)

    async def events() -> AsyncIterator[bytes]:
        task = loop.run_in_executor(None, run)
        yield b": stream open\n\n"  # flush headers at once so the page shows the answer is coming
        while True:
            item = await queue.get()
            if item is _DONE:
                break
            yield _sse(*item)
        await task

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.get("/copilot/{client_id}/history")
def copilot_history(client_id: str, request: Request, sess: ConsoleSession = Depends(session.require)) -> dict[str, Any]:
    """This sign-in's conversation about the client (user and assistant turns), so a reload keeps the pane."""
    ctx = request.app.state.ctx
    cid = client_id.strip().upper()
    require_client_access(ctx.engine, sess.caller, cid)
    sid = conversation_id(sess, cid)
    found = get_session(ctx.engine, sid)
    if found is None or found.user_id != sess.user.id:
        return {"messages": []}
    msgs = [m for m in list_messages(ctx.engine, sid, last=40) if m.role in ("user", "assistant")]
    return {"messages": [{"role": m.role, "content": m.content} for m in msgs]}
