"""Client tools beyond the portfolio: the overview (总资产/持仓/到期), two clients compared, and a client or
fund against a benchmark (沪深300, 中债综合, the target mix)."""

from __future__ import annotations

from typing import Any, Literal

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from services import benchmark as benchmark_service
from services import clients
from tools.common import PERIOD_HELP, compact, service_deps
from tools.context import AgentContext
from tools.portfolio import CLIENT_ID, ClientArgs


class CompareClientsArgs(BaseModel):
    client_ids: list[str] = Field(min_length=2, max_length=2, description="Two client ids, e.g. [C0001, C0002].")
    period: str = Field("since_purchase", description=PERIOD_HELP)


class BenchmarkArgs(BaseModel):
    client_id: str | None = Field(None, description="Client id (C0001); give this or fund.", pattern=r"^[Cc]\d{4}$")
    fund: str | None = Field(None, description="Fund code or name; give this or client_id.")
    benchmark: Literal["000300", "CBA00101", "target"] = Field(
        "000300", description="000300 = 沪深300 CSI 300, CBA00101 = 中债综合 bond index, target = the client's target mix."
    )
    period: str = Field("ytd", description=PERIOD_HELP)


@tool("client_overview", args_schema=ClientArgs)
def client_overview(client_id: str, runtime: ToolRuntime[AgentContext]) -> dict[str, Any]:
    """A client's overview (客户概况): total assets, holdings with product names and risk levels, cash, risk
    level with its assessment date and expiry, age, upcoming maturities with dates."""
    return compact(clients.client_overview(service_deps(runtime), client_id), max_rows=30)


@tool("compare_clients", args_schema=CompareClientsArgs)
def compare_clients(client_ids: list[str], runtime: ToolRuntime[AgentContext], period: str = "since_purchase") -> dict[str, Any]:
    """Two of the caller's clients side by side (客户对比): assets, gain, XIRR, asset mix, common products and
    the look-through overlap of their underlying securities."""
    return compact(clients.compare_clients(service_deps(runtime), client_ids[0], client_ids[1], period))


@tool("benchmark_comparison", args_schema=BenchmarkArgs)
def benchmark_comparison(
    runtime: ToolRuntime[AgentContext], client_id: str | None = None, fund: str | None = None,
    benchmark: str = "000300", period: str = "ytd",
) -> dict[str, Any]:
    """Did a client or a fund beat the benchmark (跑赢沪深300了吗)? The return over the period next to the
    benchmark's (always named) and the excess return."""
    return compact(benchmark_service.compare_to_benchmark(service_deps(runtime), client_id=client_id, fund=fund,
                                                  benchmark=benchmark, period=period))


__all__ = ["CLIENT_ID", "benchmark_comparison", "client_overview", "compare_clients"]
