"""Fund exposures: every fund's completed look-through at one as-of date (dense funds × securities).

``build_fund_exposures(market, as_of)`` uses only reports published by then (``published_on ≤ as_of``).
Completion is method 2 of ``lookthrough-methodology.md``: keep the latest top-10 at its weights and fill
the remainder R = E − S_T (E from the asset-allocation report of the same period) with the names of the
last full report that are not in the current top 10, scaled by R/Σ. The same is done for bonds and for
held funds. Feeder funds and FOFs recurse into the funds they hold (depth guard ``max_depth``, cycles
stop). The fund's own cash (asset mix) is carried as the pseudo-security ``CASH_ID``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analytics.constants import (
    FUND_TYPE_ASSET_CLASS,
    MAX_LOOKTHROUGH_DEPTH,
    SECURITY_KIND_ASSET_CLASS,
)
from analytics.errors import InvalidInput
from analytics.inputs import MarketFrames

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
