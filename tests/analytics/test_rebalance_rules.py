"""Rebalancing rules a compliance officer signs, on hand-built books and on every sample scenario client.

Each rule has a tiny book whose right answer is worked out in the test, and the sample-book test checks
the same invariants for every scenario client of ``datastore.sample.SCENARIOS``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analytics.allocation import propose_rebalance, review_allocation
from analytics.availability import availability
from analytics.constants import ASSET_CLASSES
from analytics.errors import SuitabilityError
from analytics.liquidity import idle_cash
from analytics.rebalance import RebalanceProposal
from analytics.suitability import client_level, product_level
from core.policy import DEFAULT_POLICY, Policy

DAY = date(2026, 11, 20)
SHELF_COLS = ["code", "name", "kind", "asset_class", "risk_level", "liquidity_days", "min_amount",
              "expected_yield", "issue_date", "maturity_date", "term_days", "status"]


def _shelf(*extra: tuple) -> pd.DataFrame:  # type: ignore[type-arg]
    rows = [
        ("MMF", "货币基金", "fund", "cash", "R1", 1, 1.0, None, None, None, None, "on_shelf"),
        ("BOND", "纯债基金", "fund", "fixed_income", "R2", 3, 1.0, None, None, None, None, "on_shelf"),
        ("OPEN", "开放式理财", "wmp", "fixed_income", "R2", 1, 1.0, 0.022, date(2021, 8, 2), None, None, "on_shelf"),
        # the product: a closed-end 理财 issued in 2025 that matures in 18 days, best yield on the shelf
        ("WM18D", "18天到期理财", "wmp", "fixed_income", "R2", -1, 1.0, 0.05, date(2025, 6, 10),
         DAY + timedelta(days=18), 546, "on_shelf"),
        ("EQ3", "红利低波", "fund", "equity", "R3", 4, 1.0, None, None, None, None, "on_shelf"),
        ("EQ4", "成长股票", "fund", "equity", "R4", 4, 1.0, None, None, None, None, "on_shelf"),
        ("INS", "终身寿险", "insurance", "protection", "R1", -1, 1.0, 0.03, None, None, None, "on_shelf"),
        *extra,
    ]
    return pd.DataFrame(rows, columns=SHELF_COLS)


def _client(level: str = "C3", age: int = 45, expense: float = 10_000.0, **kw) -> pd.Series:  # type: ignore[no-untyped-def]
    return pd.Series({"id": "T1", "risk_level": level, "risk_assessed_on": date(2026, 6, 1), "age": age,
                      "monthly_expense": expense} | kw)


def _holdings(shelf: pd.DataFrame, values: dict[str, float], **overrides: dict) -> pd.DataFrame:  # type: ignore[type-arg]
    prod = shelf.set_index("code")
    rows = []
    for code, mv in values.items():
        row = {"product_code": code, "market_value": mv} | prod.loc[code, ["name", "kind", "asset_class", "risk_level",
                                                                          "liquidity_days", "maturity_date",
                                                                          "status"]].to_dict()
        rows.append(row | overrides.get(code, {}))
    return pd.DataFrame(rows)


def _mix_from_lines(holdings: pd.DataFrame, cash: float, prop: RebalanceProposal) -> dict[str, float]:
    """The mix implied by the holdings, the current account and the lines, recomputed by hand."""
    by = {c: 0.0 for c in ASSET_CLASSES}
    for _, h in holdings.iterrows():
        by[h["asset_class"]] += float(h["market_value"])
    by["cash"] += cash
    total = sum(by.values())
    for ln in prop.lines:
        sign = 1.0 if ln.action == "buy" else -1.0
        by[ln.asset_class] += sign * ln.amount
        by["cash"] -= sign * ln.amount  # settles through the current account
    return {k: v / total for k, v in by.items() if abs(v) > 1e-9}


def _assert_consistent(prop: RebalanceProposal, holdings: pd.DataFrame, cash: float) -> None:
    implied = _mix_from_lines(holdings, cash, prop)
    assert set(implied) == set(prop.proposed_mix)
    for k, v in implied.items():
        assert prop.proposed_mix[k] == pytest.approx(v, abs=1e-9)
    assert sum(prop.target_mix.values()) == pytest.approx(1.0, abs=1e-9)
    assert prop.pots is not None
    for k, v in prop.pots.target_by_class.items():  # the chart's target is the three pots' target
        assert prop.target_mix.get(k, 0.0) == pytest.approx(v / prop.total, abs=1e-9)
    sells = sum(ln.amount for ln in prop.lines if ln.action == "sell")
    buys = sum(ln.amount for ln in prop.lines if ln.action == "buy")
    assert (prop.sell_total, prop.buy_total) == (pytest.approx(sells), pytest.approx(buys))
    assert prop.cash_after == pytest.approx(cash + sells - buys)
    assert all(ln.action in ("buy", "sell") for ln in prop.lines)
    assert all(ln.action == "discuss" for ln in prop.to_discuss)


# ------------------------------------------------------------------------------------------ protection


def test_protection_is_never_sold_when_overweight() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"INS": 400_000.0, "EQ3": 300_000.0, "BOND": 250_000.0})
    prop = propose_rebalance(_client("C3"), hold, shelf, DAY, cash=50_000.0)
    assert not [ln for ln in prop.lines if ln.asset_class == "protection" or ln.product_code == "INS"]
    excess = [f for f in prop.findings if f.code == "protection_excess"]
    # policy protection = 10% of 1,000,000; held 400,000 → 300,000 to discuss, never surrendered
    assert len(excess) == 1 and excess[0].amount == pytest.approx(300_000.0)
    assert prop.proposed_mix["protection"] == pytest.approx(0.40)  # stays whole
    assert prop.target_mix["protection"] == pytest.approx(0.40)  # and the plan's target agrees
    _assert_consistent(prop, hold, 50_000.0)


def test_protection_is_never_bought_when_underweight() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"EQ3": 500_000.0, "BOND": 400_000.0})
    prop = propose_rebalance(_client("C3"), hold, shelf, DAY, cash=100_000.0)
    assert not [ln for ln in prop.lines if ln.asset_class == "protection" or ln.product_code == "INS"]
    gap = [f for f in prop.findings if f.code == "protection_gap"]
    assert len(gap) == 1 and gap[0].amount == pytest.approx(100_000.0)  # 10% of 1,000,000
    assert "protection" not in prop.target_mix
    _assert_consistent(prop, hold, 100_000.0)


# ------------------------------------------------------------------------------------------ risk level


def test_holding_above_level_is_sold_in_full() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"EQ4": 184_600.0, "BOND": 600_000.0, "MMF": 50_000.0})
    prop = propose_rebalance(_client("C2"), hold, shelf, DAY, cash=40_000.0)
    sold = [ln for ln in prop.lines if ln.product_code == "EQ4"]
    assert len(sold) == 1 and sold[0].action == "sell" and sold[0].amount == pytest.approx(184_600.0)
    assert sold[0].reason_code == "sell_above_level"
    assert all(product_level(ln.risk_level) <= 2 for ln in prop.lines if ln.action == "buy")
    _assert_consistent(prop, hold, 40_000.0)


def test_closed_end_holding_above_level_is_a_discuss_line() -> None:
    mat = DAY + timedelta(days=60)
    shelf = _shelf(("WMR3", "封闭式R3理财", "wmp", "fixed_income", "R3", -1, 1.0, 0.03, date(2026, 1, 5), mat, 364,
                    "on_shelf"))
    hold = _holdings(shelf, {"WMR3": 200_000.0, "BOND": 500_000.0})
    prop = propose_rebalance(_client("C2"), hold, shelf, DAY, cash=50_000.0)
    assert "WMR3" not in {ln.product_code for ln in prop.lines}  # cannot be sold before maturity
    (line,) = [ln for ln in prop.to_discuss if ln.product_code == "WMR3"]
    assert line.action == "discuss" and line.amount == pytest.approx(200_000.0)
    assert line.reason_code == "discuss_above_level_locked" and line.reason_args["maturity_date"] == mat.isoformat()
    _assert_consistent(prop, hold, 50_000.0)


# ------------------------------------------------------------------------------------------ deployment


def test_proceeds_are_fully_deployed() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"EQ4": 700_000.0, "BOND": 100_000.0})
    cash = 400_000.0  # idle: 40 months of a 10,000 expense
    client = _client("C3", expense=10_000.0)
    assert idle_cash(cash, 10_000.0, DEFAULT_POLICY.liquidity) > 0
    prop = propose_rebalance(client, hold, shelf, DAY, cash=cash)
    liq = 45_000.0  # 4.5 months of expenses, the midpoint of the 3–6 month band
    assert prop.liquidity_target == pytest.approx(liq)
    sells = sum(ln.amount for ln in prop.lines if ln.action == "sell")
    buys = sum(ln.amount for ln in prop.lines if ln.action == "buy")
    assert sells > 0 and buys == pytest.approx(sells + (cash - liq), abs=1e-6)
    assert abs(prop.cash_after - liq) < 1.0
    assert idle_cash(prop.cash_after, 10_000.0, DEFAULT_POLICY.liquidity) == 0
    # split by the gaps: every under-target class ends at its target (no residual in any class)
    for cls in ("cash", "fixed_income", "equity"):
        assert prop.proposed_mix.get(cls, 0.0) == pytest.approx(prop.target_mix.get(cls, 0.0), abs=1e-9)
    assert {f.code for f in prop.findings} >= {"no_buyable_product"}  # alternatives: none on this shelf
    _assert_consistent(prop, hold, cash)


def test_no_buyable_product_is_a_finding_and_its_share_moves() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"BOND": 200_000.0})
    prop = propose_rebalance(_client("C2"), hold, shelf, DAY, cash=800_000.0)
    reasons = {f.asset_class: f.args.get("reason") for f in prop.findings if f.code == "no_buyable_product"}
    assert reasons == {"equity": "above_client_level", "alternative": "none_on_shelf"}
    growth = 1_000_000 - 45_000 - 0.0  # protection held at 0 (a finding), liquidity 45,000
    # C2 mix cash .15 / fi .65 / equity .15 / alt .05: equity + alt (.20) go to cash and fi as 15:65
    assert prop.target_mix["fixed_income"] == pytest.approx(growth * (0.65 + 0.20 * 65 / 80) / 1e6)
    assert "equity" not in prop.target_mix and "alternative" not in prop.target_mix
    assert abs(prop.cash_after - 45_000.0) < 1.0
    _assert_consistent(prop, hold, 800_000.0)


def test_unbuyable_maturing_wmp_is_never_bought() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"WM18D": 300_000.0, "EQ3": 200_000.0})
    prop = propose_rebalance(_client("C3"), hold, shelf, DAY, cash=500_000.0)
    buys = {ln.product_code for ln in prop.lines if ln.action == "buy"}
    assert "WM18D" not in buys and "OPEN" in buys  # the best yield is not for sale: next best instead
    assert "WM18D" not in {ln.product_code for ln in prop.lines}  # held to maturity: not sold either
    single = 0.30 * prop.total
    for ln in prop.lines:  # no product above the single-product limit after the trades
        if ln.action == "buy":
            assert ln.amount <= single + 1e-6
    _assert_consistent(prop, hold, 500_000.0)


def test_unbuyable_wmp_is_not_bought_even_as_the_only_product_of_its_class() -> None:
    shelf = _shelf()
    shelf = shelf[~shelf["code"].isin(["BOND", "OPEN"])]  # fixed income: only the issued 18-day 理财 is left
    hold = _holdings(_shelf(), {"EQ3": 100_000.0})
    prop = propose_rebalance(_client("C3"), hold, shelf, DAY, cash=900_000.0)
    assert "WM18D" not in {ln.product_code for ln in prop.lines}
    (f,) = [f for f in prop.findings if f.code == "no_buyable_product" and f.asset_class == "fixed_income"]
    assert f.args["reason"] == "not_available" and f.amount > 0
    _assert_consistent(prop, hold, 900_000.0)


def test_no_single_product_above_the_concentration_limit() -> None:
    shelf = _shelf(("BOND2", "短债基金", "fund", "fixed_income", "R2", 3, 1.0, None, None, None, None, "on_shelf"))
    hold = _holdings(shelf, {"MMF": 10_000.0})
    prop = propose_rebalance(_client("C2"), hold, shelf, DAY, cash=990_000.0)
    fi = [ln for ln in prop.lines if ln.asset_class == "fixed_income"]
    # fixed income 775,938 (C2: .65 + .20·65/80 of the 955,000 growth pot) over three products of ≤ 300,000
    assert sum(ln.amount for ln in fi) == pytest.approx(955_000 * (0.65 + 0.20 * 65 / 80))
    assert [ln.product_code for ln in fi] == ["OPEN", "BOND", "BOND2"]  # stated yield first, then by code
    for ln in fi:
        assert ln.amount <= 0.30 * prop.total + 1e-6
    assert "product_concentration" not in {f.code for f in prop.findings}
    one = shelf[~shelf["code"].isin(["BOND", "BOND2"])]  # a single fixed-income product: the excess is a finding
    prop1 = propose_rebalance(_client("C2"), hold, one, DAY, cash=990_000.0)
    (f,) = [f for f in prop1.findings if f.code == "product_concentration"]
    (line,) = [ln for ln in prop1.lines if ln.product_code == "OPEN"]
    assert f.product_code == "OPEN" and line.amount - f.amount == pytest.approx(0.30 * prop1.total)
    _assert_consistent(prop1, hold, 990_000.0)


def test_insurance_above_level_is_discussed_not_surrendered() -> None:
    ilp = ("ILP", "投资连结保险", "insurance", "protection", "R3", 30, 1.0, None, None, None, None, "on_shelf")
    shelf = _shelf(ilp)
    hold = _holdings(shelf, {"ILP": 100_000.0, "BOND": 500_000.0})
    prop = propose_rebalance(_client("C2"), hold, shelf, DAY, cash=100_000.0)
    assert "ILP" not in {ln.product_code for ln in prop.lines}
    assert {ln.product_code for ln in prop.to_discuss} == {"ILP"}


def test_elderly_client_needs_dual_recording_for_r3_and_above() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"BOND": 300_000.0})
    client = _client("C4", age=74)
    prop = propose_rebalance(client, hold, shelf, DAY, cash=700_000.0)
    assert all(product_level(ln.risk_level) < 3 for ln in prop.lines if ln.action == "buy")
    (f,) = [f for f in prop.findings if f.code == "elderly_dual_recording_required"]
    assert f.asset_class == "equity" and f.amount > 0
    _assert_consistent(prop, hold, 700_000.0)
    ok = propose_rebalance(client, hold, shelf, DAY, cash=700_000.0, dual_recording_confirmed=True)
    assert any(ln.asset_class == "equity" and ln.action == "buy" for ln in ok.lines)
    assert "elderly_dual_recording_required" not in {f.code for f in ok.findings}
    younger = propose_rebalance(_client("C4", age=69), hold, shelf, DAY, cash=700_000.0)
    assert any(ln.asset_class == "equity" and ln.action == "buy" for ln in younger.lines)
    strict = Policy().replace(suitability={"elderly_age": 65})  # the age is a policy value
    assert "elderly_dual_recording_required" in {
        f.code for f in propose_rebalance(_client("C4", age=69), hold, shelf, DAY, cash=700_000.0,
                                          policy=strict).findings}


def test_expired_assessment_still_blocks_the_proposal() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"EQ4": 500_000.0})
    with pytest.raises(SuitabilityError):
        propose_rebalance(_client("C2", risk_assessed_on=date(2024, 1, 1)), hold, shelf, DAY, cash=10_000.0)


# ------------------------------------------------------------------------------------------ sample book


def _scenario_clients() -> list[str]:
    from datastore.sample import SCENARIOS

    return sorted({cid for ids in SCENARIOS.values() for cid in ids})


@pytest.fixture(scope="module")
def sample_reviews(sample_engine):  # type: ignore[no-untyped-def]
    from datastore.sample import AS_OF
    from services.loading import client_book

    out = {}
    for cid in _scenario_clients():
        book = client_book(sample_engine, cid, AS_OF)
        out[cid] = (book, review_allocation(book, as_of=AS_OF))
    return out


def test_sample_scenarios_follow_every_rule(sample_reviews) -> None:  # type: ignore[no-untyped-def]
    from datastore.sample import AS_OF, SCENARIOS

    assert len(sample_reviews) >= 30
    for cid, (book, review) in sample_reviews.items():
        prop = review.proposal
        if prop is None:  # only an expired assessment may block
            assert cid in SCENARIOS["expired_assessment"], (cid, review.blocked)
            continue
        hold = book.holdings()
        hold = hold[hold["market_value"] > 0]
        level = client_level(str(book.client["risk_level"]))
        # 1. no insurance sold (or bought)
        assert not [ln for ln in prop.lines if ln.asset_class == "protection"], cid
        # 2. nothing above the client's level is left without a full sale or a discuss line
        sold = {ln.product_code: ln.amount for ln in prop.lines if ln.action == "sell"}
        discussed = {ln.product_code for ln in prop.to_discuss}
        for _, h in hold[hold["risk_level"].map(product_level) > level].iterrows():
            code = str(h["product_code"])
            assert code in discussed or sold.get(code) == pytest.approx(float(h["market_value"])), (cid, code)
        # 3. only buyable products, within the client's level
        av = availability(book.products, AS_OF, DEFAULT_POLICY.products,
                          held_codes=hold["product_code"]).set_index("code")
        for ln in prop.lines:
            if ln.action == "buy":
                assert av.loc[ln.product_code, "buyable"], (cid, ln.product_code)
                assert product_level(ln.risk_level) <= level, (cid, ln.product_code)
                assert ln.product_code in prop.suitability_checked
        # 4. fully deployed: the current account ends at the liquidity target unless a finding says why
        codes = {f.code for f in prop.findings}
        if prop.lines and not codes & {"undeployed_cash", "liquidity_gap"}:
            assert abs(prop.cash_after - prop.liquidity_target) < 1.0, cid
        if idle_cash(float(book.cash), float(book.client["monthly_expense"]), DEFAULT_POLICY.liquidity) > 0:
            assert idle_cash(prop.cash_after, float(book.client["monthly_expense"]), DEFAULT_POLICY.liquidity) == 0
        # 5. one consistent picture: proposed = holdings + lines, target = the three pots
        _assert_consistent(prop, hold, float(book.cash))
        assert review.pots == prop.pots


def test_sample_named_cases(sample_reviews) -> None:  # type: ignore[no-untyped-def]
    """The cases of issue 10/12 on the sample book: C0004 (C2 with R4/R5), C0010 (whole-life policy),
    C0006 (idle cash), C0007 (R3 closed-end 理财 for a C2 client), C0009 (74 years old)."""
    _, r4 = sample_reviews["C0004"]
    sold = {ln.product_code: ln for ln in r4.proposal.lines if ln.action == "sell"}
    assert sold["001105"].reason_code == "sell_above_level" and sold["001105"].amount == pytest.approx(600_863, abs=1)
    _, r10 = sample_reviews["C0010"]
    assert "INS01" not in {ln.product_code for ln in r10.proposal.lines}
    assert "protection_excess" in {f.code for f in r10.proposal.findings}
    b6, r6 = sample_reviews["C0006"]
    assert r6.proposal.buy_total == pytest.approx(float(b6.cash) - r6.proposal.liquidity_target, abs=1e-6)
    _, r7 = sample_reviews["C0007"]
    assert {ln.product_code for ln in r7.proposal.to_discuss} == {"WM2025015"}
    _, r9 = sample_reviews["C0009"]
    assert all(product_level(ln.risk_level) < 3 for ln in r9.proposal.lines if ln.action == "buy")


def test_bad_frames_name_the_field() -> None:
    from analytics.errors import InvalidInput

    shelf = _shelf()
    hold = _holdings(shelf, {"BOND": 100_000.0})
    with pytest.raises(InvalidInput) as e:
        propose_rebalance(_client(), hold.drop(columns="market_value"), shelf, DAY)
    assert e.value.field == "holdings.market_value"
    with pytest.raises(InvalidInput) as e:
        propose_rebalance(_client(), hold, shelf.drop(columns="asset_class"), DAY)
    assert e.value.field == "shelf.asset_class"
    with pytest.raises(InvalidInput) as e:
        propose_rebalance(_client(), hold.assign(asset_class="gold"), shelf, DAY)
    assert e.value.field == "holdings.asset_class"


def test_locked_overweight_is_a_finding_not_a_sale() -> None:
    mat = DAY + timedelta(days=200)
    shelf = _shelf(("WMR2", "封闭式R2理财", "wmp", "fixed_income", "R2", -1, 1.0, 0.03, date(2026, 5, 1), mat, 364,
                    "on_shelf"))
    hold = _holdings(shelf, {"WMR2": 900_000.0, "EQ3": 50_000.0})
    prop = propose_rebalance(_client("C3"), hold, shelf, DAY, cash=50_000.0)
    assert "WMR2" not in {ln.product_code for ln in prop.lines}
    (f,) = [f for f in prop.findings if f.code == "locked_over_target"]
    assert f.asset_class == "fixed_income" and f.args == {"products": ["WMR2"], "earliest_maturity": mat.isoformat()}
    fi_target = prop.target_mix["fixed_income"] * prop.total
    assert f.amount == pytest.approx(900_000.0 - fi_target)
    _assert_consistent(prop, hold, 50_000.0)


def test_money_nothing_can_take_stays_in_the_account_with_a_finding() -> None:
    shelf = _shelf()
    shelf = shelf[shelf["kind"] == "insurance"]  # a shelf with nothing a rebalancing may buy
    hold = _holdings(_shelf(), {"BOND": 100_000.0})
    prop = propose_rebalance(_client("C3"), hold, shelf, DAY, cash=900_000.0)
    assert prop.lines == []
    (f,) = [f for f in prop.findings if f.code == "undeployed_cash"]
    assert f.amount == pytest.approx(900_000.0 - 45_000.0) and prop.cash_after == 900_000.0


def test_a_short_current_account_is_a_liquidity_gap() -> None:
    """Holdings in the C3 growth proportions (alternatives handed on: .10/.50/.35 of .95), no current account:
    each class is over its target by its share of the 45,000 liquidity pot, all within the 3% band, so
    nothing is sold and the missing 45,000 is a finding."""
    shelf = _shelf()
    hold = _holdings(shelf, {"MMF": 1e6 * 0.10 / 0.95, "BOND": 1e6 * 0.50 / 0.95, "EQ3": 1e6 * 0.35 / 0.95})
    prop = propose_rebalance(_client("C3"), hold, shelf, DAY, cash=0.0)
    (f,) = [f for f in prop.findings if f.code == "liquidity_gap"]
    assert f.amount == pytest.approx(45_000.0) and prop.lines == [] and prop.cash_after == 0.0


def test_no_recorded_expenses_means_no_liquidity_pot() -> None:
    shelf = _shelf()
    hold = _holdings(shelf, {"BOND": 100_000.0})
    prop = propose_rebalance(_client("C3", expense=float("nan")), hold, shelf, DAY, cash=100_000.0)
    assert prop.liquidity_target == 0.0 and abs(prop.cash_after) < 1.0  # everything invested, nothing lost
    _assert_consistent(prop, hold, 100_000.0)


def test_a_shelf_without_optional_columns_still_works() -> None:
    shelf = _shelf()[["code", "name", "kind", "asset_class", "risk_level", "status"]]
    hold = _holdings(_shelf(), {"BOND": 100_000.0})
    prop = propose_rebalance(_client("C3"), hold, shelf, DAY, cash=400_000.0)
    assert prop.buy_total == pytest.approx(400_000.0 - 45_000.0)
    assert "INS" not in {ln.product_code for ln in prop.lines}
