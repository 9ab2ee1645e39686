"""Entity matching shared by the tools and the offline planner: fuzzy fund and company names.

Matching is by character bigrams of a name's *core* (generic words like 混合/股票/有限公司 removed), so
"易方达兰筹" (a misspelling) still finds "易方达蓝筹精选混合". Pure functions over small in-memory lists.

>>> funds = [("110011", "易方达优质精选混合", "E Fund Quality Select Hybrid")]
>>> match_names("易方达优质精先怎么样", [(c, n) for c, n, _ in funds], kind="fund")[0][0]
'110011'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

_FUND_NOISE = re.compile(
    r"(证券投资基金|发起式|混合型|股票型|债券型|混合|股票|债券|指数|货币|基金|LOF|ETF|FOF|QDII|"
    r"人民币|[（(][^）)]*[）)]|[A-Z]$|[A-Z]类$)"
)
_COMPANY_NOISE = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|股份|公司)")
_EN_NOISE = re.compile(
    r"\b(fund|hybrid|equity|bond|index|money|market|etf|lof|fof|qdii|feeder|class|[a-c]|co|ltd|inc|group)\b"
)


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


@lru_cache(maxsize=4096)
def core_name(name: str, kind: str) -> str:
    """The distinctive part of a name: '易方达蓝筹精选混合A' → '易方达蓝筹精选'."""
    pattern = _FUND_NOISE if kind == "fund" else _COMPANY_NOISE
    core = name
    for _ in range(3):  # suffixes can stack: 混合(LOF)A
        core = pattern.sub("", core).strip()
    if len(core) <= 3:  # "华鼎货币A" → "华鼎" would match every 华鼎 fund: keep the type word
        core = re.sub(r"[A-C]类?$", "", name)
    return core or name


def _en_core(name: str) -> str:
    core = " ".join(_EN_NOISE.sub(" ", name.lower()).split())
    if len(core.split()) <= 1:  # "Huading Money Market A" → "huading" would match every Huading fund
        core = " ".join(re.sub(r"\b[a-c]$", "", name.lower().strip()).split())
    return core


@lru_cache(maxsize=8192)
def _word_hit(word: str, qwords: tuple[str, ...]) -> bool:
    """A name word said in the question: exactly, misspelled ("vanguad"), or as the same stem
    ("consumer" for "consumption", "manufacturer" for "manufacturing")."""
    if word in qwords:
        return True
    if len(word) >= 6 and any(len(x) >= 6 and x[:6] == word[:6] for x in qwords):
        return True
    # a ratio ≥ 0.8 needs lengths within 2:3 of each other; quick_ratio bounds the ratio from above
    return len(word) > 3 and any(3 * min(len(word), len(x)) >= 2 * max(len(word), len(x))
                                 and SequenceMatcher(None, word, x).quick_ratio() >= 0.8
                                 and SequenceMatcher(None, word, x).ratio() >= 0.8 for x in qwords)


def _acronym_hits(words: list[str], acronyms: list[str]) -> int:
    """Name words typed as an acronym in capitals: "NEV" for New Energy Vehicle (not the brand, word one)."""
    tail = [w for w in words[1:] if w[:1].isalpha()]
    for i in range(len(tail)):
        for j in range(len(tail), i + 1, -1):
            if "".join(w[0] for w in tail[i:j]) in acronyms:
                return j - i
    return 0


_FUND_TYPE = re.compile(r"指数|ETF|联接|LOF|QDII|FOF|混合|股票|纯债|可转债|债券|货币")


def _type_words(question: str, name: str) -> float:
    """A tie-break between funds whose cores match equally ("沪深300指数A" is 东岳沪深300指数A, not 华鼎沪深300ETF):
    the name's type words said in the question count for it, those left unsaid against, by a thousandth each."""
    types = set(_FUND_TYPE.findall(name))
    present = sum(1 for t in types if t in question)
    return (2 * present - len(types)) / 1000


def score_name(question: str, name: str, kind: str) -> float:
    """Share of the core's bigrams found in the question (0–1); English names use token similarity."""
    if name.isascii():
        core = _en_core(name)
        q = question.lower()
        if not core:
            return 0.0
        qwords = tuple(re.findall(r"[a-z0-9]+", q))
        if core in q:
            # the name's other words break a tie between shared cores ("… ETF" vs "… ETF Feeder A")
            full = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) > 1]  # not the class letter
            present = sum(1 for w in full if w in qwords)
            return 1.0 + (2 * present - len(full)) / 1000
        words = [w for w in re.split(r"[\s-]+", core) if w]
        if not words:
            return 0.0
        if len(words) >= 2 and not _word_hit(words[0], qwords):
            return 0.0  # a partial English name needs its brand ("Nanping Short-term Bond" is not "short-term")
        hits = sum(1 for w in words if _word_hit(w, qwords))
        acronyms = [a.lower() for a in re.findall(r"\b[A-Z]{2,}\b", question)]
        if _word_hit(words[0], qwords):  # an acronym counts only beside the brand ("Dongyue NEV"; "CD" alone is no fund)
            hits = max(hits, 1 + _acronym_hits(words, acronyms))
        return hits / len(words)
    core = core_name(name, kind)
    said = question
    if kind == "fund":  # the same noise the names lose: "华鼎沪深300ETF联接A" ~ core "华鼎沪深300联接"
        question = re.sub(r"ETF|LOF|QDII|FOF", "", question)
    if len(core) < 2:
        return 0.0
    if core in question:
        return 1.0 + len(core) / 100  # the longest exact name wins ("华鼎沪深300联接" over "华鼎沪深300")
    grams = _bigrams(core)
    hits = len(grams & _bigrams(question))
    ratio = hits / len(grams) if hits >= 2 else 0.0
    if ratio >= 0.55:
        return ratio + (_type_words(said, name) if kind == "fund" else 0.0)
    # a long exact run ("优质精选" inside "易方达优质精选") is evidence even without the prefix
    run = SequenceMatcher(None, core, question, autojunk=False).find_longest_match().size
    if run >= 4:
        return 0.6
    if run == 3 and len(core) <= 6:
        return 0.55
    return ratio


def match_names(
    question: str, candidates: Sequence[tuple[str, str]], *, kind: str, threshold: float = 0.55
) -> list[tuple[str, str, float]]:
    """Candidates ``(key, name)`` whose name matches the question, best first, as ``(key, name, score)``."""
    scored = [(key, name, score_name(question, name, kind)) for key, name in candidates]
    hits = [s for s in scored if s[2] >= threshold]
    hits.sort(key=lambda s: (-s[2], s[0]))
    return hits


def best_match(
    question: str, candidates: Sequence[tuple[str, str]], *, kind: str
) -> tuple[str | None, list[tuple[str, str]]]:
    """``(key, [])`` for one clear winner; ``(None, options)`` when several tie; ``(None, [])`` for none.

    Share classes of one fund (…混合A / …混合C) have the same core: the class letter named in the question
    wins, else class A (the one RMs usually mean).
    """
    hits = match_names(question, candidates, kind=kind)
    if not hits:
        return None, []
    top = hits[0][2]
    tied = [h for h in hits if h[2] >= top - 1e-9]
    if top > 1.0:  # exact names in the text: one per distinct core is an answer, not an ambiguity
        tied = [h for h in hits if h[2] > 1.0 and h[2] >= top - 1e-9]
    if len(tied) == 1:
        return tied[0][0], []
    cores = {core_name(n, kind) for _, n, _ in tied}
    if len(cores) == 1:
        for key, name, _ in tied:
            if name[-1:] in "ABC" and re.search(r"(?<![A-Za-z])" + name[-1] + r"(?![A-Za-z])", question):
                return key, []
        return sorted(tied, key=lambda h: h[1])[0][0], []
    return None, [(k, n) for k, n, _ in tied[:5]]
