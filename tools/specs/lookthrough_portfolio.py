"""lookthrough_portfolio: the securities a client really owns through funds."""

from tools.portfolio import lookthrough_portfolio
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="lookthrough_portfolio", tool=lookthrough_portfolio, needs="client",
    label={"zh": "持仓穿透", "en": "the look-through"},
    exemplars_zh=(
        "穿透一下C0001", "C0001底层持有哪些股票", "C0001的重仓股", "帮我穿透看看C0001", "C0001实际买了哪些股票",
        "C0001穿透后前十大", "C0001底层资产是啥", "C0001间接持有茅台多少", "C0001的持仓集中度", "C0001穿透下前5",
        "C0001持仓穿透", "把C0001的基金穿透一下", "C0001底层重仓", "C0001的股票敞口", "C0001到底持有啥股票",
        "C0001穿一下", "C0001 穿透 前十", "C0001的资产穿透分析", "C0001底层持仓有哪些", "C0001看看底层",
        "C0001的基金里都有什么股票",
    ),
    exemplars_en=(
        "look through C0001's portfolio", "what stocks does C0001 really own", "C0001 top underlying holdings",
        "x-ray C0001", "C0001 look-through top 5", "which stocks are underneath C0001's funds",
        "C0001's concentration in single stocks", "underlying exposure of C0001", "what does C0001 own indirectly",
        "C0001 look through",
    ),
    slots=(Slot("client_id", "client", required=True), Slot("top_n", "top_n")),
    clarify={"zh": "请问要穿透哪位客户的持仓？", "en": "Whose portfolio should I look through?"},
)
