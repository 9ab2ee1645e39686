"""One fund's look-through, read off the completed exposures (``analytics.exposures.build_fund_exposures``).

Nothing is recomputed here: holdings, coverage, method and report dates are the ones every client
look-through uses. This module only groups one fund's row by Shenwan level-1 industry, keeps stocks
without an industry as *unclassified* (未分类: held, counted in coverage, never dropped), and states the
coverage honestly: a fund known only by its top 10 covers Σ top-10 weights of NAV, not 100%.

Invariant: Σ industries (incl. unclassified) + Σ non-stock lines = ``coverage``; ``coverage + uncovered = 1``.
CSRC sector allocations (the fund's own 5.2 table) are carried separately as ``sectors`` with their own
system label and are never added to the Shenwan weights.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from analytics.exposures import CASH_ID, MIX_CLASSES, FundExposures

UNCLASSIFIED = "未分类 (unclassified)"


class FundLine(BaseModel):
    security_id: str
    name: str
    kind: str  # stock | bond | cash | other
    industry_code: str | None
    industry: str | None  # Shenwan L1 name; UNCLASSIFIED for a stock missing from the classification
    weight: float  # share of the fund's NAV


class FundIndustry(BaseModel):
    code: str | None  # None = unclassified
    name: str
    weight: float  # share of NAV
    share_of_covered_equity: float  # share of the identified stock weight


class SectorLine(BaseModel):
    """A line of the fund's own sector table (CSRC 证监会行业), as reported."""

    sector: str
    weight: float  # share of NAV
    report_date: date
    published_on: date


class FundLookthrough(BaseModel):
    fund_code: str
    name: str
    as_of: date
    method: str  # full | top10+full | top10 | allocation | type
    coverage: float  # share of NAV looked through to named holdings
    uncovered: float
    report_date: date | None
    full_report_date: date | None
    published_on: date | None  # when the report used was (or is deemed) public
    by_kind: dict[str, float]  # stock / bond / cash / other weights among the covered part
    unclassified: float  # stocks without a Shenwan industry, share of NAV
    asset_mix: dict[str, float]
    holdings: list[FundLine]
    industries: list[FundIndustry]  # Shenwan 2021 L1 (+ unclassified)
    sector_system: str = "csrc"
    sectors: list[SectorLine] = []
    coverage_note_zh: str
    coverage_note_en: str


def fund_lookthrough(exposures: FundExposures, code: str, *, published_on: date | None = None,
                     sectors: list[SectorLine] | None = None) -> FundLookthrough:
    """The look-through of fund ``code`` at ``exposures.as_of`` (``InvalidInput`` for an unknown fund)."""
    i = int(exposures.rows([code])[0])
    h = exposures.fund_holdings(code)
    names = exposures.industry_names
    lines: list[FundLine] = []
    by_kind: dict[str, float] = {}
    ind: dict[str | None, float] = {}
    for sid, name, kind, icode, w in h[["security_id", "name", "kind", "industry_code", "weight"]].itertuples(index=False):
        kind = "cash" if sid == CASH_ID else str(kind)
        icode = icode if isinstance(icode, str) else None
        label = (names.get(icode, icode) if icode else UNCLASSIFIED) if kind == "stock" else None
        lines.append(FundLine(security_id=str(sid), name=str(name), kind=kind, industry_code=icode, industry=label,
                              weight=float(w)))
        by_kind[kind] = by_kind.get(kind, 0.0) + float(w)
        if kind == "stock":
            ind[icode] = ind.get(icode, 0.0) + float(w)
    stock = sum(ind.values())
    industries = [FundIndustry(code=k, name=names.get(k, k) if k else UNCLASSIFIED, weight=v,
                               share_of_covered_equity=v / stock if stock > 0 else 0.0)
                  for k, v in sorted(ind.items(), key=lambda kv: (-kv[1], kv[0] or "~"))]
    cov = float(exposures.coverage[i])
    method = exposures.method[i]
    rep = exposures.report_date[i]
    zh = (f"穿透覆盖 {cov:.0%} 的净值" + (f"（{rep} 报告，{_METHOD_ZH.get(method, method)}）" if rep else "（无已公布的持仓报告）"))
    en = (f"look-through covers {cov:.0%} of NAV" + (f" ({method} disclosure of {rep})" if rep else
                                                     " (no published holdings report)"))
    return FundLookthrough(
        fund_code=code, name=str(exposures.fund_meta["name"].iloc[i]), as_of=exposures.as_of, method=method,
        coverage=cov, uncovered=max(1.0 - cov, 0.0), report_date=rep, full_report_date=exposures.full_report_date[i],
        published_on=published_on, by_kind=by_kind, unclassified=ind.get(None, 0.0),
        asset_mix=dict(zip(MIX_CLASSES, map(float, exposures.asset_mix[i]), strict=True)), holdings=lines,
        industries=industries, sectors=sectors or [], coverage_note_zh=zh, coverage_note_en=en)


_METHOD_ZH = {"full": "全部持仓", "top10": "仅前十大", "top10+full": "前十大 + 上期全部持仓补全",
              "allocation": "仅资产配置", "type": "按基金类型"}
