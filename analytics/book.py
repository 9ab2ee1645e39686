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
from pydantic import BaseModel, Field

from analytics.inputs import require_columns

RULES = (
    "risk_mismatch",
    "assessment_expired",
    "loss",
    "concentration",
    "manager_concentration",
    "maturing",
    "idle_cash",
)
OUT_COLS = [
    "client_id", "client_name", "rule", "reason", "figure", "unit", "product_code", "detail_date", "reason_args",
]


class BookScanRules(BaseModel):
    """Thresholds (example policy; override per bank)."""

    loss_threshold: float = Field(
        default=0.10, description="flag clients whose unrealized loss exceeds this share of cost"
    )
    max_product_share: float = Field(
        default=0.50, description="flag a single product above this share of client assets"
    )
    max_manager_equity_share: float = Field(
        default=0.50, description="one fund manager's share of the client's fund equity"
    )
    manager_min_funds: int = Field(
        default=3, description="…only for clients holding at least this many equity funds"
    )
    maturing_days: int = Field(default=30, description="flag holdings maturing within this many days")
    idle_cash_months: float = Field(
        default=6.0, description="idle cash above this many months of expenses is flagged"
    )
    idle_cash_min: float = Field(default=50_000.0, description="…and above this amount (yuan)")
    assessment_valid_days: int = 365


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
    rules: BookScanRules | None = None,
) -> pd.DataFrame:
    """Scan every client at once; returns the findings frame described in the module docstring, ordered
    by rule then by severity of the figure."""
    rules = rules or BookScanRules()
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
        age_days[age_days > rules.assessment_valid_days]
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
        + str(rules.assessment_valid_days)
        + ")",
        exp["days"],
        "days",
        args=_args(exp, limit_days=rules.assessment_valid_days),
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
    loss = loss[loss["rate"] < -rules.loss_threshold]
    emit(
        loss,
        "loss",
        "浮亏 "
        + _pct(loss["rate"])
        + " ("
        + _money(loss["amt"])
        + ") beyond -"
        + f"{rules.loss_threshold:.0%}",
        loss["rate"],
        "fraction",
        args=_args(loss, amount=loss["amt"].astype(float), threshold=rules.loss_threshold),
    )

    # Single-product concentration.
    pos["share"] = pos["market_value"] / pos["client_id"].map(total)
    conc = pos[pos["share"] > rules.max_product_share]
    emit(
        conc,
        "concentration",
        conc["product_code"].map(prod["name"]).astype(str)
        + " is "
        + _pct(conc["share"])
        + " of assets (limit "
        + f"{rules.max_product_share:.0%})",
        conc["share"],
        "fraction",
        conc["product_code"],
        args=_args(
            conc,
            product_name=conc["product_code"].map(prod["name"]).astype(str),
            threshold=rules.max_product_share,
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
            (m["share"] > rules.max_manager_equity_share)
            & (m["client_id"].map(n_funds).fillna(0) >= rules.manager_min_funds)
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
            args=_args(m, manager=m["manager"].astype(str), threshold=rules.max_manager_equity_share),
        )

    # Products maturing within the window.
    mat = pd.to_datetime(pos["product_code"].map(prod["maturity_date"]))
    soon = pos[(mat > asof) & (mat <= asof + pd.Timedelta(days=rules.maturing_days))].copy()
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

    # Idle cash well above the liquidity need.
    need = cl["monthly_expense"].astype(float) * rules.idle_cash_months
    excess = bal - need
    idle = (
        excess[(excess > 0) & (bal > rules.idle_cash_min)]
        .rename("excess")
        .reset_index()
        .rename(columns={"id": "client_id"})
    )
    emit(
        idle,
        "idle_cash",
        "活期 "
        + _money(idle["client_id"].map(bal))
        + ", "
        + _money(idle["excess"])
        + " above "
        + f"{rules.idle_cash_months:g}"
        + " months of expenses",
        idle["excess"],
        "yuan",
        args=_args(
            idle, balance=idle["client_id"].map(bal).astype(float), months=float(rules.idle_cash_months)
        ),
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


def scan_book(frames: BookFrames, *, as_of: date, rules: BookScanRules | None = None) -> pd.DataFrame:
    """``book_scan`` on a ``BookFrames`` (what ``datastore.repositories.analytics_inputs.client_books`` loads)."""
    return book_scan(
        frames.clients,
        frames.positions,
        frames.products,
        as_of,
        cash=frames.cash,
        funds=frames.funds,
        fund_equity=frames.fund_equity,
        rules=rules,
    )
