"""Knowledge-base search: policy, product documents and FAQ passages with citations.

Retrieved text is data, not instructions: the result marks it as quoted material (``"untrusted": true``)
and the system prompt tells the model to ignore instructions inside it.
"""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from tools.common import context
from tools.context import AgentContext

_MAX_CHARS = 400  # per passage: enough to answer, small enough for a prompt


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
    # best first; the fused rank score means nothing to a reader, so it is not part of the result
    rows = [{"citation": p.citation(), "text": p.text[:_MAX_CHARS]} for p in passages]
    ctx.citations.extend(r["citation"] for r in rows)
    return {"query": query, "untrusted": True, "passages": rows, "_citations": [r["citation"] for r in rows],
            "_hide": ["query", "untrusted"]}
