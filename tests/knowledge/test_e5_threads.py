"""The bundled model's thread choice: two threads for a query only while a core is idle, pinned by
OMP_NUM_THREADS, and never a different vector whatever the count."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import e5


@pytest.mark.parametrize(("cpus", "load", "want"), [(2, 0.2, 2), (2, 1.4, 2), (2, 1.6, 1), (2, 5.0, 1),
                                                     (1, 0.0, 1), (8, 3.0, 2)])
def test_query_threads_follow_the_idle_cores(monkeypatch: pytest.MonkeyPatch, cpus: int, load: float,
                                             want: int) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(e5, "_cpus", lambda: cpus)
    monkeypatch.setattr(e5.os, "getloadavg", lambda: (load, load, load))
    assert e5.query_threads() == want


def test_loading_the_model_leaves_no_pin_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    e5._e5.cache_clear()
    try:
        e5._e5()
        monkeypatch.setattr(e5, "_cpus", lambda: 2)
        monkeypatch.setattr(e5.os, "getloadavg", lambda: (4.0, 4.0, 4.0))
        assert "OMP_NUM_THREADS" not in e5.os.environ
        assert e5.query_threads() == 1
    finally:
        e5._e5.cache_clear()


def test_omp_num_threads_pins_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    monkeypatch.setattr(e5.os, "getloadavg", lambda: (9.0, 9.0, 9.0))
    assert e5.query_threads() == 3


def test_thread_count_never_changes_a_vector() -> None:
    model = e5._e5()
    texts = ["C0001现金还剩多少", "How many clients do I have?", "帮我看看所有客户的到期情况"]
    out = []
    for n in (1, 2):
        e5._set_threads(model, n)
        out.append(np.asarray(model.query(texts)))
    np.testing.assert_array_equal(out[0], out[1])
    assert e5.query_vectors(texts[:1]).shape == (1, 384)
