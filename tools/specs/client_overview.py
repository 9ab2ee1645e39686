"""client_overview: total assets, cash, holdings, risk level and assessment expiry, maturities."""

from tools.clients import client_overview
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="client_overview", tool=client_overview, needs="client",
    label={"zh": "客户概况", "en": "the client overview"},
    exemplars_zh=(
        "C0001总资产多少", "C0001现金还剩多少", "C0001账户啥情况", "看下C0001的持仓", "C0001买了哪些产品",
        "C0001的理财啥时候到期", "C0001风险等级是啥", "C0001风测啥时候过期", "C0001手里有多少活期", "张总名下资产多少",
        "C0001持仓明细发我一下", "C0001账户里有啥", "C0001总共多少钱", "C0001的基本情况", "C0001现在持有什么",
        "帮我看看C0001", "C0001资产多少啊", "C0001持仓情况咋样", "C0001现金多少", "C0001有几只基金",
        "C0001啥情况", "C0001客户概况", "C0001的资产状况", "C0001最近有啥到期的", "C0001 总资产 现金 持仓",
    ),
    exemplars_en=(
        "total AUM of C0001", "how much cash does C0001 have", "what does C0001 hold", "C0001 overview",
        "show me C0001's holdings", "when do C0001's products mature", "what is C0001's risk level",
        "how much money does C0001 have with us", "give me a snapshot of C0001", "C0001 account summary",
        "what's in C0001's account",
    ),
    slots=(Slot("client_id", "client", required=True),),
    clarify={"zh": "请问是哪位客户？请给出客户姓名或编号（如 C0001）。",
             "en": "Which client? Please give a name or client id (e.g. C0001)."},
)
