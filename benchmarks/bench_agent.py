"""Warm `ask` latency in offline mode (target, issue 10/11: p50 ≤ 50 ms).

Run: ``python benchmarks/bench_agent.py [--db URL] [--rounds 5]``. Without ``--db`` the sample data set is
loaded into a temp SQLite file first (not timed). Each question is asked once to warm caches (fund
exposures, lexicon, imports), then ``--rounds`` times; prints p50/p95 per question and overall.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

TARGET_MS = 50.0  # warm p50 over all questions (issues 10 and 11)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="SQLAlchemy URL of a loaded database (default: fresh sample copy)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    from assistant.access import Caller
    from assistant.agent import ask
    from assistant.settings import Settings
    from datastore.engine import create_schema, get_engine
    from datastore.repositories.lexicon import client_names

    if args.db:
        engine = get_engine(args.db)
        create_schema(engine)
    else:
        from datastore.sample import load_sample

        engine = get_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
        load_sample(engine)
    settings = Settings(var_dir=Path(tempfile.mkdtemp()), llm_mode="offline", _env_file=None)  # type: ignore[call-arg]
    caller = Caller.rm("RM001")
    cid, name = client_names(engine, "RM001")[0]
    questions = [
        f"{cid}近一年收益怎么样",
        f"帮我穿透一下{name}的持仓",
        f"{cid}的行业分布",
        f"{name}的资产配置需要再平衡吗",
        "华鼎成长混合怎么样",
        f"给{name}推荐50万的产品",
        "今天天气怎么样",
        "收益怎么样",
    ]
    for q in questions:  # warm-up
        ask(q, caller=caller, engine=engine, settings=settings)
    all_ms: list[float] = []
    print(f"{'question':40s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for q in questions:
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            ask(q, caller=caller, engine=engine, settings=settings)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        all_ms.extend(times)
        print(f"{q[:40]:40s} {statistics.median(times):8.1f} {times[int(0.95 * (len(times) - 1))]:8.1f}")
    all_ms.sort()
    p50 = statistics.median(all_ms)
    print(f"{'ALL':40s} {p50:8.1f} {all_ms[int(0.95 * (len(all_ms) - 1))]:8.1f}   target p50 ≤ {TARGET_MS:.0f} ms: "
          f"{'ok' if p50 <= TARGET_MS else 'MISS'}")


if __name__ == "__main__":
    main()
