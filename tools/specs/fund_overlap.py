"""fund_overlap: the common holdings of two to five funds."""

from tools.funds import fund_overlap
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="fund_overlap", tool=fund_overlap, needs="funds",
    label={"zh": "持仓重合度", "en": "the holdings overlap"},
    exemplars_zh=(
        "110011和000001重合多少", "110011跟000001持仓重叠吗", "这两只基金重仓股重复吗", "110011和000001重合度",
        "110011 000001 重叠", "跟110011重合多少", "110011和000001共同持仓", "110011和000001持仓相似度",
        "三只基金重合度110011 000001 161725", "110011跟000001买的股票一样吗", "110011和000001重复持仓",
        "110011和000001有没有重叠", "110011和000001重合率", "这俩基金重叠多少", "110011和000001底层重合",
        "110011跟000001持仓像不像", "110011和000001重仓股重合", "110011、000001重叠度", "110011和000001重合情况",
        "它跟000001重合多少",
    ),
    exemplars_en=(
        "overlap between 110011 and 000001", "common holdings of 110011 and 000001", "do 110011 and 000001 overlap",
        "holdings overlap 110011 000001", "how similar are 110011 and 000001", "overlap of these three funds",
        "shared stocks between 110011 and 000001", "110011 000001 overlap score", "how much does it overlap with 000001",
        "are 110011 and 000001 holding the same stocks",
    ),
    slots=(Slot("fund_codes", "funds", required=True),),
    clarify={"zh": "请问比较哪几只基金的持仓重合？", "en": "Which funds should I compare for overlap?"},
)
