"""Content screen for knowledge passages: what a document may not tell a client, whoever wrote it.

Run at ingestion (a hit marks the chunk ``blocked``, so it is never a search candidate) and again on
every retrieved passage before it is used in an answer (a store built by an older version, or a
pattern added since, is still caught). Three families:

- ``promise``: promises of return or principal — the FAQ guard's phrases (保本, 稳赚, guaranteed…) plus
  track-record and payout claims (从未亏损, 到期100%兑付, 年化收益率18%).
- ``credential``: asking for verification codes, passwords or PINs, or to transfer money to an account
  (请回复短信验证码, 把密码告诉, 转账到…账户). The bank's own warnings ("本行不会索要短信验证码") are negated and pass.
- ``instruction``: text addressed to the model instead of the reader (ignore previous instructions,
  系统提示, "you are now…").

>>> hazards("本产品历史上从未亏损，到期100%兑付本息")
['promise:从未亏损', 'promise:100%兑付']
>>> hazards("本行工作人员不会要求您向个人账户转账或索要短信验证码、密码。")
[]
"""

from __future__ import annotations

import re

from knowledge.guards import return_promises

_NEG_ZH = re.compile(r"(不|非|无|未|没|别|勿|禁止|严禁|并非|不得|不会|不能|不要|切勿|谨防|警惕|防范)[^。！？；，,\n]{0,14}$")
_NEG_EN = re.compile(r"\b(not|no|never|don't|doesn't|won't|cannot|can't)\b[^.!?;\n]{0,40}$", re.I)

_PROMISE_EXTRA = re.compile(
    r"(从未亏损|从不亏损|没有亏损过|从没亏过|零亏损|不会亏损|100\s*%\s*(?:兑付|保本|安全)|百分之百(?:兑付|保本|安全)|"
    r"(?:保证|确保|承诺)(?:按期|到期)?兑付|全额兑付本息|本息全额兑付|稳赚|"
    r"年化(?:收益率?|回报率?)\s*(?:高达|达到|达|可达|稳定在|锁定|保证|为|约)?\s*(?:[1-9]\d)(?:\.\d+)?\s*%|"
    r"never (?:lost|had a loss)|100\s*% (?:payout|repayment|safe))", re.I)
_CREDENTIAL = re.compile(
    r"((?:回复|提供|告知|告诉|发送|发给|报给|报一下|说出|输入|填写|索要|索取|转发)[^。！？\n]{0,10}"
    r"(?:短信)?(?:验证码|动态码|校验码|密码|口令|支付密码|CVV)|"
    r"(?:验证码|密码)[^。！？\n]{0,6}(?:发给|告诉|回复给|报给)|"
    r"(?:转账|汇款|转入|打款|汇入|转到|转至|划转)[^。！？\n]{0,6}(?:到|至|给|入)[^。！？\n]{0,16}(?:账户|账号|卡号|卡)|"
    r"向[^。！？\n]{0,12}(?:账户|账号)[^。！？\n]{0,4}(?:转账|汇款|打款)|"
    r"(?:send|tell|give|share|provide|reply with|forward)\s+(?:us |me |the |your |their |him |her )*"
    r"(?:sms |verification |one[- ]time |security )?(?:code|password|pin|otp)s?\b|"
    r"transfer (?:the |your )?(?:money |funds |amount )?(?:to|into) (?:this|the following|a safe|our|my) account)",
    re.I)
_INSTRUCTION = re.compile(
    r"(ignore (?:all |any |your |the |previous |prior |above |earlier )*(?:rules|instructions|guidelines|prompts?)"
    r"|disregard (?:all |any |your |the |previous |prior )*(?:rules|instructions)|system prompt|developer mode"
    r"|you are now|new instructions?:|<\|im_start\|>|\[INST\]|###\s*instruction"
    r"|忽略.{0,8}(?:规则|指令|指示|限制|要求|设定|提示)|无视.{0,6}(?:规则|限制|指令)|系统提示|你现在是|从现在起你|"
    r"请以.{0,6}身份回答|越狱)", re.I)


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - 30):start]
    return bool(_NEG_ZH.search(before) or _NEG_EN.search(before))


# A sentence that names a promise in order to forbid or condemn it is the disclosure, not a promise:
# "禁止使用“保本”“稳赚”等用语", "涉及销售误导（如承诺保本）的投诉".
_CONDEMNS = re.compile(r"(销售误导|误导|禁止使用|严禁|违规|违法|misleading|mis-selling|prohibited|forbidden)", re.I)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def _sentence_hits(sentence: str) -> list[str]:
    text = sentence.strip()
    if not text:
        return []
    question = text.endswith(("？", "?"))  # a client's question quoted in a FAQ is not the bank's claim
    hits: list[str] = []
    if not question and not _CONDEMNS.search(text):
        hits += [f"promise:{p}" for p in return_promises(text)]
    for family, pattern in (("promise", _PROMISE_EXTRA), ("credential", _CREDENTIAL), ("instruction", _INSTRUCTION)):
        if family == "promise" and (question or _CONDEMNS.search(text)):
            continue
        for m in pattern.finditer(text):
            if family != "instruction" and _negated(text, m.start()):
                continue
            hits.append(f"{family}:{m.group(0).strip()}")
    return hits


def hazards(text: str) -> list[str]:
    """Screen one passage sentence by sentence; ``["family:phrase", …]`` for each hit (empty = clean)."""
    found: list[str] = []
    for sentence in _SENTENCE.findall(text or ""):
        for hit in _sentence_hits(sentence):
            if hit not in found:
                found.append(hit)
    return found
