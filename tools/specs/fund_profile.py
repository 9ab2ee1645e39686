"""fund_profile: a fund's type, risk, fees, manager, company, period returns."""

from tools.funds import fund_profile
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="fund_profile", tool=fund_profile, needs="fund", public=True,
    label={"zh": "基金档案", "en": "the fund profile"},
    exemplars_zh=(
        "110011这只基金怎么样", "110011基金经理是谁", "110011费率多少", "110011规模多大", "介绍下110011",
        "110011是啥类型的", "110011风险等级", "110011管理费多少", "110011哪家公司的", "这只基金的经理是谁",
        "110011成立多久了", "110011靠谱吗", "110011基本信息", "110011的档案", "110011申购费",
        "110011托管费", "110011是股票型吗", "110011我们行卖吗", "110011经理换过吗", "它的费率多少",
        "110011怎么样啊", "那只基金规模多少",
    ),
    exemplars_en=(
        "tell me about 110011", "who manages 110011", "110011 fees", "fund profile 110011",
        "what kind of fund is 110011", "how big is 110011", "110011 risk level", "who is the manager of this fund",
        "is 110011 any good", "110011 details",
    ),
    slots=(Slot("fund", "fund", required=True),),
    clarify={"zh": "请问是哪只基金？请给出基金代码或名称。", "en": "Which fund? Please give its code or name."},
)
