"""Entity extraction for the offline planner: clients, funds, companies, periods, amounts, risk levels.

``extract("张伟近一年收益怎么样", lexicon)`` →
``Entities(client_ids=["C0001"], period="1y", lang="zh", …)``. Everything is rule-based and
deterministic; ambiguity is reported (``ambiguous_*``) so the planner can ask instead of guessing.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from assistant.offline.lexicon import REGION, Lexicon
from assistant.offline.lexicon import company_core as _company_core
from tools.resolve import best_match, core_name

_CJK = re.compile(r"[\u4e00-\u9fff]")
# "c5 现金多少", "c9 买002201 30万 行不": a short id typed first; not "C5的客户" (a risk level)
_SHORT_ID = re.compile(r"^\s*[cC](\d{1,3})\s+(?!的|客户|级|类|clients?\b|risk)")
_CLIENT_ID = re.compile(r"(?<![A-Za-z0-9])[Cc](\d{4})(?!\d)")
_FUND_CODE = re.compile(r"(?<![0-9A-Za-z.])(\d{6})(?![0-9])")
_COMPANY_ID = re.compile(r"(?<![A-Za-z0-9])[Ee](\d{3})(?!\d)")
_CREDIT_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_RISK_C = re.compile(r"(?<![A-Za-z])[Cc]([1-5])(?![0-9])")
_RISK_R = re.compile(r"(?<![A-Za-z])[Rr]([1-5])(?![0-9])")
_RISK_WORDS = {"保守": "C1", "稳健": "C2", "平衡": "C3", "成长型": "C4", "进取": "C5",
               "conservative": "C1", "moderate": "C2", "balanced": "C3", "growth": "C4", "aggressive": "C5"}
_AMOUNT = re.compile(
    r"(\d+(?:\.\d+)?)\s*(万亿|亿|千万|百万|万|千|元|块|million|mn|m\b|k\b|w\b|w(?=[\u4e00-\u9fff])|thousand|billion|bn|yuan|rmb|cny)",
    re.IGNORECASE,
)
_AMOUNT_SCALE = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3, "元": 1.0, "块": 1.0,
                 "million": 1e6, "mn": 1e6, "m": 1e6, "k": 1e3, "w": 1e4, "thousand": 1e3, "billion": 1e9, "bn": 1e9,
                 "yuan": 1.0, "rmb": 1.0, "cny": 1.0}
_AGE = re.compile(r"(\d{2})\s*(?:岁|周岁)(?:退休)?|(?<![\d.万千])(\d{2})\s*(?:岁)?\s*(?:退休|退(?!货|款|费))|"
                  r"retire[sd]?(?:ment)?\s+(?:at|by)\s+(?:age\s+)?(\d{2})|at\s+age\s+(\d{2})|退休年龄\s*(\d{2})|"
                  r"retire\w*\b[^.?!]{0,40}?\b(?:at|by)\s+(\d{2})\b(?!\s*(?:k\b|万|%|thousand))|"
                  r"(?:stop|quit) work\w*\s+(?:at|by)\s+(?:age\s+)?(\d{2})\b", re.I)
_PRODUCT_CODE = re.compile(r"(?<![A-Za-z0-9])(WM[0-9A-Z]{3,}|TD\d+[YMD]|LCD\d+Y|INS\d+|NTC\d+D)(?![A-Za-z0-9])", re.I)
_SPENDING = re.compile(
    r"(?:每个?月|一个月|月)(?:只|就|要|得|大概|大约|能)?(?:花|花销|开销|支出|生活费|用)(?:大概|大约|约|掉)?\s*(\d+(?:\.\d+)?\s*(?:万\d?|千|k|w|元|块)?|[一二两三四五六七八九十]+\s*(?:万|千)[一二三四五六七八九]?)|"
    r"(?:月支出|月开销|月花销|每月支出|每月开销|每月|每个月)(?:只|就|大概|大约|约|为|是|花)?\s*(\d+(?:\.\d+)?\s*(?:万\d?|千|k|w|元|块)?|[一二两三四五六七八九十]+\s*(?:万|千)[一二三四五六七八九]?)|"
    r"(\d+(?:\.\d+)?\s*(?:k|thousand|万|千|yuan|元)?)\s*(?:monthly|a month|per month)|"
    r"monthly (?:spending|spend|expenses?|costs?)\s*(?:of|is|at|=|:)?\s*(\d+(?:\.\d+)?\s*(?:k|thousand|yuan|w|万)?)|"
    r"(\d+(?:\.\d+)?\s*(?:k|thousand|万|千|yuan|元)?)\s*(?:a|per|each)\s+month|"
    r"spend(?:s|ing)?\s+(?:about\s+)?(\d+(?:\.\d+)?\s*(?:k|thousand|yuan)?)\s*(?:a|per)\s+month|"
    r"(\d+(?:\.\d+)?\s*(?:k|thousand|万|千|yuan|元)?)\s*/\s*(?:month|mo|月)\b",
    re.I,
)
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十二": 12}
_EN_PRONOUN = re.compile(r"\b(?:he|she|his|hers)\b")
_PRONOUNS = ("他", "她", "该客户", "这位客户", "这个客户", "此客户", "him", "her", "this client", "that client",
             "the client", "same client", "their", "his ", "his?")


@dataclass
class Entities:
    lang: str = "zh"
    client_ids: list[str] = field(default_factory=list)
    fund_codes: list[str] = field(default_factory=list)
    company: str | None = None
    period: str | None = None
    amount: float | None = None
    client_risk: str | None = None  # C1..C5
    product_risk: str | None = None  # R1..R5
    retire_age: int | None = None
    monthly_spending: float | None = None  # "每个月花2万", "月支出1.5万", "15k a month"
    product_code: str | None = None  # a non-fund shelf code: WM2026001, TD3Y, LCD3Y, INS01, NTC7D
    pronoun: bool = False
    wants_file: bool = False  # "生成Word文档" / "as a docx": generate the document, not only its content
    ambiguous_clients: list[tuple[str, str]] = field(default_factory=list)
    ambiguous_funds: list[tuple[str, str]] = field(default_factory=list)
    near_names: list[tuple[str, str, str]] = field(default_factory=list)  # (own id, own name, name typed)
    top_n: int | None = None  # "前5", "top 3", "前十大"
    month: str | None = None  # "2026-08", "下个月" → next, "本月" → this
    doc_lang: str | None = None  # "英文版" → en (the document's language, not the reply's)
    company_by_name: bool = False  # a company's own name (not a fuzzy fund-like match) is in the text
    text_wo_funds: str = ""  # the text with fund names taken out ("华鼎沪深300ETF" names no benchmark)


_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])")
# the reply's language asked for in the message; "出个英文版给她家人看": an English version, so an English reply
# "出个英文的", "给她出建议书 英文": English asked for the document (and so for the reply)
_EN_WANTED = r"(?:出|写|做)(?:个|一份)?英文|[\s，,](?:英文|英语)\s*$"
_ASK_EN = re.compile(r"用英文|英文回答|英文回复|说英文|in english|answer in english|英语回答|英文版|英语版|english version|"
                     + _EN_WANTED, re.I)
_ASK_ZH = re.compile(r"用中文|中文回答|in chinese|中文版|chinese version", re.I)
# a whole message that only asks for the other language ("英文版", "in English please", "中文"): the last
# answer again, in that language
_SWITCH_HEAD = (r"^\s*(?:给.{1,8}看的?[\s,，]*)?(?:ok|好的?|那|那就|麻烦|请|and|now|ok and)?[\s,，]*(?:(?:the )?same(?: thing| again| answer)?|再|"
                r"(?:can you |could you |pls |please )?(?:send|give|show) (?:me )?(?:that|it|this)(?: again)?|"
                r"把(?:这个|刚才的?|上面的?)?|这个|那个|给我|来个|出个|换成|改成|要|用)?\s*(?:出个|来个|给个|做个|要)?\s*")
# what may follow the language asked for: "发我", "再说一遍", "给她家人看", "pls, forwarding to her husband"
_SWITCH_TAIL = (r"(?:的|吧|呢|回答|回复|说|讲)?(?:[\s,，]*(?:再说一遍|再来一遍|再讲一遍|说一遍|重复一遍|again|发我|发给我|发一下|"
                r"发过来|给.{1,8}看的?|(?:i'm |im )?(?:send|sending|forward|forwarding)\b.{0,40}|"
                r"for (?:her|his|their|my|the) \w+(?: \w+)?|please|pls|plz|thanks|thx))*[\s。.!！?？]*$")
_ONLY_EN = re.compile(_SWITCH_HEAD + r"(?:英文版?|英语版?|english(?: version)?|in english)" + _SWITCH_TAIL, re.I)
_ONLY_ZH = re.compile(_SWITCH_HEAD + r"(?:中文版?|汉语|chinese(?: version)?|in chinese)" + _SWITCH_TAIL, re.I)


def language_switch(text: str) -> str | None:
    """"英文版" / "in English" → "en", "中文版" → "zh" when that is all the message asks; else None."""
    if _ONLY_EN.match(text):
        return "en"
    if _ONLY_ZH.match(text):
        return "zh"
    return None


def detect_lang(text: str, names: tuple[str, ...] = ()) -> str:
    """The reply language: what the question asks for ("用英文回答", "in Chinese"), else the language the
    question is written in. An English sentence quoting a Chinese name ("What is 林辉静's AUM?") is English:
    it has at least three English words and no more CJK characters than names usually take. ``names``
    (clients, funds, companies, products the caller may name) are taken out first, so "is 萧超琳 suitable
    for 国泓新兴产业混合" is English while "林辉静 XIRR" (one word) is still read as a whole."""
    if names:
        bare = text
        for name in names:
            if name and name in bare:
                bare = bare.replace(name, " ")
        for run in _CJK_RUN.findall(bare):  # a name said in part ("厦门启明软件", "远澜食品饮料指数")
            if len(run) >= 3 and any(run in name for name in names):
                bare = bare.replace(run, " ")
        if bare != text and not _CJK.search(bare) and len(_LATIN_WORD.findall(bare)) >= 2:
            return "en"
        if bare != text and _CJK.search(bare):
            text = bare
    switch = language_switch(text)
    if switch:
        return switch
    if _ASK_EN.search(text):
        return "en"
    if _ASK_ZH.search(text):
        return "zh"
    cjk = len(_CJK.findall(text))
    if not cjk:
        return "en"
    words = len(_LATIN_WORD.findall(text))
    runs = _CJK_RUN.findall(text)
    # each CJK run is a quoted name when it is short or the rest is plainly English
    if words >= 3 and (cjk <= 2 * words or all(len(r) <= 16 for r in runs) and words >= 2 * len(runs) + 1):
        return "en"
    return "zh"


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _num(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _CN_NUM.get(token)


# the words that say a period ("近三年", "since 2022-01-01"): what is left of a message without them
PERIOD_WORDS = re.compile(
    r"(?:最近|近|过去)\s*(?:[一二两三四五六七八九十\d]+|半)\s*(?:个月|月|年|周)|今年以来|年初至今|今年|去年|本年|上一年|"
    r"持有以来|买入以来|从买入到现在|从买入|成立以来|(?:自|从)?\s*(?:19|20)\d{2}\s*年?(?:以来|至今)?|半年|"
    r"ytd|year[- ]to[- ]date|this year|last year|(?:the )?(?:last|past) \w+ (?:years?|months?)|since \d{4}(?:[-/]\d{1,2}){0,2}|since \w+|"
    r"over the (?:last|past) year", re.I)


def parse_period(text: str) -> str | None:
    period = _parse_period(text)
    # "last 12 months" / "近24个月" are the year periods the tools name 1y / 2y
    if period and (m := re.fullmatch(r"(12|24|36|60)m", period)):
        return f"{int(m.group(1)) // 12}y"
    return period


def _parse_period(text: str) -> str | None:
    """'近一年'→'1y', '今年以来'/'YTD'→'ytd', '去年'→'last_year', 'since 2023'→'since:2023-01-01',
    '近6个月'/'last 6 months'→'6m', '2023年'→'year:2023', '成立以来'→'since_inception'."""
    t = text.lower()
    if re.search(r"半年", t) and not re.search(r"半年报|上半年|下半年", t):
        return "6m"
    if re.search(r"今年以来|年初至今|本年|今年(?!\s*\d{1,3}\s*岁)|ytd|year[- ]to[- ]date|this year|since the start of the year|"
                 r"since january", t):
        return "ytd"
    if re.search(r"(?:in|over|during) the (?:last|past) year|past 12 months", t):
        return "1y"
    if re.search(r"去年|上一年|上年|last year|previous year|prior year", t):
        return "last_year"
    if re.search(r"持有以来|买入以来|从买入|买了以后|买到现在|开始投资以来|投资以来|since (?:they|he|she|i|we) bought|since[- ]purchase|"
                 r"since (?:they|he|she) (?:started|began) (?:investing|with us)|since (?:the )?(?:start|beginning)\b(?! of)", t):
        return "since_purchase"
    if re.search(r"成立以来|since inception|since launch", t):
        return "since_inception"
    if m := re.search(r"(?<!\d)(\d{2})\s*年\s*(?:以来|至今|到现在)", t):  # "22年以来": since 2022
        return f"since:20{m.group(1)}-01-01"
    m = re.search(r"(?:自|从|since)\s*((?:19|20)\d{2})(?:\s*[-/年]\s*(\d{1,2}))?", t) or re.search(
        r"((?:19|20)\d{2})\s*年?(?:\s*(\d{1,2})\s*月)?\s*(?:以来|至今|到现在|到今天|开始到现在)", t)
    if m:
        month = int(m.group(2)) if m.group(2) else 1
        return f"since:{m.group(1)}-{month:02d}-01"
    m = re.search(r"(?:近|过去|最近)\s*([一二两三四五六七八九十\d]+|半)\s*(个月|月|年|周)", t)
    if m:
        n = 6 if m.group(1) == "半" else _num(m.group(1))
        unit = m.group(2)
        if m.group(1) == "半" and unit == "年":
            return "6m"
        if n:
            return f"{n}y" if unit == "年" else (f"{n}w" if unit == "周" else f"{n}m")
    m = re.search(r"(?:last|past|previous)\s+(\d+|one|two|three|six|twelve)\s+(years?|months?|weeks?)", t)
    if m:
        words = {"one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12}
        n = int(m.group(1)) if m.group(1).isdigit() else words[m.group(1)]
        u = m.group(2)[0]
        return f"{n}{u if u in 'yw' else 'm'}"
    if re.search(r"(?:last|past) (?:12 months|year)|一年来|近1年", t):
        return "1y"
    if m := re.search(r"(?:^|[\s，,])(一|1|两|2|三|3|五|5)\s*年\s*(?:呢|的)?\s*[?？]?$", t):  # "…跟踪差呢 一年": a period said last
        return f"{_num(m.group(1)) or 1}y"
    m = re.search(r"(?<![\w.])(\d{1,2})[\s-]*(?:y|yr|yrs|years?)(?![a-z])|(?<![\w.])(\d{1,2})[\s-]*(?:mo|mos|months?)(?![a-z])|"
                  r"(?<![\w.])(\d{1,2})\s*个?年(?!代|龄|纪|级|度|化|内|以|期)", t)
    if m:
        if m.group(2):
            return f"{int(m.group(2))}m"
        return f"{int(m.group(1) or m.group(3))}y"
    if m := re.search(r"(?<![一二两三四五六七八九十\w])(一|两|三|五)\s*年\s*(?:的|来|里|内)?\s*(?=收益|回报|业绩|表现|谁|哪|年化|回撤|夏普|波动|"
                      r"涨|跌|赚|亏|对比|比|怎么样|咋样|如何)", t):  # "001105 三年收益", "三年谁好"
        return f"{_num(m.group(1))}y"
    m = re.search(r"((?:19|20)\d{2})\s*年(?:度)?(?!\d{1,2}\s*月)|\b(?:in|over|for|during) ((?:19|20)\d{2})\b|\bfy((?:19|20)\d{2})\b|"
                  r"\b(?:about|and|then|try|same for|now)\s+((?:19|20)\d{2})\b|^\s*那?((?:19|20)\d{2})\s*(?:呢|的呢)", t)
    if m:
        return f"year:{next(g for g in m.groups() if g)}"
    return None


_CN_AMOUNT = re.compile(r"([一二两三四五六七八九十]{1,3})(?:百|十)?多?(万|亿|千)")
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_amount(text: str) -> float | None:
    """'一百多万'→1e6, '三十万'→3e5, '两千万'→2e7 (a "多" is dropped: the lower bound is what was said)."""
    m = re.search(r"([一二两三四五六七八九])?(十|百|千)?([一二三四五六七八九])?多?(万|亿)", text)
    if not m or not (m.group(1) or m.group(2)):
        return None
    head = _CN_DIGIT.get(m.group(1) or "一", 1)
    mult = {"十": 10, "百": 100, "千": 1000, None: 1}[m.group(2)]
    tail = _CN_DIGIT.get(m.group(3) or "", 0) * (mult // 10 if mult >= 10 else 0)
    return float(head * mult + tail) * (1e4 if m.group(4) == "万" else 1e8)


_WAN_TAIL = re.compile(r"(\d+)\s*万\s*([1-9])(?![\d万千])")  # "1万5" = 15,000, "1万2" = 12,000


def _cn_small(raw: str) -> float | None:
    """"一万" / "两万" / "五千" / "一万五" (15,000) / "一万二" (a monthly spending in words)."""
    m = re.fullmatch(r"\s*([一二两三四五六七八九])\s*(万|千)\s*([一二三四五六七八九])?\s*", raw)
    if not m:
        return None
    unit = 1e4 if m.group(2) == "万" else 1e3
    return float(_CN_DIGIT[m.group(1)]) * unit + (_CN_DIGIT[m.group(3)] * unit / 10 if m.group(3) else 0.0)


def parse_amount(text: str) -> float | None:
    """'50万'→500000.0, '1.5亿'→150000000.0, '2w'→20000.0, '15k'→15000.0, '一百多万'→1000000.0, '1万5'→15000.0;
    None when no amount is named."""
    if m := _WAN_TAIL.search(text):
        return float(m.group(1)) * 1e4 + float(m.group(2)) * 1e3
    for m in _AMOUNT.finditer(text):
        unit = m.group(2).lower()
        return float(m.group(1)) * _AMOUNT_SCALE[unit]
    return _cn_amount(text)


def _risks(text: str) -> tuple[str | None, str | None]:
    c = _RISK_C.search(text)
    r = _RISK_R.search(text)
    client = f"C{c.group(1)}" if c else None
    if client is None:
        low = text.lower()
        client = next((v for k, v in _RISK_WORDS.items() if k in low), None)
    return client, (f"R{r.group(1)}" if r else None)


def extract(text: str, lex: Lexicon) -> Entities:
    """The entities of ``text`` for the caller's lexicon. A turn extracts the same text several times (the
    planner's stages, the rules, the headline): the work is cached and every caller gets its own copy."""
    return copy.deepcopy(_extract(text, lex))


@lru_cache(maxsize=256)
def _extract(text: str, lex: Lexicon) -> Entities:
    ent = Entities(lang=detect_lang(text, lex.proper_names))
    ent.client_ids = list(dict.fromkeys(f"C{m.group(1)}" for m in _CLIENT_ID.finditer(text)))
    if not ent.client_ids and (m := _SHORT_ID.match(text)):
        cid = f"C{int(m.group(1)):04d}"
        if any(c == cid for c, _ in lex.clients):
            ent.client_ids = [cid]
    if not ent.client_ids:
        found: list[tuple[str, str]] = []
        for cid, name in sorted(lex.clients, key=lambda c: -len(c[1])):
            if name and name in text and not any(name in other for _, other in found):
                if _longer_name(text, name):
                    # "董雪浩" typed, only "董雪" in this book: another person (maybe another RM's client);
                    # never substitute silently, ask instead
                    ent.near_names.append((cid, name, _longer_name(text, name) or name))
                    continue
                found.append((cid, name))
        names = {n for _, n in found}
        for name in names:
            ids = [c for c, n in found if n == name]
            same = [c for c, n in lex.clients if n == name]
            if len(same) > 1:  # two clients share a name in this book: ask which one
                ent.ambiguous_clients = [(c, name) for c in same]
            else:
                ent.client_ids.extend(ids)
    if not ent.client_ids and not ent.ambiguous_clients:
        _nickname(text, lex, ent)
    if not ent.client_ids and not ent.ambiguous_clients and (_LATIN_NAME.search(text) or _EN_HONORIFIC.search(text.lower())
                                                             or len(_LATIN_WORD.findall(text)) >= 3):
        _romanised(text, lex, ent)
    if not ent.client_ids and not ent.ambiguous_clients and _INITIALS.search(text):
        _by_initials(text, lex, ent)
    scrubbed = _CLIENT_ID.sub(" ", text)
    ent.fund_codes = list(dict.fromkeys(m.group(1) for m in _FUND_CODE.finditer(scrubbed)))
    known_codes = {c for c, _, _ in lex.funds}
    if lex.funds:
        ent.fund_codes = [c for c in ent.fund_codes if c in known_codes] or ent.fund_codes
    if not ent.fund_codes and lex.funds:
        ent.fund_codes, ent.ambiguous_funds = _fund_names(scrubbed, lex)
    if not ent.fund_codes and not ent.ambiguous_funds and lex.funds and _LATIN_WORD.search(scrubbed):
        ent.fund_codes = _fund_pinyin(scrubbed, lex)
    m = _COMPANY_ID.search(text) or _CREDIT_CODE.search(text)
    named = [i for i, n, _ in lex.companies if len(_company_core(n)) >= 4 and (
        _company_core(n) in text or _regional_start(n) in text or _company_core(n)[:4] in text and re.search(
            r"公司|企业|工商|法人|股东|诉讼|授信|尽调|财务|注册|征信|处罚|营收|营业收入|利润|毛利|负债|增速|company|lawsuit|legal|credit",
            text, re.I))]
    if m:
        ent.company = m.group(0).upper()
        own = [_company_core(n) for i, n, _ in lex.companies if i == ent.company]
        if own and len(own[0]) >= 4 and own[0][:4] in text and not _FUND_CODE.search(scrubbed):
            ent.fund_codes, ent.ambiguous_funds = [], []  # "E006 星河新能源 毛利率": the id's own name, not the ETF
    elif named or (en_company := _company_en(text, lex) if _LATIN_WORD.search(text) else None):
        # a company's own name wins over a fund that shares a brand (星河新能源科技 is not 星河新能源ETF)
        ent.company, ent.company_by_name = (named[0] if named else en_company), True
        if not _FUND_CODE.search(scrubbed):
            ent.fund_codes, ent.ambiguous_funds = [], []
    elif lex.companies:
        key, options = best_match(text, [(i, n) for i, n, _ in lex.companies], kind="company")
        ent.company = key or (options[0][0] if options else None)
    ent.text_wo_funds = _without_fund_names(text, lex, ent.fund_codes)
    ent.period = parse_period(text)
    if m := _PRODUCT_CODE.search(text):
        ent.product_code = m.group(1).upper()
    elif lex.products:
        ent.product_code = _product_by_name(text, lex)
    if m := _SPENDING.search(text):
        raw = next(g for g in m.groups() if g)
        ent.monthly_spending = _cn_small(raw) or parse_amount(raw if re.search(r"[万千kw元块]|thousand|yuan", raw, re.I) else raw + "元")
    ent.amount = parse_amount(_CLIENT_ID.sub(" ", text))
    ent.client_risk, ent.product_risk = _risks(_CLIENT_ID.sub(" ", text))
    ages = list(_AGE.finditer(text))
    # "今年27岁，想60岁退休": the age said with 退休 is the retirement age, not the client's current age
    age = next((a for a in ages if re.search(r"退|retire", a.group(0), re.I)), None) or (
        ages[0] if ages and not re.search(r"(?:今年|现在|已经|目前|年龄)\s*$", text[:ages[0].start()]) else None)
    if age:
        ent.retire_age = int(next(g for g in age.groups() if g))
    ent.top_n = parse_top_n(text)
    ent.month = parse_month(text, lex.as_of)
    if re.search(r"英文版|英文的|英语版|用英文|in english|english version|" + _EN_WANTED, text, re.I):
        ent.doc_lang = "en"  # "给她出建议书 英文": the language said last
    elif re.search(r"中文版|用中文|[\s，,](?:中文)\s*$|in chinese", text, re.I):
        ent.doc_lang = "zh"
    low = text.lower()
    singular = re.sub(r"他们|她们|他俩|她俩", " ", low)  # "提前联系一下他们": the clients of a list, not one client
    ent.pronoun = any(p in singular for p in _PRONOUNS) or bool(_EN_PRONOUN.search(low))
    ent.wants_file = bool(re.search(r"docx|word|文档|文件|下载|导出|生成报告|as a file|download|export", low))
    return ent


_LATIN_NAME = re.compile(r"\b[A-Z][a-z]{0,5} [A-Z][a-z]{1,9}\b")


# a three-letter name typed as its pinyin initials ("lhj 的健康度", "lml 现金余额"): consonants only, so no English
# word; abbreviations RMs also type are not names
_INITIALS = re.compile(r"(?<![A-Za-z])([b-df-hj-np-tv-z]{3})(?![A-Za-z])", re.I)
_NOT_INITIALS = frozenset({"ytd", "pdf", "cny", "rmb", "usd", "hkd", "twr", "mdd", "ppt", "pls", "plz", "thx", "nvm", "btw",
                           "lpr", "shb", "csv", "xls", "sms", "kyc", "cdd", "edd", "crm", "wmp", "qfi", "pwm", "hnw"})


@lru_cache(maxsize=8)
def _initials_of(clients: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, ...]]:
    """"lhj" → ("C0001",) for 林辉静: each three-character name's pinyin initials, with every client they fit."""
    from pypinyin import Style, lazy_pinyin

    out: dict[str, tuple[str, ...]] = {}
    for cid, name in clients:
        if len(name) == 3:
            key = "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
            out[key] = (*out.get(key, ()), cid)
    return out


def _by_initials(text: str, lex: Lexicon, ent: Entities) -> None:
    found: list[str] = []
    for m in _INITIALS.finditer(text):
        key = m.group(1).lower()
        cids = _initials_of(lex.clients).get(key, ()) if key not in _NOT_INITIALS else ()
        if len(cids) > 1:  # two clients with those initials: ask which one
            ent.ambiguous_clients = [(c, n) for c, n in lex.clients if c in cids]
            return
        found.extend(c for c in cids if c not in found)
    ent.client_ids = found


@lru_cache(maxsize=8)
def _pinyin_forms(clients: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """("c0002", "li gui") for 李桂: a name as an English-writing RM types it (surname first or last)."""
    from pypinyin import lazy_pinyin

    out = []
    for cid, name in clients:
        syl = lazy_pinyin(name)
        if len(syl) >= 2:
            surname, given = syl[0], "".join(syl[1:])
            out += [(cid, f"{surname} {given}"), (cid, f"{given} {surname}")]
    return tuple(out)


def _romanised(text: str, lex: Lexicon, ent: Entities) -> None:
    """"how much did Li Gui lose last year": 李桂 when exactly one client of the caller's book reads so;
    "Zhang Ying vs Wang Yinggui": two names, two clients, in the order written. A name that reads as two
    clients of the book is a question; so is "Xu zong" / "Ms Yuan" when the surname is not unique."""
    low = " ".join(re.findall(r"[a-z]+", text.lower()))
    spans: dict[tuple[int, int], set[str]] = {}
    for cid, form in _pinyin_forms(lex.clients):
        for m in re.finditer(rf"\b{form}\b", low):
            spans.setdefault((m.start(), m.end()), set()).add(cid)
    if not spans:
        _romanised_honorific(low, lex, ent)
        return
    ordered = [cids for _, cids in sorted(spans.items())]
    if any(len(cids) > 1 for cids in ordered):
        ambiguous = set().union(*(c for c in ordered if len(c) > 1))
        ent.ambiguous_clients = [(c, n) for c, n in lex.clients if c in ambiguous]
    else:
        ent.client_ids = list(dict.fromkeys(next(iter(cids)) for cids in ordered))


_EN_HONORIFIC = re.compile(r"\b(?:mr|mrs|ms|miss|madam|auntie|aunt|uncle)\.?\s+([a-z]+)\b|"
                           r"\b([a-z]+)\s+(?:zong|jie|ge|laoshi|ayi|shushu|xiansheng|nvshi|laoban)\b")


@lru_cache(maxsize=1024)
def surname_pinyin(name: str) -> str:
    """林辉静 → "lin": a client's surname as an English-writing RM types it ("Ms Lin", "Lin's")."""
    from pypinyin import lazy_pinyin

    return lazy_pinyin(name[0])[0] if name else ""


def _romanised_honorific(low: str, lex: Lexicon, ent: Entities) -> None:
    for m in _EN_HONORIFIC.finditer(low):
        surname = m.group(1) or m.group(2)
        same = [(c, n) for c, n in lex.clients if n and surname_pinyin(n) == surname]
        if len(same) == 1:
            ent.client_ids = [same[0][0]]
            return
        if same:
            ent.ambiguous_clients = same
            return


_COMPANY_CUE = re.compile(r"公司|企业|工商|法人|股东|诉讼|授信|尽调|财务|注册|征信|处罚|company|\bco\b|ltd|corp|group|enterprise|current ratio|quick ratio|"
                          r"firm|borrower|\bdd\b|due diligence|credit|kyc|account[- ]opening|revenue|margin|roe\b|debt|"
                          r"financ|pledge|penalt|lawsuit|litigation|guarantee|"
                          # the region a company's name starts with (fund names have none); not nanping, a fund brand
                          r"\b(?:fujian|xiamen|quanzhou|fuzhou|zhangzhou|putian|sanming|longyan|ningde|shanghai|beijing|shenzhen)\b", re.I)


@lru_cache(maxsize=8)
def _company_brands(companies: tuple[tuple[str, str, str], ...],
                    funds: tuple[tuple[str, str, str], ...]) -> tuple[tuple[str, str, bool], ...]:
    """(company id, "hongda", shared with a fund house): a company as an English-writing RM types it
    ("Hongda Steel" for 三明宏达钢铁); a brand a fund house also uses (Huading, Xinghe) needs a company word."""
    from pypinyin import lazy_pinyin

    fund_brands = {e.split()[0].lower() for _, _, e in funds if e}
    out = []
    for cid, name, _ in companies:
        brand = "".join(lazy_pinyin(_company_core(name)[:2])).lower()
        if len(brand) >= 4:
            out.append((cid, brand, brand in fund_brands))
    return tuple(out)


def _regional_start(name: str) -> str:
    """"福建星河" of 福建星河新能源科技股份有限公司: the region and the brand together name the company (a fund
    of that brand has no region), or "\0" (never in a text) when the name starts with no region."""
    lead = REGION.match(name)
    core = _company_core(name)
    return f"{lead.group(0)}{core[:2]}" if lead and core else "\0"


def _company_en(text: str, lex: Lexicon) -> str | None:
    low = text.lower()
    hits = [cid for cid, brand, shared in _company_brands(lex.companies, lex.funds)
            if re.search(rf"\b{brand}\b", low) and (not shared or _COMPANY_CUE.search(text))]
    return hits[0] if len(hits) == 1 else None


_HONORIFIC = re.compile(r"([\u4e00-\u9fff])(总|姐|哥|老师|阿姨|叔叔|叔|先生|女士|小姐|太太|老板|董|局|处|教授|医生|大爷|奶奶)|"
                        r"(?:老|小)([\u4e00-\u9fff])(?![\u4e00-\u9fff]{2})|"
                        r"(?:姓|surnamed\s*|family name\s*)([\u4e00-\u9fff])(?:的|那位|那个|\b|\s|$)")  # "姓袁的客户", "surnamed 袁"
_NOT_SURNAME = set("他她它您你我这那哪谁某每各该此其本贵的了是在和跟与给帮看查问说吗呢下个大老小资")


def _nickname(text: str, lex: Lexicon, ent: Entities) -> None:
    """"王总" / "叶阿姨" / "曹姐": the client of that surname when exactly one is in the caller's book;
    several → ambiguous (a question); none → nothing (another RM's client is never in the lexicon)."""
    for m in _HONORIFIC.finditer(text):
        surname = m.group(1) or m.group(3) or m.group(4)
        if not surname or surname in _NOT_SURNAME:
            continue
        same = [(c, n) for c, n in lex.clients if n.startswith(surname)]
        if len(same) == 1:
            ent.client_ids = [same[0][0]]
            return
        if len(same) > 1:
            ent.ambiguous_clients = same
            return


# common given-name characters: a name followed by one of them is probably a longer, different name
_GIVEN = set("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力健宁颖晨欣怡浩宇婷雪琳思远博"
             "鹏斌凯俊帆旭龙阳波宏峰飞鑫晶慧倩佳嘉梓睿轩涵梦瑞志国春海东凤云莉丹燕亮晓玲琴荣勤淑")
_AFTER_NAME_WORDS = ("建议", "健康", "明细", "明年", "平均", "平衡", "华鼎", "东岳", "南屏", "长泰", "汇川", "星河", "国泓",
                     "嘉禾", "远澜", "明德", "永信", "同舟", "文档", "力度", "思路", "红利", "远期", "宁愿", "英文", "海外")


def _longer_name(text: str, name: str) -> str | None:
    """The longer name typed when ``name`` is followed by a given-name character ("董雪浩" for "董雪")."""
    i = text.find(name)
    while i >= 0:
        after = text[i + len(name):]
        if not (after[:1] in _GIVEN and not after.startswith(_AFTER_NAME_WORDS)):
            return None  # this occurrence is the name itself
        i = text.find(name, i + 1)
    j = text.find(name)
    return text[j:j + len(name) + 1]


_TOP_N = re.compile(r"前\s*(\d+|[一二两三四五六七八九十])\s*(?:名|位|个|只|大|条)?|top\s*(\d+|three|five|ten)|"
                    r"(?:列(?:出)?|推荐|找|挑|选|给我|来)\s*(\d+|[两三五十])\s*(?:个|只|条|款)|"
                    r"(?:最大|最多|最高|最有钱)的?\s*(\d+|[一二两三四五六七八九十])\s*(?:个|位|名|只)|"
                    r"(?:biggest|largest)\s+(\d+|three|five|ten)", re.I)
_MONTH = re.compile(r"((?:19|20)\d{2})\s*[-/年]\s*(\d{1,2})\s*月?")


_TOP_ONE = re.compile(r"(?:资产)?最(?:大|多|高|有钱)的(?:那个|那位|一个|一位)?客户|largest client\b|biggest client\b|top client\b", re.I)


def parse_top_n(text: str) -> int | None:
    if _TOP_ONE.search(text):
        return 1
    m = _TOP_N.search(text)
    if not m:
        return None
    tok = next(g for g in m.groups() if g)
    words = {"three": 3, "five": 5, "ten": 10}
    return int(tok) if tok.isdigit() else (words.get(tok.lower()) or _CN_NUM.get(tok))


# "12月份"; an English month only capitalised ("in March", not the verb "may")
_BARE_MONTH = re.compile(r"(?<![\d年/-])(1[0-2]|[1-9])\s*月份?(?!\d)|"
                         r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\b")
_MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_month(text: str, as_of: str = "") -> str | None:
    """"下个月" → next, "本月" → this, "2026-08" → 2026-08; with the data's as-of date, a bare month is its
    next occurrence ("12月份到期的" on 2026-11-20 → 2026-12; "3月" → 2027-03)."""
    if re.search(r"下个?月|next month", text, re.I):
        return "next"
    if re.search(r"本月|这个月|this month", text, re.I):
        return "this"
    m = _MONTH.search(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    b = _BARE_MONTH.search(text) if as_of and re.search(r"到期|matur|due", text, re.I) else None
    if b:
        month = int(b.group(1)) if b.group(1) else _MONTHS_EN.index(b.group(2).lower()[:3]) + 1
        year, now = int(as_of[:4]), int(as_of[5:7])
        return f"{year if month >= now else year + 1}-{month:02d}"
    return None


def _product_by_name(text: str, lex: Lexicon) -> str | None:
    """A shelf product named in words: "稳享两年期8号" (闽江理财稳享两年期8号), "天天宝", "个人大额存单" — the
    longest name form found wins; the issuer prefix and bracketed terms may be left out."""
    found: list[tuple[int, str]] = []
    low = text.lower()
    for en, zh in _PRODUCT_EN:
        low = re.sub(en, zh, low)
    for code, name in lex.products:
        for form in _product_forms(name):
            if len(form) >= 3 and (form in text or form in low):
                found.append((len(form), code))
    return max(found)[1] if found else None


# English words for the deposit shelf ("the 3-year large CD", "one-year time deposit")
_PRODUCT_EN = [(r"large[- ](?:denomination )?cds?|certificates? of deposit|\bcds?\b", "大额存单"),
               (r"(?:time|fixed|term) deposits?", "定期存款"), (r"notice deposits?", "通知存款"),
               (r"\b(?:3|three)[- ]years?\b", "三年期"), (r"\b(?:1|one)[- ]years?\b", "一年期")]


@lru_cache(maxsize=256)
def _product_forms(name: str) -> frozenset[str]:
    """个人大额存单(3年期) → 大额存单, 大额存单3年期, 三年期大额存单…; 一年期整存整取定期存款 → 一年定期, 一年期定期…"""
    core = re.sub(r"^闽江理财", "", name)
    bare = re.sub(r"\(.*?\)|（.*?）", "", core)
    forms = {name, core, bare, re.sub(r"现金管理$|保险$|存款$", "", core), re.sub(r"^个人", "", bare)}
    if term := re.search(r"[(（](\d)年期[)）]", name):  # the term in brackets, said before or after
        cn = "一二三四五"[int(term.group(1)) - 1]
        base = re.sub(r"^个人", "", bare)
        forms |= {f"{base}{term.group(1)}年期", f"{cn}年期{base}", f"{term.group(1)}年期{base}", f"{cn}年{base}"}
    if "整存整取" in name:
        plain = name.replace("整存整取", "")
        forms |= {plain, plain.replace("年期", "年"), re.sub(r"存款$", "", plain), re.sub(r"存款$", "", plain.replace("年期", "年"))}
    return frozenset(f for f in forms if f)


def _without_fund_names(text: str, lex: Lexicon, codes: list[str]) -> str:
    for code in codes:
        typed = code in text  # by code: the name's words in the text are something else ("005501跑赢沪深300")
        before = text = text.replace(code, " ")
        name = lex.fund_name(code) or ""
        for form in (name, re.sub(r"[A-C]$", "", name), re.sub(r"\(.*?\)|（.*?）", "", name)):
            if form and form.lower() in text.lower():
                text = re.sub(re.escape(form), " ", text, flags=re.I)
        if name and not typed and text == before and _CJK.search(name):  # the part of the name that was said ("沪深300指数A" of 东岳沪深300指数A)
            run = SequenceMatcher(None, name, text, autojunk=False).find_longest_match()
            if run.size >= 4:
                text = text[: run.b] + " " + text[run.b + run.size :]
    return text


@lru_cache(maxsize=8)
def _fund_pinyin_forms(funds: tuple[tuple[str, str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(code, "huadingchunzhai", class letter) for 华鼎纯债债券A: a fund name typed in pinyin."""
    from pypinyin import lazy_pinyin

    out = []
    for code, name, _ in funds:
        core = core_name(name, "fund")
        if len(core) >= 4:
            out.append((code, "".join(lazy_pinyin(core)).lower(), name[-1] if name[-1:] in "ABC" else ""))
    return tuple(out)


def _fund_pinyin(text: str, lex: Lexicon) -> list[str]:
    """"Huading chunzhai bond A", "huading xiaofei shengji A": the fund whose name's core reads so (the longest
    core wins; among share classes the letter said, else A)."""
    compact = re.sub(r"[^a-z0-9]", "", text.lower())
    hits = [(len(py), cls, code) for code, py, cls in _fund_pinyin_forms(lex.funds) if py in compact]
    if not hits:
        return []
    top = max(n for n, _, _ in hits)
    best = [(cls, code) for n, cls, code in hits if n == top]
    said = [code for cls, code in best if cls and re.search(rf"(?<![A-Za-z]){cls}(?![A-Za-z])", text)]
    return [said[0] if said else sorted(best, key=lambda b: (b[0] != "A", b[1]))[0][1]]


def _fund_names(text: str, lex: Lexicon) -> tuple[list[str], list[tuple[str, str]]]:
    """Fund names in free text; several distinct funds (for overlap) are split on 和/与/vs/and/、."""
    parts = [p for p in re.split(r"和|与|跟|及|、|,|，|(?<![A-Za-z])vs\.?(?![A-Za-z])|\band\b|\bor\b|还是|对比|比较|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", text)
             if p.strip()]
    codes: list[str] = []
    ambiguous: list[tuple[str, str]] = []
    zh = [(c, n) for c, n, _ in lex.funds]
    en = [(c, e) for c, _, e in lex.funds if e]
    for part in parts if len(parts) > 1 else [text]:
        key, options = best_match(part, zh if _CJK.search(part) else en, kind="fund")
        if key and key not in codes:
            codes.append(key)
        elif options and not key:
            ambiguous = options
    return codes, ambiguous
