"""``wealthdesk batch lookthrough|book-scan|reports``: the bank-wide nightly job (docs/batch.md).

The same per-RM partition functions run in-process (``--engine local``) or on Spark (``--engine spark
--master local[2]|spark://…``). Exit code 0 when every partition (and every report) succeeded, 1 when
some failed: the others are still written, and ``run_summary.json`` lists the failures.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

batch_app = typer.Typer(help="Bank-wide nightly batch: look-through, book scan and annual reports for every "
                             "client, partitioned by RM (local or Spark).", no_args_is_help=True)


def _run(kind: str, engine: str, master: str, out: Path, input_dir: Path | None, as_of: str | None,
         rm: str | None, branch: str | None, write_db: bool, top: int, lang: str, json_out: bool) -> None:
    from assistant.batch.runner import RunOptions, run_batch
    from assistant.cli.common import console, get_settings, print_json
    from core.errors import InvalidInput

    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise InvalidInput(f"not a date: {as_of!r}", field="--as-of", hint="YYYY-MM-DD") from None
    settings = get_settings()
    summary = run_batch(RunOptions(
        kind=kind, out=out, engine=engine, master=master, input=input_dir, as_of=day, rm=rm, branch=branch,
        write_db=write_db, top_n=top, lang=lang, policy=settings.policy,
        database_url=settings.resolved_database_url if (input_dir is None or write_db) else None))
    failed = len(summary["failures"]) + len(summary.get("failed_reports", []))
    if json_out:
        print_json(summary)
    else:
        s = summary["seconds"]
        console.print(f"batch {kind} ({engine}) as of {summary['as_of']}: {summary['clients']:,} clients, "
                      f"{summary['positions']:,} positions, {summary['rows']:,} rows → {summary['output']} "
                      f"in {s['total']:.1f} s ({len(summary['partitions'])} partitions)", highlight=False)
        for k in ("counts_by_rule", "counts_by_status"):
            if k in summary:
                console.print("  " + ", ".join(f"{a} {b}" for a, b in summary[k].items()), highlight=False)
        for f in summary["failures"]:
            console.print(f"  [red]partition {f['rm_id']} failed[/]: {f['error']}", highlight=False)
        for f in summary.get("failed_reports", []):
            console.print(f"  [red]report {f['client_id']} failed[/]: {f['error']}", highlight=False)
    if failed:
        raise typer.Exit(1)


def _command(kind: str, doc: str) -> None:
    def cmd(
        engine: str = typer.Option("local", "--engine", help="local (in-process) or spark."),
        master: str = typer.Option("local[2]", "--master", help="Spark master: local[N] or spark://host:7077."),
        out: Path = typer.Option(..., "--out", help="Output folder (Parquet + run_summary.json)."),
        input_dir: Path | None = typer.Option(None, "--input", help="A folder of Parquet tables (docs/batch.md) "
                                                                   "instead of the database."),
        as_of: str | None = typer.Option(None, "--as-of", help="With --input: valuation date YYYY-MM-DD."),
        rm: str | None = typer.Option(None, "--rm", help="Only this RM's clients, e.g. RM001."),
        branch: str | None = typer.Option(None, "--branch", help="Only the RMs of this branch."),
        write_db: bool = typer.Option(False, "--write-db", help="Also store the results in the database "
                                                                "(replaced per run date and RM)."),
        top: int = typer.Option(10, "--top", min=1, max=100, help="lookthrough: security lines per client."),
        lang: str = typer.Option("zh", "--lang", help="reports: zh or en."),
        json_out: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
    ) -> None:
        _run(kind, engine, master, out, input_dir, as_of, rm, branch, write_db, top, lang, json_out)

    cmd.__doc__ = doc
    batch_app.command(kind)(cmd)


_command("book-scan", "Book scan of every selected client (findings.parquet): the same rules as `book-scan`.")
_command("lookthrough", "Look-through of every selected client (exposures.parquet): asset class, industry and "
                        "top security weights with coverage and disclosure dates.")
_command("reports", "Annual wealth report (client copy, .docx) for every selected client, skipped when the "
                    "content hash is unchanged (reports.parquet lists rendered | skipped | failed).")


def register(app: typer.Typer) -> None:
    app.add_typer(batch_app, name="batch")
