"""``ask()``: one question in, one grounded answer out — the entry for CLI, HTTP API and WeCom.

One LangChain ``create_agent`` loop for both modes (only the chat model differs). Per turn:
open the session → replay its history → run the agent with the caller in the runtime context →
check every number of the answer against this turn's tool results (``reports.grounding.verify``) →
in openai mode retry once with feedback when ungrounded → persist the turn and its follow-up state.

>>> ask("C0001近一年收益怎么样", caller=Caller.rm("RM001"), engine=engine, settings=settings)
AgentAnswer(answer="…", tool_calls=[{"name": "portfolio_performance", "args": {"client_id": "C0001",
"period": "1y"}}], citations=[], ungrounded_numbers=[], session_id="…", attachments=[])
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from typing import Any

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from assistant.access import Caller
from assistant.agent_middleware import AuditToolCalls, GuardModelCalls, OfflineTurn
from assistant.models import build_model, should_mask
from assistant.offline.entities import detect_lang
from assistant.offline.lexicon import load_lexicon
from assistant.offline.model import OfflineChatModel
from assistant.offline.understand import reply_lang
from assistant.pii import Masker, name_directory
from assistant.sessions import history, open_session, save_turn
from assistant.settings import Settings
from core.errors import InvalidInput
from datastore.repositories.meta import as_of_date
from prompts.loader import load
from reports.grounding import verify
from tools.context import AgentContext
from tools.registry import tools_for

MAX_QUESTION_CHARS = 4000
_STATE_KEYS = {"client_id": "client_id", "company": "company", "fund": "fund_codes"}


class AgentAnswer(BaseModel):
    answer: str
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)  # [{"name", "args"}]
    # One per tool call, same order: "ok", or the error code of its result ("forbidden", "unsuitable",
    # "invalid_input", "not_found", "error", …) — what /v1 reports as tool_calls_made[].status
    tool_status: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    ungrounded_numbers: list[str] = Field(default_factory=list)
    session_id: str | None = None
    attachments: list[str] = Field(default_factory=list)
    # True when every tool call of the turn was refused by access control (CLI exit code 3)
    refused: bool = False


def _system_prompt(lang: str, state: dict[str, Any]) -> str:
    bits = []
    if state.get("client_id"):
        bits.append(("当前对话中的客户：" if lang == "zh" else "Client discussed so far: ") + str(state["client_id"]))
    if state.get("fund_codes"):
        bits.append(("当前对话中的基金：" if lang == "zh" else "Funds discussed so far: ") + ", ".join(state["fund_codes"]))
    if state.get("company"):
        bits.append(("当前对话中的企业：" if lang == "zh" else "Company discussed so far: ") + str(state["company"]))
    return load("system", lang).format(context="\n".join(bits))


def _turn_facts(messages: list[BaseMessage]) -> tuple[list[dict[str, Any]], list[Any]]:
    """Tool calls made (name + args) and the tool results (parsed JSON) among this turn's messages."""
    calls: list[dict[str, Any]] = []
    results: list[Any] = []
    for m in messages:
        if isinstance(m, AIMessage):
            calls.extend({"name": c["name"], "args": c["args"]} for c in m.tool_calls)
        elif isinstance(m, ToolMessage):
            try:
                results.append(json.loads(str(m.content)))
            except ValueError:
                results.append(str(m.content))
    return calls, results


def _next_state(state: dict[str, Any], calls: list[dict[str, Any]], results: list[Any], *,
                question: str = "", lang: str | None = None) -> dict[str, Any]:
    """Remember the entities of successful calls so "那他的行业分布呢?" resolves next turn; the reply
    language (a bare "now 曹建" keeps it); a question answered by a question ("林姐?" → which one) so the
    answer to it ("林敏磊") completes the original ask."""
    new = dict(state)
    if lang:
        new["lang"] = lang
    if calls:
        new.pop("pending_question", None)
        new["last_question"] = question[:300]  # "同样的看下C0008" answers the same field as the last question
    elif question:
        new["pending_question"] = question
    done = []
    for call, result in zip(calls, results, strict=False):
        if isinstance(result, dict) and result.get("error") in ("forbidden", "unsuitable"):
            continue  # never remember an entity the caller may not see
        listed = _listed_clients(result)
        if listed:
            new["last_list"] = listed  # "第一名的穿透": the first client of the list just shown
        if isinstance(result, dict) and call["name"] == "search_products":
            codes = [str(r.get("code")) for r in result.get("products") or [] if isinstance(r, dict) and r.get("code")]
            if codes:
                new["last_products"] = codes[:20]  # "林敏磊能买第一个吗": the first product just listed
        args = call["args"] or {}
        for cid in ([args["client_id"]] if args.get("client_id") else []) + list(args.get("client_ids") or []):
            # the clients discussed, latest first ("他俩对比下" compares the last two)
            new["recent_clients"] = [cid, *[c for c in new.get("recent_clients", []) if c != cid]][:3]
        if args.get("client_id"):
            if args["client_id"] != new.get("client_id"):
                new.pop("product", None)  # another client: the product discussed no longer applies
            new["client_id"] = args["client_id"]
        if args.get("period"):
            new["period"] = args["period"]
        if call["name"] == "retirement_plan" and isinstance(result, dict) and result.get("retire_age"):
            new["retire_age"] = result["retire_age"]  # "要是他晚两年退": two years after the age just planned with
        if args.get("product"):
            new["product"] = args["product"]
        if args.get("fund"):
            new["fund_codes"] = [args["fund"]]
        if args.get("fund_codes") or args.get("funds"):
            new["fund_codes"] = list(args.get("fund_codes") or args["funds"])
        if args.get("company"):
            new["company"] = args["company"]
        new["last_tool"] = call["name"]
        new["metric"] = call["name"]  # the measure last asked for ("年化多少" → fund_metrics)
        done.append({"name": call["name"], "args": dict(args)})
    if done:
        new["last_calls"] = done  # "英文版": the same calls again in the other language
    return new


def _listed_clients(result: Any) -> list[str]:
    """The clients a book answer listed, in its order (largest clients, or the findings' clients)."""
    if not isinstance(result, dict):
        return []
    rows = result.get("largest_clients") or result.get("findings") or []
    ids = [str(r.get("client_id")) for r in rows if isinstance(r, dict) and r.get("client_id")]
    return list(dict.fromkeys(ids))[:50]


def _tool_status(messages: list[BaseMessage]) -> list[str]:
    """The outcome of each tool call among ``messages`` (order of the calls): "ok" or the error code that
    ``AuditToolCalls`` (or the tool node) put into the error result."""
    done: dict[str, str] = {}
    for m in messages:
        if isinstance(m, ToolMessage):
            status = "ok"
            if m.status == "error":
                try:
                    payload = json.loads(str(m.content))
                except ValueError:
                    payload = None
                status = str(payload.get("error") or "error") if isinstance(payload, dict) else "error"
            done[m.tool_call_id] = status
    return [done.get(str(c.get("id")), "error") for m in messages if isinstance(m, AIMessage)
            for c in m.tool_calls]


def _citations(results: list[Any]) -> list[str]:
    out: list[str] = []
    for r in results:
        if isinstance(r, dict):
            out.extend(str(c) for c in r.get("_citations", []))
    return list(dict.fromkeys(out))


def ask(
    question: str,
    *,
    caller: Caller,
    engine: Engine,
    settings: Settings,
    session_id: str | None = None,
    stream: Callable[[str], None] | None = None,
) -> AgentAnswer:
    """Answer one question for ``caller``; see the module docstring. Raises ``InvalidInput`` for an empty
    or over-long question, ``Forbidden`` for another user's session id and ``DataUnavailable`` before
    ``wealthdesk init``."""
    question = (question or "").strip()
    if not question:
        raise InvalidInput("the question is empty", field="question", hint="ask about a client, fund or policy")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"the question is longer than {MAX_QUESTION_CHARS} characters", field="question")
    # An empty database would make every client look "not yours"; say what is really wrong instead.
    as_of_date(engine)
    session = open_session(engine, caller, session_id)
    state = dict(session.state)
    lexicon = load_lexicon(engine, caller)
    lang = detect_lang(question, lexicon.proper_names)
    offline = settings.effective_llm_mode == "offline"
    model = None if offline else build_model(settings, lexicon=lexicon, state=state, streaming=stream is not None)
    ctx = AgentContext(caller=caller, engine=engine, settings=settings)
    if not offline:  # documents drafted in this turn get their commentary from the same endpoint
        from assistant.models import report_llm

        ctx.extras["report_llm"] = report_llm(settings)
    if should_mask(settings):
        # Every client and RM name, read fresh from the database (a client imported a second ago
        # is masked too; the lexicon's names are a cached view of the caller's own book only).
        ctx.extras["masker"] = Masker(names=[*lexicon.client_names, *name_directory(engine).names()])
    if offline:  # one compiled graph per tool set; this turn's lexicon, state and prompt ride in the context
        ctx.extras["offline_turn"] = (lexicon, state, _system_prompt(lang, state))
        agent = _offline_agent(tools_for(caller))
    else:
        assert model is not None
        agent = create_agent(
            model,
            tools_for(caller),
            system_prompt=_system_prompt(lang, state),
            middleware=[AuditToolCalls(), GuardModelCalls()],
            context_schema=AgentContext,
        )
    prior = history(engine, session.id)
    messages: list[BaseMessage] = [*prior, HumanMessage(question)]
    masker = ctx.extras.get("masker")
    restoring = _Restoring(stream, masker) if (stream is not None and masker is not None) else None
    sink = restoring.feed if restoring is not None else stream
    final = _run(agent, messages, ctx, sink if not offline else None)
    if restoring is not None:
        restoring.flush()
    turn = final[len(prior):]
    calls, results = _turn_facts(turn)
    answer = _answer_text(final)
    facts = [results, [c["args"] for c in calls]]
    ungrounded = verify(answer, facts)
    if ungrounded and not offline:
        feedback = load("grounding_feedback", lang).format(numbers="、".join(ungrounded))
        final = _run(agent, [*final, HumanMessage(feedback)], ctx, None)
        turn = final[len(prior):]
        calls, results = _turn_facts(turn)
        answer = _answer_text(final)
        ungrounded = verify(answer, [results, [c["args"] for c in calls]])
        if stream is not None:  # the streamed draft had unverifiable numbers: send the corrected answer
            stream("\n\n" + answer)
    if stream is not None and offline:
        stream(answer)
    save_turn(engine, session.id, question=question, answer=answer, tool_calls=calls,
              state=_next_state(state, calls, results, question=question,
                                lang=reply_lang(question, state, lexicon) if offline else lang))
    return AgentAnswer(
        answer=answer,
        tool_calls=calls,
        tool_status=_tool_status(turn),
        citations=list(dict.fromkeys([*_citations(results), *ctx.citations])),
        ungrounded_numbers=ungrounded,
        session_id=session.id,
        attachments=list(ctx.attachments),
        refused=bool(results) and all(isinstance(r, dict) and r.get("error") == "forbidden" for r in results),
    )


_OFFLINE_AGENTS: dict[tuple[str, ...], Any] = {}
_OFFLINE_LOCK = threading.Lock()


def _offline_agent(tools: Sequence[Any]) -> Any:
    """The offline agent for this tool set, compiled on first use (a compiled graph is safe to share: each
    invoke has its own state and context)."""
    key = tuple(t.name for t in tools)
    with _OFFLINE_LOCK:
        agent = _OFFLINE_AGENTS.get(key)
        if agent is None:
            agent = create_agent(OfflineChatModel(), list(tools), middleware=[AuditToolCalls(), OfflineTurn(),
                                 GuardModelCalls()], context_schema=AgentContext)
            _OFFLINE_AGENTS[key] = agent
    return agent


class _Restoring:
    """Streams text to ``sink`` with masked tokens («NAME_1») restored, holding back a token split across
    chunks until it is complete."""

    def __init__(self, sink: Callable[[str], None], masker: Masker) -> None:
        self.sink, self.masker, self.pending = sink, masker, ""

    def feed(self, piece: str) -> None:
        text = self.pending + piece
        cut = text.rfind("«")
        if cut != -1 and "»" not in text[cut:]:
            text, self.pending = text[:cut], text[cut:]
        else:
            self.pending = ""
        if text:
            self.sink(self.masker.restore(text))

    def flush(self) -> None:
        if self.pending:
            self.sink(self.masker.restore(self.pending))
            self.pending = ""


def _answer_text(messages: list[BaseMessage]) -> str:
    last = next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)
    if last is None:
        return ""
    return last.content if isinstance(last.content, str) else str(last.text)


def _run(agent: Any, messages: list[BaseMessage], ctx: AgentContext, stream: Callable[[str], None] | None
         ) -> list[BaseMessage]:
    config = {"recursion_limit": 16}
    if stream is None:
        return list(agent.invoke({"messages": messages}, context=ctx, config=config)["messages"])
    final: list[BaseMessage] = messages
    for mode, chunk in agent.stream({"messages": messages}, context=ctx, config=config,
                                    stream_mode=["messages", "values"]):
        if mode == "messages":
            piece, meta = chunk
            if isinstance(piece, AIMessageChunk) and piece.content and not piece.tool_call_chunks \
                    and meta.get("langgraph_node") == "model":
                stream(str(piece.content))
        elif mode == "values":
            final = list(chunk["messages"])
    return final
