"""Document tools: the content of a client proposal (资产配置建议书) and a due-diligence report (尽调报告),
from the report builders; with ``write_docx`` the .docx is generated and attached to the answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from langchain.tools import ToolRuntime, tool
from pydantic import BaseModel, Field

from tools.common import client_guard, compact, context, deps
from tools.context import AgentContext
from tools.corporate import resolve_company

_PII_FIELDS = ("id_number", "mobile")


class ProposalArgs(BaseModel):
    client_id: str = Field(description="Client id in the caller's book, e.g. C0001.", pattern=r"^[Cc]\d{4}$")
    lang: Literal["zh", "en"] = Field("zh", description="Language of the proposal.")
    write_docx: bool = Field(False, description="Also generate the .docx file and attach it.")


class DueDiligenceArgs(BaseModel):
    company: str = Field(description="Company name, id (E001) or unified social credit code.")
    scenario: Literal["credit", "account-opening", "change"] = Field(
        "credit", description="credit (授信), account-opening (开户) or change (变更)."
    )
    write_docx: bool = Field(False, description="Also generate the .docx file and attach it.")


@tool("draft_proposal", args_schema=ProposalArgs)
def draft_proposal(
    client_id: str, runtime: ToolRuntime[AgentContext], lang: Literal["zh", "en"] = "zh", write_docx: bool = False
) -> dict[str, Any]:
    """Draft an allocation proposal for a client (资产配置建议书): sections and the figures they use."""
    ctx, cid = client_guard(runtime, client_id)
    if write_docx:
        out = Path(ctx.settings.resolved_reports_dir) / f"proposal_{cid}_{lang}.docx"
        from services.proposal import (
            build_proposal,  # lazy: charts and docx load only when a file is asked for
        )

        built = build_proposal(ctx.engine, ctx.caller, cid, out, lang=lang, settings=ctx.settings,
                               llm=ctx.extras.get("report_llm"))
        ctx.attachments.append(str(built.path))
        return compact({"client_id": cid, "path": str(built.path), "sections": built.sections,
                        "figures": built.figures, "ungrounded_numbers": built.ungrounded_numbers}, max_rows=30)
    from services.proposal import proposal_content

    content = proposal_content(ctx.engine, ctx.caller, cid, lang, policy=deps(ctx).policy)
    out = compact(content, max_rows=10)
    for key in _PII_FIELDS:  # the chat answer never repeats identity documents or phone numbers
        out.get("client", {}).pop(key, None)
    out["_hide"] = ["lang", "variant", "backtest", "backtest_window"]
    return out


@tool("draft_due_diligence", args_schema=DueDiligenceArgs)
def draft_due_diligence(
    company: str, runtime: ToolRuntime[AgentContext], scenario: str = "credit", write_docx: bool = False
) -> dict[str, Any]:
    """Draft a corporate due-diligence report (企业尽职调查报告) for a scenario: findings, ratios, flags."""
    ctx = context(runtime)
    cid = resolve_company(ctx, company)
    if write_docx:
        out = Path(ctx.settings.resolved_reports_dir) / f"dd_{cid}_{scenario}.docx"
        from services.due_diligence import build_due_diligence

        built = build_due_diligence(ctx.engine, ctx.caller, cid, scenario, out, settings=ctx.settings,
                                    llm=ctx.extras.get("report_llm"))
        ctx.attachments.append(str(built.path))
        return compact({"company_id": cid, "path": str(built.path), "sections": built.sections,
                        "figures": built.figures, "ungrounded_numbers": built.ungrounded_numbers}, max_rows=30)
    from services.due_diligence import dd_content

    content = dd_content(ctx.engine, ctx.caller, cid, scenario, policy=deps(ctx).policy)
    out = compact(content, max_rows=10)
    out["_hide"] = ["lang", "years"]
    return out
