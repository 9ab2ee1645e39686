"""Guard rails for client-facing answers, enforced in code (not in a prompt).

Inbound (on the question, before any retrieval):
- ``client_data_request``: identifiers (client id C0001, ID card, mobile, bank card) or a request to look
  up someone's balance/holdings → refuse; the FAQ channel has no access to client data at all.
- ``injection``: "ignore your rules", "忽略以上规则", "system prompt"… → refuse.
- ``internal_request``: asks for internal material (commission splits, sales targets, review minutes).
- ``individual_advice``: "我该买哪个", "should I buy…" → hand off to a relationship manager.

Outbound (on every answer, extractive or LLM-rephrased): ``return_promises`` finds promise phrases
(保本, 稳赚, 保证收益, guaranteed, risk-free…) that are not negated ("不保本" and "not guaranteed" are
fine — they are the required disclosures); ``scrub`` drops sentences that contain one.
"""

from __future__ import annotations

import re

_CLIENT_ID = re.compile(r"(?<![A-Za-z0-9])C\d{3,}(?![0-9])|客户(?:号|编号)\s*[:：]?\s*\w+", re.I)
_ID_CARD = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
_BANK_CARD = re.compile(r"(?<!\d)\d{16,19}(?!\d)")
_PERSONAL_VALUE = re.compile(
    r"(余额|持仓|资产|收益|盈亏|交易记录|账户|流水|balance|holdings?|positions?|portfolio|transactions?|statement)", re.I)
_LOOKUP = re.compile(
    r"(是多少|有多少|多少钱|查一下|查查|帮我查|告诉我|给我看|列出|调出|tell me|show me|look up|what(?:'s| is| are)|how much|list)",
    re.I)
# Someone's own values, not a product's ("what are the holdings of fund 001101" is a product question).
_PERSON = re.compile(r"(我|本人|客户|他|她|家人|\bmy\b|\bmine\b|\bi\b|\bme\b|client|customer|\bhis\b|\bher\b|\btheir\b)", re.I)
_HOW_TO = re.compile(r"(怎么|如何|在哪|哪里|能否|可以.*吗|可不可以|how (?:do|can|to)|where|can (?:a|my|i)\b)", re.I)
_THIRD_PARTY = re.compile(r"(客户|他的|她的|别人|某人|another client|other client|someone|client \w+)", re.I)
_INJECTION = re.compile(
    r"(ignore (?:all |any |your |the |previous |prior |above )*(?:rules|instructions|guidelines|restrictions)"
    r"|disregard (?:your|the|all) |system prompt|developer mode|jailbreak|pretend (?:you are|to be)|act as"
    r"|忽略.{0,6}(?:规则|指令|限制|要求|设定)|无视.{0,6}(?:规则|限制)|你现在是|扮演|系统提示词|越狱)", re.I)
_INTERNAL = re.compile(
    r"(内部|考核|佣金|分成|尾随|提成|评审|纪要|手册|话术|客户维护费|internal|commission|kickback|sales target|quota"
    r"|review minutes|trailer fee)", re.I)
_ADVICE = re.compile(
    r"(我该买|我应该买|买哪个|买哪只|选哪个|选哪只|推荐.{0,8}(?:产品|基金|理财)|给我推荐|适合我吗|适合我的|值得买|值不值得|能不能买这|"
    r"现在.{0,4}(?:买|卖|加仓|减仓)|该不该|要不要(?:买|卖)|会涨吗|会跌吗|哪个(?:产品|基金|理财)?(?:好|收益高|更好)|"
    r"should i (?:buy|sell|invest)|which (?:fund|product|one) should|recommend (?:a |me |some )?(?:fund|product)|"
    r"what should i (?:buy|invest)|is (?:it|now) a good time|best (?:fund|product)|will (?:it|the fund) (?:rise|go up))",
    re.I)

# Promise phrases; each match is checked for a negation just before it.
_PROMISE_ZH = re.compile(
    r"(保本保收益|保本|保收益|保证收益|保证本金|保底收益|稳赚不赔|稳赚|稳赢|零风险|无风险|没有风险|只赚不赔|肯定赚|一定赚|肯定涨|一定涨|"
    r"绝对安全|刚性兑付|刚兑|收益有保障|不会亏)")
_PROMISE_EN = re.compile(
    r"(guaranteed?|risk[- ]free|no risk|principal[- ]protected|capital[- ]protected|can(?:no|')t lose|cannot lose|"
    r"sure (?:profit|win|thing)|will (?:definitely|certainly) (?:rise|gain|earn)|zero risk)", re.I)
_NEG_ZH = re.compile(r"(不|非|无|未|没|别|禁止|严禁|并非|不得|不会|不能|不承诺|不保证|不代表)[^。！？；，,\n]{0,6}$")
_NEG_EN = re.compile(r"\b(not|no|never|neither|nor|without|isn't|aren't|don't|doesn't|won't|cannot|can't)\b[^.!?;,\n]{0,30}$", re.I)
# "承诺保本属于销售误导" describes misconduct; it is the disclosure, not a promise.
_CONDEMNED_AFTER = re.compile(r"^.{0,6}(属于|是|构成)?.{0,2}(销售误导|违规|违法|误导)")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?|\n")


def client_data_request(q: str) -> bool:
    """True when the question carries a personal identifier or asks to look up account values."""
    if _CLIENT_ID.search(q) or _ID_CARD.search(q) or _MOBILE.search(q) or _BANK_CARD.search(q):
        return True
    if _PERSONAL_VALUE.search(q) and _LOOKUP.search(q) and _PERSON.search(q) and not _HOW_TO.search(q):
        return True
    return bool(_PERSONAL_VALUE.search(q) and _THIRD_PARTY.search(q) and not _HOW_TO.search(q))


def injection(q: str) -> bool:
    return bool(_INJECTION.search(q))


def internal_request(q: str) -> bool:
    return bool(_INTERNAL.search(q))


def individual_advice(q: str) -> bool:
    return bool(_ADVICE.search(q))


def return_promises(text: str) -> list[str]:
    """Un-negated promise phrases in ``text`` (empty list = clean)."""
    found: list[str] = []
    for pattern, neg in ((_PROMISE_ZH, _NEG_ZH), (_PROMISE_EN, _NEG_EN)):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40):m.start()]
            if m.group(0) in ("无风险", "没有风险", "不会亏") and _NEG_ZH.search(before):
                continue
            if not neg.search(before) and not _CONDEMNED_AFTER.search(text[m.end():m.end() + 12]):
                found.append(m.group(0))
    return found


def scrub(text: str) -> tuple[str, list[str]]:
    """Drop every sentence that contains an un-negated promise; returns (clean text, removed phrases)."""
    kept: list[str] = []
    removed: list[str] = []
    for sentence in _SENTENCE.findall(text):
        hits = return_promises(sentence)
        if hits:
            removed.extend(hits)
        else:
            kept.append(sentence)
    return "".join(kept).strip(), removed
