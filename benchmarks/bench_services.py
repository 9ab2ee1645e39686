"""Business-layer latency: warm service calls on the sample book, and a book query over a 10,000-client book.

Targets (issue 10): client overview ≤ 20 ms warm; book queries over 10,000 clients ≤ 1 s.

Run: ``python benchmarks/bench_services.py [--clients 10000] [--rounds 30]``. The sample data set is loaded
into a temp SQLite file; the large book is the sample's shelf and market plus synthetic clients (5
positions each, a cash balance) appended to RM001's book, so the query reads everything from the database
exactly as in production; the data version is bumped afterwards, as an importer does, so no cache of the
40-client book is served. Prints p50/p95 per call. For the large book: "first" = the first call after the
data changed (market and exposure caches rebuilt too), "recomputed" = the book scan's per-version cache
cleared before every call (what a new question costs), "cached" = a repeat within the cache's minute (the
pages of one list).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _timed(fn, rounds: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()  # warm
    ts = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    return statistics.median(ts), ts[int(0.95 * (len(ts) - 1))]


def _grow(engine, n: int) -> None:  # type: ignore[no-untyped-def]
    """Append ``n`` synthetic clients with positions and cash to RM001's book."""
    rng = np.random.default_rng(2026)
    with engine.connect() as c:
        base = pd.read_sql("select * from clients limit 1", c)
        products = pd.read_sql("select code from products", c)["code"].to_numpy()
        as_of = pd.read_sql("select value from meta where key = 'as_of'", c)["value"].iloc[0]
    ids = [f"X{i:07d}" for i in range(n)]
    cl = pd.concat([base] * n, ignore_index=True)
    cl["id"], cl["rm_id"], cl["name"] = ids, "RM001", [f"客户{i}" for i in range(n)]
    cl["risk_level"] = rng.choice(["C1", "C2", "C3", "C4", "C5"], n)
    cl["age"] = rng.integers(25, 85, n)
    cl["monthly_expense"] = rng.uniform(5_000, 50_000, n)
    pos = pd.DataFrame({"client_id": np.repeat(ids, 5), "product_code": rng.choice(products, n * 5)})
    pos = pos.drop_duplicates().reset_index(drop=True)
    pos["shares"] = rng.uniform(1_000, 200_000, len(pos))
    pos["cost"] = pos["shares"] * rng.uniform(0.8, 1.5, len(pos))
    pos["first_buy"] = pd.Timestamp("2023-01-03").date()
    pos["as_of"] = pd.Timestamp(as_of).date()
    cash = pd.DataFrame({"client_id": ids, "as_of": pd.Timestamp(as_of).date(),
                         "balance": rng.exponential(80_000, n)})
    with engine.begin() as c:
        cl.to_sql("clients", c, if_exists="append", index=False)
        cols = [r[1] for r in c.exec_driver_sql("pragma table_info(positions)")]
        pos[[k for k in pos.columns if k in cols]].to_sql("positions", c, if_exists="append", index=False)
        ccols = [r[1] for r in c.exec_driver_sql("pragma table_info(client_cash)")]
        cash[[k for k in cash.columns if k in ccols]].to_sql("client_cash", c, if_exists="append", index=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()

    from core.identity import Caller
    from datastore.engine import get_engine
    from datastore.repositories.meta import clear_cache
    from datastore.sample import load_sample
    from services import book, clients, funds, planning
    from services.deps import Deps

    path = Path(tempfile.mkdtemp()) / "bench.db"
    engine = get_engine(f"sqlite:///{path}")
    load_sample(engine)
    d = Deps.build(engine, Caller.rm("RM001"))
    calls = {
        "client_overview C0001": lambda: clients.client_overview(d, "C0001"),
        "client_performance C0001 (since purchase)": lambda: clients.client_performance(d, "C0001"),
        "fund_metrics 001101 1y": lambda: funds.fund_metrics(d, "001101", "1y"),
        "health_score C0001": lambda: planning.health_score(d, "C0001"),
        "book_query RM001 (40 clients)": lambda: book.book_query(d, book.BookQuery()),
    }
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; targets: client_overview ≤ 20 ms, "
          "book queries over 10,000 clients ≤ 1 s")
    print(f"{'call':48s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for name, fn in calls.items():
        p50, p95 = _timed(fn, args.rounds)
        print(f"{name:48s} {p50:8.1f} {p95:8.1f}")
    _grow(engine, args.clients)
    clear_cache()  # what an importer does after its commit: every per-version cache is rebuilt
    big = Deps.build(engine, Caller.rm("RM001"))
    t = time.perf_counter()
    n = book.book_query(big, book.BookQuery(page_size=1)).clients_scanned
    print(f"{f'book_query first call ({n} clients)':48s} {(time.perf_counter() - t) * 1000:8.1f}")
    rounds = max(3, args.rounds // 6)

    def recomputed(q: book.BookQuery) -> None:
        book._SCANS.clear()
        book.book_query(big, q)

    for name, q in (("book_query all rules", book.BookQuery()),
                    ("book_query maturing next month", book.BookQuery(rule="maturing", month="next"))):
        for how, fn in (("recomputed", lambda q=q: recomputed(q)), ("cached", lambda q=q: book.book_query(big, q))):
            p50, p95 = _timed(fn, rounds)
            print(f"{name + f' {how} ({n} clients)':48s} {p50:8.1f} {p95:8.1f}")
    p50, p95 = _timed(lambda: book.book_totals(big), rounds)
    print(f"{f'book_totals ({n} clients)':48s} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
