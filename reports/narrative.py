"""Narrative text for reports: offline from templates in ``prompts/``, or written by an LLM and verified.

Offline: ``fill("report_dd", "zh", "fin_summary", revenue="1.23亿元", …)`` formats the ``## fin_summary``
section of ``prompts/zh/report_dd.md`` with already-formatted figures, so every number in the text is a
recorded figure by construction (and is still verified).

With ``llm`` (any LangChain chat model): ``llm_commentary`` sends the section's structured facts as
JSON with the system prompt from ``prompts/<lang>/report_llm.md`` and returns the model's text only if
``reports.grounding.verify`` finds no ungrounded number; otherwise the model gets one retry with the
offending numbers named, and if it still cites a number that is not in the facts ``GroundingError``
lists them and the document is not written.
"""

from __future__ import annotations

import json
from typing import Any

from core.errors import ConfigurationError, GroundingError
from prompts.loader import sections
from reports.grounding import verify


def fill(template: str, lang: str, key: str, **values: str) -> str:
    """Format one ``## key`` section of ``prompts/<lang>/<template>.md`` with ``values``."""
    parts = sections(template, lang)
    if key not in parts:
        raise ConfigurationError(f"prompt template {template!r} ({lang}) has no section {key!r}")
    try:
        return parts[key].format(**values)
    except KeyError as exc:  # a template edited to use a name the builder does not provide
        raise ConfigurationError(
            f"prompt template {template!r} ({lang}) section {key!r} uses unknown placeholder {exc}"
        ) from exc


def _jsonable(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "model_dump"):
        return o.model_dump(mode="json")
    return str(o)


def llm_commentary(llm: Any, *, lang: str, topic: str, facts: Any, offline_text: str) -> str:
    """Ask ``llm`` for a short commentary on ``facts``; verify it against ``facts`` before returning.

    ``offline_text`` (the template version) is given to the model as a style and content reference.
    Raises ``GroundingError`` when the answer contains a number that is not in ``facts``.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    parts = sections("report_llm", lang)
    payload = json.dumps(facts, ensure_ascii=False, default=_jsonable)
    user = parts["user"].format(topic=topic, facts=payload, draft=offline_text)
    messages: list[Any] = [SystemMessage(content=parts["system"]), HumanMessage(content=user)]
    missing: list[str] = []
    for _attempt in range(2):  # one retry with the offending numbers named, then the document is blocked
        reply = llm.invoke(messages)
        text = _text(reply.content).strip()
        missing = verify(text, facts)
        if not missing:
            return text
        messages += [reply, HumanMessage(content=parts["retry"].format(numbers="、".join(missing)))]
    raise GroundingError(f"LLM commentary for {topic!r} contains numbers not in the facts", missing)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
