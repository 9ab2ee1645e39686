"""A synthetic bank as Parquet tables with the canonical batch columns (docs/batch.md), for the batch
benchmark and tests: the market and shelf of ``bench_analytics`` (funds with full and top-10 disclosures,
feeders, FOFs), RMs of ~333 clients each (≈ 6,000 RMs for 2 million clients), 5 positions per client.

    from synthetic_bank import write_bank
    write_bank(Path("/tmp/bank"), n_clients=10_000)   # → /tmp/bank/{rms,clients,positions,cash,products,...}.parquet
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from bench_analytics import AS_OF, synthetic_market, synthetic_products

CLIENTS_PER_RM = 333


def bank_tables(n_clients: int, *, n_funds: int = 200, clients_per_rm: int = CLIENTS_PER_RM,
                seed: int = 2026) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    market = synthetic_market(n_funds, rng)
    products = synthetic_products(market, rng)
    n_rms = max(1, -(-n_clients // clients_per_rm))
    rms = pd.DataFrame({"id": [f"RM{i:05d}" for i in range(n_rms)], "name": [f"经理{i}" for i in range(n_rms)],
                        "branch": [f"分行{i % 22:02d}" for i in range(n_rms)]})
    ids = np.char.add("C", np.char.zfill(np.arange(n_clients).astype(str), 8))
    clients = pd.DataFrame({
        "id": ids,
        "name": np.char.add("客户", np.arange(n_clients).astype(str)),
        "rm_id": rms["id"].to_numpy()[np.arange(n_clients) // clients_per_rm],
        "risk_level": rng.choice(["C1", "C2", "C3", "C4", "C5"], n_clients),
        "risk_assessed_on": (pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 500, n_clients), unit="D")).date,
        "monthly_expense": rng.uniform(5_000, 50_000, n_clients),
        "age": rng.integers(25, 80, n_clients),
    })
    per = 5
    pos = pd.DataFrame({"client_id": np.repeat(ids, per),
                        "product_code": rng.choice(products["code"].to_numpy(), n_clients * per)})
    pos = pos.drop_duplicates(["client_id", "product_code"]).reset_index(drop=True)
    pos["cost"] = rng.uniform(10_000, 500_000, len(pos))
    pos["market_value"] = pos["cost"] * rng.normal(1.0, 0.12, len(pos)).clip(0.3)
    pos["shares"] = pos["market_value"]  # unit price 1: the batch reads market values, shares are informational
    cash = pd.DataFrame({"client_id": ids, "balance": rng.exponential(80_000, n_clients)})
    products = products.assign(maturity_date=pd.to_datetime(products["maturity_date"]).dt.date)
    return {"rms": rms, "clients": clients, "positions": pos, "cash": cash, "products": products,
            "funds": market.funds, "fund_holdings": market.fund_holdings,
            "fund_asset_allocation": market.fund_asset_allocation, "securities": market.securities,
            "industries": market.industries}


def write_bank(root: Path, n_clients: int, **kw: object) -> Path:
    """Write the synthetic bank under ``root`` (one ``<table>.parquet`` per table); returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, df in bank_tables(n_clients, **kw).items():  # type: ignore[arg-type]
        df.to_parquet(root / f"{name}.parquet", index=False)
    return root
