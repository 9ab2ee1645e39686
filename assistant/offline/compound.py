"""Compound asks by meaning: every distinct ask in one message, in the order written.

"C0022总资产和持有以来xirr" → client_overview + portfolio_performance; "风评过期的拉出来 再看看谁持仓超风险" →
two book scans (assessment_expired, risk_mismatch); "profile E006 then draft a credit DD" → company_profile +
draft_due_diligence. Splitting on connectors alone misses asks joined by "和", "+", a space or "and"; here
each tool has the words that ask for it, and a message with a joining word and two or more asks becomes
several calls sharing the message's entities. Comparisons ("X和Y谁收益好") are not compounds: they are
one comparison call (``business.route``), so two clients or two funds named together are left alone.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.offline import business
from assistant.offline.entities import Entities, parse_period
from assistant.offline.slots import takes

_I = re.IGNORECASE
JOIN = re.compile(r"顺便|然后|再|另外|同时|并且|还有|以及|和|跟|加上|\+|、|，|,|；|;|\s|都|both|also|and|then|plus|in one go", _I)

CLIENT_ASKS: list[tuple[str, re.Pattern[str]]] = [
    ("client_overview", re.compile(r"总资产|资产多少|多少资产|现金(?!类|管理|型)(?:多少|还剩)?|活期|概况|持仓(?:情况|明细|有哪些|有啥|列表)|看下持仓|看看持仓|overview|total assets|\baum\b|(?<!top )(?<!through )holdings|"
                                   r"\bcash\b(?! flow)|cash balance|\bbalance\b(?! sheet)|"
                                   r"有到期|到期吗|什么时候到期|matur", _I)),
    ("portfolio_performance", re.compile(r"xirr|twr|持仓收益|收益率?|盈亏|赚了|亏了|赚还是|亏还是|回报|"
                                         r"\breturns?\b|gain|p&l|profit|\bloss\b|performance|how .* doing|"
                                         r"\bdown (?:by )?how much|how much .{0,16}\b(?:down|up)\b|\bup or down\b", _I)),
    ("industry_exposure", re.compile(r"行业|industr|sector|(?:医药|新能源|白酒|科技|银行|半导体|消费|地产|电子|食品|军工|有色|"
                                     r"煤炭|汽车|化工|传媒|通信|计算机|券商|光伏|医疗).{0,4}(?:占|多少|仓位|敞口|比例)", _I)),
    ("lookthrough_portfolio", re.compile(r"穿透|底层|look[- ]?through|underlying|x-?ray", _I)),
    ("allocation_review", re.compile(r"调仓|再平衡|rebalanc|配置(?:合理|怎么样|咋样|如何)|配置检视|检视|体检|要不要调|该不该调|"
                                     r"allocation review", _I)),
    ("wealth_health_score", business.HEALTH),
    ("retirement_plan", re.compile(r"退休|养老|retire|pension", _I)),
    ("performance_attribution", re.compile(r"归因|attribution|brinson", _I)),
    ("benchmark_comparison", re.compile(r"跑赢|跑输|超额|benchmark|beat|outperform|underperform|target mix|"
                                        r"(?:跟|和|比|vs\.?|versus|against)\s*(?:the\s+)?(?:沪深\s*300|csi\s*300|中债|债券指数|bond index)", _I)),
    ("check_suitability", re.compile(r"能不能(?:再)?买|能买|可以买|可不可以买|can (?:he|she|they|c\d{4}) buy|"
                                     r"(?:he|she|they) can (?:buy|hold)|allowed to buy", _I)),
    ("search_products", re.compile(r"能买啥|买什么|买点啥|推荐|推点|推几个|推几款|找几个|找点|续投|续作|再投|能投什么|可以买哪些|能买哪些|"
                                   r"what (?:can|should) .* buy|recommend", _I)),
    ("draft_proposal", re.compile(r"建议书|proposal", _I)),  # "health score and a proposal draft": two asks
]
FUND_ASKS: list[tuple[str, re.Pattern[str]]] = [
    ("fund_metrics", re.compile(r"回撤|夏普|波动|年化|收益(?:多少|怎么样|如何|率)|涨了多少|drawdown|sharpe|volatil|\breturns? (?:of|over|this|last)", _I)),
    ("fund_overlap", re.compile(r"重合|重叠|overlap", _I)),
    ("benchmark_comparison", dict(CLIENT_ASKS)["benchmark_comparison"]),
    ("fund_profile", re.compile(r"经理|费率|管理费|规模|档案|基本信息|概况|manager|fees?\b|size|profile", _I)),
]
COMPANY_ASKS: list[tuple[str, re.Pattern[str]]] = [
    ("company_profile", re.compile(r"概况|工商|财务|profile|financials|ratios|风险事件|征信", _I)),
    ("draft_due_diligence", re.compile(r"尽调|尽职调查|due[- ]diligence|\bdd\b", _I)),
]
BOOK_RULES = ("assessment_expired", "idle_cash", "risk_mismatch", "elderly_high_risk", "loss", "maturing",
              "manager_concentration", "industry_concentration", "concentration")


def _asks(text: str, table: list[tuple[str, re.Pattern[str]]]) -> list[tuple[int, str]]:
    found = []
    for tool, pattern in table:
        m = pattern.search(text)
        if m:
            found.append((m.start(), tool))
    return sorted(found)


# words that join two separate asks; without one between two cues the first qualifies the second
# ("穿透行业", "industries after look-through", "performance attribution")
STRONG_JOIN = re.compile(r"顺便|然后|再|另外|同时|并且|还有|以及|和|加上|\+|、|，|,|；|;|\b(?:also|and|then|plus|both)\b", _I)


def joined(text: str, table: list[tuple[str, re.Pattern[str]]], a: str, b: str) -> bool:
    """Whether the asks for tools ``a`` and ``b`` are joined by a connective (two asks, not one phrase)."""
    pats = dict(table)
    ma, mb = pats[a].search(text), pats[b].search(text)
    if not ma or not mb:
        return True
    lo, hi = (ma, mb) if ma.start() <= mb.start() else (mb, ma)
    return bool(STRONG_JOIN.search(text[lo.end():hi.start()]))


def client_tools(text: str, ent: Entities) -> list[str]:
    """The client analyses asked for, in the order written (one per tool)."""
    found = _asks(text, CLIENT_ASKS)
    tools = [t for _, t in found]
    if "check_suitability" in tools and not (ent.fund_codes or ent.product_code):
        tools.remove("check_suitability")
    if "industry_exposure" in tools and "lookthrough_portfolio" in tools and (
            not re.search(r"行业|industr|sector", text, _I) or not joined(text, CLIENT_ASKS, "lookthrough_portfolio",
                                                                          "industry_exposure")):
        tools.remove("lookthrough_portfolio")  # "穿透看看医药多少": the look-through is the method, the sector share the ask
    if "performance_attribution" in tools and "portfolio_performance" in tools and not joined(
            text, CLIENT_ASKS, "portfolio_performance", "performance_attribution"):
        tools.remove("portfolio_performance")  # "performance attribution", "收益归因": one analysis
    if "benchmark_comparison" in tools and "portfolio_performance" in tools and not re.search(
            r"xirr|twr|盈亏|赚|亏|performance|收益表现|收益多少|p&l|gain|profit|\bloss", text, _I):
        tools.remove("portfolio_performance")  # "今年收益跑赢沪深300没" is one comparison
    if "draft_proposal" in tools and any(not joined(text, CLIENT_ASKS, t, "draft_proposal") for t in tools if t != "draft_proposal"):
        tools.remove("draft_proposal")  # "rebalancing proposal": the proposal qualifies the ask, it is not a second one
    if "search_products" in tools and "check_suitability" in tools and not re.search(r"找|推荐|换|instead|recommend|other", text, _I):
        tools.remove("search_products")
    return tools


def book_rules(text: str) -> list[str]:
    """Book-scan rules asked for ("风评过期的拉出来 再看看谁持仓超风险" → two)."""
    hits = []
    for rule, pattern in business.RULES:
        m = pattern.search(text)
        if m and rule in BOOK_RULES:
            hits.append((m.start(), rule))
    rules = [r for _, r in sorted(hits)]
    if "manager_concentration" in rules or "industry_concentration" in rules:
        # "manager concentration" also contains the bare word; keep it only when asked separately
        # "基金经理集中度", "concentrated in a single manager" contain the bare word; the product rule stays
        # only when a single product is asked for too
        if not re.search(r"单一产品|产品集中|single product|product concentration", text, _I):
            rules = [r for r in rules if r != "concentration"]
    return list(dict.fromkeys(rules))


def _near(text: str, rule: str) -> str:
    """The part of the message about one rule (its window or threshold is said next to it)."""
    m = business.RULES_BY_NAME[rule].search(text)
    if not m:
        return text
    cut = JOIN_PARTS.split(text)
    for part in cut:
        if business.RULES_BY_NAME[rule].search(part):
            return part
    return text


JOIN_PARTS = re.compile(r"顺便|然后|再看下|再看看|再|另外|同时|并且|还有|以及|\+|、|，|,|；|;|\band\b|\balso\b|\bthen\b", _I)


def _own_period(text: str, tool: str, ent: Entities) -> Entities:
    """The period said in this ask's own part ("since-purchase P&L and did he beat CSI 300 this year": since
    purchase for the P&L, this year for the benchmark); the message's period otherwise."""
    pattern = dict(CLIENT_ASKS)[tool]
    part = next((p for p in JOIN_PARTS.split(text) if p and pattern.search(p)), None)
    period = parse_period(part) if part else None
    return Entities(**{**ent.__dict__, "period": period}) if period and period != ent.period else ent


def plan_compound(text: str, ent: Entities, state: dict[str, Any],
                  fill: Any) -> list[tuple[str, dict[str, Any]]] | None:
    """Several calls when the message joins two or more asks, over one period ("查下回撤顺便跟沪深300比一比":
    both over the drawdown's year); None for a single ask."""
    calls = _plan(text, ent, state, fill)
    if calls:
        periods = [a["period"] for n, a in calls if takes(n, "period") and a.get("period")]
        for name, args in calls:
            if takes(name, "period") and periods and "period" not in args:
                args["period"] = periods[0]
    return calls


def _plan(text: str, ent: Entities, state: dict[str, Any], fill: Any) -> list[tuple[str, dict[str, Any]]] | None:
    if not JOIN.search(text) and not (len(ent.fund_codes) == 1 and len(_asks(text, FUND_ASKS)) >= 2):
        return None  # a fund's two asks need no joining word ("今年以来收益多少跑赢沪深300没有")
    client = ent.client_ids[0] if len(ent.client_ids) == 1 else (
        state.get("client_id") if ent.pronoun and not ent.client_ids else None)
    if client:
        tools = client_tools(text, ent)
        if len(tools) >= 2:
            sub = {**state, "client_id": client}
            one = Entities(**{**ent.__dict__, "client_ids": [client]})
            return [(t, fill(t, text, _own_period(text, t, one), sub)) for t in tools]
        return None
    if ent.client_ids:
        return None
    if len(ent.fund_codes) in (1, 2):
        tools = [t for _, t in _asks(text, FUND_ASKS)]
        if len(ent.fund_codes) == 2 and "fund_overlap" not in tools:
            return None  # two funds and no overlap asked: a comparison
        if len(ent.fund_codes) == 2 and business.COMPARE.search(text) and business.FUND_METRIC.search(text):
            # "overlap between 002201 and 001101, and compare their 1y returns": the overlap, then the comparison
            return [("fund_overlap", fill("fund_overlap", text, ent, state)),
                    ("compare_funds", fill("compare_funds", text, ent, state))]
        if len(ent.fund_codes) == 2 and "fund_metrics" in tools and re.search(r"各自|分别|每只|each|both|respectively", text, _I):
            per = [("fund_metrics", fill("fund_metrics", text, Entities(**{**ent.__dict__, "fund_codes": [c]}), state))
                   for c in ent.fund_codes]
            return per + [(t, fill(t, text, ent, state)) for t in tools if t not in ("fund_metrics",)]
        if len(ent.fund_codes) == 1 and "fund_overlap" in tools:
            tools.remove("fund_overlap")
        if len(tools) >= 2:
            one = Entities(**{**ent.__dict__, "fund_codes": ent.fund_codes[:1]})
            return [(t, fill(t, text, ent if t == "fund_overlap" else one, state)) for t in tools]
        return None
    if ent.company and not ent.fund_codes:
        tools = [t for _, t in _asks(text, COMPANY_ASKS)]
        if tools and business.TOTALS.search(text) and re.search(r"\bmy\b|我的|名下", text, _I):
            # "E001 profile + my AUM": the company, then the caller's book totals
            return [*((t, fill(t, text, ent, state)) for t in tools), ("book_totals", fill("book_totals", text, ent, state))]
        if len(tools) >= 2:
            return [(t, fill(t, text, ent, state)) for t in tools]
        return None
    if not ent.fund_codes:
        rules = book_rules(text)
        if len(rules) == 1 and business.TOTALS.search(text) or len(rules) == 1 and re.search(
                r"top\s*\d+|前\s*\d+|最大的", text, _I):
            # "帮我把AUM总数和亏损超过15%的客户一起拉出来", "Top 3 clients by AUM and the idle-cash list"
            top = fill("book_totals", text, ent, state)
            return [("book_totals", top), ("book_scan", {"rule": rules[0], **business.book_args(_near(text, rules[0]),
                                                                                             rule=rules[0])})]
        if len(rules) >= 2:
            return [("book_scan", {"rule": rule, **business.book_args(_near(text, rule), rule=rule)}) for rule in rules]
    return None
