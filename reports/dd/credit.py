"""DD sections about exposure and the decision: 征信与融资, 对外担保/关联交易, 风险信息, 数据可信度,
授信方案, 结论与风险提示, and the change report's comparison."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.credit_plan import OWN_BANK
from reports import labels as L
from reports.dd import charts as dc
from reports.dd import text as X
from reports.dd.common import T_CHECKS, T_DATA, T_FLAGS, T_PLAN, T_POLICY, Ctx
from reports.models import Chart, Section, Table
from reports.names_en import FIXED

OWN_BANK_EN = FIXED[OWN_BANK]  # English documents show 本行 as "our bank"
OWN_NAMES = (OWN_BANK, OWN_BANK_EN)

_TIMES_FLAGS = ("dscr", "dscr_stressed", "interest_coverage", "current_ratio", "cfo_to_net_profit")
_COUNT_FLAGS = ("overdue_now", "overdue_24m", "open_dishonest", "open_enforcement", "open_abnormal",
                "recent_risk_events", "matured_outstanding")


def _matured(x: Ctx, row: dict) -> bool:
    return pd.Timestamp(row["maturity_date"]) < pd.Timestamp(x.c.as_of) and float(row["balance"]) > 0


def credit(x: Ctx) -> list[Section]:
    c = x.c
    if not c.credit:
        return [Section(title=x.h("credit"), blocks=[x.para("credit_none")])]
    rows = []
    for i, f in enumerate(c.credit):
        own = f["lender"] in OWN_NAMES
        remark = [x.w("matured")] if _matured(x, f) else []
        if own:
            remark.insert(0, "★" + x.w("own_bank"))
        iso = lambda d: d.isoformat() if isinstance(d, date) else str(d or "—")  # noqa: E731 - compact
        overdue = x.count(f"credit_{i + 1}_overdue_days", f["overdue_days"])
        rows.append([("★ " if own else "") + str(f["lender"]), str(f["facility_type"]),
                     x.amt(f"credit_{i + 1}_limit", f["limit_amount"], digits=0),
                     x.amt(f"credit_{i + 1}_balance", f["balance"], digits=0),
                     f"{iso(f.get('start_date'))}{' 至' if x.zh else ' to'}\n{iso(f.get('maturity_date'))}",
                     f"{f['classification']} / {overdue}{'天' if x.zh else 'd'}",
                     str(f.get("guarantee") or "—"), "；".join(remark) if x.zh else "; ".join(remark)])
    tt = c.credit_totals
    rows.append([x.w("total"), "", x.amt("credit_limit_total", tt["limit"], digits=0),
                 x.amt("credit_balance_total", tt["balance"], digits=0), "", "", "", ""])
    blocks: list = [Table(
        columns=[x.col_unit(x.col(k)) if k in ("limit", "balance") else x.col(k)
                 for k in ("lender", "facility", "limit", "balance", "term", "class_overdue", "guarantee", "remark")],
        rows=rows, numeric=[2, 3], widths=[2.2, 1.8, 1.5, 1.5, 2.4, 1.5, 2.2, 2.0], units={2: x.suffix, 3: x.suffix})]
    blocks.append(x.para(
        "credit", n_lenders=x.count("lenders", tt["lenders"]), limit=x.money("credit_limit_total", tt["limit"]),
        balance=x.money("credit_balance_total", tt["balance"]), own_limit=x.money("own_limit", tt["own_limit"]),
        own_balance=x.money("own_balance", tt["own_balance"]), own_share=x.pct("own_share", tt.get("own_share"), T_DATA),
        overdue=x.count("overdue_days_now", tt["overdue_days"]), max24=x.count("max_overdue_days_24m",
                                                                                tt["max_overdue_days_24m"]),
    ))
    n_matured = sum(_matured(x, f) for f in c.credit)
    if n_matured:
        blocks.append(x.para("matured", n=x.count("matured_outstanding_count", n_matured, T_FLAGS)))
    by_lender: dict[str, list[float]] = {}
    for f in c.credit:
        v = by_lender.setdefault(str(f["lender"]), [0.0, 0.0])
        v[0] += float(f["limit_amount"])
        v[1] += float(f["balance"])
    scale, unit = (1e4, "万元") if x.zh else (1e6, "CNY mn")
    png = dc.exposure_bars(list(by_lender), [v[0] for v in by_lender.values()], [v[1] for v in by_lender.values()],
                           own=OWN_BANK if x.zh else OWN_BANK_EN, title="各机构授信额度与余额（红色为本行余额）" if x.zh else
                           "Limits and balances by lender (our bank's balance in red)",
                           names=(x.col("limit"), x.col("balance")), unit_scale=scale, unit=unit)
    blocks.append(Chart(png=png, caption=("授信敞口分布（单位：万元）" if x.zh else "Credit exposure (CNY mn)"),
                        width_cm=13))
    return [Section(title=x.h("credit"), blocks=blocks)]


def guarantees(x: Ctx) -> list[Section]:
    return [Section(title=x.h("guarantees"), blocks=[x.para("guarantees"), x.para("related")])]


def risk(x: Ctx) -> list[Section]:
    c = x.c
    blocks: list = []
    if c.risk_events:
        rows = [[x.date(e["date"]), L.label(L.EVENT_KINDS, str(e["kind"]), x.lang),
                 L.label(L.EVENT_ROLES, str(e["role"]), x.lang) if e.get("role") else "—",
                 x.amt(f"event_{i + 1}_amount", e.get("amount")) if e.get("amount") is not None else "—",
                 str(e["description"]), L.label(L.EVENT_STATUS, str(e["status"]), x.lang)]
                for i, e in enumerate(c.risk_events)]
        blocks.append(Table(columns=[x.col_unit(x.col(k)) if k == "amount" else x.col(k)
                                     for k in ("date", "event", "role", "amount", "desc", "status")],
                            rows=rows, numeric=[3], widths=[2.2, 1.6, 1.2, 2.2, 5, 1.2], units={3: x.suffix}))
        blocks.append(x.para("risk_events", n_events=x.count("risk_events", c.credit_totals["events"]),
                             n_open=x.count("open_risk_events", c.credit_totals["open_events"])))
    else:
        blocks.append(x.para("risk_events_none"))
    return [Section(title=x.h("risk"), blocks=blocks), *plausibility(x)]


def plausibility(x: Ctx) -> list[Section]:
    c = x.c
    if not c.warnings:
        return [Section(title=x.h("plausibility"), level=2, blocks=[x.para("plausibility_none")])]
    rows = []
    for i, w in enumerate(c.warnings):
        subject = L.label(L.RATIO_LABELS, w.subject, x.lang) if w.code == "constant_ratio" else w.subject
        n = x.count(f"warning_{i + 1}_companies", w.value, T_CHECKS) if w.code == "shared_event" else ""
        rows.append([X.t(X.WARNINGS, w.code, x.lang, subject=subject, detail=w.detail, n=n),
                     X.t(X.VERIFY, w.code, x.lang)])
    return [Section(title=x.h("plausibility"), level=2, blocks=[
        x.para("plausibility"), Table(columns=[x.col("warning"), x.col("verify")], rows=rows, widths=[6, 4])])]


def plan(x: Ctx) -> list[Section]:
    c, p, th = x.c, x.c.plan, x.c.thresholds
    pol = lambda name, v, kind="pct": (  # noqa: E731 - policy parameters cited with their field name
        x.pct(f"policy_{name}", v, T_POLICY) if kind == "pct" else
        x.times(f"policy_{name}", v, T_POLICY) if kind == "times" else
        x.money(f"policy_{name}", v, T_POLICY) if kind == "money" else x.count(f"policy_{name}", v, T_POLICY))
    rules = x.para(
        "plan_rules", revenue_share=pol("plan_revenue_share", th["plan_revenue_share"]),
        ebitda_multiple=pol("plan_ebitda_multiple", th["plan_ebitda_multiple"], "times"),
        round_step=pol("plan_round_yuan", th["plan_round_yuan"], "money"),
        dscr_amber=pol("dscr_amber", th["dscr_amber"], "times"), term=pol("plan_term_months", th["plan_term_months"], "n"),
        term_weak=pol("plan_term_months_weak", th["plan_term_months_weak"], "n"), lpr=pol("plan_lpr_1y", th["plan_lpr_1y"]),
        spread_pass=pol("plan_spread_pass", th["plan_spread_pass"]),
        spread_cond=pol("plan_spread_conditional", th["plan_spread_conditional"]),
        da_amber=pol("debt_to_asset_amber", th["debt_to_asset_amber"]),
    )
    if p is None or not p.offered:
        reason = p.reason if p is not None else "no_data"
        kw = {"capacity": x.money("plan_capacity", p.capacity, T_PLAN)} if reason == "no_capacity" and p else {}
        return [Section(title=x.h("plan"), blocks=[x.para(f"plan_none_{reason}", **kw), rules])]
    R = lambda k, **kw: X.t(X.PLAN_ROWS, k, x.lang, **kw)  # noqa: E731
    controller = c.ownership.controller if c.ownership and c.ownership.controller else c.registration.get("legal_rep")
    guar = [R(g, name=controller) if g == "controller_guarantee" else R(g) for g in p.guarantees]
    conds = [X.t(X.CONDITIONS, k, x.lang) if k in X.CONDITIONS else
             (R(k) if k in X.PLAN_ROWS else L.flag_label(k, x.lang)) for k in p.conditions]
    months = "个月" if x.zh else " months"
    sep = "；" if x.zh else "; "
    rows = [
        [R("amount"), x.money("plan_amount", p.amount, T_PLAN),
         ("需求" if x.zh else "need ") + x.money("plan_need", p.need, T_PLAN) + sep +
         ("负债能力" if x.zh else "capacity ") + x.money("plan_capacity", p.capacity, T_PLAN)],
        [R("product"), R(p.product), ""],
        [R("term"), x.count("plan_term_months", p.term_months, T_PLAN) + months,
         "DSCR " + x.times("plan_dscr", next((r.value for r in c.ratios if r.metric == "dscr" and
                                               r.year == max(y for y in c.years if y not in c.missing_years)), None))],
        [R("pricing"), x.pct("plan_rate", p.rate, T_PLAN), "LPR " + x.pct("policy_plan_lpr_1y", th["plan_lpr_1y"],
                                                                          T_POLICY) + " + " +
         x.pct("plan_spread", p.spread, T_PLAN)],
        [R("guarantee"), sep.join(guar), ""],
        [R("conditions"), sep.join(f"{i + 1}. {t}" for i, t in enumerate(conds)) if x.zh else
         sep.join(f"({i + 1}) {t}" for i, t in enumerate(conds)), ""],
    ]
    return [Section(title=x.h("plan"), blocks=[
        Table(columns=[x.col("item"), x.col("value"), x.col("reason")], rows=rows, widths=[1.6, 6, 3.4]), rules])]


def _flag_value(x: Ctx, code: str, name: str, v: object) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if code in _TIMES_FLAGS:
        return x.times(name, float(v), T_FLAGS)
    if code in _COUNT_FLAGS:
        return x.count(name, float(v), T_FLAGS)
    return x.pct(name, float(v), T_FLAGS)


def conclusion(x: Ctx) -> list[Section]:
    c = x.c
    n_red = sum(f.severity == "red" for f in c.flags)
    n_amber = sum(f.severity == "amber" for f in c.flags)
    blocks: list = [x.para(f"conclusion_{c.conclusion}", scenario_name=L.SCENARIO_NAMES[c.scenario][x.lang],
                           n_red=x.count("red_flags", n_red, T_FLAGS), n_amber=x.count("amber_flags", n_amber, T_FLAGS))]
    if c.flags:
        rows = [[L.flag_label(f.code, x.lang), L.SEVERITY[f.severity][x.lang],
                 _flag_value(x, f.code, f"flag_{i + 1}_value", f.value),
                 _flag_value(x, f.code, f"flag_{i + 1}_threshold", f.threshold)] for i, f in enumerate(c.flags)]
        blocks.append(Table(columns=[x.col(k) for k in ("flag", "severity", "value", "threshold")], rows=rows,
                            numeric=[2, 3]))
    blocks.append(x.para("risk_prompts"))
    blocks.append(x.para("disclaimer"))
    return [Section(title=x.h("conclusion"), blocks=blocks)]


def changes(x: Ctx) -> list[Section]:
    c = x.c
    blocks: list = [x.para("changes", before=x.date(c.change_from), after=x.date(c.as_of),
                           days=x.count("change_lookback_days", c.thresholds.get("recent_event_days"), T_POLICY))]
    rows = []
    for i, ch in enumerate(ch for ch in c.changes if ch.code != "no_history"):
        area = X.t(X.CHANGE_CODES, ch.code, x.lang)
        if ch.code == "fin_delta":
            subject = L.label(X_FIN, ch.subject, x.lang)
        elif ch.code == "new_event":
            subject = L.label(L.EVENT_KINDS, ch.subject, x.lang)
        else:
            subject = ch.subject
        rows.append([area, subject, x.date(ch.when) if isinstance(ch.when, date) else "—",
                     x.amt(f"change_{i + 1}_before", ch.before) if ch.before is not None else "—",
                     x.amt(f"change_{i + 1}_after", ch.after) if ch.after is not None else "—"])
    if rows:
        blocks.append(Table(columns=[x.col_unit(x.col(k)) if k in ("before", "after") else x.col(k)
                                     for k in ("area", "item", "date", "before", "after")], rows=rows,
                            numeric=[3, 4], widths=[2, 4, 2.2, 2.4, 2.4], units={3: x.suffix, 4: x.suffix}))
    else:
        blocks.append(x.para("changes_none"))
    return [Section(title=x.h("changes"), blocks=blocks)]


X_FIN = {
    "revenue": {"zh": "营业收入", "en": "Revenue"}, "net_profit": {"zh": "净利润", "en": "Net profit"},
    "total_liabilities": {"zh": "负债合计", "en": "Total liabilities"}, "equity": {"zh": "所有者权益", "en": "Equity"},
}
