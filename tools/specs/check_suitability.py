"""check_suitability: may this client buy this product (risk level, minimum, assessment validity)."""

from tools.funds import check_suitability
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="check_suitability", tool=check_suitability, needs="client",
    label={"zh": "适当性检查", "en": "the suitability check"},
    exemplars_zh=(
        "C0001买110011可以吗", "C0001能不能买WM2026001", "C0001适合买110011吗", "C0001能买这个吗", "C0001买它行不行",
        "C0001可以买110011吗", "C0001买50万110011合规吗", "C0001风险等级能买110011吗", "C0001能否购买110011",
        "C0001买110011适当吗", "110011能卖给C0001吗", "C0001买这只基金可以不", "C0001买R4产品可以吗",
        "C0001能上110011吗", "C0001买110011会不会超风险", "C0001想买110011行吗", "C0001买TD3Y可以吗",
        "C0001配110011合适吗", "C0001买110011有问题吗", "C0001能申购110011吗",
    ),
    exemplars_en=(
        "can C0001 buy 110011", "is 110011 suitable for C0001", "may C0001 purchase WM2026001",
        "is C0001 allowed to buy 110011", "suitability check C0001 110011", "can I sell 110011 to C0001",
        "is it ok for C0001 to buy this fund", "would 110011 exceed C0001's risk level",
        "can C0001 invest 500k in 110011", "C0001 buy 110011 ok?",
    ),
    slots=(Slot("client_id", "client", required=True), Slot("product", "product", required=True),
           Slot("amount", "amount")),
    clarify={"zh": "请问是哪位客户、哪个产品？", "en": "Which client and which product?"},
)
