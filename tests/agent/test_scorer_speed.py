"""The intent scorer's speed paths give the same scores as the plain computation: the vectorised per-tool
top-k equals the per-tool loop, the query-embedding cache only skips repeats, and scoring needs no Chroma."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from assistant.offline import scorer


def test_vectorised_top_k_equals_the_per_tool_loop() -> None:
    idx = scorer.index()
    rng = np.random.default_rng(11)
    queries = [idx.vectors[i] for i in range(0, len(idx.vectors), 7)]
    queries += [v / np.linalg.norm(v) for v in rng.standard_normal((50, idx.vectors.shape[1])).astype(np.float32)]
    for q in queries:
        fast = idx.similarities(q)
        plain = idx._similarities_loop(idx.vectors @ q)
        np.testing.assert_array_equal(fast, plain)
        assert [t for t, _ in idx.rank(fast)] == [t for t, _ in idx.rank(plain)]


def test_a_tool_with_fewer_than_top_k_exemplars_averages_what_it_has() -> None:
    idx = scorer.index()
    q = idx.vectors[0]
    sims = idx.vectors @ q
    keep = np.flatnonzero(idx.labels == 0)[:2]  # tool 0 keeps only two exemplars
    labels = idx.labels.copy()
    drop = np.setdiff1d(np.flatnonzero(idx.labels == 0), keep)
    labels[drop] = 1
    trimmed = object.__new__(scorer.IntentIndex)
    trimmed.tools, trimmed.labels, trimmed.vectors = idx.tools, labels, idx.vectors
    counts = np.bincount(labels, minlength=len(idx.tools))
    trimmed._slots = np.full((len(idx.tools), int(counts.max())), len(labels), dtype=np.intp)
    for i in range(len(idx.tools)):
        rows = np.flatnonzero(labels == i)
        trimmed._slots[i, : len(rows)] = rows
    trimmed._k = min(scorer.TOP_K, int(counts.min()))
    assert trimmed.similarities(q)[0] == pytest.approx(float(np.sort(sims[keep]).mean()))


def test_repeated_masked_text_reuses_the_embedding_and_new_text_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real = scorer._embed

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(scorer, "_embed", counting)
    scorer.index()
    scorer._query_vector.cache_clear()
    first = scorer.score("林辉静现金还剩多少", ("林辉静",))
    again = scorer.score("李桂现金还剩多少", ("李桂",))  # another name, same masked text
    assert calls == [["C0001现金还剩多少"]]
    assert first == again
    scorer.score("C0001的XIRR多少")
    assert calls[-1] == ["C0001的XIRR多少"] and len(calls) == 2
    scorer._query_vector.cache_clear()
    uncached = scorer.score("林辉静现金还剩多少", ("林辉静",))
    assert [t for t, _ in uncached] == [t for t, _ in first]
    np.testing.assert_allclose([p for _, p in uncached], [p for _, p in first], atol=1e-6)


def test_scoring_does_not_import_the_vector_store() -> None:
    code = ("import sys; from assistant.offline import scorer; scorer._embed(['C0001现金多少']); "
            "print('chromadb' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False"
