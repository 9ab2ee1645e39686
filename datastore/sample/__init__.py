"""Deterministic sample book: market, funds, clients, products, corporates.

``generate()`` returns ``{table name: DataFrame}`` with exactly the schema columns (positions excluded:
they are derived from transactions by ``load_sample``). Same bytes every run: fixed seeds, no wall
clock. ``digest(tables)`` is the sha256 the loader stores in ``meta['sample_digest']``.

    >>> tables = generate(); sorted(tables)[:3]
    ['client_cash', 'clients', 'corporate_credit']
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd

from datastore.sample.clients import SCENARIOS
from datastore.sample.loader import digest, load_sample
from datastore.schema import Base

AS_OF = date(2026, 11, 20)


# Optional columns only vendor imports fill (left NULL by the sample, and outside its digest).
IMPORT_ONLY: dict[str, frozenset[str]] = {"fund_holdings": frozenset({"shares", "market_value"})}


@lru_cache(maxsize=1)
def _generate_cached() -> tuple[dict[str, pd.DataFrame], str]:
    """(tables, digest) of one generation; shared read-only by ``generate`` and the loader."""
    from datastore.sample.clients import generate_clients
    from datastore.sample.corporates import generate_corporates
    from datastore.sample.funds import generate_funds
    from datastore.sample.market import generate_market
    from datastore.sample.products import generate_products

    market = generate_market()
    funds = generate_funds(market)
    products = generate_products()
    clients = generate_clients(funds, products, market.days)
    tables = {**market.tables, **funds.tables, "products": products, **clients, **generate_corporates()}
    out = {}
    for name, df in tables.items():
        cols = [c.name for c in Base.metadata.tables[name].columns if c.name not in IMPORT_ONLY.get(name, ())]
        missing = set(cols) - set(df.columns)
        if missing:
            raise RuntimeError(f"generator for {name} lacks columns {sorted(missing)}")
        out[name] = df[cols].reset_index(drop=True)
    return out, digest(out)


def generate() -> dict[str, pd.DataFrame]:
    """All sample tables (fresh copies; the expensive generation runs once per process)."""
    return {k: v.copy() for k, v in _generate_cached()[0].items()}


def sample_digest() -> str:
    """The digest of the generated tables (computed once per process)."""
    return _generate_cached()[1]


__all__ = ["AS_OF", "SCENARIOS", "digest", "generate", "load_sample", "sample_digest"]
