"""Nightly batch at bank scale: a synthetic bank (benchmarks/synthetic_bank.py, ~333 clients per RM, 5
positions per client, 200 funds) written as Parquet to a temp dir, then ``wealthdesk batch`` on it with
the local engine and with Spark ``local[2]``. Prints wall time, peak driver RSS (the Python process) and
peak RSS of its whole process tree (for Spark: + the JVM, whose executors run inside it in local mode,
and the Python workers), and a linear projection to 2 million clients. No assertions.

    .venv/bin/python benchmarks/bench_batch.py [--sizes 10000,100000,1000000] [--kinds book-scan,lookthrough]
        [--engines local,spark] [--lookthrough-max 100000]

Each run is a fresh subprocess, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
TARGET = 2_000_000


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if int((p / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(p.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def measured(cmd: list[str]) -> tuple[dict, float, float, float]:
    """(child's JSON summary, wall s, peak driver RSS MiB, peak process-tree RSS MiB)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = {"driver": 0, "tree": 0}

    def sample() -> None:
        while proc.poll() is None:
            peak["driver"] = max(peak["driver"], _rss_kib(proc.pid))
            peak["tree"] = max(peak["tree"], sum(_rss_kib(p) for p in _tree(proc.pid)))
            time.sleep(0.25)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    th.join()
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"run failed ({proc.returncode}): {' '.join(cmd)}")
    return json.loads(out.strip().splitlines()[-1]), wall, peak["driver"] / 1024, peak["tree"] / 1024


def child(args: argparse.Namespace) -> None:
    from synthetic_bank import AS_OF

    from assistant.batch.runner import RunOptions, run_batch

    s = run_batch(RunOptions(kind=args.kind, engine=args.engine, master=args.master, input=Path(args.input),
                             as_of=AS_OF, out=Path(args.out)))
    if s.get("engine") == "spark":
        from pyspark.sql import SparkSession

        SparkSession.builder.getOrCreate().stop()
    sys.stdout.write(json.dumps(s, default=str) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--kinds", default="book-scan,lookthrough")
    ap.add_argument("--engines", default="local,spark")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--lookthrough-max", type=int, default=100_000,
                    help="skip the look-through above this many clients (it is per client, ~ms each)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--kind")
    ap.add_argument("--engine")
    ap.add_argument("--input")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.child:
        return child(args)
    from synthetic_bank import write_bank

    results = []
    with tempfile.TemporaryDirectory(prefix="wd-bench-batch-") as tmp:
        for n in [int(x) for x in args.sizes.split(",")]:
            root = Path(tmp) / f"bank{n}"
            t = time.perf_counter()
            write_bank(root, n)
            size = sum(f.stat().st_size for f in root.iterdir()) / 2**20
            print(f"synthetic bank {n:,} clients: Parquet {size:.0f} MiB written in {time.perf_counter() - t:.1f} s",
                  flush=True)
            for kind in args.kinds.split(","):
                if kind == "lookthrough" and n > args.lookthrough_max:
                    print(f"  {kind}: skipped above --lookthrough-max {args.lookthrough_max:,}", flush=True)
                    continue
                for engine in args.engines.split(","):
                    out = Path(tmp) / f"out-{n}-{kind}-{engine}"
                    s, wall, drv, tree = measured([sys.executable, __file__, "--child", "--kind", kind, "--engine",
                                                   engine, "--master", args.master, "--input", str(root),
                                                   "--out", str(out)])
                    sec = s["seconds"]
                    results.append({"n": n, "kind": kind, "engine": engine, "wall": wall, "run": sec["run"],
                                    "driver": drv, "tree": tree, "rows": s["rows"]})
                    print(f"  {kind:<11} {engine:<5} wall {wall:7.1f} s (inputs {sec['inputs']:.1f}, run "
                          f"{sec['run']:.1f}, write {sec['write']:.1f}); {s['rows']:,} rows, "
                          f"{len(s['partitions']):,} partitions, {len(s['failures'])} failed; peak RSS driver "
                          f"{drv:,.0f} MiB, process tree {tree:,.0f} MiB", flush=True)
    print(f"projection to {TARGET:,} clients (linear in clients from the largest size run; {os.cpu_count()} cores):")
    for kind in args.kinds.split(","):
        for engine in args.engines.split(","):
            rs = [r for r in results if r["kind"] == kind and r["engine"] == engine]
            if not rs:
                continue
            r = max(rs, key=lambda r: r["n"])
            f = TARGET / r["n"]
            print(f"  {kind:<11} {engine:<5} from {r['n']:,}: run ≈ {r['run'] * f / 60:,.1f} min on this machine, "
                  f"≈ {r['run'] * f / 3600 * os.cpu_count():,.2f} core-hours; driver RSS "
                  f"{'≈ ' + format(r['driver'] * f / 1024, ',.1f') + ' GiB (whole book in one process)' if engine == 'local' else 'stays ≈ ' + format(r['driver'], ',.0f') + ' MiB (data stays in Spark)'}",
                  flush=True)


if __name__ == "__main__":
    main()
