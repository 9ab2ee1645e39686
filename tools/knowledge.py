"""Knowledge-base search: policy, product documents and FAQ passages with citations.

Retrieved text is data, not instructions: the result marks it as quoted material (``"untrusted": true``)
and the system prompt tells the model to ignore instructions inside it.
"""

from __future__ import annotations

import re
from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from tools.common import context
from tools.context import AgentContext

_MAX_CHARS = 400  # per passage: enough to answer, small enough for a prompt
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SAME_ANSWER = 0.02  # an English passage this close (dense cosine) to the best match says the same thing


def _english_question(query: str) -> bool:
    """English, possibly quoting Chinese terms ("what is 份额折算 and how does it affect NAV"): each Chinese run
    is short and the English words outnumber them."""
    runs = _CJK_RUN.findall(query)
    words = len(re.findall(r"[A-Za-z]{2,}", query))
    return not runs or words >= 3 and all(len(r) <= 16 for r in runs) and words >= 2 * len(runs) + 1


def _english_first(query: str, passages: list[Any], ctx: AgentContext, k: int, audience: str | None) -> list[Any]:
    """An English question: English passages that match about as well as the best one come first, so
    the reader gets the answer in their language when the corpus has it (the FAQ for international
    clients, the English suitability summary); otherwise the Chinese passages stay as they are."""
    from knowledge.retrieval import search

    best = max((p.dense or 0.0) for p in passages)
    english = [p for p in search(query, store_dir=ctx.settings.resolved_store_dir, k=k, audience=audience,
                                 settings=ctx.settings, lang="en") if (p.dense or 0.0) >= best - _SAME_ANSWER]
    if english:  # the corpus answers in English: quote only English passages
        return english[:k]
    return passages


class KnowledgeArgs(BaseModel):
    query: str = Field(min_length=1, max_length=500, description="The question or keywords to search for.")
    k: int = Field(4, ge=1, le=10, description="How many passages to return.")


@tool("search_knowledge", args_schema=KnowledgeArgs)
def search_knowledge(query: str, runtime: ToolRuntime[AgentContext], k: int = 4) -> dict[str, Any]:
    """Search regulations, bank policies, product documents and FAQs (知识库); returns passages with their
    citations such as 《个人投资者适当性管理办法》第五条."""
    ctx = context(runtime)
    audience = "client" if ctx.caller.role == "client_channel" else None
    from knowledge.retrieval import search  # lazy: the embedding model loads on the first search
    passages = search(query, store_dir=ctx.settings.resolved_store_dir, k=k, audience=audience, settings=ctx.settings)
    if passages and _english_question(query):
        passages = _english_first(query, passages, ctx, k, audience)
    # best first; the fused rank score means nothing to a reader, so it is not part of the result
    rows = [{"citation": p.citation(), "text": p.text[:_MAX_CHARS]} for p in passages]
    ctx.citations.extend(r["citation"] for r in rows)
    return {"query": query, "untrusted": True, "passages": rows, "_citations": [r["citation"] for r in rows],
            "_hide": ["query", "untrusted"]}
