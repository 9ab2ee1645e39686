"""industry_exposure: a client's look-through exposure by Shenwan industry."""

from tools.portfolio import industry_exposure
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="industry_exposure", tool=industry_exposure, needs="client",
    label={"zh": "行业分布", "en": "the industry exposure"},
    exemplars_zh=(
        "C0001行业分布", "C0001医药占比多少", "C0001哪个行业最多", "C0001的行业集中吗", "C0001白酒仓位多少",
        "C0001板块分布", "C0001在新能源上有多少", "C0001行业暴露", "C0001行业配置情况", "C0001电子行业占多少",
        "C0001科技股占比", "C0001银行板块多少", "C0001行业前五", "C0001都投了哪些行业", "C0001行业分布看下",
        "C0001 行业", "C0001食品饮料占多少", "C0001有色占比", "C0001半导体敞口", "C0001的行业权重",
    ),
    exemplars_en=(
        "C0001 industry breakdown", "sector exposure of C0001", "how much healthcare does C0001 have",
        "which industries is C0001 exposed to", "C0001 top sectors", "C0001 tech weight",
        "is C0001 concentrated in one industry", "industry mix of C0001", "C0001 banking sector share",
        "C0001 sector split",
    ),
    slots=(Slot("client_id", "client", required=True), Slot("top_n", "top_n")),
    clarify={"zh": "请问看哪位客户的行业分布？", "en": "Whose industry exposure?"},
)
