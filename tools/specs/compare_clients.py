"""compare_clients: two clients side by side."""

from tools.clients import compare_clients
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="compare_clients", tool=compare_clients, needs="client",
    label={"zh": "客户对比", "en": "the client comparison"},
    exemplars_zh=(
        "C0001和C0002对比一下", "C0001跟C0002谁赚得多", "比较C0001和C0002", "C0001 vs C0002", "C0001和C0002哪个收益高",
        "C0001和C0002持仓重合多少", "C0001与C0002对比", "C0001C0002比一比", "C0001和C0002有啥区别", "对比下C0001和C0002的配置",
        "C0001和C0002谁的资产多", "C0001跟C0002比", "C0001和C0002今年谁表现好", "C0001对比C0002", "C0001和C0002放一起看看",
        "C0001、C0002比较", "C0001和C0002差别", "C0001和C0002的XIRR比较", "C0001和C0002哪个亏得多", "两个客户对比C0001 C0002",
    ),
    exemplars_en=(
        "compare C0001 and C0002", "C0001 vs C0002", "who did better, C0001 or C0002",
        "C0001 versus C0002 side by side", "difference between C0001 and C0002", "how do C0001 and C0002 compare",
        "C0001 and C0002 overlap", "which of C0001 and C0002 has more assets", "compare clients C0001 C0002",
        "C0001 or C0002 higher return",
    ),
    slots=(Slot("client_ids", "clients", required=True), Slot("period", "period")),
    clarify={"zh": "请问对比哪两位客户？", "en": "Which two clients should I compare?"},
)
