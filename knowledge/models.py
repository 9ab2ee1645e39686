"""Typed records of the knowledge base: what ingestion produces and what retrieval returns.

A ``Chunk`` is one retrievable unit (a clause 第X条, a FAQ Q/A pair, a factsheet section, a paragraph
group); a ``Passage`` is a chunk returned by a search, with its score. Neither is a raw store dict.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DOC_TYPES = ("product", "policy", "faq", "research")
AUDIENCES = ("client", "internal")


class Chunk(BaseModel):
    """One chunk as ingested.

    >>> Chunk(id="3f2a…", text="第五条 …", title="个人投资者适当性管理办法", source="data/corpus/policies/suitability.md",
    ...       section="第五条", heading="第二章 风险匹配", page=None, doc_type="policy", audience="client",
    ...       product_codes=[], version_date="2026-01-01", lang="zh", file_hash="…", ordinal=4)
    """

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    title: str
    source: str
    section: str = ""  # "第五条", "Q12", or the nearest heading when there is no clause number
    heading: str = ""  # heading path, e.g. "第二章 风险匹配"
    page: int | None = None  # 1-based page for PDFs
    doc_type: str = "policy"
    audience: str = "client"
    product_codes: list[str] = Field(default_factory=list)
    version_date: str = ""  # ISO date from the front matter, "" when unknown
    lang: str = "zh"  # "zh" or "en", detected from the chunk text
    file_hash: str = ""
    ordinal: int = 0  # position of the chunk in its file
    # Governance (see knowledge/ingest.py): the full sha256 of the file, the absolute path it was read
    # from, who ingested it, whether a client-audience document is approved for clients, and the
    # content screen's verdict on this chunk.
    sha256: str = ""
    path: str = ""
    ingested_by: str = ""
    approved: bool = False
    approved_by: str = ""
    blocked: bool = False
    screen: str = ""  # "; "-joined hits of knowledge.screen.hazards


class Passage(BaseModel):
    """A retrieved chunk. ``score`` is the fused RRF score (higher is better); ``dense`` is the cosine
    similarity of the dense leg (None when the chunk came only from BM25), ``bm25`` the raw BM25 score.

    >>> p.citation()
    '《个人投资者适当性管理办法》第五条'
    """

    model_config = ConfigDict(frozen=True)

    id: str
    score: float
    text: str
    title: str
    source: str
    section: str = ""
    page: int | None = None
    doc_type: str = "policy"
    audience: str = "client"
    product_codes: list[str] = Field(default_factory=list)
    version_date: str = ""
    heading: str = ""
    lang: str = "zh"
    dense: float | None = None
    bm25: float | None = None
    blocked: bool = False  # flagged by the content screen (returned only to callers that asked for them)

    def citation(self) -> str:
        """Title plus clause/section (and page for PDFs): ``《标题》第五条`` / ``《标题》Q12 第3页``."""
        parts = [f"《{self.title}》"]
        if self.section:
            parts.append(self.section)
        if self.page is not None:
            parts.append(f" 第{self.page}页")
        return "".join(parts)
