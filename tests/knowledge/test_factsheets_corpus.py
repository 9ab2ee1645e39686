from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.errors import InvalidInput
from knowledge.chunking import chunk_text
from knowledge.factsheets import render_factsheets
from knowledge.loaders import load

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def _tiny_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    products = pd.DataFrame([
        {"code": "000001", "name": "测试债券A", "name_en": "Test Bond A", "kind": "fund", "fund_code": "000001",
         "asset_class": "fixed_income", "risk_level": "R2", "issuer": "FC01", "liquidity_days": 3, "min_amount": 10.0,
         "expected_yield": None, "issue_date": None, "maturity_date": None, "term_days": None, "status": "on_shelf"},
        {"code": "WM2026001", "name": "测试理财1号", "name_en": "Test WMP 1", "kind": "wmp", "fund_code": None,
         "asset_class": "fixed_income", "risk_level": "R3", "issuer": "测试理财公司", "liquidity_days": -1,
         "min_amount": 10000.0, "expected_yield": 0.029, "issue_date": date(2026, 1, 5),
         "maturity_date": date(2027, 1, 4), "term_days": 364, "status": "on_shelf"},
        {"code": "WM2020001", "name": "已下架理财", "name_en": "Old", "kind": "wmp", "fund_code": None,
         "asset_class": "fixed_income", "risk_level": "R2", "issuer": "x", "liquidity_days": -1, "min_amount": 1.0,
         "expected_yield": 0.04, "issue_date": None, "maturity_date": None, "term_days": None, "status": "off_shelf"},
    ])
    funds = pd.DataFrame([{"code": "000001", "type": "bond", "benchmark": "中债综合指数收益率", "management_fee": 0.003,
                           "custody_fee": 0.001, "subscription_fee": 0.008, "redemption_fee": 0.001,
                           "inception_date": date(2018, 3, 1), "size": 1.234e9}])
    return products, funds


def test_factsheet_numbers_come_from_the_table(tmp_path: Path):
    products, funds = _tiny_frames()
    (tmp_path / "stale.md").write_text("old", encoding="utf-8")
    companies = pd.DataFrame([{"id": "FC01", "name": "测试基金管理有限公司"}])
    paths = render_factsheets(products, funds, tmp_path, as_of=date(2026, 11, 20), companies=companies)
    assert [p.name for p in paths] == ["000001.md", "WM2026001.md"]  # off-shelf skipped, stale removed
    fund = paths[0].read_text(encoding="utf-8")
    for expected in ("申购费率（前端，标准费率）：0.80%", "管理费率：0.30%/年", "基金规模：12.34 亿元",
                     "风险等级：R2（中低风险）", "C2 稳健型", "测试基金管理有限公司", "T+3"):
        assert expected in fund
    wmp = paths[1].read_text(encoding="utf-8")
    assert "业绩比较基准（年化，不代表实际收益）：2.90%" in wmp and "起购金额：10,000 元" in wmp
    doc = load(paths[1])
    assert doc.meta["doc_type"] == "product" and doc.meta["product_codes"] == "WM2026001"


def test_missing_columns_are_a_domain_error(tmp_path: Path):
    with pytest.raises(InvalidInput, match="risk_level"):
        render_factsheets(pd.DataFrame({"code": ["1"]}), pd.DataFrame(), tmp_path)


def test_committed_factsheets_equal_a_fresh_render(tmp_path: Path):
    from assistant.factsheets import regenerate_factsheets

    fresh = regenerate_factsheets(tmp_path)
    committed = sorted((CORPUS / "products").glob("*.md"))
    assert [p.name for p in fresh] == [p.name for p in committed]
    for new, old in zip(fresh, committed, strict=True):
        assert new.read_text(encoding="utf-8") == old.read_text(encoding="utf-8"), old.name


def test_corpus_has_150_faq_entries_and_numbered_clauses():
    faq_chunks = []
    for path in sorted((CORPUS / "faq").glob("*.md")):
        doc = load(path)
        assert doc.meta["doc_type"] == "faq" and doc.meta["audience"] == "client"
        faq_chunks += chunk_text(doc.pages[0][1])
    assert len(faq_chunks) >= 150 and all(re.fullmatch(r"Q\d+", c.section) for c in faq_chunks)
    suit = load(CORPUS / "policies" / "suitability.md")
    sections = [c.section for c in chunk_text(suit.pages[0][1])]
    assert sections[:3] == ["第一条", "第二条", "第三条"] and "第十条" in sections
    internal = [load(p).meta["audience"] for p in (CORPUS / "internal").glob("*.md")]
    assert internal and set(internal) == {"internal"}
