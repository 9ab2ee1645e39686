"""Offline understanding latency: the intent scorer alone and the whole ``plan()`` (targets: scorer p50 ≤ 10 ms).

Run: ``python benchmarks/bench_intent.py [--rounds 20]``. Loads the sample data set into a temp SQLite file
(not timed), builds the exemplar index once (timed separately: cold vs disk-cached), then times ``score()``
and ``plan()`` over a mixed set of questions (rules-decided and scorer-decided).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

QUESTIONS = ["C0001现金还剩多少啊", "How many clients do I have?", "and her XIRR?", "年化多少", "风测过期的客户有几个",
             "林辉静要不要调仓", "001104最大回撤多少", "帮我看看所有客户的到期情况", "穿透一下林辉静再看看要不要调仓",
             "C0005买003301可以吗", "What is 林辉静's total AUM?", "推荐几款R2的理财"]


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    from assistant.access import Caller
    from assistant.offline import scorer
    from assistant.offline.lexicon import load_lexicon
    from assistant.offline.understand import plan
    from datastore.engine import get_engine
    from datastore.sample import load_sample

    engine = get_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
    load_sample(engine)
    lex = load_lexicon(engine, Caller.rm("RM001"))
    t0 = time.perf_counter()
    scorer.index()
    print(f"exemplar index ({len(scorer.index().labels)} exemplars): {(time.perf_counter() - t0) * 1000:.0f} ms "
          "(cold = embedding; warm = var/intent_cache)")
    for q in QUESTIONS:
        plan(q, lex, {})  # warm-up
    score_ms: list[float] = []
    plan_ms: list[float] = []
    for _ in range(args.rounds):
        for q in QUESTIONS:
            t = time.perf_counter()
            scorer.score(q)
            score_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            plan(q, lex, {})
            plan_ms.append((time.perf_counter() - t) * 1000)
    for label, xs, target in (("score()", score_ms, 10.0), ("plan()", plan_ms, None)):
        p50 = statistics.median(xs)
        verdict = f"  target p50 ≤ {target:.0f} ms: {'ok' if p50 <= target else 'MISS'}" if target else ""
        print(f"{label:8s} p50 {p50:6.1f} ms  p95 {_pct(xs, 0.95):6.1f} ms{verdict}")


if __name__ == "__main__":
    main()
