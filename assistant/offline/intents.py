"""Intent rules: which tool a question asks for, by keyword patterns in Chinese and English.

Each rule is ``(tool, pattern)``; a question may hit several. ``CLIENT_TOOLS`` need a client id,
``FUND_TOOLS`` a fund, ``COMPANY_TOOLS`` a company. Order in ``RULES`` is the tie-break priority
(more specific first).
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

RULES: list[tuple[str, re.Pattern[str]]] = [
    ("draft_due_diligence", re.compile(r"尽调|尽职调查|due[- ]diligence|\bdd\b", _I)),
    ("draft_proposal", re.compile(r"建议书|配置方案|方案书|(?<!rebalancing )(?<!rebalance )\bproposal|起草.*方案|写一份.*(方案|建议)", _I)),
    ("performance_attribution", re.compile(
        r"归因|attribution|brinson|超额收益.*(来源|哪里)|跑赢|跑输|配置效应|选股效应|靠.{0,6}还是.{0,4}靠|靠.{0,4}配置还是|归功于|"
        r"(收益|业绩).{0,6}(来源|从哪)|where did .* returns? come from|selection or allocation", _I)),
    ("fund_overlap", re.compile(r"重叠|重合|重复持仓|持仓相似|overlap|common holdings|相似度", _I)),
    ("industry_exposure", re.compile(r"行业|板块|industr|sector|(?:医药|新能源|白酒|科技|银行|半导体|消费|地产|电子|食品|军工|"
                                     r"有色|煤炭|汽车|化工|传媒|通信|计算机|券商|光伏|医疗).{0,4}(?:占|仓位|敞口|比例)", _I)),
    ("lookthrough_portfolio", re.compile(
        r"穿透|底层|重仓股|持仓股|持有哪些股票|买了哪些股票|look[- ]?through|underlying|x[- ]?ray|"
        r"stock holdings|which stocks|top holdings|集中度|concentration|underneath|really own|what does .* own|"
        r"间接持有|底层资产|持有.{0,8}(股票|个股)|indirectly (?:own|hold)", _I)),
    ("retirement_plan", re.compile(r"退休|养老|retire|pension", _I)),
    ("allocation_review", re.compile(
        r"配置|再平衡|调仓|仓位|调一调|调整一下|体检|三笔钱|诊断|检视|资产结构|allocation|rebalanc|asset mix|check-?up|"
        r"portfolio review|model portfolio|"
        r"review (?:the |his |her )?portfolio|drift|"
        # whether cover is *needed* is a needs analysis (the protection pot), not a product search
        r"(?:需要|要不要|该不该|是否需要|够不够|足不足).{0,6}(?:保险|保障|应急)|(?:保险|保障).{0,4}(?:够不够|足不足|缺口)|"
        r"need (?:more |extra |additional )?(?:insurance|cover|protection)|enough (?:insurance|cover|protection)|"
        r"under-?insured|protection gap", _I)),
    ("book_scan", re.compile(
        r"我的客户|客户名单|哪些客户|所有客户|名下客户|全部客户|扫描|到期|闲置|预警|提醒|需要跟进|"
        r"my clients|my book|which clients|book scan|scan|maturing|idle cash|alerts?|follow[- ]?up list", _I)),
    ("portfolio_performance", re.compile(
        r"收益|盈亏|赚|亏|盈利|回报|表现|业绩|浮盈|浮亏|市值|xirr|twr|irr|时间加权|资金加权|return|p&l|pnl|profit|loss|performance|"
        r"gain|how (?:is|are|did|has|have) .* (?:doing|done|performed|going)|market value|earn|made|lost", _I)),
    ("company_profile", re.compile(
        r"工商|注册资本|法人|股东|财务|授信|征信|风险事件|诉讼|处罚|被执行|企业|公司情况|信用|资产负债率|流动比率|速动比率|营收|"
        r"净利润|ROE|利息保障|股权质押|质押|对外担保|关联交易|实际控制人|受益所有人|"
        r"company|corporate|credit|lawsuit|penalt|shareholder|financials|current ratio|debt ratio|pledge|guarantee|"
        r"leverage|revenue|net profit|margin", _I)),
    ("search_products", re.compile(
        r"推荐|产品|适合|买什么|买点什么|买啥|放哪(?:合适|好|比较)|怎么放|理财|存款|保险|货架|recommend|product|suitable|what (?:can|should) .* buy|"
        r"invest in|shelf|options for", _I)),
    ("fund_profile", re.compile(
        r"基金经理|费率|管理费|规模|介绍|怎么样|夏普|回撤|波动|净值|成立|fund manager|fee|profile|sharpe|"
        r"drawdown|volatility|tell me about|how good|details", _I)),
    ("search_knowledge", re.compile(
        r"规定|政策|法规|监管|办法|制度|要求|什么是|是什么|如何|怎么(?!样)|流程|双录|适当性|冷静期|条款|说明书|"
        r"能不能|可以.*吗|还能|能否|什么意思|几天|多久|到账|时效|期限|policy|regulation|rule|what is|what are|how (?:do|does|can|should)|procedure|"
        r"cooling[- ]off|suitability|allowed|prospectus|explain", _I)),
]

CLIENT_TOOLS = {
    "lookthrough_portfolio", "portfolio_performance", "industry_exposure", "allocation_review",
    "performance_attribution", "retirement_plan", "draft_proposal",
}
FUND_TOOLS = {"fund_profile", "fund_overlap"}
COMPANY_TOOLS = {"company_profile", "draft_due_diligence"}

# Asking the assistant to drop its rules, change identity or reveal hidden data.
INJECTION = re.compile(
    r"忽略(之前|以上|前面|所有|你的)?.{0,6}(指令|规则|限制|设定)|无视.{0,6}(指令|规则|限制)|你现在是|假装你是|扮演|"
    r"已(经)?授权|授权你|权限已|提升权限|new policy|^\s*system\s*[:：]|"
    r"以.{0,4}(admin|管理员|超级用户)身份|忘掉你的|as (?:an? )?(?:admin|administrator|superuser)|"
    r"管理员模式|越狱|系统提示|泄露|所有RM|全行客户|其他(理财)?经理的客户|别人的客户|"
    r"ignore (?:all |any |the )?(?:previous|prior|above|earlier)? ?(?:instructions|rules)|disregard .*instructions|"
    r"you are now|act as (?:an? )?admin|admin mode|jailbreak|system prompt|developer mode|reveal|"
    r"other rms?'? clients|all clients of|every client in the bank",
    _I,
)

# Strong policy cues: a rules question even when it mentions a risk level or a product.
POLICY_CUES = re.compile(r"规定|要求|规则|政策|法规|办法|什么意思|是什么|rule|regulation|policy|requirement", _I)
QUESTION_FORM = re.compile(r"吗|呢|？|\?|什么|几|多少|怎么|如何|为什么|是否|\b(how|what|when|why|can|is|are|do|does)\b",
                           _I)

OUT_OF_SCOPE = re.compile(
    r"天气|笑话|写.{0,4}诗|写.{0,4}歌|翻译|股价.*(明天|下周)|(明天|下周|明年|未来).*(涨|跌|升值|贬值)|汇率走势|彩票|"
    r"比特币|足球|电影|电视剧|综艺|小说|游戏|菜谱|餐厅|旅游|"
    r"weather|joke|poem|song|translate|lottery|bitcoin|football|movie|tv show|recipe|restaurant|"
    r"tomorrow.*(rise|fall|go up|go down)|"
    r"predict (?:the )?(?:market|price)",
    _I,
)


def intents_of(text: str) -> list[str]:
    """Tools whose keywords appear, in rule priority order."""
    return [tool for tool, pattern in RULES if pattern.search(text)]
