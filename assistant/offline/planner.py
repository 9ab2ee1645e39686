"""Plan the next step for a question: tool calls with arguments, or a short reply (clarify / out of scope).

``plan("那他的行业分布呢?", lexicon, state={"client_id": "C0001", "last_tool": "lookthrough_portfolio"})``
→ ``Plan(calls=[("industry_exposure", {"client_id": "C0001"})], reply=None, lang="zh")``.
Replies carry no figures; every number in an answer comes from a tool result later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.offline import business
from assistant.offline.compound import CLIENT_ASKS, joined
from assistant.offline.entities import Entities, extract
from assistant.offline.intents import (
    CLIENT_TOOLS,
    COMPANY_TOOLS,
    INJECTION,
    OUT_OF_SCOPE,
    POLICY_CUES,
    QUESTION_FORM,
    intents_of,
)
from assistant.offline.lexicon import Lexicon
from assistant.offline.slots import SAME_PERIOD, asset_class_of
from prompts.loader import sections

_CLIENT_ORDER = [
    "performance_attribution", "industry_exposure", "lookthrough_portfolio", "retirement_plan",
    "allocation_review", "portfolio_performance",
]


@dataclass
class Plan:
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    reply: str | None = None
    lang: str = "zh"


def _msg(key: str, lang: str, **kw: str) -> str:
    text = sections("answer_messages", lang)[key]
    return text.format(**kw) if kw else text


def _options(pairs: list[tuple[str, str]]) -> str:
    return "；".join(f"{name}（{key}）" for key, name in pairs)


def _client_args(tool: str, client: str, ent: Entities) -> dict[str, Any]:
    args: dict[str, Any] = {"client_id": client}
    if tool in ("portfolio_performance", "performance_attribution") and ent.period:
        args["period"] = ent.period
    if tool == "retirement_plan" and ent.retire_age:
        args["retire_age"] = ent.retire_age
    if tool == "retirement_plan" and ent.monthly_spending:
        args["monthly_spending"] = ent.monthly_spending
    if tool == "draft_proposal":
        args["lang"] = ent.lang
        if ent.wants_file:
            args["write_docx"] = True
    return args


def _product_args(text: str, ent: Entities, client: str | None) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if client:
        args["client_id"] = client
    risk = ent.product_risk or (f"R{ent.client_risk[1]}" if ent.client_risk else None)
    if risk:
        args["max_risk_level"] = risk
    if ent.amount:
        args["amount"] = ent.amount
    if asset_class := asset_class_of(text):
        args["asset_class"] = asset_class
    return args


def _dd_scenario(text: str) -> str:
    if re.search(r"开户|account[- ]opening|open an account", text, re.I):
        return "account-opening"
    if re.search(r"变更|change", text, re.I):
        return "change"
    return "credit"


def plan(text: str, lex: Lexicon, state: dict[str, Any] | None = None) -> Plan:
    state = state or {}
    ent = extract(text, lex)
    if not ent.period and state.get("period") and SAME_PERIOD.search(text):
        ent.period = state["period"]  # "他归因看下 同一期间": the period of the last answer
    lang = ent.lang
    hits = intents_of(text)
    out = Plan(lang=lang)
    client = ent.client_ids[0] if ent.client_ids else None
    remembered = state.get("client_id")

    if ent.ambiguous_clients and not client:
        out.reply = _msg("clarify_client_ambiguous", lang, options=_options(ent.ambiguous_clients))
        return out
    if OUT_OF_SCOPE.search(text) and not (client or ent.fund_codes or ent.company):
        out.reply = _msg("out_of_scope", lang)
        return out

    if INJECTION.search(text) and not (client or ent.fund_codes or ent.company):
        # A message that tries to change the rules and names nothing we can check stops here; one that names
        # a client still goes to the tool, which enforces access (so a refusal is the same either way).
        out.reply = _msg("injection", lang)
        return out

    # 1) documents first: they name their subject explicitly
    if "draft_due_diligence" in hits:
        company = ent.company or state.get("company")
        if not company:
            out.reply = _msg("clarify_company", lang)
        else:
            dd = {"company": company, "scenario": _dd_scenario(text)}
            if ent.wants_file:
                dd["write_docx"] = True
            out.calls.append(("draft_due_diligence", dd))
        return out
    if "draft_proposal" in hits:
        who = client or remembered
        if not who:
            out.reply = _msg("clarify_client", lang)
        else:
            out.calls.append(("draft_proposal", _client_args("draft_proposal", who, ent)))
        return out

    # 1b) the business-layer capabilities, by their plain phrasings
    routed = business.route(text, ent, client=client, remembered=remembered, state=state)
    if routed:
        out.calls.extend(routed)
        return out

    client_hits = [t for t in _CLIENT_ORDER if t in hits]
    wants_products = "search_products" in hits and not client_hits
    if wants_products and not client and not ent.pronoun:
        # "what is the cooling-off period for wealth products?" is a policy question, and
        # "which of my clients have products maturing?" is a book scan, not a shelf search
        if "book_scan" in hits:
            wants_products = False
        elif "search_knowledge" in hits and (
            POLICY_CUES.search(text) or not (ent.amount or ent.product_risk or ent.client_risk)
        ):
            wants_products = False

    # 2) fund questions (no client named)
    if ent.fund_codes and not client and not (ent.pronoun and remembered and client_hits):
        if "fund_overlap" in hits or len(ent.fund_codes) >= 2:
            codes = ent.fund_codes[:5]
            if len(codes) < 2:
                out.reply = _msg("clarify_second_fund", lang)
            else:
                out.calls.append(("fund_overlap", {"fund_codes": codes}))
        else:
            out.calls.append(("fund_profile", {"fund": ent.fund_codes[0]}))
        return out
    if ent.ambiguous_funds and not client:
        out.reply = _msg("clarify_fund_ambiguous", lang, options=_options(ent.ambiguous_funds))
        return out

    # 3) company questions
    if ent.company and not client and not client_hits:
        out.calls.append(("company_profile", {"company": ent.company}))
        return out

    # 4) client questions
    if wants_products:
        who = client or (remembered if ent.pronoun else None)
        out.calls.append(("search_products", _product_args(text, ent, who)))
        return out
    if client_hits:
        who = client or remembered
        if not who and "search_knowledge" in hits and POLICY_CUES.search(text):
            # "业绩比较基准是什么意思" names no client: a definition question, not a client analysis
            out.calls.append(("search_knowledge", {"query": text}))
            return out
        if not who:
            out.reply = _msg("clarify_client", lang)
            return out
        # two analyses in one message only for the natural pair "穿透 + 行业"; otherwise the most specific
        pair = set(client_hits[:2]) == {"industry_exposure", "lookthrough_portfolio"} and not re.search(
            r"(?:医药|新能源|白酒|科技|银行|半导体|消费|地产|电子|食品|军工|有色|煤炭|汽车|化工|传媒|通信|计算机|券商|光伏|医疗)"
            r".{0,4}(?:占|多少|仓位|敞口|比例)", text) and joined(text, CLIENT_ASKS, "lookthrough_portfolio", "industry_exposure")
        # "穿透后新能源占多少" asks one sector's share; "穿透行业" / "industries after look-through" one analysis
        for tool in client_hits[: 2 if pair else 1]:
            out.calls.append((tool, _client_args(tool, who, ent)))
        return out

    # 5) book, products, knowledge
    if "book_scan" in hits:
        out.calls.append(("book_scan", business.book_args(text)))
        return out
    if "fund_overlap" in hits:
        out.reply = _msg("clarify_fund", lang)
        return out
    if "company_profile" in hits and not re.search(r"基金公司|fund compan", text, re.I):
        company = state.get("company")
        if company and ent.pronoun:
            out.calls.append(("company_profile", {"company": company}))
        elif "search_knowledge" in hits:
            out.calls.append(("search_knowledge", {"query": text}))
        else:
            out.reply = _msg("clarify_company", lang)
        return out
    if "fund_profile" in hits and "search_knowledge" not in hits:
        funds = state.get("fund_codes") or []
        if funds and ent.pronoun:
            out.calls.append(("fund_profile", {"fund": funds[0]}))
        elif not funds and re.search(r"费|fee|赎回|申购|redemption|subscription|days?\b|天", text, re.I):
            # "redemption fee under 7 days": a fee rule, not a fund's profile — the fee schedule answers it
            out.calls.append(("search_knowledge", {"query": text}))
        else:
            out.reply = _msg("clarify_fund", lang)
        return out
    if "search_knowledge" in hits:
        out.calls.append(("search_knowledge", {"query": text}))
        return out

    # 6) follow-ups with no intent words: "那C0002呢？", "今年以来呢？", "他呢"
    last = state.get("last_tool")
    if last and (client or ent.period or ent.pronoun) and (last in CLIENT_TOOLS or last == "search_products"):
        who = client or remembered
        if who:
            out.calls.append((last, _client_args(last, who, ent) if last != "search_products"
                              else _product_args(text, ent, who)))
            return out
    if last in COMPANY_TOOLS and ent.company:
        out.calls.append((last, {"company": ent.company}))
        return out
    if client and ent.period:  # "C0002 since 2023?" — a client and a period: performance
        out.calls.append(("portfolio_performance", _client_args("portfolio_performance", client, ent)))
        return out
    if client and re.search(r"看看|看一下|check on|look at", text, re.I):
        # "帮我看看张伟": what the client really holds
        out.calls.append(("lookthrough_portfolio", {"client_id": client}))
        return out
    if client and re.search(r"情况|概况|overview|how is", text, re.I):
        # "账户啥情况": the client overview (assets, holdings, risk level, maturities)
        out.calls.append(("client_overview", {"client_id": client}))
        return out
    if client:
        out.reply = _msg("clarify_topic", lang)
        return out
    if INJECTION.search(text):
        out.reply = _msg("injection", lang)
    elif QUESTION_FORM.search(text) and len(text) >= 6:  # an unmatched business question: try the knowledge base
        out.calls.append(("search_knowledge", {"query": text}))
    else:
        out.reply = _msg("out_of_scope", lang)
    return out
