"""book_scan: the caller's own book scanned by rule (maturing, idle cash, expired assessments, …)."""

from tools.book import book_scan
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="book_scan", tool=book_scan, needs="book",
    label={"zh": "客户名单扫描", "en": "the book scan"},
    exemplars_zh=(
        "扫一遍我的客户", "哪些客户下个月有到期", "风测过期的客户有几个", "亏损超过10%的客户", "帮我看看所有客户的到期情况",
        "我名下全部客户有啥要跟进的", "闲置资金多的客户", "哪些客户超风险了", "30天内到期的客户", "2026-08到期的有哪些",
        "高龄客户买了高风险的有谁", "客户里谁亏得多", "本月到期名单", "需要跟进的客户", "测评过期名单",
        "集中度太高的客户", "持仓不匹配风险等级的客户", "今天要联系哪些客户", "扫描下客户", "活期太多的客户有哪些",
        "下周到期的", "浮亏的客户有哪些",
    ),
    exemplars_en=(
        "scan my book", "which clients have products maturing next month", "clients with expired risk assessments",
        "who is losing more than 10%", "clients with idle cash", "follow-up list", "which clients hold above their risk level",
        "elderly clients with high-risk products", "maturities in the next 30 days", "alerts for my clients",
    ),
    slots=(Slot("rule", "rule"), Slot("within_days", "within_days"), Slot("month", "month"),
           Slot("loss_threshold", "loss_threshold"), Slot("page", "page")),
    clarify={"zh": "请问按哪类提醒扫描（到期、闲置资金、测评过期、亏损…）？",
             "en": "Which follow-up (maturities, idle cash, expired assessments, losses…)?"},
)
