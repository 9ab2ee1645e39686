"""Sample data set: generation time, digest time, load time, row counts and database size.

Target (issue #2): generate + load ≤ 30 s on a 2-core machine. Prints figures; no assertions.

    .venv/bin/python benchmarks/bench_data.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from datastore.engine import get_engine
from datastore.sample import _generate_cached, digest, generate, load_sample


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="write the database into DIR instead of a temp dir")
    args = ap.parse_args()

    t0, c0 = time.perf_counter(), time.process_time()
    tables = generate()  # includes the digest of the generated tables (computed once per process)
    gen_wall, gen_cpu = time.perf_counter() - t0, time.process_time() - c0
    t1 = time.perf_counter()
    dg = digest(tables)
    dig_wall = time.perf_counter() - t1

    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="wd-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "bench.db"
    db.unlink(missing_ok=True)
    engine = get_engine(f"sqlite:///{db}")
    t2, c2 = time.perf_counter(), time.process_time()
    res = load_sample(engine)  # generation is cached in-process: this is insert + positions + FK check
    load_wall, load_cpu = time.perf_counter() - t2, time.process_time() - c2
    t3 = time.perf_counter()
    again = load_sample(engine)
    again_wall = time.perf_counter() - t3
    _generate_cached.cache_clear()
    t4 = time.perf_counter()
    verify = load_sample(engine, verify=True)
    verify_wall = time.perf_counter() - t4
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    print(f"generate() + digest:   {gen_wall:6.2f} s wall ({gen_cpu:.2f} s CPU)")
    print(f"digest() alone:        {dig_wall:6.2f} s   {dg[:16]}…")
    print(f"load (insert, derive): {load_wall:6.2f} s wall ({load_cpu:.2f} s CPU)   status={res['status']}")
    print(f"generate + load:       {gen_wall + load_wall:6.2f} s wall ({gen_cpu + load_cpu:.2f} s CPU; target ≤ 30 s)")
    print(f"second init:           {again_wall:6.2f} s   status={again['status']}")
    print(f"verify (regenerate):   {verify_wall:6.2f} s   status={verify['status']}")
    print(f"database size:         {db.stat().st_size / 2**20:6.1f} MiB  ({db})")
    total = 0
    for name, n in res["counts"].items():
        print(f"  {name:<24}{n:>10,}")
        total += n
    print(f"  {'total rows':<24}{total:>10,}")


if __name__ == "__main__":
    main()
