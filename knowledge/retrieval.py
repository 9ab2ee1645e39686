"""Hybrid retrieval: dense (Chroma, cosine) + BM25 over jieba tokens, fused by reciprocal rank fusion.

Filters (audience, doc_type, product_code) are applied inside each leg as one mask over the loaded
chunks, so an internal document is never even a candidate for a client-audience search. A client-audience
search also sees only approved documents, and no search ever returns a chunk the content screen
(``knowledge.screen``) blocked at ingestion or flags now.

A ``Retriever`` holds the loaded BM25 index, chunk metadata and the chunk vectors; ``search`` keeps one
per store directory and reloads it when the store's generation token changes (after an ingest).

>>> [p.citation() for p in search("冷静期多久", store_dir="var/chroma", k=2, audience="client")]
['《常见问题·银行理财产品》Q4', '《常见问题·银行理财产品》Q7']
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from core.errors import ConfigurationError, DataUnavailable, InvalidInput
from knowledge.embeddings import make_embedding_function
from knowledge.glossary import chinese_terms, english_terms, expand_query, with_synonyms
from knowledge.models import AUDIENCES, DOC_TYPES, Passage
from knowledge.screen import hazards
from knowledge.store import generation, open_collection, reset_client, written_here
from knowledge.tokenize import is_english, product_codes, tokens

RRF_K = 10  # Cormack et al. (2009) use 60; with 30 candidates per leg a smaller k lets rank 1 count (tuned)
CANDIDATES = 30  # per leg, before fusion
# Weighted RRF. RRF_K and the weights were chosen on evals/retrieval_set.jsonl (grid k ∈ {10, 30, 60} ×
# bm25 ∈ {0.5, 0.7, 1.0}): k=10 lifted hybrid recall@5 from 0.961 to 0.990; bm25 0.5 scored one more
# recall@1 hit than 0.7 but ranked the mis-selling FAQ above "理财产品保本吗", so 0.7.
LEG_WEIGHTS = {"dense": 1.0, "bm25": 0.7, "code": 1.5}
Mode = Literal["hybrid", "dense", "bm25"]


@dataclass(frozen=True)
class _Doc:
    id: str
    text: str
    meta: dict[str, Any]


def _validate(audience: str | None, doc_type: str | None) -> None:
    if audience is not None and audience not in AUDIENCES:
        raise InvalidInput(f"unknown audience {audience!r}", field="audience", hint=f"one of {', '.join(AUDIENCES)}")
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise InvalidInput(f"unknown document type {doc_type!r}", field="doc_type", hint=f"one of {', '.join(DOC_TYPES)}")


class Retriever:
    """Everything a warm search needs, loaded once from the store."""

    def __init__(self, store_dir: Path | str, settings: Any = None) -> None:
        from rank_bm25 import BM25Okapi

        self.store_dir = Path(store_dir)
        self.generation = generation(store_dir)
        self.collection = open_collection(store_dir, settings)
        self.ef = make_embedding_function(settings)
        got = self.collection.get(include=["documents", "metadatas", "embeddings"])
        order = sorted(range(len(got["ids"])), key=lambda i: (got["metadatas"][i]["source"], got["metadatas"][i]["ordinal"]))
        self.docs = [_Doc(got["ids"][i], got["documents"][i], dict(got["metadatas"][i])) for i in order]
        self.index = {d.id: i for i, d in enumerate(self.docs)}
        emb = got["embeddings"]
        self.vectors = (np.asarray([emb[i] for i in order], dtype=np.float32) if len(order)
                        else np.zeros((0, 1), dtype=np.float32))
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True) if len(order) else np.ones((0, 1))
        self.vectors = self.vectors / np.where(norms == 0, 1.0, norms)
        # Served at all: not blocked by the content screen at ingestion, and still clean under today's
        # screen (a store built before a pattern was added). Served to clients: also approved.
        self.servable = np.array([not d.meta.get("blocked") and not hazards(d.text) for d in self.docs], dtype=bool)
        self.client_approved = np.array([d.meta.get("audience") == "client" and bool(d.meta.get("approved"))
                                         for d in self.docs], dtype=bool)
        self.client_ok = self.client_approved & self.servable
        self.plain_tokens = [tokens(f"{d.meta['title']} {d.meta['section']} {d.text}") for d in self.docs]
        # Index-side glossary: a Chinese chunk also carries the English names of its domain terms (and
        # vice versa), so BM25 can match across scripts.
        self.bilingual_tokens = [
            toks + tokens(" ".join(english_terms(d.text) if d.meta.get("lang") != "en" else chinese_terms(d.text)))
            for d, toks in zip(self.docs, self.plain_tokens, strict=True)
        ]
        self.bm25 = BM25Okapi(self.bilingual_tokens) if self.docs else None
        self.bm25_plain = BM25Okapi(self.plain_tokens) if self.docs else None
        self._qcache: dict[str, np.ndarray] = {}
        self.product_names = {d.meta["title"].split("（")[0] for d in self.docs
                              if d.meta["doc_type"] == "product" and len(d.meta["title"].split("（")[0]) >= 4}
        self.code_index: dict[str, list[int]] = {}
        for i, d in enumerate(self.docs):
            for c in d.meta.get("product_codes") or []:
                self.code_index.setdefault(c, []).append(i)

    def query_vector(self, text: str) -> np.ndarray:
        """Query embedding, memoised: FAQ traffic repeats itself and the model is the slow part."""
        vec = self._qcache.get(text)
        if vec is None:
            vec = np.asarray(self.ef.embed_query([text])[0], dtype=np.float32)
            if len(self._qcache) >= 2048:
                self._qcache.pop(next(iter(self._qcache)))
            self._qcache[text] = vec
        return vec

    # -- filters -------------------------------------------------------------------------------------
    def _mask(self, audience: str | None, doc_type: str | None, product_code: str | None,
              lang: str | None = None, exclude_doc_type: str | None = None, include_blocked: bool = False) -> np.ndarray:
        allowed = self.client_ok if audience == "client" else self.servable
        if include_blocked:
            allowed = self.client_approved if audience == "client" else np.ones(len(self.docs), dtype=bool)
        return allowed & np.array([
            (lang is None or d.meta.get("lang") == lang)
            and (exclude_doc_type is None or d.meta["doc_type"] != exclude_doc_type)
            and (audience is None or d.meta["audience"] == audience)
            and (doc_type is None or d.meta["doc_type"] == doc_type)
            and (product_code is None or product_code in (d.meta.get("product_codes") or []))
            for d in self.docs
        ], dtype=bool)

    # -- legs ----------------------------------------------------------------------------------------
    def dense(self, qvec: np.ndarray, mask: np.ndarray, n: int) -> list[tuple[int, float]]:
        """(doc index, cosine similarity), best first, among the docs allowed by ``mask``.

        Exact cosine over the vectors loaded with this snapshot rather than a Chroma query: a search
        never touches the store, so another process ingesting at the same moment cannot fail it
        (Chroma's "Error finding id" on a stale HNSW index), and the result is the snapshot's."""
        if not self.docs or not mask.any():
            return []
        sims = np.where(mask, self.vectors @ (qvec / (np.linalg.norm(qvec) or 1.0)), -np.inf)
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(i), float(sims[i])) for i in top if np.isfinite(sims[i])]

    def lexical(self, query: str, mask: np.ndarray, n: int, *, bilingual: bool = True) -> list[tuple[int, float]]:
        """(doc index, BM25 score > 0), best first, among the docs allowed by ``mask``."""
        bm25 = self.bm25 if bilingual else self.bm25_plain
        q = tokens(query)
        if bm25 is None or not q:
            return []
        scores = np.where(mask, bm25.get_scores(q), 0.0)
        top = np.argsort(-scores)[:n]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def _codes_in(self, query: str) -> list[str]:
        return [c for c in product_codes(query) if c in self.code_index]

    def names_product(self, query: str) -> bool:
        """True when the query carries a product code or a product name found in the store's factsheets."""
        return bool(self._codes_in(query)) or any(name in query for name in self.product_names)

    def code_leg(self, codes: list[str], mask: np.ndarray, bm25_of: dict[int, float]) -> list[tuple[int, float]]:
        """Chunks that carry a product code named in the query, best BM25 first. An exact identifier is
        the strongest evidence a question has; without this leg the dense model (which cannot read
        codes) ranks generic FAQ answers above the product's own factsheet."""
        hits = {i for c in codes for i in self.code_index[c] if mask[i]}
        return sorted(((i, bm25_of.get(i, 0.0)) for i in hits), key=lambda t: (-t[1], t[0]))

    # -- fused ---------------------------------------------------------------------------------------
    def search(self, query: str, *, k: int = 5, audience: str | None = None, doc_type: str | None = None,
               product_code: str | None = None, mode: Mode = "hybrid", glossary: bool = True,
               lang: str | None = None, exclude_doc_type: str | None = None,
               include_blocked: bool = False) -> list[Passage]:
        """Top ``k`` passages; see the module docstring. ``glossary=False`` turns off both sides of the
        bilingual expansion and ``lang`` keeps only chunks in one language (both for measuring
        cross-language retrieval); ``exclude_doc_type`` drops one document type (the FAQ leaves out
        product factsheets unless the question names a product). ``include_blocked`` also returns
        passages the content screen flagged, marked ``blocked`` (the FAQ hands those questions to an RM)."""
        _validate(audience, doc_type)
        if not query or not query.strip():
            raise InvalidInput("the search text is empty", field="query", hint="type a question or keywords")
        q = expand_query(query) if glossary else query
        mask = self._mask(audience, doc_type, product_code, lang, exclude_doc_type, include_blocked)
        # Dense leg. An English question is embedded twice, raw and with the Chinese glossary terms
        # appended, and each chunk keeps its better cosine: the appended terms pull it towards Chinese
        # chunks (cross-language) but away from an English chunk with the same answer. A Chinese
        # question is embedded once, with same-language synonyms only (the model is the slow part).
        if not glossary:
            variants = [query]
        elif is_english(query):
            variants = [query] + ([q] if q != query else [])
        else:
            variants = [with_synonyms(query)]
        qvecs = [self.query_vector(v) for v in variants]
        dense: list[tuple[int, float]] = []
        if mode != "bm25":
            best_cos: dict[int, float] = {}
            for vec in qvecs:
                for i, c in self.dense(vec, mask, CANDIDATES):
                    best_cos[i] = max(c, best_cos.get(i, -1.0))
            dense = sorted(best_cos.items(), key=lambda t: -t[1])[:CANDIDATES]
        lexical = self.lexical(q, mask, CANDIDATES, bilingual=glossary) if mode != "dense" else []
        codes = self._codes_in(query) if mode != "dense" else []
        code_leg = self.code_leg(codes, mask, dict(lexical)) if codes else []
        fused: dict[int, float] = {}
        for leg, weight in ((dense, LEG_WEIGHTS["dense"]), (lexical, LEG_WEIGHTS["bm25"]),
                            (code_leg, LEG_WEIGHTS["code"])):
            for rank, (i, _) in enumerate(leg):
                fused[i] = fused.get(i, 0.0) + weight / (RRF_K + rank + 1)
        bm25_of = dict(lexical)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        # Cosine for every returned passage (also BM25-only ones): used by the FAQ confidence model.
        cos = (np.max(np.stack([self.vectors[best] @ (v / (np.linalg.norm(v) or 1.0)) for v in qvecs]), axis=0)
               if best else np.zeros(0))
        return [self._passage(i, fused[i], float(c), bm25_of.get(i)) for i, c in zip(best, cos, strict=True)]

    def _passage(self, i: int, score: float, dense: float, bm25: float | None) -> Passage:
        d = self.docs[i]
        m = d.meta
        page = int(m.get("page", -1))
        return Passage(
            id=d.id, score=score, text=d.text, title=m["title"], source=m["source"], section=m.get("section", ""),
            page=None if page < 0 else page, doc_type=m["doc_type"], audience=m["audience"],
            product_codes=list(m.get("product_codes") or []), version_date=m.get("version_date", ""),
            heading=m.get("heading", ""), lang=m.get("lang", "zh"), dense=dense, bm25=bm25,
            blocked=not bool(self.servable[i]),
        )


log = logging.getLogger(__name__)
_cache: dict[tuple[str, str], Retriever] = {}
_cache_lock = threading.Lock()


def get_retriever(store_dir: Path | str, settings: Any = None) -> Retriever:
    """The cached retriever for ``store_dir``, rebuilt when the store changed since it was loaded."""
    mode = getattr(settings, "embedding_mode", "bundled") if settings is not None else "bundled"
    key = (str(Path(store_dir).resolve()), mode)
    with _cache_lock:
        r = _cache.get(key)
        gen = generation(store_dir)
        if r is None or r.generation != gen:
            if gen and not written_here(store_dir, gen):
                # Another process (``wealthdesk kb ingest``) changed the store: this process's Chroma
                # client holds its own cached view of the files, so read the new version with a fresh one.
                reset_client(store_dir)
            try:
                r = _cache[key] = Retriever(store_dir, settings)
            except (DataUnavailable, ConfigurationError, InvalidInput):
                raise
            except Exception as exc:  # caught mid-write by another process: keep serving the last snapshot
                if r is None:
                    reset_client(store_dir)
                    r = _cache[key] = Retriever(store_dir, settings)
                else:
                    log.warning("knowledge store reload failed (%s); serving the previous version", type(exc).__name__)
        return r


def search(query: str, *, store_dir: Path | str, k: int = 5, audience: str | None = None,
           doc_type: str | None = None, product_code: str | None = None, settings: Any = None,
           mode: Mode = "hybrid", glossary: bool = True, lang: str | None = None) -> list[Passage]:
    """Hybrid search of the knowledge base; see ``Retriever.search``."""
    return get_retriever(store_dir, settings).search(
        query, k=k, audience=audience, doc_type=doc_type, product_code=product_code, mode=mode, glossary=glossary,
        lang=lang,
    )
