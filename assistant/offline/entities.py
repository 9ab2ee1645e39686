"""Entity extraction for the offline planner: clients, funds, companies, periods, amounts, risk levels.

``extract("张伟近一年收益怎么样", lexicon)`` →
``Entities(client_ids=["C0001"], period="1y", lang="zh", …)``. Everything is rule-based and
deterministic; ambiguity is reported (``ambiguous_*``) so the planner can ask instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.offline.lexicon import Lexicon
from tools.resolve import best_match

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLIENT_ID = re.compile(r"(?<![A-Za-z0-9])[Cc](\d{4})(?!\d)")
_FUND_CODE = re.compile(r"(?<![0-9A-Za-z.])(\d{6})(?![0-9])")
_COMPANY_ID = re.compile(r"(?<![A-Za-z0-9])[Ee](\d{3})(?!\d)")
_CREDIT_CODE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_RISK_C = re.compile(r"(?<![A-Za-z])[Cc]([1-5])(?![0-9])")
_RISK_R = re.compile(r"(?<![A-Za-z])[Rr]([1-5])(?![0-9])")
_RISK_WORDS = {"保守": "C1", "稳健": "C2", "平衡": "C3", "成长型": "C4", "进取": "C5",
               "conservative": "C1", "moderate": "C2", "balanced": "C3", "growth": "C4", "aggressive": "C5"}
_AMOUNT = re.compile(
    r"(\d+(?:\.\d+)?)\s*(万亿|亿|千万|百万|万|千|元|块|million|mn|m\b|k\b|thousand|billion|bn|yuan|rmb|cny)",
    re.IGNORECASE,
)
_AMOUNT_SCALE = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3, "元": 1.0, "块": 1.0,
                 "million": 1e6, "mn": 1e6, "m": 1e6, "k": 1e3, "thousand": 1e3, "billion": 1e9, "bn": 1e9,
                 "yuan": 1.0, "rmb": 1.0, "cny": 1.0}
_AGE = re.compile(r"(\d{2})\s*(?:岁|周岁)(?:退休)?|retire(?:ment)?\s+at\s+(\d{2})|at\s+age\s+(\d{2})", re.I)
_PRODUCT_CODE = re.compile(r"(?<![A-Za-z0-9])(WM[0-9A-Z]{3,}|TD\d+[YMD]|LCD\d+Y|INS\d+|NTC\d+D)(?![A-Za-z0-9])", re.I)
_SPENDING = re.compile(
    r"(?:每个?月|一个月|月)(?:花|花销|开销|支出|生活费|用)(?:大概|大约|约)?\s*(\d+(?:\.\d+)?\s*(?:万|千|k|元|块)?)|"
    r"(?:月支出|月开销|月花销|每月支出|每月开销)(?:大概|大约|约|为|是)?\s*(\d+(?:\.\d+)?\s*(?:万|千|k|元|块)?)|"
    r"(\d+(?:\.\d+)?\s*(?:k|thousand|万|千|yuan|元)?)\s*(?:a|per|each)\s+month|"
    r"spend(?:s|ing)?\s+(?:about\s+)?(\d+(?:\.\d+)?\s*(?:k|thousand|yuan)?)\s*(?:a|per)\s+month",
    re.I,
)
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十二": 12}
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


def detect_lang(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


def _num(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _CN_NUM.get(token)


def parse_period(text: str) -> str | None:
    """'近一年'→'1y', '今年以来'/'YTD'→'ytd', '去年'→'last_year', 'since 2023'→'since:2023-01-01',
    '近6个月'/'last 6 months'→'6m', '2023年'→'year:2023', '成立以来'→'since_inception'."""
    t = text.lower()
    if re.search(r"半年", t) and not re.search(r"半年报|上半年|下半年", t):
        return "6m"
    if re.search(r"今年以来|年初至今|本年|今年|ytd|year[- ]to[- ]date|this year|since the start of the year|"
                 r"since january", t):
        return "ytd"
    if re.search(r"(?:in|over|during) the (?:last|past) year|past 12 months", t):
        return "1y"
    if re.search(r"去年|上一年|上年|last year|previous year|prior year", t):
        return "last_year"
    if re.search(r"持有以来|买入以来|从买入|买了以后|买到现在|since (?:they|he|she|i|we) bought|since purchase", t):
        return "since_purchase"
    if re.search(r"成立以来|since inception|since launch", t):
        return "since_inception"
    m = re.search(r"(?:自|从|since)\s*((?:19|20)\d{2})(?:\s*[-/年]\s*(\d{1,2}))?", t)
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
    m = re.search(r"((?:19|20)\d{2})\s*年(?:度)?(?!\d)|\bin ((?:19|20)\d{2})\b|\bfy((?:19|20)\d{2})\b", t)
    if m:
        return f"year:{m.group(1) or m.group(2) or m.group(3)}"
    return None


def parse_amount(text: str) -> float | None:
    """'50万'→500000.0, '1.5亿'→150000000.0, '2 million'→2000000.0; None when no amount is named."""
    for m in _AMOUNT.finditer(text):
        unit = m.group(2).lower()
        return float(m.group(1)) * _AMOUNT_SCALE[unit]
    return None


def _risks(text: str) -> tuple[str | None, str | None]:
    c = _RISK_C.search(text)
    r = _RISK_R.search(text)
    client = f"C{c.group(1)}" if c else None
    if client is None:
        low = text.lower()
        client = next((v for k, v in _RISK_WORDS.items() if k in low), None)
    return client, (f"R{r.group(1)}" if r else None)


def extract(text: str, lex: Lexicon) -> Entities:
    ent = Entities(lang=detect_lang(text))
    ent.client_ids = [f"C{m.group(1)}" for m in _CLIENT_ID.finditer(text)]
    if not ent.client_ids:
        found: list[tuple[str, str]] = []
        for cid, name in sorted(lex.clients, key=lambda c: -len(c[1])):
            if name and name in text and not any(name in other for _, other in found):
                found.append((cid, name))
        names = {n for _, n in found}
        for name in names:
            ids = [c for c, n in found if n == name]
            same = [c for c, n in lex.clients if n == name]
            if len(same) > 1:  # two clients share a name in this book: ask which one
                ent.ambiguous_clients = [(c, name) for c in same]
            else:
                ent.client_ids.extend(ids)
    scrubbed = _CLIENT_ID.sub(" ", text)
    ent.fund_codes = list(dict.fromkeys(m.group(1) for m in _FUND_CODE.finditer(scrubbed)))
    known_codes = {c for c, _, _ in lex.funds}
    if lex.funds:
        ent.fund_codes = [c for c in ent.fund_codes if c in known_codes] or ent.fund_codes
    if not ent.fund_codes and lex.funds:
        ent.fund_codes, ent.ambiguous_funds = _fund_names(scrubbed, lex)
    m = _COMPANY_ID.search(text) or _CREDIT_CODE.search(text)
    if m:
        ent.company = m.group(0).upper()
    elif lex.companies:
        key, options = best_match(text, [(i, n) for i, n, _ in lex.companies], kind="company")
        ent.company = key or (options[0][0] if options else None)
    ent.period = parse_period(text)
    if m := _PRODUCT_CODE.search(text):
        ent.product_code = m.group(1).upper()
    if m := _SPENDING.search(text):
        raw = next(g for g in m.groups() if g)
        ent.monthly_spending = parse_amount(raw if re.search(r"[万千k元块]|thousand|yuan", raw, re.I) else raw + "元")
    ent.amount = parse_amount(_CLIENT_ID.sub(" ", text))
    ent.client_risk, ent.product_risk = _risks(_CLIENT_ID.sub(" ", text))
    age = _AGE.search(text)
    if age:
        ent.retire_age = int(next(g for g in age.groups() if g))
    low = text.lower()
    ent.pronoun = any(p in low for p in _PRONOUNS)
    ent.wants_file = bool(re.search(r"docx|word|文档|文件|下载|导出|生成报告|as a file|download|export", low))
    return ent


def _fund_names(text: str, lex: Lexicon) -> tuple[list[str], list[tuple[str, str]]]:
    """Fund names in free text; several distinct funds (for overlap) are split on 和/与/vs/and/、."""
    parts = [p for p in re.split(r"和|与|跟|及|、|,|，|\bvs\.?\b|\band\b|对比|比较", text) if p.strip()]
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
