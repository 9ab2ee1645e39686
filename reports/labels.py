"""Display labels (zh/en) for metrics, flags, scenarios and table headers used by the report builders."""

from __future__ import annotations

SCENARIO_NAMES = {
    "credit": {"zh": "授信审查", "en": "credit review"},
    "account-opening": {"zh": "对公开户", "en": "account opening"},
    "change": {"zh": "变更审查", "en": "change review"},
}

RATIO_LABELS = {
    "revenue_growth": {"zh": "营业收入增长率", "en": "Revenue growth"},
    "net_profit_growth": {"zh": "净利润增长率", "en": "Net profit growth"},
    "gross_margin": {"zh": "毛利率", "en": "Gross margin"},
    "net_margin": {"zh": "净利率", "en": "Net margin"},
    "roe": {"zh": "ROE（平均净资产）", "en": "ROE (average equity)"},
    "debt_to_asset": {"zh": "资产负债率", "en": "Debt to assets"},
    "current_ratio": {"zh": "流动比率", "en": "Current ratio"},
    "quick_ratio": {"zh": "速动比率", "en": "Quick ratio"},
    "interest_coverage": {"zh": "利息保障倍数", "en": "Interest coverage"},
    "cfo_to_net_profit": {"zh": "经营现金流/净利润", "en": "CFO / net profit"},
    "receivable_days": {"zh": "应收账款周转天数", "en": "Receivable days"},
    "inventory_days": {"zh": "存货周转天数", "en": "Inventory days"},
    "dscr": {"zh": "偿债覆盖率DSCR", "en": "DSCR"},
    "dscr_stressed": {"zh": "DSCR（收入下降压力）", "en": "DSCR (revenue stress)"},
}

FIN_ITEMS = {
    "revenue": {"zh": "营业收入", "en": "Revenue"},
    "net_profit": {"zh": "净利润", "en": "Net profit"},
    "total_assets": {"zh": "资产总计", "en": "Total assets"},
    "total_liabilities": {"zh": "负债合计", "en": "Total liabilities"},
    "equity": {"zh": "所有者权益", "en": "Equity"},
    "cfo": {"zh": "经营活动现金流量净额", "en": "Operating cash flow"},
    "interest_expense": {"zh": "利息支出", "en": "Interest expense"},
    "principal_due_next_year": {"zh": "一年内到期本金", "en": "Principal due within a year"},
}

FLAG_LABELS = {
    "status_inactive": {"zh": "登记状态非存续/在业", "en": "Registration status not active"},
    "credit_code_invalid": {"zh": "统一社会信用代码校验失败", "en": "Credit code check digit invalid"},
    "open_dishonest": {"zh": "存在未了结失信被执行记录", "en": "Open dishonest-debtor listing"},
    "open_enforcement": {"zh": "存在未了结被执行记录", "en": "Open enforcement"},
    "open_abnormal": {"zh": "存在经营异常记录", "en": "Abnormal-operation listing"},
    "major_shareholder_pledge": {"zh": "第一大股东质押比例偏高", "en": "Largest shareholder heavily pledged"},
    "shareholders_missing": {"zh": "股东信息缺失", "en": "Shareholder data missing"},
    "financial_years_missing": {"zh": "财务年度数据缺失", "en": "Financial years missing"},
    "overdue_now": {"zh": "当前存在逾期", "en": "Currently overdue"},
    "overdue_24m": {"zh": "近24个月存在逾期", "en": "Overdue within the past 24 months"},
    "loan_classification": {"zh": "贷款五级分类非正常", "en": "Loan classification below normal"},
    "dscr": {"zh": "偿债覆盖率不足", "en": "Weak debt service coverage"},
    "dscr_stressed": {"zh": "收入压力下偿债覆盖率不足", "en": "Weak DSCR under revenue stress"},
    "debt_to_asset": {"zh": "资产负债率偏高", "en": "High leverage"},
    "interest_coverage": {"zh": "利息保障倍数偏低", "en": "Low interest coverage"},
    "current_ratio": {"zh": "流动比率偏低", "en": "Low current ratio"},
    "cfo_to_net_profit": {"zh": "利润现金含量偏低", "en": "Low cash conversion of profit"},
    "lawsuits_vs_equity": {
        "zh": "未决被诉金额占净资产比例偏高",
        "en": "Open lawsuits large relative to equity",
    },
    "revenue_decline": {"zh": "营业收入大幅下降", "en": "Sharp revenue decline"},
    "leverage_jump": {"zh": "资产负债率明显上升", "en": "Leverage up sharply"},
    "turned_to_loss": {"zh": "由盈转亏", "en": "Turned to a loss"},
    "matured_outstanding": {"zh": "授信已到期仍有余额", "en": "Facility past maturity with a balance"},
    "recent_risk_events": {"zh": "近一年新增风险事件", "en": "Risk events within the past year"},
}

SEVERITY = {
    "red": {"zh": "否决", "en": "veto"},
    "return": {"zh": "退回补充", "en": "return for documents"},
    "amber": {"zh": "关注", "en": "warning"},
    "info": {"zh": "提示", "en": "note"},
}

CONCLUSION = {
    "pass": {"zh": "建议通过", "en": "Proceed"},
    "conditional": {"zh": "有条件通过", "en": "Proceed on conditions"},
    "return": {"zh": "退回补充资料", "en": "Return for missing documents"},
    "decline": {"zh": "不建议通过", "en": "Do not proceed"},
}

EVENT_KINDS = {
    "lawsuit": {"zh": "诉讼", "en": "lawsuit"},
    "penalty": {"zh": "行政处罚", "en": "penalty"},
    "enforcement": {"zh": "被执行", "en": "enforcement"},
    "dishonest": {"zh": "失信被执行", "en": "dishonest debtor"},
    "pledge": {"zh": "股权出质", "en": "equity pledge"},
    "abnormal": {"zh": "经营异常", "en": "abnormal operation"},
}


def flag_label(code: str, lang: str) -> str:
    if code.endswith("_missing") and code not in FLAG_LABELS:
        metric = code.removesuffix("_missing")
        base = RATIO_LABELS.get(metric, {"zh": metric, "en": metric})[lang]
        return f"{base}：数据缺失" if lang == "zh" else f"{base}: data missing"
    return FLAG_LABELS.get(code, {"zh": code, "en": code})[lang]


def label(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    return table.get(key, {"zh": key, "en": key})[lang]


# ---------------------------------------------------------------- due-diligence layout

DD_HEADINGS = {
    "zh": {
        "summary": "报告摘要",
        "registration": "企业基本信息",
        "shareholders": "股东结构与股权质押",
        "financials": "近三年财务分析",
        "crosscheck": "交叉核验",
        "events": "风险事件",
        "credit": "授信与逾期记录",
        "conclusion": "结论与预警信号",
        "provenance": "附录：数据来源与口径",
    },
    "en": {
        "summary": "Summary",
        "registration": "Registration",
        "shareholders": "Shareholders and pledges",
        "financials": "Three-year financial analysis",
        "crosscheck": "Cross-checks",
        "events": "Risk events",
        "credit": "Credit facilities and overdue history",
        "conclusion": "Conclusion and warning signals",
        "provenance": "Appendix: sources and definitions",
    },
}
COLS = {
    "zh": {
        "item": "项目",
        "value": "内容",
        "holder": "股东",
        "kind": "类型",
        "share": "持股比例",
        "pledge": "质押比例",
        "metric": "指标",
        "date": "日期",
        "event": "事件类型",
        "role": "角色",
        "amount": "金额",
        "desc": "摘要",
        "status": "状态",
        "lender": "机构",
        "facility": "品种",
        "limit": "额度",
        "balance": "余额",
        "overdue": "当前逾期天数",
        "max24": "近24个月最长逾期",
        "class": "五级分类",
        "guarantee": "担保方式",
        "flag": "信号",
        "severity": "级别",
        "threshold": "阈值",
        "figure": "数字",
        "tool": "计算工具",
        "as_of": "数据日期",
        "unit": "单位",
    },
    "en": {
        "item": "Item",
        "value": "Value",
        "holder": "Shareholder",
        "kind": "Type",
        "share": "Share",
        "pledge": "Pledged",
        "metric": "Metric",
        "date": "Date",
        "event": "Event",
        "role": "Role",
        "amount": "Amount",
        "desc": "Summary",
        "status": "Status",
        "lender": "Lender",
        "facility": "Facility",
        "limit": "Limit",
        "balance": "Balance",
        "overdue": "Overdue days now",
        "max24": "Max overdue 24m",
        "class": "Classification",
        "guarantee": "Security",
        "flag": "Signal",
        "severity": "Level",
        "threshold": "Threshold",
        "figure": "Figure",
        "tool": "Computed by",
        "as_of": "Data date",
        "unit": "Unit",
    },
}
REG_ROWS = {
    "zh": [
        ("name", "企业名称"),
        ("credit_code", "统一社会信用代码"),
        ("legal_rep", "法定代表人"),
        ("registered_capital", "注册资本"),
        ("founded", "成立日期"),
        ("industry", "所属行业"),
        ("status", "登记状态"),
        ("address", "注册地址"),
        ("business_scope", "经营范围"),
    ],
    "en": [
        ("name", "Name"),
        ("credit_code", "Unified social credit code"),
        ("legal_rep", "Legal representative"),
        ("registered_capital", "Registered capital (CNY)"),
        ("founded", "Founded"),
        ("industry", "Industry"),
        ("status", "Status"),
        ("address", "Address"),
        ("business_scope", "Business scope"),
    ],
}


HOLDER_KINDS = {
    "person": {"zh": "自然人", "en": "individual"},
    "company": {"zh": "企业法人", "en": "company"},
    "partnership": {"zh": "合伙企业", "en": "partnership"},
    "state": {"zh": "国有股东", "en": "state"},
}
EVENT_ROLES = {"defendant": {"zh": "被告", "en": "defendant"}, "plaintiff": {"zh": "原告", "en": "plaintiff"}}
EVENT_STATUS = {"open": {"zh": "未结", "en": "open"}, "closed": {"zh": "已结", "en": "closed"}}


def fmt_date(d: object, lang: str) -> str:
    """2025年6月30日 in Chinese, ISO in English; anything that is not a date is shown as is."""
    from datetime import date

    if isinstance(d, date):
        return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()
    return str(d)
