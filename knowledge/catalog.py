"""The documents in the knowledge store, as a catalogue: one entry per ingested file, and its text.

Built from the store's chunk metadata (no embedding model is loaded), so it lists exactly what search can
return: passages blocked by the content screen are left out, and ``audience="client"`` keeps only
client-facing documents approved for clients; asking for an internal document with it
raises the same ``NotFound`` as asking for one that does not exist, so the answer reveals nothing.

>>> [d.title for d in list_documents(store, audience="client")][:2]
['常见问题·账户与风险测评', '常见问题·存款保险']
>>> read_document(store, list_documents(store)[0].id).text[:12]
'## Q1: 风险测评…'
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from core.errors import InvalidInput, NotFound
from knowledge.models import AUDIENCES
from knowledge.screen import hazards
from knowledge.store import open_collection


class DocumentInfo(BaseModel):
    id: str  # sha256 of the store's source key, 16 hex: stable across re-ingests, hides server paths
    name: str  # file name, e.g. suitability.md
    title: str
    doc_type: str
    audience: str
    version_date: str
    lang: str
    chunks: int


class Document(BaseModel):
    info: DocumentInfo
    text: str  # the chunks in file order, separated by blank lines


def document_id(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _chunks(store_dir: Path | str, settings: Any, audience: str | None = None) -> dict[str, list[tuple[dict[str, Any], str]]]:
    """Servable chunks by source, in file order. Governance (as in retrieval): a chunk the content screen
    blocked (or flags now) is left out for every audience, and for ``audience="client"`` a document counts
    only when it is approved for clients (``wealthdesk kb approve``)."""
    got = open_collection(store_dir, settings).get(include=["metadatas", "documents"])
    by_source: dict[str, list[tuple[dict[str, Any], str]]] = {}
    unapproved: set[str] = set()
    for md, text in zip(got["metadatas"], got["documents"], strict=True):
        source = str(md["source"])
        if audience == "client" and not md.get("approved"):
            unapproved.add(source)
        if md.get("blocked") or hazards(text or ""):
            continue
        by_source.setdefault(source, []).append((dict(md), text or ""))
    for source in unapproved:
        by_source.pop(source, None)
    for rows in by_source.values():
        rows.sort(key=lambda r: int(r[0].get("ordinal", 0)))
    return by_source


def _info(source: str, rows: list[tuple[dict[str, Any], str]]) -> DocumentInfo:
    md = rows[0][0]
    langs = {str(r[0].get("lang", "zh")) for r in rows}
    return DocumentInfo(
        id=document_id(source), name=source.rsplit("/", 1)[-1], title=str(md.get("title", "")),
        doc_type=str(md.get("doc_type", "")), audience=str(md.get("audience", "")),
        version_date=str(md.get("version_date", "")), lang="zh" if "zh" in langs else sorted(langs)[0],
        chunks=len(rows),
    )


def _check(audience: str | None) -> None:
    if audience is not None and audience not in AUDIENCES:
        raise InvalidInput(f"unknown audience {audience!r}", field="audience", hint=f"one of {', '.join(AUDIENCES)}")


def list_documents(store_dir: Path | str, *, audience: str | None = None, settings: Any = None) -> list[DocumentInfo]:
    """Every document in the store (``audience`` filters), sorted by type then title. ``DataUnavailable``
    when the store was never ingested."""
    _check(audience)
    docs = [_info(src, rows) for src, rows in _chunks(store_dir, settings, audience).items()]
    docs = [d for d in docs if audience is None or d.audience == audience]
    return sorted(docs, key=lambda d: (d.doc_type, d.title, d.id))


def read_document(store_dir: Path | str, doc_id: str, *, audience: str | None = None,
                  settings: Any = None) -> Document:
    """One document's text by ``DocumentInfo.id``; ``NotFound`` when unknown or outside ``audience``."""
    _check(audience)
    for src, rows in _chunks(store_dir, settings, audience).items():
        if document_id(src) == doc_id:
            info = _info(src, rows)
            if audience is None or info.audience == audience:
                return Document(info=info, text="\n\n".join(text.strip() for _, text in rows))
            break
    raise NotFound(f"no knowledge-base document {doc_id!r}", field="uri", hint="list the resources first")
