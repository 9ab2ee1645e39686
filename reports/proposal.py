"""Client allocation proposal (资产配置建议书): structured content from analytics, then the .docx.

``proposal_content(engine, caller, client_id, lang)`` checks the caller's entitlement first, loads the
client's frames through ``services.loading`` and calls analytics — P&L
(``analytics.pnl.client_pnl``), look-through (``analytics.lookthrough``), three pots and the gated
rebalancing (``analytics.allocation``), backtest (``analytics.allocation.compare_backtest``). Nothing
financial is computed here beyond picking rows for the diagnosis. ``build_proposal`` lays the content
out (``reports.layout_proposal``), verifies every number against the content and renders the docx.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from sqlalchemy import Engine

from analytics import allocation, lookthrough, pnl
from analytics.errors import InvalidInput, SuitabilityError
from analytics.suitability import assessment_expired, client_level, product_level
from assistant.access import require_client_access
from datastore.repositories.meta import as_of_date
from reports.models import Figure, FigureBook, Lang, ReportResult

Variant = Literal["internal", "client"]
MATURITY_WINDOW_DAYS = 90  # products maturing within this window are listed in the diagnosis
LOSS_FLAG = -0.10  # positions down more than 10% on cost are listed in the diagnosis
BACKTEST_YEARS = 3


class Finding(BaseModel):
    """One diagnosis item: ``code`` (concentration | risk_mismatch | loss | idle_cash | maturity), facts."""

    code: str
    severity: Literal["high", "medium", "info"]
    subject: str  # product/security/industry name
    value: float | None = None
    threshold: float | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class ProposalContent(BaseModel):
    """Everything the proposal states, as data (yuan, fractions, dates)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client_id: str
    lang: Lang
    variant: Variant = "internal"
    as_of: date
    client: dict[str, Any]  # profile; id_number/mobile only in the internal variant
    rm: dict[str, Any]
    assessment_expired: bool
    total_assets: float
    cash: float
    holdings: list[dict[str, Any]]  # product rows with market value, cost, gain, gain_pct, weight
    pnl: pnl.PnLTotals
    xirr: float | None
    lookthrough: lookthrough.ClientLookthrough
    findings: list[Finding]
    pots: allocation.ThreePots
    rebalance: allocation.RebalanceProposal | None
    suitability_block: str | None = None  # why no rebalancing lines (the gate refused), if so
    trade_totals: dict[str, float] = Field(default_factory=dict)  # {"sell": yuan, "buy": yuan} over the lines
    backtest: dict[str, dict[str, float]] | None = None
    backtest_window: tuple[date, date] | None = None
    figures: list[Figure] = Field(default_factory=list)
    narrative: dict[str, str] = Field(default_factory=dict)
    # growth-of-1 paths of the backtest, for the charts only (not part of the facts)
    _paths: dict[str, pd.Series] | None = PrivateAttr(default=None)


def _inputs() -> Any:
    from services import loading as analytics_inputs

    return analytics_inputs


def _diagnose(
    content_client: pd.Series,
    look: lookthrough.ClientLookthrough,
    holdings: pd.DataFrame,
    pots: allocation.ThreePots,
    products: pd.DataFrame,
    as_of: date,
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
        if h.get("gain_pct") is not None and pd.notna(h["gain_pct"]) and float(h["gain_pct"]) < LOSS_FLAG:
            out.append(
                Finding(
                    code="loss",
                    severity="medium",
                    subject=str(h["name"]),
                    value=float(h["gain_pct"]),
                    threshold=LOSS_FLAG,
                    detail={"gain": float(h["gain"])},
                )
            )
    liquidity = next((p for p in pots.pots if p.name == "liquidity"), None)
    if liquidity is not None and liquidity.current > liquidity.target_high:
        out.append(
            Finding(
                code="idle_cash",
                severity="medium",
                subject="cash",
                value=liquidity.current,
                threshold=liquidity.target_high,
            )
        )
    horizon = as_of + timedelta(days=MATURITY_WINDOW_DAYS)
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


def proposal_content(
    engine: Engine, caller: Any, client_id: str, lang: Lang = "zh", *, variant: Variant = "internal"
) -> ProposalContent:
    """Structured proposal content for one client of the caller (``Forbidden`` otherwise)."""
    require_client_access(engine, caller, client_id)
    if lang not in ("zh", "en"):
        raise InvalidInput(f"unsupported language {lang!r}", field="lang", hint="zh or en")
    if variant not in ("internal", "client"):
        raise InvalidInput(f"unknown variant {variant!r}", field="variant", hint="internal or client")
    inp = _inputs()
    as_of = as_of_date(engine)
    book = inp.client_book(engine, client_id, as_of)
    client = book.client

    hold = book.holdings()
    hold = hold[hold["market_value"] > 0].copy()
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
    look = lookthrough.lookthrough_client(book, exposures, top_n=10)
    cur = hold.groupby("asset_class")["market_value"].sum()
    cur["cash"] = cur.get("cash", 0.0) + float(book.cash)
    pots = allocation.three_pots(
        total, float(client.get("monthly_expense") or 0.0), cur, str(client["risk_level"])
    )
    rebalance, blocked, paths = None, None, None
    try:
        rebalance = allocation.propose_rebalance(client, hold, book.products, as_of, cash=float(book.cash))
    except SuitabilityError as exc:  # the gate refused: no line may appear, say why instead
        blocked = exc.message
    backtest, window = None, None
    if rebalance is not None:
        start = date(as_of.year - BACKTEST_YEARS, as_of.month, min(as_of.day, 28))
        rets = inp.class_returns(engine, start, as_of)
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
    if variant == "internal":
        profile_keys += ["id_number", "mobile"]
    profile = {
        k: (client[k].item() if hasattr(client[k], "item") else client[k])
        for k in profile_keys
        if k in client
    }
    rm = inp.rm_of_client(engine, client_id)
    content = ProposalContent(
        client_id=client_id,
        lang=lang,
        variant=variant,
        as_of=as_of,
        client=profile,
        rm=rm,
        assessment_expired=assessment_expired(pd.Timestamp(client["risk_assessed_on"]).date(), as_of),
        total_assets=total,
        cash=float(book.cash),
        holdings=hold.drop(columns=[c for c in hold.columns if c not in _HOLDING_COLS]).to_dict("records"),
        pnl=result.total,
        xirr=result.xirr,
        lookthrough=look,
        findings=_diagnose(client, look, hold, pots, book.products, as_of),
        pots=pots,
        rebalance=rebalance,
        suitability_block=blocked,
        backtest=backtest,
        backtest_window=window,
    )
    if rebalance is not None:  # the totals the text cites are part of the content (so they are facts too)
        content.trade_totals = {
            side: float(sum(ln.amount for ln in rebalance.lines if ln.action == side))
            for side in ("sell", "buy")
        }
    content._paths = paths
    return content


_HOLDING_COLS = (
    "product_code",
    "name",
    "kind",
    "asset_class",
    "risk_level",
    "market_value",
    "cost",
    "gain",
    "gain_pct",
    "weight",
    "maturity_date",
)


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
) -> ReportResult:
    """Build the proposal docx at ``out``. ``Forbidden`` for another RM's client; ``GroundingError``
    (nothing written) when any number in the document is not in the content."""
    from reports.layout_proposal import grounding_facts, layout
    from reports.narrative import resolve_llm
    from reports.render import render_grounded

    content = proposal_content(engine, caller, client_id, lang, variant=variant)
    llm = resolve_llm(settings, llm)
    book = FigureBook(lang)
    doc = layout(content, book, llm=llm, paths=content._paths)
    content.figures = book.figures
    return render_grounded(doc, book, grounding_facts(content), Path(out), what="proposal")
