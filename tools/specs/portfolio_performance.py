"""portfolio_performance: a client's gain, return, XIRR over a period."""

from tools.portfolio import portfolio_performance
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="portfolio_performance", tool=portfolio_performance, needs="client",
    label={"zh": "收益表现", "en": "the performance"},
    exemplars_zh=(
        "C0001今年赚了多少", "C0001近一年收益", "C0001的XIRR多少", "C0001去年亏了多少", "C0001收益率咋样",
        "C0001浮盈多少", "C0001持有以来赚没赚", "C0001业绩怎么样", "C0001盈亏情况", "C0001年化收益多少",
        "C0001今年表现", "C0001最近半年收益", "C0001赚钱了吗", "C0001亏了没", "C0001收益多少",
        "C0001近三年回报", "C0001市值涨了多少", "C0001 ytd收益", "C0001从买入到现在赚了多少", "C0001的回报率",
        "C0001 xirr", "C0001今年收益率多少",
    ),
    exemplars_en=(
        "how is C0001 doing this year", "C0001 return ytd", "C0001 XIRR", "how much did C0001 make last year",
        "C0001 profit and loss", "C0001 performance since purchase", "did C0001 lose money",
        "C0001 return over the last 12 months", "what's C0001's gain", "C0001 annualised return",
        "C0001 since he started investing, in money terms", "how much has C0001 made in yuan",
    ),
    slots=(Slot("client_id", "client", required=True), Slot("period", "period")),
    clarify={"zh": "请问看哪位客户的收益？", "en": "Whose performance?"},
)
