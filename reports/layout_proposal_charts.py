"""Proposal sections built on analytics results with charts: look-through, target allocation, backtest.

Split from ``reports.layout_proposal`` (which assembles the document); same conventions: every number
through the ``FigureBook``, narrative from ``prompts/<lang>/report_proposal.md`` or a verified LLM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reports import charts
from reports import labels as L
from reports.labels_proposal import TEXT, H, asset_label
from reports.models import (
    MISSING,
    MONEY_UNITS,
    Chart,
    FigureBook,
    Para,
    Section,
    Table,
    money_unit,
    with_unit,
)
from reports.narrative import fill, llm_commentary

if TYPE_CHECKING:
    from reports.proposal import ProposalContent

T_LOOK = "analytics.lookthrough.lookthrough_client"
T_POTS = "analytics.allocation.three_pots"
T_BT = "analytics.allocation.compare_backtest"


def narrate(key: str, text: str, c: ProposalContent, facts: Any, llm: Any) -> Para:
    """The template text, or the LLM's verified rewrite of it; recorded in ``c.narrative``."""
    if llm is not None:
        text = llm_commentary(llm, lang=c.lang, topic=key, facts=facts, offline_text=text)
    c.narrative[key] = text
    return Para(text=text, narrative=True)


def lookthrough_section(c: ProposalContent, b: FigureBook, llm: Any) -> Section:
    lang, t, lk = c.lang, TEXT[c.lang], c.lookthrough
    b.label = H[lang]["lookthrough"]
    miss = MISSING[lang]
    ac = lk.asset_classes
    blocks: list[Any] = [
        Chart(
            png=charts.donut([asset_label(k, lang) for k in ac], list(ac.values()), t["chart_assets"]),
            caption=t["chart_assets"],
            width_cm=13,
        )
    ]
    inds = lk.industries[:10]
    if inds:
        blocks.append(
            Chart(
                png=charts.bars(
                    [i.name for i in inds], {t["weight"]: [i.weight for i in inds]}, t["chart_industries"]
                ),
                caption=t["chart_industries"],
                width_cm=13,
            )
        )
    rows = [
        [
            f"{h.name}",
            L.label(TEXT["values"], h.kind, lang),
            h.industry or "—",
            b.pct(f"underlying_{h.security_id}", h.weight, T_LOOK, h.disclosure_as_of),
            "、".join(h.via) if lang == "zh" else ", ".join(h.via),
        ]
        for h in lk.top_holdings
    ]
    blocks.append(
        Table(
            columns=[t["security"], t["kind"], t["industry"], t["weight"], t["via"]],
            rows=rows,
            numeric=[3],
            caption=t["top_holdings"],
        )
    )
    layer_rows = []
    for layer, items in ((t["layer_manager"], lk.managers), (t["layer_company"], lk.companies)):
        for it in items[:5]:
            layer_rows.append(
                [
                    layer,
                    it.name,
                    b.pct(f"layer_{it.id}_client", it.share_of_client, T_LOOK, c.as_of),
                    b.pct(f"layer_{it.id}_equity", it.share_of_equity, T_LOOK, c.as_of),
                ]
            )
    blocks.append(
        Table(
            columns=[t["layer"], t["entity"], t["share_client"], t["share_equity"]],
            rows=layer_rows,
            numeric=[2, 3],
            caption=t["four_layers"],
        )
    )
    if lk.overlap:
        orows = [
            [
                o.fund_a,
                o.fund_b,
                b.pct(f"overlap_{o.fund_a}_{o.fund_b}", o.score, "analytics.overlap", c.as_of),
                b.count(f"overlap_{o.fund_a}_{o.fund_b}_n", o.shared_count, "analytics.overlap", c.as_of),
            ]
            for o in lk.overlap[:5]
        ]
        blocks.append(
            Table(
                columns=[t["fund_a"], t["fund_b"], t["overlap"], t["shared"]],
                rows=orows,
                numeric=[2, 3],
                caption=t["overlap_caption"],
            )
        )
    top = lk.industries[0] if lk.industries else None
    text = fill(
        "report_proposal",
        lang,
        "lookthrough",
        equity=b.pct("lt_equity", ac.get("equity", 0.0), T_LOOK, c.as_of),
        fixed_income=b.pct("lt_fixed_income", ac.get("fixed_income", 0.0), T_LOOK, c.as_of),
        cash=b.pct("lt_cash", ac.get("cash", 0.0), T_LOOK, c.as_of),
        coverage=b.pct("lt_coverage", lk.coverage, T_LOOK, c.as_of),
        top_industry=top.name if top else miss,
        top_industry_weight=b.pct("lt_top_industry", top.weight if top else None, T_LOOK, c.as_of),
    )
    facts = {
        "asset_classes": ac,
        "coverage": lk.coverage,
        "industries": [i.model_dump() for i in lk.industries[:5]],
    }
    blocks.append(narrate("lookthrough", text, c, facts, llm))
    return Section(title=H[lang]["lookthrough"], blocks=blocks)


def target_section(c: ProposalContent, b: FigureBook) -> Section:
    """配置建议: one target — the plan's ``target_mix`` — shown by the chart, the class table and the pots,
    the trades move the current mix to ``proposed_mix`` (every chart weight is a recorded figure)."""
    lang, t = c.lang, TEXT[c.lang]
    b.label = H[lang]["target"]
    total_row = {"zh": "合计", "en": "Total"}[lang]
    rows = []
    pot_list = c.pots.pots
    # one unit for the three money columns (the gap is at most the largest pot), stated in the headers
    unit = money_unit([v for p in pot_list for v in (p.current, p.target, p.gap)], lang)
    for p in pot_list:
        b.label = L.label(TEXT["pots"], p.name, lang)
        rows.append(
            [
                L.label(TEXT["pots"], p.name, lang),
                b.money_cell(f"pot_{p.name}_current", p.current, T_POTS, c.as_of, unit),
                b.money_cell(f"pot_{p.name}_target", p.target, T_POTS, c.as_of, unit),
                b.money_cell(f"pot_{p.name}_gap", p.gap, T_POTS, c.as_of, unit),
            ]
        )
    b.label = total_row
    rows.append([total_row] + [
        b.money_cell(f"pots_{k}_total", sum(getattr(p, k) for p in pot_list), T_POTS, c.as_of, unit)
        for k in ("current", "target", "gap")])
    pots = {p.name: p for p in c.pots.pots}
    b.label = H[lang]["target"]
    text = fill(
        "report_proposal",
        lang,
        "pots",
        **{
            k: b.money(f"pot_{k}_target", pots[k].target if k in pots else None, T_POTS, c.as_of)
            for k in ("liquidity", "protection", "growth")
        },
    )
    reb = c.rebalance
    if reb is not None and reb.target_mix:
        target, current, after = reb.target_mix, reb.current_mix, reb.proposed_mix
    else:
        by = c.pots.target_by_class
        tot = sum(by.values()) or 1.0
        target, current, after = {k: v / tot for k, v in by.items()}, {}, {}
    seen = [*target, *current, *after]
    classes = [k for k in dict.fromkeys(seen)
               if max(abs(target.get(k, 0.0)), abs(current.get(k, 0.0)), abs(after.get(k, 0.0))) > 1e-9]
    mix_rows, weights = [], []
    for k in classes:
        b.label = asset_label(k, lang)
        w = b.pct(f"target_mix_{k}", target.get(k, 0.0), T_POTS, c.as_of)
        weights.append(target.get(k, 0.0))
        mix_rows.append([asset_label(k, lang),
                         b.pct(f"current_mix_{k}", current.get(k, 0.0), T_POTS, c.as_of) if current else "—",
                         w,
                         b.pct(f"proposed_mix_{k}", after.get(k, 0.0), T_POTS, c.as_of) if after else "—"])
    b.label = total_row
    mix_rows.append([total_row, b.pct("current_mix_total", sum(current.values()), T_POTS, c.as_of) if current
                     else "—", b.pct("target_mix_total", sum(target.values()), T_POTS, c.as_of),
                     b.pct("proposed_mix_total", sum(after.values()), T_POTS, c.as_of) if after else "—"])
    chart = Chart(
        png=charts.donut([asset_label(k, lang) for k in classes], weights, t["chart_target"]),
        caption=t["chart_target"],
        width_cm=11,
    )
    head = {"zh": ["资产类别", "当前", "目标", "调整后"], "en": ["Asset class", "Current", "Target", "After trades"]}
    return Section(
        title=H[lang]["target"],
        blocks=[
            Table(columns=head[lang], rows=mix_rows, numeric=[1, 2, 3]),
            chart,
            Table(columns=[t["pot"], *[with_unit(t[k], unit, lang) for k in ("current", "target")],
                           t["gap_unit"].format(unit=unit)],
                  rows=rows, numeric=[1, 2, 3], units=dict.fromkeys((1, 2, 3), MONEY_UNITS[unit][1])),
            Para(text=text, narrative=True),
        ],
    )


def backtest_section(c: ProposalContent, b: FigureBook, paths: dict[str, Any] | None) -> Section:
    lang, t = c.lang, TEXT[c.lang]
    if not c.backtest or not c.backtest_window:
        return Section(
            title=H[lang]["backtest"],
            blocks=[Para(text=fill("report_proposal", lang, "backtest_missing"), narrative=True)],
        )
    b.label = H[lang]["backtest"]
    cur, new = c.backtest["current"], c.backtest["proposed"]
    vals = {
        f"{side}_{k}": b.pct(f"bt_{side}_{k}", v, T_BT, c.backtest_window[1])
        for side, d in (("cur", cur), ("new", new))
        for k, v in d.items()
    }
    text = fill(
        "report_proposal",
        lang,
        "backtest",
        start=L.fmt_date(c.backtest_window[0], lang),
        end=L.fmt_date(c.backtest_window[1], lang),
        cur_ret=vals["cur_annual_return"],
        cur_vol=vals["cur_annual_volatility"],
        cur_mdd=vals["cur_max_drawdown"],
        new_ret=vals["new_annual_return"],
        new_vol=vals["new_annual_volatility"],
        new_mdd=vals["new_max_drawdown"],
    )
    rows = [
        [t[k], vals[f"cur_{k}"], vals[f"new_{k}"]]
        for k in ("annual_return", "annual_volatility", "max_drawdown")
    ]
    blocks: list[Any] = [
        Table(columns=[t["metric"], t["current_mix"], t["proposed_mix"]], rows=rows, numeric=[1, 2]),
        Para(text=text, narrative=True),
    ]
    if paths:
        growth = {t["current_mix"]: paths["current"], t["proposed_mix"]: paths["proposed"]}
        blocks.append(Chart(png=charts.lines(growth, t["chart_nav"]), caption=t["chart_nav"]))
        blocks.append(
            Chart(
                png=charts.drawdown({k: charts.drawdown_path(v) for k, v in growth.items()}, t["chart_dd"]),
                caption=t["chart_dd"],
            )
        )
    blocks.insert(0, Para(text=fill("report_proposal", lang, "sim_note"), style="WD Note"))
    return Section(title=H[lang]["backtest"], blocks=blocks)
