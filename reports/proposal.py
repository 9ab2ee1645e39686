"""Client allocation proposal (资产配置建议书): the content model and its rendering.

The content is assembled by ``services.proposal.proposal_content`` (access check, loading, analytics);
``render_proposal(content, out)`` lays it out (``reports.layout_proposal``), verifies every number
against the content and renders the docx. Nothing here reads data.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from analytics import allocation, lookthrough, pnl
from reports.models import Figure, FigureBook, Lang, ReportResult

Variant = Literal["internal", "client"]


class Finding(BaseModel):
    """One diagnosis item: ``code`` (concentration | risk_mismatch | loss | idle_cash | maturity), facts."""

    code: str
    severity: Literal["high", "medium", "info"]
    subject: str  # product/security/industry name
    value: float | None = None
    threshold: float | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class ProposalContent(BaseModel):
    """Everything the proposal states, as data (yuan, fractions, dates)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client_id: str
    lang: Lang
    variant: Variant = "internal"
    as_of: date
    client: dict[str, Any]  # profile; id_number/mobile only in the internal variant
    rm: dict[str, Any]
    assessment_expired: bool
    total_assets: float
    cash: float
    holdings: list[dict[str, Any]]  # product rows with market value, cost, gain, gain_pct, weight
    pnl: pnl.PnLTotals
    xirr: float | None
    lookthrough: lookthrough.ClientLookthrough
    findings: list[Finding]
    pots: allocation.ThreePots
    rebalance: allocation.RebalanceProposal | None
    suitability_block: str | None = None  # why no rebalancing lines (the gate refused), if so
    trade_totals: dict[str, float] = Field(default_factory=dict)  # {"sell": yuan, "buy": yuan} over the lines
    backtest: dict[str, dict[str, float]] | None = None
    backtest_window: tuple[date, date] | None = None
    trades: list[dict[str, Any]] = Field(default_factory=list)  # per rebalance line: fee, realised, settle_days
    product_cards: list[dict[str, Any]] = Field(default_factory=list)  # terms of each product bought
    next_review: date | None = None  # 定期检视: as_of + policy.alerts.review_months
    elderly_age: int = 70
    horizon_days: int = 365  # policy.products.reinvestment_horizon_days: the growth money's planning horizon
    assessment_valid_until: date | None = None
    names_en: dict[str, str] = Field(default_factory=dict)  # English names the data holds (fund companies, ...)
    figures: list[Figure] = Field(default_factory=list)
    narrative: dict[str, str] = Field(default_factory=dict)
    # growth-of-1 paths of the backtest, for the charts only (not part of the facts)
    _paths: dict[str, pd.Series] | None = PrivateAttr(default=None)


_HOLDING_COLS = (
    "product_code",
    "name",
    "kind",
    "asset_class",
    "risk_level",
    "market_value",
    "cost",
    "gain",
    "gain_pct",
    "weight",
    "maturity_date",
)


def render_proposal(
    content: ProposalContent, out: Path | str, *, llm: Any = None, bank: dict[str, Any] | None = None
) -> ReportResult:
    """Lay out and render ``content`` at ``out``; ``GroundingError`` (nothing written) when any number in
    the document is not in the content. The internal variant also writes the full machine provenance as
    ``<out>.provenance.json`` next to the docx."""
    from reports.layout_proposal import grounding_facts, layout
    from reports.render import render_grounded

    source = content
    if content.lang == "en":  # stored Chinese names shown in English (on a copy; the rules ran in Chinese)
        from reports.english_content import proposal_in_english

        content = proposal_in_english(content, content.names_en)
    book = FigureBook(content.lang)
    doc = layout(content, book, llm=llm, paths=content._paths)
    if bank:
        doc.bank_name, doc.bank_logo = bank.get("name"), bank.get("logo")
    content.figures = source.figures = book.figures
    source.narrative = content.narrative
    result = render_grounded(doc, book, grounding_facts(content), Path(out), what="proposal")
    if content.variant == "internal":
        sidecar = Path(out).with_suffix(".provenance.json")
        sidecar.write_text(
            json.dumps([f.model_dump(mode="json") for f in book.figures], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return result
