"""Offline answers speak the question's language: enum values and analytics reasons are worded from
``prompts/<lang>/answer_values.md`` / ``answer_reasons.md``, and no figure changes in the process.

The four questions are the ones that used to leak English into Chinese answers (book scan, allocation
review, look-through, performance), asked through ``ask()`` on the sample book.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from assistant.access import Caller
from assistant.agent import ask
from assistant.offline.compose import _values, compose, fmt_value
from prompts.loader import sections
from reports.grounding import _BASE, extract_numbers, verify

QUESTIONS = {  # tool → (zh question, en question); both route to the same tool and arguments
    "book_scan": ("扫描一下我的客户名单有什么风险", "scan my book for risks"),
    "allocation_review": ("C0004的配置和目标比怎么样", "how does C0004's allocation compare with its target"),
    "lookthrough_portfolio": ("C0001的组合穿透一下", "look through C0001's portfolio"),
    "portfolio_performance": ("C0002最近一年收益如何", "C0002 return over the past year"),
}
# ASCII words a Chinese answer may carry: product/index acronyms and names, not enum codes
ALLOWED = {"HHI", "QDII", "ETF", "LOF", "FOF", "XIRR", "A", "C", "H", "SH", "SZ", "BJ", "HK"}


def _figures(text: str) -> list[float]:
    """The figures in ``text`` as the grounding verifier reads them, in base units (63.45万 → 634500,
    CNY 1.47 mn → 1470000, 55.69% → 55.69), sorted; bare counts and ids are not figures."""
    return sorted(m.value * _BASE.get(m.unit, 1.0) if m.unit != "%" else m.value for m in extract_numbers(text))


@pytest.fixture(scope="module")
def answers(sample_engine, sample_settings) -> dict[tuple[str, str], Any]:
    settings = sample_settings.model_copy(update={"llm_mode": "offline"})
    out = {}
    for tool, qs in QUESTIONS.items():
        for lang, q in zip(("zh", "en"), qs, strict=True):
            out[tool, lang] = ask(q, caller=Caller.rm("RM001"), engine=sample_engine, settings=settings)
    return out


def _enum_codes() -> set[str]:
    """Every value code the zh values file translates to something else (``equity``, ``fund NAV`` …)."""
    return {k for k, v in _values("zh").items() if v != k and re.search(r"[a-z]", k)}


@pytest.mark.parametrize("tool", list(QUESTIONS))
def test_zh_answers_carry_no_english_words(answers, tool):
    res = answers[tool, "zh"]
    assert [c["name"] for c in res.tool_calls] == [tool]
    words = set(re.findall(r"(?<![A-Za-z0-9_.])[A-Za-z][A-Za-z_]*(?![A-Za-z0-9_])", res.answer))
    assert words <= ALLOWED, f"English words in the zh answer: {sorted(words - ALLOWED)}\n{res.answer}"
    codes = _enum_codes()
    leaked = [c for c in codes if re.search(rf"(?<![A-Za-z_]){re.escape(c)}(?![A-Za-z_])", res.answer)]
    assert not leaked, leaked


@pytest.mark.parametrize("tool", list(QUESTIONS))
def test_en_answers_stay_english_with_the_same_figures(answers, tool):
    zh, en = answers[tool, "zh"], answers[tool, "en"]
    assert en.tool_calls == zh.tool_calls
    assert not re.search(r"[\u4e00-\u9fff]{2,}[：，；]", en.answer.replace("万", ""))  # no zh labels/punctuation
    # the same figures in both languages: 55.69% / 43.00万元 / 525天 ↔ 55.69% / CNY 430,023 / 525 days
    # (万 keeps two decimals, so 43.00万 and 430,023 agree to 0.5%)
    assert _figures(en.answer) == pytest.approx(_figures(zh.answer), rel=5e-3, abs=0.01)
    assert zh.ungrounded_numbers == [] and en.ungrounded_numbers == []


def test_book_scan_reasons_are_worded_from_templates(answers):
    zh, en = answers["book_scan", "zh"].answer, answers["book_scan", "en"].answer
    assert "风险等级不匹配（C0004）：说明 高于客户风险等级 C2 的产品占资产 55.69%" in zh
    assert "浮亏 -32.83%（-43.00万元），超过阈值 10.00%" in zh
    assert "风险测评距今 525天，超过有效期 365 天" in zh
    assert "risk mismatch (C0004): reason holds 55.69% of assets above risk level C2" in en
    # the figure is printed once, with its unit, inside the reason — no "数值 0.5569，单位 fraction"
    assert "单位" not in zh and "0.5569" not in zh and "fraction" not in en


def test_allocation_review_translates_classes_actions_and_proposal_reasons(answers):
    zh = answers["allocation_review", "zh"].answer
    assert "- 权益：当前 81.90万元，目标 0.00元，偏离 -81.90万元，当前占比 55.69%，目标占比 0.00%，操作 减配" in zh
    assert "操作 卖出" in zh and "产品风险等级 R5 高于客户风险等级 C2，全部卖出" in zh
    assert "固收低配 71.01万元" in zh and "- 流动资金：" in zh
    en = answers["allocation_review", "en"].answer
    assert "action sell" in en and "R5 above C2: sold in full" in en


def test_lookthrough_flags_and_kinds(answers):
    zh = answers["lookthrough_portfolio", "zh"].answer
    assert "类型 股票" in zh and "层级 基金经理" in zh
    assert "占基金净值（前十大股票） 99.00%，超过上限 60.00%" in zh
    assert "占客户资产 30.76%，超过上限 30.00%" in zh
    assert "layer product" in answers["lookthrough_portfolio", "en"].answer


def test_performance_period_and_kinds(answers):
    zh = answers["portfolio_performance", "zh"].answer
    assert "（区间 近1年）" in zh and "基金：产品代码 515302" in zh  # rows now lead with the product name
    assert "(period past year)" in answers["portfolio_performance", "en"].answer


# ------------------------------------------------------------------ composer units (no database)


def _scan(row: dict[str, Any]) -> str:
    return json.dumps({"findings_by_rule": {row["rule"]: 1}, "findings": [row]}, ensure_ascii=False)


def test_a_rule_without_template_keeps_the_english_reason_and_figures_keep_their_unit():
    row = {"client_id": "C0009", "client_name": "某客户", "rule": "new_rule", "reason": "something new",
           "figure": 0.25, "unit": "fraction", "reason_args": {}}
    out = compose([("book_scan", _scan(row))], "zh")
    assert "说明 something new" in out and "数值 25.00%" in out and "单位" not in out
    assert "new rule 1" in out  # unknown code: shown as is


def test_missing_reason_args_fall_back_to_the_english_reason():
    row = {"client_id": "C0009", "client_name": "某客户", "rule": "risk_mismatch", "reason": "holds 20.0% …",
           "figure": 0.2, "unit": "fraction"}  # an old row without reason_args
    out = compose([("book_scan", _scan(row))], "zh")
    assert "说明 holds 20.0% …" in out and "风险等级不匹配 1" in out


def test_values_translate_exactly_and_only_exactly():
    assert fmt_value("basis", "fund NAV (top-10 stocks)", "zh") == "基金净值（前十大股票）"
    assert fmt_value("kind", "stock", "zh") == "股票" and fmt_value("kind", "stock", "en") == "stock"
    assert fmt_value("name", "stocks of cash", "zh") == "stocks of cash"
    assert fmt_value("classes", ["equity", "cash"], "zh") == "权益、现金"
    assert fmt_value("action", "sell", "en") == "sell"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_reason_template_renders_a_grounded_book_scan(lang):
    """Each book-scan rule's template fills from the row and its reason_args, with grounded figures."""
    rows = [
        ("risk_mismatch", 0.5569, "fraction", {"client_risk_level": "C2"}),
        ("assessment_expired", 525.0, "days", {"limit_days": 365}),
        ("loss", -0.3283, "fraction", {"amount": -430010.0, "threshold": 0.1}),
        ("concentration", 0.7437, "fraction", {"product_name": "嘉禾稳健收益债券", "threshold": 0.5}),
        ("manager_concentration", 0.62, "fraction", {"manager": "M001", "threshold": 0.5}),
        ("maturing", 200000.0, "yuan", {"product_name": "三年定期", "maturity_date": "2026-12-05"}),
        ("idle_cash", 250000.0, "yuan", {"balance": 380000.0, "months": 6.0}),
    ]
    templates = sections("answer_reasons", lang)
    for rule, figure, unit, args in rows:
        row = {"client_id": "C0001", "client_name": "某客户", "rule": rule, "reason": "ENGLISH", "figure": figure,
               "unit": unit, "reason_args": args}
        data = {"findings_by_rule": {rule: 1}, "findings": [row]}
        out = compose([("book_scan", json.dumps(data, ensure_ascii=False))], lang)
        assert rule in templates and "ENGLISH" not in out, out
        assert verify(out, data) == [], out


def test_tool_errors_name_the_tool_in_the_answer_language():
    err = json.dumps({"error": "invalid_input", "message": "period: unknown"})
    assert "客户名单扫描" in compose([("book_scan", err)], "zh")
    assert "book_scan" in compose([("book_scan", err)], "en")


def test_values_and_reasons_files_cover_the_analytics_enums():
    """A new asset class, rule, layer or period added to analytics needs its zh wording here."""
    from typing import get_args

    from analytics.book import RULES
    from analytics.concentration import Layer
    from analytics.constants import ASSET_CLASSES, KIND_ASSET_CLASS, PERIOD_LABELS, SECURITY_KIND_ASSET_CLASS
    from reports.grounding import extract_numbers

    zh, en = _values("zh"), _values("en")
    codes = {*ASSET_CLASSES, *RULES, *get_args(Layer), *PERIOD_LABELS, *KIND_ASSET_CLASS, *SECURITY_KIND_ASSET_CLASS,
             "hold", "add", "reduce", "buy", "sell", "client assets", "equity exposure", "fund NAV",
             "fund NAV (top-10 stocks)", "fund assets", "liquidity", "growth"}
    assert codes <= set(zh), sorted(codes - set(zh))
    assert set(en) <= set(zh) and all(v.strip() for v in zh.values())
    reasons_zh, reasons_en = sections("answer_reasons", "zh"), sections("answer_reasons", "en")
    assert set(reasons_zh) == set(reasons_en) >= {*RULES, "over_limit", "sell_above_level", "sell_over_target",
                                                 "buy_under_target"}
    for text in [*reasons_zh.values(), *reasons_en.values()]:
        assert extract_numbers(text) == [], text  # every figure comes from the row


def test_every_sample_book_finding_is_worded_in_chinese_and_grounded(sample_engine, sample_settings):
    """All of RM001's findings (not only the ten an answer shows): reason_args present, zh wording used."""
    from langchain.tools import ToolRuntime

    from tools.context import AgentContext
    from tools.registry import all_tools

    tool = next(t for t in all_tools() if t.name == "book_scan")
    ctx = AgentContext(caller=Caller.rm("RM001"), engine=sample_engine, settings=sample_settings)
    rt = ToolRuntime(state={}, context=ctx, config={}, stream_writer=lambda _: None, tool_call_id="t", store=None)
    result = tool.invoke({"limit": 100, "runtime": rt})
    assert len({f["rule"] for f in result["findings"]}) >= 5
    for f in result["findings"]:
        assert f["reason"] and isinstance(f["reason_args"], dict) and f["reason_args"], f
        data = {"findings": [f]}
        out = compose([("book_scan", json.dumps(data, ensure_ascii=False))], "zh")
        assert f["reason"] not in out and not re.search(r"[a-z]{3,}", out), out
        assert verify(out, data) == [], out
