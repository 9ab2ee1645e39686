"""performance_attribution: Brinson allocation / selection effects."""

from tools.portfolio import performance_attribution
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="performance_attribution", tool=performance_attribution, needs="client",
    label={"zh": "业绩归因", "en": "the attribution"},
    exemplars_zh=(
        "C0001收益归因", "C0001赚的钱从哪来", "C0001是靠配置还是靠选基", "C0001超额收益来源", "C0001业绩归因分析",
        "C0001 brinson", "C0001配置效应多少", "C0001选股效应", "C0001收益来源拆一下", "C0001为啥跑输",
        "C0001亏在哪", "C0001哪部分贡献最大", "C0001归因一下", "C0001今年归因", "C0001收益拆解",
        "C0001超额从哪来的", "C0001近一年归因", "C0001赚钱靠啥", "C0001收益贡献", "C0001归因看看",
    ),
    exemplars_en=(
        "attribution for C0001", "where did C0001's returns come from", "C0001 selection or allocation",
        "brinson attribution C0001", "what drove C0001's performance", "C0001 allocation effect",
        "why did C0001 underperform", "decompose C0001's return", "C0001 excess return sources",
        "C0001 attribution last year",
    ),
    slots=(Slot("client_id", "client", required=True), Slot("period", "period")),
    clarify={"zh": "请问看哪位客户的业绩归因？", "en": "Whose attribution?"},
)
