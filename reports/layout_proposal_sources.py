"""The internal copy's human-readable sources appendix, and the few proposal labels it shares.

A reader sees each figure as it appears in the text (its row or claim label and the printed value), where
it comes from in words and its data date; no variable names, no module paths. One row per distinct
printed figure, capped so the appendix stays within two pages; the full machine provenance is the
``.provenance.json`` sidecar next to the docx (``reports.proposal.render_proposal``).
"""

from __future__ import annotations

from typing import Any

from reports.models import FigureBook, Para, Table

MAX_ROWS = 40  # within two A4 pages at the appendix's table style (rendered and counted)

V = {
    "zh": {
        "valid_until": "风险测评有效期至", "expired": "（已过期）",
        "finding_concentration": "{subject}占比偏高", "finding_risk_mismatch": "{subject}的风险高于您的承受能力",
        "finding_loss": "{subject}亏损较大", "finding_idle_cash": "活期闲置资金偏多",
        "finding_maturity": "{subject}即将到期",
    },
    "en": {
        "valid_until": "Risk assessment valid until", "expired": " (expired)",
        "finding_concentration": "{subject} is a large share", "finding_risk_mismatch":
        "{subject} is riskier than your tolerance", "finding_loss": "{subject} shows a large loss",
        "finding_idle_cash": "too much idle cash in the current account", "finding_maturity": "{subject} matures soon",
    },
}

# where a figure comes from, in words (keyed by the first matching prefix of the figure's tool)
_SOURCE = [
    ("services.loading", {"zh": "我行客户与持仓数据", "en": "bank client and holdings records"}),
    ("analytics.pnl", {"zh": "按交易流水计算的盈亏", "en": "gain/loss computed from the transaction history"}),
    ("analytics.lookthrough", {"zh": "基金定期报告披露持仓穿透", "en": "look-through of funds' disclosed holdings"}),
    ("analytics.overlap", {"zh": "基金定期报告披露持仓穿透", "en": "look-through of funds' disclosed holdings"}),
    ("analytics.allocation.three_pots", {"zh": "“三笔钱”配置规则", "en": "three-pots allocation rules"}),
    ("analytics.allocation.compare_backtest", {"zh": "资产类别指数历史回测（模拟）",
                                               "en": "historical simulation on asset-class indices"}),
    ("analytics", {"zh": "调仓规则（适当性、目标配置）", "en": "rebalancing rules (suitability, target mix)"}),
    ("services.proposal_trades", {"zh": "产品费率与持仓成本", "en": "product fee schedule and position cost"}),
    ("reports.proposal", {"zh": "配置诊断规则", "en": "diagnosis rules"}),
]
COLUMNS = {"zh": ["项目", "数值", "来源", "数据日期"], "en": ["Item", "Value", "Source", "Data date"]}
NOTE = {
    "zh": "下表列出正文中的主要数字（按出现顺序，同一数字只列一次）；完整的机器可读出处见随附 JSON 文件。",
    "en": "The main figures of the text in order of appearance (each once); the full machine-readable "
    "provenance is in the accompanying JSON file.",
}


# what a figure measures, in words, for the names the layouts use most (others show their row/claim label)
_WHAT = {
    "total_assets": {"zh": "金融资产合计", "en": "total financial assets"},
    "idle_cash": {"zh": "活期余额", "en": "current account"},
    "n_findings": {"zh": "诊断问题数", "en": "number of findings"},
    "sells_total": {"zh": "卖出合计", "en": "total sold"},
    "buys_total": {"zh": "买入合计", "en": "total bought"},
    "cash_after": {"zh": "调整后活期", "en": "current account after trades"},
    "liquidity_target": {"zh": "流动性储备目标", "en": "liquidity target"},
    "n_discuss": {"zh": "待沟通事项数", "en": "points to discuss"},
    "client_age": {"zh": "年龄", "en": "age"},
    "annual_income": {"zh": "家庭年收入", "en": "annual household income"},
    "monthly_expense": {"zh": "月度支出", "en": "monthly spending"},
    "liquidity_need": {"zh": "流动性需要", "en": "liquidity need"},
    "total_gain": {"zh": "累计盈亏", "en": "total gain/loss"},
    "realized": {"zh": "已实现盈亏", "en": "realised gain/loss"},
    "unrealized": {"zh": "浮动盈亏", "en": "unrealised gain/loss"},
    "dividends": {"zh": "分红", "en": "dividends"},
    "fees": {"zh": "费用", "en": "fees"},
    "xirr": {"zh": "资金加权年化收益率", "en": "money-weighted annual return"},
    "fees_total": {"zh": "预计费用", "en": "estimated fees"},
    "cash_weight": {"zh": "活期占比", "en": "current account weight"},
    "holdings_weight_total": {"zh": "占比合计", "en": "total weight"},
    "holdings_gain_total": {"zh": "累计盈亏合计", "en": "total gain/loss of the holdings"},
}
_PREFIX = [
    ("mv_", {"zh": "市值", "en": "market value"}), ("weight_", {"zh": "占比", "en": "weight"}),
    ("gain_pct_", {"zh": "收益率", "en": "return"}), ("gain_", {"zh": "累计盈亏", "en": "gain/loss"}),
    ("target_mix_", {"zh": "目标占比", "en": "target weight"}), ("current_mix_", {"zh": "当前占比", "en": "current weight"}),
    ("proposed_mix_", {"zh": "调整后占比", "en": "weight after trades"}), ("bt_", {"zh": "回测指标", "en": "backtest figure"}),
    ("underlying_", {"zh": "底层持仓占比", "en": "underlying weight"}),
    ("pots_", {"zh": "三笔钱合计", "en": "three pots total"}), ("lt_", {"zh": "穿透占比", "en": "look-through share"}),
]


def what_words(name: str, lang: str) -> str | None:
    if name in _WHAT:
        return _WHAT[name][lang]
    if name.startswith("trade_"):
        return {"amount": {"zh": "金额", "en": "amount"}, "fee": {"zh": "费用", "en": "fee"}}.get(
            name.rsplit("_", 1)[-1], {"zh": "实现盈亏", "en": "realised gain/loss"})[lang]
    for prefix, words in _PREFIX:
        if name.startswith(prefix):
            return words[lang]
    return None


def source_words(tool: str, lang: str) -> str:
    for prefix, words in _SOURCE:
        if tool.startswith(prefix):
            return words[lang]
    return {"zh": "系统计算", "en": "system calculation"}[lang]


def human_provenance(b: FigureBook, lang: str) -> list[Any]:
    seen: set[tuple[str | None, str | None]] = set()
    rows: list[list[str]] = []
    for f in b.figures:
        if f.shown is None or f.value is None:
            continue
        what = what_words(f.name, lang)
        # one row per figure: the summary, the text and a table's 合计 row may print the same total
        key = (f.name if what else f.label, f.shown)
        if key in seen:
            continue
        seen.add(key)
        label = " · ".join(x for x in (f.label, what) if x) or "—"
        shown = f.shown + "元" if f.unit == "yuan" and f.shown[-1:] in ("万", "亿") else f.shown  # a table cell's unit
        rows.append([label, shown, source_words(f.tool, lang), f.as_of.isoformat() if f.as_of else "—"])
        if len(rows) >= MAX_ROWS:
            break
    return [Para(text=NOTE[lang], style="WD Note"),
            Table(columns=COLUMNS[lang], rows=rows, numeric=[1], widths=[2.4, 1.3, 2.1, 1.3])]
