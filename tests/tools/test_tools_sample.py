"""Every tool on the sample data set, called directly with an injected runtime (no model in the loop)."""

from __future__ import annotations

import pytest
from langchain.tools import ToolRuntime

from analytics.errors import Forbidden, InvalidInput
from analytics.identifiers import is_valid_credit_code
from analytics.suitability import client_level, product_level
from assistant.access import NOT_YOUR_CLIENT, Caller
from datastore.repositories.lexicon import client_names, corporate_names
from tools.context import AgentContext
from tools.registry import all_tools

TOOLS = {t.name: t for t in all_tools()}


@pytest.fixture(scope="module")
def call(sample_engine, sample_settings):
    def _call(name: str, caller: Caller | None = None, **args):
        ctx = AgentContext(caller=caller or Caller.rm("RM001"), engine=sample_engine, settings=sample_settings)
        rt = ToolRuntime(state={}, context=ctx, config={}, stream_writer=lambda _: None, tool_call_id="t",
                         store=None)
        return TOOLS[name].invoke({**args, "runtime": rt})

    return _call


@pytest.fixture(scope="module")
def mine(sample_engine) -> str:
    return client_names(sample_engine, "RM001")[0][0]


@pytest.fixture(scope="module")
def theirs(sample_engine) -> str:
    return next(c for c, _ in client_names(sample_engine, None) if (c, _) not in client_names(sample_engine, "RM001"))


@pytest.mark.parametrize("name", ["lookthrough_portfolio", "industry_exposure", "portfolio_performance",
                                  "allocation_review", "performance_attribution", "retirement_plan",
                                  "draft_proposal"])
def test_client_tools_refuse_other_books_and_unknown_ids_alike(call, theirs, name):
    with pytest.raises(Forbidden) as other:
        call(name, client_id=theirs)
    with pytest.raises(Forbidden) as unknown:
        call(name, client_id="C9999")
    assert other.value.message == unknown.value.message == NOT_YOUR_CLIENT


def test_lookthrough_weights_are_bounded_by_coverage(call, mine):
    res = call("lookthrough_portfolio", client_id=mine)
    weights = [h["weight"] for h in res["top_holdings"]]
    assert weights == sorted(weights, reverse=True) and 0 < weights[0] <= res["coverage"] <= 1
    assert abs(sum(res["asset_classes"].values()) - 1) < 1e-4


def test_industry_exposure_sums_to_at_most_the_equity_share(call, mine):
    res = call("industry_exposure", client_id=mine, top_n=31)
    assert 0 < sum(i["weight"] for i in res["industries"]) <= 1 + 1e-6
    assert abs(sum(i["share_of_equity"] for i in res["industries"]) - 1) < 1e-3


def test_performance_reconciles_by_kind(call, mine):
    res = call("portfolio_performance", client_id=mine, period="1y")
    assert res["start"] < res["end"]
    assert abs(sum(res["gain_by_kind"].values()) - res["gain"]) < 0.05


def test_last_year_ends_at_the_year_end(call, mine):
    res = call("portfolio_performance", client_id=mine, period="last_year")
    assert res["end"].endswith("-12-31") and res["start"].endswith("-12-31")


def test_bad_period_is_invalid_input_naming_the_field(call, mine):
    with pytest.raises(InvalidInput) as err:
        call("portfolio_performance", client_id=mine, period="next decade")
    assert err.value.field == "period"


def test_allocation_proposal_only_buys_within_the_clients_risk_level(call, mine):
    res = call("allocation_review", client_id=mine)
    level = client_level(res["risk_level"])
    buys = [line for line in res.get("proposal") or [] if line["action"] == "buy"]
    assert all(product_level(b["risk_level"]) <= level for b in buys)
    assert res["pots"] and {p["name"] for p in res["pots"]} == {"liquidity", "protection", "growth"}


def test_products_for_a_client_pass_the_suitability_gate(call, mine):
    res = call("search_products", client_id=mine, limit=20)
    level = client_level(res["client_risk_level"])
    assert res["products"] and all(product_level(p["risk_level"]) <= level for p in res["products"])
    shelf = call("search_products", max_risk_level="R2", limit=20)
    assert all(product_level(p["risk_level"]) <= 2 for p in shelf["products"])


def test_attribution_effects_add_up(call, mine):
    res = call("performance_attribution", client_id=mine, period="1y")
    total = sum(r["allocation"] + r["selection"] + r["interaction"] for r in res["effects"])
    assert abs(total - res["active_return"]) < 1e-5


def test_retirement_plan_figures(call, mine):
    res = call("retirement_plan", client_id=mine, retire_age=65)
    assert res["retire_age"] == 65 and res["target_corpus"] > 0 and res["required_monthly_saving"] >= 0


def test_book_scan_sees_only_own_clients(call, sample_engine):
    res = call("book_scan", limit=100)
    own = {c for c, _ in client_names(sample_engine, "RM001")}
    assert res["findings"] and {f["client_id"] for f in res["findings"]} <= own


def test_fund_profile_by_misspelled_name_and_overlap(call):
    prof = call("fund_profile", fund="华鼎成长混和")
    assert prof["code"] == "002201" and prof["metrics"]["max_drawdown"] <= 0
    ov = call("fund_overlap", fund_codes=["002201", "东岳均衡配置"])
    assert 0 <= ov["pairs"][0]["score"] <= 1
    with pytest.raises(InvalidInput):
        call("fund_overlap", fund_codes=["002201", "002201"])


def test_company_profile_and_channel_refusal(call, sample_engine):
    cid, name, _ = corporate_names(sample_engine)[0]
    res = call("company_profile", company=name)
    assert res["company_id"] == cid and is_valid_credit_code(res["profile"]["credit_code"])
    with pytest.raises(Forbidden):
        call("company_profile", caller=Caller.client_channel(), company=cid)


def test_company_profile_for_an_asked_fiscal_year(call):
    """"2024年资产负债率": that year's ratios (E004's balance sheet, 2024: 2.2267 current ratio); a year the
    analysis does not cover names the field and the years it does."""
    latest = call("company_profile", company="E004")
    y2024 = call("company_profile", company="E004", year=2024)
    assert latest["ratios_year"] == 2025 and y2024["ratios_year"] == 2024
    growth = {r["metric"]: r["value"] for r in y2024["ratios"]}["revenue_growth"]
    assert growth != {r["metric"]: r["value"] for r in latest["ratios"]}["revenue_growth"]
    with pytest.raises(InvalidInput) as err:
        call("company_profile", company="E004", year=2019)
    assert err.value.field == "year" and "2024" in (err.value.hint or "")


def test_documents_return_structured_content(call, mine, sample_engine):
    prop = call("draft_proposal", client_id=mine)
    assert prop["client_id"] == mine
    cid = corporate_names(sample_engine)[0][0]
    dd = call("draft_due_diligence", company=cid, scenario="credit")
    assert dd["scenario"] == "credit"
