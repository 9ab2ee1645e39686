"""Corporate tool: registration, financial ratios, risk events and credit for due diligence (企业画像)."""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from analytics.errors import InvalidInput, NotFound
from tools.common import as_of, compact, context, need
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
    cid = resolve_company(ctx, company)
    day = as_of(ctx)
    frames = need("datastore.repositories.corporate", "corporate_frames")(ctx.engine, cid)
    ratios = need("analytics.corporate", "ratios")(frames.financials)
    flags = need("analytics.corporate", "evaluate_flags")
    return compact({"company_id": cid, "as_of": day, "profile": frames.profile, "ratios": ratios,
                    "flags": flags(frames, ratios, as_of=day)}, max_rows=20)
