"""Book scan for an RM: which clients need a call today, and why. Vectorised over clients (merges and
group-bys over the whole book; no Python loop per client).

Inputs (schema column names)::

    clients    id, name, risk_level, risk_assessed_on, monthly_expense
    positions  client_id, product_code, cost, market_value
    products   code, name, kind, risk_level, maturity_date, fund_code
    cash       client_id, balance
    funds      code, manager_id        (optional: manager concentration through funds)
    fund_equity  Series fund_code → equity share of NAV (optional, e.g. from FundExposures)

Output: one row per finding — client_id, client_name, rule, reason, figure, unit, product_code, detail_date,
reason_args:

    C0007  王先生  loss           浮亏 -12.4% (-¥38,200) beyond -10%       -0.124   fraction
    C0012  李女士  maturing       三年定期 matures 2026-12-05: ¥200,000      200000   yuan

``reason`` is an English sentence for logs and the CLI; ``reason_args`` holds the other figures and names
that sentence quotes, language-neutral, so a renderer can word it per language from ``rule`` + ``figure``
+ ``reason_args`` (``assistant/offline/compose.py`` with ``prompts/<lang>/answer_reasons.md``)::

    risk_mismatch         {"client_risk_level": "C2"}
    assessment_expired    {"limit_days": 365}
    loss                  {"amount": -38200.0, "threshold": 0.10}
    concentration         {"product_name": "嘉禾稳健收益债券", "threshold": 0.50}
    manager_concentration {"manager": "M001"}
    maturing              {"product_name": "三年定期", "maturity_date": "2026-12-05"}
    idle_cash             {"balance": 380000.0, "months": 6.0}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analytics.inputs import require_columns
from analytics.liquidity import idle_cash
from core.policy import DEFAULT_POLICY, Policy

RULES = (
    "risk_mismatch",
    "assessment_expired",
    "loss",
    "concentration",
    "manager_concentration",
    "maturing",
    "idle_cash",
    "elderly_high_risk",
    "industry_concentration",
)
OUT_COLS = [
    "client_id", "client_name", "rule", "reason", "figure", "unit", "product_code", "detail_date", "reason_args",
]



def _money(x: pd.Series) -> pd.Series:
    # Formatting runs over the findings only (a few rows per flagged client), not over the book.
    return pd.Series([f"¥{v:,.0f}" for v in x.to_numpy(dtype=float)], index=x.index, dtype=object)


def _pct(x: pd.Series) -> pd.Series:
    return pd.Series([f"{v:.1%}" for v in x.to_numpy(dtype=float)], index=x.index, dtype=object)


def _args(df: pd.DataFrame, **cols: pd.Series | float | int | str) -> pd.Series:
    """Per-row ``reason_args`` dicts for the findings ``df``: Series aligned with it, scalars repeated.
    Runs over the findings only (a few rows per flagged client), like ``_money``."""
    vals = {
        k: (c.to_list() if isinstance(c, pd.Series) else [c] * len(df)) for k, c in cols.items()
    }
    return pd.Series(
        [dict(zip(vals, row, strict=True)) for row in zip(*vals.values(), strict=True)],
        index=df.index,
        dtype=object,
    )


def book_scan(
    clients: pd.DataFrame,
    positions: pd.DataFrame,
    products: pd.DataFrame,
    as_of: date,
    *,
    cash: pd.DataFrame | None = None,
    funds: pd.DataFrame | None = None,
    fund_equity: pd.Series | None = None,
    fund_industry: pd.DataFrame | None = None,
    industry_names: dict[str, str] | None = None,
    policy: Policy | None = None,
    maturing_days: int | None = None,
) -> pd.DataFrame:
    """Scan every client at once; returns the findings frame described in the module docstring, ordered
    by rule then by severity of the figure. Thresholds come from ``policy`` (``core.policy.Policy``);
    ``maturing_days`` widens or narrows the maturity window (default ``policy.alerts.maturity_alert_days``)."""
    policy = policy or DEFAULT_POLICY
    window = maturing_days if maturing_days is not None else policy.alerts.maturity_alert_days
    require_columns(clients, ("id", "name", "risk_level", "risk_assessed_on", "monthly_expense"), "clients")
    require_columns(positions, ("client_id", "product_code", "cost", "market_value"), "positions")
    require_columns(products, ("code", "name", "kind", "risk_level", "maturity_date"), "products")
    asof = pd.Timestamp(as_of)
    cl = clients.set_index("id")
    names = cl["name"]
    prod = products.set_index("code")
    pos = positions[["client_id", "product_code", "cost", "market_value"]].copy()
    pos["risk"] = pos["product_code"].map(prod["risk_level"]).str[1].astype(float)
    pos["c"] = pos["client_id"].map(cl["risk_level"]).str[1].astype(float)
    bal = (
        cash.groupby("client_id")["balance"].sum()
        if cash is not None and len(cash)
        else pd.Series(dtype=float)
    ).reindex(cl.index, fill_value=0.0)
    mv = pos.groupby("client_id")["market_value"].sum().reindex(cl.index, fill_value=0.0)
    total = mv + bal
    found: list[pd.DataFrame] = []

    def emit(
        df: pd.DataFrame,
        rule: str,
        reason: pd.Series,
        figure: pd.Series,
        unit: str,
        product: pd.Series | None = None,
        when: pd.Series | None = None,
        args: pd.Series | None = None,
    ) -> None:
        if df.empty:
            return
        found.append(
            pd.DataFrame(
                {
                    "client_id": df["client_id"].to_numpy(),
                    "client_name": df["client_id"].map(names).to_numpy(),
                    "rule": rule,
                    "reason": reason.to_numpy(),
                    "figure": figure.astype(float).to_numpy(),
                    "unit": unit,
                    "product_code": None if product is None else product.to_numpy(),
                    "detail_date": None if when is None else when.to_numpy(),
                    "reason_args": [{}] * len(df) if args is None else args.to_list(),
                }
            )
        )

    # Risk mismatch: value held in products rated above the client's level.
    above = pos[pos["risk"] > pos["c"]].groupby("client_id")["market_value"].sum()
    share = (above / total.reindex(above.index)).rename("share").reset_index()
    emit(
        share,
        "risk_mismatch",
        "holds "
        + _pct(share["share"])
        + " of assets above risk level "
        + share["client_id"].map(cl["risk_level"]).astype(str),
        share["share"],
        "fraction",
        args=_args(share, client_risk_level=share["client_id"].map(cl["risk_level"]).astype(str)),
    )

    # Expired risk assessment.
    age_days = (asof - pd.to_datetime(cl["risk_assessed_on"])).dt.days
    exp = (
        age_days[age_days > policy.suitability.assessment_valid_days]
        .rename("days")
        .reset_index()
        .rename(columns={"id": "client_id"})
    )
    emit(
        exp,
        "assessment_expired",
        "risk assessment is "
        + exp["days"].astype(str)
        + " days old (limit "
        + str(policy.suitability.assessment_valid_days)
        + ")",
        exp["days"],
        "days",
        args=_args(exp, limit_days=policy.suitability.assessment_valid_days),
    )

    # Unrealized loss beyond the threshold (client level).
    agg = pos.groupby("client_id")[["cost", "market_value"]].sum()
    agg = agg[agg["cost"] > 0]
    rate = (agg["market_value"] - agg["cost"]) / agg["cost"]
    loss = pd.DataFrame(
        {
            "client_id": rate.index,
            "rate": rate.to_numpy(),
            "amt": (agg["market_value"] - agg["cost"]).to_numpy(),
        }
    )
    loss = loss[loss["rate"] < -policy.alerts.loss_threshold]
    emit(
        loss,
        "loss",
        "浮亏 "
        + _pct(loss["rate"])
        + " ("
        + _money(loss["amt"])
        + ") beyond -"
        + f"{policy.alerts.loss_threshold:.0%}",
        loss["rate"],
        "fraction",
        args=_args(loss, amount=loss["amt"].astype(float), threshold=policy.alerts.loss_threshold),
    )

    # Single-product concentration.
    pos["share"] = pos["market_value"] / pos["client_id"].map(total)
    # deposits, insurance and cash-like products carry no product risk to concentrate (policy: exempt kinds)
    exempt = pos["product_code"].map(prod["kind"]).isin(policy.concentration.exempt_kinds) | pos[
        "product_code"].map(prod["asset_class"] if "asset_class" in prod.columns else prod["kind"]).isin(["cash", "protection"])
    conc = pos[(pos["share"] > policy.concentration.product_of_client) & ~exempt]
    emit(
        conc,
        "concentration",
        conc["product_code"].map(prod["name"]).astype(str)
        + " is "
        + _pct(conc["share"])
        + " of assets (limit "
        + f"{policy.concentration.product_of_client:.0%})",
        conc["share"],
        "fraction",
        conc["product_code"],
        args=_args(
            conc,
            product_name=conc["product_code"].map(prod["name"]).astype(str),
            threshold=policy.concentration.product_of_client,
        ),
    )

    # Fund-manager concentration of the equity held through funds.
    if funds is not None and fund_equity is not None and "fund_code" in prod.columns:
        fc = pos["product_code"].map(prod["fund_code"])
        eq = pos["market_value"] * fc.map(fund_equity).fillna(0.0)
        mgr = fc.map(funds.set_index("code")["manager_id"])
        m = pd.DataFrame({"client_id": pos["client_id"], "manager": mgr, "eq": eq}).dropna()
        m = m[m["eq"] > 0].groupby(["client_id", "manager"], sort=False)["eq"].sum().reset_index()
        m["share"] = m["eq"] / m.groupby("client_id")["eq"].transform("sum")
        held = pd.DataFrame({"client_id": pos["client_id"], "fc": fc})[eq > 0]
        n_funds = held.groupby("client_id")["fc"].nunique()  # diversified across funds but not managers
        m = m[
            (m["share"] > policy.concentration.manager_of_equity)
            & (m["client_id"].map(n_funds).fillna(0) >= policy.concentration.manager_min_funds)
        ]
        emit(
            m,
            "manager_concentration",
            "fund manager "
            + m["manager"].astype(str)
            + " runs "
            + _pct(m["share"])
            + " of the equity held through funds",
            m["share"],
            "fraction",
            args=_args(m, manager=m["manager"].astype(str), threshold=policy.concentration.manager_of_equity),
        )

    # Products maturing within the window.
    mat = pd.to_datetime(pos["product_code"].map(prod["maturity_date"]))
    soon = pos[(mat > asof) & (mat <= asof + pd.Timedelta(days=window))].copy()
    soon["mat"] = mat[soon.index]
    emit(
        soon,
        "maturing",
        soon["product_code"].map(prod["name"]).astype(str)
        + " matures "
        + soon["mat"].dt.strftime("%Y-%m-%d")
        + ": "
        + _money(soon["market_value"]),
        soon["market_value"],
        "yuan",
        soon["product_code"],
        soon["mat"].dt.date,
        args=_args(
            soon,
            product_name=soon["product_code"].map(prod["name"]).astype(str),
            maturity_date=soon["mat"].dt.strftime("%Y-%m-%d"),
        ),
    )

    # Idle cash well above the liquidity need (analytics.liquidity: the one definition).
    excess = pd.Series(idle_cash(bal.to_numpy(), cl["monthly_expense"].astype(float).to_numpy(), policy.liquidity),
                       index=cl.index)
    idle = excess[excess > 0].rename("excess").reset_index().rename(columns={"id": "client_id"})
    emit(
        idle,
        "idle_cash",
        "活期 "
        + _money(idle["client_id"].map(bal))
        + ", "
        + _money(idle["excess"])
        + " above "
        + f"{policy.liquidity.idle_cash_months:g}"
        + " months of expenses",
        idle["excess"],
        "yuan",
        args=_args(
            idle, balance=idle["client_id"].map(bal).astype(float), months=float(policy.liquidity.idle_cash_months)
        ),
    )

    # Elderly clients holding products at or above the elderly rule's risk level.
    if "age" in cl.columns:
        rule = policy.suitability
        old = pos[(pos["client_id"].map(cl["age"]).astype(float) >= rule.elderly_age)
                  & (pos["risk"] >= rule.elderly_min_product_level) & (pos["market_value"] > 0)]
        emit(
            old,
            "elderly_high_risk",
            "aged " + old["client_id"].map(cl["age"]).astype(int).astype(str) + " holding "
            + old["product_code"].map(prod["risk_level"]).astype(str) + " "
            + old["product_code"].map(prod["name"]).astype(str) + ": " + _money(old["market_value"]),
            old["market_value"],
            "yuan",
            old["product_code"],
            args=_args(old, age=old["client_id"].map(cl["age"]).astype(int),
                       product_name=old["product_code"].map(prod["name"]).astype(str),
                       product_risk_level=old["product_code"].map(prod["risk_level"]).astype(str),
                       min_age=rule.elderly_age),
        )

    # One Shenwan industry's share of the equity held through funds.
    if fund_industry is not None and len(fund_industry) and "fund_code" in prod.columns:
        fc = pos["product_code"].map(prod["fund_code"])
        w = fund_industry.reindex(fc.fillna("")).fillna(0.0).to_numpy() * pos["market_value"].to_numpy()[:, None]
        by = pd.DataFrame(w, columns=fund_industry.columns).groupby(pos["client_id"].to_numpy()).sum()
        eq_total = by.sum(axis=1)
        share = by.div(eq_total.where(eq_total > 0), axis=0)
        long = share.stack().rename("share").reset_index()
        long.columns = ["client_id", "industry", "share"]
        ind = long[long["share"] > policy.concentration.industry_of_equity]
        name = ind["industry"].map(industry_names or {}).fillna(ind["industry"]).astype(str)
        emit(
            ind,
            "industry_concentration",
            name + " is " + _pct(ind["share"]) + " of the equity held through funds",
            ind["share"],
            "fraction",
            args=_args(ind, industry=name, industry_code=ind["industry"].astype(str),
                       threshold=policy.concentration.industry_of_equity),
        )

    if not found:
        return pd.DataFrame(columns=OUT_COLS)
    out = pd.concat(found, ignore_index=True)
    order = {r: i for i, r in enumerate(RULES)}
    out["_r"] = out["rule"].map(order)
    out["_s"] = np.where(out["unit"] == "fraction", -out["figure"].abs(), -out["figure"])
    return (
        out.sort_values(["_r", "_s", "client_id"], kind="stable")
        .drop(columns=["_r", "_s"])
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class BookFrames:
    """A whole book's inputs for ``scan_book`` (see the module docstring for columns)."""

    clients: pd.DataFrame
    positions: pd.DataFrame
    products: pd.DataFrame
    cash: pd.DataFrame | None = None
    funds: pd.DataFrame | None = None
    fund_equity: pd.Series | None = None
    fund_industry: pd.DataFrame | None = None  # fund_code × industry code: share of the fund's NAV
    industry_names: dict[str, str] | None = None


def scan_book(
    frames: BookFrames, *, as_of: date, policy: Policy | None = None, maturing_days: int | None = None
) -> pd.DataFrame:
    """``book_scan`` on a ``BookFrames`` (what ``services.loading.client_books`` loads)."""
    return book_scan(
        frames.clients,
        frames.positions,
        frames.products,
        as_of,
        cash=frames.cash,
        funds=frames.funds,
        fund_equity=frames.fund_equity,
        fund_industry=frames.fund_industry,
        industry_names=frames.industry_names,
        policy=policy,
        maturing_days=maturing_days,
    )
