"""The DD report's provenance: a compact, human-readable appendix (one row per source) in the document,
and the full machine provenance (every figure: name, value, unit, tool, data date) as a sidecar JSON next
to the .docx — a credit committee reads sources, an auditor reads the sidecar."""

from __future__ import annotations

import json
from pathlib import Path

from reports.models import Figure, FigureBook, Table

SOURCES: dict[str, tuple[str, str]] = {
    "datastore.repositories.corporate": ("企业登记、财务报表、股东、风险事件与授信记录（本行企业数据库）",
                                         "Registration, statements, shareholders, risk events and credit (corporate database)"),
    "datastore.repositories.market": ("申万行业指数与市场基准指数行情", "Shenwan industry and market index levels"),
    "analytics.corporate.ratios": ("财务指标（本行统一口径）", "Financial ratios (bank-wide definitions)"),
    "analytics.corporate.evaluate_flags": ("预警信号规则", "Warning-signal rules"),
    "analytics.corporate_ownership.look_through": ("股权穿透（逐层持股比例相乘）", "Ownership look-through (shares multiplied)"),
    "analytics.credit_plan": ("授信方案与压力测试规则", "Credit-proposal and stress rules"),
    "core.policy.CreditThresholds": ("授信政策参数", "Credit policy parameters"),
    "analytics.corporate_checks": ("数据可信度核查", "Data plausibility checks"),
}


def appendix(book: FigureBook) -> Table:
    zh = book.lang == "zh"
    dates: dict[str, str] = {}
    for f in book.figures:
        dates.setdefault(f.tool, f.as_of.isoformat() if f.as_of else "—")
    rows = [[SOURCES.get(tool, (tool, tool))[0 if zh else 1], d] for tool, d in dates.items()]
    cols = ["数据来源", "数据日期"] if zh else ["Source", "Data date"]
    return Table(columns=cols, rows=rows, widths=[7, 2])


def sidecar_path(docx: Path) -> Path:
    return docx.with_suffix(".provenance.json")


def write_sidecar(docx: Path, figures: list[Figure]) -> Path:
    path = sidecar_path(docx)
    path.write_text(json.dumps([f.model_dump(mode="json") for f in figures], ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return path
