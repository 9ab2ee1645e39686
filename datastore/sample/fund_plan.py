"""The fixed plan of the sample fund universe: who runs what, with which style and fees.

Each fund is a ``FundSpec``. ``style`` groups funds that share one stock-picking process, so funds of
the same manager overlap (manager-level concentration and overlap analyses need that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from datastore.sample.market import BOND_INDEX, EQUITY_INDEX


@dataclass(frozen=True)
class FundSpec:
    code: str
    name: str
    name_en: str
    type: str  # equity | hybrid | bond | money | index | qdii | fof | feeder
    company: str
    manager: str
    risk: str
    inception: date
    tilt: tuple[str, ...] = ()  # favoured Shenwan industries (active funds) or tracked index code (index)
    stock_share: float = 0.0
    bond_share: float = 0.0
    n_stocks: int = 0
    style: str = ""
    is_etf: bool = False
    target: str | None = None  # feeder → ETF code
    fof_mix: tuple[tuple[str, float], ...] = field(default_factory=tuple)


_FEES = {  # management, custody, subscription, redemption (fractions)
    "equity": (0.012, 0.002, 0.015, 0.005), "hybrid": (0.012, 0.002, 0.015, 0.005),
    "bond": (0.003, 0.001, 0.008, 0.001), "money": (0.0025, 0.0008, 0.0, 0.0),
    "index": (0.005, 0.001, 0.012, 0.005), "etf": (0.0015, 0.0005, 0.0, 0.0),
    "qdii": (0.015, 0.0025, 0.015, 0.005), "fof": (0.008, 0.002, 0.012, 0.005),
    "feeder": (0.005, 0.001, 0.012, 0.005),
}


def fees(spec: FundSpec) -> tuple[float, float, float, float]:
    return _FEES["etf" if spec.is_etf else spec.type]


D = date
FUNDS: list[FundSpec] = [
    # ---- equity (manager M001 runs E1, E2 and H1 with one style: manager concentration)
    FundSpec("001101", "华鼎消费升级股票A", "Huading Consumption Upgrade Equity A", "equity", "FC01", "M001", "R4",
             D(2015, 6, 18), ("801120", "801110", "801980"), 0.90, 0.0, 35, "M001"),
    FundSpec("001102", "华鼎品质生活股票", "Huading Quality Life Equity", "equity", "FC01", "M001", "R4",
             D(2018, 3, 9), ("801120", "801150", "801200"), 0.88, 0.0, 30, "M001"),
    FundSpec("001103", "东岳新能源产业股票", "Dongyue New Energy Industry Equity", "equity", "FC02", "M003", "R4",
             D(2016, 9, 1), ("801730", "801880", "801050"), 0.91, 0.0, 32, "M003"),
    FundSpec("001104", "南屏医疗健康股票", "Nanping Healthcare Equity", "equity", "FC03", "M005", "R4",
             D(2014, 11, 20), ("801150", "801980"), 0.89, 0.0, 30, "M005"),
    FundSpec("001105", "长泰科技创新股票", "Changtai Tech Innovation Equity", "equity", "FC04", "M007", "R4",
             D(2017, 5, 26), ("801080", "801750", "801770"), 0.90, 0.0, 40, "M007"),
    FundSpec("001106", "汇川价值精选股票", "Huichuan Value Select Equity", "equity", "FC05", "M009", "R4",
             D(2012, 8, 8), ("801780", "801790", "801160"), 0.87, 0.0, 35, "M009"),
    FundSpec("001107", "星河高端制造股票", "Xinghe High-end Manufacturing Equity", "equity", "FC06", "M011", "R4",
             D(2019, 1, 18), ("801890", "801740", "801880"), 0.90, 0.0, 38, "M011"),
    FundSpec("001108", "国泓周期优选股票", "Guohong Cyclical Select Equity", "equity", "FC07", "M013", "R4",
             D(2013, 4, 12), ("801950", "801050", "801040", "801030"), 0.88, 0.0, 30, "M013"),
    FundSpec("001109", "嘉禾数字经济股票", "Jiahe Digital Economy Equity", "equity", "FC08", "M015", "R4",
             D(2019, 7, 5), ("801750", "801760", "801770"), 0.91, 0.0, 35, "M015"),
    FundSpec("001110", "远澜红利低波股票", "Yuanlan Dividend Low-Vol Equity", "equity", "FC09", "M017", "R3",
             D(2016, 1, 15), ("801780", "801160", "801950", "801170"), 0.85, 0.05, 40, "M017"),
    FundSpec("001111", "明德均衡成长股票", "Mingde Balanced Growth Equity", "equity", "FC10", "M019", "R4",
             D(2011, 10, 20), (), 0.88, 0.0, 50, "M019"),
    FundSpec("001112", "永信先进制造股票", "Yongxin Advanced Manufacturing Equity", "equity", "FC11", "M021", "R4",
             D(2018, 11, 2), ("801730", "801890", "801080"), 0.90, 0.0, 35, "M021"),
    FundSpec("001113", "同舟大消费股票", "Tongzhou Grand Consumption Equity", "equity", "FC12", "M023", "R4",
             D(2015, 2, 6), ("801120", "801200", "801210"), 0.89, 0.0, 30, "M023"),
    FundSpec("001114", "东岳新能源车股票", "Dongyue New Energy Vehicle Equity", "equity", "FC02", "M003", "R4",
             D(2021, 2, 8), ("801880", "801730"), 0.92, 0.0, 28, "M003"),
    FundSpec("001115", "长泰半导体芯片股票", "Changtai Semiconductor Equity", "equity", "FC04", "M008", "R5",
             D(2020, 7, 15), ("801080",), 0.93, 0.0, 25, "M008"),
    # ---- hybrid
    FundSpec("002201", "华鼎成长混合", "Huading Growth Hybrid", "hybrid", "FC01", "M001", "R3",
             D(2010, 4, 28), ("801120", "801150"), 0.75, 0.15, 30, "M001"),
    FundSpec("002202", "东岳均衡配置混合", "Dongyue Balanced Allocation Hybrid", "hybrid", "FC02", "M004", "R3",
             D(2012, 3, 16), (), 0.60, 0.30, 40, "M004"),
    FundSpec("002203", "南屏稳健增长混合", "Nanping Steady Growth Hybrid", "hybrid", "FC03", "M006", "R3",
             D(2013, 9, 9), (), 0.50, 0.40, 30, "M006"),
    FundSpec("002204", "长泰灵活配置混合", "Changtai Flexible Allocation Hybrid", "hybrid", "FC04", "M007", "R3",
             D(2015, 5, 20), ("801080", "801890"), 0.65, 0.25, 30, "M007"),
    FundSpec("002205", "汇川优势企业混合", "Huichuan Leading Enterprises Hybrid", "hybrid", "FC05", "M010", "R3",
             D(2014, 7, 1), (), 0.70, 0.20, 35, "M010"),
    FundSpec("002206", "星河价值回报混合", "Xinghe Value Return Hybrid", "hybrid", "FC06", "M012", "R3",
             D(2016, 12, 2), ("801780", "801720"), 0.60, 0.30, 30, "M012"),
    FundSpec("002207", "国泓新兴产业混合", "Guohong Emerging Industries Hybrid", "hybrid", "FC07", "M013", "R4",
             D(2017, 8, 18), ("801730", "801080"), 0.78, 0.10, 30, "M013"),
    FundSpec("002208", "嘉禾医疗服务混合", "Jiahe Medical Services Hybrid", "hybrid", "FC08", "M016", "R4",
             D(2018, 4, 13), ("801150",), 0.78, 0.10, 25, "M016"),
    FundSpec("002209", "远澜消费红利混合", "Yuanlan Consumer Dividend Hybrid", "hybrid", "FC09", "M018", "R3",
             D(2019, 3, 22), ("801120",), 0.70, 0.20, 28, "M018"),
    FundSpec("002210", "明德科技先锋混合", "Mingde Tech Pioneer Hybrid", "hybrid", "FC10", "M020", "R4",
             D(2019, 10, 11), ("801750", "801080"), 0.80, 0.08, 30, "M020"),
    FundSpec("002211", "永信稳进回报混合", "Yongxin Steady Return Hybrid", "hybrid", "FC11", "M022", "R2",
             D(2016, 6, 6), (), 0.25, 0.68, 25, "M022"),
    FundSpec("002212", "同舟优选配置混合", "Tongzhou Select Allocation Hybrid", "hybrid", "FC12", "M024", "R3",
             D(2014, 2, 14), (), 0.62, 0.28, 35, "M024"),
    FundSpec("002213", "华鼎新能源混合", "Huading New Energy Hybrid", "hybrid", "FC01", "M002", "R4",
             D(2021, 6, 21), ("801730",), 0.85, 0.05, 25, "M002"),
    # ---- bond (tilt = which bond types)
    FundSpec("003301", "华鼎纯债债券A", "Huading Pure Bond A", "bond", "FC01", "M002", "R2", D(2013, 5, 17),
             ("government", "policy_bank", "credit"), 0.0, 0.95),
    FundSpec("003302", "东岳信用增利债券", "Dongyue Credit Enhanced Bond", "bond", "FC02", "M004", "R2", D(2012, 11, 9),
             ("credit",), 0.0, 0.94),
    FundSpec("003303", "南屏短债债券", "Nanping Short-term Bond", "bond", "FC03", "M006", "R2", D(2018, 8, 10),
             ("policy_bank", "credit"), 0.0, 0.90),
    FundSpec("003304", "长泰利率债债券", "Changtai Rates Bond", "bond", "FC04", "M008", "R2", D(2017, 2, 24),
             ("government", "policy_bank"), 0.0, 0.96),
    FundSpec("003305", "汇川双债增强债券", "Huichuan Dual Bond Enhanced", "bond", "FC05", "M010", "R3", D(2015, 9, 25),
             ("credit", "convertible"), 0.0, 0.93),
    FundSpec("003306", "星河中短债债券", "Xinghe Short-Mid Bond", "bond", "FC06", "M012", "R2", D(2019, 5, 31),
             ("policy_bank", "credit"), 0.0, 0.92),
    FundSpec("003307", "国泓可转债债券", "Guohong Convertible Bond", "bond", "FC07", "M014", "R3", D(2016, 3, 11),
             ("convertible", "credit"), 0.0, 0.90),
    FundSpec("003308", "嘉禾稳健收益债券", "Jiahe Steady Income Bond", "bond", "FC08", "M016", "R2", D(2014, 10, 24),
             ("government", "credit"), 0.0, 0.95),
    FundSpec("003309", "远澜安心纯债债券", "Yuanlan Peace-of-mind Pure Bond", "bond", "FC09", "M018", "R2", D(2020, 4, 17),
             ("policy_bank", "government"), 0.0, 0.95),
    FundSpec("003310", "明德增强回报债券", "Mingde Enhanced Return Bond", "bond", "FC10", "M020", "R2", D(2013, 1, 25),
             ("credit", "policy_bank"), 0.0, 0.94),
    # ---- money market
    FundSpec("004401", "华鼎货币A", "Huading Money Market A", "money", "FC01", "M002", "R1", D(2012, 1, 6)),
    FundSpec("004402", "东岳现金宝货币", "Dongyue Cash Treasure Money Market", "money", "FC02", "M004", "R1", D(2013, 6, 14)),
    FundSpec("004403", "汇川天天利货币", "Huichuan Daily Profit Money Market", "money", "FC05", "M010", "R1", D(2014, 3, 21)),
    FundSpec("004404", "星河货币A", "Xinghe Money Market A", "money", "FC06", "M012", "R1", D(2015, 8, 7)),
    FundSpec("004405", "嘉禾日日盈货币", "Jiahe Daily Gain Money Market", "money", "FC08", "M016", "R1", D(2016, 11, 11)),
    # ---- index (tilt = tracked index code); ETFs are index funds with is_etf
    FundSpec("515301", "华鼎沪深300ETF", "Huading CSI 300 ETF", "index", "FC01", "M002", "R4", D(2012, 5, 4),
             (EQUITY_INDEX,), 0.99, style="index", is_etf=True),
    FundSpec("005501", "东岳沪深300指数A", "Dongyue CSI 300 Index A", "index", "FC02", "M004", "R4", D(2014, 4, 25),
             (EQUITY_INDEX,), 0.95, style="index"),
    FundSpec("515302", "长泰医药ETF", "Changtai Pharma ETF", "index", "FC04", "M008", "R4", D(2019, 8, 23),
             ("801150",), 0.99, style="index", is_etf=True),
    FundSpec("515303", "星河新能源ETF", "Xinghe New Energy ETF", "index", "FC06", "M011", "R4", D(2019, 11, 29),
             ("801730",), 0.99, style="index", is_etf=True),
    FundSpec("005502", "汇川银行指数", "Huichuan Bank Index", "index", "FC05", "M009", "R3", D(2015, 6, 5),
             ("801780",), 0.95, style="index"),
    FundSpec("515304", "嘉禾电子ETF", "Jiahe Electronics ETF", "index", "FC08", "M015", "R4", D(2020, 9, 18),
             ("801080",), 0.99, style="index", is_etf=True),
    FundSpec("005503", "远澜食品饮料指数(LOF)", "Yuanlan Food & Beverage Index LOF", "index", "FC09", "M017", "R4",
             D(2015, 5, 15), ("801120",), 0.95, style="index"),
    FundSpec("005504", "明德通信指数", "Mingde Telecom Index", "index", "FC10", "M019", "R4", D(2021, 9, 3),
             ("801770",), 0.95, style="index"),
    # ---- QDII (foreign stocks; tilt = market)
    FundSpec("006601", "华鼎全球科技QDII", "Huading Global Tech QDII", "qdii", "FC01", "M001", "R5", D(2017, 12, 8),
             ("US",), 0.90, n_stocks=8, style="Q1"),
    FundSpec("006602", "南屏恒生互联网QDII", "Nanping Hang Seng Internet QDII", "qdii", "FC03", "M005", "R4",
             D(2018, 6, 22), ("HK",), 0.90, n_stocks=8, style="Q2"),
    FundSpec("006603", "汇川全球精选QDII", "Huichuan Global Select QDII", "qdii", "FC05", "M009", "R4", D(2023, 2, 10),
             ("US", "HK"), 0.88, n_stocks=14, style="Q3"),
    FundSpec("006604", "明德全球医疗QDII", "Mingde Global Healthcare QDII", "qdii", "FC10", "M019", "R4", D(2016, 7, 29),
             ("US", "HK"), 0.88, n_stocks=10, style="Q4"),
    # ---- FOF (fof_mix: target weights in other funds)
    FundSpec("007701", "华鼎养老目标2035三年持有FOF", "Huading Target 2035 FOF", "fof", "FC01", "M002", "R3",
             D(2020, 8, 3), fof_mix=(("001101", 0.15), ("002201", 0.20), ("515301", 0.15), ("003301", 0.30),
                                      ("004401", 0.10))),
    FundSpec("007702", "东岳稳健养老FOF", "Dongyue Steady Pension FOF", "fof", "FC02", "M004", "R2", D(2019, 9, 20),
             fof_mix=(("002202", 0.15), ("003302", 0.35), ("003304", 0.30), ("005501", 0.10))),
    FundSpec("007703", "星河积极配置FOF", "Xinghe Active Allocation FOF", "fof", "FC06", "M012", "R4", D(2019, 12, 6),
             fof_mix=(("001107", 0.25), ("001105", 0.20), ("001103", 0.20), ("002207", 0.15), ("003306", 0.10))),
    FundSpec("007704", "嘉禾安盈FOF", "Jiahe Anying FOF", "fof", "FC08", "M016", "R3", D(2018, 12, 14),
             fof_mix=(("002208", 0.15), ("001109", 0.15), ("003308", 0.35), ("002203", 0.15), ("004405", 0.10))),
    # ---- ETF feeders (联接基金): ~95% in the target ETF
    FundSpec("008801", "华鼎沪深300ETF联接A", "Huading CSI 300 ETF Feeder A", "feeder", "FC01", "M002", "R4",
             D(2013, 3, 15), target="515301"),
    FundSpec("008802", "长泰医药ETF联接A", "Changtai Pharma ETF Feeder A", "feeder", "FC04", "M008", "R4",
             D(2019, 12, 20), target="515302"),
    FundSpec("008803", "星河新能源ETF联接A", "Xinghe New Energy ETF Feeder A", "feeder", "FC06", "M011", "R4",
             D(2020, 3, 13), target="515303"),
    FundSpec("008804", "嘉禾电子ETF联接A", "Jiahe Electronics ETF Feeder A", "feeder", "FC08", "M015", "R4",
             D(2021, 1, 22), target="515304"),
]

# Fund corporate actions (ex-date on or after the given date; first trading day used).
DIVIDENDS: dict[str, list[tuple[str, float]]] = {  # code → [(date, cash per unit)]
    "003301": [("2021-01-15", 0.030), ("2022-01-14", 0.025), ("2023-01-13", 0.030), ("2024-01-12", 0.028),
               ("2025-01-10", 0.030), ("2026-01-09", 0.025)],
    "003302": [("2021-06-18", 0.040), ("2023-06-16", 0.035), ("2025-06-13", 0.030)],
    "003308": [("2022-03-18", 0.020), ("2024-03-15", 0.020)],
    "002201": [("2021-03-05", 0.150), ("2025-03-07", 0.080)],
    "001110": [("2023-12-15", 0.060), ("2024-12-13", 0.065), ("2025-12-12", 0.070)],
    "002211": [("2022-11-18", 0.020), ("2024-11-15", 0.025)],
}
SPLITS: dict[str, list[str]] = {  # code → dates where unit NAV is reset to 1.0000 (份额折算)
    "005501": ["2021-02-05"],
    "515303": ["2021-11-19"],
    "005503": ["2021-02-10"],
}

BENCHMARK_BOND = BOND_INDEX
