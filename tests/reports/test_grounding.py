"""Grounding verifier: what counts as a figure, and unit-aware matching against tool results."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import BaseModel

from analytics.errors import GroundingError
from reports.grounding import extract_numbers, fact_values, require_grounded, verify


def texts(s: str) -> list[str]:
    return [m.text for m in extract_numbers(s)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("收益率12.34%", ["12.34%"]),
        ("亏损-5.6%", ["-5.6%"]),
        ("市值1,234,567.89元", ["1,234,567.89元"]),
        ("约12.35万元", ["12.35万元"]),
        ("授信1.5亿", ["1.5亿"]),
        ("利息保障3.2倍", ["3.2倍"]),
        ("相关系数0.85", ["0.85"]),
        ("全角１２．５％", ["12.5%"]),
        ("ROE up 30bp to 3.2x, revenue 1.2 million", ["30bp", "3.2x", "1.2 million"]),
        ("上升2.3个百分点", ["2.3个百分点"]),
        ("应收账款周转天数45天", ["45"]),
    ],
)
def test_figures_are_extracted(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "客户C0001，理财经理RM001，风险等级C4，产品R3",
        "基金000001和110011",
        "数据截至2025年6月30日，2025-06-30，2025/6/30，2025.06.30",
        "2024年报，6月末，12月31日",
        "as of June 30, 2025 and 30 June 2025; in 2024",
        "近3年、过去12个月、最近6个月、未来12个月、3年期",
        "第3条，前20大重仓，Top 20 holdings, a 12-month window",
        "600519.SH，T+1到账，FY2024",
        "持有3只基金，共5个产品。1. 2. 参见[12]",
        "身份证110101199001011234",
        "交易时间 9:30 至 15:00，14:05:00 成交",
        "依据 GB 32100-2015 校验",
    ],
)
def test_non_figures_are_ignored(text: str) -> None:
    assert texts(text) == []


def test_range_dash_is_not_a_minus_sign() -> None:
    ms = extract_numbers("区间12%-15%")
    assert [(m.value, m.signed) for m in ms] == [(12.0, False), (15.0, False)]


def test_decimal_after_four_digits_is_not_a_date() -> None:
    assert texts("余额2025.56元") == ["2025.56元"]


class TestMatching:
    def test_fraction_to_percent(self) -> None:
        assert verify("收益率12.34%", {"r": 0.1234}) == []
        assert verify("收益率12.3%", {"r": 0.1234}) == []  # rounds at the displayed decimals
        assert verify("收益率12%", {"r": 0.1234}) == []
        assert verify("收益率12.4%", {"r": 0.1234}) == ["12.4%"]

    def test_percent_fact_already_in_percent(self) -> None:
        assert verify("占比35.2%", {"pct": 35.21}) == []

    def test_yuan_to_wan_and_yi(self) -> None:
        facts = {"mv": 123456.0, "limit": 150_000_000.0}
        assert verify("市值12.35万元，额度1.5亿元，市值123,456元", facts) == []
        assert verify("市值12.36万元", facts) == ["12.36万元"]
        assert verify("市值12万", facts) == []

    def test_rounding_boundary(self) -> None:
        assert verify("12.35万", {"mv": 123450.0}) == []  # exactly half rounds either way
        assert verify("12.35万", {"mv": 123549.0}) == []
        assert verify("12.35万", {"mv": 123551.0}) == ["12.35万"]

    def test_sign_convention(self) -> None:
        facts = {"pnl": -0.056}
        assert verify("亏损5.6%", facts) == []  # direction in words, absolute value matches
        assert verify("收益-5.6%", facts) == []
        assert verify("收益+5.6%", facts) == ["+5.6%"]  # explicit sign must agree
        assert verify("收益-5.6%", {"r": 0.056}) == ["-5.6%"]

    def test_times_and_plain(self) -> None:
        assert verify("利息保障3.2倍，流动比率1.85", {"icr": 3.1987, "cr": 1.8514}) == []
        assert verify("流动比率1.86", {"cr": 1.8514}) == ["1.86"]

    def test_plain_number_is_not_scaled(self) -> None:
        # a plain 12.34 is not the fraction 0.1234 shown as a percent
        assert verify("指标12.34", {"r": 0.1234}) == ["12.34"]

    def test_basis_points_and_points(self) -> None:
        assert verify("上升30bp，即0.3个百分点", {"d": 0.003}) == []

    def test_facts_are_walked_deeply(self) -> None:
        class M(BaseModel):
            v: float

        facts = {
            "a": [1, {"b": (M(v=0.25),)}],
            "s": "余额12.35万",
            "n": np.float64(7.5),
            "arr": np.array([99.5]),
        }
        values = fact_values(facts)
        assert 0.25 in values and 123500.0 in values and 7.5 in values and 99.5 in values
        assert verify("25%，12.35万，7.5，99.5", facts) == []

    def test_fact_strings_in_percent(self) -> None:
        assert verify("收益率12.34%", {"text": "年化12.34%"}) == []

    def test_booleans_and_dates_are_not_facts(self) -> None:
        assert fact_values({"ok": True, "flag": False}).size == 0

    def test_duplicates_reported_once_in_order(self) -> None:
        assert verify("99.9% 然后 88.8% 再 99.9%", {}) == ["99.9%", "88.8%"]

    def test_empty_facts(self) -> None:
        assert verify("没有数字", {}) == []
        assert verify("收益12.5%", None) == ["12.5%"]


def test_require_grounded_raises_listing_numbers() -> None:
    with pytest.raises(GroundingError) as err:
        require_grounded("收益率23.45%，市值12.35万", {"mv": 123456.0}, what="narrative")
    assert err.value.ungrounded == ["23.45%"]
    assert "23.45%" in str(err.value)
    require_grounded("市值12.35万", {"mv": 123456.0})
