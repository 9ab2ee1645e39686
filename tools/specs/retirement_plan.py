"""retirement_plan: can the client retire at an age with a monthly spending."""

from tools.portfolio import retirement_plan
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="retirement_plan", tool=retirement_plan, needs="client",
    label={"zh": "退休规划", "en": "the retirement plan"},
    exemplars_zh=(
        "C0001退休规划", "C0001 60岁退休够不够", "C0001养老钱够吗", "C0001每月花2万能退休吗", "C0001想55岁退休",
        "C0001退休后每个月1.5万够不够", "帮C0001算下养老", "C0001养老规划", "C0001退休缺口多少", "C0001提前退休行不行",
        "C0001退休金够花吗", "C0001退休测算", "C0001几岁能退休", "C0001养老金缺口", "C0001退休以后的钱够不够",
        "C0001做个退休计划", "C0001月支出3万退休", "C0001 58岁退休每月1万", "C0001养老够不", "C0001退休规划一下",
    ),
    exemplars_en=(
        "retirement plan for C0001", "can C0001 retire at 60", "is C0001's pension enough",
        "C0001 retire at 55 spending 20k a month", "retirement gap for C0001", "when can C0001 retire",
        "C0001 retirement projection", "will C0001 have enough to retire", "C0001 early retirement",
        "C0001 retirement with 15k monthly spending",
    ),
    slots=(Slot("client_id", "client", required=True), Slot("retire_age", "retire_age"),
           Slot("monthly_spending", "monthly_spending")),
    clarify={"zh": "请问为哪位客户做退休规划？", "en": "Whose retirement plan?"},
)
