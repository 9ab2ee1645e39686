"""Approval of client-audience documents, read from and written to the store's chunk metadata.

The store is what retrieval serves from, so the approval flag lives on the chunks (``approved``,
``approved_by``); the database registry (``datastore.repositories.kb_docs``) and the audit log keep
the record of who ingested and approved which version — the CLI writes both.

>>> [d.source for d in documents("var/chroma") if d.status == "pending"]
['uploads/new_fund_faq.md']
>>> approve("var/chroma", "uploads/new_fund_faq.md", by="admin").status
'approved'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import InvalidInput, NotFound
from knowledge.store import bump_generation, open_collection


@dataclass(frozen=True)
class DocStatus:
    source: str
    title: str
    audience: str
    doc_type: str
    sha256: str
    path: str
    ingested_by: str
    approved: bool
    approved_by: str
    chunks: int
    blocked: int  # chunks blocked by the content screen (never served, approved or not)
    screen: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """internal | pending | approved (client documents are served to clients only when approved)."""
        if self.audience != "client":
            return "internal"
        return "approved" if self.approved else "pending"


def _group(ids: list[str], metas: list[dict[str, Any]]) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    out: dict[str, tuple[list[str], list[dict[str, Any]]]] = {}
    for cid, md in zip(ids, metas, strict=True):
        bucket = out.setdefault(str(md["source"]), ([], []))
        bucket[0].append(cid)
        bucket[1].append(md)
    return out


def _status(source: str, metas: list[dict[str, Any]]) -> DocStatus:
    m = metas[0]
    return DocStatus(
        source=source, title=str(m.get("title", "")), audience=str(m.get("audience", "")),
        doc_type=str(m.get("doc_type", "")), sha256=str(m.get("sha256", "")), path=str(m.get("path", "")),
        ingested_by=str(m.get("ingested_by", "")), approved=all(bool(x.get("approved")) for x in metas),
        approved_by=str(m.get("approved_by", "")), chunks=len(metas),
        blocked=sum(1 for x in metas if x.get("blocked")),
        screen=tuple(str(x["screen"]) for x in metas if x.get("screen")),
    )


def documents(store_dir: Path | str, settings: Any = None) -> list[DocStatus]:
    """Every document in the store with its approval status, by source."""
    got = open_collection(store_dir, settings).get(include=["metadatas"])
    return [_status(src, metas) for src, (_ids, metas) in sorted(_group(got["ids"], got["metadatas"] or []).items())]


def _resolve(collection: Any, doc: str) -> tuple[str, list[str], list[dict[str, Any]]]:
    from knowledge.ingest import source_key

    for candidate in dict.fromkeys([doc, source_key(Path(doc))]):
        got = collection.get(where={"source": candidate}, include=["metadatas"])
        if got["ids"]:
            return candidate, list(got["ids"]), list(got["metadatas"])
    raise NotFound(f"no document {doc!r} in the knowledge base", field="DOC",
                   hint="use a source name shown by `wealthdesk kb list --pending`")


def approve(store_dir: Path | str, doc: str, *, by: str, settings: Any = None,
            expected_sha256: str | None = None) -> DocStatus:
    """Approve the stored version of a client-audience document for clients. ``expected_sha256`` (if
    given) must match the stored version, so an approval cannot land on a file swapped since review."""
    collection = open_collection(store_dir, settings)
    source, ids, metas = _resolve(collection, doc)
    current = _status(source, metas)
    if current.audience != "client":
        raise InvalidInput(f"{source} is an internal document; it is never served to clients", field="DOC",
                           hint="only client-audience documents need approval")
    if expected_sha256 and not current.sha256.startswith(expected_sha256.lower()):
        raise InvalidInput(f"{source} changed since it was reviewed (stored sha256 {current.sha256[:12]}…)",
                           field="--sha256", hint="review the stored version, then approve with its hash")
    collection.update(ids=ids, metadatas=[{"approved": True, "approved_by": by} for _ in ids])
    bump_generation(store_dir)
    return _status(source, [{**m, "approved": True, "approved_by": by} for m in metas])
