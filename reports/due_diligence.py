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

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from analytics import corporate as corp
from analytics.errors import Forbidden, InvalidInput
from analytics.identifiers import is_valid_credit_code
from datastore.repositories import corporate as repo
from datastore.repositories.meta import as_of_date
from reports import labels as L
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
    figures: list[Figure] = Field(default_factory=list)
    narrative: dict[str, str] = Field(default_factory=dict)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


def dd_content(
    engine: Engine, caller: Any, company: str, scenario: str, *, lang: Lang = "zh"
) -> DueDiligenceContent:
    """Structured DD content for ``company`` (name, id like ``E001`` or credit code) and ``scenario``."""
    if scenario not in corp.SCENARIOS:
        raise InvalidInput(
            f"unknown scenario {scenario!r}", field="--scenario", hint="credit | account-opening | change"
        )
    if getattr(caller, "role", None) == "client_channel":
        raise Forbidden(
            "客户服务渠道不能查询企业尽调数据 (the client channel has no access to due diligence)"
        )
    reg = repo.find_corporate(engine, company)
    if reg is None:
        raise InvalidInput(
            f"no company matches {company!r}", field="--company", hint="use the name, E-id or credit code"
        )
    cid = reg["id"]
    as_of = as_of_date(engine)
    fin = repo.corporate_financials(engine, cid)
    holders = repo.corporate_shareholders(engine, cid)
    events = repo.corporate_risk_events(engine, cid)
    credit = repo.corporate_credit(engine, cid)

    years = corp.expected_years(as_of)
    missing = corp.missing_years(fin, years)
    ratio_list = corp.ratios(fin, years)
    latest_rows = fin[fin["year"] == max((y for y in years if y not in missing), default=-1)]
    equity = (
        None
        if latest_rows.empty or pd.isna(latest_rows["equity"].iloc[0])
        else float(latest_rows["equity"].iloc[0])
    )
    code_ok = is_valid_credit_code(str(reg["credit_code"]))
    flags = corp.evaluate_flags(
        scenario,  # type: ignore[arg-type]
        status=str(reg["status"]),
        credit_code_valid=code_ok,
        ratio_list=ratio_list,
        years=years,
        missing_year_list=missing,
        shareholders=holders,
        risk_events=events,
        credit=credit,
        as_of=as_of,
        equity=equity,
    )
    by_year = {int(r["year"]): r for r in _records(fin)}
    financials = [{"year": y, **{k: by_year.get(y, {}).get(k) for k in L.FIN_ITEMS}} for y in years]
    totals: dict[str, float | int | None] = {
        "lenders": int(credit["lender"].nunique()) if len(credit) else 0,
        "limit": float(credit["limit_amount"].sum()) if len(credit) else None,
        "balance": float(credit["balance"].sum()) if len(credit) else None,
        "overdue_days": int(credit["overdue_days"].max()) if len(credit) else None,
        "max_overdue_days_24m": int(credit["max_overdue_days_24m"].max()) if len(credit) else None,
        "events": len(events),
        "open_events": int((events["status"] == "open").sum()) if len(events) else 0,
    }
    content = DueDiligenceContent(
        company_id=cid,
        name=str(reg["name"]),
        scenario=scenario,
        lang=lang,
        as_of=as_of,
        registration={k: reg[k] for k in reg if k != "id"},
        credit_code_valid=code_ok,
        shareholders=_records(holders),
        years=years,
        missing_years=missing,
        financials=financials,
        ratios=ratio_list,
        risk_events=_records(events),
        credit=_records(credit),
        credit_totals=totals,
        flags=flags,
        conclusion=corp.conclusion(flags),
    )
    return content


def grounding_facts(content: DueDiligenceContent) -> dict[str, Any]:
    """What the narrative may cite: the content itself (without narrative text)."""
    return content.model_dump(mode="python", exclude={"narrative"})


def build_due_diligence(
    engine: Engine,
    caller: Any,
    company: str,
    scenario: str,
    out: Path | str,
    *,
    lang: Lang = "zh",
    settings: Any = None,
    llm: Any = None,
) -> ReportResult:
    """Build the DD docx at ``out``. Raises ``GroundingError`` (nothing written) on an ungrounded number."""
    from reports.narrative import resolve_llm

    content = dd_content(engine, caller, company, scenario, lang=lang)
    llm = resolve_llm(settings, llm)
    book = FigureBook(lang)
    doc = layout(content, book, llm=llm)
    content.figures = book.figures
    return render_grounded(doc, book, grounding_facts(content), Path(out), what="due-diligence report")
