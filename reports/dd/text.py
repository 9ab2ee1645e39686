"""Labels of the 授信尽调报告 layout (zh/en): headings, column names, statement lines, rule wording.

Narrative paragraphs live in ``prompts/<lang>/report_dd.md``; this module holds the short texts.
"""

from __future__ import annotations

# heading key → (zh, en)
HEADINGS: dict[str, tuple[str, str]] = {
    "summary": ("核心结论", "Key conclusions"),
    "basics": ("企业基本情况", "Company overview"),
    "ownership": ("股权结构与实际控制人", "Ownership, controller and beneficial owners"),
    "business": ("经营情况", "Operations"),
    "industry": ("行业分析", "Industry"),
    "financials": ("财务分析", "Financial analysis"),
    "repayment": ("还款来源与偿债能力", "Repayment sources and debt service"),
    "guarantees": ("对外担保与关联交易", "Guarantees given and related-party transactions"),
    "credit": ("征信与融资", "Credit record and borrowings"),
    "risk": ("风险信息", "Risk information"),
    "plausibility": ("数据可信度提示", "Data plausibility warnings"),
    "plan": ("授信方案", "Proposed credit facility"),
    "conclusion": ("结论与风险提示", "Conclusion and risk warnings"),
    "declaration": ("调查人声明", "Investigator's declaration"),
    "kyc": ("客户身份识别（KYC）", "Customer identification (KYC)"),
    "aml": ("反洗钱风险评级", "AML risk rating"),
    "purpose": ("账户用途", "Account purpose"),
    "changes": ("变更对比", "What changed"),
    "provenance": ("附录：数据来源与口径", "Appendix: sources and definitions"),
}
SUB: dict[str, tuple[str, str]] = {
    "history": ("历史沿革", "History"),
    "management": ("管理层", "Management"),
    "bs": ("资产负债表", "Balance sheet"),
    "is": ("利润表", "Income statement"),
    "cf": ("现金流量表", "Cash-flow statement"),
    "ratios": ("财务指标", "Ratios"),
    "stress": ("DSCR 压力测试", "DSCR stress test"),
}
COL: dict[str, tuple[str, str]] = {
    "item": ("项目", "Item"), "value": ("内容", "Value"), "holder": ("股东", "Shareholder"),
    "kind": ("类型", "Type"), "share": ("持股比例", "Share"), "pledge": ("质押比例", "Pledged"),
    "terminal": ("最终持有人", "Ultimate holder"), "effective": ("穿透持股", "Effective share"),
    "path": ("持股路径", "Chain"), "ubo": ("受益所有人", "Beneficial owner"),
    "lender": ("机构", "Lender"), "facility": ("品种", "Facility"), "limit": ("额度", "Limit"),
    "balance": ("余额", "Balance"), "start": ("起始日", "Start"), "maturity": ("到期日", "Maturity"),
    "overdue": ("逾期天数", "Days overdue"), "class": ("五级分类", "Class"), "guarantee": ("担保方式", "Security"),
    "remark": ("备注", "Remark"), "date": ("日期", "Date"), "event": ("事件类型", "Event"), "role": ("角色", "Role"),
    "amount": ("金额", "Amount"), "desc": ("摘要", "Summary"), "status": ("状态", "Status"),
    "flag": ("信号", "Signal"), "severity": ("级别", "Level"), "threshold": ("阈值", "Threshold"),
    "metric": ("指标", "Metric"), "scenario": ("情景", "Scenario"), "dscr": ("DSCR", "DSCR"),
    "rule": ("规则", "Rule"), "term": ("起始/到期", "Start / maturity"),
    "class_overdue": ("分类/逾期", "Class / overdue"), "count": ("数量", "Count"), "result": ("结果", "Result"), "check": ("核查项", "Check"),
    "warning": ("提示", "Warning"), "verify": ("请核实", "To verify"), "company": ("企业", "Company"),
    "area": ("范围", "Area"), "change": ("变化", "Change"), "before": ("变更前", "Before"),
    "after": ("变更后", "After"), "reason": ("依据", "Basis"), "year": ("年度", "Year"),
}
# statement lines: (key or None for a computed total, zh, en); ``*`` marks a total row (bold reading)
BALANCE_SHEET = [
    ("cash", "货币资金", "Cash"), ("receivables", "应收账款", "Receivables"), ("inventory", "存货", "Inventory"),
    ("current_assets", "流动资产合计", "Total current assets"), ("fixed_assets", "固定资产", "Fixed assets"),
    ("total_assets", "资产总计", "Total assets"), ("short_term_debt", "短期借款", "Short-term borrowings"),
    ("payables", "应付账款", "Payables"), ("current_liabilities", "流动负债合计", "Total current liabilities"),
    ("long_term_debt", "长期借款", "Long-term borrowings"), ("total_liabilities", "负债合计", "Total liabilities"),
    ("equity", "所有者权益合计", "Total equity"),
]
INCOME_STATEMENT = [
    ("revenue", "营业收入", "Revenue"), ("cogs", "营业成本", "Cost of sales"),
    ("selling_expense", "销售费用", "Selling expenses"), ("admin_expense", "管理费用", "Administrative expenses"),
    ("rd_expense", "研发费用", "R&D expenses"), ("interest_expense", "利息支出", "Interest expense"),
    ("operating_profit", "营业利润", "Operating profit"), ("total_profit", "利润总额", "Profit before tax"),
    ("income_tax", "所得税费用", "Income tax"), ("net_profit", "净利润", "Net profit"),
]
CASH_FLOW = [
    ("cfo", "经营活动现金流量净额", "Net cash from operations"),
    ("cfi", "投资活动现金流量净额", "Net cash from investing"),
    ("cff", "筹资活动现金流量净额", "Net cash from financing"),
    ("capex", "购建固定资产支付的现金", "Capital expenditure"),
    ("depreciation", "折旧与摊销", "Depreciation and amortisation"),
    ("taxes_paid", "支付的各项税费", "Taxes paid"),
    ("principal_due_next_year", "一年内到期的有息负债本金", "Principal due within a year"),
]
WORDS: dict[str, tuple[str, str]] = {
    "total": ("合计", "Total"),
    "net_change": ("现金净增加额（三项合计）", "Net change in cash (sum of the three)"),
    "liab_equity": ("负债和所有者权益合计", "Total liabilities and equity"),
    "own_bank": ("本行", "our bank"),
    "matured": ("已到期未结清", "matured, still drawn"),
    "neg_base": ("基数为负", "negative base"),
    "zero_base": ("不适用：基数为零", "n/a: zero base"),
    "yes": ("是", "yes"), "no": ("否", "no"),
    "unresolved": ("未能穿透（股东信息未获取）", "not looked through (its shareholders are not on file)"),
    "senior_manager": ("无持股≥阈值的自然人，按高级管理人员认定", "no individual at or above the threshold: senior manager"),
    "not_obtained": ("未获取", "not obtained"),
    "base": ("基准", "base"), "revenue_shock": ("营业收入", "revenue"),
    "investigator": ("调查人", "Investigator"), "reviewer": ("复核人", "Reviewer"),
    "approver": ("审批人", "Approver"), "signature": ("签字", "Signature"), "sign_date": ("日期", "Date"),
    "internal": ("内部资料 · 仅供授信审查使用", "Internal · for credit review only"),
    "credit_code": ("统一社会信用代码", "Credit code"), "as_of": ("数据截至", "Data as of"),
    "title": ("授信尽职调查报告", "Credit due-diligence report"),
    "title_account-opening": ("对公开户尽职调查报告", "Account-opening due-diligence report"),
    "title_change": ("变更尽职调查报告", "Change due-diligence report"),
    "code_ok": ("校验通过", "check digit valid"), "code_bad": ("校验失败", "check digit INVALID"),
    "pass": ("通过", "passed"), "fail": ("未通过", "failed"), "check": ("需核实", "to verify"),
}
PLAN_ROWS: dict[str, tuple[str, str]] = {
    "amount": ("授信金额", "Amount"), "product": ("授信品种", "Product"), "term": ("期限", "Term"),
    "pricing": ("定价", "Pricing"), "guarantee": ("担保方式", "Security"), "conditions": ("用信条件", "Conditions"),
    "working_capital_loan": ("流动资金贷款", "Working-capital loan"),
    "controller_guarantee": ("实际控制人{name}个人连带责任保证", "Joint and several guarantee by the controller {name}"),
    "collateral": ("追加抵押（抵押物清单及评估价值未获取，落实前不放款）",
                   "Additional collateral (collateral list and valuation not obtained; no drawdown before)"),
    "entrusted_payment": ("贷款资金受托支付，用途限于日常经营周转", "Entrusted payment; working-capital use only"),
    "quarterly_statements": ("按季报送财务报表，年度报表须经审计", "Quarterly statements; audited annual accounts"),
}
# a warning flag → the condition it puts on the facility
CONDITIONS: dict[str, tuple[str, str]] = {
    "matured_outstanding": ("提供已到期授信的展期协议或结清证明", "Provide the extension agreement or payoff proof for matured facilities"),
    "major_shareholder_pledge": ("说明控股股东股权质押用途及解押计划", "Explain the controller's share pledge and its release plan"),
    "overdue_24m": ("书面说明近24个月逾期原因并提供还款凭证", "Explain the past-24-month arrears with repayment proof"),
    "loan_classification": ("说明他行关注类贷款原因", "Explain the other bank's special-mention classification"),
    "dscr": ("按月监测经营现金流，DSCR 低于阈值时压降额度", "Monthly cash-flow monitoring; reduce the limit if DSCR breaches"),
    "dscr_stressed": ("收入下降情景下追加还款保障", "Extra repayment support for the revenue-stress case"),
    "debt_to_asset": ("不得新增他行有息负债", "No new interest-bearing debt at other banks"),
    "interest_coverage": ("利息保障不足：按季付息并设置保证金", "Quarterly interest with a cash margin"),
    "current_ratio": ("流动性偏紧：提供应收账款明细", "Provide the receivables ledger"),
    "cfo_to_net_profit": ("利润现金含量低：提供主要客户回款记录", "Provide collection records of the main customers"),
    "lawsuits_vs_equity": ("提供未决诉讼的律师意见", "Provide counsel's opinion on open lawsuits"),
    "open_enforcement": ("提供被执行案件的履行情况", "Provide the enforcement case status"),
    "open_abnormal": ("先解除经营异常名录", "Clear the abnormal-operation listing first"),
}
AML_REASONS: dict[str, tuple[str, str]] = {
    "ubo_unresolved": ("部分股东未能穿透至自然人", "part of the ownership could not be looked through"),
    "ubo_senior_manager": ("受益所有人按高级管理人员认定", "beneficial owner identified as the senior manager"),
    "data_warnings": ("登记或风险数据存在可信度疑点", "registration or risk data are questionable"),
    "no_adverse": ("未发现不利信息", "no adverse information"),
}
AML_LEVELS = {"low": ("低风险", "low"), "medium": ("中风险", "medium"), "high": ("高风险", "high")}
CHANGE_CODES: dict[str, tuple[str, str]] = {
    "new_facility": ("新增授信", "new facility"), "matured": ("授信到期", "facility matured"),
    "new_event": ("新增风险事件", "new risk event"), "fin_delta": ("年度财务变化", "year-on-year change"),
}
WARNINGS: dict[str, tuple[str, str]] = {
    "unknown_city": ("注册地址中的“{subject}”不在福建省地级市名录中", "address city “{subject}” is not a Fujian prefecture city"),
    "city_region_mismatch": ("地址城市“{subject}”与信用代码行政区划（{detail}）不一致",
                             "address city “{subject}” differs from the credit code's region ({detail})"),
    "shared_event": ("风险事件“{subject}”（{detail}）与其他企业记录完全相同，共{n}家",
                     "risk event “{subject}” ({detail}) is identical at {n} companies"),
    "constant_ratio": ("{subject}连续{detail}年完全相同", "{subject} identical in all {detail} years"),
}
VERIFY: dict[str, tuple[str, str]] = {
    "unknown_city": ("调取营业执照原件核对注册地址", "check the address on the business licence"),
    "city_region_mismatch": ("核对营业执照登记机关", "check the registering authority on the licence"),
    "shared_event": ("在裁判文书网/执行信息公开网逐条核对", "verify each record at the court registries"),
    "constant_ratio": ("核对报表原件，怀疑模板化填报", "check the original statements (templated filing suspected)"),
}


def t(table: dict[str, tuple[str, str]], key: str, lang: str, **kw: object) -> str:
    zh, en = table.get(key, (key, key))
    text = zh if lang == "zh" else en
    return text.format(**kw) if kw else text

PEER_SHORT: dict[str, tuple[str, str]] = {
    "revenue_growth": ("收入增长", "Rev. growth"), "gross_margin": ("毛利率", "Gross mgn"),
    "net_margin": ("净利率", "Net mgn"), "debt_to_asset": ("负债率", "Debt/assets"),
    "current_ratio": ("流动比率", "Current"), "dscr": ("DSCR", "DSCR"),
}
