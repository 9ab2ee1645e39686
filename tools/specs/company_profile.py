"""company_profile: a corporate's registration, financials, risk events and credit."""

from tools.corporate import company_profile
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="company_profile", tool=company_profile, needs="company",
    label={"zh": "企业信息", "en": "the company profile"},
    exemplars_zh=(
        "E001工商信息", "E001注册资本多少", "E001法人是谁", "E001股东有哪些", "E001财务情况",
        "E001有没有诉讼", "E001授信多少", "E001征信怎么样", "查下E001", "E001有被执行吗",
        "E001营收多少", "E001负债率", "E001经营正常吗", "E001风险事件", "E001有没有逾期",
        "这家公司的股东", "E001成立多久了", "E001是做什么的", "E001去年利润", "E001有处罚吗",
    ),
    exemplars_en=(
        "company profile of E001", "who is E001's legal representative", "E001 registered capital",
        "E001 lawsuits", "E001 financials", "E001 credit facilities", "does E001 have overdue loans",
        "shareholders of E001", "E001 risk events", "tell me about this company",
    ),
    slots=(Slot("company", "company", required=True), Slot("year", "fiscal_year")),
    clarify={"zh": "请问是哪家企业？请给出名称或统一社会信用代码。",
             "en": "Which company? Please give its name or unified social credit code."},
)
