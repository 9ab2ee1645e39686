"""book_totals: the caller's book: client count, AUM, by asset class and risk level, largest clients."""

from tools.book import book_totals
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="book_totals", tool=book_totals, needs="book",
    label={"zh": "名下资产汇总", "en": "the book totals"},
    exemplars_zh=(
        "我管了多少资产", "我名下客户总资产", "我有几个客户", "资产前五的客户", "我的AUM多少",
        "名下客户资产规模", "我的客户按风险等级分布", "资产最多的客户是谁", "前十大客户", "我的客户总共多少钱",
        "管户规模", "我手上多少客户", "客户数多少", "名下资产按类别", "我管的钱有多少",
        "我的客户里资产前3", "客户资产排名", "我的书总额", "大客户有哪些", "名下AUM汇总",
    ),
    exemplars_en=(
        "how many clients do I have", "my total AUM", "top 5 clients by assets", "book totals",
        "how much do I manage", "my largest clients", "AUM by asset class", "clients by risk level",
        "total assets under management", "who are my biggest clients",
    ),
    slots=(Slot("top_n", "top_n"),),
    clarify={"zh": "", "en": ""},
)
