"""Corporate use cases: resolve a company and its profile (registration, ratios, risk events, credit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from analytics import corporate
from core.errors import Forbidden, InvalidInput, NotFound
from datastore.repositories import corporate as corp_repo
from datastore.repositories.lexicon import corporate_names
from services.deps import Deps
from services.resolve import best_match

CLIENT_CHANNEL_NO_CORPORATE = "客户服务渠道不能查询企业数据 (the client channel has no access to corporate data)"
_KEEP = ("id", "name", "credit_code", "legal_rep", "registered_capital", "founded", "industry", "status", "listed")


def require_corporate_access(deps: Deps) -> None:
    if deps.caller.role == "client_channel":
        raise Forbidden(CLIENT_CHANNEL_NO_CORPORATE)


def resolve_company(deps: Deps, text: str) -> str:
    """A corporate id from an id, a credit code or a (fuzzy) name."""
    rows = corporate_names(deps.engine)
    value = (text or "").strip()
    for cid, name, code in rows:
        if value.upper() in (cid.upper(), code.upper()) or value == name:
            return cid
    key, options = best_match(value, [(i, n) for i, n, _ in rows], kind="company")
    if key:
        return key
    if options:
        names = "; ".join(f"{n} ({i})" for i, n in options)
        raise InvalidInput(f"several companies match {value!r}: {names}", field="company", hint="give the id")
    raise NotFound(f"no company matches {value!r}", field="company", hint="give the name, id or credit code")


class CompanyProfile(BaseModel):
    company_id: str
    as_of: date
    profile: dict[str, Any]
    ratios_year: int
    ratios: list[dict[str, Any]]
    risk_events: list[dict[str, Any]]
    credit: list[dict[str, Any]]


def company_profile(deps: Deps, company: str, year: int | None = None) -> CompanyProfile:
    """Registration, one fiscal year's ratios (``year``, default the latest of the three the analysis covers),
    risk events and credit."""
    require_corporate_access(deps)
    years = corporate.expected_years(deps.as_of)
    if year is not None and year not in years:
        raise InvalidInput(f"no financial ratios for {year}", field="year",
                           hint=f"give one of {', '.join(str(y) for y in years)}, or leave it out for {years[-1]}")
    cid = resolve_company(deps, company)
    reg = corp_repo.find_corporate(deps.engine, cid) or {}
    shown = year or years[-1]
    ratios = corporate.ratios(corp_repo.corporate_financials(deps.engine, cid), years)
    chosen = [r.model_dump(include={"metric", "value", "unit"}) for r in ratios if r.year == shown]
    return CompanyProfile(
        company_id=cid, as_of=deps.as_of, profile={k: reg.get(k) for k in _KEEP}, ratios_year=shown,
        ratios=chosen, risk_events=corp_repo.corporate_risk_events(deps.engine, cid).to_dict("records"),
        credit=corp_repo.corporate_credit(deps.engine, cid).to_dict("records"),
    )
