"""search_products: the bank's shelf filtered by risk level, asset class, amount, horizon."""

from tools.funds import search_products
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="search_products", tool=search_products, needs="none",
    label={"zh": "产品推荐", "en": "the product search"},
    exemplars_zh=(
        "推荐几款R2的理财", "有啥稳健的产品", "50万放一年买啥好", "给C0001推荐产品", "有没有低风险的理财",
        "C0001适合买什么", "推荐个债基", "货架上有啥存款", "有没有保险产品", "R3以下的产品有哪些",
        "C0001有100万闲钱买点啥", "推荐几只货基", "三个月的理财有吗", "保本的产品有吗", "给保守型客户推荐",
        "有什么权益类产品推荐", "20万买啥", "稳一点的产品推荐下", "推荐前5个产品", "C0001能买的产品有哪些",
        "短期理财推荐",
    ),
    exemplars_en=(
        "recommend some R2 products", "what can C0001 buy", "suggest low-risk products", "bond funds on the shelf",
        "products for 500k for one year", "any deposits available", "what should a conservative client buy",
        "recommend insurance products", "top 5 products for C0001", "short-term wealth products",
    ),
    slots=(Slot("client_id", "client"), Slot("max_risk_level", "product_risk"), Slot("asset_class", "asset_class"),
           Slot("amount", "amount"), Slot("horizon_days", "horizon_days"), Slot("limit", "top_n")),
    clarify={"zh": "请问为哪位客户、什么风险等级或金额找产品？", "en": "For which client, risk level or amount?"},
)
