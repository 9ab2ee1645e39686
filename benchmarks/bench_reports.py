"""Report build timings: client proposal and due diligence, offline, charts included.

Usage: ``python benchmarks/bench_reports.py [--db sqlite:///var/wealthdesk.db] [--runs 5]``. Without
``--db`` it loads the sample book into a temporary SQLite file first. Prints the cold build (first in the
process: imports done, caches empty — fund exposures, fonts) and the warm median/max over ``--runs``;
the target is ≤ 2 s per report warm. CPU time is printed too, because wall time on this shared 2-core
machine moves with whatever else is running.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="SQLAlchemy URL of a loaded database (default: fresh sample in a temp dir)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--client", default="C0001")
    ap.add_argument("--rm", default="RM001")
    ap.add_argument("--company", default="E006")
    args = ap.parse_args()

    from assistant.access import Caller
    from datastore.engine import get_engine
    from services.due_diligence import build_due_diligence
    from services.proposal import build_proposal

    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    if args.db:
        engine = get_engine(args.db)
    else:
        from datastore.sample import load_sample

        t = time.perf_counter()
        engine = get_engine(f"sqlite:///{tmp / 'sample.db'}")
        load_sample(engine)
        print(f"sample data loaded in {time.perf_counter() - t:.1f} s")

    caller = Caller.rm(args.rm)
    jobs = {
        "proposal": lambda i: build_proposal(engine, caller, args.client, tmp / f"p{i}.docx"),
        "due_diligence": lambda i: build_due_diligence(
            engine, caller, args.company, "credit", tmp / f"d{i}.docx"
        ),
    }
    for name, job in jobs.items():
        t = time.perf_counter()
        result = job(0)
        cold = time.perf_counter() - t
        warm, cpu = [], []
        for i in range(1, args.runs + 1):
            t, c = time.perf_counter(), time.process_time()
            job(i)
            warm.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        status = "OK" if statistics.median(warm) <= 2.0 else "SLOW"
        print(
            f"{name:14s} cold {cold:5.2f} s | warm median {statistics.median(warm):5.2f} s, max {max(warm):5.2f} s "
            f"over {args.runs} (CPU median {statistics.median(cpu):5.2f} s) | {len(result.sections)} sections, {len(result.figures)} figures, "
            f"ungrounded {len(result.ungrounded_numbers)} | target ≤ 2 s: {status}"
        )


if __name__ == "__main__":
    main()
