"""Lay a ``ProposalContent`` out as sections, tables, charts and narrative (no I/O).

Every number goes through the ``FigureBook``; narrative comes from ``prompts/<lang>/report_proposal.md``
or, with an LLM, from ``reports.narrative.llm_commentary`` (verified). The client variant hides internal
notes and personal identifiers (ID number, mobile) — they are not even in its content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reports import charts
from reports import labels as L
from reports.labels_proposal import KINDS, TEXT, H, asset_label
from reports.models import MISSING, Chart, DocContent, FigureBook, Para, Section, Table, provenance_table
from reports.narrative import fill, llm_commentary

if TYPE_CHECKING:
    from reports.proposal import ProposalContent

T_PNL = "analytics.pnl.client_pnl"
T_LOOK = "analytics.lookthrough.lookthrough_client"
T_POTS = "analytics.allocation.three_pots"
T_REB = "analytics.allocation.propose_rebalance"
T_BT = "analytics.allocation.compare_backtest"
T_DATA = "datastore.repositories.analytics_inputs"
T_DIAG = "reports.proposal._diagnose"
T_TOTALS = "reports.proposal.proposal_content (sum of propose_rebalance lines)"


def grounding_facts(c: ProposalContent) -> dict[str, Any]:
    return c.model_dump(mode="python", exclude={"narrative"})


def _narrate(key: str, text: str, c: ProposalContent, facts: Any, llm: Any) -> Para:
    if llm is not None:
        text = llm_commentary(llm, lang=c.lang, topic=key, facts=facts, offline_text=text)
    c.narrative[key] = text
    return Para(text=text, narrative=True)


def _profile(c: ProposalContent, b: FigureBook) -> Section:
    lang, t = c.lang, TEXT[c.lang]
    p = c.client
    rows = [
        [t["name"], str(p.get("name", ""))],
        [t["age"], b.count("client_age", p.get("age"), T_DATA, c.as_of)],
    ]
    for key in ("occupation", "life_stage", "segment", "risk_level"):
        rows.append([t[key], L.label(TEXT["values"], str(p.get(key, "")), lang)])
    rows.append([t["assessed_on"], L.fmt_date(p.get("risk_assessed_on"), lang)])
    if c.variant == "internal":
        rows += [[t["id_number"], str(p.get("id_number", ""))], [t["mobile"], str(p.get("mobile", ""))]]
    blocks: list[Any] = [Table(columns=[t["item"], t["value"]], rows=rows)]
    text = fill(
        "report_proposal",
        lang,
        "profile",
        risk_level=str(p.get("risk_level")),
        assessed_on=L.fmt_date(p.get("risk_assessed_on"), lang),
        income=b.money("annual_income", p.get("annual_income"), T_DATA, c.as_of),
        expense=b.money("monthly_expense", p.get("monthly_expense"), T_DATA, c.as_of),
    )
    blocks.append(Para(text=text, narrative=True))
    if c.assessment_expired:
        blocks.append(Para(text=fill("report_proposal", lang, "profile_expired"), style="WD Note"))
    return Section(title=H[lang]["profile"], blocks=blocks)


def _holdings(c: ProposalContent, b: FigureBook, llm: Any) -> Section:
    lang, t = c.lang, TEXT[c.lang]
    rows = []
    for h in sorted(c.holdings, key=lambda h: -h["market_value"]):
        code = h["product_code"]
        rows.append(
            [
                f"{h['name']}（{code}）" if lang == "zh" else f"{h['name']} ({code})",
                L.label(KINDS, str(h["kind"]), lang),
                str(h["risk_level"]),
                b.money(f"mv_{code}", h["market_value"], T_DATA, c.as_of),
                b.pct(f"weight_{code}", h["weight"], T_PNL, c.as_of),
                b.money(f"gain_{code}", h["gain"], T_PNL, c.as_of),
                b.pct(f"gain_pct_{code}", h.get("gain_pct"), T_PNL, c.as_of),
            ]
        )
    tot = c.pnl
    text = fill(
        "report_proposal",
        lang,
        "pnl",
        as_of=L.fmt_date(c.as_of, lang),
        total=b.money("total_assets", c.total_assets, T_DATA, c.as_of),
        cash=b.money("idle_cash", c.cash, T_DATA, c.as_of),
        gain=b.money("total_gain", tot.gain, T_PNL, c.as_of),
        realized=b.money("realized", tot.realized, T_PNL, c.as_of),
        unrealized=b.money("unrealized", tot.unrealized, T_PNL, c.as_of),
        dividends=b.money("dividends", tot.dividends, T_PNL, c.as_of),
        fees=b.money("fees", tot.fees, T_PNL, c.as_of),
        xirr=b.pct("xirr", c.xirr, T_PNL, c.as_of),
    )
    facts = {"total_assets": c.total_assets, "cash": c.cash, "pnl": tot.model_dump(), "xirr": c.xirr}
    return Section(
        title=H[lang]["holdings"],
        blocks=[
            Table(
                columns=[t["product"], t["kind"], t["risk"], t["mv"], t["weight"], t["gain"], t["gain_pct"]],
                rows=rows,
                numeric=[3, 4, 5, 6],
            ),
            _narrate("pnl", text, c, facts, llm),
        ],
    )


def _lookthrough(c: ProposalContent, b: FigureBook, llm: Any) -> Section:
    lang, t, lk = c.lang, TEXT[c.lang], c.lookthrough
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
    blocks.append(_narrate("lookthrough", text, c, facts, llm))
    return Section(title=H[lang]["lookthrough"], blocks=blocks)


def _subject_basis(subject: str, basis: str, lang: str) -> tuple[str, str]:
    """Concentration subject and basis from analytics ("client assets", "fund NAV (top-10 stocks)") in the
    report language; a fund's top-10 flag reads "<fund>'s top-10 stocks are x% of fund NAV"."""
    if basis.startswith("fund NAV"):
        if lang == "zh":
            return f"{subject}前十大股票合计", "基金净值"
        return f"{subject}'s top-10 stocks", "fund NAV"
    return subject, L.label(TEXT["values"], basis, lang)


def _diagnosis(c: ProposalContent, b: FigureBook) -> Section:
    lang = c.lang
    blocks: list[Any] = []
    for i, f in enumerate(c.findings, start=1):
        n = f"finding_{i}"
        if f.code == "concentration":
            subject, basis = _subject_basis(f.subject, str(f.detail.get("basis")), lang)
            text = fill(
                "report_proposal",
                lang,
                "diag_concentration",
                subject=subject,
                basis=basis,
                value=b.pct(n, f.value, T_LOOK, c.as_of),
                threshold=b.pct(n + "_limit", f.threshold, T_LOOK, c.as_of),
            )
        elif f.code == "risk_mismatch":
            text = fill(
                "report_proposal",
                lang,
                "diag_risk_mismatch",
                subject=f.subject,
                product_risk=f.detail["product_risk"],
                client_risk=f.detail["client_risk"],
                value=b.money(n, f.value, T_DIAG, c.as_of),
            )
        elif f.code == "loss":
            text = fill(
                "report_proposal",
                lang,
                "diag_loss",
                subject=f.subject,
                value=b.pct(n, abs(f.value or 0.0), T_PNL, c.as_of),
                gain=b.money(n + "_gain", abs(f.detail["gain"]), T_PNL, c.as_of),
            )
        elif f.code == "idle_cash":
            text = fill(
                "report_proposal",
                lang,
                "diag_idle_cash",
                value=b.money(n, f.value, T_POTS, c.as_of),
                threshold=b.money(n + "_ceiling", f.threshold, T_POTS, c.as_of),
            )
        else:
            text = fill(
                "report_proposal",
                lang,
                "diag_maturity",
                subject=f.subject,
                date=L.fmt_date(f.detail.get("maturity_date"), lang),
                value=b.money(n, f.value, T_DIAG, c.as_of),
            )
        blocks.append(Para(text=text, narrative=True))
    if not blocks:
        blocks.append(Para(text=fill("report_proposal", lang, "diag_none"), narrative=True))
    return Section(title=H[lang]["diagnosis"], blocks=blocks)


def _target(c: ProposalContent, b: FigureBook) -> Section:
    lang, t = c.lang, TEXT[c.lang]
    rows = []
    for p in c.pots.pots:
        rows.append(
            [
                L.label(TEXT["pots"], p.name, lang),
                b.money(f"pot_{p.name}_current", p.current, T_POTS, c.as_of),
                b.money(f"pot_{p.name}_target", p.target, T_POTS, c.as_of),
                b.money(f"pot_{p.name}_gap", p.gap, T_POTS, c.as_of),
            ]
        )
    by = c.pots.target_by_class
    pots = {p.name: p for p in c.pots.pots}
    text = fill(
        "report_proposal",
        lang,
        "pots",
        **{
            k: b.money(f"pot_{k}_target", pots[k].target if k in pots else None, T_POTS, c.as_of)
            for k in ("liquidity", "protection", "growth")
        },
    )
    total = sum(by.values()) or 1.0
    chart = Chart(
        png=charts.donut(
            [asset_label(k, lang) for k in by], [v / total for v in by.values()], t["chart_target"]
        ),
        caption=t["chart_target"],
        width_cm=12,
    )
    return Section(
        title=H[lang]["target"],
        blocks=[
            Table(columns=[t["pot"], t["current"], t["target"], t["gap"]], rows=rows, numeric=[1, 2, 3]),
            Para(text=text, narrative=True),
            chart,
        ],
    )


def _rebalance(c: ProposalContent, b: FigureBook) -> Section:
    lang, t = c.lang, TEXT[c.lang]
    if c.rebalance is None:
        return Section(
            title=H[lang]["rebalance"],
            blocks=[
                Para(
                    text=fill("report_proposal", lang, "rebalance_blocked", reason=c.suitability_block or ""),
                    narrative=True,
                )
            ],
        )
    lines = c.rebalance.lines
    if not lines:
        return Section(
            title=H[lang]["rebalance"],
            blocks=[Para(text=fill("report_proposal", lang, "rebalance_none"), narrative=True)],
        )
    rows = [
        [
            t[ln.action],
            f"{ln.name}（{ln.product_code}）" if lang == "zh" else f"{ln.name} ({ln.product_code})",
            asset_label(ln.asset_class, lang),
            ln.risk_level,
            b.money(f"trade_{i}_{ln.product_code}", ln.amount, T_REB, c.as_of),
            t["checked"] if ln.product_code in c.rebalance.suitability_checked else "—",
        ]
        for i, ln in enumerate(lines, start=1)
    ]
    sells, buys = c.trade_totals.get("sell", 0.0), c.trade_totals.get("buy", 0.0)
    text = fill(
        "report_proposal",
        lang,
        "rebalance",
        n_lines=b.count("trades", len(lines), T_REB, c.as_of),
        sells=b.money("sells_total", sells, T_TOTALS, c.as_of),
        buys=b.money("buys_total", buys, T_TOTALS, c.as_of),
    )
    return Section(
        title=H[lang]["rebalance"],
        blocks=[
            Table(
                columns=[t["action"], t["product"], t["class"], t["risk"], t["amount"], t["suitability"]],
                rows=rows,
                numeric=[4],
            ),
            Para(text=text, narrative=True),
        ],
    )


def _backtest(c: ProposalContent, b: FigureBook, paths: dict[str, Any] | None) -> Section:
    lang, t = c.lang, TEXT[c.lang]
    if not c.backtest or not c.backtest_window:
        return Section(
            title=H[lang]["backtest"],
            blocks=[Para(text=fill("report_proposal", lang, "backtest_missing"), narrative=True)],
        )
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
    return Section(title=H[lang]["backtest"], blocks=blocks)


def layout(
    c: ProposalContent, b: FigureBook, *, llm: Any = None, paths: dict[str, Any] | None = None
) -> DocContent:
    lang, t = c.lang, TEXT[c.lang]
    name = str(c.client.get("name", c.client_id))
    intro = fill(
        "report_proposal",
        lang,
        "intro",
        client_name=name,
        as_of=L.fmt_date(c.as_of, lang),
        risk_level=str(c.client.get("risk_level")),
    )
    sections = [
        Section(title=H[lang]["summary"], blocks=[Para(text=intro, narrative=True)]),
        _profile(c, b),
        _holdings(c, b, llm),
        _lookthrough(c, b, llm),
        _diagnosis(c, b),
        _target(c, b),
        _rebalance(c, b),
        _backtest(c, b, paths),
        Section(
            title=H[lang]["disclosures"],
            blocks=[
                Para(text=line) for line in fill("report_proposal", lang, "disclosures").splitlines() if line
            ],
        ),
    ]
    sections.append(
        Section(
            title=H[lang]["sources"],
            blocks=[Para(text=t["sources_note"], style="WD Note"), provenance_table(b)],
        )
    )
    rm = c.rm
    sep = "：" if lang == "zh" else ": "
    cid = (f"（{c.client_id}）" if lang == "zh" else f" ({c.client_id})") if c.variant == "internal" else ""
    cover = [
        f"{t['client']}{sep}{name}{cid}",
        f"{t['rm']}{sep}{rm.get('name', rm.get('id', ''))}"
        + (f" · {rm['branch']}" if rm.get("branch") else ""),
        f"{t['date']}{sep}{L.fmt_date(c.as_of, lang)}",
    ]
    badge = t["badge_internal"] if c.variant == "internal" else t["badge_client"]
    return DocContent(
        title=fill("report_proposal", lang, "title"),
        subtitle=fill("report_proposal", lang, "subtitle", client_name=name),
        badge=badge,
        cover_lines=cover,
        sections=sections,
        lang=lang,
    )
