"""The proposal use case (资产配置建议书): access check, loading, analytics, diagnosis → ``ProposalContent``;
``build_proposal`` renders it (``reports.proposal.render_proposal``).

Policy values (loss threshold, maturity review window, backtest years, idle cash) come from ``Policy``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from analytics import allocation, lookthrough, pnl
from analytics.liquidity import idle_cash
from analytics.suitability import assessment_expired, client_level, product_level
from core.errors import InvalidInput, SuitabilityError
from core.policy import DEFAULT_POLICY, Policy
from datastore.repositories import market as mrepo
from datastore.repositories.meta import as_of_date as loading_as_of
from reports.models import Lang, ReportResult
from reports.proposal import _HOLDING_COLS, Finding, ProposalContent, Variant, render_proposal
from services import loading
from services.access import require_client_access
from services.proposal_trades import product_cards, trade_details


def _inputs() -> Any:
    return loading


def _diagnose(
    content_client: pd.Series,
    look: lookthrough.ClientLookthrough,
    holdings: pd.DataFrame,
    pots: allocation.ThreePots,
    products: pd.DataFrame,
    as_of: date,
    cash: float,
    policy: Policy,
) -> list[Finding]:
    out: list[Finding] = []
    for f in look.flags:
        out.append(
            Finding(
                code="concentration",
                severity="medium",
                subject=f.name,
                value=f.share,
                threshold=f.threshold,
                detail={"layer": f.layer, "basis": f.basis},
            )
        )
    c = client_level(str(content_client["risk_level"]))
    for _, h in holdings.iterrows():
        if product_level(str(h["risk_level"])) > c:
            out.append(
                Finding(
                    code="risk_mismatch",
                    severity="high",
                    subject=str(h["name"]),
                    detail={
                        "product_risk": str(h["risk_level"]),
                        "client_risk": str(content_client["risk_level"]),
                    },
                    value=float(h["market_value"]),
                )
            )
        if h.get("gain_pct") is not None and pd.notna(h["gain_pct"]) and float(h["gain_pct"]) < -policy.alerts.loss_threshold:
            out.append(
                Finding(
                    code="loss",
                    severity="medium",
                    subject=str(h["name"]),
                    value=float(h["gain_pct"]),
                    threshold=-policy.alerts.loss_threshold,
                    detail={"gain": float(h["gain"])},
                )
            )
    excess = float(idle_cash(cash, float(content_client.get("monthly_expense") or 0.0), policy.liquidity))
    if excess > 0:  # analytics.liquidity.idle_cash: the same definition as the book scan
        out.append(
            Finding(
                code="idle_cash",
                severity="medium",
                subject="cash",
                value=excess,
                threshold=policy.liquidity.idle_cash_min,
                detail={"balance": cash, "months": policy.liquidity.idle_cash_months},
            )
        )
    horizon = as_of + timedelta(days=policy.alerts.maturity_review_days)
    mats = (
        products.set_index("code")["maturity_date"]
        if "maturity_date" in products
        else pd.Series(dtype=object)
    )
    for _, h in holdings.iterrows():
        m = mats.get(h["product_code"]) if len(mats) else None
        if m is not None and pd.notna(m) and as_of <= pd.Timestamp(m).date() <= horizon:
            out.append(
                Finding(
                    code="maturity",
                    severity="info",
                    subject=str(h["name"]),
                    value=float(h["market_value"]),
                    detail={"maturity_date": pd.Timestamp(m).date()},
                )
            )
    return out


def _english(findings: list[Finding], products: pd.DataFrame, lang: str) -> list[Finding]:
    """English documents name products by their stored English name (look-through flags carry the
    Chinese product name)."""
    if lang != "en" or "name_en" not in products:
        return findings
    en = {str(n): str(e) for n, e in zip(products["name"], products["name_en"], strict=True) if e}
    return [f.model_copy(update={"subject": en.get(f.subject, f.subject)}) for f in findings]


def mask_tail(value: Any, keep: int = 4) -> str:
    """A personal number with all but its last ``keep`` characters masked (``****1234``)."""
    s = str(value or "")
    return "*" * max(len(s) - keep, 0) + s[-keep:] if s else ""


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    first = date(d.year + y, m + 1, 1)
    nxt = date(first.year + (first.month // 12), first.month % 12 + 1, 1)
    return first.replace(day=min(d.day, (nxt - timedelta(days=1)).day))


def proposal_content(
    engine: Engine, caller: Any, client_id: str, lang: Lang = "zh", *, variant: Variant = "internal",
    policy: Policy = DEFAULT_POLICY, unmask_pii: bool = False,
) -> ProposalContent:
    """Structured proposal content for one client of the caller (``Forbidden`` otherwise). ID and mobile
    numbers are masked to their last 4 digits in every variant unless ``unmask_pii`` (the entry point
    audits that choice)."""
    require_client_access(engine, caller, client_id)
    if lang not in ("zh", "en"):
        raise InvalidInput(f"unsupported language {lang!r}", field="lang", hint="zh or en")
    if variant not in ("internal", "client"):
        raise InvalidInput(f"unknown variant {variant!r}", field="variant", hint="internal or client")
    inp = _inputs()
    as_of = loading_as_of(engine)
    book = inp.client_book(engine, client_id, as_of)
    client = book.client

    hold = book.holdings()
    hold = hold[hold["market_value"] > 0].copy()
    if lang == "en" and "name_en" in book.products:  # English documents show the stored English names
        en = book.products.set_index("code")["name_en"].replace("", pd.NA)
        hold["name"] = hold["product_code"].map(en).fillna(hold["name"])
    prices = (
        (hold.set_index("product_code")["market_value"] / hold.set_index("product_code")["shares"]).rename(
            "price"
        )
        if "shares" in hold
        else None
    )
    result = pnl.client_pnl(book.transactions, book.products, prices, as_of, splits=book.splits)
    rows = {str(r["product_code"]): r for r in result.positions}
    total = float(hold["market_value"].sum()) + float(book.cash)
    hold["gain"] = [float(rows.get(str(c), {}).get("gain") or 0.0) for c in hold["product_code"]]
    hold["cost"] = [rows.get(str(c), {}).get("cost") for c in hold["product_code"]]
    invested = [rows.get(str(c), {}).get("invested") for c in hold["product_code"]]
    hold["gain_pct"] = [g / i if i else None for g, i in zip(hold["gain"], invested, strict=True)]
    hold["weight"] = hold["market_value"] / total

    exposures = inp.fund_exposures(engine, as_of)  # shared, cached per (engine, as_of) by the datastore
    look = lookthrough.lookthrough_client(book, exposures, top_n=10, limits=policy.concentration)
    cur = hold.groupby("asset_class")["market_value"].sum()
    cur["cash"] = cur.get("cash", 0.0) + float(book.cash)
    rebalance, blocked, paths = None, None, None
    try:
        rebalance = allocation.propose_rebalance(client, hold, book.products, as_of, cash=float(book.cash),
                                                 policy=policy)
    except SuitabilityError as exc:  # the gate refused: no line may appear, say why instead
        blocked = exc.message
    # the pots the plan aims at (protection held, the current account as the liquidity pot), so the chart,
    # the three-pots table and the trades agree; the same pots when the gate blocked the plan
    pots = rebalance.pots if rebalance is not None else allocation.plan_pots(client, cur, float(book.cash), policy)
    backtest, window = None, None
    if rebalance is not None:
        start = date(as_of.year - policy.market.backtest_years, as_of.month, min(as_of.day, 28))
        rets = inp.class_returns(engine, start, as_of, policy.market)
        backtest = allocation.compare_backtest(rets, rebalance.current_mix, rebalance.proposed_mix)
        window = (pd.Timestamp(rets.index.min()).date(), pd.Timestamp(rets.index.max()).date())
        paths = {
            k: (1 + allocation.backtest_mix(rets, mix)).cumprod()
            for k, mix in (("current", rebalance.current_mix), ("proposed", rebalance.proposed_mix))
        }

    profile_keys = [
        "name",
        "age",
        "gender",
        "occupation",
        "life_stage",
        "segment",
        "risk_level",
        "risk_assessed_on",
        "annual_income",
        "monthly_expense",
    ]
    profile_keys += ["id_number", "mobile"]
    profile = {
        k: (client[k].item() if hasattr(client[k], "item") else client[k])
        for k in profile_keys
        if k in client
    }
    for k in ("id_number", "mobile"):
        if k in profile and not unmask_pii:
            profile[k] = mask_tail(profile[k])
    for k in ("goals", "horizon_years", "marital_status", "children", "dependents"):
        if k in client and pd.notna(client[k]):
            profile[k] = client[k].item() if hasattr(client[k], "item") else client[k]
    rm = inp.rm_of_client(engine, client_id)
    content = ProposalContent(
        client_id=client_id,
        lang=lang,
        variant=variant,
        as_of=as_of,
        client=profile,
        rm=rm,
        assessment_expired=assessment_expired(pd.Timestamp(client["risk_assessed_on"]).date(), as_of,
                                              policy.suitability.assessment_valid_days),
        total_assets=total,
        cash=float(book.cash),
        holdings=hold.drop(columns=[c for c in hold.columns if c not in _HOLDING_COLS]).to_dict("records"),
        pnl=result.total,
        xirr=result.xirr,
        lookthrough=look,
        findings=_english(_diagnose(client, look, hold, pots, book.products, as_of, float(book.cash), policy),
                          book.products, lang),
        pots=pots,
        rebalance=rebalance,
        suitability_block=blocked,
        backtest=backtest,
        backtest_window=window,
    )
    if rebalance is not None:  # the totals the text cites are part of the content (so they are facts too)
        content.trade_totals = {"sell": rebalance.sell_total, "buy": rebalance.buy_total,
                                "cash_after": rebalance.cash_after, "liquidity_target": rebalance.liquidity_target}
    if rebalance is not None:
        fund_codes = [str(x) for x in book.products["fund_code"].dropna().unique()]
        funds = mrepo.list_funds(engine, codes=fund_codes) if fund_codes else pd.DataFrame()
        content.trades = trade_details(rebalance, book.products, funds, rows)
        content.product_cards = product_cards(rebalance.lines, book.products, funds)
        for action in ("sell", "buy"):  # the 合计 rows of the trades table are facts too
            mine = [d for d in content.trades if d["action"] == action]
            content.trade_totals[f"{action}_fee"] = sum(d["fee"] for d in mine)
            real = [d["realised"] for d in mine if d["realised"] is not None]
            if real:
                content.trade_totals[f"{action}_realised"] = sum(real)
        content.trade_totals["fees"] = sum(d["fee"] for d in content.trades)
    content.next_review = _add_months(as_of, policy.alerts.review_months)
    content.elderly_age = policy.suitability.elderly_age
    content.horizon_days = policy.products.reinvestment_horizon_days
    content.assessment_valid_until = pd.Timestamp(client["risk_assessed_on"]).date() + timedelta(
        days=policy.suitability.assessment_valid_days)
    content._paths = paths
    if lang == "en":  # English names the data holds, for reports.english_content
        companies = mrepo.fund_companies(engine)
        content.names_en = {str(n): str(e) for n, e in zip(companies["name"], companies["name_en"], strict=True) if e}
        content.names_en.update({str(n): str(e) for n, e in zip(book.products["name"], book.products["name_en"],
                                                                 strict=True) if e})
    return content



def build_proposal(
    engine: Engine,
    caller: Any,
    client_id: str,
    out: Path | str,
    *,
    lang: Lang = "zh",
    variant: Variant = "internal",
    settings: Any = None,
    llm: Any = None,
    policy: Policy | None = None,
    unmask_pii: bool = False,
) -> ReportResult:
    """Build the proposal docx at ``out``. ``Forbidden`` for another RM's client; ``GroundingError``
    (nothing written) when any number in the document is not in the content. ``llm`` writes the
    commentary when given (the entry point builds it from settings)."""
    pol = policy or (settings.policy if settings is not None and hasattr(settings, "policy") else DEFAULT_POLICY)
    content = proposal_content(engine, caller, client_id, lang, variant=variant, policy=pol, unmask_pii=unmask_pii)
    bank = {"name": getattr(settings, "bank_name", None), "logo": getattr(settings, "bank_logo_path", None)}
    return render_proposal(content, out, llm=llm, bank=bank)
