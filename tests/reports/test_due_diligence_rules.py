"""Rules behind the 授信尽调报告: UBO through the chain, partnership label, negative-base ratios, matured
facilities, the missing-year verdict, plausibility warnings and the 授信方案 sizing (hand-computed)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.corporate import Flag, conclusion, evaluate_flags, ratios
from analytics.corporate_checks import city_warnings, constant_ratios, shared_events
from analytics.corporate_ownership import entity_kind, look_through
from analytics.credit_plan import credit_plan, dscr_stress
from core.policy import CreditThresholds

T = CreditThresholds()


def _holders(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["corporate_id", "name", "kind", "share"])


def test_ubo_through_the_chain_hand_computed() -> None:
    # T ← A 20% (person), B 50% (company in the data), P 30% (partnership, not in the data)
    # B ← A 40%, C 60%  ⇒  A = 0.20 + 0.50×0.40 = 0.40; C = 0.50×0.60 = 0.30; P unresolved 0.30
    holders = _holders([
        ("T", "甲", "person", 0.20), ("T", "乙公司", "company", 0.50), ("T", "丙投资合伙企业(有限合伙)", "company", 0.30),
        ("B", "甲", "person", 0.40), ("B", "丁", "person", 0.60),
    ])
    own = look_through("T", holders, {"乙公司": "B"}, ubo_share=0.25, legal_rep="甲")
    shares = {h.name: h.share for h in own.holdings}
    assert shares["甲"] == pytest.approx(0.40) and shares["丁"] == pytest.approx(0.30)
    assert {u.name for u in own.ubos} == {"甲", "丁"} and own.ubo_basis == "share"
    assert own.unresolved_share == pytest.approx(0.30)
    assert own.controller == "丁" and own.controller_path == ["乙公司", "丁"]  # majority chain: T→乙(50%)→丁(60%)
    assert next(h for h in own.holdings if h.name == "丁").path == ["乙公司", "丁"]


def test_no_individual_at_threshold_names_the_senior_manager() -> None:
    # 甲 24% directly + nothing else: below 25% ⇒ the legal representative is the beneficial owner
    holders = _holders([("T", "甲", "person", 0.24), ("T", "国资公司", "state", 0.76)])
    own = look_through("T", holders, {}, ubo_share=0.25, legal_rep="法人代表")
    assert own.ubo_basis == "senior_manager" and [u.name for u in own.ubos] == ["法人代表"]


def test_partnership_is_not_a_legal_person() -> None:
    assert entity_kind("福建建华投资合伙企业(有限合伙)", "company") == "partnership"
    assert entity_kind("福建市国有资本投资运营有限公司", "company") == "company"
    assert entity_kind("陈建华", "person") == "person"


def test_negative_base_is_computed_and_marked_zero_base_is_not_applicable() -> None:
    fin = pd.DataFrame([
        {"year": 2023, "net_profit": -1.0e7, "revenue": 0.0, "cfo": 2.0e6},
        {"year": 2024, "net_profit": 5.0e6, "revenue": 1.0e8, "cfo": -4.0e6},
    ])
    rs = {(r.year, r.metric): r for r in ratios(fin, [2023, 2024])}
    g = rs[(2024, "net_profit_growth")]
    assert g.value == pytest.approx(1.5) and g.note == "negative_base"  # (5e6 − (−1e7)) / |−1e7|
    cash = rs[(2023, "cfo_to_net_profit")]
    assert cash.value == pytest.approx(-0.2) and cash.note == "negative_base"  # 2e6 / −1e7
    rev_g = rs[(2024, "revenue_growth")]
    assert rev_g.value is None and rev_g.note == "zero_base" and rev_g.missing == []


def _flags(credit: pd.DataFrame, missing: list[int] | None = None) -> list[Flag]:
    empty = pd.DataFrame(columns=["date", "kind", "role", "amount", "status"])
    holders = pd.DataFrame([{"name": "甲", "share": 1.0, "pledged_share": 0.0}])
    return evaluate_flags("credit", status="存续", credit_code_valid=True, ratio_list=[], years=[2023, 2024, 2025],
                          missing_year_list=missing or [], shareholders=holders, risk_events=empty, credit=credit,
                          as_of=date(2026, 11, 20), thresholds=T)


def test_matured_facility_with_a_balance_is_flagged() -> None:
    row = dict(lender="本行", limit_amount=1e7, start_date=date(2024, 3, 15), maturity_date=date(2026, 3, 14),
               overdue_days=0, max_overdue_days_24m=0, classification="正常")
    drawn = pd.DataFrame([{**row, "balance": 5e6}])
    repaid = pd.DataFrame([{**row, "balance": 0.0}])
    assert any(f.code == "matured_outstanding" and f.value == 1 for f in _flags(drawn))
    assert not any(f.code == "matured_outstanding" for f in _flags(repaid))


def test_missing_statements_return_the_file() -> None:
    flags = _flags(pd.DataFrame(), missing=[2025])
    assert next(f for f in flags if f.code == "financial_years_missing").severity == "return"
    assert conclusion(flags) == "return"
    assert conclusion([Flag(code="a", severity="amber"), Flag(code="b", severity="return")]) == "return"
    assert conclusion([Flag(code="a", severity="red"), Flag(code="b", severity="return")]) == "decline"


def test_plausibility_warnings() -> None:
    codes = {w.code for w in city_warnings("福建省福建市高新区创业路17号", "91350100905280545R")}
    assert codes == {"unknown_city", "city_region_mismatch"}
    assert city_warnings("福建省龙岩市高新区创业路204号", "91350800744674948Q") == []
    ev = pd.DataFrame([
        {"corporate_id": cid, "date": date(2024, 5, 9), "kind": "lawsuit", "amount": 8e5, "description": "追讨货款"}
        for cid in ("E1", "E2", "E3")
    ] + [{"corporate_id": "E1", "date": date(2025, 1, 2), "kind": "penalty", "amount": None, "description": "处罚"}])
    shared = shared_events("E1", ev)
    assert [(w.subject, w.value) for w in shared] == [("追讨货款", 3)]
    fin = pd.DataFrame([{"year": y, "total_liabilities": 38.0 * y, "total_assets": 100.0 * y} for y in (2023, 2024)])
    assert [w.subject for w in constant_ratios(ratios(fin, [2023, 2024]), tolerance=T.constant_ratio_tolerance)] == [
        "debt_to_asset"]


LATEST = dict(revenue=1.0e9, cogs=7.0e8, total_profit=1.0e8, interest_expense=2.0e7, depreciation=3.0e7,
              principal_due_next_year=8.0e7, short_term_debt=2.0e8, long_term_debt=1.0e8)


def test_credit_plan_follows_the_stated_rules() -> None:
    # need = 1e9 × 15% = 1.5e8; EBITDA = 1e8 + 2e7 + 3e7 = 1.5e8; capacity = 1.5e8 × 2.5 − 3e8 + 2e7 = 9.5e7
    p = credit_plan("pass", LATEST, dscr=1.5, debt_to_asset=0.5, own_balance=2e7, amber_flags=[], t=T)
    assert p.offered and p.need == pytest.approx(1.5e8) and p.capacity == pytest.approx(9.5e7)
    assert p.amount == 9.5e7 and p.term_months == 12 and p.rate == pytest.approx(0.033)
    assert p.guarantees == ["controller_guarantee"]
    weak = credit_plan("conditional", LATEST, dscr=1.1, debt_to_asset=0.5, own_balance=2e7,
                       amber_flags=["matured_outstanding"], t=T)
    assert weak.term_months == 6 and weak.rate == pytest.approx(0.038) and "collateral" in weak.guarantees
    assert weak.conditions[0] == "matured_outstanding"
    assert not credit_plan("return", LATEST, dscr=1.5, debt_to_asset=0.5, own_balance=0, amber_flags=[], t=T).offered


def test_dscr_stress_hand_computed() -> None:
    # base (1e8 + 2e7 + 3e7) / (2e7 + 8e7) = 1.5; −20%: EBITDA − 0.2 × (1e9 − 7e8) = 9e7 ⇒ 0.9
    stress = dict(dscr_stress(LATEST))
    assert stress[0.0] == pytest.approx(1.5) and stress[-0.20] == pytest.approx(0.9)
