"""benchmark_comparison: a client or a fund against 沪深300 / 中债综合 / the target mix."""

from tools.clients import benchmark_comparison
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="benchmark_comparison", tool=benchmark_comparison, needs="client",
    label={"zh": "与基准对比", "en": "the benchmark comparison"},
    exemplars_zh=(
        "C0001跑赢沪深300了吗", "C0001今年跑赢大盘没", "C0001和沪深300比怎么样", "C0001跑输指数多少", "C0001相对中债综合",
        "C0001超额收益多少", "C0001跟大盘比", "110011跑赢沪深300了吗", "110011相对基准超额", "C0001对比目标配置收益",
        "C0001比沪深300强吗", "C0001跑赢基准没", "C0001 vs 沪深300", "C0001相对300的超额", "C0001近一年跑赢大盘吗",
        "110011今年跑赢指数没", "C0001跟债券指数比", "C0001打败大盘了吗", "C0001比基准高多少", "C0001跑赢300没",
    ),
    exemplars_en=(
        "did C0001 beat the CSI 300", "C0001 vs the benchmark", "C0001 excess return over CSI 300",
        "did 110011 outperform its benchmark", "C0001 against the bond index", "is C0001 beating the market",
        "C0001 relative to CSI 300 this year", "how much did C0001 underperform the index",
        "C0001 vs target mix return", "benchmark comparison for C0001",
    ),
    slots=(Slot("client_id", "client"), Slot("fund", "fund"), Slot("benchmark", "benchmark"),
           Slot("period", "period")),
    clarify={"zh": "请问对比哪位客户或哪只基金？", "en": "Which client or fund should I compare with the benchmark?"},
)
