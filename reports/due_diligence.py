"""Corporate due-diligence report (企业尽职调查报告): structured content first, then the .docx.

``dd_content(engine, caller, company, scenario)`` gathers registration (credit code verified with the
GB 32100 check digit), shareholders and pledges, three fiscal years of statements, ratios and
cross-checks from ``analytics.corporate``, risk events, credit facilities and overdue history, and the
scenario's rule-based flags and conclusion — a ``DueDiligenceContent``. ``build_due_diligence`` lays it
out, writes narrative (templates offline, or an LLM whose text must pass the grounding verifier) and
renders the docx on the styled base template.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from analytics import corporate as corp
from analytics.corporate_checks import Change, Warning_
from analytics.corporate_ownership import Ownership
from analytics.credit_plan import CreditPlan
from reports.dd.provenance import write_sidecar
from reports.layout_dd import layout
from reports.models import Figure, FigureBook, Lang, ReportResult
from reports.render import render_grounded

TOOL_RATIOS = "analytics.corporate.ratios"
TOOL_FLAGS = "analytics.corporate.evaluate_flags"
TOOL_DATA = "datastore.repositories.corporate"
TOOL_CODE = "analytics.identifiers.is_valid_credit_code"


class DueDiligenceContent(BaseModel):
    """Everything the DD report states, as data. Money in yuan, ratios as fractions/times/days."""

    company_id: str
    name: str
    scenario: str
    lang: Lang
    as_of: date
    registration: dict[str, Any]
    credit_code_valid: bool
    shareholders: list[dict[str, Any]]
    years: list[int]
    missing_years: list[int]
    financials: list[dict[str, Any]]  # one dict per expected year: {"year", item: value | None}
    ratios: list[corp.Ratio]
    revenue_stress: float = corp.REVENUE_STRESS
    risk_events: list[dict[str, Any]]
    credit: list[dict[str, Any]]
    credit_totals: dict[str, float | int | None]
    flags: list[corp.Flag]
    conclusion: corp.Conclusion
    years_in_operation: int | None = None
    share_total: float | None = None  # sum of the direct holders' shares (should be 100%)
    stress: list[tuple[float, float | None]] = Field(default_factory=list)  # (revenue shock, DSCR), latest year
    ownership: Ownership | None = None
    # holder → company edges above the company (layer 1 = direct holders), for the ownership chart
    ownership_edges: list[dict[str, Any]] = Field(default_factory=list)
    warnings: list[Warning_] = Field(default_factory=list)  # data plausibility, for the credit officer
    changes: list[Change] = Field(default_factory=list)  # change scenario: between the two snapshots
    change_from: date | None = None  # the earlier snapshot (derived from dated history)
    plan: CreditPlan | None = None  # credit scenario: 授信方案
    aml_rating: str | None = None  # account opening: low | medium | high
    aml_reasons: list[str] = Field(default_factory=list)
    peers: list[dict[str, Any]] = Field(default_factory=list)  # same-industry companies' latest ratios
    industry_return_1y: float | None = None
    market_return_1y: float | None = None
    thresholds: dict[str, float | int] = Field(default_factory=dict)  # the policy numbers the rules used
    bank_name: str = "WealthDesk"
    figures: list[Figure] = Field(default_factory=list)
    narrative: dict[str, str] = Field(default_factory=dict)


def grounding_facts(content: DueDiligenceContent) -> dict[str, Any]:
    """What the narrative may cite: the content itself (without narrative text)."""
    return content.model_dump(mode="python", exclude={"narrative"})


def render_due_diligence(content: DueDiligenceContent, out: Path | str, *, llm: Any = None) -> ReportResult:
    """Lay out and render ``content`` at ``out``; ``GroundingError`` (nothing written) on an ungrounded number."""
    source = content
    if content.lang == "en":  # stored Chinese names shown in English (on a copy; the rules ran in Chinese)
        from reports.english_content import dd_in_english

        content = dd_in_english(content)
    book = FigureBook(content.lang)
    doc = layout(content, book, llm=llm)
    content.figures = source.figures = book.figures
    source.narrative = content.narrative
    result = render_grounded(doc, book, grounding_facts(content), Path(out), what="due-diligence report")
    write_sidecar(result.path, book.figures)  # full machine provenance beside the docx
    return result
