"""The due-diligence use case (尽职调查): registration, statements, shareholders (looked through to the
beneficial owners), risk events and credit through the repositories; the credit rules of
``analytics.corporate``, the plausibility checks and snapshot changes of ``analytics.corporate_checks`` and
the 授信方案 of ``analytics.credit_plan``, all with the policy's thresholds → ``DueDiligenceContent``;
``build_due_diligence`` renders it (``reports.due_diligence.render_due_diligence``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from analytics import corporate as corp
from analytics import corporate_checks as checks
from analytics.corporate_ownership import MAX_DEPTH, look_through
from analytics.credit_plan import OWN_BANK, credit_plan, dscr_stress
from core.errors import Forbidden, InvalidInput
from core.identifiers import is_valid_credit_code
from core.policy import DEFAULT_POLICY, Policy
from datastore.repositories import corporate as repo
from datastore.repositories.market import index_levels
from datastore.repositories.meta import as_of_date
from reports import labels as L
from reports.due_diligence import DueDiligenceContent, render_due_diligence
from reports.models import Lang, ReportResult
from services.due_diligence_data import aml_rating, peer_ratios, window_return


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


def _sum(row: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    vals = [row.get(k) for k in keys]
    return None if any(v is None for v in vals) else float(sum(vals))  # type: ignore[arg-type]


def _with_totals(row: dict[str, Any]) -> dict[str, Any]:
    """The statements' 合计 lines the tables print: liabilities + equity, the net change in cash."""
    row["liabilities_and_equity"] = _sum(row, ("total_liabilities", "equity"))
    row["net_cash_change"] = _sum(row, ("cfo", "cfi", "cff"))
    return row


def _edges(cid: str, name: str, holders: pd.DataFrame, ids_by_name: dict[str, str],
           max_depth: int = MAX_DEPTH) -> list[dict[str, Any]]:
    """The shareholding edges above ``cid`` for the ownership chart: holder → company, direct share and
    the layer (1 = direct holders), following holders that are companies in our data."""
    by_company = {c: g for c, g in holders.groupby("corporate_id")} if len(holders) else {}
    out: list[dict[str, Any]] = []
    seen = {cid}

    def walk(company_id: str, company: str, layer: int) -> None:
        for row in by_company.get(company_id, pd.DataFrame()).itertuples():
            holder = str(row.name)
            out.append({"holder": holder, "kind": str(row.kind), "company": company, "share": float(row.share),
                        "layer": layer})
            sub = ids_by_name.get(holder)
            if sub is not None and sub in by_company and sub not in seen and layer < max_depth:
                seen.add(sub)
                walk(sub, holder, layer + 1)

    walk(cid, name, 1)
    return out


def _years_between(start: Any, end: Any) -> int | None:
    if start is None:
        return None
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def dd_content(
    engine: Engine, caller: Any, company: str, scenario: str, *, lang: Lang = "zh",
    policy: Policy = DEFAULT_POLICY, bank_name: str = "WealthDesk",
) -> DueDiligenceContent:
    """Structured DD content for ``company`` (name, id like ``E001`` or credit code) and ``scenario``."""
    if scenario not in corp.SCENARIOS:
        raise InvalidInput(
            f"unknown scenario {scenario!r}", field="--scenario", hint="credit | account-opening | change"
        )
    if getattr(caller, "role", None) == "client_channel":
        raise Forbidden(
            "客户服务渠道不能查询企业尽调数据 (the client channel has no access to due diligence)"
        )
    reg = repo.find_corporate(engine, company)
    if reg is None:
        raise InvalidInput(
            f"no company matches {company!r}", field="--company", hint="use the name, E-id or credit code"
        )
    t = policy.credit
    cid = reg["id"]
    as_of = as_of_date(engine)
    fin = repo.corporate_financials(engine, cid)
    holders = repo.corporate_shareholders(engine, cid)
    events = repo.corporate_risk_events(engine, cid)
    credit = repo.corporate_credit(engine, cid)
    everyone = repo.list_corporates(engine)
    all_holders = pd.concat([repo.corporate_shareholders(engine, i) for i in everyone["id"]], ignore_index=True)
    all_events = pd.concat([repo.corporate_risk_events(engine, i) for i in everyone["id"]], ignore_index=True)

    years = corp.expected_years(as_of)
    missing = corp.missing_years(fin, years)
    ratio_list = corp.ratios(fin, years)
    present = [y for y in years if y not in missing]
    latest_rows = fin[fin["year"] == max(present, default=-1)]
    equity = (
        None
        if latest_rows.empty or pd.isna(latest_rows["equity"].iloc[0])
        else float(latest_rows["equity"].iloc[0])
    )
    code_ok = is_valid_credit_code(str(reg["credit_code"]))
    flags = corp.evaluate_flags(
        scenario,  # type: ignore[arg-type]
        status=str(reg["status"]), credit_code_valid=code_ok, ratio_list=ratio_list, years=years,
        missing_year_list=missing, shareholders=holders, risk_events=events, credit=credit, as_of=as_of,
        equity=equity, thresholds=t,
    )
    by_year = {int(r["year"]): r for r in _records(fin)}
    items = [k for k in fin.columns if k not in ("corporate_id", "year")] or list(L.FIN_ITEMS)
    financials = [_with_totals({"year": y, **{k: by_year.get(y, {}).get(k) for k in items}}) for y in years]
    own = credit[credit["lender"] == OWN_BANK] if len(credit) else credit
    totals: dict[str, float | int | None] = {
        "lenders": int(credit["lender"].nunique()) if len(credit) else 0,
        "limit": float(credit["limit_amount"].sum()) if len(credit) else None,
        "balance": float(credit["balance"].sum()) if len(credit) else None,
        "own_limit": float(own["limit_amount"].sum()) if len(own) else 0.0,
        "own_balance": float(own["balance"].sum()) if len(own) else 0.0,
        "overdue_days": int(credit["overdue_days"].max()) if len(credit) else None,
        "max_overdue_days_24m": int(credit["max_overdue_days_24m"].max()) if len(credit) else None,
        "own_share": (float(own["balance"].sum()) / float(credit["balance"].sum()))
        if len(own) and float(credit["balance"].sum()) > 0 else (0.0 if len(credit) else None),
        "events": len(events),
        "open_events": int((events["status"] == "open").sum()) if len(events) else 0,
    }
    ids_by_name = dict(zip(everyone["name"], everyone["id"], strict=True))
    ownership = look_through(cid, all_holders, ids_by_name, ubo_share=t.ubo_share,
                             legal_rep=str(reg.get("legal_rep") or ""))
    warnings = [
        *checks.city_warnings(str(reg.get("address") or ""), str(reg["credit_code"])),
        *checks.shared_events(cid, all_events),
        *checks.constant_ratios(ratio_list, tolerance=t.constant_ratio_tolerance),
    ]
    conclusion = corp.conclusion(flags)
    content = DueDiligenceContent(
        company_id=cid, name=str(reg["name"]), scenario=scenario, lang=lang, as_of=as_of,
        registration={k: reg[k] for k in reg if k != "id"}, credit_code_valid=code_ok,
        shareholders=_records(holders), years=years, missing_years=missing, financials=financials,
        ratios=ratio_list, risk_events=_records(events), credit=_records(credit), credit_totals=totals,
        flags=flags, conclusion=conclusion, ownership=ownership, warnings=warnings,
        thresholds=t.model_dump(), bank_name=bank_name,
        years_in_operation=_years_between(reg.get("founded"), as_of),
        share_total=float(holders["share"].sum()) if len(holders) else None,
        ownership_edges=_edges(cid, str(reg["name"]), all_holders, ids_by_name),
    )
    if scenario == "credit":
        latest = max(present, default=None)
        rv = {r.metric: r.value for r in ratio_list if r.year == latest}
        content.plan = credit_plan(
            conclusion, by_year.get(latest) if latest else None, dscr=rv.get("dscr"),
            debt_to_asset=rv.get("debt_to_asset"), own_balance=float(totals["own_balance"] or 0.0),
            amber_flags=[f.code for f in flags if f.severity == "amber"], t=t,
        )
        content.stress = dscr_stress(by_year.get(latest) if latest else None)
        content.peers = peer_ratios(engine, everyone, reg, years)
        content.industry_return_1y = window_return(index_levels(engine, str(reg["industry_code"])), as_of)
        content.market_return_1y = window_return(index_levels(engine, "000300"), as_of)
    if scenario == "account-opening":
        content.aml_rating, content.aml_reasons = aml_rating(flags, ownership, warnings)
    if scenario == "change":
        # one stored snapshot: the earlier one is derived from dated history, recent_event_days back
        content.change_from = as_of - timedelta(days=t.recent_event_days)
        content.changes = checks.snapshot_changes(
            content.change_from, as_of, credit=credit, events=events, fin_rows=list(by_year.values()),
            years=years,
        )
    return content


def build_due_diligence(
    engine: Engine,
    caller: Any,
    company: str,
    scenario: str,
    out: Path | str,
    *,
    lang: Lang = "zh",
    settings: Any = None,
    llm: Any = None,
    policy: Policy | None = None,
) -> ReportResult:
    """Build the DD docx at ``out``. Raises ``GroundingError`` (nothing written) on an ungrounded number."""
    pol = policy or (settings.policy if settings is not None and hasattr(settings, "policy") else DEFAULT_POLICY)
    bank = str(getattr(settings, "bank_name", "") or "WealthDesk")
    content = dd_content(engine, caller, company, scenario, lang=lang, policy=pol, bank_name=bank)
    return render_due_diligence(content, out, llm=llm)
