"""Client proposal on the sample book: access, golden view, numbers equal analytics, variants, grounding."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from analytics import allocation, lookthrough
from analytics.errors import Forbidden, GroundingError
from assistant.access import Caller
from datastore.repositories.meta import data_as_of
from reports.models import fmt_money
from reports.render import outline
from services import loading as inp
from services.proposal import build_proposal, proposal_content
from tests.reports.golden_util import check_golden

RM1 = Caller.rm("RM001")
CLIENT = "C0001"  # an RM001 client of the sample book


@pytest.fixture(scope="module")
def internal_zh(sample_engine, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("proposal") / "p.docx"
    return out, build_proposal(sample_engine, RM1, CLIENT, out)


def test_another_rms_client_is_refused(sample_engine, tmp_path) -> None:
    out = tmp_path / "x.docx"
    with pytest.raises(Forbidden):
        build_proposal(sample_engine, Caller.rm("RM002"), CLIENT, out)
    with pytest.raises(Forbidden):  # same refusal for a client that does not exist
        proposal_content(sample_engine, RM1, "C9999")
    assert not out.exists()


def test_golden_view_internal_zh(internal_zh) -> None:
    out, result = internal_zh
    assert result.ungrounded_numbers == []
    assert result.sections[0] == "摘要" and result.sections[-1] == "附录：数据来源"
    check_golden(out, "proposal_C0001_internal_zh")


def test_numbers_equal_analytics(sample_engine, internal_zh) -> None:
    out, _ = internal_zh
    text = "\n".join(outline(out))
    day = data_as_of(sample_engine)
    book = inp.client_book(sample_engine, CLIENT, day)
    look = lookthrough.lookthrough_client(book, inp.fund_exposures(sample_engine, day), top_n=10)
    assert f"权益类占比{look.asset_classes['equity'] * 100:.2f}%" in text
    assert f"穿透覆盖率为{look.coverage * 100:.2f}%" in text
    content = proposal_content(sample_engine, RM1, CLIENT)
    assert f"持仓累计盈亏{fmt_money(content.pnl.gain, 'zh')}" in text
    assert content.rebalance is not None and content.backtest is not None
    bt = allocation.compare_backtest(
        inp.class_returns(sample_engine, *content.backtest_window),
        content.rebalance.current_mix,
        content.rebalance.proposed_mix,
    )
    row = f"table | 年化波动 | {bt['current']['annual_volatility'] * 100:.2f}% | {bt['proposed']['annual_volatility'] * 100:.2f}%"
    assert row in text
    # every buy line passed the suitability gate and is within the client's risk level
    for line in content.rebalance.lines:
        if line.action == "buy":
            assert line.product_code in content.rebalance.suitability_checked
            assert int(line.risk_level[1]) <= int(content.client["risk_level"][1])


def test_client_variant_hides_pii(sample_engine, tmp_path) -> None:
    out = tmp_path / "client.docx"
    result = build_proposal(sample_engine, RM1, CLIENT, out, variant="client")
    text = "\n".join(outline(out))
    full = proposal_content(sample_engine, RM1, CLIENT, unmask_pii=True)
    assert full.client["id_number"] not in text and full.client["mobile"] not in text
    assert full.client["id_number"][-4:] in text  # masked to the last 4 digits, not dropped
    assert "客户版" in text and "仅供内部参考" not in text and f"（{CLIENT}）" not in text
    assert result.ungrounded_numbers == []


def test_english_proposal(sample_engine, tmp_path) -> None:
    result = build_proposal(sample_engine, RM1, CLIENT, tmp_path / "en.docx", lang="en")
    assert result.sections[0] == "Summary" and result.ungrounded_numbers == []
    assert any(line.startswith("Heading 1 | Risk disclosure") for line in outline(result.path))


def test_forged_number_blocks_the_proposal(sample_engine, tmp_path) -> None:
    forged = AIMessage(content="客户持仓累计收益高达88.88%，表现优异。")
    llm = GenericFakeChatModel(messages=iter([forged, forged]))  # retried once, still forged: blocked
    out = tmp_path / "forged.docx"
    with pytest.raises(GroundingError) as err:
        build_proposal(sample_engine, RM1, CLIENT, out, llm=llm)
    assert err.value.ungrounded == ["88.88%"]
    assert not out.exists()


def test_expired_assessment_blocks_every_trade_line(sample_engine, tmp_path) -> None:
    out = tmp_path / "c5.docx"
    result = build_proposal(sample_engine, RM1, "C0005", out)  # sample scenario: assessment > 12 months old
    content = proposal_content(sample_engine, RM1, "C0005")
    assert content.assessment_expired and content.rebalance is None and content.suitability_block
    lines = outline(out)
    assert not any(line.startswith(("table | 买入 |", "table | 卖出 |")) for line in lines)
    assert any("适当性校验未通过" in line for line in lines)
    assert result.ungrounded_numbers == []


def test_risk_mismatch_is_diagnosed_and_sold(sample_engine) -> None:
    content = proposal_content(sample_engine, RM1, "C0004")  # sample scenario: C2 client holding R4/R5 funds
    mismatched = {f.subject for f in content.findings if f.code == "risk_mismatch"}
    assert mismatched
    assert content.rebalance is not None
    sold = {ln.name for ln in content.rebalance.lines if ln.action == "sell"}
    assert mismatched <= sold
    assert all(int(ln.risk_level[1]) <= 2 for ln in content.rebalance.lines if ln.action == "buy")


@pytest.mark.parametrize("client_id", ["C0002", "C0004", "C0006", "C0007", "C0008"])
def test_every_scenario_client_is_grounded(sample_engine, client_id) -> None:
    """Layout only (no docx): every number printed for the sample's scenario clients is in the content."""
    from reports.grounding import verify
    from reports.layout_proposal import grounding_facts, layout
    from reports.models import FigureBook
    from reports.render import all_text

    content = proposal_content(sample_engine, RM1, client_id)
    doc = layout(content, FigureBook("zh"))
    assert verify(all_text(doc), grounding_facts(content)) == []


def test_golden_view_client_zh(sample_engine, tmp_path) -> None:
    out = tmp_path / "client.docx"
    result = build_proposal(sample_engine, RM1, CLIENT, out, variant="client")
    assert result.sections[-1] == "定期检视、联系人与客户确认"  # no sources appendix in the client copy
    check_golden(out, "proposal_C0001_client_zh")


def test_golden_view_internal_en(sample_engine, tmp_path) -> None:
    out = tmp_path / "en.docx"
    build_proposal(sample_engine, RM1, CLIENT, out, lang="en")
    check_golden(out, "proposal_C0001_internal_en")
