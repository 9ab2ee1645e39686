"""One batch run end to end: inputs (database or ``--input DIR``), the engine, outputs under ``--out``
(``findings.parquet`` / ``exposures.parquet`` / ``reports.parquet`` + ``run_summary.json``), and
optionally the results back into the database (``--write-db``).
"""

from __future__ import annotations

import json
import resource
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import InvalidInput
from core.policy import DEFAULT_POLICY, Policy
from services.batch import inputs, schema
from services.batch.context import KINDS, BatchContext
from services.batch.partition import partition_rows


@dataclass
class RunOptions:
    kind: str
    out: Path
    engine: str = "local"  # local | spark
    master: str = "local[2]"
    input: Path | None = None  # a bank's Parquet tables; None = the WealthDesk database
    as_of: date | None = None  # required with --input; the database's as-of date otherwise
    rm: str | None = None
    branch: str | None = None
    write_db: bool = False
    top_n: int = 10
    lang: str = "zh"
    database_url: str | None = None
    policy: Policy = DEFAULT_POLICY
    spark: Any = field(default=None, repr=False)  # an existing SparkSession (tests, benchmarks)


def _check(o: RunOptions) -> None:
    if o.kind not in KINDS:
        raise InvalidInput(f"unknown batch {o.kind!r}", field="kind", hint=" | ".join(KINDS))
    if o.engine not in ("local", "spark"):
        raise InvalidInput(f"unknown engine {o.engine!r}", field="--engine", hint="local or spark")
    if o.input is not None and o.kind == "reports":
        raise InvalidInput("reports read the WealthDesk database (transactions, NAV history)", field="--input",
                           hint="drop --input for `batch reports`")
    if o.input is not None and o.as_of is None:
        raise InvalidInput("--input needs --as-of (the date the positions are valued at)", field="--as-of",
                           hint="e.g. --as-of 2026-11-20")
    if o.input is not None and not o.input.is_dir():
        raise InvalidInput(f"no such directory: {o.input}", field="--input")
    if o.write_db and not o.database_url:
        raise InvalidInput("--write-db needs a database", field="--write-db")


def _rms_from_clients(clients: pd.DataFrame) -> pd.DataFrame:
    ids = sorted(set(clients["rm_id"].dropna().astype(str)))
    return pd.DataFrame({"id": ids, "name": ids, "branch": ""})


def _engine(url: str):  # noqa: ANN202
    from datastore.engine import get_engine

    return get_engine(url)


def _inputs(o: RunOptions, ctx_opts: dict[str, Any]) -> tuple[BatchContext, list[str], Any, dict[str, Any]]:
    """(context, selected RM ids, partition frame (pandas, or Spark), counts)."""
    sel = inputs.Selection(rm=o.rm, branch=o.branch)
    if o.input is None:
        from datastore.repositories.meta import as_of_date

        engine = _engine(o.database_url or "")
        as_of = o.as_of or as_of_date(engine)
        ctx = inputs.context_from_db(engine, as_of, policy=o.policy, **ctx_opts)
        rm_ids = sel.rm_ids(inputs.rms_from_db(engine))
        if o.kind == "reports":
            from datastore.repositories.clients import list_clients

            cl = list_clients(engine)
            cl = cl[cl["rm_id"].isin(rm_ids)]
            book = inputs.BookTables(clients=cl[list(inputs.CLIENT_COLUMNS)],
                                     positions=pd.DataFrame(columns=list(inputs.POSITION_COLUMNS)),
                                     cash=pd.DataFrame(columns=list(inputs.CASH_COLUMNS)))
        else:
            book = inputs.book_from_db(engine, as_of, rm_ids)
        frame = partition_rows(book.clients, book.positions, book.cash)
        if o.engine == "spark":
            from assistant.batch.spark import from_pandas

            frame = from_pandas(o.spark, frame)
        return ctx, rm_ids, frame, {"input": "database"}
    from assistant.batch import io

    small = {t: io.read_table(o.input, t, required=t in ("products", "funds", "fund_holdings",
                                                           "fund_asset_allocation", "securities"))
             for t in ("products", *inputs.MARKET_TABLES)}
    ctx = inputs.context_from_tables({k: v for k, v in small.items() if v is not None}, o.as_of,  # type: ignore[arg-type]
                                     policy=o.policy, **ctx_opts)
    if o.engine == "spark":
        from assistant.batch.spark import partition_frame, read_tables

        t = read_tables(o.spark, o.input, ("rms", "clients", "positions", "cash"))
        for need in ("clients", "positions"):
            if need not in t:
                io.read_table(o.input, need)  # raises the clear "no table" error
        rms = t["rms"].toPandas() if "rms" in t else _rms_from_clients(t["clients"].select("rm_id").distinct().toPandas())
        rm_ids = sel.rm_ids(rms)
        every = o.rm is None and o.branch is None
        return ctx, rm_ids, partition_frame(t["clients"], t["positions"], t.get("cash"), None if every else rm_ids), \
            {"input": str(o.input)}
    tables = {n: io.read_table(o.input, n, required=n in ("clients", "positions"))
              for n in ("rms", "clients", "positions", "cash")}
    inputs.check_book({k: v for k, v in tables.items() if v is not None})  # type: ignore[misc]
    clients, positions = tables["clients"], tables["positions"]
    rms = tables["rms"] if tables["rms"] is not None else _rms_from_clients(clients)  # type: ignore[arg-type]
    rm_ids = sel.rm_ids(rms)
    frame = partition_rows(clients, positions, tables["cash"])  # type: ignore[arg-type]
    if o.rm is not None or o.branch is not None:
        frame = frame[frame["rm_id"].isin(rm_ids)]
    return ctx, rm_ids, frame, {"input": str(o.input)}


def run_batch(o: RunOptions) -> dict[str, Any]:
    """Run one batch and return its summary (also written to ``out/run_summary.json``)."""
    _check(o)
    t0 = time.perf_counter()
    o.out.mkdir(parents=True, exist_ok=True)
    ctx_opts: dict[str, Any] = {"top_n": o.top_n, "lang": o.lang}
    if o.kind == "reports":
        ctx_opts |= {"database_url": o.database_url, "reports_dir": str((o.out / "reports").resolve())}
    if o.engine == "spark" and o.spark is None:
        from assistant.batch.spark import spark_session

        o.spark = spark_session(o.master)
    ctx, rm_ids, frame, meta = _inputs(o, ctx_opts)
    t_in = time.perf_counter()
    target = o.out / schema.OUTPUT_FILES[o.kind]
    cols = schema.OUTPUTS[o.kind]
    if o.engine == "local":
        from assistant.batch.io import write_frame
        from assistant.batch.local import run_local

        rows, stats = run_local(o.kind, frame, ctx)
        t_run = time.perf_counter()
        write_frame(rows, target, cols)
        n_rows = len(rows)
    else:
        from assistant.batch.spark import run_spark

        stats, n_rows = run_spark(o.spark, o.kind, frame, ctx, target)
        t_run = time.perf_counter()
    t_out = time.perf_counter()
    summary = _summary(o, ctx, stats, n_rows, target, meta,
                       {"inputs": t_in - t0, "run": t_run - t_in, "write": t_out - t_run})
    if o.kind == "reports" or o.kind == "book-scan":
        summary |= _counts(o.kind, target, cols)
    if o.write_db:
        from assistant.batch.io import iter_output
        from services.batch.persist import save_run

        ok = [p["rm_id"] for p in summary["partitions"] if not p["error"] and p["rm_id"]]
        t = time.perf_counter()
        summary["db_rows"] = save_run(_engine(o.database_url or ""), kind=o.kind, run_date=ctx.as_of, rm_ids=ok,
                                      frames=iter_output(target, cols), summary=summary, engine_name=o.engine)
        summary["seconds"]["write_db"] = time.perf_counter() - t
    summary["seconds"]["total"] = time.perf_counter() - t0
    summary["driver_max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    (o.out / "run_summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n",
                                            encoding="utf-8")
    return summary


def _summary(o: RunOptions, ctx: BatchContext, stats: pd.DataFrame, n_rows: int, target: Path,
             meta: dict[str, Any], seconds: dict[str, float]) -> dict[str, Any]:
    stats = stats.sort_values("rm_id", na_position="first", kind="stable")
    parts = [{"rm_id": r["rm_id"], "clients": int(r["part_clients"]), "positions": int(r["part_positions"]),
              "rows": int(r["part_rows"]), "seconds": round(float(r["part_seconds"]), 4), "error": r["part_error"]}
             for r in stats.to_dict("records")]
    return {
        "kind": o.kind, "engine": o.engine, "master": o.master if o.engine == "spark" else None,
        "as_of": ctx.as_of.isoformat(), **meta,
        "selection": {"rm": o.rm, "branch": o.branch},
        "clients": sum(p["clients"] for p in parts), "positions": sum(p["positions"] for p in parts),
        "rows": n_rows, "output": str(target),
        "partitions": parts,
        "failures": [{"rm_id": p["rm_id"], "clients": p["clients"], "error": p["error"]} for p in parts if p["error"]],
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
    }


def _counts(kind: str, target: Path, cols: schema.Columns) -> dict[str, Any]:
    need = ["rule"] if kind == "book-scan" else ["rm_id", "client_id", "status", "error"]
    df = schema.conform(pd.read_parquet(target, columns=need), {c: cols[c] for c in need})
    if kind == "book-scan":
        return {"counts_by_rule": {str(k): int(v) for k, v in df["rule"].value_counts().sort_index().items()}}
    failed = df[df["status"] == "failed"].sort_values(["rm_id", "client_id"])
    return {"counts_by_status": {str(k): int(v) for k, v in df["status"].value_counts().sort_index().items()},
            "failed_reports": failed[["rm_id", "client_id", "error"]].to_dict("records")}
