"""Table-driven tests of the entity grammar's slot extractors (one table per extractor)."""

from __future__ import annotations

import pytest

from assistant.offline.entities import (
    Entities,
    detect_lang,
    extract,
    parse_amount,
    parse_month,
    parse_period,
    parse_top_n,
)
from assistant.offline.lexicon import Lexicon
from assistant.offline.slots import EXTRACTORS

LEX = Lexicon(clients=(("C0018", "董雪"), ("C0001", "林辉静")),
              funds=(("008801", "华鼎沪深300ETF联接A", "Huading CSI 300 ETF Feeder A"),
                     ("515303", "星河新能源ETF", "Xinghe New Energy ETF")),
              companies=(("E006", "福建星河新能源科技股份有限公司", "913501002767445107"),))


@pytest.mark.parametrize(("text", "want"), [
    ("50万", 500_000.0), ("1.5亿", 150_000_000.0), ("2w闲钱", 20_000.0), ("15k", 15_000.0), ("一百多万现金", 1_000_000.0),
    ("三十万", 300_000.0), ("两千万", 20_000_000.0), ("2 million", 2_000_000.0), ("没有金额", None),
])
def test_amounts(text, want):
    assert parse_amount(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("今年以来收益", "ytd"), ("YTD", "ytd"), ("去年", "last_year"), ("last year", "last_year"), ("最近一年", "1y"),
    ("近一年", "1y"), ("近三年", "3y"), ("半年", "6m"), ("从买入到现在", "since_purchase"), ("持有以来", "since_purchase"),
    ("since 2024", "since:2024-01-01"), ("in the last year", "1y"), ("成立以来", "since_inception"), ("没有区间", None),
])
def test_periods(text, want):
    assert parse_period(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("资产前五的客户", 5), ("前5", 5), ("前十大重仓", 10), ("top 3 clients", 3), ("top five", 5), ("全部", None),
])
def test_top_n(text, want):
    assert parse_top_n(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("2026-08到期", "2026-08"), ("2026年8月到期", "2026-08"), ("下个月到期", "next"), ("本月到期", "this"),
    ("next month", "next"), ("到期", None),
])
def test_month(text, want):
    assert parse_month(text) == want


@pytest.mark.parametrize(("text", "spending", "age"), [
    ("林辉静想55岁退休 每个月花2万", 20_000.0, 55), ("月支出1.5万", 15_000.0, None), ("每月1万 58岁退", 10_000.0, 58),
    ("can C0001 retire at 60 spending 15k a month", 15_000.0, 60), ("15k monthly spending", 15_000.0, None),
    ("退休规划", None, None),
])
def test_monthly_spending_and_age(text, spending, age):
    ent = extract(text, LEX)
    assert (ent.monthly_spending, ent.retire_age) == (spending, age)


@pytest.mark.parametrize(("text", "want"), [
    ("林辉静总资产多少", "zh"), ("What is 林辉静's total AUM?", "en"), ("Tell me about 华鼎纯债债券A", "en"),
    ("does 福建华鼎精密机械股份有限公司 have lawsuits?", "en"), ("用英文回答：李桂总资产多少", "en"), ("C0001 XIRR", "en"),
    ("C0001的XIRR多少", "zh"), ("in Chinese please: C0001 overview", "zh"),
])
def test_reply_language(text, want):
    assert detect_lang(text) == want


@pytest.mark.parametrize(("text", "slot", "want"), [
    ("50万放一年买啥好", "horizon_days", 365), ("R3 for a 65-year-old", "horizon_days", None),
    ("a 3 year horizon", "horizon_days", 1095), ("放三个月", "horizon_days", 90), ("有没有货基", "asset_class", "cash"),
    ("推荐债基", "asset_class", "fixed_income"), ("R2的理财", "product_risk", "R2"), ("保守型客户", "product_risk", "R1"),
    ("亏损超过10%的客户", "loss_threshold", 0.1), ("30天内到期的客户", "within_days", 30),
    ("风险测评过期的客户", "rule", "assessment_expired"), ("2026-08到期的客户", "month", "2026-08"),
    ("给它做个开户尽调", "scenario", "account-opening"), ("建议书英文版", "doc_lang", "en"), ("导出word", "wants_file", True),
])
def test_slot_extractors(text, slot, want):
    assert EXTRACTORS[slot](text, extract(text, LEX), {}) == want


@pytest.mark.parametrize(("text", "by_name", "funds"), [
    ("星河新能源科技有没有诉讼", True, []),  # a company name never resolves as the fund sharing its brand
    ("福建星河新能源科技股份有限公司的股东", True, []),
    ("星河新能源ETF费率多少", False, ["515303"]),
])
def test_company_is_not_a_fund(text, by_name, funds):
    ent = extract(text, LEX)
    assert (ent.company_by_name, ent.fund_codes) == (by_name, funds)
    if by_name:
        assert ent.company == "E006"


def test_entities_default_is_empty():
    assert Entities().client_ids == [] and Entities().near_names == []
