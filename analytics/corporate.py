"""Corporate financial ratios, cross-checks and rule-based due-diligence flags (pure, no I/O).

Input is the ``corporate_financials`` table for one company as a DataFrame, one row per fiscal year,
columns as in ``datastore.schema.CorporateFinancial`` (yuan; NaN/None = not reported)::

    year  revenue   cogs      interest_expense  total_profit  net_profit  equity   ...
    2022  1.00e9    7.0e8     2.0e7             8.0e7         6.0e7       6.0e8
    2023  1.10e9    7.6e8     2.2e7             9.0e7         6.8e7       6.5e8

Definitions (one place, so the report and the agent agree):

* growth = x_t / x_{t−1} − 1 (revenue, net profit); NaN when the prior year is missing or ≤ 0.
* gross margin = (revenue − cogs) / revenue; net margin = net profit / revenue.
* ROE = net profit / average(equity_{t−1}, equity_t) — needs both year ends; no fallback to year-end
  equity (a guess we refuse to make).
* debt-to-asset = total liabilities / total assets; current ratio = current assets / current
  liabilities; quick ratio = (current assets − inventory) / current liabilities.
* interest coverage = EBIT / interest expense with EBIT = total profit + interest expense.
* cash conversion = CFO / net profit (meaningful only when net profit > 0).
* receivable days = receivables / revenue × 365; inventory days = inventory / cogs × 365 (year-end
  balances).
* DSCR = EBITDA / (interest expense + principal due next year), EBITDA = total profit + interest +
  depreciation. Stressed DSCR: revenue −20% with the gross margin unchanged and other costs fixed, so
  EBITDA falls by 20% of gross profit.

Every ratio whose inputs are missing is NaN and lists the missing inputs: a report prints
"数据缺失 / data missing", never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, Field

from core.policy import CreditThresholds

Scenario = Literal["credit", "account-opening", "change"]
SCENARIOS: tuple[str, ...] = ("credit", "account-opening", "change")
DAYS_PER_YEAR = 365
REVENUE_STRESS = -0.20

# metric → (inputs of the year, inputs of the prior year)
RATIO_INPUTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "revenue_growth": (("revenue",), ("revenue",)),
    "net_profit_growth": (("net_profit",), ("net_profit",)),
    "gross_margin": (("revenue", "cogs"), ()),
    "net_margin": (("revenue", "net_profit"), ()),
    "roe": (("net_profit", "equity"), ("equity",)),
    "debt_to_asset": (("total_liabilities", "total_assets"), ()),
    "current_ratio": (("current_assets", "current_liabilities"), ()),
    "quick_ratio": (("current_assets", "inventory", "current_liabilities"), ()),
    "interest_coverage": (("total_profit", "interest_expense"), ()),
    "cfo_to_net_profit": (("cfo", "net_profit"), ()),
    "receivable_days": (("receivables", "revenue"), ()),
    "inventory_days": (("inventory", "cogs"), ()),
    "dscr": (("total_profit", "interest_expense", "depreciation", "principal_due_next_year"), ()),
    "dscr_stressed": (
        ("total_profit", "interest_expense", "depreciation", "principal_due_next_year", "revenue", "cogs"),
        (),
    ),
}
RATIO_UNITS: dict[str, str] = {
    "revenue_growth": "fraction",
    "net_profit_growth": "fraction",
    "gross_margin": "fraction",
    "net_margin": "fraction",
    "roe": "fraction",
    "debt_to_asset": "fraction",
    "current_ratio": "times",
    "quick_ratio": "times",
    "interest_coverage": "times",
    "cfo_to_net_profit": "times",
    "receivable_days": "days",
    "inventory_days": "days",
    "dscr": "times",
    "dscr_stressed": "times",
}


class Ratio(BaseModel):
    """One ratio for one year. ``value`` None = not computable; ``missing`` names the absent inputs."""

    year: int
    metric: str
    value: float | None
    unit: str
    missing: list[str] = Field(default_factory=list)


def _num(row: pd.Series | None, col: str) -> float | None:
    if row is None or col not in row.index:
        return None
    v = row[col]
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v)


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _compute(metric: str, cur: pd.Series, prev: pd.Series | None) -> float | None:
    g = lambda col: _num(cur, col)  # noqa: E731 - local shorthand keeps formulas readable
    p = lambda col: _num(prev, col)  # noqa: E731
    if metric in ("revenue_growth", "net_profit_growth"):
        col = metric.removesuffix("_growth")
        base = p(col)
        if base is None or base <= 0 or g(col) is None:
            return None
        return g(col) / base - 1.0  # type: ignore[operator]
    if metric == "gross_margin":
        rev, cogs = g("revenue"), g("cogs")
        return None if rev is None or cogs is None else _div(rev - cogs, rev)
    if metric == "net_margin":
        return _div(g("net_profit"), g("revenue"))
    if metric == "roe":
        e0, e1 = p("equity"), g("equity")
        if e0 is None or e1 is None:
            return None
        return _div(g("net_profit"), (e0 + e1) / 2)
    if metric == "debt_to_asset":
        return _div(g("total_liabilities"), g("total_assets"))
    if metric == "current_ratio":
        return _div(g("current_assets"), g("current_liabilities"))
    if metric == "quick_ratio":
        ca, inv = g("current_assets"), g("inventory")
        return None if ca is None or inv is None else _div(ca - inv, g("current_liabilities"))
    if metric == "interest_coverage":
        tp, ie = g("total_profit"), g("interest_expense")
        return None if tp is None or ie is None else _div(tp + ie, ie)
    if metric == "cfo_to_net_profit":
        np_ = g("net_profit")
        return None if np_ is None or np_ <= 0 else _div(g("cfo"), np_)
    if metric == "receivable_days":
        r = _div(g("receivables"), g("revenue"))
        return None if r is None else r * DAYS_PER_YEAR
    if metric == "inventory_days":
        r = _div(g("inventory"), g("cogs"))
        return None if r is None else r * DAYS_PER_YEAR
    if metric in ("dscr", "dscr_stressed"):
        tp, ie, dep, principal = (
            g("total_profit"),
            g("interest_expense"),
            g("depreciation"),
            g("principal_due_next_year"),
        )
        if None in (tp, ie, dep, principal):
            return None
        ebitda = tp + ie + dep  # type: ignore[operator]
        if metric == "dscr_stressed":
            rev, cogs = g("revenue"), g("cogs")
            if rev is None or cogs is None:
                return None
            ebitda += REVENUE_STRESS * (rev - cogs)
        return _div(ebitda, ie + principal)  # type: ignore[operator]
    raise KeyError(metric)


def ratios(fin: pd.DataFrame, years: Sequence[int] | None = None) -> list[Ratio]:
    """Every ratio in ``RATIO_INPUTS`` for each of ``years`` (default: the years in ``fin``).

    A year absent from ``fin`` yields ratios with value None and ``missing=["year <y>"]``.
    """
    by_year = {int(r["year"]): r for _, r in fin.iterrows()} if len(fin) else {}
    out: list[Ratio] = []
    for year in years if years is not None else sorted(by_year):
        cur = by_year.get(year)
        prev = by_year.get(year - 1)
        for metric, (inputs, prev_inputs) in RATIO_INPUTS.items():
            unit = RATIO_UNITS[metric]
            if cur is None:
                out.append(Ratio(year=year, metric=metric, value=None, unit=unit, missing=[f"year {year}"]))
                continue
            missing = [c for c in inputs if _num(cur, c) is None]
            missing += [f"{c} ({year - 1})" for c in prev_inputs if _num(prev, c) is None]
            value = None if missing else _compute(metric, cur, prev)
            out.append(Ratio(year=year, metric=metric, value=value, unit=unit, missing=sorted(set(missing))))
    return out


def expected_years(as_of: date, n: int = 3) -> list[int]:
    """The last ``n`` completed fiscal years at ``as_of`` (annual reports for year t are due by April t+1)."""
    last = as_of.year - 1 if as_of.month >= 5 else as_of.year - 2
    return list(range(last - n + 1, last + 1))


def missing_years(fin: pd.DataFrame, years: Iterable[int]) -> list[int]:
    present = set(int(y) for y in fin["year"]) if len(fin) else set()
    return [y for y in years if y not in present]


# ------------------------------------------------------------------------------------------ flags


Thresholds = CreditThresholds  # the credit rules' numbers are policy (core.policy)


class Flag(BaseModel):
    code: str
    severity: Literal["red", "amber", "info"]
    value: float | str | None = None
    threshold: float | str | None = None
    detail: str = ""


Conclusion = Literal["pass", "conditional", "decline"]
ACTIVE_STATUSES = ("存续", "在业")


def _ratio(rs: list[Ratio], year: int, metric: str) -> float | None:
    for r in rs:
        if r.year == year and r.metric == metric:
            return r.value
    return None


def evaluate_flags(
    scenario: Scenario,
    *,
    status: str,
    credit_code_valid: bool,
    ratio_list: list[Ratio],
    years: Sequence[int],
    missing_year_list: Sequence[int],
    shareholders: pd.DataFrame,
    risk_events: pd.DataFrame,
    credit: pd.DataFrame,
    as_of: date,
    equity: float | None = None,
    thresholds: Thresholds | None = None,
) -> list[Flag]:
    """Rule-based flags for a due-diligence ``scenario``; the conclusion follows from their severities.

    ``shareholders`` columns: name, share, pledged_share; ``risk_events``: date, kind, role, amount, status;
    ``credit``: limit_amount, balance, overdue_days, max_overdue_days_24m, classification. ``equity`` is
    the latest year-end equity (yuan), used to size open lawsuits against the company.
    """
    if scenario not in SCENARIOS:
        from analytics.errors import InvalidInput

        raise InvalidInput(
            f"unknown scenario {scenario!r}", field="scenario", hint="credit | account-opening | change"
        )
    t = thresholds or Thresholds()
    flags: list[Flag] = []
    add = lambda *a, **k: flags.append(Flag(*a, **k))  # noqa: E731

    if status not in ACTIVE_STATUSES:
        add(code="status_inactive", severity="red", value=status, threshold="存续/在业")
    if not credit_code_valid:
        add(code="credit_code_invalid", severity="red")
    events = (
        risk_events
        if len(risk_events)
        else pd.DataFrame(columns=["date", "kind", "role", "amount", "status"])
    )
    open_events = events[events["status"] == "open"]
    for kind, sev in (
        ("dishonest", "red"),
        ("enforcement", "red" if scenario == "credit" else "amber"),
        ("abnormal", "red" if scenario == "account-opening" else "amber"),
    ):
        n = int((open_events["kind"] == kind).sum())
        if n:
            add(code=f"open_{kind}", severity=sev, value=float(n))
    if len(shareholders):
        top = shareholders.sort_values("share", ascending=False).iloc[0]
        if float(top["pledged_share"]) > t.pledge_amber:
            add(
                code="major_shareholder_pledge",
                severity="amber",
                value=float(top["pledged_share"]),
                threshold=t.pledge_amber,
                detail=str(top["name"]),
            )
    else:
        add(code="shareholders_missing", severity="amber")

    if scenario == "account-opening":
        return flags

    if missing_year_list:
        add(
            code="financial_years_missing",
            severity="amber",
            value=", ".join(str(y) for y in missing_year_list),
        )
    latest = max((y for y in years if y not in missing_year_list), default=None)
    if len(credit):
        cur_overdue = int(credit["overdue_days"].max())
        max24 = int(credit["max_overdue_days_24m"].max())
        if cur_overdue > 0:
            add(code="overdue_now", severity="red", value=float(cur_overdue))
        if max24 > t.overdue_red_days:
            add(code="overdue_24m", severity="red", value=float(max24), threshold=float(t.overdue_red_days))
        elif max24 > t.overdue_amber_days:
            add(
                code="overdue_24m",
                severity="amber",
                value=float(max24),
                threshold=float(t.overdue_amber_days),
            )
        bad = [c for c in credit["classification"] if c != "正常"]
        if bad:
            add(code="loan_classification", severity="amber" if set(bad) == {"关注"} else "red", value=bad[0])

    if latest is not None:

        def check(metric: str, red: float | None, amber: float | None, higher_is_worse: bool = False) -> None:
            v = _ratio(ratio_list, latest, metric)
            if v is None:
                add(code=f"{metric}_missing", severity="amber", detail=str(latest))
                return
            worse = (lambda a, b: a > b) if higher_is_worse else (lambda a, b: a < b)
            if red is not None and worse(v, red):
                add(code=metric, severity="red", value=v, threshold=red)
            elif amber is not None and worse(v, amber):
                add(code=metric, severity="amber", value=v, threshold=amber)

        if scenario == "credit":
            check("dscr", t.dscr_red, t.dscr_amber)
            check("dscr_stressed", None, t.dscr_stressed_amber)
            check("debt_to_asset", t.debt_to_asset_red, t.debt_to_asset_amber, higher_is_worse=True)
            check("interest_coverage", t.interest_coverage_red, t.interest_coverage_amber)
            check("current_ratio", None, t.current_ratio_amber)
            npv = _ratio(ratio_list, latest, "cfo_to_net_profit")
            if npv is not None and npv < t.cfo_to_net_profit_amber:
                add(
                    code="cfo_to_net_profit", severity="amber", value=npv, threshold=t.cfo_to_net_profit_amber
                )
            sued = open_events[(open_events["kind"] == "lawsuit") & (open_events["role"] == "defendant")]
            claimed = float(pd.to_numeric(sued["amount"], errors="coerce").fillna(0.0).sum())
            if claimed > 0 and equity and claimed / equity > t.lawsuit_equity_amber:
                add(
                    code="lawsuits_vs_equity",
                    severity="amber",
                    value=claimed / equity,
                    threshold=t.lawsuit_equity_amber,
                )
        if scenario == "change":
            growth = _ratio(ratio_list, latest, "revenue_growth")
            if growth is not None and growth < t.revenue_decline_amber:
                add(code="revenue_decline", severity="amber", value=growth, threshold=t.revenue_decline_amber)
            d1, d0 = (
                _ratio(ratio_list, latest, "debt_to_asset"),
                _ratio(ratio_list, latest - 1, "debt_to_asset"),
            )
            if d1 is not None and d0 is not None and d1 - d0 > t.leverage_jump_amber:
                add(code="leverage_jump", severity="amber", value=d1 - d0, threshold=t.leverage_jump_amber)
            nm = _ratio(ratio_list, latest, "net_margin")
            nm0 = _ratio(ratio_list, latest - 1, "net_margin")
            if nm is not None and nm0 is not None and nm < 0 <= nm0:
                add(code="turned_to_loss", severity="red", value=nm)
            recent = events[
                pd.to_datetime(events["date"]) >= pd.Timestamp(as_of) - pd.Timedelta(days=t.recent_event_days)
            ]
            if len(recent):
                add(code="recent_risk_events", severity="amber", value=float(len(recent)))
    return flags


def conclusion(flags: Iterable[Flag]) -> Conclusion:
    """Any red flag → decline (or escalate); any amber → conditional; otherwise pass."""
    severities = {f.severity for f in flags}
    if "red" in severities:
        return "decline"
    if "amber" in severities:
        return "conditional"
    return "pass"


def flags_for_frames(
    frames: Any,
    ratio_list: list[Ratio] | None = None,
    *,
    as_of: date,
    scenario: Scenario = "credit",
    credit_code_valid: bool | None = None,
    thresholds: Thresholds | None = None,
) -> list[Flag]:
    """``evaluate_flags`` for a bundle with ``profile`` (dict: status, credit_code), ``financials``,
    ``shareholders``, ``risk_events`` and ``credit`` frames (e.g. ``datastore.repositories.corporate.
    corporate_frames``). Ratios are computed for ``expected_years(as_of)`` when not given.
    ``credit_code_valid`` defaults to the GB 32100 check of ``profile["credit_code"]``."""
    years = expected_years(as_of)
    fin = frames.financials
    rl = ratio_list if ratio_list is not None else ratios(fin, years)
    missing = missing_years(fin, years)
    present = [y for y in years if y not in missing]
    latest = fin[fin["year"] == max(present)] if present else fin.iloc[0:0]
    equity = float(latest["equity"].iloc[0]) if len(latest) and pd.notna(latest["equity"].iloc[0]) else None
    if credit_code_valid is None:
        from analytics.identifiers import is_valid_credit_code

        credit_code_valid = is_valid_credit_code(str(frames.profile.get("credit_code", "")))
    return evaluate_flags(
        scenario,
        status=str(frames.profile.get("status", "")),
        credit_code_valid=credit_code_valid,
        ratio_list=rl,
        years=years,
        missing_year_list=missing,
        shareholders=frames.shareholders,
        risk_events=frames.risk_events,
        credit=frames.credit,
        as_of=as_of,
        equity=equity,
        thresholds=thresholds,
    )
