"""wealth_health_score: a 0-100 wealth health score with its components."""

from tools.portfolio import wealth_health_score
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="wealth_health_score", tool=wealth_health_score, needs="client",
    label={"zh": "财富健康度评分", "en": "the wealth health score"},
    exemplars_zh=(
        "C0001财富健康度打个分", "C0001健康分多少", "C0001财务健康度", "给C0001打个分", "C0001健康度评分",
        "C0001财富体检分数", "C0001打分", "C0001评分多少", "C0001财富健康吗", "C0001健康度怎么样",
        "C0001得几分", "C0001财务状况评分", "C0001健康评分看下", "C0001财富健康指数", "C0001综合评分",
        "C0001健康分", "C0001分数多少", "C0001打个分呗", "C0001健康度咋样", "C0001财富评分",
    ),
    exemplars_en=(
        "wealth health score for C0001", "score C0001's finances", "how healthy is C0001's wealth",
        "C0001 health score", "rate C0001's financial health", "C0001 wealth score out of 100",
        "give C0001 a score", "financial health check score C0001", "C0001 overall score",
        "what's C0001's health score",
    ),
    slots=(Slot("client_id", "client", required=True),),
    clarify={"zh": "请问给哪位客户打分？", "en": "Which client should I score?"},
)
