"""Plain-phrasing routes to the business-layer capabilities (overview, benchmark, fund metrics, suitability,
health score, comparisons, book queries and totals). Precise patterns only: broad phrasing coverage is
the intent scorer's job (issue 11). ``route`` returns the calls, or None to let the general planner go on.

>>> route("林辉静总资产多少", ent, client="C0001")        # → [("client_overview", {"client_id": "C0001"})]
>>> route("下个月到期的客户有哪些", ent, client=None)     # → [("book_scan", {"rule": "maturing", "month": "next"})]
"""

from __future__ import annotations

import re
from typing import Any

from assistant.offline.entities import _CN_NUM, PERIOD_WORDS, Entities

_I = re.IGNORECASE
BENCH_300 = re.compile(r"沪深\s*300|csi\s*300|hs\s*300|000300", _I)
BENCH_BOND = re.compile(r"中债|债券指数|bond index|chinabond|china bond|cba00101", _I)
BENCH_WORDS = re.compile(r"跑赢|跑输|超额|比较基准|基准|benchmark|beat|outperform|underperform", _I)
OVERVIEW = re.compile(r"总资产|(?:闲钱|卡里|账上|账户里|余额).{0,6}(?:多少|几)|多少闲钱|idle cash|cash balance|uninvested|how much cash|cash (?:left|sitting)|(?:手上|手里)(?:都)?有(?:啥|什么|哪些)(?:产品|基金)?$|都有啥|有啥产品|有哪些产品|钱都放哪了|钱都在哪|放哪了|账户(?:啥|什么)?情况|total aum|aum of|'s aum|资产(?:有)?多少|多少资产|持仓(?:明细|情况|有哪些)?|持有(?:哪些|什么)|买了(?:哪些|什么)|"
                      r"(?:什么时候|啥时候|哪天|何时|几号)到期|到期(?:日|时间)|概况|基本情况|风险等级|测评|风评|风险承受能力|(?:什么|啥|哪个)等级|"
                      r"(?:保险|理财|存单|存款|基金)是哪(?:款|只|个)|哪(?:款|只)(?:保险|理财)|"
                      r"what (?:risk )?level is|risk (?:level|profile|class|rating)|come due|due date|"
                      r"(?:position|holding|stake)s? (?:is |are )?worth|worth today|(?:现在)?值多少|市值多少|"
                      r"total assets|how much does .* have|(?<!through )holdings|what does .* hold|overview|when .* matur|"
                      r"risk assessment|assessment (?:still )?valid|测评.{0,6}(?:有效|过期)|最近(?:怎么样|咋样|如何|情况)|近况", _I)
RETIRE_ODDS = re.compile(r"成功率|成功概率|概率|退休|养老|success (?:rate|probability)|odds|chance|retire", _I)
LASTS = re.compile(r"能用多久|够用|够不够|够花|能撑|撑多久|用几年|花几年|能花多久|花多久|多少年|how long|last|enough|run out", _I)
# a client's own maturities ("C0016下个月有啥到期的"), not the book's
OWN_MATURITY = re.compile(r"(?:还有|还剩|有)?(?:几天|多少天|多久)(?:就)?到期|how many days (?:until|till|to|before|left)|有(?:啥|什么|没有)?(?:产品)?到期|到期(?:的|吗|没|了吗)|什么时候到期|matur", _I)
RISK_FIT = re.compile(r"(?:持仓|产品|配置).{0,8}(?:风险等级|风险承受|风险偏好|风险).{0,4}(?:匹配|相符|一致|吻合|符合)|超风险|"
                      r"(?:风险等级|风险).{0,4}(?:匹配吗|相符吗|一致吗|不匹配)|match (?:his|her|their) risk|above (?:his|her|their) risk", _I)
HEALTH = re.compile(r"健康度|健康分|打个?分|财富体检|health score|wealth health", _I)
SUITABLE = re.compile(r"能不能买|能买.{0,16}吗|可以买|能否购买|适不适合买|适合买吗|适当性|can .* buy|allowed to buy|suitable for",
                      _I)
COMPARE = re.compile(r"对比|比较|比一比|比比|比一下|比下|(?<=年)比\s*$|\bpk\b|哪个好|哪只好|哪个.{0,4}(?:高|好|强|多|低)|哪只.{0,4}(?:高|好|强|多|低)|谁.{0,4}(?:好|高|强|多|少|低)|差多少|相差|跟踪差|跟踪(?:得|的)?(?:怎么样|如何|误差|差异)|"
                     r"vs\.?|versus|compare|side by side|差别|区别|tracking|which (?:is|was|did) better", _I)
FUND_METRIC = re.compile(r"回撤|年化|夏普|波动|涨跌幅|涨幅|跌幅|收益率?|七日|7日|万份收益|涨了?多少|跌了?多少|drawdown|sharpe|volatil|\bvol\b|"
                         r"annuali[sz]ed|return|yield", _I)
BOOK = re.compile(r"哪些.{0,8}客户|客户.{0,14}(?:有哪些|有谁|哪几位|哪几个|名单)|的客户|客户名单|名下|所有客户|全部客户|我的客户|"
                  r"客户里|which clients|my clients|my book|clients (?:with|who|whose|holding)|list", _I)
DEFINITION = re.compile(r"什么意思|是什么|是啥|怎么算|如何计算|定义|规定|规则|制度|要求|办法|要注意|注意什么|what is|what does .* mean|define|"
                        r"how is .* calculated|rules?\b|policy|regulation|requirement", _I)
# rules that are only ever a book question ("持仓集中度过高的", "行业集中度", "老年客户持有高风险产品的")
_BOOK_ONLY = {"concentration", "industry_concentration", "manager_concentration", "elderly_high_risk", "risk_mismatch",
              "idle_cash", "assessment_expired"}
FULL_BOOK = re.compile(r"(?:full|whole|entire) book (?:health )?(?:check|scan|review)|all (?:the )?rules|全部规则|所有规则|全面扫描|全量扫描", _I)
FOLLOW_LIST = re.compile(r"跟进清单|跟进名单|待跟进|待办|提醒清单|预警清单|follow[- ]?up list|call list|to-?do list|alerts? list", _I)
RISK_COUNT = re.compile(r"[Cc][1-5].{0,6}(?:客户|clients?).{0,6}(?:几位|几个|多少|how many)|how many [Cc][1-5]", _I)
SCAN_VERB = re.compile(r"有没有|有哪些|哪些|谁|扫一?下|扫描|拉出来|拉一下|列出|列一下|名单|清单|\blist\b|\bscan\b|"
                       r"\bwho\b|\bany\b|clients|everyone", _I)
TOTALS = re.compile(r"总资产\s*[？?]?\s*$|aum|管理(?:的)?资产|管理规模|资产规模|总规模|总资产(?:是|有)?多少|(?:现金|资产|钱)(?:一共|总共|合计|加起来|总额|总计|总量)|"
                    r"一共多少|总共多少|合计多少|book total|how much .* manage|total cash", _I)
_LOSS_TENTHS = re.compile(r"(?:亏|跌)(?:了|损)?\s*(?:超过|超|达到|到|了)?\s*([一二三四五六七八九半])成")  # 亏三成 = down 30%
RULES: list[tuple[str, re.Pattern[str]]] = [
    ("elderly_high_risk", re.compile(r"高龄|老年|老人|70岁|七十岁|elderly|aged 70|over 70|70\+|seniors?\b", _I)),
    ("assessment_expired", re.compile(r"测评(?:已经?)?(?:过期|到期|失效)|需要重新(?:做)?(?:风险)?测评|重新(?:做)?风测|"
                                        r"needs? (?:a )?new risk (?:assessment|questionnaire)|due for (?:a )?(?:new )?(?:risk )?(?:re-?)?assessment|(?:过期|失效)(?:了)?的?(?:风险)?(?:测评|风评)|评估过期|风评过期|assessments?.*expir|expired (?:risk )?(?:assessment|questionnaire|profil)|"
                                        r"(?:questionnaire|risk profile|kyc)s?.{0,20}(?:expir|out of date|outdated|lapsed)", _I)),
    ("risk_mismatch", re.compile(r"风险(?:等级)?(?:错配|不匹配)|超风险|风险.{0,4}(?:超过|高于|超出)(?:了)?(?:自己|本人|客户|测评)?的?(?:风险)?等级|超出风险|超过(?:自己|他们|客户)?的?风险|超出(?:自己|客户)?的?风险|"
                                 r"mismatch|above (?:their |the |clients'? |client )?(?:own )?risk|exceed\w* (?:their )?risk", _I)),
    ("idle_cash", re.compile(r"闲置|闲钱|闲着|活期.{0,4}(?:多|太多)|现金.{0,4}(?:太多|过多|没投)|idle cash|idle money|idle|uninvested", _I)),
    ("industry_concentration", re.compile(r"行业.{0,4}集中|行业.*超|industry concentration|concentrated in (?:one|a single) (?:industry|sector)", _I)),
    ("manager_concentration", re.compile(r"(?:基金)?经理集中|同一个?(?:基金)?经理|一个经理.{0,6}(?:太多|过多)|manager concentration|"
                                         r"same (?:fund )?manager|(?:single|one) (?:fund )?manager", _I)),
    ("concentration", re.compile(r"集中度|单一产品|太集中|过于集中|过度集中|concentrat", _I)),
    ("loss", re.compile(_LOSS_TENTHS.pattern + r"|亏损|浮亏|亏了|亏钱|在亏|亏超|跌超|亏\s*\d|跌\s*\d|赔钱|套牢|in (?:the )?red|losing|loss|"
                        r"\bdown (?:more than|over|by)|underwater", _I)),
    ("maturing", re.compile(r"到期|maturing|matur", _I)),
]
_RULES = RULES
RULES_BY_NAME = dict(RULES)
_WITHIN = re.compile(r"(\d+)\s*天(?:内|以内)?|within\s+(\d+)\s+days|next\s+(\d+)\s+days|(\d+)[- ]?days?\b", _I)
_WITHIN_MONTHS = re.compile(r"(\d{1,2}|[一二两三四五六])\s*个月(?:内|以内|之内)|(?:within|next|in the next)\s+(\d{1,2})\s+months", _I)
_LOSS_PCT = re.compile(r"(?:超过|大于|超|over|more than|beyond|by|above|改成|换成|to)\s*(\d+(?:\.\d+)?)\s*(?:%|个点|pct|percent|per cent)|"
                       r"(\d+(?:\.\d+)?)\s*(?:%|个点|pct|percent)\s*(?:以上|多|plus|\+|or more)", _I)
_WEEKS = [(re.compile(r"下周|本周|这周|一周内|7天|next week|this week|\b(?:one|1) week", _I), 7),
          (re.compile(r"两周|半个月|14天|\b(?:two|2) weeks|next fortnight", _I), 14),
          (re.compile(r"三周|\b(?:three|3) weeks", _I), 21),
          (re.compile(r"四周|\b(?:four|4) weeks", _I), 28)]
_PAGE = re.compile(r"第\s*(\d+|[一二两三四五六七八九十])\s*页|page\s*(\d+|two|three|four|five)\b|"
                   r"\b(second|third|fourth|fifth|next) page", _I)
_EN_ORDINAL = {"two": 2, "three": 3, "four": 4, "five": 5, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "next": 2}
_PAGE_SIZE = re.compile(r"每页\s*(\d+)|(\d+)\s*(?:per page|条每页|个每页|a page)", _I)


FOLLOW_COMPARE = re.compile(r"(?<![A-Za-z])vs\.?(?![A-Za-z])|versus|compare[ds]? (?:it |this |that )?(?:to|with)|against|"
                            r"(?:跟|和|与)\s*\S{2,14}?\s*(?:比|对比|相比)|对比一下|比一比|比比|相比|比起来?", _I)
# a fund named as one the client holds ("他那只明德均衡成长", "她手上的国泓可转债", "the 嘉禾医疗 he holds"): a metric
# asked about it is the fund's, not the client's portfolio
HELD = re.compile(r"(?:他|她)(?:的)?(?:那只|这只|那个|持有的|手上的|手里的|买的)|(?:持有|手上|手里|买)的(?:那只|这只)?(?=\S)|"
                  r"\b(?:he|she|they) (?:holds?|owns?|bought)\b|\b(?:his|her) (?:position in|holding of)\b", _I)
PRODUCT_FACTS = re.compile(r"详情|说明书|介绍|起存|起购|起点|门槛|期限|到期|多久|几天|费率|费用|业绩比较基准|比较基准|赎回|"
                           r"details?|matur|come due|minimum|prospectus|fees?\b|how long|how many days|\bterms?\b", _I)
PERIOD_ASK = re.compile(r"多少|咋样|怎么样|如何|表现|how much|how did|how is|how's|performance", _I)  # "005501今年以来多少"
WHICH = re.compile(r"哪个|哪只|哪一只|谁的|谁(?:更|比较)?|which (?:one|of them|fund)?|which\b", _I)
OVERLAP = re.compile(r"重合|重叠|overlap|in common|共同持有|持仓相似", _I)
BOTH = re.compile(r"两只|这两|那两|两个基金|两支|俩|各自|分别|\bboth\b|the two|each of them", _I)


def remembered_amount(state: dict[str, Any], client: str) -> float | None:
    """The amount said for this client in the last turn ("帮王英桂筛一下，她有30万" → "WM2025012她能买吗": 30万)."""
    for call in state.get("last_calls") or []:
        args = call.get("args") or {}
        if args.get("client_id") in (client, None) and args.get("amount"):
            return float(args["amount"])
    return None


def _benchmark(text: str) -> str | None:
    if BENCH_300.search(text):
        return "000300"
    if BENCH_BOND.search(text):
        return "CBA00101"
    if re.search(r"目标配置|目标组合|target mix", text, _I):
        return "target"
    if re.search(r"跑赢|跑输|beat|outperform|underperform", text, _I) and re.search(r"大盘|指数|market|index|了吗|没|吗", text, _I):
        return "000300"
    return "000300" if BENCH_WORDS.search(text) and re.search(r"大盘|指数|market|index", text, _I) else None


def book_args(text: str, rule: str | None = None) -> dict[str, Any]:
    """book_scan arguments from a book question: the rule, the maturity window, a loss threshold, the
    page. ``rule`` = the rule already known (a follow-up "换成60天内" on a maturity list, or one part of
    "下个月到期的 再看下风测过期的")."""
    args: dict[str, Any] = {}
    for name, pattern in _RULES:
        if rule is None and pattern.search(text):
            args["rule"] = name
            break
    if rule is not None:
        args["rule"] = rule
    if args.get("rule") == "maturing":
        if re.search(r"下个?月|next month", text, _I):
            args["month"] = "next"
        elif re.search(r"本月|这个月|this month", text, _I):
            args["month"] = "this"
        elif m := _WITHIN.search(text):
            args["within_days"] = int(next(g for g in m.groups() if g))
        elif m := _WITHIN_MONTHS.search(text):  # "3个月内到期的", "next 6 months": 90 / 180 days
            tok = next(g for g in m.groups() if g)
            args["within_days"] = 30 * (int(tok) if tok.isdigit() else _CN_NUM.get(tok, 1))
        else:
            for pattern, days in _WEEKS:
                if pattern.search(text):
                    args["within_days"] = days
                    break
    if args.get("rule") == "loss" and (m := _LOSS_PCT.search(text)):
        args["loss_threshold"] = float(m.group(1) or m.group(2)) / 100
    elif args.get("rule") == "loss" and (m := _LOSS_TENTHS.search(text)):
        args["loss_threshold"] = 0.05 if m.group(1) == "半" else _CN_NUM[m.group(1)] / 10
    if m := _PAGE.search(text):
        tok = m.group(1) or m.group(2) or m.group(3)
        args["page"] = int(tok) if tok.isdigit() else (_CN_NUM.get(tok) or _EN_ORDINAL.get(tok.lower(), 1))
    if m := _PAGE_SIZE.search(text):
        args["page_size"] = int(m.group(1) or m.group(2))
    if rule is not None:
        args.pop("rule")
    return args


def route(text: str, ent: Entities, *, client: str | None, remembered: str | None,
          state: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
    who = client or (remembered if ent.pronoun else None)
    funds = ent.fund_codes
    bench = _benchmark(ent.text_wo_funds or text)
    if bench and (who or funds):
        args: dict[str, Any] = {"benchmark": bench}
        args.update({"client_id": who} if who and not funds else {"fund": funds[0]})
        if ent.period:
            args["period"] = ent.period
        return [("benchmark_comparison", args)]
    if len(ent.client_ids) >= 2 and (COMPARE.search(text) or "和" in text or " and " in text):
        args = {"client_ids": ent.client_ids[:2]}
        if ent.period:
            args["period"] = ent.period
        return [("compare_clients", args)]
    remembered_funds = list(state.get("fund_codes") or [])
    if len(funds) == 1 and not who and remembered_funds and remembered_funds[0] != funds[0] and FOLLOW_COMPARE.search(text):
        # "and vs 东岳信用增利 over the same period": the fund just discussed against the one named now
        args = {"funds": [remembered_funds[0], funds[0]]}
        if period := ent.period or state.get("period"):
            args["period"] = period
        return [("compare_funds", args)]
    pair_turn = len(remembered_funds) >= 2 and bool(
        {c.get("name") for c in state.get("last_calls") or []} & {"compare_funds", "fund_overlap"})
    if not funds and not who and pair_turn and (BOTH.search(text) or WHICH.search(text)) and OVERLAP.search(text):
        return [("fund_overlap", {"fund_codes": remembered_funds[:5]})]  # "两只重合度高不高": the funds just compared
    if not funds and not who and len(remembered_funds) >= 2 and FUND_METRIC.search(text) and (
            BOTH.search(text) or pair_turn and WHICH.search(text)):
        # "两只今年收益各多少", "哪个回撤小": the two funds of the last turn
        if ent.period:
            args["period"] = ent.period
        return [("compare_funds", args)]
    if len(funds) >= 2 and COMPARE.search(text) and not OVERLAP.search(text):
        args = {"funds": funds[:2]}
        if ent.period:
            args["period"] = ent.period
        return [("compare_funds", args)]
    if ent.product_code and not funds and not who and PRODUCT_FACTS.search(text):
        # "闽江理财固收增强一年期10号 产品详情", "七天通知存款起存金额": one shelf product's own terms are in its
        # product document (the knowledge base), not in a shelf search
        return [("search_knowledge", {"query": text})]
    if who and ent.monthly_spending and (LASTS.search(text) or RETIRE_ODDS.search(text)):
        # "C0009每月花2万能用多久": how long the money lasts at that spending — the retirement analysis
        return [("retirement_plan", {"client_id": who, "monthly_spending": ent.monthly_spending})]
    if who and HEALTH.search(text):
        return [("wealth_health_score", {"client_id": who})]
    if who and SUITABLE.search(text) and (funds or ent.product_code):
        args = {"client_id": who, "product": ent.product_code or funds[0]}
        if amount := ent.amount or remembered_amount(state, who):
            args["amount"] = amount
        return [("check_suitability", args)]
    bare_period = ent.period and len(re.sub(r"[\s,，。.?？的呢]|\b\d+[ymw]\b", "", PERIOD_WORDS.sub(
        "", ent.text_wo_funds or ""))) <= 1  # "长泰半导体芯片 ytd"
    if funds and (not who or HELD.search(text)) and (FUND_METRIC.search(text) or ent.period and PERIOD_ASK.search(text)
                                                     or bare_period) and (ent.period or re.search(
            r"回撤|年化|夏普|七日|7日|万份|drawdown|sharpe|volatil|7-day|seven[- ]day|yield|annuali", text, _I)):
        return [("fund_metrics", {"fund": funds[0], "period": ent.period or "1y"})]
    if client and OWN_MATURITY.search(text) and not re.search(r"买|推荐|buy|recommend", text, _I):
        return [("client_overview", {"client_id": client})]
    if who and RISK_FIT.search(text):
        # "持仓跟风险等级匹配吗": the review flags holdings above the client's level and what to do
        return [("allocation_review", {"client_id": who})]
    if who and OVERVIEW.search(text) and not re.search(r"穿透|行业|底层|look[- ]?through|industr|匹配|合理|合适|match|"
                                                       r"收益|盈亏|赚|亏|xirr|twr|回报|return|gain|profit|\bdown\b|\blost\b", text, _I):
        return [("client_overview", {"client_id": who})]
    if not client and not ent.pronoun and not funds and not ent.company and TOTALS.search(text) and (
            BOOK.search(text) or re.search(r"我|my|管理规模|\baum\b", text, _I)):
        return [("book_totals", {})]
    if not client and not ent.pronoun and not funds and not ent.company and FULL_BOOK.search(text):
        return [("book_scan", {k: v for k, v in book_args(text).items() if k != "rule"})]  # every rule's findings
    if not client and not ent.pronoun and not funds and not ent.company and not DEFINITION.search(text):
        args = book_args(text)
        if args.get("rule") and (BOOK.search(text) or SCAN_VERB.search(text) or args["rule"] in _BOOK_ONLY
                                 or "loss_threshold" in args):
            return [("book_scan", args)]
        if FOLLOW_LIST.search(text):  # "跟进清单第2页，每页20条": every rule's findings
            return [("book_scan", {k: v for k, v in args.items() if k != "rule"})]
    if not client and not ent.pronoun and not funds and RISK_COUNT.search(text):
        return [("book_totals", {})]  # "名下C4客户有几位": the book's count by risk level
    return None
