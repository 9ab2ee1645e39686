"""Slot filling: a tool's declared slots (``tools/specs``) filled from the entity grammar and dialogue state.

``fill("retirement_plan", "林辉静55岁退休每月花2万", ent, state)`` →
``{"client_id": "C0001", "retire_age": 55, "monthly_spending": 20000.0}``. Each slot names an extractor
in ``EXTRACTORS``; an extractor returns None when the question does not say, and then the slot's default
(or the schema's) applies. Follow-ups fall back to the state (last client, fund, company, period).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from assistant.offline import business
from assistant.offline.entities import Entities
from tools.registry import spec_of

_I = re.IGNORECASE
_ASSET_CLASS = [
    (re.compile(r"另类|alternative|商品|黄金|reits?", _I), "alternative"),
    (re.compile(r"保险|保障|insurance|protection", _I), "protection"),
    (re.compile(r"货币|货基|现金管理|现金类|活期|随时(?:能|可以)?取|cash|money market", _I), "cash"),
    (re.compile(r"债|固收|fixed income|bond", _I), "fixed_income"),
    (re.compile(r"股票型|权益|偏股|equity|stock fund", _I), "equity"),
]
_HORIZON = re.compile(r"(一|两|二|三|五|半|(?<!\d)\d{1,3}(?!\d))\s*(年|个月|月|天)(?:期|左右|以内|内|的|上下)?|"
                      r"(\d+|one|two|three|six|twelve|a)[\s-]*(years?|months?|days?|yrs?|mos?)\b(?![\s-]*old)", _I)
_N = {"a": 1, "一": 1, "两": 2, "二": 2, "三": 3, "五": 5, "半": 0.5, "one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12}

# "in that window", "同期": the period of the last answer
SAME_PERIOD = re.compile(r"(?:that|the same|same|this) (?:window|period|time ?frame|horizon|range)|同期|同一(?:区间|时间段|时期|期间)|同期间|"
                         r"同样(?:的)?(?:区间|时间段|时期)|那段时间|这段时间|同区间", _I)

Extractor = Callable[[str, Entities, dict[str, Any]], Any]


def _client(text: str, ent: Entities, state: dict[str, Any]) -> str | None:
    return ent.client_ids[0] if ent.client_ids else state.get("client_id")


def _fund(text: str, ent: Entities, state: dict[str, Any]) -> str | None:
    if ent.fund_codes:
        return ent.fund_codes[0]
    remembered = state.get("fund_codes") or []
    return remembered[0] if remembered else None


def _funds(text: str, ent: Entities, state: dict[str, Any]) -> list[str] | None:
    codes = list(ent.fund_codes)
    if len(codes) == 1 and state.get("fund_codes") and state["fund_codes"][0] != codes[0]:
        codes = [state["fund_codes"][0], codes[0]]
    return codes if len(codes) >= 2 else None


def _horizon(text: str, ent: Entities, state: dict[str, Any]) -> int | None:
    m = _HORIZON.search(text)
    if not m:
        return None
    n_tok, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    n = float(n_tok) if n_tok.isdigit() else _N.get(n_tok.lower(), 1)
    if n == 0.5 and unit.startswith("年"):
        return 180  # 半年 is quoted as a 180-day term
    unit = unit.lower()
    days = 365 if unit.startswith(("年", "y")) else (30 if unit.startswith(("月", "个月", "m")) else 1)
    if unit.startswith(("月", "个月", "m")) and n in (3, 6, 12):
        return {3: 90, 6: 180, 12: 365}[int(n)]  # product terms are quoted as 90 / 180 / 365 days
    return int(n * days)


def asset_class_of(text: str) -> str | None:
    """The shelf's asset class a request names ("保障类" → protection, "现金管理类" → cash), or None."""
    return next((cls for pattern, cls in _ASSET_CLASS if pattern.search(text)), None)


_FISCAL_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])", _I)


_FINANCIAL = re.compile(r"比率|率|营收|收入|利润|负债|现金流|财务|报表|倍数|ratio|margin|revenue|sales|profit|debt|leverage|roe|"
                        r"growth|financ|coverage|cash flow|earnings", _I)


def _fiscal_year(text: str) -> int | None:
    """"2024年流动比率", "debt to asset in 2025", "FY2024": the year whose ratios are asked (only with a
    financial word: "2006年成立的" names no fiscal year)."""
    m = _FISCAL_YEAR.search(text)
    return int(m.group(1)) if m and _FINANCIAL.search(text) else None


def _asset_class(text: str, ent: Entities, state: dict[str, Any]) -> str | None:
    return asset_class_of(text)


def _product_risk(text: str, ent: Entities, state: dict[str, Any]) -> str | None:
    return ent.product_risk or (f"R{ent.client_risk[1]}" if ent.client_risk else None)


def _book(key: str) -> Extractor:
    def get(text: str, ent: Entities, state: dict[str, Any]) -> Any:
        args = business.book_args(text)
        if key == "month" and args.get("rule") == "maturing":
            return ent.month
        return args.get(key)
    return get


def _scenario(text: str, ent: Entities, state: dict[str, Any]) -> str:
    if re.search(r"开户|account[- ]opening|open an account", text, _I):
        return "account-opening"
    if re.search(r"变更|change", text, _I):
        return "change"
    return "credit"


EXTRACTORS: dict[str, Extractor] = {
    "client": _client,
    "clients": lambda t, e, s: e.client_ids[:2] if len(e.client_ids) >= 2 else None,
    "fund": _fund,
    "funds": _funds,
    "product": lambda t, e, s: e.product_code or (e.fund_codes[0] if e.fund_codes else None),
    "company": lambda t, e, s: e.company or s.get("company"),
    "period": lambda t, e, s: e.period or (s.get("period") if SAME_PERIOD.search(t) else None),
    "fiscal_year": lambda t, e, s: _fiscal_year(t),
    "amount": lambda t, e, s: e.amount,
    "top_n": lambda t, e, s: e.top_n,
    "retire_age": lambda t, e, s: e.retire_age,
    "monthly_spending": lambda t, e, s: e.monthly_spending,
    "product_risk": _product_risk,
    "asset_class": _asset_class,
    "horizon_days": _horizon,
    "benchmark": lambda t, e, s: business._benchmark(t) or "000300",
    "rule": _book("rule"),
    "within_days": _book("within_days"),
    "month": _book("month"),
    "loss_threshold": _book("loss_threshold"),
    "page": _book("page"),
    "doc_lang": lambda t, e, s: e.doc_lang or (e.lang if e.lang == "en" else None),
    "wants_file": lambda t, e, s: True if e.wants_file else None,
    "scenario": _scenario,
    "query": lambda t, e, s: t,
}


def fill(tool: str, text: str, ent: Entities, state: dict[str, Any]) -> dict[str, Any]:
    """The tool's arguments from the question (and the state for follow-ups); unsaid slots are left out."""
    spec = spec_of(tool)
    args: dict[str, Any] = {}
    for slot in spec.slots:
        value = EXTRACTORS[slot.extractor](text, ent, state)
        if value is None:
            value = slot.default
        if value is not None:
            args[slot.arg] = value
    if tool == "benchmark_comparison":  # a client or a fund, not both
        if ent.fund_codes and not ent.client_ids:
            args.pop("client_id", None)
        else:
            args.pop("fund", None)
    return _after(tool, args, ent, state)


def explicit_slots(tool: str, text: str, ent: Entities) -> dict[str, Any]:
    """Only what this message itself says for the tool's slots (no defaults, no state): what a
    follow-up ("改成每月3万", "top 20") changes in the last call."""
    out: dict[str, Any] = {}
    for slot in spec_of(tool).slots:
        value = EXTRACTORS[slot.extractor](text, ent, {})
        if value is not None and slot.extractor not in ("query", "benchmark", "scenario"):
            out[slot.arg] = value
        elif slot.extractor == "scenario" and re.search(r"开户|变更|授信|opening|change|credit", text, _I):
            out[slot.arg] = value  # "改成开户场景"
    return out


def _after(tool: str, args: dict[str, Any], ent: Entities, state: dict[str, Any]) -> dict[str, Any]:
    if spec_of(tool).needs == "client" and args.get("period") == "since_inception":
        args["period"] = "since_purchase"  # a client's "since inception" is since they first bought
    if tool in ("portfolio_performance", "performance_attribution", "fund_metrics") and "period" not in args \
            and state.get("period") and state.get("_follow"):
        args["period"] = state["period"]
    return args


def takes(tool: str, arg: str) -> bool:
    """Whether the tool's spec declares a slot for ``arg`` ("period" tools share a compound's period;
    "lang" tools are redrafted by "英文版")."""
    return any(s.arg == arg for s in spec_of(tool).slots)


def missing_required(tool: str, args: dict[str, Any]) -> list[str]:
    spec = spec_of(tool)
    missing = [s.arg for s in spec.slots if s.required and s.arg not in args]
    if tool == "benchmark_comparison" and not (args.get("client_id") or args.get("fund")):
        missing.append("client_id")
    return missing
