"""Tokens for BM25 and product-code extraction.

jieba alone splits ``WM2026001`` into ``WM`` + ``2026001`` and glues ``R4`` onto neighbouring Latin text,
so codes and short level labels are cut out with a regex first and kept as single tokens; only the
runs of text between them go through jieba.

>>> tokens("WM2026001的风险等级是R4吗")
['wm2026001', '风险', '等级', '风险等级', 'r4']
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

# Order matters: longer/more specific patterns first.
_BANK = r"(?<![A-Za-z0-9])[A-Z]{2,6}\d{1,8}[A-Z]?\d*(?![A-Za-z0-9])"  # WM2026002 WMCASH01 TD3Y LCD3Y NTC7D INS01
_CODE = (
    _BANK
    + r"|(?<![\d.])\d{6}(?!\d|\.\d)"  # fund codes (not part of a longer number or a decimal)
    r"|[RC][1-5](?![\d])"  # product risk R1–R5, client risk C1–C5
    r"|T\+\d{1,2}"  # settlement days
)
_TOKEN_RE = re.compile(rf"(?P<code>{_CODE})|(?P<latin>[A-Za-z][A-Za-z'\-]*)|(?P<num>\d+(?:\.\d+)?%?)|(?P<cjk>[\u4e00-\u9fff]+)")
# Amounts are written as 6 digits too (100000元); a fund code is never followed by a unit.
_FUND_CODE_RE = re.compile(r"(?<![\d.¥])(\d{6})(?!\d|\.\d|%|\s*(?:元|万|亿|份|人|户|笔|天|日))")
_BANK_CODE_RE = re.compile(f"({_BANK})")

_STOP = frozenset(
    "的 了 是 在 和 与 及 或 吗 呢 吧 啊 我 你 您 他 她 它 们 这 那 有 个 为 对 把 被 就 也 都 而 之 其 请 问 "
    "a an the of to is are be in on for and or do does can what how which i my me you your it this that "
    "with as at by from".split()
)


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - the jieba module
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    # Domain words jieba's default dictionary cuts badly.
    for word in (
        "适当性", "冷静期", "风险等级", "风险承受能力", "风险测评", "赎回费", "申购费", "认购费", "管理费", "托管费",
        "销售服务费", "理财经理", "理财产品", "业绩比较基准", "双录", "净值型", "货币基金", "债券基金", "股票基金",
        "混合基金", "指数基金", "联接基金", "定投", "巨额赎回", "开放日", "确认日", "到账", "反洗钱", "身份证件",
    ):
        jieba.add_word(word, freq=200000)
    return jieba


def tokens(text: str) -> list[str]:
    """Lower-cased BM25 tokens; codes (000001, WM2026001, R4, T+1) stay whole, CJK runs are cut by jieba
    in search mode (a long word also yields its sub-words), stop words and punctuation are dropped."""
    out: list[str] = []
    jb = None
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        piece = m.group(0)
        if kind == "cjk":
            jb = jb or _jieba()
            out.extend(w for w in jb.lcut_for_search(piece) if w not in _STOP)
        elif kind == "latin":
            w = piece.lower().strip("'-")
            if w and w not in _STOP:
                out.append(w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w)
        else:
            out.append(piece.lower())
    return out


def product_codes(text: str) -> list[str]:
    """Product codes mentioned in ``text``: 6-digit fund codes (not amounts) and the bank's own codes,
    in order of first appearance, without duplicates."""
    found: list[str] = []
    for m in sorted(
        [*_FUND_CODE_RE.finditer(text), *_BANK_CODE_RE.finditer(text)], key=lambda m: m.start()
    ):
        code = m.group(1)
        if code not in found:
            found.append(code)
    return found


def is_english(text: str) -> bool:
    """True when Latin letters outnumber CJK characters (used to pick the answer language)."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return latin > 2 * cjk
