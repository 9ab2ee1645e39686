"""Market-side reads (the shelf, NAV rows, latest prices, splits, index levels) once per data version.

A warm ``ask`` about one client re-read the whole product shelf, the client's funds' NAV history and the
benchmark indices on every question: ~70% of "C0001近一年收益怎么样". These rows change only when data
is loaded or imported, which changes ``services.loading.data_version`` (importers bump it), so they are
kept per (engine, read, arguments, data version). Client rows (positions, transactions, cash) are never
cached here. Every caller gets its own copy, so no one can change another caller's frame.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import pandas as pd
from sqlalchemy import Engine

MAX_ENTRIES = 256  # a sample book needs ~60; the bound keeps a long-lived server's memory flat

_READS: OrderedDict[tuple[Hashable, ...], pd.DataFrame] = OrderedDict()
_LOCK = threading.Lock()


def market_read(engine: Engine, version: str, name: str, args: tuple[Hashable, ...],
                read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``read()`` once per (engine, ``version``, ``name``, ``args``); a copy of the frame every time."""
    key = (engine, version, name, args)  # the engine itself, not id(): a collected engine's id is reused
    with _LOCK:
        hit = _READS.get(key)
        if hit is not None:
            _READS.move_to_end(key)
    if hit is None:
        hit = read()
        with _LOCK:
            _READS[key] = hit
            while len(_READS) > MAX_ENTRIES:
                _READS.popitem(last=False)
    return hit.copy()
