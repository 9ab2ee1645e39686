"""Product use cases: can this client buy this product (every reason), and the shelf search that knows
availability, the holding horizon and what the client already holds."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from pydantic import BaseModel

from analytics.availability import availability
from analytics.suitability import assessment_expired, check_suitability, client_level, product_level
from core.errors import InvalidInput, NotFound, SuitabilityError
from datastore.repositories import clients as crepo
from services.clients import client_book
from services.deps import Deps
from services.resolve import best_match

_SHELF_COLS = ("code", "name", "kind", "asset_class", "risk_level", "min_amount", "expected_yield",
               "liquidity_days", "maturity_date", "issue_date")


def resolve_product(deps: Deps, text: str) -> dict[str, Any]:
    """A products row from a code or a (fuzzy) name."""
    shelf = crepo.products(deps.engine)
    value = (text or "").strip()
    hit = shelf[shelf["code"].str.upper() == value.upper()]
    if len(hit):
        return hit.iloc[0].to_dict()
    key, options = best_match(value, list(zip(shelf["code"], shelf["name"], strict=True)), kind="fund")
    if key:
        return shelf[shelf["code"] == key].iloc[0].to_dict()
    if options:
        raise InvalidInput(f"several products match {value!r}: " + "; ".join(f"{n} ({c})" for c, n in options),
                           field="product", hint="give the product code")
    raise NotFound(f"no product matches {value!r}", field="product", hint="give the product code")


class Check(BaseModel):
    rule: str  # risk_level | assessment | elderly | availability | min_amount
    passed: bool
    detail: dict[str, Any]


class SuitabilityResult(BaseModel):
    client_id: str
    product_code: str
    product_name: str
    suitable: bool  # every check passed (the elderly rule may still need 双录: see checks)
    checks: list[Check]
    gate_message: str | None  # the gate's refusal, as the sale would be refused


def check_product_for_client(deps: Deps, client_id: str, product: str, amount: float | None = None) -> SuitabilityResult:
    """这个客户能买这个产品吗 — every reason, not just the first refusal."""
    book = client_book(deps, client_id)
    c, p, rules = book.client, resolve_product(deps, product), deps.policy.suitability
    cl, pl = client_level(str(c["risk_level"])), product_level(str(p["risk_level"]))
    assessed = pd.Timestamp(c["risk_assessed_on"]).date()
    expired = assessment_expired(assessed, deps.as_of, rules.assessment_valid_days)
    age = int(c["age"])
    avail = availability(pd.DataFrame([p]), deps.as_of, deps.policy.products,
                         held_codes=set(book.positions["product_code"])).iloc[0]
    checks = [
        Check(rule="risk_level", passed=pl <= cl, detail={"product_risk_level": p["risk_level"],
                                                         "client_risk_level": c["risk_level"]}),
        Check(rule="assessment", passed=not expired or p["kind"] == "deposit",
              detail={"assessed_on": assessed, "valid_days": rules.assessment_valid_days, "expired": expired}),
        Check(rule="elderly", passed=not (age >= rules.elderly_age and pl >= rules.elderly_min_product_level),
              detail={"age": age, "min_age": rules.elderly_age, "needs_dual_recording":
                      age >= rules.elderly_age and pl >= rules.elderly_min_product_level}),
        Check(rule="availability", passed=bool(avail["buyable"]),
              detail={"reason": avail["unavailable_reason"], "status": p["status"], "issue_date": p.get("issue_date"),
                      "maturity_date": p.get("maturity_date")}),
    ]
    if amount is not None:
        checks.append(Check(rule="min_amount", passed=amount >= float(p["min_amount"] or 0.0),
                            detail={"amount": amount, "min_amount": float(p["min_amount"] or 0.0)}))
    gate = None
    try:
        check_suitability(c, p, deps.as_of, rules=rules)
    except SuitabilityError as exc:
        gate = exc.message
    return SuitabilityResult(client_id=book.client_id, product_code=str(p["code"]), product_name=str(p["name"]),
                             suitable=all(ch.passed for ch in checks), checks=checks, gate_message=gate)


class ShelfSearch(BaseModel):
    as_of: date
    client_id: str | None
    client_risk_level: str | None
    filters: dict[str, Any]
    horizon_days: int
    total: int  # products that passed every filter (the list shows the first ``limit``)
    products: list[dict[str, Any]]
    excluded: dict[str, int]  # reason → how many products were left out for it


def search_shelf(
    deps: Deps, *, client_id: str | None = None, max_risk_level: str | None = None, asset_class: str | None = None,
    amount: float | None = None, horizon_days: int | None = None, limit: int = 5,
) -> ShelfSearch:
    """Products the bank sells now, highest expected yield first: open for subscription, not maturing within
    the policy's minimum term, never a client's own maturing holding as its reinvestment, and with a client
    only those that pass the suitability gate. ``horizon_days`` ("放一年" = 365) drops products locked beyond
    it and marks those that mature before it."""
    book = client_book(deps, client_id) if client_id else None  # entitlement first, before any read
    shelf = crepo.products(deps.engine)
    horizon = horizon_days or deps.policy.products.reinvestment_horizon_days
    held = set(book.positions["product_code"]) if book is not None else set()
    s = availability(shelf, deps.as_of, deps.policy.products, horizon_days=horizon, held_codes=held)
    excluded: dict[str, int] = {}

    def drop(mask: pd.Series, reason: str) -> pd.DataFrame:
        if int(mask.sum()):
            excluded[reason] = excluded.get(reason, 0) + int(mask.sum())
        return s[~mask]

    for reason, n in s.loc[~s["buyable"], "unavailable_reason"].value_counts().items():
        excluded[str(reason)] = int(n)
    s = s[s["buyable"]]
    s = drop(s["locked_beyond_horizon"].astype(bool), "locked_beyond_horizon")
    if max_risk_level:
        s = drop(s["risk_level"].map(product_level) > product_level(max_risk_level), "above_max_risk_level")
    if asset_class:
        s = drop(s["asset_class"] != asset_class, "other_asset_class")
    if amount is not None:
        s = drop(pd.to_numeric(s["min_amount"], errors="coerce").fillna(0.0) > amount, "below_min_amount")
    if book is not None:
        ok = []
        for row in s.to_dict(orient="records"):
            try:
                check_suitability(book.client, row, deps.as_of, rules=deps.policy.suitability)
                ok.append(True)
            except SuitabilityError:
                ok.append(False)
        s = drop(~pd.Series(ok, index=s.index, dtype=bool), "unsuitable")
    s = s.assign(_y=pd.to_numeric(s["expected_yield"], errors="coerce").fillna(-1.0))
    s = s.sort_values(["_y", "code"], ascending=[False, True])
    cols = [c for c in (*_SHELF_COLS, "matures_before_horizon") if c in s.columns]
    return ShelfSearch(
        as_of=deps.as_of, client_id=book.client_id if book is not None else None,
        client_risk_level=str(book.client["risk_level"]) if book is not None else None,
        filters={"max_risk_level": max_risk_level, "asset_class": asset_class, "amount": amount},
        horizon_days=horizon, total=len(s), products=s[cols].head(limit).to_dict("records"), excluded=excluded,
    )
