"""Fund look-through: positions → products → funds → underlying securities, asset classes, industries.

Two steps, so that a client is cheap:

1. ``build_fund_exposures(market, as_of)`` completes every fund's holdings once per as-of date, using only
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

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from analytics.concentration import ConcentrationFlag, ConcentrationLimits, Layer, flags_over, hhi
from analytics.constants import (
    FUND_TYPE_ASSET_CLASS,
    KIND_ASSET_CLASS,
    MAX_LOOKTHROUGH_DEPTH,
    SECURITY_KIND_ASSET_CLASS,
)
from analytics.errors import InvalidInput
from analytics.inputs import ClientBook, MarketFrames
from analytics.overlap import OverlapPair, overlap_pairs

CASH_ID = "CASH"  # pseudo-security: the fund's cash and equivalents from its asset mix
MIX_CLASSES: tuple[str, ...] = ("equity", "fixed_income", "cash", "other")
_ALLOC_TO_CLASS = {"stock": "equity", "bond": "fixed_income", "cash": "cash", "other": "other"}
_KIND_TO_ALLOC = {"stock": "stock", "bond": "bond", "fund": "fund"}


@dataclass
class _FundVec:
    secs: dict[str, float]  # security id → share of NAV (incl. CASH_ID)
    mix: np.ndarray  # over MIX_CLASSES, sums to 1
    report_date: pd.Timestamp | None
    full_date: pd.Timestamp | None
    method: str


@dataclass(frozen=True)
class FundExposures:
    """Completed look-through of every fund at ``as_of`` (dense arrays for fast client sums).

    ``weights[i, j]`` = share of fund i's NAV in security j (``fund_codes[i]``, ``security_ids[j]``);
    ``asset_mix[i]`` over ``MIX_CLASSES`` sums to 1; ``coverage[i]`` = Σ_j weights[i, j];
    ``report_date``/``full_report_date`` are the disclosures used (oldest along a feeder/FOF chain);
    ``method`` is one of full | top10+full | top10 | allocation | type.
    """

    as_of: date
    fund_codes: pd.Index
    security_ids: pd.Index
    weights: np.ndarray
    asset_mix: np.ndarray
    coverage: np.ndarray
    report_date: list[date | None]
    full_report_date: list[date | None]
    method: list[str]
    sec_kind: np.ndarray
    sec_name: np.ndarray
    sec_industry: np.ndarray  # index into industry_codes, −1 when none
    industry_codes: pd.Index
    industry_names: dict[str, str]
    fund_meta: pd.DataFrame  # index code: name, type, manager_id, company_id, manager_name, company_name
    top10_stock: np.ndarray  # per fund: Σ of its 10 largest stock weights (share of NAV)
    manager_idx: np.ndarray  # per fund: index into fund_meta-derived ``managers``
    managers: pd.DataFrame  # rows: id, name
    company_idx: np.ndarray
    companies: pd.DataFrame

    sec_id_arr: np.ndarray = field(init=False, repr=False)  # numpy copies for fast element access
    ind_code_arr: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Plain numpy copies for element access in the per-client path (pandas Index scalar access is slow).
        object.__setattr__(self, "sec_id_arr", np.asarray(self.security_ids, dtype=object))
        object.__setattr__(self, "ind_code_arr", np.asarray(self.industry_codes, dtype=object))

    def rows(self, codes: list[str]) -> np.ndarray:
        idx = self.fund_codes.get_indexer(codes)
        if (idx < 0).any():
            missing = [c for c, i in zip(codes, idx, strict=True) if i < 0]
            raise InvalidInput(f"no fund data for {missing[0]!r}", field="fund_code")
        return idx

    def fund_holdings(self, code: str) -> pd.DataFrame:
        """The completed holdings of one fund: security_id, name, kind, industry_code, weight (desc)."""
        i = self.rows([code])[0]
        w = self.weights[i]
        nz = np.nonzero(w)[0]
        ind = self.sec_industry[nz]
        out = pd.DataFrame(
            {
                "security_id": self.security_ids[nz],
                "name": self.sec_name[nz],
                "kind": self.sec_kind[nz],
                "industry_code": [self.industry_codes[k] if k >= 0 else None for k in ind],
                "weight": w[nz],
            }
        )
        return out.sort_values("weight", ascending=False, ignore_index=True)


def _ts(x: object) -> pd.Series:
    return pd.to_datetime(x)  # type: ignore[arg-type]


def _d(ts: pd.Timestamp | None) -> date | None:
    return None if ts is None or pd.isna(ts) else ts.date()


def build_fund_exposures(
    market: MarketFrames, as_of: date, *, max_depth: int = MAX_LOOKTHROUGH_DEPTH
) -> FundExposures:
    """Complete every fund's holdings at ``as_of`` (see module docstring). The report selection is
    vectorised; the per-fund completion then works on a few hundred rows in plain dicts, so a few hundred
    funds take well under a second. Shared by all clients; ``lookthrough_client`` is a weighted sum."""
    asof = pd.Timestamp(as_of)
    funds = market.funds.set_index("code")
    sec_kind = market.securities.set_index("id")["kind"]
    h = market.fund_holdings
    h = h.assign(report_date=_ts(h["report_date"]), published_on=_ts(h["published_on"]))
    h = h[h["published_on"] <= asof]
    if (pd.to_numeric(h["weight"], errors="coerce").fillna(-1) < 0).any():
        raise InvalidInput("holding weights must be ≥ 0 fractions of NAV", field="fund_holdings.weight")
    # Only two reports per fund matter: the latest one, and the latest full one before it.
    latest = h.groupby("fund_code")["report_date"].transform("max")
    is_full = h["disclosure"] == "full"
    full_at_latest = (is_full & (h["report_date"] == latest)).groupby(h["fund_code"]).transform("any")
    prev_full = (
        h["report_date"].where(is_full & (h["report_date"] < latest)).groupby(h["fund_code"]).transform("max")
    )
    cur_mask = (h["report_date"] == latest) & (~full_at_latest | is_full)
    pool_mask = ~full_at_latest & is_full & (h["report_date"] == prev_full)
    h = h[cur_mask | pool_mask].assign(_cur=cur_mask[cur_mask | pool_mask])
    held = h["held_fund_code"].notna()
    target = h["security_id"].where(~held, h["held_fund_code"]).astype(str).to_numpy()
    kind = h["security_id"].map(sec_kind).where(~held, "fund").fillna("other").to_numpy()
    rows_by: dict[str, dict[str, Any]] = {}
    for f, t, k, w, cur, rd, disc in zip(
        h["fund_code"].astype(str),
        target,
        kind,
        h["weight"].astype(float),
        h["_cur"],
        h["report_date"],
        h["disclosure"],
        strict=True,
    ):
        d = rows_by.setdefault(f, {"cur": [], "pool": [], "report": rd, "full": None, "cur_full": False})
        if cur:
            d["cur"].append((t, k, w))
            d["report"], d["cur_full"] = rd, disc == "full"
        else:
            d["pool"].append((t, k, w))
            d["full"] = rd
    a = market.fund_asset_allocation
    a = a.assign(report_date=_ts(a["report_date"]), published_on=_ts(a["published_on"]))
    a = a[a["published_on"] <= asof].sort_values("report_date")
    alloc_cols = ["stock", "bond", "fund", "cash", "other"]
    alloc_by: dict[str, dict[pd.Timestamp, dict[str, float]]] = {}
    for f, rd, *vals in a[["fund_code", "report_date", *alloc_cols]].itertuples(index=False):
        alloc_by.setdefault(str(f), {})[rd] = dict(zip(alloc_cols, map(float, vals), strict=True))
    memo: dict[tuple[str, int], _FundVec] = {}  # keyed by depth too: a truncated chain is not the full one

    def type_mix(code: str) -> np.ndarray:
        cls = FUND_TYPE_ASSET_CLASS.get(str(funds.at[code, "type"]) if code in funds.index else "", "other")
        m = np.zeros(len(MIX_CLASSES))
        m[MIX_CLASSES.index(cls)] = 1.0
        return m

    def resolve(code: str, depth: int, stack: frozenset[str]) -> _FundVec:
        if (code, depth) in memo:
            return memo[(code, depth)]
        if depth > max_depth or code in stack:  # guard: too deep or a cycle → classify by type only
            return _FundVec({}, type_mix(code), None, None, "type")
        d = rows_by.get(code)
        allocs = alloc_by.get(code, {})
        rows: list[tuple[str, str, float]] = []
        report = full_date = None
        method = "type"
        alloc = None
        if d is not None:
            report, rows = d["report"], list(d["cur"])
            method, full_date = ("full", report) if d["cur_full"] else ("top10", None)
            if allocs:
                alloc = allocs.get(report) or allocs[max(allocs)]
            if method == "top10" and alloc is not None and d["pool"]:
                full_date = d["full"]
                for k, col in _KIND_TO_ALLOC.items():
                    cur_k = {t for t, kk, _ in rows if kk == k}
                    rem = alloc[col] - sum(w for _, kk, w in rows if kk == k)
                    pool = [(t, kk, w) for t, kk, w in d["pool"] if kk == k and t not in cur_k]
                    tot = sum(w for *_, w in pool)
                    if rem > 1e-12 and tot > 0:
                        rows += [(t, kk, w * rem / tot) for t, kk, w in pool]
                        method = "top10+full"
        elif allocs:
            report = max(allocs)
            alloc, method = allocs[report], "allocation"
        secs: dict[str, float] = {}
        own_mix = np.zeros(len(MIX_CLASSES))
        held_rows: dict[str, float] = {}
        for t, k, w in rows:
            if k == "fund":
                held_rows[t] = held_rows.get(t, 0.0) + w
                continue
            secs[t] = secs.get(t, 0.0) + w
            if k in SECURITY_KIND_ASSET_CLASS:
                own_mix[MIX_CLASSES.index(SECURITY_KIND_ASSET_CLASS[k])] += w
        mix = np.zeros(len(MIX_CLASSES))  # through held funds
        oldest_report, oldest_full = report, full_date
        for t, w in held_rows.items():
            sub = resolve(t, depth + 1, stack | {code})
            for sid, sw in sub.secs.items():
                secs[sid] = secs.get(sid, 0.0) + w * sw
            mix += w * sub.mix
            if sub.report_date is not None and (oldest_report is None or sub.report_date < oldest_report):
                oldest_report = sub.report_date
            if sub.full_date is not None and (oldest_full is None or sub.full_date < oldest_full):
                oldest_full = sub.full_date
        if alloc is not None:
            # Unidentified parts of each class come from the asset mix; the fund's cash becomes CASH_ID.
            cash_known = sum(w for _, k, w in rows if k == "cash")
            cash_rest = max(alloc["cash"] - cash_known, 0.0)
            if cash_rest > 0:
                secs[CASH_ID] = secs.get(CASH_ID, 0.0) + cash_rest
            target_mix = np.array([alloc["stock"], alloc["bond"], alloc["cash"], alloc["other"]])
            held_rest = max(alloc["fund"] - sum(held_rows.values()), 0.0)
            mix += np.maximum(own_mix, target_mix) + held_rest * type_mix(code)
        else:
            mix += own_mix
            mix += max(1.0 - mix.sum(), 0.0) * type_mix(code)
        if mix.sum() <= 0:
            mix = type_mix(code)
        vec = _FundVec(
            {k: w for k, w in secs.items() if w != 0}, mix / mix.sum(), oldest_report, oldest_full, method
        )
        memo[(code, depth)] = vec
        return vec

    codes = [str(c) for c in funds.index]
    vecs = [resolve(c, 0, frozenset()) for c in codes]
    sec_ids = pd.Index(sorted(set().union(*[set(v.secs) for v in vecs]) | {CASH_ID}))
    W = np.zeros((len(codes), len(sec_ids)))
    for i, v in enumerate(vecs):
        if v.secs:
            W[i, sec_ids.get_indexer(list(v.secs))] = list(v.secs.values())
    sec = market.securities.set_index("id")
    sec_r = sec.reindex(sec_ids)
    kind = sec_r["kind"].fillna("other").to_numpy().astype(object)
    kind[sec_ids.get_loc(CASH_ID)] = "cash"
    name = sec_r["name"].fillna(pd.Series(sec_ids, index=sec_ids)).to_numpy().astype(object)
    name[sec_ids.get_loc(CASH_ID)] = "现金及等价物 (cash held by funds)"
    ind_names = dict(
        zip(market.industries["code"].astype(str), market.industries["name"].astype(str), strict=True)
    )
    industry_codes = pd.Index(sorted(set(sec_r["industry_code"].dropna().astype(str)) | set(ind_names)))
    sec_ind = industry_codes.get_indexer(
        sec_r["industry_code"].astype(object).where(sec_r["kind"] == "stock")
    )
    meta = funds.reindex(codes)[
        [c for c in ("name", "type", "manager_id", "company_id") if c in funds.columns]
    ].copy()
    mgr = dict(zip(market.fund_managers["id"], market.fund_managers["name"], strict=True))
    comp = dict(zip(market.fund_companies["id"], market.fund_companies["name"], strict=True))
    meta["manager_name"] = meta["manager_id"].map(lambda x: mgr.get(x, x))
    meta["company_name"] = meta["company_id"].map(lambda x: comp.get(x, x))
    if "name" not in meta.columns:
        meta["name"] = meta.index
    stock = kind == "stock"
    top10 = np.sort(W[:, stock], axis=1)[:, -10:].sum(axis=1) if stock.any() else np.zeros(len(codes))
    m_idx, m_ids = pd.factorize(meta["manager_id"].astype(str))
    c_idx, c_ids = pd.factorize(meta["company_id"].astype(str))
    managers = pd.DataFrame({"id": m_ids, "name": [mgr.get(x, x) for x in m_ids]})
    companies = pd.DataFrame({"id": c_ids, "name": [comp.get(x, x) for x in c_ids]})
    return FundExposures(
        top10_stock=top10,
        manager_idx=m_idx,
        managers=managers,
        company_idx=c_idx,
        companies=companies,
        as_of=as_of,
        fund_codes=pd.Index(codes),
        security_ids=sec_ids,
        weights=W,
        asset_mix=np.vstack([v.mix for v in vecs]) if vecs else np.zeros((0, len(MIX_CLASSES))),
        coverage=W.sum(axis=1),
        report_date=[_d(v.report_date) for v in vecs],
        full_report_date=[_d(v.full_date) for v in vecs],
        method=[v.method for v in vecs],
        sec_kind=kind,
        sec_name=name,
        sec_industry=sec_ind,
        industry_codes=industry_codes,
        industry_names=ind_names,
        fund_meta=meta,
    )


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
