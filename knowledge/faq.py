"""FAQ auto-reply for clients: extractive answers from client-audience passages, with citations.

Flow: inbound guards (client data, injection, internal material, individual advice) → hybrid search with
``audience="client"`` (internal documents are never candidates) → calibrated confidence → below
``settings.faq_handoff_threshold`` hand off to a relationship manager, else quote the best passage and
cite it → outbound guard (promise phrases removed; nothing left → hand off). Only approved
client-audience documents are candidates, and a best passage flagged by the content screen
(``knowledge.screen``: promises of return, requests for codes/passwords/transfers, embedded
instructions) hands the question to an RM. With ``llm`` the quoted
answer may be rephrased, but the rephrasing must pass the same guards, keep the citation and introduce
no number absent from the passages; otherwise the extractive answer is returned.

>>> answer_faq("冷静期有多长？", store_dir="var/chroma")
FaqAnswer(answer='冷静期为 24 小时，自您签署购买合同或在手机银行确认购买时起算。（来源：《常见问题·银行理财产品》Q4）',
          citations=['《常见问题·银行理财产品》Q4'], confidence=0.96, handoff=False)
"""

from __future__ import annotations

import logging
import math
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from core.errors import InvalidInput
from knowledge import guards, screen
from knowledge.models import Passage
from knowledge.retrieval import get_retriever
from knowledge.tokenize import is_english

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
# Logistic confidence P(top passage answers the question) from retrieval features; fitted by
# `python -m evals.faq --calibrate` on evals/faq_set.jsonl (see evals/faq.py for the figures).
CALIBRATION = {"bias": -40.71, "cosine": 42.39, "both_legs": 1.14, "bm25": 1.1}

HANDOFF = {"zh": "已为您转接理财经理。", "en": "I have transferred you to a relationship manager."}
_MESSAGES = {
    "low": {"zh": "抱歉，这个问题我无法根据本行资料准确回答，", "en": "Sorry, I cannot answer this reliably from the bank's documents. "},
    "client_data": {"zh": "为保护客户信息，本渠道不能查询或提供任何客户的账户、持仓或个人信息，",
                    "en": "To protect client information, this channel cannot look up or disclose any client's account, holdings or personal data. "},
    "injection": {"zh": "抱歉，我只能依据本行公开的产品与政策资料回答问题，",
                  "en": "Sorry, I can only answer from the bank's published product and policy documents. "},
    "internal": {"zh": "抱歉，该问题涉及本行内部资料，无法在此提供，",
                 "en": "Sorry, that concerns internal bank material that cannot be shared here. "},
    "advice": {"zh": "具体买哪款产品需要结合您的风险测评结果和财务状况由理财经理为您分析，我不能提供个人投资建议，",
               "en": "Which product suits you depends on your risk assessment and finances, so I cannot give personal investment advice. "},
    "promise": {"zh": "抱歉，这个问题需要理财经理为您解答，", "en": "Sorry, a relationship manager needs to answer this. "},
}


class FaqAnswer(BaseModel):
    """``faq --json`` prints exactly these four fields."""

    answer: str
    citations: list[str] = Field(default_factory=list)
    confidence: float = 0.0  # 0–1, calibrated P(answer is from the right passage)
    handoff: bool = False


def confidence(passages: list[Passage]) -> float:
    """Calibrated probability that the top passage answers the question (0 when nothing was found)."""
    if not passages:
        return 0.0
    top = passages[0]
    z = (CALIBRATION["bias"] + CALIBRATION["cosine"] * (top.dense or 0.0)
         + CALIBRATION["both_legs"] * (top.bm25 is not None) + CALIBRATION["bm25"] * math.log1p(top.bm25 or 0.0))
    return 1.0 / (1.0 + math.exp(-z))


def _handoff(kind: str, lang: str, conf: float = 0.0) -> FaqAnswer:
    return FaqAnswer(answer=_MESSAGES[kind][lang] + HANDOFF[lang], citations=[], confidence=round(conf, 3), handoff=True)


_ANSWER_RE = re.compile(r"^(?:Q\d+\s*[:：.、]?.*?\n)?\s*(?:A|答)\s*[:：]\s*", re.S)


def quote(p: Passage) -> str:
    """The passage's answer text: for a Q/A pair the answer only, for a clause the clause without its label."""
    text = p.text.strip()
    m = _ANSWER_RE.match(text)
    if m and p.section.startswith("Q"):
        return text[m.end():].strip()
    if p.section and text.startswith(p.section):
        text = text[len(p.section):].lstrip(" （续）:：")
    return text


def _pick(passages: list[Passage], lang: str) -> Passage:
    """Best passage, preferring one in the question's language when it is nearly as good."""
    top = passages[0]
    for p in passages[1:5]:  # RRF scores of the top few are close; a reply in the asker's language wins
        if lang != top.lang and p.lang == lang and p.score >= 0.9 * top.score:
            return p
    return top


def compose(p: Passage, lang: str) -> str:
    body = quote(p)
    if lang == "en":
        if p.lang == "en":
            return f"{body} (Source: {p.citation()})"
        return f"According to {p.citation()} (original text): {body}"
    if p.lang == "en":
        return f"根据{p.citation()}（英文原文）：{body}"
    return f"{body}（来源：{p.citation()}）"


_NUM = re.compile(r"\d+(?:\.\d+)?")


def _rephrase(llm: Any, question: str, extractive: str, p: Passage, lang: str) -> str | None:
    """Ask the LLM to rephrase; return None when it fails or breaks a rule (caller keeps the extractive)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    system = ("You answer bank clients' FAQs. Rephrase the given answer politely in "
              + ("English" if lang == "en" else "简体中文")
              + ", using only facts from the source passage. Never promise returns or principal protection, "
              "never give personal investment advice. Keep the citation text exactly as given at the end.")
    user = f"Question: {question}\nSource passage {p.citation()}:\n{p.text}\n\nAnswer to rephrase:\n{extractive}"
    try:
        out = llm.invoke([SystemMessage(content=system), HumanMessage(content=user)])
        text = str(getattr(out, "content", out)).strip()
    except Exception as exc:  # endpoint down, timeout: the extractive answer is always available
        log.warning("faq rephrase failed: %s", type(exc).__name__)
        return None
    if not text or p.citation() not in text or guards.return_promises(text) or screen.hazards(text):
        return None
    allowed = set(_NUM.findall(p.text)) | set(_NUM.findall(extractive))
    if any(n not in allowed for n in _NUM.findall(text.replace(p.citation(), ""))):
        return None
    return text


def retrieve(question: str, *, store_dir: Path | str, settings: Any = None) -> list[Passage]:
    """The FAQ's candidate passages: client audience only, filtered inside retrieval. The shelf's
    factsheets share boilerplate (fee tiers, risk text), so they compete only when the question names
    a product (by code or name)."""
    retriever = get_retriever(store_dir, settings)
    return retriever.search(question, k=5, audience="client", include_blocked=True,
                            exclude_doc_type=None if retriever.names_product(question) else "product")


def answer_faq(question: str, *, store_dir: Path | str, settings: Any = None, llm: Any = None) -> FaqAnswer:
    """Answer a client FAQ from client-audience documents, or hand off (see the module docstring)."""
    if not question or not question.strip():
        raise InvalidInput("the question is empty", field="question", hint="ask something, e.g. 冷静期有多长？")
    question = question.strip()[:500]
    lang = "en" if is_english(question) else "zh"
    for kind, check in (("client_data", guards.client_data_request), ("injection", guards.injection),
                        ("internal", guards.internal_request), ("advice", guards.individual_advice)):
        if check(question):
            return _handoff(kind, lang)
    passages = retrieve(question, store_dir=store_dir, settings=settings)
    # Screen again right before answering: the best match being a flagged passage (a promise of return,
    # a request for codes or transfers, an embedded instruction) means a person must answer this one.
    if passages and (passages[0].blocked or screen.hazards(passages[0].text)):
        log.warning("faq: top passage blocked by the content screen", extra={"source": passages[0].source})
        return _handoff("promise", lang, confidence(passages))
    passages = [p for p in passages if not p.blocked and not screen.hazards(p.text)]
    conf = confidence(passages)
    threshold = getattr(settings, "faq_handoff_threshold", DEFAULT_THRESHOLD) if settings is not None else DEFAULT_THRESHOLD
    if conf < threshold:
        return _handoff("low", lang, conf)
    best = _pick(passages, lang)
    answer, removed = guards.scrub(compose(best, lang))
    if removed or best.citation() not in answer or screen.hazards(answer):
        return _handoff("promise", lang, conf)
    if llm is not None:
        answer = _rephrase(llm, question, answer, best, lang) or answer
    return FaqAnswer(answer=answer, citations=[best.citation()], confidence=round(conf, 3), handoff=False)
