"""OpenAI-compatible chat API: ``POST /v1/chat/completions`` (plain and SSE streaming) and ``GET /v1/models``.

Lets the official ``openai`` client and chat UIs (Open WebUI, LobeChat, ChatGPT-Next-Web) use WealthDesk
as a model named ``wealthdesk``. The last user message is the question; the agent keeps the memory.

Conversation → agent session, in this order:
1. ``X-Session-ID`` header, or the request's ``user`` field: an explicit, stable session.
2. The message history: the reply to history H is remembered under hash(H + [reply]), so the next request
   (which sends H + [reply, new question]) finds the same session. After a restart that map is empty, and
   the session id becomes a digest of the history instead (stable from then on; earlier memory starts over).
3. A history with no earlier turn (only system messages) starts a fresh session.

Tool activity and citations travel twice. As data: the response has top-level ``citations`` (strings such
as ``《个人投资者适当性管理办法》第五条``) and ``tool_calls_made`` (``[{"name", "arguments", "status"}]``); when
streaming, the last chunk before ``[DONE]`` (the one with ``finish_reason: "stop"``) carries both, plus an
Open WebUI ``event`` of type ``source`` so its citation panel lists them. The official ``openai`` client keeps
unknown fields (``completion.model_extra["citations"]``, ``chunk.model_extra["tool_calls_made"]``). As text,
for UIs that show only the message, a footer::

    …answer…

    ---
    🔧 调用工具: lookthrough_portfolio(client_id=C0001)
    📚 参考来源:
    1. 《个人投资者适当性管理办法》第五条
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from threading import Lock
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.api.errors import error_response
from assistant.api.routes import enforce_client_scope, scoped_session_id
from assistant.api.security import Principal, authenticate
from assistant.api.services import as_dict
from core.errors import InvalidInput, WealthDeskError

MODEL_ID = "wealthdesk"
router = APIRouter(prefix="/v1", tags=["openai-compatible"])


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "user", "assistant", "tool", "developer", "function"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # [{"type": "text", "text": "…"}, {"type": "image_url", …}]
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p, … are accepted and ignored
    model: str = Field(MODEL_ID, examples=[MODEL_ID])
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    # Some UIs send an object here (forwarded user info); only a string is used, as the session id.
    user: str | dict[str, Any] | None = Field(None, description="A string is used as the session id")


# ------------------------------------------------------------------------------------------ rendering
def _fmt_args(args: Any) -> str:
    if isinstance(args, dict):
        return ", ".join(f"{k}={v}" for k, v in args.items())
    return "" if args is None else str(args)


def render_footer(ans: dict[str, Any]) -> str:
    """Tool calls and citations as readable lines ("" when there are none)."""
    lines: list[str] = []
    for call in ans.get("tool_calls") or []:
        lines.append(f"🔧 调用工具: {call.get('name')}({_fmt_args(call.get('args'))})")
    cites = list(ans.get("citations") or [])
    if cites:
        lines.append("📚 参考来源:")
        lines.extend(f"{i}. {c}" for i, c in enumerate(cites, 1))
    if ans.get("attachments"):
        lines.append("📎 已生成文件: " + ", ".join(str(p).rsplit("/", 1)[-1] for p in ans["attachments"]))
    return ("\n\n---\n" + "\n".join(lines)) if lines else ""


def tool_calls_made(ans: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{"name", "arguments", "status"}]``: arguments as a JSON object, status "ok" or the error code."""
    status = list(ans.get("tool_status") or [])
    return [
        {"name": c.get("name"), "arguments": c.get("args") or {}, "status": status[i] if i < len(status) else "ok"}
        for i, c in enumerate(ans.get("tool_calls") or [])
    ]


def structured_extras(ans: dict[str, Any]) -> dict[str, Any]:
    """The top-level fields added to a completion (and to the final stream chunk)."""
    return {"citations": list(ans.get("citations") or []), "tool_calls_made": tool_calls_made(ans)}


def open_webui_sources(citations: list[str]) -> dict[str, Any]:
    """Open WebUI forwards a stream chunk's ``event`` to its UI; a ``source`` event fills the citation panel
    (one document per citation, grouped by ``metadata[].source``)."""
    return {
        "type": "source",
        "data": {
            "source": {"id": "wealthdesk-kb", "name": "WealthDesk 知识库"},
            "document": list(citations),
            "metadata": [{"source": c, "name": c} for c in citations],
        },
    }


# ------------------------------------------------------------------------------------------ sessions
class ConversationMap:
    """Bounded LRU: digest of (user, history incl. our reply) → agent session id."""

    def __init__(self, size: int = 10_000) -> None:
        self._map: OrderedDict[str, str] = OrderedDict()
        self._size = size
        self._lock = Lock()

    @staticmethod
    def digest(user_id: str, turns: list[tuple[str, str]]) -> str:
        payload = json.dumps([user_id, [(r, t.strip()) for r, t in turns]], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def get(self, key: str) -> str | None:
        with self._lock:
            sid = self._map.get(key)
            if sid is not None:
                self._map.move_to_end(key)
            return sid

    def put(self, key: str, sid: str) -> None:
        with self._lock:
            self._map[key] = sid
            self._map.move_to_end(key)
            while len(self._map) > self._size:
                self._map.popitem(last=False)


def resolve_session(
    convs: ConversationMap, who: Principal, turns: list[tuple[str, str]], explicit: str | None
) -> str:
    if explicit:
        sid = scoped_session_id(who.caller, explicit)
        assert sid is not None
        return sid
    history = turns[:-1]
    if not any(role in ("user", "assistant") for role, _ in history):
        return f"{who.caller.user_id}:oai-{uuid.uuid4().hex[:24]}"[:64]
    key = convs.digest(who.caller.user_id, history)
    return convs.get(key) or f"{who.caller.user_id}:oai-{key[:24]}"[:64]


# ------------------------------------------------------------------------------------------ endpoints
@router.get("/models", summary="List models (just `wealthdesk`)")
def list_models(_who: Principal = Depends(authenticate)) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "wealthdesk"}],
    }


def _chunk(cid: str, created: int, delta: dict[str, Any], finish: str | None = None,
           extra: dict[str, Any] | None = None) -> str:
    body = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **(extra or {}),
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


@router.post("/chat/completions", summary="OpenAI-compatible chat (stream: true → SSE)")
async def chat_completions(
    body: ChatCompletionRequest,
    request: Request,
    who: Principal = Depends(authenticate),
    x_session_id: str | None = Header(None, alias="X-Session-ID"),
) -> Any:
    ctx = request.app.state.ctx
    if body.model != MODEL_ID and not body.model.startswith(MODEL_ID + ":"):
        raise InvalidInput(
            f"unknown model {body.model!r}", field="model", hint=f"use {MODEL_ID!r} (GET /v1/models)"
        )
    turns: list[tuple[str, str]] = [
        (m.role, m.text()) for m in body.messages if m.role in ("system", "user", "assistant", "developer")
    ]
    if not turns or turns[-1][0] != "user" or not turns[-1][1].strip():
        raise InvalidInput("the last message must be a non-empty user message", field="messages")
    question = turns[-1][1]
    sid = resolve_session(
        ctx.conversations, who, turns, x_session_id or (body.user if isinstance(body.user, str) else None)
    )
    cid = "chatcmpl-" + uuid.uuid4().hex[:24]
    created = int(time.time())

    def call(stream: Any = None) -> dict[str, Any]:
        ans = as_dict(
            ctx.services.ask(
                question,
                caller=who.caller,
                engine=ctx.engine,
                settings=ctx.settings,
                session_id=sid,
                stream=stream,
            )
        )
        enforce_client_scope(ctx.engine, who.caller, ans)  # another RM's client → 403 (or an SSE error)
        return ans

    def remember(full_text: str) -> None:
        ctx.conversations.put(
            ctx.conversations.digest(who.caller.user_id, [*turns, ("assistant", full_text)]), sid
        )

    if not body.stream:
        ans = await run_in_threadpool(call)
        text = (ans.get("answer") or "") + render_footer(ans)
        remember(text)
        n_in, n_out = sum(len(t) for _, t in turns), len(text)
        return {
            "id": cid,
            "object": "chat.completion",
            "created": created,
            "model": MODEL_ID,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            ],
            # Character counts: the offline model has no tokenizer; clients only display these.
            "usage": {"prompt_tokens": n_in, "completion_tokens": n_out, "total_tokens": n_in + n_out},
            **structured_extras(ans),
        }

    loop = asyncio.get_running_loop()
    events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def on_token(piece: str) -> None:  # called from the agent's worker thread
        loop.call_soon_threadsafe(events.put_nowait, ("delta", piece))

    async def produce() -> None:
        try:
            ans = await run_in_threadpool(call, on_token)
            await events.put(("done", ans))
        except Exception as exc:  # surfaced to the client as an error (before or inside the stream)
            await events.put(("error", exc))

    task = asyncio.create_task(produce())
    first = await events.get()
    if first[0] == "error":
        await task
        exc = first[1]
        if isinstance(exc, WealthDeskError):
            return error_response(exc, path=request.url.path)
        raise exc

    async def sse() -> AsyncIterator[str]:
        sent: list[str] = []
        yield _chunk(cid, created, {"role": "assistant", "content": ""})
        event = first
        while True:
            kind, payload = event
            if kind == "delta" and payload:
                sent.append(payload)
                yield _chunk(cid, created, {"content": payload})
            elif kind == "done":
                answer = payload.get("answer") or ""
                streamed = "".join(sent)
                # The agent may stream nothing (offline rules) or only part of the final text: send the rest.
                rest = (
                    answer[len(streamed) :]
                    if answer.startswith(streamed)
                    else ("\n\n" + answer if streamed else answer)
                )
                tail = rest + render_footer(payload)
                if tail:
                    yield _chunk(cid, created, {"content": tail})
                remember(streamed + tail)
                extra = structured_extras(payload)
                if extra["citations"]:
                    extra["event"] = open_webui_sources(extra["citations"])
                yield _chunk(cid, created, {}, "stop", extra)
                break
            elif kind == "error":
                msg = getattr(payload, "message", None) or f"internal error ({type(payload).__name__})"
                yield f"data: {json.dumps({'error': {'message': msg, 'type': getattr(payload, 'code', 'internal')}}, ensure_ascii=False)}\n\n"
                break
            event = await events.get()
        yield "data: [DONE]\n\n"

    return StreamingResponse(
        sse(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
