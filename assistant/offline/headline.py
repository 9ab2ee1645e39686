"""The one line that answers what was asked, put before the tool's full result.

"林辉静总资产多少" → ``林辉静（C0001）总资产：96.73万元``; "001101回撤多少" → ``华鼎消费升级股票A（001101）
最大回撤：-14.82%``; "这只基金的经理是谁" → ``… 基金经理：孙宇刚``. Each focus rule names the tool, the words
of the question that ask for a field and the field's key; the value is formatted by ``compose.fmt_value``
and labelled by ``answer_labels.md`` (so the grounding verifier reads the same figure as in the body).
A question that names no field (or a tool without focus rules) gets no headline.
"""

from __future__ import annotations

import re
from typing import Any

_I = re.IGNORECASE

# (tool, question words, result keys — the first present and not None is shown; several keys are shown
# together when joined by "+")
FOCUS: list[tuple[str, re.Pattern[str], str]] = [
    ("client_overview", re.compile(r"现金|活期|闲钱|余额|cash", _I), "cash"),
    ("client_overview", re.compile(r"风险等级|风险承受|risk level|risk tolerance", _I), "risk_level"),
    ("client_overview", re.compile(r"测评|风测|assessment", _I), "assessment_expires_on+assessment_expired"),
    ("client_overview", re.compile(r"总资产|资产多少|多少资产|多少钱|aum|total assets|how much", _I), "total_assets+cash"),
    ("portfolio_performance", re.compile(r"xirr|内部收益|年化", _I), "xirr"),
    ("portfolio_performance", re.compile(r"twr|时间加权|time[- ]weighted", _I), "twr"),
    ("portfolio_performance", re.compile(r"收益率|回报率|rate of return|return on", _I), "return_on_capital+gain"),
    ("portfolio_performance", re.compile(r"赚|亏|盈亏|收益|浮盈|浮亏|gain|loss|p&l|pnl|profit|made|lost|return", _I),
     "gain+return_on_capital"),
    ("fund_metrics", re.compile(r"回撤|drawdown", _I), "metrics.max_drawdown"),
    ("fund_metrics", re.compile(r"夏普|sharpe", _I), "metrics.sharpe_ratio"),
    ("fund_metrics", re.compile(r"波动|volatil", _I), "metrics.annual_volatility"),
    ("fund_metrics", re.compile(r"七日|7日|seven[- ]day|7-day", _I), "metrics.seven_day_yield"),
    ("fund_metrics", re.compile(r"万份", _I), "metrics.income_per_10k"),
    ("fund_metrics", re.compile(r"年化|annuali[sz]ed|annual return|cagr", _I), "metrics.annual_return"),
    ("fund_metrics", re.compile(r"收益|涨|跌|return|perform", _I), "metrics.total_return"),
    ("fund_profile", re.compile(r"经理|manager", _I), "manager_name"),
    ("fund_profile", re.compile(r"管理费|management fee", _I), "management_fee"),
    ("fund_profile", re.compile(r"托管费|custody", _I), "custody_fee"),
    ("fund_profile", re.compile(r"申购费|认购费|subscription", _I), "subscription_fee"),
    ("fund_profile", re.compile(r"赎回费|redemption", _I), "redemption_fee"),
    ("fund_profile", re.compile(r"费率|费用|贵不贵|\bfees?\b", _I), "management_fee+custody_fee+subscription_fee"),
    ("fund_profile", re.compile(r"规模|多大|\bsize\b|\baum\b", _I), "size"),
    ("fund_profile", re.compile(r"基金公司|哪家公司|fund company|management company", _I), "company_name"),
    ("fund_profile", re.compile(r"风险等级|risk level", _I), "risk_level"),
    ("fund_profile", re.compile(r"基准|benchmark", _I), "benchmark"),
    ("fund_profile", re.compile(r"成立|inception|launched", _I), "inception_date"),
    ("book_totals", re.compile(r"几个客户|几位客户|多少(?:个|位)?客户|客户数|how many clients|number of clients", _I),
     "client_count"),
    ("book_totals", re.compile(r"现金|cash", _I), "cash"),
    ("book_totals", re.compile(r"aum|管理(?:的)?资产|资产规模|总规模|总资产|manage", _I), "aum"),
    ("wealth_health_score", re.compile(r".", _I), "health_score"),
    ("check_suitability", re.compile(r".", _I), "suitable"),
    ("retirement_plan", re.compile(r"多久|几年|够不够|够用|how long|last|enough", _I),
     "years_lasting+success_probability"),
    ("benchmark_comparison", re.compile(r".", _I), "subject_return+benchmark_return+excess_return"),
]


def _exact(key: str, value: Any, lang: str) -> str:
    """The asked figure to the fen, then as the body writes it: 1,382,611.92元（138.26万元）."""
    from assistant.offline.compose import fmt_value

    shown = fmt_value(key, value, lang)
    if isinstance(value, float) and abs(value) >= 1e4 and ("万元" in shown or "亿元" in shown or "CNY" in shown):
        return f"{value:,.2f}元（{shown}）" if lang == "zh" else f"CNY {value:,.2f} ({shown})"
    return shown


def _get(result: dict[str, Any], path: str) -> Any:
    cur: Any = result
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _subject(tool: str, r: dict[str, Any], lang: str) -> str:
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    if r.get("client_id") and r.get("name"):
        return f"{r['name']}{open_}{r['client_id']}{close}"
    if r.get("client_id"):
        return str(r["client_id"])
    if r.get("code") and r.get("name"):
        return f"{r['name']}{open_}{r['code']}{close}"
    if r.get("product_code"):
        who = r.get("client_id", "")
        return f"{who} → {r.get('product_name') or ''}{open_}{r['product_code']}{close}".strip()
    if tool == "benchmark_comparison":
        return f"{r.get('subject', '')} vs {r.get('benchmark_name') or r.get('benchmark', '')}"
    return ""


def _industry(question: str, r: dict[str, Any], lang: str) -> str | None:
    """"医药占比多少": the named industry's share, or that it is not among the industries held."""
    from assistant.offline.compose import fmt_value

    rows = [x for x in r.get("industries") or [] if isinstance(x, dict)]
    for row in rows:
        name = str(row.get("name") or row.get("industry_name") or "")
        for token in _industry_tokens(name):
            if token and token.lower() in question.lower():
                share = row.get("weight", row.get("share"))
                label = name
                return (f"{r.get('client_id', '')} {label}：占比 {fmt_value('weight', share, lang)}" if lang == "zh"
                        else f"{r.get('client_id', '')} {label}: {fmt_value('weight', share, lang)} of assets")
    return None


def _industry_tokens(name: str) -> list[str]:
    # "医药生物" is asked as "医药"; "食品饮料" as "食品" or "白酒" is not inferable: the first two characters
    # and the whole name
    return [name, name[:2]] if re.search(r"[\u4e00-\u9fff]", name) else [name]


# a company's ratio as RMs name it → the metric key in ``company_profile``'s ratios
RATIO_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"流动比率|current ratio", _I), "current_ratio"),
    (re.compile(r"速动比率|quick ratio", _I), "quick_ratio"),
    (re.compile(r"资产负债率|负债率|debt[- ]to[- ]asset|leverage|gearing", _I), "debt_to_asset"),
    (re.compile(r"毛利率|gross margin", _I), "gross_margin"),
    (re.compile(r"净利率|净利润率|net margin", _I), "net_margin"),
    (re.compile(r"净资产收益率|\broe\b|return on equity", _I), "roe"),
    (re.compile(r"净利润增长|利润增长|net profit growth|profit growth|earnings growth", _I), "net_profit_growth"),
    (re.compile(r"营收增长|收入增长|营收增速|revenue growth|sales growth", _I), "revenue_growth"),
    (re.compile(r"利息保障|interest coverage", _I), "interest_coverage"),
]


def _ratio(question: str, r: dict[str, Any], lang: str) -> str | None:
    """"2024年流动比率": that year's ratio, four decimals for a multiple and two for a percentage."""
    from assistant.offline.compose import _label

    values = {str(x.get("metric")): x for x in r.get("ratios") or [] if isinstance(x, dict)}
    for pattern, metric in RATIO_WORDS:
        row = values.get(metric)
        if not pattern.search(question) or not row:
            continue
        value = row.get("value")
        if value is None:
            shown = "数据缺失" if lang == "zh" else "not available"
        elif row.get("unit") == "fraction":
            shown = f"{float(value) * 100:.2f}%"
        else:
            shown = f"{float(value):.4f}"
        year, cid = r.get("ratios_year", ""), r.get("company_id", "")
        return (f"{cid} {year}年{_label(metric, lang)}：{shown}" if lang == "zh"
                else f"{cid} FY{year} {_label(metric, lang)}: {shown}")
    return None


def headline(tool: str, result: dict[str, Any], question: str, lang: str) -> str | None:
    """The answer to the question's own ask, from ``result`` of ``tool``; None when nothing specific was asked."""
    from assistant.offline.compose import _label

    if tool == "industry_exposure":
        return _industry(question, result, lang)
    if tool == "company_profile":
        return _ratio(question, result, lang)
    for name, words, keys in FOCUS:
        if name != tool or not words.search(question):
            continue
        shown = []
        for key in keys.split("+"):
            value = _get(result, key)
            if value is None:
                continue
            leaf = key.rsplit(".", 1)[-1]
            sep = "：" if lang == "zh" else ": "
            shown.append(f"{_label(leaf, lang)}{sep}{_exact(leaf, value, lang)}")
        if not shown:
            continue
        joiner = "，" if lang == "zh" else "; "
        subject = _subject(tool, result, lang)
        line = joiner.join(shown)
        if tool == "check_suitability" and result.get("gate_message") and not result.get("suitable"):
            from assistant.offline.compose import one_language

            line += joiner + one_language(str(result["gate_message"]), lang)
        return f"{subject} {line}".strip() if lang == "en" else f"{subject}{line}"
    return None
