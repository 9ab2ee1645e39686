"""CLI commands for the analytics area: ``lookthrough`` (client or fund), ``metrics``, ``book-scan``.

Loading goes through ``services.loading`` and numbers come from ``analytics``
(the same entry points the agent tools and reports use). ``--json`` output uses fractions (not percent)
and ISO dates; the human output is rich tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def _engine_and_day():  # noqa: ANN202 - (engine, as_of); imports are lazy to keep --help fast
    from assistant.cli.common import get_settings
    from datastore.engine import create_schema, get_engine
    from datastore.repositories.meta import as_of_date

    engine = get_engine(get_settings().resolved_database_url)
    create_schema(engine)  # idempotent: an older database gains the tables/columns added since
    return engine, as_of_date(engine)  # DataUnavailable before `wealthdesk init` (get_meta copes with no table)


# ------------------------------------------------------------------------------------------------ NAV files


def read_nav_file(path: Path, fmt: str) -> tuple[Any, Any, Any]:
    """(unit NAV, cash dividends, split ratios) Series indexed by date from a NAV file.

    ``eastmoney``: read by ``datastore.importers.eastmoney.read_eastmoney_nav`` (净值日期, 单位净值, 分红送配 …).
    ``csv``: a ``date`` column and one of unit_nav | nav | close | level; optional dividend, split_ratio.
    """
    import pandas as pd

    from core.errors import InvalidInput

    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="--nav")
    if fmt == "eastmoney":  # the data area's importer: canonical columns, errors name line and column
        from datastore.importers.eastmoney import read_eastmoney_nav

        em = read_eastmoney_nav(path)
        idx = pd.DatetimeIndex(pd.to_datetime(em["date"]))
        return (
            pd.Series(em["unit_nav"].to_numpy(), index=idx),
            pd.Series(em["dividend"].to_numpy(), index=idx),
            pd.Series(em["split_ratio"].to_numpy(), index=idx),
        )
    elif fmt == "csv":
        try:
            df = pd.read_csv(path, dtype=str)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file
            raise InvalidInput(f"cannot read {path.name} as CSV: {exc}", field="--nav") from None
        cols = {c.lower(): c for c in df.columns}
        value = next((cols[c] for c in ("unit_nav", "nav", "close", "level") if c in cols), None)
        if "date" not in cols or value is None:
            raise InvalidInput(f"{path.name} needs a date column and unit_nav|nav|close|level", field="--nav")
        dates = pd.to_datetime(df[cols["date"]], errors="coerce")
        nav = pd.to_numeric(df[value], errors="coerce")
        div = (
            pd.to_numeric(df[cols["dividend"]], errors="coerce").fillna(0.0)
            if "dividend" in cols
            else 0.0 * nav
        )
        split = (
            pd.to_numeric(df[cols["split_ratio"]], errors="coerce")
            if "split_ratio" in cols
            else nav * float("nan")
        )
    else:
        raise InvalidInput(f"unknown format {fmt!r}", field="--format", hint="eastmoney or csv")
    if dates.isna().any():
        raise InvalidInput(
            f"unparseable date in row {int(dates.isna().to_numpy().argmax()) + 2}", field="--nav"
        )
    out = pd.DataFrame(
        {"nav": nav.to_numpy(), "div": pd.Series(div).to_numpy(), "split": pd.Series(split).to_numpy()},
        index=pd.DatetimeIndex(dates),
    )
    if not out.index.is_monotonic_increasing:  # vendor files are often newest-first; sorting is not a guess
        out = out.sort_index(kind="stable")
    return out["nav"], out["div"], out["split"]


def index_benchmark(levels: Any, dates: Any) -> tuple[Any, float]:
    """(daily returns on the fund's NAV dates, total return first → last date) of an index from its stored
    levels (``index_code, date, level``); the level on a fund date is the last one on or before it."""
    import pandas as pd

    from analytics.errors import DataUnavailable

    lv = pd.Series(levels["level"].to_numpy(float), index=pd.to_datetime(levels["date"])).sort_index()
    on = lv.reindex(lv.index.union(dates)).ffill().reindex(dates)
    if on.isna().any():
        first = dates[int(on.isna().to_numpy().argmax())].date()
        raise DataUnavailable(f"the index has no level on or before {first}",
                              hint="import a longer series: wealthdesk data import-index FILE --code C --format jqdata")
    return on.pct_change().iloc[1:], float(on.iloc[-1] / on.iloc[0] - 1)


def metrics_payload(nav_path: Path, fmt: str, benchmark: Path | None, risk_free: float,
                    benchmark_index: str | None = None) -> dict[str, Any]:
    """The ``metrics --json`` payload (keys = analytics.performance function names, fractions, ISO dates).
    ``benchmark_index``: compare with an index stored by ``data import-index`` (adds ``benchmark_return``
    and ``excess_return`` over the NAV file's period)."""
    from analytics import performance as perf

    nav, div, split = read_nav_file(nav_path, fmt)
    r = perf.returns_from_nav(nav, dividends=div, split_ratios=split)
    bench = None
    extra: dict[str, Any] = {}
    if benchmark_index is not None:
        from analytics.errors import InvalidInput
        from datastore.repositories.market import index_levels

        if benchmark is not None:
            raise InvalidInput("give --benchmark FILE or --benchmark-index CODE, not both", field="--benchmark-index")
        engine, _ = _engine_and_day()
        levels = index_levels(engine, benchmark_index.strip().upper(), end=nav.index[-1].date())
        if levels.empty:
            raise InvalidInput(f"no stored levels for index {benchmark_index!r}", field="--benchmark-index",
                               hint="import them: wealthdesk data import-index FILE --code 000300 --format jqdata")
        bench, total = index_benchmark(levels, nav.index)
        cum = float((1 + r).prod() - 1)
        extra = {"benchmark_index": benchmark_index, "benchmark_return": total, "excess_return": cum - total}
    elif benchmark is not None:
        bnav, bdiv, bsplit = read_nav_file(
            benchmark, "csv" if fmt == "eastmoney" and _is_plain(benchmark) else fmt
        )
        bench = perf.returns_from_nav(bnav, dividends=bdiv, split_ratios=bsplit)
    rf = risk_free / 252.0
    core = perf.metrics_summary(r, benchmark=bench, risk_free=rf)
    dd = perf.drawdown_details(r)
    end = r.index[-1].date()
    return {
        "file": nav_path.name,
        "start": nav.index[0].date(),
        "end": end,
        "observations": int(len(r)),
        "risk_free": risk_free,
        **core,
        "max_drawdown_peak": dd.peak_date or nav.index[0].date(),
        "max_drawdown_trough": dd.trough_date,
        "max_drawdown_recovery": dd.recovery_date,
        "period_returns": perf.period_returns(r, end, start_date=nav.index[0].date()),
        "benchmark": benchmark.name if benchmark else None,
        **extra,
    }


def _is_plain(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as fh:
        return "净值日期" not in fh.readline()


# ------------------------------------------------------------------------------------------------ rendering


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.2%}"


def _print_lookthrough(lt: Any) -> None:
    from rich.table import Table

    from assistant.cli.common import console

    console.print(
        f"[bold]{lt.client_id}[/] as of {lt.as_of.isoformat()} — total ¥{lt.total_value:,.0f}, "
        f"looked through {_pct(lt.coverage)}, uncovered {_pct(lt.uncovered)}"
    )
    t = Table(title="Holdings (持仓)")
    for c in ("product", "kind", "value ¥", "weight", "class", "coverage", "disclosure", "method"):
        t.add_column(c)
    for ln in lt.lines:
        t.add_row(
            f"{ln.name} ({ln.product_code})",
            ln.kind,
            f"{ln.market_value:,.0f}",
            _pct(ln.weight),
            ln.asset_class,
            _pct(ln.coverage),
            ln.disclosure_as_of.isoformat() if ln.disclosure_as_of else "—",
            ln.method,
        )
    console.print(t)
    t = Table(title="Asset classes (大类资产)")
    t.add_column("class")
    t.add_column("weight", justify="right")
    for k, v in lt.asset_classes.items():
        t.add_row(k, _pct(v))
    console.print(t)
    t = Table(title="Top underlying holdings (穿透前十大)")
    for c in ("security", "kind", "industry", "weight", "via", "as of"):
        t.add_column(c)
    for h in lt.top_holdings:
        t.add_row(
            f"{h.name} ({h.security_id})",
            h.kind,
            h.industry or "—",
            _pct(h.weight),
            ",".join(h.via),
            h.disclosure_as_of.isoformat() if h.disclosure_as_of else "—",
        )
    console.print(t)
    t = Table(title="Industries (申万一级)")
    for c in ("industry", "weight", "share of equity"):
        t.add_column(c)
    for i in lt.industries[:10]:
        t.add_row(i.name, _pct(i.weight), _pct(i.share_of_equity))
    console.print(t)
    if lt.overlap:
        t = Table(title="Fund overlap (Σ min)")
        for c in ("pair", "score", "shared", "top shared"):
            t.add_column(c)
        for p in lt.overlap:
            t.add_row(
                f"{p.fund_a}–{p.fund_b}",
                _pct(p.score),
                str(p.shared_count),
                ", ".join(s.name for s in p.shared_top[:3]),
            )
        console.print(t)
    if lt.flags:
        t = Table(title="Concentration flags")
        for c in ("layer", "reason"):
            t.add_column(c)
        for f in lt.flags:
            t.add_row(f.layer, f.reason)
        console.print(t)
    console.print("HHI " + ", ".join(f"{k} {v:.3f}" for k, v in lt.hhi.items()))


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""

    @app.command("lookthrough")
    def lookthrough_cmd(
        client: str | None = typer.Option(None, "--client", help="Client id, e.g. C0001."),
        fund: str | None = typer.Option(None, "--fund", help="Fund code: that fund's own look-through."),
        as_user: str | None = typer.Option(None, "--as", help="Who is asking (with --client): an RM id or admin."),
        as_of: str | None = typer.Option(None, "--as-of", help="With --fund: date YYYY-MM-DD (default: data as-of)."),
        json_out: bool = typer.Option(
            False, "--json", help="Machine-readable output (fractions, ISO dates)."
        ),
        top: int = typer.Option(10, "--top", min=1, max=100, help="How many underlying holdings to list."),
    ) -> None:
        """Look through a client's funds (--client --as) or one fund (--fund) to the underlying securities,
        industries and managers (穿透), with coverage and disclosure dates."""
        from assistant.access import Caller
        from assistant.cli.common import get_settings, print_json
        from core.errors import InvalidInput

        if (client is None) == (fund is None):
            raise InvalidInput("give --client ID --as RM, or --fund CODE", field="--client")
        if fund is not None:
            from assistant.cli.fund_view import fund_lookthrough_payload, print_fund_lookthrough

            engine, day = _engine_and_day()
            ft = fund_lookthrough_payload(engine, fund, day, as_of)
            if json_out:
                print_json(ft.model_dump(mode="json"))
            else:
                print_fund_lookthrough(ft, top)
            return
        if as_user is None:
            raise InvalidInput("--client needs --as (an RM id or admin)", field="--as")
        if as_of is not None:
            raise InvalidInput("--as-of applies to --fund only (a client is valued at the data as-of date)",
                               field="--as-of")
        from services.clients import client_lookthrough
        from services.deps import Deps

        engine, day = _engine_and_day()
        lt = client_lookthrough(Deps.build(engine, Caller.from_cli(as_user), settings=get_settings(), as_of=day),
                                client, top)
        if json_out:
            print_json(lt.model_dump(mode="json"))
        else:
            _print_lookthrough(lt)

    @app.command("metrics")
    def metrics_cmd(
        nav: Path = typer.Option(..., "--nav", help="NAV file (eastmoney export or date,nav CSV)."),
        fmt: str = typer.Option("eastmoney", "--format", help="eastmoney | csv"),
        benchmark: Path | None = typer.Option(
            None, "--benchmark", help="Benchmark file (date,close CSV or same format)."
        ),
        risk_free: float = typer.Option(
            0.0, "--risk-free", help="Annual risk-free rate as a fraction, e.g. 0.02."
        ),
        benchmark_index: str | None = typer.Option(
            None, "--benchmark-index", help="Stored index (data import-index) to compare with, e.g. 000300."
        ),
        json_out: bool = typer.Option(
            False, "--json", help="Machine-readable output (fractions, ISO dates)."
        ),
    ) -> None:
        """Performance and risk statistics of any NAV file (adjusted for dividends and splits)."""
        from rich.table import Table

        from analytics.constants import PERIOD_LABELS
        from assistant.cli.common import console, print_json

        payload = metrics_payload(nav, fmt, benchmark, risk_free, benchmark_index)
        if json_out:
            print_json(payload)
            return
        t = Table(
            title=f"{payload['file']}: {payload['start']} → {payload['end']} ({payload['observations']} days)"
        )
        t.add_column("metric")
        t.add_column("value", justify="right")
        for k, v in payload.items():
            if k in ("file", "start", "end", "observations", "period_returns", "benchmark", "benchmark_index"):
                continue
            if isinstance(v, float) and k not in (
                "sharpe_ratio",
                "sortino_ratio",
                "calmar_ratio",
                "beta",
                "information_ratio",
            ):
                t.add_row(k, _pct(v))
            elif isinstance(v, float):
                t.add_row(k, f"{v:.3f}")
            else:
                t.add_row(k, "—" if v is None else str(v))
        for k, v in payload["period_returns"].items():
            t.add_row(PERIOD_LABELS[k], _pct(v))
        console.print(t)

    @app.command("book-scan")
    def book_scan_cmd(
        as_user: str = typer.Option(..., "--as", help="Whose book: an RM id (RM001) or admin (all clients)."),
        json_out: bool = typer.Option(
            False, "--json", help="Machine-readable output (fractions, ISO dates)."
        ),
        limit: int = typer.Option(50, "--limit", min=1, help="Rows to show in the table (JSON has all)."),
        rule: str | None = typer.Option(None, "--rule", help="Only this rule, e.g. maturing, loss, idle_cash."),
        within_days: int | None = typer.Option(None, "--within-days", min=1, help="Maturing within N days."),
        month: str | None = typer.Option(None, "--month", help="Maturing in YYYY-MM, next or this."),
    ) -> None:
        """Scan the book for follow-ups: losses, risk mismatch, concentration, maturities, idle cash,
        elderly clients with R3+ products, industry concentration (the same service as the copilot)."""
        from rich.table import Table

        from assistant.access import Caller
        from assistant.cli.common import console, get_settings, print_json
        from services.book import BookQuery, book_query
        from services.deps import Deps

        caller = Caller.from_cli(as_user)
        engine, day = _engine_and_day()
        res = book_query(Deps.build(engine, caller, settings=get_settings(), as_of=day),
                         BookQuery(rule=rule, within_days=within_days, month=month, page_size=500))
        pages = [res] + [book_query(Deps.build(engine, caller, settings=get_settings(), as_of=day),
                                    BookQuery(rule=rule, within_days=within_days, month=month, page_size=500, page=p))
                         for p in range(2, res.pages + 1)]
        rows = [r for page in pages for r in page.findings]
        if json_out:
            print_json(
                {
                    "as_of": day,
                    "rm": caller.rm_id,
                    "clients": res.clients_scanned,
                    "counts_by_rule": res.counts_by_rule,
                    "findings": rows,
                }
            )
            return
        t = Table(title=f"Book scan {caller.user_id} as of {day.isoformat()}: {len(rows)} findings")
        for c in ("client", "rule", "reason"):
            t.add_column(c)
        for r in rows[:limit]:
            t.add_row(f"{r['client_name']} ({r['client_id']})", str(r["rule"]), str(r["reason"]))
        console.print(t)
