"""Analytics speed and memory on synthetic data (prints figures; no assertions).

Targets (issue #3): look-through of one client with ≤10 funds ≤ 20 ms warm; a book scan of 10,000
clients (≈50,000 positions, 200 funds with full holdings) ≤ 10 s on a 2-core machine; memory < 2 GB.

    .venv/bin/python benchmarks/bench_analytics.py [--clients 10000] [--funds 200]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from datetime import date

import numpy as np
import pandas as pd

from analytics.book import BookFrames, scan_book
from analytics.inputs import ClientBook, MarketFrames
from analytics.lookthrough import MIX_CLASSES, build_fund_exposures, lookthrough_client

AS_OF = date(2026, 11, 20)


def synthetic_market(n_funds: int, rng: np.random.Generator) -> MarketFrames:
    n_stock, n_bond = 3000, 600
    industries = pd.DataFrame(
        {"code": [f"8010{i:02d}" for i in range(31)], "name": [f"行业{i}" for i in range(31)]}
    )
    stocks = pd.DataFrame(
        {
            "id": [f"S{i:05d}" for i in range(n_stock)],
            "name": [f"股票{i}" for i in range(n_stock)],
            "kind": "stock",
            "industry_code": rng.choice(industries["code"], n_stock),
        }
    )
    bonds = pd.DataFrame(
        {
            "id": [f"B{i:05d}" for i in range(n_bond)],
            "name": [f"债券{i}" for i in range(n_bond)],
            "kind": "bond",
            "industry_code": None,
        }
    )
    securities = pd.concat([stocks, bonds], ignore_index=True)
    types = rng.choice(["equity", "hybrid", "bond", "index", "money"], n_funds, p=[0.3, 0.3, 0.2, 0.15, 0.05])
    codes = [f"{i:06d}" for i in range(n_funds)]
    types[-10:-5] = "feeder"
    types[-5:] = "fof"
    funds = pd.DataFrame(
        {
            "code": codes,
            "name": [f"基金{c}" for c in codes],
            "type": types,
            "is_etf": types == "index",
            "target_fund_code": None,
            "manager_id": [f"M{i % 80:03d}" for i in range(n_funds)],
            "company_id": [f"C{i % 25:02d}" for i in range(n_funds)],
            "risk_level": np.where(np.isin(types, ["bond", "money"]), "R2", "R4"),
        }
    )
    index_codes = [c for c, t in zip(codes, types, strict=True) if t == "index"]
    rows, alloc = [], []
    full_d, top_d = pd.Timestamp("2026-06-30"), pd.Timestamp("2026-09-30")
    full_p, top_p = pd.Timestamp("2026-08-30"), pd.Timestamp("2026-10-21")
    for i, (code, t) in enumerate(zip(codes, types, strict=True)):
        if t in ("feeder", "fof"):
            held = (
                [index_codes[i % len(index_codes)]]
                if t == "feeder"
                else list(rng.choice(codes[:150], 6, replace=False))
            )
            w = [0.92] if t == "feeder" else list(np.full(6, 0.9 / 6))
            for r, (h, x) in enumerate(zip(held, w, strict=True)):
                rows.append((code, full_d, full_p, "full", r + 1, None, h, x))
            alloc.append((code, full_d, full_p, 0.0, 0.0, sum(w), 1 - sum(w), 0.0))
            continue
        stock_share = {"equity": 0.9, "hybrid": 0.6, "bond": 0.05, "index": 0.95, "money": 0.0}[t]
        bond_share = {"equity": 0.03, "hybrid": 0.3, "bond": 0.9, "index": 0.0, "money": 0.6}[t]
        n_s = 0 if stock_share == 0 else int(rng.integers(60, 250))
        s_ids = rng.choice(n_stock, n_s, replace=False)
        s_w = rng.dirichlet(np.full(n_s, 0.6)) * stock_share if n_s else np.array([])
        b_ids = rng.choice(n_bond, 40, replace=False)
        b_w = rng.dirichlet(np.ones(40)) * bond_share
        for r, (k, x) in enumerate(zip(s_ids, s_w, strict=True)):
            rows.append((code, full_d, full_p, "full", r + 1, f"S{k:05d}", None, x))
        for r, (k, x) in enumerate(zip(b_ids, b_w, strict=True)):
            rows.append((code, full_d, full_p, "full", n_s + r + 1, f"B{k:05d}", None, x))
        if n_s:
            drift = s_w * rng.uniform(0.8, 1.2, n_s)
            top = np.argsort(-drift)[:10]
            for r, k in enumerate(top):
                rows.append((code, top_d, top_p, "top10", r + 1, f"S{s_ids[k]:05d}", None, drift[k]))
        cash = max(1 - stock_share - bond_share, 0.0)
        alloc.append((code, top_d, top_p, stock_share, bond_share, 0.0, cash, 0.0))
    holdings = pd.DataFrame(
        rows,
        columns=[
            "fund_code",
            "report_date",
            "published_on",
            "disclosure",
            "rank",
            "security_id",
            "held_fund_code",
            "weight",
        ],
    )
    allocation = pd.DataFrame(
        alloc, columns=["fund_code", "report_date", "published_on", "stock", "bond", "fund", "cash", "other"]
    )
    return MarketFrames(
        funds=funds,
        fund_holdings=holdings,
        fund_asset_allocation=allocation,
        securities=securities,
        industries=industries,
    )


def synthetic_products(market: MarketFrames, rng: np.random.Generator) -> pd.DataFrame:
    f = market.funds
    fund_products = pd.DataFrame(
        {
            "code": f["code"],
            "name": f["name"],
            "kind": "fund",
            "fund_code": f["code"],
            "asset_class": np.where(
                f["type"].isin(["bond"]), "fixed_income", np.where(f["type"] == "money", "cash", "equity")
            ),
            "risk_level": f["risk_level"],
            "maturity_date": None,
            "status": "on_shelf",
            "min_amount": 1.0,
            "expected_yield": None,
        }
    )
    n = 50
    kinds = rng.choice(["wmp", "deposit", "insurance"], n, p=[0.6, 0.3, 0.1])
    other = pd.DataFrame(
        {
            "code": [f"P{i:03d}" for i in range(n)],
            "name": [f"产品{i}" for i in range(n)],
            "kind": kinds,
            "fund_code": None,
            "asset_class": pd.Series(kinds).map(
                {"wmp": "fixed_income", "deposit": "cash", "insurance": "protection"}
            ),
            "risk_level": np.where(kinds == "wmp", "R2", "R1"),
            "maturity_date": [AS_OF + pd.Timedelta(days=int(d)) for d in rng.integers(-100, 400, n)],
            "status": "on_shelf",
            "min_amount": 1.0,
            "expected_yield": 0.025,
        }
    )
    return pd.concat([fund_products, other], ignore_index=True)


def synthetic_book(n_clients: int, products: pd.DataFrame, rng: np.random.Generator) -> BookFrames:
    ids = [f"C{i:06d}" for i in range(n_clients)]
    clients = pd.DataFrame(
        {
            "id": ids,
            "name": [f"客户{i}" for i in range(n_clients)],
            "rm_id": [f"RM{i % 50:03d}" for i in range(n_clients)],
            "risk_level": rng.choice(["C1", "C2", "C3", "C4", "C5"], n_clients),
            "risk_assessed_on": [AS_OF - pd.Timedelta(days=int(d)) for d in rng.integers(0, 500, n_clients)],
            "monthly_expense": rng.uniform(5_000, 50_000, n_clients),
            "age": rng.integers(25, 80, n_clients),
        }
    )
    per = 5
    pos = pd.DataFrame(
        {
            "client_id": np.repeat(ids, per),
            "product_code": rng.choice(products["code"].to_numpy(), n_clients * per),
        }
    )
    pos = pos.drop_duplicates(["client_id", "product_code"]).reset_index(drop=True)
    pos["cost"] = rng.uniform(10_000, 500_000, len(pos))
    pos["market_value"] = pos["cost"] * rng.normal(1.0, 0.12, len(pos)).clip(0.3)
    cash = pd.DataFrame({"client_id": ids, "balance": rng.exponential(80_000, n_clients)})
    return BookFrames(clients=clients, positions=pos, products=products, cash=cash)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=10_000)
    ap.add_argument("--funds", type=int, default=200)
    ap.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slows timings)"
    )
    args = ap.parse_args()
    rng = np.random.default_rng(2026)
    if args.tracemalloc:
        tracemalloc.start()

    t = time.perf_counter()
    market = synthetic_market(args.funds, rng)
    products = synthetic_products(market, rng)
    print(
        f"synthetic market: {args.funds} funds, {len(market.fund_holdings):,} holding rows "
        f"({time.perf_counter() - t:.2f} s to generate)"
    )

    t = time.perf_counter()
    exposures = build_fund_exposures(market, AS_OF)
    t_build = time.perf_counter() - t
    print(
        f"build_fund_exposures (once per as-of date): {t_build * 1000:.0f} ms, "
        f"{exposures.weights.shape[0]} funds × {exposures.weights.shape[1]} securities"
    )

    held = products[products["kind"] == "fund"].sample(10, random_state=1)
    extra = products[products["kind"] == "deposit"].head(1)
    pos = pd.concat([held, extra])[["code"]].rename(columns={"code": "product_code"})
    pos["shares"] = pos["cost"] = pos["market_value"] = rng.uniform(50_000, 300_000, len(pos))
    client = pd.Series(
        {
            "id": "C000001",
            "risk_level": "C4",
            "risk_assessed_on": AS_OF,
            "age": 45,
            "monthly_expense": 20_000.0,
        }
    )
    book = ClientBook(client=client, positions=pos, products=products, as_of=AS_OF, cash=50_000.0)
    lookthrough_client(book, exposures)  # warm-up
    times, cpu = [], []
    for _ in range(100):
        t, c = time.perf_counter(), time.process_time()
        lt = lookthrough_client(book, exposures)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    # CPU time is reported too: on a shared 2-core machine, wall time includes waiting for a core.
    print(
        f"lookthrough_client, 10 funds + 1 deposit, warm: wall median {statistics.median(times):.1f} ms "
        f"(p90 {np.percentile(times, 90):.1f}), CPU median {statistics.median(cpu):.1f} ms (target ≤ 20 ms); "
        f"coverage {lt.coverage:.3f}, {len(lt.overlap)} overlap pairs"
    )

    frames = synthetic_book(args.clients, products, rng)
    fund_equity = pd.Series(exposures.asset_mix[:, MIX_CLASSES.index("equity")], index=exposures.fund_codes)
    frames = BookFrames(
        clients=frames.clients,
        positions=frames.positions,
        products=products,
        cash=frames.cash,
        funds=market.funds[["code", "manager_id"]],
        fund_equity=fund_equity,
    )
    t, c = time.perf_counter(), time.process_time()
    found = scan_book(frames, as_of=AS_OF)
    t_scan, c_scan = time.perf_counter() - t, time.process_time() - c
    print(
        f"scan_book: {args.clients:,} clients, {len(frames.positions):,} positions → {len(found):,} findings "
        f"in {t_scan:.2f} s wall / {c_scan:.2f} s CPU (+ {t_build:.2f} s exposures) (target ≤ 10 s)"
    )
    print("  by rule: " + ", ".join(f"{k} {v}" for k, v in found["rule"].value_counts().items()))

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    traced = ""
    if args.tracemalloc:
        traced = f"tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB, "
    print(f"memory: {traced}max RSS of the whole run {rss:.0f} MiB (target < 2048 MiB)")


if __name__ == "__main__":
    main()
