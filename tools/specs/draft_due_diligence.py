"""draft_due_diligence: a corporate due-diligence report (credit / account opening / change)."""

from tools.reports import draft_due_diligence
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="draft_due_diligence", tool=draft_due_diligence, needs="company",
    label={"zh": "尽调报告", "en": "the due-diligence report"},
    exemplars_zh=(
        "E001尽调报告", "给E001做个尽职调查", "E001授信尽调", "E001开户尽调", "E001变更尽调",
        "出份E001的尽调", "E001尽调导出word", "帮我写E001尽职调查报告", "E001尽调英文版", "E001做尽调",
        "E001的尽调报告发我", "E001尽职调查", "起草E001尽调", "E001授信前尽调一下", "E001开户前要尽调",
        "E001尽调报告生成", "这家公司做个尽调", "E001 dd报告", "E001尽调文档", "E001信贷尽调",
    ),
    exemplars_en=(
        "due diligence report for E001", "draft a DD report on E001", "E001 credit due diligence",
        "account-opening due diligence for E001", "E001 due diligence as docx", "prepare due diligence on this company",
        "E001 change due diligence", "write a due-diligence report for E001", "DD on E001",
        "generate E001 due diligence",
    ),
    slots=(Slot("company", "company", required=True), Slot("scenario", "scenario"), Slot("write_docx", "wants_file")),
    clarify={"zh": "请问对哪家企业做尽调？", "en": "Which company is the due diligence for?"},
)
