"""Lay out the annual wealth report (年度财富报告, client copy) from a ``ProposalContent`` (no I/O).

A short client-facing summary: assets and gain, the look-through allocation, holdings, the largest
industry, the risk rating, disclosures. It is built from the *client* variant of the proposal content
(no ID number or mobile in it, no client id on the cover) and states no internal text: no diagnosis,
no trade lines, no provenance appendix. Every number goes through the ``FigureBook``, and
``render_annual`` passes the whole document through ``reports.render.render_grounded``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InvalidInput
from reports import labels as L
from reports.labels_proposal import KINDS, TEXT, asset_label
from reports.layout_proposal import grounding_facts
from reports.models import DocContent, FigureBook, Para, ReportResult, Section, Table
from reports.narrative import fill

if TYPE_CHECKING:
    from reports.proposal import ProposalContent

LAYOUT_VERSION = "annual-1"  # part of the content hash: a changed layout renders every report again
T_DATA, T_PNL, T_LOOK = "services.loading", "analytics.pnl.client_pnl", "analytics.lookthrough.lookthrough_client"
H = {
    "zh": {"summary": "年度概览", "allocation": "资产配置", "holdings": "持仓明细", "lookthrough": "穿透分析",
           "risk": "风险等级", "disclosures": "风险提示"},
    "en": {"summary": "Overview", "allocation": "Asset allocation", "holdings": "Holdings",
           "lookthrough": "Look-through", "risk": "Risk rating", "disclosures": "Risk disclosures"},
}
COLS = {
    "zh": {"class": "资产类别", "weight": "占比", "product": "产品", "kind": "类型", "risk": "风险等级",
           "mv": "市值", "industry": "行业"},
    "en": {"class": "Asset class", "weight": "Weight", "product": "Product", "kind": "Type", "risk": "Risk",
           "mv": "Market value", "industry": "Industry"},
}


def content_hash(c: ProposalContent) -> str:
    """SHA-256 of what the report states (the content's facts, language and layout version): the same hash
    means the same document, so a rerun can skip it."""
    facts = grounding_facts(c)
    facts.pop("figures", None)
    blob = json.dumps({"layout": LAYOUT_VERSION, "facts": facts}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def layout_annual(c: ProposalContent, b: FigureBook) -> DocContent:
    if c.variant != "client":
        raise InvalidInput("the annual report is client-facing: build it from the client variant",
                           field="variant", hint='proposal_content(..., variant="client")')
    lang, h, cols = c.lang, H[c.lang], COLS[c.lang]
    name = str(c.client.get("name", ""))
    as_of = L.fmt_date(c.as_of, lang)
    tot, look = c.pnl, c.lookthrough
    intro = fill("report_annual", lang, "intro", client_name=name, as_of=as_of)
    assets = fill("report_annual", lang, "assets", as_of=as_of,
                  total=b.money("total_assets", c.total_assets, T_DATA, c.as_of),
                  cash=b.money("idle_cash", c.cash, T_DATA, c.as_of),
                  gain=b.money("total_gain", tot.gain, T_PNL, c.as_of),
                  realized=b.money("realized", tot.realized, T_PNL, c.as_of),
                  unrealized=b.money("unrealized", tot.unrealized, T_PNL, c.as_of),
                  dividends=b.money("dividends", tot.dividends, T_PNL, c.as_of),
                  xirr=b.pct("xirr", c.xirr, T_PNL, c.as_of))
    alloc_rows = [[asset_label(k, lang), b.pct(f"class_{k}", v, T_LOOK, c.as_of)]
                  for k, v in look.asset_classes.items()]
    hold_rows = [[f"{x['name']}（{x['product_code']}）" if lang == "zh" else f"{x['name']} ({x['product_code']})",
                  L.label(KINDS, str(x["kind"]), lang), str(x["risk_level"]),
                  b.money(f"mv_{x['product_code']}", x["market_value"], T_DATA, c.as_of),
                  b.pct(f"weight_{x['product_code']}", x["weight"], T_PNL, c.as_of)]
                 for x in sorted(c.holdings, key=lambda x: -x["market_value"])]
    if look.industries:
        top = look.industries[0]
        lt_text = fill("report_annual", lang, "lookthrough", coverage=b.pct("coverage", look.coverage, T_LOOK, c.as_of),
                       top_industry=top.name,
                       top_industry_weight=b.pct("top_industry_weight", top.weight, T_LOOK, c.as_of))
    else:
        lt_text = fill("report_annual", lang, "lookthrough_none")
    ind_rows = [[i.name, b.pct(f"industry_{i.code}", i.weight, T_LOOK, c.as_of)] for i in look.industries[:5]]
    risk: list[Any] = [Para(text=fill("report_annual", lang, "risk", risk_level=str(c.client.get("risk_level")),
                                      assessed_on=L.fmt_date(c.client.get("risk_assessed_on"), lang)),
                            narrative=True)]
    if c.assessment_expired:
        risk.append(Para(text=fill("report_annual", lang, "risk_expired"), style="WD Note"))
    rm_name = str(c.rm.get("name", ""))
    risk.append(Para(text=fill("report_annual", lang, "closing", rm_name=rm_name), narrative=True))
    lt_blocks: list[Any] = [Para(text=lt_text, narrative=True)]
    if ind_rows:
        lt_blocks.append(Table(columns=[cols["industry"], cols["weight"]], rows=ind_rows, numeric=[1]))
    sections = [
        Section(title=h["summary"], blocks=[Para(text=intro, narrative=True), Para(text=assets, narrative=True)]),
        Section(title=h["allocation"], blocks=[Para(text=fill("report_annual", lang, "allocation")),
                                               Table(columns=[cols["class"], cols["weight"]], rows=alloc_rows,
                                                     numeric=[1])]),
        Section(title=h["holdings"], blocks=[Table(columns=[cols["product"], cols["kind"], cols["risk"], cols["mv"],
                                                            cols["weight"]], rows=hold_rows, numeric=[3, 4])]),
        Section(title=h["lookthrough"], blocks=lt_blocks),
        Section(title=h["risk"], blocks=risk),
        Section(title=h["disclosures"], blocks=[
            Para(text=line) for line in fill("report_annual", lang, "disclosures").splitlines() if line]),
    ]
    t, sep = TEXT[lang], "：" if lang == "zh" else ": "
    cover = [f"{t['client']}{sep}{name}",
             f"{t['rm']}{sep}{rm_name}" + (f" · {c.rm['branch']}" if c.rm.get("branch") else ""),
             f"{t['date']}{sep}{as_of}"]
    return DocContent(title=fill("report_annual", lang, "title"),
                      subtitle=fill("report_annual", lang, "subtitle", client_name=name, year=str(c.as_of.year)),
                      badge=t["badge_client"], cover_lines=cover, sections=sections, lang=lang)


def render_annual(c: ProposalContent, out: Path) -> ReportResult:
    """Render the annual report of ``c`` at ``out``; ``GroundingError`` (nothing written) when a number the
    reader would see is not in the content."""
    from reports.render import render_grounded

    book = FigureBook(c.lang)
    doc = layout_annual(c, book)
    return render_grounded(doc, book, grounding_facts(c), out, what="annual report")
