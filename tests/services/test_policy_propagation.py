"""Changing a setting changes every consumer of that policy value (one Policy, built from Settings)."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from core.identity import Caller
from datastore.sample import SCENARIOS
from services import book, planning, products
from services.deps import Deps
from services.proposal import proposal_content


def _deps(engine, **settings) -> Deps:  # type: ignore[no-untyped-def]
    return Deps.build(engine, Caller.rm("RM001"), settings=Settings(**settings))


def _rules(d: Deps) -> dict[str, int]:
    return book.book_query(d, book.BookQuery(page_size=500)).counts_by_rule


def test_assessment_validity_reaches_every_consumer(sample_engine) -> None:  # type: ignore[no-untyped-def]
    cid = next(c for c in SCENARIOS["expired_assessment"] if c <= "C0040")
    strict, lax = _deps(sample_engine), _deps(sample_engine, risk_assessment_valid_days=100000)
    assert planning.allocation_review(strict, cid).assessment_expired
    assert not planning.allocation_review(lax, cid).assessment_expired
    assert _rules(strict).get("assessment_expired", 0) > 0 and "assessment_expired" not in _rules(lax)
    assert proposal_content(sample_engine, strict.caller, cid, policy=strict.policy).assessment_expired
    assert not proposal_content(sample_engine, lax.caller, cid, policy=lax.policy).assessment_expired
    assert products.search_shelf(strict, client_id=cid).total < products.search_shelf(lax, client_id=cid).total


def test_thresholds_reach_book_scan_and_proposal(sample_engine) -> None:  # type: ignore[no-untyped-def]
    base, loose = _deps(sample_engine), _deps(sample_engine, loss_alert_threshold=0.9, single_product_limit=1.0,
                                               idle_cash_min=1e12, maturity_alert_days=1)
    b, lo = _rules(base), _rules(loose)
    for rule in ("loss", "concentration", "idle_cash", "maturing"):
        assert b.get(rule, 0) > 0 and lo.get(rule, 0) == 0, rule
    cid = SCENARIOS["loss"][0]
    codes = {f.code for f in proposal_content(sample_engine, base.caller, cid, policy=base.policy).findings}
    codes_loose = {f.code for f in proposal_content(sample_engine, loose.caller, cid, policy=loose.policy).findings}
    assert "loss" in codes and "loss" not in codes_loose


def test_elderly_age_reaches_the_gate_and_the_scan(sample_engine) -> None:  # type: ignore[no-untyped-def]
    base, older = _deps(sample_engine), _deps(sample_engine, elderly_age=90)
    assert _rules(base).get("elderly_high_risk", 0) > 0 and "elderly_high_risk" not in _rules(older)
    check = products.check_product_for_client(older, "C0009", "001111")
    assert next(c for c in check.checks if c.rule == "elderly").passed


@pytest.mark.parametrize("field", ["single_product_limit", "loss_alert_threshold", "elderly_age"])
def test_every_setting_lands_in_the_policy(field: str) -> None:
    from core.policy import SETTING_FIELDS

    value = {"single_product_limit": 0.42, "loss_alert_threshold": 0.33, "elderly_age": 75}[field]
    section, name = SETTING_FIELDS[field]
    assert getattr(getattr(Settings(**{field: value}).policy, section), name) == value
