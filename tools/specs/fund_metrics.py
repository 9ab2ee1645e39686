"""fund_metrics: a fund's return, annualised return, drawdown, volatility, Sharpe over one period."""

from tools.funds import fund_metrics
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="fund_metrics", tool=fund_metrics, needs="fund", public=True,
    label={"zh": "基金区间指标", "en": "the fund metrics"},
    exemplars_zh=(
        "110011最大回撤多少", "110011近一年收益", "110011年化多少", "110011夏普比率", "110011波动率",
        "110011今年涨了多少", "110011回测多少", "110011最近一年回撤", "110011成立以来收益", "110011七日年化",
        "110011万份收益", "110011去年收益率", "它的年化多少", "这只最大回撤", "110011近三年年化",
        "110011今年以来表现", "110011跌了多少", "110011收益率多少", "那只的夏普", "110011回撤大不大",
        "110011近半年收益", "年化多少",
    ),
    exemplars_en=(
        "max drawdown of 110011", "110011 return last year", "110011 annualised return", "110011 sharpe ratio",
        "110011 volatility", "how much is 110011 up this year", "110011 ytd performance", "its annualised return",
        "7-day yield of 110011", "110011 return since inception",
    ),
    slots=(Slot("fund", "fund", required=True), Slot("period", "period", default="1y")),
    clarify={"zh": "请问是哪只基金？请给出基金代码或名称。", "en": "Which fund? Please give its code or name."},
)
