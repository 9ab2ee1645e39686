"""allocation_review: three pots, gaps to target, a gated rebalance."""

from tools.portfolio import allocation_review
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="allocation_review", tool=allocation_review, needs="client",
    label={"zh": "配置检视/调仓建议", "en": "the allocation review"},
    exemplars_zh=(
        "C0001要不要调仓", "C0001配置合理吗", "C0001资产配置检视", "C0001需要再平衡吗", "C0001仓位调一调",
        "C0001的配置跟目标差多少", "C0001三笔钱够不够", "C0001资产结构诊断", "C0001该怎么调整", "C0001配置偏离多少",
        "C0001股债比例合适吗", "C0001保障够不够", "C0001要不要补保险", "C0001调仓建议", "C0001组合体检",
        "给C0001做个配置诊断", "C0001权益是不是太多了", "C0001持仓跟风险等级匹配吗", "C0001配置有问题吗",
        "C0001要怎么配", "C0001应急资金够吗",
    ),
    exemplars_en=(
        "should C0001 rebalance", "review C0001's allocation", "is C0001's asset mix right",
        "C0001 allocation gaps", "C0001 drift from target", "does C0001 need more insurance",
        "C0001 portfolio review", "rebalancing suggestion for C0001", "is C0001 overweight equity",
        "does C0001's portfolio match the risk level",
    ),
    slots=(Slot("client_id", "client", required=True),),
    clarify={"zh": "请问检视哪位客户的配置？", "en": "Whose allocation should I review?"},
)
