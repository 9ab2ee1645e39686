"""Corporate tool: registration, financial ratios, risk events and credit for due diligence (企业画像)."""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from analytics import corporate
from analytics.errors import Forbidden, InvalidInput, NotFound
from datastore.repositories import corporate as corp_repo
from tools.common import as_of, compact, context
from tools.context import AgentContext
from tools.resolve import best_match


class CompanyArgs(BaseModel):
    company: str = Field(
        description="Company name (fuzzy), company id (e.g. E001) or unified social credit code (18 characters)."
    )


def resolve_company(ctx: AgentContext, text: str) -> str:
    """A corporate id from an id, a credit code or a (fuzzy) name."""
    from datastore.repositories.lexicon import corporate_names

    rows = corporate_names(ctx.engine)
    value = (text or "").strip()
    for cid, name, code in rows:
        if value.upper() in (cid.upper(), code.upper()) or value == name:
            return cid
    key, options = best_match(value, [(i, n) for i, n, _ in rows], kind="company")
    if key:
        return key
    if options:
        names = "; ".join(f"{n} ({i})" for i, n in options)
        raise InvalidInput(f"several companies match {value!r}: {names}", field="company", hint="give the id")
    raise NotFound(f"no company matches {value!r}", field="company", hint="give the name, id or credit code")


@tool("company_profile", args_schema=CompanyArgs)
def company_profile(company: str, runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """A company's profile: registration (credit code, legal representative, capital, status), three-year
    financial ratios, risk events (lawsuits, penalties, enforcement, pledges) and credit with the bank."""
    ctx = context(runtime)
    if ctx.caller.role == "client_channel":
        raise Forbidden("客户服务渠道不能查询企业数据 (the client channel has no access to corporate data)")
    cid = resolve_company(ctx, company)
    day = as_of(ctx)
    reg = corp_repo.find_corporate(ctx.engine, cid) or {}
    years = corporate.expected_years(day)
    ratios = corporate.ratios(corp_repo.corporate_financials(ctx.engine, cid), years)
    latest = [r.model_dump(include={"metric", "value", "unit"}) for r in ratios if r.year == years[-1]]
    keep = ("id", "name", "credit_code", "legal_rep", "registered_capital", "founded", "industry", "status", "listed")
    return compact({"company_id": cid, "as_of": day, "profile": {k: reg.get(k) for k in keep},
                    "ratios_year": years[-1], "ratios": latest,
                    "risk_events": corp_repo.corporate_risk_events(ctx.engine, cid).to_dict("records"),
                    "credit": corp_repo.corporate_credit(ctx.engine, cid).to_dict("records")}, max_rows=16)
