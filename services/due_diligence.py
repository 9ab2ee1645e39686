"""The due-diligence use case (尽职调查): registration, statements, shareholders, risk events and credit
through the repositories, the credit rules of ``analytics.corporate`` with the policy's thresholds →
``DueDiligenceContent``; ``build_due_diligence`` renders it (``reports.due_diligence.render_due_diligence``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from analytics import corporate as corp
from core.errors import Forbidden, InvalidInput
from core.identifiers import is_valid_credit_code
from core.policy import DEFAULT_POLICY, Policy
from datastore.repositories import corporate as repo
from datastore.repositories.meta import as_of_date
from reports import labels as L
from reports.due_diligence import DueDiligenceContent, render_due_diligence
from reports.models import Lang, ReportResult


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


def dd_content(
    engine: Engine, caller: Any, company: str, scenario: str, *, lang: Lang = "zh",
    policy: Policy = DEFAULT_POLICY,
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
    cid = reg["id"]
    as_of = as_of_date(engine)
    fin = repo.corporate_financials(engine, cid)
    holders = repo.corporate_shareholders(engine, cid)
    events = repo.corporate_risk_events(engine, cid)
    credit = repo.corporate_credit(engine, cid)

    years = corp.expected_years(as_of)
    missing = corp.missing_years(fin, years)
    ratio_list = corp.ratios(fin, years)
    latest_rows = fin[fin["year"] == max((y for y in years if y not in missing), default=-1)]
    equity = (
        None
        if latest_rows.empty or pd.isna(latest_rows["equity"].iloc[0])
        else float(latest_rows["equity"].iloc[0])
    )
    code_ok = is_valid_credit_code(str(reg["credit_code"]))
    flags = corp.evaluate_flags(
        scenario,  # type: ignore[arg-type]
        status=str(reg["status"]),
        credit_code_valid=code_ok,
        ratio_list=ratio_list,
        years=years,
        missing_year_list=missing,
        shareholders=holders,
        risk_events=events,
        credit=credit,
        as_of=as_of,
        equity=equity,
        thresholds=policy.credit,
    )
    by_year = {int(r["year"]): r for r in _records(fin)}
    financials = [{"year": y, **{k: by_year.get(y, {}).get(k) for k in L.FIN_ITEMS}} for y in years]
    totals: dict[str, float | int | None] = {
        "lenders": int(credit["lender"].nunique()) if len(credit) else 0,
        "limit": float(credit["limit_amount"].sum()) if len(credit) else None,
        "balance": float(credit["balance"].sum()) if len(credit) else None,
        "overdue_days": int(credit["overdue_days"].max()) if len(credit) else None,
        "max_overdue_days_24m": int(credit["max_overdue_days_24m"].max()) if len(credit) else None,
        "events": len(events),
        "open_events": int((events["status"] == "open").sum()) if len(events) else 0,
    }
    content = DueDiligenceContent(
        company_id=cid,
        name=str(reg["name"]),
        scenario=scenario,
        lang=lang,
        as_of=as_of,
        registration={k: reg[k] for k in reg if k != "id"},
        credit_code_valid=code_ok,
        shareholders=_records(holders),
        years=years,
        missing_years=missing,
        financials=financials,
        ratios=ratio_list,
        risk_events=_records(events),
        credit=_records(credit),
        credit_totals=totals,
        flags=flags,
        conclusion=corp.conclusion(flags),
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
    content = dd_content(engine, caller, company, scenario, lang=lang, policy=pol)
    return render_due_diligence(content, out, llm=llm)
