"""Due-diligence report on the tiny corporate fixture: content, docx, grounding, missing data, LLM path."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from analytics.corporate import ratios
from analytics.errors import Forbidden, GroundingError, InvalidInput
from assistant.access import Caller
from datastore.repositories.corporate import corporate_financials
from reports.render import outline
from services.due_diligence import build_due_diligence, dd_content

RM = Caller.rm("RM001")


@pytest.fixture(scope="module")
def dd_docx(dd_engine, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("ddout") / "dd.docx"
    return out, build_due_diligence(dd_engine, RM, "华东精细化工", "credit", out)


def test_report_written_grounded_with_sections(dd_docx) -> None:
    out, result = dd_docx
    assert out.is_file() and result.path == out
    assert result.ungrounded_numbers == []
    assert result.sections[0] == "核心结论" and result.sections[-1] == "附录：数据来源与口径"
    assert {f.tool for f in result.figures} >= {
        "analytics.corporate.ratios",
        "datastore.repositories.corporate",
    }


def test_missing_year_is_marked_not_invented(dd_engine, dd_docx) -> None:
    out, _ = dd_docx
    lines = outline(out)
    revenue_row = next(line for line in lines if line.startswith("table | 营业收入 |"))
    # one unit per column: every statement cell is a bare number in the 万元 the header states
    assert revenue_row == "table | 营业收入 | 数据缺失 | 120,000.00 | 108,000.00"
    assert any(line.startswith("table | 项目（万元） |") for line in lines)
    assert any("2022年的财务数据缺失" in line for line in lines)
    content = dd_content(dd_engine, RM, "E901", "credit")
    assert content.missing_years == [2022]
    assert any(f.code == "financial_years_missing" and f.severity == "return" for f in content.flags)


def test_numbers_in_docx_equal_analytics(dd_engine, dd_docx) -> None:
    out, _ = dd_docx
    rs = {
        (r.year, r.metric): r.value
        for r in ratios(corporate_financials(dd_engine, "E901"), [2022, 2023, 2024])
    }
    lines = outline(out)
    dscr_row = next(line for line in lines if line.startswith("table | 偿债覆盖率DSCR |"))
    assert dscr_row.endswith(f"{rs[(2023, 'dscr')]:.2f}倍 | {rs[(2024, 'dscr')]:.2f}倍")
    roe_row = next(line for line in lines if line.startswith("table | ROE"))
    assert roe_row.endswith(f"{rs[(2024, 'roe')] * 100:.2f}%")
    assert rs[(2024, "inventory_days")] is None  # inventory not reported in 2024
    assert next(line for line in lines if line.startswith("table | 存货周转天数")).endswith("| 数据缺失")


def test_conclusion_follows_flags(dd_engine) -> None:
    c = dd_content(dd_engine, RM, "E901", "credit")
    codes = {f.code: f.severity for f in c.flags}
    assert codes["dscr"] == "red"  # 0.87 < 1.0
    assert codes["major_shareholder_pledge"] == "amber"
    assert codes["lawsuits_vs_equity"] == "amber"  # 8500万 / 6.4亿 > 10%
    assert c.conclusion == "decline"
    opening = dd_content(dd_engine, RM, "E901", "account-opening")
    assert opening.conclusion == "conditional" and {f.code for f in opening.flags} == {
        "major_shareholder_pledge"
    }


def test_invalid_credit_code_is_flagged(dd_engine) -> None:
    c = dd_content(dd_engine, RM, "E902", "account-opening")
    assert c.credit_code_valid is False
    assert any(f.code == "credit_code_invalid" and f.severity == "red" for f in c.flags)


def test_bad_inputs(dd_engine, tmp_path) -> None:
    with pytest.raises(InvalidInput):
        dd_content(dd_engine, RM, "不存在的公司", "credit")
    with pytest.raises(InvalidInput):
        dd_content(dd_engine, RM, "E901", "merger")
    with pytest.raises(Forbidden):
        dd_content(dd_engine, Caller.client_channel(), "E901", "credit")


def _fake_llm(texts: list[str]) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter(AIMessage(content=t) for t in texts))


def test_llm_commentary_grounded_is_used(dd_engine, tmp_path) -> None:
    llm = _fake_llm(
        [
            "2024年营业收入10.80亿元，同比下降10.00%，净利率4.17%，资产负债率58.71%。",
            "偿债覆盖率0.87倍，收入下降20%时为0.53倍，覆盖不足。",
        ]
    )
    out = tmp_path / "llm.docx"
    result = build_due_diligence(dd_engine, RM, "E901", "credit", out, llm=llm)
    assert result.ungrounded_numbers == []
    assert any("覆盖不足" in line for line in outline(out))


def test_forged_number_blocks_the_document(dd_engine, tmp_path) -> None:
    forged = "2024年营业收入10.80亿元，同比增长23.45%，利润率极高。"
    llm = _fake_llm([forged, forged])  # the retry repeats the forged number: blocked
    out = tmp_path / "forged.docx"
    with pytest.raises(GroundingError) as err:
        build_due_diligence(dd_engine, RM, "E901", "credit", out, llm=llm)
    assert err.value.ungrounded == ["23.45%"]
    assert not out.exists()


def test_english_report(dd_engine, tmp_path) -> None:
    result = build_due_diligence(dd_engine, RM, "E901", "change", tmp_path / "en.docx", lang="en")
    assert result.sections[0] == "Key conclusions" and result.ungrounded_numbers == []
    assert "What changed" in result.sections
    lines = outline(result.path)
    assert any(line.startswith("table | Revenue | data missing |") for line in lines)


def test_golden_view_zh(dd_docx) -> None:
    from tests.reports.golden_util import check_golden

    out, _ = dd_docx
    check_golden(out, "dd_E901_credit_zh")


# ------------------------------------------------------------------ on the sample book (fixed company)


def test_sample_company_golden_and_missing_year(sample_engine, tmp_path) -> None:
    from tests.reports.golden_util import check_golden

    out = tmp_path / "E011.docx"
    result = build_due_diligence(sample_engine, RM, "E011", "credit", out)
    assert result.ungrounded_numbers == []
    content = dd_content(sample_engine, RM, "E011", "credit")
    assert content.missing_years == [2025]  # the sample's company without its latest annual report
    row = next(line for line in outline(out) if line.startswith("table | 营业收入 |"))
    assert row.endswith("| 数据缺失")
    assert next(r for r in content.ratios if r.year == 2025 and r.metric == "roe").value is None
    check_golden(out, "dd_E011_credit_zh")


def test_llm_gets_one_retry_with_feedback(dd_engine, tmp_path) -> None:
    llm = _fake_llm(
        ["营业收入同比增长23.45%。", "2024年营业收入10.80亿元，同比下降10.00%。", "偿债覆盖率0.87倍。"]
    )
    out = tmp_path / "retry.docx"
    result = build_due_diligence(dd_engine, RM, "E901", "credit", out, llm=llm)
    assert result.ungrounded_numbers == []
    assert any("同比下降10.00%" in line for line in outline(out))
