"""``wealthdesk lookthrough --fund CODE``: load, call ``analytics.fund_view``, render.

Loading goes through the same entry points as the client look-through (``services.loading.fund_exposures``),
so a fund shows the numbers every client holding it gets; the report's publication date and the CSRC
sector table come from ``datastore.repositories.market``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine


def fund_lookthrough_payload(engine: Engine, code: str, data_day: date, as_of: str | None) -> Any:  # noqa: ANN401
    from analytics.errors import InvalidInput, NotFound
    from analytics.fund_view import SectorLine, fund_lookthrough
    from datastore.repositories import market
    from services import loading as ai

    code = code.strip()
    try:
        day = date.fromisoformat(as_of) if as_of else data_day
    except ValueError:
        raise InvalidInput(f"{as_of!r} is not a date", field="--as-of", hint="use YYYY-MM-DD") from None
    if day > data_day:
        raise InvalidInput(f"--as-of {day} is after the data as-of date {data_day}", field="--as-of",
                           hint="look-through can only use what was published by the data date")
    market.get_fund(engine, code)  # NotFound with the code for an unknown fund
    exp = ai.fund_exposures(engine, day)
    if code not in set(exp.fund_codes):
        raise NotFound(f"no fund {code!r}", field="--fund")
    rep = exp.report_date[int(exp.rows([code])[0])]
    disc = market.disclosures(engine, code, day)
    pub = disc.loc[disc["report_date"] == rep, "published_on"].min() if rep is not None and len(disc) else None
    sec = market.fund_sector_allocation(engine, code, day)
    sectors = [SectorLine(sector=r.sector, weight=float(r.weight), report_date=r.report_date, published_on=r.published_on)
               for r in sec.itertuples(index=False)]
    return fund_lookthrough(exp, code, published_on=pub if isinstance(pub, date) else None, sectors=sectors)


def print_fund_lookthrough(ft: Any, top: int) -> None:  # noqa: ANN401 - analytics.fund_view.FundLookthrough
    from rich.table import Table

    from assistant.cli.common import console

    console.print(f"[bold]{ft.name} ({ft.fund_code})[/] as of {ft.as_of}: {ft.coverage_note_zh} / {ft.coverage_note_en}")
    console.print(f"report {ft.report_date or '—'} published {ft.published_on or '—'}, method {ft.method}, "
                  f"uncovered {ft.uncovered:.2%}")
    t = Table(title="Holdings (穿透持仓)")
    for c in ("security", "kind", "industry (申万一级)", "weight of NAV"):
        t.add_column(c)
    for h in ft.holdings[:top]:
        t.add_row(f"{h.name} ({h.security_id})", h.kind, h.industry or "—", f"{h.weight:.2%}")
    console.print(t)
    t = Table(title="Industries (申万一级, share of NAV)")
    for c in ("industry", "weight", "share of covered equity"):
        t.add_column(c)
    for i in ft.industries:
        t.add_row(i.name, f"{i.weight:.2%}", f"{i.share_of_covered_equity:.2%}")
    console.print(t)
    if ft.sectors:
        t = Table(title=f"Sectors as reported (证监会行业, {ft.sectors[0].report_date}) — not Shenwan, not added to the above")
        t.add_column("sector")
        t.add_column("weight", justify="right")
        for s in ft.sectors:
            t.add_row(s.sector, f"{s.weight:.2%}")
        console.print(t)
