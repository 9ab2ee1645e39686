"""All tools by stable name, and the subset a caller may use.

The client FAQ channel gets no client-data tool at all (only knowledge search and public fund/shelf
information); RMs and admins get everything (tools still check each client id against the caller).
"""

from __future__ import annotations

from langchain_core.tools import BaseTool

from core.identity import Caller
from tools.book import book_scan, book_totals
from tools.clients import benchmark_comparison, client_overview, compare_clients
from tools.corporate import company_profile
from tools.funds import (
    check_suitability,
    compare_funds,
    fund_metrics,
    fund_overlap,
    fund_profile,
    search_products,
)
from tools.knowledge import search_knowledge
from tools.portfolio import (
    allocation_review,
    industry_exposure,
    lookthrough_portfolio,
    performance_attribution,
    portfolio_performance,
    retirement_plan,
    wealth_health_score,
)
from tools.reports import draft_due_diligence, draft_proposal

TOOL_NAMES = (
    "lookthrough_portfolio", "portfolio_performance", "industry_exposure", "fund_profile", "fund_overlap",
    "allocation_review", "performance_attribution", "search_products", "search_knowledge", "book_scan",
    "retirement_plan", "company_profile", "draft_proposal", "draft_due_diligence",
    # business-layer capabilities (issue 10)
    "client_overview", "benchmark_comparison", "fund_metrics", "compare_funds", "compare_clients",
    "check_suitability", "wealth_health_score", "book_totals",
)
PUBLIC_TOOLS = ("search_knowledge", "fund_profile", "fund_metrics", "compare_funds")


def all_tools() -> list[BaseTool]:
    tools: list[BaseTool] = [
        lookthrough_portfolio, portfolio_performance, industry_exposure, fund_profile, fund_overlap,
        allocation_review, performance_attribution, search_products, search_knowledge, book_scan,
        retirement_plan, company_profile, draft_proposal, draft_due_diligence,
        client_overview, benchmark_comparison, fund_metrics, compare_funds, compare_clients,
        check_suitability, wealth_health_score, book_totals,
    ]
    assert tuple(t.name for t in tools) == TOOL_NAMES
    return tools


def tools_for(caller: Caller) -> list[BaseTool]:
    if caller.role == "client_channel":
        return [t for t in all_tools() if t.name in PUBLIC_TOOLS]
    return all_tools()
