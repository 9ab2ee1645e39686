"""Lay a ``DueDiligenceContent`` out as a 授信尽调报告 (no I/O): the scenario picks the sections.

* credit: 核心结论 · 企业基本情况 · 股权结构 · 经营情况 · 行业分析 · 财务分析 · 还款来源 · 对外担保与关联交易 ·
  征信与融资 · 风险信息 (+ 数据可信度) · 授信方案 · 结论与风险提示 · 调查人声明;
* account-opening: 核心结论 · 企业基本情况 · KYC · 股权结构与受益所有人 · 反洗钱风险评级 · 账户用途 · 风险信息 ·
  结论 · 声明 (no credit template);
* change: 核心结论 · 变更对比 · 企业基本情况 · 股权结构 · 财务分析 · 征信与融资 · 风险信息 · 结论 · 声明.

Every number goes through the ``FigureBook``; narrative comes from ``prompts/<lang>/report_dd.md`` (or an
LLM whose text must pass the grounding verifier). Section builders live in ``reports.dd``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reports import labels as L
from reports.dd import basics, credit, finance
from reports.dd import text as X
from reports.dd.common import Ctx
from reports.dd.provenance import appendix
from reports.models import DocContent, FigureBook, Section

if TYPE_CHECKING:
    from reports.due_diligence import DueDiligenceContent

Builder = Callable[[Ctx], list[Section]]
SECTIONS: dict[str, tuple[Builder, ...]] = {
    "credit": (basics.core, basics.basics, basics.ownership, finance.business, finance.industry,
               finance.financials, finance.repayment, credit.guarantees, credit.credit, credit.risk, credit.plan,
               credit.conclusion, basics.declaration),
    "account-opening": (basics.core, basics.basics, basics.kyc, basics.ownership, basics.aml, basics.purpose,
                        credit.risk, credit.conclusion, basics.declaration),
    "change": (basics.core, credit.changes, basics.basics, basics.ownership, finance.financials, credit.credit,
               credit.risk, credit.conclusion, basics.declaration),
}


def layout(c: DueDiligenceContent, book: FigureBook, *, llm: Any = None) -> DocContent:
    x = Ctx(c, book, llm)
    sections = [s for build in SECTIONS[c.scenario] for s in build(x)]
    note = x.para("provenance_note")
    sections.append(Section(title=x.h("provenance"), blocks=[appendix(book), note]))
    reg = c.registration
    sc_name = L.SCENARIO_NAMES[c.scenario][c.lang]
    title = X.t(X.WORDS, "title" if c.scenario == "credit" else f"title_{c.scenario}", c.lang)
    sep = "：" if x.zh else ": "
    return DocContent(
        title=title,
        subtitle=f"{c.name} · {sc_name}",
        badge=x.w("internal"),
        cover_lines=[
            c.bank_name,
            f"{x.w('credit_code')}{sep}{reg.get('credit_code', x.miss)}",
            f"{x.w('as_of')}{sep}{x.date(c.as_of)}",
        ],
        sections=sections,
        lang=c.lang,
        header=f"{c.bank_name} · {title}",
    )
