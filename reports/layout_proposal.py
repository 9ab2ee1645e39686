"""Lay a ``ProposalContent`` out as sections, tables, charts and narrative (no I/O).

Every number goes through the ``FigureBook``; narrative comes from ``prompts/<lang>/report_proposal.md``
or, with an LLM, from ``reports.narrative.llm_commentary`` (verified). The client variant hides internal
notes and personal identifiers (ID number, mobile) — they are not even in its content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reports import labels as L
from reports.labels_proposal import KINDS, TEXT, H
from reports.labels_proposal_plan import display_name
from reports.layout_proposal_charts import (
    T_LOOK,
    T_POTS,
    backtest_section,
    lookthrough_section,
    narrate,
    target_section,
)
from reports.layout_proposal_plan import (
    cards_section,
    disclosure_section,
    discuss_section,
    review_section,
    suitability_section,
    trades_section,
)
from reports.layout_proposal_sources import V, human_provenance
from reports.models import MONEY_UNITS, DocContent, FigureBook, Para, Section, Table, money_unit, with_unit
from reports.narrative import fill

if TYPE_CHECKING:
    from reports.proposal import ProposalContent

T_PNL = "analytics.pnl.client_pnl"
T_REB = "analytics.allocation.propose_rebalance"
T_DATA = "services.loading"
T_DIAG = "reports.proposal._diagnose"
T_TOTALS = "reports.proposal.proposal_content (sum of propose_rebalance lines)"
_SEVERITY = {"high": 0, "medium": 1, "info": 2}
TOTAL = {"zh": "合计", "en": "Total"}


def grounding_facts(c: ProposalContent) -> dict[str, Any]:
    facts = c.model_dump(mode="python", exclude={"narrative"})
    facts["table_totals"] = table_totals(c)
    return facts


def table_totals(c: ProposalContent) -> dict[str, float]:
    """The 合计 rows' sums (arithmetic on the content, so they are facts like the rows they add up)."""
    pots = c.pots.pots
    return {
        "holdings_gain": sum(float(h["gain"] or 0.0) for h in c.holdings),
        "holdings_weight": sum(float(h["weight"] or 0.0) for h in c.holdings) + _cash_weight(c),
        "cash_weight": _cash_weight(c),
        "pots_current": sum(p.current for p in pots),
        "pots_target": sum(p.target for p in pots),
        "pots_gap": sum(p.gap for p in pots),
    }


def _cash_weight(c: ProposalContent) -> float:
    return c.cash / c.total_assets if c.total_assets else 0.0


def _profile(c: ProposalContent, b: FigureBook) -> Section:
    lang, t = c.lang, TEXT[c.lang]
    p = c.client
    b.label = H[lang]["profile"]
    valid = L.fmt_date(c.assessment_valid_until, lang) if c.assessment_valid_until else "—"
    rows = [
        [t["name"], str(p.get("name", ""))],
        [t["age"], b.count("client_age", p.get("age"), T_DATA, c.as_of)],
    ]
    for key in ("occupation", "life_stage", "segment", "risk_level"):
        rows.append([t[key], L.label(TEXT["values"], str(p.get(key, "")), lang)])
    rows.append([t["assessed_on"], L.fmt_date(p.get("risk_assessed_on"), lang)])
    rows.append([V[lang]["valid_until"], valid + (V[lang]["expired"] if c.assessment_expired else "")])
    # masked to the last 4 digits unless the entry point asked (and audited) otherwise
    rows += [[t["id_number"], str(p.get("id_number", ""))], [t["mobile"], str(p.get("mobile", ""))]]
    blocks: list[Any] = [Table(columns=[t["item"], t["value"]], rows=rows, widths=[1.0, 2.5])]
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
    liq = c.rebalance.liquidity_target if c.rebalance is not None else c.pots.pots[0].target
    years = c.horizon_days / 365
    horizon = (f"{years:g}年" if lang == "zh" else f"{years:g} year" + ("s" if years != 1 else ""))
    blocks.append(Para(text=fill(
        "report_proposal", lang, "profile_needs",
        life_stage=L.label(TEXT["values"], str(p.get("life_stage", "")), lang),
        liquidity=b.money("liquidity_need", liq, T_POTS, c.as_of),
        expense=b.money("monthly_expense", p.get("monthly_expense"), T_DATA, c.as_of),
        horizon=horizon), narrative=True))
    if c.assessment_expired:
        blocks.append(Para(text=fill("report_proposal", lang, "profile_expired"), style="WD Note"))
    return Section(title=H[lang]["profile"], blocks=blocks)


def _holdings(c: ProposalContent, b: FigureBook, llm: Any) -> Section:
    lang, t = c.lang, TEXT[c.lang]
    rows = []
    # one unit per money column, chosen from the column's values and stated in its header
    mv_unit = money_unit([c.total_assets], lang)
    gain_unit = money_unit([h["gain"] for h in c.holdings], lang)
    for h in sorted(c.holdings, key=lambda h: -h["market_value"]):
        code = h["product_code"]
        b.label = str(h["name"])
        rows.append(
            [
                display_name(str(h["name"]), h.get("name_en"), code, lang),
                L.label(KINDS, str(h["kind"]), lang),
                str(h["risk_level"]),
                b.money_cell(f"mv_{code}", h["market_value"], T_DATA, c.as_of, mv_unit),
                b.pct(f"weight_{code}", h["weight"], T_PNL, c.as_of),
                b.money_cell(f"gain_{code}", h["gain"], T_PNL, c.as_of, gain_unit),
                b.pct(f"gain_pct_{code}", h.get("gain_pct"), T_PNL, c.as_of),
            ]
        )
    totals = table_totals(c)
    b.label = H[lang]["holdings"]
    rows.append([L.label(KINDS, "cash", lang), L.label(KINDS, "cash", lang), "—",
                 b.money_cell("idle_cash", c.cash, T_DATA, c.as_of, mv_unit),
                 b.pct("cash_weight", totals["cash_weight"], T_PNL, c.as_of), "—", "—"])
    rows.append([TOTAL[lang], "", "", b.money_cell("total_assets", c.total_assets, T_DATA, c.as_of, mv_unit),
                 b.pct("holdings_weight_total", totals["holdings_weight"], T_PNL, c.as_of),
                 b.money_cell("holdings_gain_total", totals["holdings_gain"], T_PNL, c.as_of, gain_unit), ""])
    tot = c.pnl
    b.label = H[lang]["holdings"]
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
                columns=[t["product"], t["kind"], t["risk"], with_unit(t["mv"], mv_unit, lang), t["weight"],
                         with_unit(t["gain"], gain_unit, lang), t["gain_pct"]],
                rows=rows,
                numeric=[3, 4, 5, 6],
                units={3: MONEY_UNITS[mv_unit][1], 5: MONEY_UNITS[gain_unit][1]},
            ),
            narrate("pnl", text, c, facts, llm),
        ],
    )


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
    client = "_client" if c.variant == "client" else ""  # the client copy carries no internal rule text
    ordered = sorted(c.findings, key=lambda f: _SEVERITY.get(f.severity, 9))
    for i, f in enumerate(ordered, start=1):
        n = f"finding_{i}"
        b.label = f"{H[lang]['diagnosis']} {i}"
        if f.code == "concentration" and client:
            subject, basis = _subject_basis(f.subject, str(f.detail.get("basis")), lang)
            text = fill("report_proposal", lang, "diag_concentration_client", subject=subject, basis=basis,
                        value=b.pct(n, f.value, T_LOOK, c.as_of))
        elif f.code == "risk_mismatch" and client:
            text = fill("report_proposal", lang, "diag_risk_mismatch_client", subject=f.subject,
                        product_risk=f.detail["product_risk"], client_risk=f.detail["client_risk"],
                        value=b.money(n, f.value, T_DIAG, c.as_of))
        elif f.code == "concentration":
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
                balance=b.money(n + "_balance", f.detail["balance"], T_DATA, c.as_of),
                months=f"{f.detail['months']:g}",
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
        why = fill("report_proposal", lang, f"why_{f.code}")
        blocks.append(Para(text=f"{i}. {text} {why}" if lang == "en" else f"{i}. {text}{why}", narrative=True))
    if not blocks:
        blocks.append(Para(text=fill("report_proposal", lang, "diag_none"), narrative=True))
    return Section(title=H[lang]["diagnosis"], blocks=blocks)


def _summary(c: ProposalContent, b: FigureBook) -> Section:
    """摘要: three to five key points in plain words (the same figures the sections below show)."""
    lang = c.lang
    b.label = H[lang]["summary"]
    pts = [fill("report_proposal", lang, "key_total", as_of=L.fmt_date(c.as_of, lang),
                total=b.money("total_assets", c.total_assets, T_DATA, c.as_of),
                cash=b.money("idle_cash", c.cash, T_DATA, c.as_of))]
    if c.findings:
        first = sorted(c.findings, key=lambda f: _SEVERITY.get(f.severity, 9))[0]
        pts.append(fill("report_proposal", lang, "key_findings",
                        n=b.count("n_findings", len(c.findings), T_DIAG, c.as_of),
                        first=V[lang]["finding_" + first.code].format(subject=first.subject)))
    reb = c.rebalance
    if reb is not None and reb.lines:
        pts.append(fill("report_proposal", lang, "key_trades",
                        sells=b.money("sells_total", reb.sell_total, T_REB, c.as_of),
                        buys=b.money("buys_total", reb.buy_total, T_REB, c.as_of),
                        cash_after=b.money("cash_after", reb.cash_after, T_REB, c.as_of),
                        liq_target=b.money("liquidity_target", reb.liquidity_target, T_REB, c.as_of)))
    elif reb is None:
        pts.append(fill("report_proposal", lang, "rebalance_blocked", reason=c.suitability_block or ""))
    if reb is not None and (reb.to_discuss or reb.findings):
        pts.append(fill("report_proposal", lang, "key_discuss",
                        n=b.count("n_discuss", len(reb.to_discuss) + len(reb.findings), T_REB, c.as_of)))
    if c.next_review:
        pts.append(fill("report_proposal", lang, "key_review", date=L.fmt_date(c.next_review, lang)))
    intro = fill("report_proposal", lang, "intro", client_name=str(c.client.get("name", c.client_id)),
                 as_of=L.fmt_date(c.as_of, lang), risk_level=str(c.client.get("risk_level")))
    blocks: list[Any] = [Para(text=intro, narrative=True)]
    blocks += [Para(text=f"{i}. {t}", narrative=True) for i, t in enumerate(pts[:5], start=1)]
    return Section(title=H[lang]["summary"], blocks=blocks)


def _trades(c: ProposalContent, b: FigureBook) -> Section:
    lang = c.lang
    if c.rebalance is None:
        text = fill("report_proposal", lang, "rebalance_blocked", reason=c.suitability_block or "")
        return Section(title=H[lang]["rebalance"], blocks=[Para(text=text, narrative=True)])
    blocks = trades_section(c, b)
    if not blocks:
        blocks = [Para(text=fill("report_proposal", lang, "rebalance_none"), narrative=True)]
    return Section(title=H[lang]["rebalance"], blocks=blocks)


def layout(
    c: ProposalContent, b: FigureBook, *, llm: Any = None, paths: dict[str, Any] | None = None
) -> DocContent:
    lang, t = c.lang, TEXT[c.lang]
    name = str(c.client.get("name", c.client_id))
    sections = [
        _summary(c, b),
        _profile(c, b),
        _holdings(c, b, llm),
        lookthrough_section(c, b, llm),
        _diagnosis(c, b),
        target_section(c, b),
        _trades(c, b),
    ]
    sections += [s for s in (discuss_section(c, b), cards_section(c, b)) if s is not None]
    sections += [backtest_section(c, b, paths), disclosure_section(c), suitability_section(c), review_section(c)]
    if c.variant == "internal":
        sections.append(Section(title=H[lang]["sources"], blocks=human_provenance(b, lang)))
    rm = c.rm
    sep = "：" if lang == "zh" else ": "
    cid = (f"（{c.client_id}）" if lang == "zh" else f" ({c.client_id})") if c.variant == "internal" else ""
    cover = [
        f"{t['client']}{sep}{name}{cid}",
        f"{t['rm']}{sep}{rm.get('name', rm.get('id', ''))}"
        + (f" · {rm['branch']}" if rm.get("branch") else ""),
        f"{t['date']}{sep}{L.fmt_date(c.as_of, lang)}",
        fill("report_proposal", lang, "statement"),
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
