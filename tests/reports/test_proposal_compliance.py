"""Each compliance rule the proposal states, checked in the document a client or RM would read.

No insurance surrender, above-risk holdings sold or marked to discuss, the elderly (适老化/双录) prompt,
only buyable products, proceeds fully deployed, personal numbers masked in both variants (and only an
explicit ``unmask_pii`` prints them), the client copy free of internal rule text and provenance.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.access import Caller
from datastore.repositories import clients as crepo
from datastore.repositories.meta import data_as_of
from reports.render import outline
from services.proposal import build_proposal, proposal_content

ADMIN = Caller(user_id="admin", role="admin")


def _text(path: Path) -> str:
    return "\n".join(outline(path))


@pytest.fixture(scope="module")
def docs(sample_engine, tmp_path_factory) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    base = tmp_path_factory.mktemp("compliance")
    for cid in ("C0004", "C0009", "C0010"):
        for variant in ("internal", "client"):
            p = base / f"{cid}_{variant}.docx"
            build_proposal(sample_engine, ADMIN, cid, p, variant=variant)
            out[(cid, variant)] = _text(p)
    return out


def test_insurance_is_never_surrendered_and_the_excess_is_worded(sample_engine, docs) -> None:
    content = proposal_content(sample_engine, ADMIN, "C0010")  # sample: holds more protection than target
    assert content.rebalance is not None
    assert not [ln for ln in content.rebalance.lines if ln.asset_class == "protection"]
    assert any(f.code == "protection_excess" for f in content.rebalance.findings)
    assert "保险不因配置目标而退保" in docs[("C0010", "client")]
    assert "退保通常会损失现金价值" in docs[("C0010", "internal")]


@pytest.mark.parametrize("client_id", ["C0004", "C0007", "C0023", "C0027"])
def test_above_risk_holdings_are_sold_or_to_discuss(sample_engine, client_id) -> None:
    content = proposal_content(sample_engine, ADMIN, client_id)
    assert content.rebalance is not None
    level = int(str(content.client["risk_level"])[1])
    above = {h["product_code"] for h in content.holdings if int(str(h["risk_level"])[1]) > level}
    sold = {ln.product_code for ln in content.rebalance.lines if ln.action == "sell"}
    discuss = {ln.product_code for ln in content.rebalance.to_discuss}
    assert above <= sold | discuss
    if client_id == "C0007":
        assert discuss, "C0007's locked above-level product is a point to discuss"


def test_elderly_prompt_only_for_elderly_clients(docs) -> None:
    assert "适老化提示" in docs[("C0009", "client")]  # 74 years old
    assert "适老化提示" in docs[("C0009", "internal")]
    assert "适老化提示" not in docs[("C0004", "client")]  # 45 years old


def test_elderly_client_is_not_proposed_products_needing_dual_recording(sample_engine) -> None:
    content = proposal_content(sample_engine, ADMIN, "C0009")
    assert content.rebalance is not None
    assert all(int(ln.risk_level[1]) < 3 for ln in content.rebalance.lines if ln.action == "buy")


@pytest.mark.parametrize("client_id", ["C0004", "C0009", "C0010", "C0019", "C0031"])
def test_only_buyable_products_are_bought(sample_engine, client_id) -> None:
    content = proposal_content(sample_engine, ADMIN, client_id)
    assert content.rebalance is not None
    shelf = crepo.products(sample_engine).set_index("code")
    day = data_as_of(sample_engine)
    level = int(str(content.client["risk_level"])[1])
    held = {h["product_code"] for h in content.holdings}
    for ln in content.rebalance.lines:
        if ln.action != "buy":
            continue
        row = shelf.loc[ln.product_code]
        assert row["status"] == "on_shelf"
        assert int(row["risk_level"][1]) <= level
        if row["maturity_date"] is not None and str(row["maturity_date"]) != "NaT":
            assert (row["maturity_date"] - day).days > 30, "a product about to mature is not bought"
        assert ln.product_code not in held or row["kind"] != "wmp" or row["liquidity_days"] != -1
    # the product cards are exactly the products bought
    assert {k["product_code"] for k in content.product_cards} == {
        ln.product_code for ln in content.rebalance.lines if ln.action == "buy"}


@pytest.mark.parametrize("client_id", ["C0004", "C0009", "C0010"])
def test_proceeds_are_fully_deployed(sample_engine, client_id, docs) -> None:
    reb = proposal_content(sample_engine, ADMIN, client_id).rebalance
    assert reb is not None
    assert abs(reb.buy_total - (reb.sell_total + reb.cash_before - reb.liquidity_target)) < 1.0
    assert abs(reb.cash_after - reb.liquidity_target) < 1.0
    text = docs[(client_id, "internal")]
    assert "与流动性储备目标" in text and "一致" in text


def test_pii_masked_in_both_variants_unless_asked(sample_engine, docs, tmp_path) -> None:
    full = proposal_content(sample_engine, ADMIN, "C0004", unmask_pii=True)
    idn, mob = str(full.client["id_number"]), str(full.client["mobile"])
    for variant in ("internal", "client"):
        text = docs[("C0004", variant)]
        assert idn not in text and mob not in text
        assert "*" * (len(idn) - 4) + idn[-4:] in text and "*" * (len(mob) - 4) + mob[-4:] in text
    out = tmp_path / "unmasked.docx"
    build_proposal(sample_engine, ADMIN, "C0004", out, unmask_pii=True)
    assert idn in _text(out)


def test_client_copy_has_no_internal_rule_text_or_provenance(docs, sample_engine, tmp_path) -> None:
    for cid in ("C0004", "C0009", "C0010"):
        text = docs[(cid, "client")]
        for internal in ("提示线", "风险错配", "数据来源", "计算工具", "analytics.", "services."):
            assert internal not in text, (cid, internal)
    assert "提示线" in docs[("C0004", "internal")]  # the internal copy keeps the rule for the RM
    out = tmp_path / "c.docx"
    build_proposal(sample_engine, ADMIN, "C0004", out, variant="client")
    assert not out.with_suffix(".provenance.json").exists()


def test_internal_copy_has_readable_sources_and_a_json_sidecar(sample_engine, tmp_path, docs) -> None:
    out = tmp_path / "i.docx"
    result = build_proposal(sample_engine, ADMIN, "C0004", out)
    text = docs[("C0004", "internal")]
    appendix = text[text.index("Heading 1 | 附录：数据来源"):]
    assert "analytics." not in appendix and "services." not in appendix and "gain_pct_" not in appendix
    rows = [ln for ln in appendix.splitlines() if ln.startswith("table | ")]
    assert 10 < len(rows) <= 41  # header + at most 40 rows (within two pages)
    side = json.loads(out.with_suffix(".provenance.json").read_text(encoding="utf-8"))
    assert len(side) == len(result.figures) and {"name", "value", "unit", "tool", "as_of"} <= set(side[0])


def test_trades_state_cost_realised_result_and_settlement(docs, sample_engine) -> None:
    content = proposal_content(sample_engine, ADMIN, "C0004")
    text = docs[("C0004", "client")]
    # one unit per money column, stated in the header (a header wraps only between its parts)
    assert "table | 操作 | 产品 | 风险 | 金额 / （万元） | 费用 / （元） | 实现盈亏 / （万元） | 到账 / （T+工作日） | 理由" in text
    sell = next(d for d in content.trades if d["action"] == "sell")
    assert sell["fee"] > 0 and sell["realised"] is not None and sell["settle_days"] is not None
    assert "将实现收益" in text or "将实现亏损" in text
    assert "（非承诺）" in text and "卖出合计" in text and "买入合计" in text
