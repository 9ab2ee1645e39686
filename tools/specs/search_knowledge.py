"""search_knowledge: product documents and policies (suitability rules, cooling-off, 双录…)."""

from tools.knowledge import search_knowledge
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="search_knowledge", tool=search_knowledge, needs="none", public=True,
    label={"zh": "知识库/制度查询", "en": "the policy search"},
    exemplars_zh=(
        "冷静期是几天", "双录有什么要求", "适当性管理规定是啥", "什么是业绩比较基准", "理财产品能提前赎回吗",
        "赎回多久到账", "风险测评有效期多久", "高龄客户买理财有啥规定", "R4产品能卖给C3客户吗按规定", "什么是净值型理财",
        "基金转换怎么操作", "监管对销售有什么要求", "产品说明书在哪", "大额存单能转让吗", "风险揭示书要签吗",
        "私募合格投资者标准", "理财新规是啥", "首次购买要双录吗", "怎么做风险测评", "养老理财有什么特点",
        "赎回费怎么算",
    ),
    exemplars_en=(
        "what is the cooling-off period", "suitability rules for elderly clients", "what is a benchmark",
        "how long does redemption take", "is dual recording required", "how often must risk assessments be renewed",
        "can wealth products be redeemed early", "policy on selling R4 products", "what is a qualified investor",
        "explain the redemption fee",
    ),
    slots=(Slot("query", "query", required=True),),
    clarify={"zh": "请问想查哪方面的制度或产品说明？", "en": "Which policy or product document?"},
)
