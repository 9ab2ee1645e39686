"""compare_funds: two funds side by side over a period (feeder vs target ETF: tracking difference)."""

from tools.funds import compare_funds
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="compare_funds", tool=compare_funds, needs="funds", public=True,
    label={"zh": "基金对比", "en": "the fund comparison"},
    exemplars_zh=(
        "110011和000001哪个好", "110011跟000001对比", "比较110011和000001", "110011 vs 000001", "110011和000001谁收益高",
        "110011和000001比一比", "110011与000001哪只回撤小", "这两只基金对比下", "110011和000001选哪个", "110011对比000001近一年",
        "联接基金和ETF比跟踪误差", "110011和000001的区别", "110011和000001夏普比较", "两只基金比较110011 000001",
        "110011和000001谁更稳", "110011跟000001今年表现对比", "110011和000001费率对比", "110011和000001哪个波动大",
        "110011、000001比较下", "110011和它的目标ETF比",
    ),
    exemplars_en=(
        "compare 110011 and 000001", "110011 vs 000001", "which is better, 110011 or 000001",
        "110011 versus 000001 last year", "difference between 110011 and 000001",
        "feeder fund vs its ETF tracking difference", "compare these two funds", "110011 or 000001 lower drawdown",
        "side by side 110011 000001", "how does 110011 compare with 000001",
    ),
    slots=(Slot("funds", "funds", required=True), Slot("period", "period", default="1y")),
    clarify={"zh": "请问对比哪两只基金？", "en": "Which two funds should I compare?"},
)
