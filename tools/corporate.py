"""Corporate tool: registration, financial ratios, risk events and credit for due diligence (企业画像)."""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from services import corporate
from tools.common import compact, service_deps
from tools.context import AgentContext


class CompanyArgs(BaseModel):
    company: str = Field(
        description="Company name (fuzzy), company id (e.g. E001) or unified social credit code (18 characters)."
    )


class CompanyProfileArgs(CompanyArgs):
    year: int | None = Field(
        default=None, description="Fiscal year of the financial ratios (e.g. 2024); default the latest year."
    )


def resolve_company(ctx: Any, text: str) -> str:
    """A corporate id from an id, a credit code or a (fuzzy) name (``services.corporate.resolve_company``)."""
    from tools.common import deps

    return corporate.resolve_company(deps(ctx), text)


@tool("company_profile", args_schema=CompanyProfileArgs)
def company_profile(company: str, runtime: ToolRuntime[AgentContext], year: int | None = None) -> dict[str, Any]:
    """A company's profile: registration (credit code, legal representative, capital, status), one fiscal
    year's financial ratios (the latest of three unless ``year`` is given), risk events (lawsuits, penalties,
    enforcement, pledges) and credit with the bank."""
    return compact(corporate.company_profile(service_deps(runtime), company, year), max_rows=16)
