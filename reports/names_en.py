"""Stored Chinese names and codes shown in English documents.

Order of preference: an English name the data or a standard provides (Shenwan industries, banks, facility
and guarantee types, occupations, the sample's risk-event texts); else a rendering built from parts for
names with a known structure (``<place><brand><business><legal form>`` companies, ``<city><district>支行``
branches, addresses, fund benchmarks); else — people and names we cannot render — the Chinese name
followed by a descriptor (``陈建华 (Chen Jianhua)``: the pinyin for a person, a kind for anything else), so
the reader can still match it against the registry. Pure functions, no data access.
"""

from __future__ import annotations

import functools
import re

from pypinyin import lazy_pinyin

SW_INDUSTRIES = {
    "农林牧渔": "Agriculture, Forestry, Livestock & Fishery", "基础化工": "Basic Chemicals", "钢铁": "Steel",
    "有色金属": "Non-ferrous Metals", "电子": "Electronics", "汽车": "Automobiles", "家用电器": "Household Appliances",
    "食品饮料": "Food & Beverage", "纺织服饰": "Textiles & Apparel", "轻工制造": "Light Manufacturing",
    "医药生物": "Pharmaceuticals & Biotechnology", "公用事业": "Utilities", "交通运输": "Transportation",
    "房地产": "Real Estate", "商贸零售": "Commerce & Retail", "社会服务": "Social Services", "银行": "Banks",
    "非银金融": "Non-bank Financials", "综合": "Conglomerates", "建筑材料": "Building Materials",
    "建筑装饰": "Construction & Engineering", "电力设备": "Power Equipment", "机械设备": "Machinery & Equipment",
    "国防军工": "Defence & Military", "计算机": "Computers", "传媒": "Media", "通信": "Telecommunications",
    "煤炭": "Coal", "石油石化": "Petroleum & Petrochemicals", "环保": "Environmental Protection",
    "美容护理": "Beauty & Personal Care",
}
FIXED = {
    # banks and the facility table
    "本行": "our bank", "中国工商银行": "ICBC", "招商银行": "China Merchants Bank", "兴业银行": "Industrial Bank",
    "福建海峡银行": "Fujian Haixia Bank", "中国银行": "Bank of China", "中国建设银行": "China Construction Bank",
    "流动资金贷款": "working-capital loan", "固定资产贷款": "fixed-asset loan", "银行承兑汇票": "bank acceptance bill",
    "保证（控股股东连带责任）": "joint guarantee of the controlling shareholder",
    "抵押（厂房土地）": "mortgage (plant and land)", "质押（存单）": "pledge (certificate of deposit)",
    "正常": "normal", "关注": "special mention", "次级": "substandard", "可疑": "doubtful", "损失": "loss",
    "存续": "active", "在业": "active", "注销": "deregistered", "吊销": "licence revoked",
    # risk events of the sample data
    "起诉客户追讨应收账款": "lawsuit against a customer to recover receivables",
    "买卖合同纠纷，供应商起诉追讨货款": "sales-contract dispute: a supplier sued for unpaid goods",
    "控股股东股权质押": "controlling shareholder pledged its shares",
    "被列为被执行人（金融借款合同纠纷）": "listed as a judgment debtor (financial loan contract dispute)",
    "被列入失信被执行人名单：有履行能力而拒不履行生效法律文书确定义务":
        "listed as a dishonest judgment debtor: able to perform but refused to comply with a final judgment",
    "未按规定公示年度报告，列入经营异常名录": "annual report not published: listed as operating abnormally",
    "环保行政处罚：超标排放": "environmental penalty: emissions above the standard",
    # occupations
    "金融从业者": "financial professional", "教师": "teacher", "退休": "retired", "公务员": "civil servant",
    "企业职员": "company employee", "医生": "doctor", "企业主": "business owner", "自由职业": "freelancer",
    "工程师": "engineer", "个体工商户": "self-employed trader",
    # look-through cash lines
    "银行存款": "Bank deposits", "买入返售金融资产": "Reverse repurchase agreements",
    "同业存单(3个月)": "Interbank certificates of deposit (3 months)", "结算备付金": "Settlement reserves",
}
_FORMS = [  # legal-form suffixes, longest first
    ("国有资本投资运营有限公司", "State-owned Capital Investment & Operation Co., Ltd."),
    ("投资合伙企业(有限合伙)", "Investment Partnership (LP)"), ("投资合伙企业（有限合伙）", "Investment Partnership (LP)"),
    ("基金管理有限公司", "Fund Management Co., Ltd."), ("理财有限责任公司", "Wealth Management Co., Ltd."),
    ("人寿保险股份有限公司", "Life Insurance Co., Ltd."), ("股份有限公司", "Co., Ltd."),
    ("有限责任公司", "Co., Ltd."), ("有限公司", "Co., Ltd."),
]
_BUSINESS = [  # what a company does, matched at the end of the name's middle part, longest first
    ("软件信息技术", "Software & Information Technology"), ("新能源科技", "New Energy Technology"),
    ("环保科技", "Environmental Technology"), ("光电科技", "Optoelectronic Technology"),
    ("精密机械", "Precision Machinery"), ("农业发展", "Agricultural Development"), ("纺织服饰", "Textiles & Apparel"),
    ("精细化工", "Fine Chemicals"), ("建工集团", "Construction Group"), ("钢铁", "Steel"), ("食品", "Foods"),
    ("软件信息", "Software & Information"), ("建工", "Construction"), ("环保", "Environmental Protection"),
    ("光电", "Optoelectronics"), ("纺织", "Textiles"), ("农业", "Agriculture"), ("新能源", "New Energy"),
    ("鞋业", "Footwear"), ("置业", "Real Estate"), ("物流", "Logistics"), ("化工", "Chemicals"), ("科技", "Technology"),
    ("集团", "Group"), ("实业", "Industrial"), ("贸易", "Trading"), ("投资", "Investment"),
]
_PROVINCE = {"福建省": "Fujian", "福建": "Fujian"}
_CITIES = ("福州", "厦门", "泉州", "漳州", "莆田", "三明", "南平", "龙岩", "宁德", "福建")
_BENCHMARK = [
    ("沪深300指数收益率", "CSI 300 index return"), ("中债综合财富(总值)指数收益率", "ChinaBond Composite Wealth index return"),
    ("中债综合指数收益率", "ChinaBond Composite index return"), ("银行活期存款利率(税后)", "bank demand-deposit rate (after tax)"),
    ("七天通知存款利率(税后)", "7-day call deposit rate (after tax)"), ("指数收益率", " index return"), ("申万", "Shenwan "),
]
_CJK = re.compile(r"[\u3400-\u9fff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def pinyin(text: str) -> str:
    """Title-cased pinyin without tones, syllables of one word joined (``锦程`` → ``Jincheng``)."""
    return "".join(lazy_pinyin(text)).capitalize() if text else ""


def person(name: str) -> str:
    """``陈建华`` → ``陈建华 (Chen Jianhua)``: the registered name, then how to say it."""
    if not has_cjk(name) or len(name) > 4:
        return name
    syl = lazy_pinyin(name)
    surname, given = (syl[:2], syl[2:]) if len(name) == 4 else (syl[:1], syl[1:])
    return f"{name} ({''.join(surname).capitalize()} {''.join(given).capitalize()})".replace(" )", ")")


def _place(text: str) -> tuple[str, str]:
    """Leading province/city words of a name → (English, rest)."""
    parts = []
    for zh, en in _PROVINCE.items():
        if text.startswith(zh) and not text.startswith("福建市"):
            parts.append(en)
            text = text[len(zh):]
            break
    for city in _CITIES:
        if text.startswith(city):
            parts.append(pinyin(city))
            text = text[len(city):].removeprefix("市")
            break
    return " ".join(parts), text


def company(name: str) -> str | None:
    """``龙岩锦程环保科技有限公司`` → ``Longyan Jincheng Environmental Technology Co., Ltd.``; None when the
    name has no legal-form suffix we know."""
    for suffix, form in _FORMS:
        if name.endswith(suffix):
            place, middle = _place(name[: -len(suffix)])
            business = ""
            for zh, en in _BUSINESS:
                if middle.endswith(zh):
                    business, middle = en, middle[: -len(zh)]
                    break
            brand = pinyin(middle) if has_cjk(middle) else middle
            return " ".join(p for p in (place, brand, business, form) if p)
    return None


def branch(name: str) -> str | None:
    """``中国工商银行福州分行`` → ``ICBC Fuzhou Branch``; ``福州鼓楼支行`` → ``Fuzhou Gulou Sub-branch``."""
    m = re.fullmatch(r"(.*?)([\u4e00-\u9fff]{2})(分行|支行)", name)
    if not m:
        return None
    bank, place, kind = m.groups()
    label = "Branch" if kind == "分行" else "Sub-branch"
    if not bank or bank in _CITIES:  # an RM's branch: city + district
        city = next((c for c in _CITIES if name.startswith(c)), None)
        if city is None:
            return None
        return f"{pinyin(city)} {pinyin(name[len(city):-2])} {label}"
    bank_en = FIXED.get(bank)
    if bank_en is None:
        city = next((c for c in _CITIES if bank.endswith(c)), None)
        if city is None or FIXED.get(bank[: -len(city)]) is None:
            return None
        bank_en, place = FIXED[bank[: -len(city)]], city + place
    return f"{bank_en} {pinyin(place)} {label}"


def address(text: str) -> str | None:
    """``福建省龙岩市高新区创业路204号`` → ``204 Chuangye Road, High-tech Zone, Longyan, Fujian``."""
    m = re.fullmatch(r"(福建省)?([\u4e00-\u9fff]{2})市(高新区)?([\u4e00-\u9fff]+?)路(\d+)号", text)
    if not m:
        return None
    province, city, zone, road, no = m.groups()
    parts = [f"{no} {pinyin(road)} Road"] + (["High-tech Zone"] if zone else []) + [pinyin(city)]
    return ", ".join(parts + (["Fujian"] if province else []))


def business_scope(text: str) -> str | None:
    """The sample's templated scope: ``<X>相关产品的研发、生产与销售；货物及技术进出口（…）``."""
    m = re.fullmatch(r"(.+?)相关产品的研发、生产与销售；货物及技术进出口（依法须经批准的项目，经相关部门批准后方可开展经营活动）。",
                     text)
    if not m:
        return None
    subject = company(m.group(1) + "有限公司")
    subject = (subject or m.group(1)).removesuffix(" Co., Ltd.")
    return (f"research, development, production and sale of {subject} products; import and export of goods and "
            "technology (activities that require approval only once approved by the authorities).")


def benchmark(text: str) -> str | None:
    if not any(zh in text for zh, _ in _BENCHMARK):
        return None
    out = text
    for zh, en in _BENCHMARK:
        out = out.replace(zh, en)
    out = out.replace("×", " × ").replace("+", " + ").replace("  ", " ").strip()
    return None if has_cjk(out) else out


@functools.lru_cache(maxsize=4096)
def english(text: str, kind: str = "") -> str:
    """``text`` for an English document. ``kind`` says what it is when it matters (``person``, ``stock``,
    ``bond``, ``company``) and is the descriptor of last resort. Names the data has in English (funds,
    fund companies) are looked up by the caller first (``Translator``)."""
    if not text or not has_cjk(text):
        return text
    if text in FIXED:
        return FIXED[text]
    if text in SW_INDUSTRIES:
        return SW_INDUSTRIES[text]
    if kind == "person":
        return person(text)
    for render in (company, branch, address, business_scope, benchmark):
        out = render(text)
        if out:
            return out
    star = text.removeprefix("★ ").removeprefix("★")
    if star != text:
        return "★ " + english(star, kind)
    if kind in ("", "person") and 2 <= len(text) <= 3 and all(_CJK.match(ch) for ch in text):
        return person(text)  # a bare 2-3 character name in a holder/manager field is a person
    descriptor = {"stock": "stock", "bond": "bond", "company": "company"}.get(kind, kind or "name")
    if kind == "stock":  # a short stock name reads as two-character words: 和光芯片 → Heguang Xinpian
        descriptor = " ".join(pinyin(text[i:i + 2]) for i in range(0, len(text), 2))
    return f"{text} ({descriptor})"


class Translator:
    """``english`` with the English names the data holds (``{chinese: english}``) taking precedence."""

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self.known = dict(known or {})

    def __call__(self, text: object, kind: str = "") -> str:
        s = "" if text is None else str(text)
        return self.known.get(s) or english(s, kind)
