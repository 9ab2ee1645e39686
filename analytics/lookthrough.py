"""Fund look-through: positions → products → funds → underlying securities, asset classes, industries.

Two steps, so that a client is cheap:

1. ``build_fund_exposures(market, as_of)`` (in ``analytics.exposures``, re-exported here) completes every
   fund's holdings once per as-of date, using only
   reports published by then (``published_on ≤ as_of``), and stores dense vectors (funds × securities).
   Completion is method 2 of ``lookthrough-methodology.md``: keep the latest top-10 at its weights and fill
   the remainder R = E − S_T (E from the asset-allocation report of the same period) with the names of the
   last full report that are not in the current top 10, scaled by R/Σ. The same is done for bonds and for
   held funds. Feeder funds and FOFs recurse into the funds they hold (depth guard ``max_depth``, cycles
   stop). The fund's own cash (asset mix) is carried as the pseudo-security ``CASH_ID``.
2. ``lookthrough_client(book, exposures)`` weights those vectors by the client's market values. Non-fund
   products map straight to their asset class (wmp → fixed_income, deposit → cash, insurance →
   protection unless the product row says otherwise). Invariant: Σ security weights + Σ direct product
   weights + idle cash + ``uncovered`` = 1.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from pydantic import BaseModel

from analytics.concentration import ConcentrationFlag, ConcentrationLimits, Layer, flags_over, hhi
from analytics.constants import KIND_ASSET_CLASS
from analytics.errors import InvalidInput
from analytics.exposures import CASH_ID, MIX_CLASSES, FundExposures, build_fund_exposures
from analytics.inputs import ClientBook
from analytics.overlap import OverlapPair, overlap_pairs

__all__ = [
    "CASH_ID",
    "MIX_CLASSES",
    "FundExposures",
    "build_fund_exposures",
    "lookthrough_client",
    "ClientLookthrough",
    "LineExposure",
    "UnderlyingHolding",
    "IndustryExposure",
    "LayerShare",
]


# ================================================================================================ client


class LineExposure(BaseModel):
    """One held product and how far it is looked through."""

    product_code: str
    name: str
    kind: str  # fund | wmp | deposit | insurance | cash (idle balance)
    fund_code: str | None
    market_value: float
    weight: float  # share of client assets
    asset_class: str  # dominant class
    coverage: float  # share of this line's value looked through to named holdings (1 for direct products)
    disclosure_as_of: date | None
    full_report_as_of: date | None
    method: str  # full | top10+full | top10 | allocation | type | direct


class UnderlyingHolding(BaseModel):
    security_id: str
    name: str
    kind: str
    industry: str | None
    weight: float  # share of client assets
    via: list[str]  # fund codes contributing
    disclosure_as_of: date | None  # oldest disclosure among the contributing funds


class IndustryExposure(BaseModel):
    code: str
    name: str
    weight: float  # share of client assets
    share_of_equity: float  # share of the client's identified stock exposure
    disclosure_as_of: date | None = None  # oldest disclosure among the funds contributing to it


class LayerShare(BaseModel):
    id: str
    name: str
    share_of_client: float  # share of client assets held through this manager/company
    share_of_equity: float  # share of the client's equity exposure (through funds)


class ClientLookthrough(BaseModel):
    """Result of ``lookthrough_client``. Invariant: ``looked_through + uncovered == 1`` where
    ``looked_through`` = Σ underlying security weights + direct products + idle cash."""

    client_id: str
    as_of: date
    total_value: float
    coverage: float
    uncovered: float
    asset_classes: dict[str, float]  # sums to 1
    lines: list[LineExposure]
    top_holdings: list[UnderlyingHolding]
    industries: list[IndustryExposure]
    managers: list[LayerShare]
    companies: list[LayerShare]
    hhi: dict[str, float]
    flags: list[ConcentrationFlag]
    overlap: list[OverlapPair]


def lookthrough_client(
    book: ClientBook,
    exposures: FundExposures,
    *,
    top_n: int = 10,
    include_cash: bool = True,
    limits: ConcentrationLimits | None = None,
) -> ClientLookthrough:
    """Look through one client's book. Weights are shares of the client's assets (positions + idle cash
    when ``include_cash``). Raises ``InvalidInput`` when the client holds nothing.

    Cost: a (k funds × n securities) weighted sum plus small bookkeeping; numpy throughout, so one
    client with ≤10 funds takes a few milliseconds once ``exposures`` is built."""
    limits = limits or ConcentrationLimits()
    hold = book.holdings()
    hold = hold[hold["market_value"] > 0]
    cash = float(book.cash) if include_cash else 0.0
    total = float(hold["market_value"].sum()) + cash
    if total <= 0:
        raise InvalidInput(f"client {book.client_id!r} holds nothing to look through", field="client_id")
    recs = hold.to_dict(orient="records")
    v = hold["market_value"].to_numpy(dtype=float) / total
    is_fund = np.array(
        [r["kind"] == "fund" and isinstance(r.get("fund_code"), str) for r in recs], dtype=bool
    )
    fcodes = [str(r["fund_code"]) for r, f in zip(recs, is_fund, strict=True) if f]
    fidx = exposures.rows(fcodes) if fcodes else np.zeros(0, dtype=int)
    vf = v[is_fund]
    W = exposures.weights[fidx]
    u = vf @ W if len(fidx) else np.zeros(len(exposures.security_ids))
    direct = float(v[~is_fund].sum()) + cash / total
    uncovered = float(np.sum(vf * (1.0 - exposures.coverage[fidx])))
    covered = float(u.sum()) + direct

    # Asset classes: funds by their mix, direct products by their class, idle cash as cash.
    mix = vf @ exposures.asset_mix[fidx] if len(fidx) else np.zeros(len(MIX_CLASSES))
    ac: dict[str, float] = dict(zip(MIX_CLASSES, map(float, mix), strict=True))
    lines = []
    k_of = iter(fidx)
    for j, r in enumerate(recs):
        if is_fund[j]:
            k = int(next(k_of))
            cls = MIX_CLASSES[int(np.argmax(exposures.asset_mix[k]))]
            cov, rep, full, meth = (
                float(exposures.coverage[k]),
                exposures.report_date[k],
                exposures.full_report_date[k],
                exposures.method[k],
            )
        else:
            cls = str(r.get("asset_class") or KIND_ASSET_CLASS.get(str(r["kind"]), "other"))
            ac[cls] = ac.get(cls, 0.0) + float(v[j])
            cov, rep, full, meth = 1.0, book.as_of, None, "direct"
        lines.append(
            LineExposure(
                product_code=str(r["product_code"]),
                name=str(r.get("name") or r["product_code"]),
                kind=str(r["kind"]),
                fund_code=str(r["fund_code"]) if is_fund[j] else None,
                market_value=float(r["market_value"]),
                weight=float(v[j]),
                asset_class=cls,
                coverage=cov,
                disclosure_as_of=rep,
                full_report_as_of=full,
                method=meth,
            )
        )
    if cash:
        ac["cash"] = ac.get("cash", 0.0) + cash / total
        lines.append(
            LineExposure(
                product_code="CASH",
                name="活期余额 (idle cash)",
                kind="cash",
                fund_code=None,
                market_value=cash,
                weight=cash / total,
                asset_class="cash",
                coverage=1.0,
                disclosure_as_of=book.as_of,
                full_report_as_of=None,
                method="direct",
            )
        )
    ac = {k: val for k, val in sorted(ac.items(), key=lambda kv: -kv[1]) if val > 0}

    # Top underlying holdings (the funds' pooled cash is not a "holding").
    cash_j = exposures.security_ids.get_loc(CASH_ID)
    u_rank = u.copy()
    u_rank[cash_j] = 0.0
    n_top = min(top_n, len(u_rank))
    part = np.argpartition(-u_rank, n_top - 1)[:n_top] if n_top else np.zeros(0, dtype=int)
    order = part[np.lexsort((part, -u_rank[part]))]  # largest first, ties by position (deterministic)
    top = []
    for j in order:
        if u_rank[j] <= 0:
            break
        contrib = np.nonzero(W[:, j] > 0)[0]
        dates = [d for d in (exposures.report_date[fidx[c]] for c in contrib) if d]
        ind = int(exposures.sec_industry[j])
        ind_code = str(exposures.ind_code_arr[ind]) if ind >= 0 else None
        top.append(
            UnderlyingHolding(
                security_id=str(exposures.sec_id_arr[j]),
                name=str(exposures.sec_name[j]),
                kind=str(exposures.sec_kind[j]),
                industry=exposures.industry_names.get(ind_code, ind_code) if ind_code else None,
                weight=float(u[j]),
                via=[fcodes[c] for c in contrib],
                disclosure_as_of=min(dates) if dates else None,
            )
        )

    # Industries (Shenwan L1) over identified stocks.
    ind_idx = exposures.sec_industry
    has = ind_idx >= 0
    n_ind = len(exposures.industry_codes)
    ind_w = np.bincount(ind_idx[has], weights=u[has], minlength=n_ind)
    stock_total = float(ind_w.sum())
    # which funds feed each industry (k funds × industries), for the industry's disclosure date
    by_fund = np.array(
        [np.bincount(ind_idx[has], weights=W[i, has], minlength=n_ind) for i in range(len(fidx))]
    )
    fund_dates = [exposures.report_date[f] for f in fidx]

    def oldest(k: int) -> date | None:
        ds = [d for i, d in enumerate(fund_dates) if d is not None and by_fund[i, k] > 0]
        return min(ds) if ds else None

    industries = []
    for k in np.argsort(-ind_w, kind="stable"):
        if ind_w[k] <= 0:
            break
        code = str(exposures.ind_code_arr[k])
        industries.append(
            IndustryExposure(
                code=code,
                name=exposures.industry_names.get(code, code),
                weight=float(ind_w[k]),
                share_of_equity=float(ind_w[k] / stock_total),
                disclosure_as_of=oldest(int(k)),
            )
        )

    # Layers: fund manager and fund company (through funds), as bincounts over precomputed indices.
    eq = vf * exposures.asset_mix[fidx, MIX_CLASSES.index("equity")] if len(fidx) else np.zeros(0)
    eq_total, fund_total = float(eq.sum()), float(vf.sum())

    def layer(
        idx: np.ndarray, table: pd.DataFrame
    ) -> tuple[list[LayerShare], np.ndarray, np.ndarray, np.ndarray]:
        ids, nms = table["id"].to_numpy(), table["name"].to_numpy()
        present, inv = np.unique(idx, return_inverse=True)
        val = np.bincount(inv, weights=vf, minlength=len(present))
        eqs = np.bincount(inv, weights=eq, minlength=len(present))
        share_eq = eqs / eq_total if eq_total > 0 else np.zeros(len(present))
        order_ = np.argsort(-val, kind="stable")
        out = [
            LayerShare(
                id=str(ids[present[i]]),
                name=str(nms[present[i]]),
                share_of_client=float(val[i]),
                share_of_equity=float(share_eq[i]),
            )
            for i in order_
        ]
        return out, present, val, share_eq

    managers, m_present, m_val, m_eq = layer(exposures.manager_idx[fidx], exposures.managers)
    companies, c_present, c_val, _ = layer(exposures.company_idx[fidx], exposures.companies)

    flags: list[ConcentrationFlag] = []
    names = {str(r["product_code"]): str(r.get("name") or r["product_code"]) for r in recs}
    flags += flags_over(
        dict(zip(names, v, strict=True)),
        names,
        layer="product",
        threshold=limits.product_of_client,
        basis="client assets",
    )
    if len(fidx):
        flags += flags_over(
            dict(zip(fcodes, exposures.top10_stock[fidx], strict=True)),
            dict(zip(fcodes, exposures.fund_meta["name"].to_numpy()[fidx], strict=True)),
            layer="fund",
            threshold=limits.fund_top10_of_nav,
            basis="fund NAV (top-10 stocks)",
        )
    layers: tuple[tuple[np.ndarray, np.ndarray, pd.DataFrame, Layer, float, str], ...] = (
        (m_present, m_eq, exposures.managers, "manager", limits.manager_of_equity, "equity exposure"),
        (
            c_present,
            c_val / fund_total if fund_total > 0 else c_val,
            exposures.companies,
            "company",
            limits.company_of_funds,
            "fund assets",
        ),
    )
    for present, shares, table, lay, limit, basis in layers:
        if len(present) and (eq_total > 0 if lay == "manager" else fund_total > 0):
            ids = table["id"].to_numpy()[present]
            flags += flags_over(
                dict(zip(ids, shares, strict=True)),
                dict(zip(ids, table["name"].to_numpy()[present], strict=True)),
                layer=lay,
                threshold=limit,
                basis=basis,
            )
    big = np.nonzero(u_rank > limits.security_of_client)[0]
    if len(big):
        flags += flags_over(
            dict(zip(exposures.sec_id_arr[big], u_rank[big], strict=True)),
            dict(zip(exposures.sec_id_arr[big], exposures.sec_name[big], strict=True)),
            layer="security",
            threshold=limits.security_of_client,
            basis="client assets",
        )
    if stock_total > 0:
        flags += flags_over(
            {i.code: i.share_of_equity for i in industries},
            {i.code: i.name for i in industries},
            layer="industry",
            threshold=limits.industry_of_equity,
            basis="equity exposure",
        )

    hhis = {
        "products": hhi(v),
        "securities": hhi(u_rank),
        "industries": hhi(ind_w),
        "managers": hhi(m_val),
        "companies": hhi(c_val),
    }
    pairs = overlap_pairs(exposures, sorted(set(fcodes))) if len(set(fcodes)) > 1 else []
    return ClientLookthrough(
        client_id=book.client_id,
        as_of=book.as_of,
        total_value=total,
        coverage=covered,
        uncovered=uncovered,
        asset_classes=ac,
        lines=lines,
        top_holdings=top,
        industries=industries,
        managers=managers,
        companies=companies,
        hhi=hhis,
        flags=flags,
        overlap=pairs,
    )
