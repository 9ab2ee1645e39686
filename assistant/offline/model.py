"""``OfflineChatModel``: a LangChain chat model that plans tool calls by rules and composes answers.

It plugs into the same ``create_agent`` loop as ``ChatOpenAI``. Step 1 (last message is the user's):
plan → an ``AIMessage`` with real ``tool_calls`` (or a short reply). Step 2 (tool results follow the
user's message): compose the answer from those ``ToolMessage``s. It never writes a number of its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field

from assistant.offline.compose import compose
from assistant.offline.guard import is_injection
from assistant.offline.lexicon import Lexicon
from assistant.offline.understand import is_bare_follow_up, plan, reply_lang
from prompts.loader import sections

_ids = itertools.count(1)


class OfflineChatModel(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    lexicon: Lexicon = Field(default_factory=Lexicon)
    state: dict[str, Any] = Field(default_factory=dict)  # session state: client_id, last_tool, …
    bound_tools: tuple[str, ...] | None = None  # names the agent bound; None = not restricted

    @property
    def _llm_type(self) -> str:
        return "wealthdesk-offline"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> OfflineChatModel:  # type: ignore[override]
        names = tuple(getattr(t, "name", None) or (t.get("name") if isinstance(t, dict) else str(t)) for t in tools)
        return self.model_copy(update={"bound_tools": names})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        question = str(messages[last_human].content) if last_human >= 0 else ""
        lang = reply_lang(question, self.state, self.lexicon)
        tail = messages[last_human + 1 :]
        results = [(m.name or "tool", str(m.content)) for m in tail if isinstance(m, ToolMessage)]
        if results:
            focus = question
            if self.state.get("last_question") and is_bare_follow_up(question, self.lexicon, slots=True):
                focus = f"{self.state['last_question']} {question}"  # "同样的看下C0008": the field asked before
            answer = compose(results, lang, focus)
            if is_injection(question):  # only the caller's own part was answered: say why the rest was not
                answer = sections("answer_messages", lang)["injection"] + "\n\n" + answer
            return _result(AIMessage(content=answer))
        p = plan(question, self.lexicon, self.state)
        if p.reply is not None or not p.calls:
            return _result(AIMessage(content=p.reply or sections("answer_messages", lang)["out_of_scope"]))
        allowed = [(n, a) for n, a in p.calls if self.bound_tools is None or n in self.bound_tools]
        if not allowed:  # e.g. the client channel asked for client data: no such tool is bound
            return _result(AIMessage(content=sections("answer_messages", lang)["channel_denied"]))
        calls = [{"name": n, "args": a, "id": f"call_{next(_ids)}", "type": "tool_call"} for n, a in allowed]
        return _result(AIMessage(content="", tool_calls=calls))


def _result(msg: AIMessage) -> ChatResult:
    return ChatResult(generations=[ChatGeneration(message=msg)])
