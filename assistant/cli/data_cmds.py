"""CLI commands for the data area: ``init`` and ``data import-*`` (NAV, bank CSV, holdings, industries,
fund list, index levels). Every import is all-or-nothing and refused by the data-quality gates with the
file, line, column and fix (exit 2); see docs/importers.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

data_app = typer.Typer(help="Import real data: NAV histories, a bank's CSV files, fund holdings disclosures, "
                       "the Shenwan classification, the fund list and index levels.", no_args_is_help=True)
_AS_OF_HELP = "Latest date the file may contain, YYYY-MM-DD (default: the data set's as-of date)."


def _day(value: str | None, field: str = "--as-of") -> date | None:
    from analytics.errors import InvalidInput

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date", field=field, hint="use YYYY-MM-DD") from None


def _engine(settings: Any):  # noqa: ANN202 - sqlalchemy Engine
    from datastore.engine import get_engine

    return get_engine(settings.resolved_database_url)


def _audited_import(engine: Any, kind: str, file: Path, run: Any) -> Any:
    """Run one import and leave an audit row either way (who: the OS user; what: the file and counts)."""
    import getpass

    from assistant.audit import record_event, safe_record_event
    from datastore.engine import create_schema

    actor = f"cli:{getpass.getuser()}"[:32]
    try:
        create_schema(engine)  # the audit tables, also on a database from an earlier version
        res = run()
    except Exception as exc:
        safe_record_event(engine, actor=actor, action=f"data.import.{kind}", target=file.name,
                     detail={"error": type(exc).__name__}, outcome="error")
        raise
    counts = {k: v for k, v in (res or {}).items() if isinstance(v, int | float | str) and k != "file"}
    record_event(engine, actor=actor, action=f"data.import.{kind}", target=file.name, detail=counts)
    return res


def init(
    skip_kb: bool = typer.Option(False, "--skip-kb", help="Do not ingest the document corpus."),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary."),
) -> None:
    """Create var/, load the sample book (idempotent) and ingest the document corpus."""
    from assistant.cli.common import console, get_settings, print_json
    from datastore.sample import load_sample

    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    result = load_sample(_engine(settings))
    kb: dict[str, Any] | str
    if skip_kb:
        kb = "skipped (--skip-kb)"
    else:
        try:
            from knowledge.bootstrap import init_knowledge
        except ImportError as exc:  # the knowledge area is optional in a minimal build
            kb = f"not available in this build ({exc})"
        else:
            reports: list[Any] = []
            kb = init_knowledge(settings, report_out=reports)
            _record_seed_corpus(settings, reports[0] if reports else None)
    if json_out:
        print_json({**result, "database": settings.resolved_database_url, "knowledge": kb})
        return
    _print_summary(console, result, settings.resolved_database_url, kb)


def _record_seed_corpus(settings: Any, report: Any) -> None:
    """Registry rows and audit events for the seed corpus that init ingested and approved."""
    if report is None or not (report.documents or report.removed):
        return
    from assistant.audit import record_event
    from datastore.engine import create_schema
    from datastore.repositories.kb_docs import record_ingest, record_removed
    from knowledge.bootstrap import SEED_ACTOR

    engine = _engine(settings)
    create_schema(engine)
    store = str(settings.resolved_store_dir.resolve())
    record_ingest(engine, store, report.documents, by=SEED_ACTOR)
    record_removed(engine, store, report.removed)
    record_event(engine, actor=SEED_ACTOR, action="kb.ingest", target=str(settings.corpus_dir)[-128:],
                 detail={"documents": len(report.documents), "approved": len(report.approved),
                         "removed": len(report.removed), "blocked_passages": len(report.blocked)})


def _print_summary(console: Any, result: dict[str, Any], url: str, kb: dict[str, Any] | str) -> None:
    from rich.table import Table

    status = {"unchanged": "[green]no changes[/] (sample data already loaded)",
              "loaded": "[green]loaded[/] the sample data set", "reloaded": "[yellow]reloaded[/] (sample data changed)"}
    console.print(f"Database: {url}")
    console.print(f"Sample book as of {result['as_of']}: {status[result['status']]} in {result['seconds']} s")
    table = Table("table", "rows", title="Sample data")
    for name, n in result["counts"].items():
        table.add_row(name, f"{n:,}")
    console.print(table)
    console.print(f"digest {result['digest'][:16]}…")
    if isinstance(kb, dict):
        changed = kb.get("added", 0) or kb.get("removed", 0)
        console.print(f"Knowledge base: {'updated' if changed else 'no changes'} "
                      f"(added {kb.get('added', 0)}, unchanged {kb.get('unchanged', 0)}, removed {kb.get('removed', 0)}"
                      + (f", failed {kb['failed']}" if kb.get("failed") else "") + ")")
    else:
        console.print(f"Knowledge base: {kb}")


@data_app.command("import-nav")
def import_nav(
    file: Path = typer.Argument(..., help="NAV history CSV (eastmoney 历史净值 export)."),
    fmt: str = typer.Option("eastmoney", "--format", help="File format (eastmoney)."),
    code: str | None = typer.Option(None, "--code", help="Fund code; default: the file name if it is 6 digits."),
    create: bool = typer.Option(False, "--create", help="Create a minimal fund record if the code is unknown."),
    name: str | None = typer.Option(None, "--name", help="Fund name (with --create)."),
    fund_type: str | None = typer.Option(None, "--type", help="equity|hybrid|bond|money|index|qdii|fof|feeder (with --create)."),
    as_of: str | None = typer.Option(None, "--as-of", help=_AS_OF_HELP),
    replace_range: bool = typer.Option(False, "--replace-range",
                                       help="Delete stored rows between the file's first and last date first."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Store a fund's NAV history (dividends and 份额折算 parsed from 分红送配)."""
    from assistant.cli.common import console, get_settings, print_json
    from core.errors import InvalidInput
    from datastore.importers.eastmoney import import_eastmoney_nav

    if fmt != "eastmoney":
        raise InvalidInput(f"unknown format {fmt!r}", field="--format", hint="eastmoney")
    code = code or (file.stem if file.stem.isdigit() and len(file.stem) == 6 else None)
    if code is None:
        raise InvalidInput("cannot tell the fund code from the file name", field="--code", hint="add --code 161725")
    settings = get_settings()
    engine = _engine(settings)
    res = _audited_import(engine, "nav", file, lambda: import_eastmoney_nav(
        engine, file, code, create=create, name=name, fund_type=fund_type, as_of=_day(as_of),
        replace_range=replace_range))
    if json_out:
        print_json(res)
        return
    console.print(f"Imported {res['rows']:,} NAV rows for {res['code']} ({res['first']} → {res['last']}): "
                  f"{res['dividends']} dividends, {res['splits']} splits"
                  + (" [created minimal fund record]" if res["created_fund"] else "")
                  + f"; {res['replaced']:,} stored rows replaced")


@data_app.command("import-bank")
def import_bank(
    file: Path = typer.Argument(..., help="CSV file from the bank's systems (see docs/importers.md)."),
    kind: str = typer.Option(..., "--kind", help="clients | transactions | holdings | products"),
    as_of: str | None = typer.Option(None, "--as-of", help="Extract date YYYY-MM-DD (default: the data set's as-of)."),
    allow_reassign: bool = typer.Option(False, "--allow-reassign", help="Allow moving clients to another RM."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Import a bank CSV of clients, transactions, a holdings snapshot or products (all-or-nothing per file)."""
    from assistant.cli.common import console, get_settings, print_json
    from core.errors import InvalidInput
    from datastore.importers.bank_csv import import_bank_csv

    if kind not in ("clients", "transactions", "holdings", "products"):
        raise InvalidInput(f"unknown kind {kind!r}", field="--kind", hint="clients | transactions | holdings | products")
    engine = _engine(get_settings())
    res = _audited_import(engine, kind, file, lambda: import_bank_csv(
        engine, file, kind, as_of=_day(as_of), allow_reassign=allow_reassign))  # type: ignore[arg-type]
    if json_out:
        print_json(res)
        return
    console.print(f"{kind}: {res['inserted']} inserted, {res['updated']} updated, {res['skipped']} unchanged "
                  f"({res['clients']} clients) from {res['file']}"
                  + (f"; moved to another RM: {', '.join(res['reassigned'])}" if res.get("reassigned") else ""))


@data_app.command("import-holdings")
def import_holdings_cmd(
    file: Path = typer.Argument(..., help="Holdings disclosure file (CSV, or JSON for eastmoney-json)."),
    fmt: str = typer.Option(..., "--format", help="akshare-stock | akshare-bond | akshare-industry | tushare | eastmoney-json"),
    code: str | None = typer.Option(None, "--code", help="Fund code (akshare files carry none)."),
    report_date: str | None = typer.Option(None, "--report-date", help="Period end YYYY-MM-DD when the file has none."),
    disclosure: str | None = typer.Option(None, "--disclosure", help="top10 | full (default: >10 stocks → full)."),
    published: str | None = typer.Option(None, "--published", help="Publication date (default: the legal deadline)."),
    create_funds: bool = typer.Option(False, "--create-funds", help="Create minimal records for unknown funds."),
    stock_share: float | None = typer.Option(None, "--stock-share", help="tushare: the fund's stock share of NAV."),
    as_of: str | None = typer.Option(None, "--as-of", help=_AS_OF_HELP),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Store funds' disclosed holdings (and CSRC sector tables) for look-through."""
    from assistant.cli.common import console, get_settings, print_json
    from datastore.importers.holdings import import_holdings

    engine = _engine(get_settings())
    res = _audited_import(engine, "holdings", file, lambda: import_holdings(
        engine, str(file), fmt, code=code, report_date=_day(report_date, "--report-date"), disclosure=disclosure,
        published=_day(published, "--published"), as_of=_day(as_of), create_funds=create_funds,
        stock_share=stock_share))
    if json_out:
        print_json(res)
        return
    console.print(f"{res['lines']:,} holding lines in {res['reports']} reports of {res['funds']} funds "
                  f"({', '.join(res['report_dates'])}), {res['sector_lines']} CSRC sector lines; "
                  f"{res['new_securities']} new securities (unclassified until import-industries)"
                  + (f"; created funds {', '.join(res['created_funds'])}" if res["created_funds"] else ""))


@data_app.command("import-industries")
def import_industries_cmd(
    file: Path = typer.Argument(..., help="Shenwan 2021 stock list (CSV)."),
    fmt: str = typer.Option("sw2021", "--format", help="sw2021"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Classify stocks by Shenwan 2021 industry (level 1 drives look-through; levels 2–3 kept)."""
    from analytics.errors import InvalidInput
    from assistant.cli.common import console, get_settings, print_json
    from datastore.importers.shenwan import import_sw2021

    if fmt != "sw2021":
        raise InvalidInput(f"unknown format {fmt!r}", field="--format", hint="sw2021")
    engine = _engine(get_settings())
    res = _audited_import(engine, "industries", file, lambda: import_sw2021(engine, file))
    if json_out:
        print_json(res)
        return
    console.print(f"{res['stocks']:,} stocks classified ({res['inserted']:,} new, {res['updated']:,} updated) "
                  f"in {res['industries']} Shenwan level-1 industries")


@data_app.command("import-funds")
def import_funds_cmd(
    file: Path = typer.Argument(..., help="Eastmoney fund list (fundcode_search: code, 拼音, 名称, 类型, 拼音全称)."),
    fmt: str = typer.Option("eastmoney-list", "--format", help="eastmoney-list"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Add the funds of a fund master list that are not stored yet (minimal records)."""
    from analytics.errors import InvalidInput
    from assistant.cli.common import console, get_settings, print_json
    from datastore.importers.fund_list import import_fund_list

    if fmt != "eastmoney-list":
        raise InvalidInput(f"unknown format {fmt!r}", field="--format", hint="eastmoney-list")
    engine = _engine(get_settings())
    res = _audited_import(engine, "funds", file, lambda: import_fund_list(engine, file))
    if json_out:
        print_json(res)
        return
    console.print(f"{res['funds']:,} funds in the list: {res['inserted']:,} added, {res['existing']:,} already stored")


@data_app.command("import-index")
def import_index_cmd(
    file: Path = typer.Argument(..., help="Index level CSV."),
    code: str = typer.Option(..., "--code", help="Index code to store the levels under, e.g. 000300."),
    fmt: str = typer.Option(..., "--format", help="jqdata | akshare"),
    as_of: str | None = typer.Option(None, "--as-of", help=_AS_OF_HELP),
    replace_range: bool = typer.Option(False, "--replace-range",
                                       help="Delete stored levels between the file's first and last date first."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Store daily index levels (benchmarks: 000300 is the equity benchmark and backtest class)."""
    from assistant.cli.common import console, get_settings, print_json
    from datastore.importers.index_levels import import_index

    engine = _engine(get_settings())
    res = _audited_import(engine, "index", file, lambda: import_index(
        engine, file, code, fmt, as_of=_day(as_of), replace_range=replace_range))
    if json_out:
        print_json(res)
        return
    console.print(f"{res['rows']:,} levels of {res['code']} ({res['first']} → {res['last']}), "
                  f"{res['replaced']:,} stored rows replaced")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("init")(init)
    app.add_typer(data_app, name="data")
