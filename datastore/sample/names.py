"""Fixed name material for the fictional sample book (industries, firms, people)."""

from __future__ import annotations

# Shenwan 2021 level-1: (code, 中文名, English name, beta to the market factor)
INDUSTRIES: list[tuple[str, str, str, float]] = [
    ("801010", "农林牧渔", "Agriculture, Forestry, Livestock & Fishery", 0.85),
    ("801030", "基础化工", "Basic Chemicals", 1.10),
    ("801040", "钢铁", "Steel", 1.05),
    ("801050", "有色金属", "Non-ferrous Metals", 1.25),
    ("801080", "电子", "Electronics", 1.25),
    ("801880", "汽车", "Automobiles", 1.10),
    ("801110", "家用电器", "Household Appliances", 0.95),
    ("801120", "食品饮料", "Food & Beverage", 0.95),
    ("801130", "纺织服饰", "Textiles & Apparel", 0.90),
    ("801140", "轻工制造", "Light Manufacturing", 0.95),
    ("801150", "医药生物", "Pharmaceuticals & Biotechnology", 0.90),
    ("801160", "公用事业", "Utilities", 0.70),
    ("801170", "交通运输", "Transportation", 0.80),
    ("801180", "房地产", "Real Estate", 1.00),
    ("801200", "商贸零售", "Commerce & Retail", 0.90),
    ("801210", "社会服务", "Social Services", 1.00),
    ("801780", "银行", "Banks", 0.65),
    ("801790", "非银金融", "Non-bank Financials", 1.20),
    ("801230", "综合", "Conglomerates", 0.95),
    ("801710", "建筑材料", "Building Materials", 1.00),
    ("801720", "建筑装饰", "Construction & Engineering", 0.85),
    ("801730", "电力设备", "Power Equipment", 1.30),
    ("801890", "机械设备", "Machinery & Equipment", 1.10),
    ("801740", "国防军工", "Defence & Military", 1.20),
    ("801750", "计算机", "Computers", 1.30),
    ("801760", "传媒", "Media", 1.20),
    ("801770", "通信", "Telecommunications", 1.15),
    ("801950", "煤炭", "Coal", 0.90),
    ("801960", "石油石化", "Petroleum & Petrochemicals", 0.80),
    ("801970", "环保", "Environmental Protection", 0.90),
    ("801980", "美容护理", "Beauty & Personal Care", 1.00),
]

# Word pools: stock name = prefix + industry suffix (checked unique by the generator).
NAME_PREFIXES = [
    "华鼎", "金源", "恒通", "中汇", "东方", "远望", "新宇", "宏达", "鑫达", "安泰", "瑞丰", "天衡", "国盛", "永信",
    "正元", "明德", "海川", "长河", "云峰", "博远", "嘉禾", "盛世", "凯盛", "通达", "晨光", "联创", "华信", "立方",
    "锦程", "汇川", "北辰", "南岭", "星河", "同舟", "众合", "德润", "富阳", "和光", "启明", "思源",
]
INDUSTRY_SUFFIXES: dict[str, list[str]] = {
    "801010": ["农业", "种业", "牧业", "渔业", "农发"], "801030": ["化工", "化学", "新材", "化纤", "氟化"],
    "801040": ["钢铁", "特钢", "钢管", "金属", "钢业"], "801050": ["矿业", "铝业", "锂业", "铜业", "稀土"],
    "801080": ["电子", "微电", "光电", "芯片", "精密"], "801880": ["汽车", "汽配", "动力", "车桥", "智行"],
    "801110": ["电器", "家电", "厨电", "空调", "照明"], "801120": ["酒业", "食品", "乳业", "饮品", "调味"],
    "801130": ["纺织", "服饰", "家纺", "鞋业", "时装"], "801140": ["纸业", "家居", "包装", "文具", "轻工"],
    "801150": ["医药", "生物", "制药", "医疗", "药业"], "801160": ["电力", "水务", "燃气", "能源", "热电"],
    "801170": ["物流", "航运", "港口", "高速", "快运"], "801180": ["地产", "置业", "物业", "发展", "城建"],
    "801200": ["商业", "百货", "超市", "贸易", "商城"], "801210": ["旅游", "酒店", "教育", "餐饮", "文旅"],
    "801780": ["银行", "农商行", "商行", "信合", "村镇行"], "801790": ["证券", "保险", "信托", "期货", "租赁"],
    "801230": ["控股", "实业", "集团", "投资", "综合"], "801710": ["水泥", "建材", "玻璃", "管业", "石材"],
    "801720": ["建工", "路桥", "装饰", "设计", "建设"], "801730": ["电气", "新能", "光伏", "电池", "风电"],
    "801890": ["机械", "重工", "机床", "装备", "智控"], "801740": ["航天", "航空", "军工", "防务", "船舶"],
    "801750": ["软件", "信息", "科技", "数据", "智能"], "801760": ["传媒", "影视", "游戏", "出版", "文化"],
    "801770": ["通信", "光网", "移动", "网络", "电讯"], "801950": ["煤业", "能化", "焦煤", "矿能", "煤电"],
    "801960": ["石化", "油服", "石油", "炼化", "燃料"], "801970": ["环保", "环境", "水处理", "节能", "再生"],
    "801980": ["美妆", "护理", "日化", "医美", "个护"],
}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN_CHARS = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力健宁颖晨欣怡浩宇婷雪琳思远博")

FUND_COMPANIES: list[tuple[str, str, str]] = [
    ("FC01", "华鼎基金管理有限公司", "Huading Fund Management Co., Ltd."),
    ("FC02", "东岳基金管理有限公司", "Dongyue Fund Management Co., Ltd."),
    ("FC03", "南屏基金管理有限公司", "Nanping Fund Management Co., Ltd."),
    ("FC04", "长泰基金管理有限公司", "Changtai Fund Management Co., Ltd."),
    ("FC05", "汇川基金管理有限公司", "Huichuan Fund Management Co., Ltd."),
    ("FC06", "星河基金管理有限公司", "Xinghe Fund Management Co., Ltd."),
    ("FC07", "国泓基金管理有限公司", "Guohong Fund Management Co., Ltd."),
    ("FC08", "嘉禾基金管理有限公司", "Jiahe Fund Management Co., Ltd."),
    ("FC09", "远澜基金管理有限公司", "Yuanlan Fund Management Co., Ltd."),
    ("FC10", "明德基金管理有限公司", "Mingde Fund Management Co., Ltd."),
    ("FC11", "永信基金管理有限公司", "Yongxin Fund Management Co., Ltd."),
    ("FC12", "同舟基金管理有限公司", "Tongzhou Fund Management Co., Ltd."),
]

BRANCHES = ["福州鼓楼支行", "福州台江支行", "厦门思明支行", "泉州丰泽支行", "福州仓山支行"]
OCCUPATIONS = ["企业职员", "公务员", "教师", "医生", "个体工商户", "企业主", "工程师", "退休", "自由职业", "金融从业者"]
# Resident-ID region codes (Fujian) used for synthetic ID numbers.
REGION_CODES = ["350102", "350103", "350104", "350105", "350203", "350206", "350502", "350503", "350121"]
