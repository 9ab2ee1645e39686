"""draft_proposal: a client's asset-allocation proposal (资产配置建议书), zh or en, optionally as docx."""

from tools.reports import draft_proposal
from tools.spec import Slot, ToolSpec

SPEC = ToolSpec(
    name="draft_proposal", tool=draft_proposal, needs="client",
    label={"zh": "配置建议书", "en": "the proposal"},
    exemplars_zh=(
        "给C0001写份建议书", "C0001出个配置方案", "C0001建议书英文版", "帮C0001起草资产配置建议书", "C0001方案书",
        "C0001建议书导出word", "给C0001做个方案", "C0001配置建议书", "C0001出一份建议书", "C0001建议书生成文档",
        "写一份C0001的配置建议", "C0001要一份方案", "给C0001出份英文建议书", "C0001的建议书发我", "C0001做一份资产配置报告",
        "起草C0001方案", "C0001建议书", "C0001出个报告给客户看", "C0001方案下载", "C0001资产配置方案书",
    ),
    exemplars_en=(
        "draft a proposal for C0001", "write C0001 an allocation proposal", "proposal for C0001 in English",
        "C0001 proposal as a docx", "prepare a proposal for C0001", "C0001 asset allocation proposal",
        "generate a proposal document for C0001", "create C0001's proposal", "C0001 proposal download",
        "make a client proposal for C0001",
    ),
    slots=(Slot("client_id", "client", required=True), Slot("lang", "doc_lang"), Slot("write_docx", "wants_file")),
    clarify={"zh": "请问为哪位客户起草建议书？", "en": "Which client is the proposal for?"},
)
