"""DD sections about the numbers: 经营情况, 行业分析, 财务分析 (three statements, ratios, charts), 还款来源."""

from __future__ import annotations

from analytics.corporate import NEGATIVE_BASE, ZERO_BASE
from reports import charts
from reports import labels as L
from reports.dd import charts as dc
from reports.dd import text as X
from reports.dd.common import T_MARKET, T_PLAN, T_RATIOS, Ctx
from reports.models import MISSING, Chart, Section, Table

PEER_COLS = ("revenue_growth", "gross_margin", "net_margin", "debt_to_asset", "current_ratio", "dscr")


def _ycols(x: Ctx) -> list[str]:
    return [f"{y}{'年' if x.zh else ''}" for y in x.c.years]


def _present(x: Ctx) -> list[int]:
    return [y for y in x.c.years if y not in x.c.missing_years]


def _fin(x: Ctx, year: int) -> dict:
    return next(f for f in x.c.financials if f["year"] == year)


def ratio_cell(x: Ctx, metric: str, year: int) -> str:
    r = next((r for r in x.c.ratios if r.metric == metric and r.year == year), None)
    if r is None or (r.value is None and r.note != ZERO_BASE):
        return x.book.pct(f"{metric}_{year}", None, T_RATIOS, x.c.as_of)
    if r.value is None:
        return x.w("zero_base")
    if r.unit == "fraction":
        s = x.pct(f"{metric}_{year}", r.value)
    elif r.unit == "days":
        s = x.book.days(f"{metric}_{year}", r.value, T_RATIOS, x.c.as_of)
    else:
        s = x.times(f"{metric}_{year}", r.value)
    return f"{s}（{x.w('neg_base')}）" if (r.note == NEGATIVE_BASE and x.zh) else (
        f"{s} ({x.w('neg_base')})" if r.note == NEGATIVE_BASE else s)


def business(x: Ctx) -> list[Section]:
    c = x.c
    scope = str(c.registration.get("business_scope") or x.miss)
    revs = [x.money(f"revenue_{f['year']}", f.get("revenue")) for f in c.financials]
    gms = [ratio_cell(x, "gross_margin", y) for y in c.years]
    return [Section(title=x.h("business"), blocks=[x.para("business", scope=scope, revenues=x.join(revs),
                                                           margins=x.join(gms))])]


def _trend(v: float | None, zh: bool) -> str:
    if v is None:
        return ""
    return ("上涨" if v >= 0 else "下跌") if zh else ("up" if v >= 0 else "down")


def industry(x: Ctx) -> list[Section]:
    c = x.c
    ind = str(c.registration.get("industry") or x.miss)
    if c.industry_return_1y is not None and c.market_return_1y is not None:
        p = x.para("industry", industry=ind, ind_trend=_trend(c.industry_return_1y, x.zh),
                   ind_ret=x.pct("industry_return_1y_abs", abs(c.industry_return_1y), T_MARKET),
                   mkt_trend=_trend(c.market_return_1y, x.zh),
                   mkt_ret=x.pct("market_return_1y_abs", abs(c.market_return_1y), T_MARKET))
    else:
        p = x.para("industry_no_index", industry=ind)
    rows = []
    for i, peer in enumerate(c.peers):
        row = [str(peer["name"]) + (" ★" if peer["id"] == c.company_id else ""), str(peer["year"])]
        for m in PEER_COLS:
            v = peer.get(m)
            row.append(x.times(f"peer_{i + 1}_{m}", v) if m in ("current_ratio", "dscr")
                       else x.pct(f"peer_{i + 1}_{m}", v))
        rows.append(row)
    blocks: list = [p]
    if rows:
        blocks.append(Table(columns=[x.col("company"), x.col("year"),
                                     *[X.t(X.PEER_SHORT, m, x.lang) for m in PEER_COLS]],
                            rows=rows, numeric=list(range(2, 2 + len(PEER_COLS))), widths=[3.0, 1.4] + [1.7] * 6))
    return [Section(title=x.h("industry"), blocks=blocks)]


def _statement(x: Ctx, lines: list[tuple[str, str, str]], extra: list[tuple[str, str]]) -> Table:
    rows = []
    for key, zh, en in [*lines, *[(k, X.t(X.WORDS, w, "zh"), X.t(X.WORDS, w, "en")) for k, w in extra]]:
        label = zh if x.zh else en
        rows.append([label, *[x.amt(f"{key}_{f['year']}", f.get(key)) for f in x.c.financials]])
    years = range(1, len(x.c.years) + 1)
    return Table(columns=[x.col_unit(x.col("item")), *_ycols(x)], rows=rows, numeric=list(years),
                 widths=[3.2] + [2] * len(x.c.years), units=dict.fromkeys(years, x.suffix))


def financials(x: Ctx) -> list[Section]:
    c = x.c
    main: list = []
    if c.missing_years:
        sep = "、" if x.zh else ", "
        main.append(x.para("missing_years", years=sep.join(str(y) for y in c.missing_years)))
    present = _present(x)
    if present:
        latest = max(present)
        fl = _fin(x, latest)
        rv = {r.metric: r.value for r in c.ratios if r.year == latest}
        g = rv.get("revenue_growth")
        main.append(x.narrate(
            "fin_summary", {"year": latest, "financials": fl, "ratios": rv}, latest=str(latest),
            revenue=x.money(f"revenue_{latest}", fl.get("revenue")),
            revenue_trend=("增长" if (g or 0) >= 0 else "下降") if x.zh else ("up" if (g or 0) >= 0 else "down"),
            revenue_growth=x.pct(f"revenue_growth_{latest}_abs", None if g is None else abs(g)),
            net_profit=x.money(f"net_profit_{latest}", fl.get("net_profit")),
            net_margin=x.pct(f"net_margin_{latest}", rv.get("net_margin")),
            roe=x.pct(f"roe_{latest}", rv.get("roe")), debt_to_asset=x.pct(f"debt_to_asset_{latest}", rv.get("debt_to_asset")),
            current_ratio=x.times(f"current_ratio_{latest}", rv.get("current_ratio")),
            quick_ratio=x.times(f"quick_ratio_{latest}", rv.get("quick_ratio")),
            receivable_days=x.book.days(f"receivable_days_{latest}", rv.get("receivable_days"), T_RATIOS, c.as_of),
            inventory_days=x.book.days(f"inventory_days_{latest}", rv.get("inventory_days"), T_RATIOS, c.as_of),
        ))
        main.append(_columns_chart(x))
        main.append(_ratio_chart(x))
    sub = [
        Section(title=X.t(X.SUB, "bs", x.lang), level=2, blocks=[_statement(x, X.BALANCE_SHEET,
                [("liabilities_and_equity", "liab_equity")])]),
        Section(title=X.t(X.SUB, "is", x.lang), level=2, blocks=[_statement(x, X.INCOME_STATEMENT, [])]),
        Section(title=X.t(X.SUB, "cf", x.lang), level=2, blocks=[_statement(x, X.CASH_FLOW,
                [("net_cash_change", "net_change")])]),
    ]
    rrows = [[L.label(L.RATIO_LABELS, m, x.lang), *[ratio_cell(x, m, y) for y in c.years]] for m in L.RATIO_LABELS]
    sub.append(Section(title=X.t(X.SUB, "ratios", x.lang), level=2, blocks=[
        Table(columns=[x.col("metric"), *_ycols(x)], rows=rrows, numeric=list(range(1, len(c.years) + 1)),
              widths=[3.2] + [2] * len(c.years))]))
    return [Section(title=x.h("financials"), blocks=main), *sub]


def _columns_chart(x: Ctx) -> Chart:
    zh = x.zh
    scale, unit = (1e8, "亿元") if zh else (1e6, "CNY mn")
    names = {"revenue": "营业收入" if zh else "Revenue", "net_profit": "净利润" if zh else "Net profit",
             "cfo": "经营现金流" if zh else "Operating cash flow"}
    series = {lbl: [None if f.get(k) is None else f[k] / scale for f in x.c.financials] for k, lbl in names.items()}
    title = "近三年收入、利润与经营现金流" if zh else "Revenue, profit and operating cash flow"
    png = charts.columns([str(f["year"]) for f in x.c.financials], series, title, ylabel=unit,
                         missing_label=MISSING[x.lang])
    return Chart(png=png, caption=title + (f"（单位：{unit}）" if zh else f" ({unit})"), width_cm=13)


def _ratio_chart(x: Ctx) -> Chart:
    metrics = ("gross_margin", "net_margin", "debt_to_asset")
    series = {L.label(L.RATIO_LABELS, m, x.lang): [next((r.value for r in x.c.ratios if r.metric == m and r.year == y),
                                                         None) for y in x.c.years] for m in metrics}
    title = "盈利能力与杠杆趋势" if x.zh else "Profitability and leverage trend"
    png = dc.ratio_lines([str(y) for y in x.c.years], series, title, percent=True)
    return Chart(png=png, caption=title, width_cm=13)


def repayment(x: Ctx) -> list[Section]:
    c = x.c
    present = _present(x)
    if not present:
        return [Section(title=x.h("repayment"), blocks=[x.para("repayment_missing")])]
    latest = max(present)
    fl = _fin(x, latest)
    dscr = next((r.value for r in c.ratios if r.metric == "dscr" and r.year == latest), None)
    ebitda = c.plan.ebitda if c.plan is not None and c.plan.ebitda is not None else None
    facts = {"year": latest, "financials": fl, "dscr": dscr, "ebitda": ebitda, "stress": c.stress}
    blocks: list = [x.narrate(
        "repayment", facts, latest=str(latest), cfo=x.money(f"cfo_{latest}", fl.get("cfo")),
        ebitda=x.money("ebitda_latest", ebitda, T_PLAN) if ebitda is not None else x.miss,
        principal=x.money(f"principal_due_next_year_{latest}", fl.get("principal_due_next_year")),
        interest=x.money(f"interest_expense_{latest}", fl.get("interest_expense")),
        dscr=x.times(f"dscr_{latest}", dscr),
    )]
    rows = []
    dscr_amber = c.thresholds.get("dscr_amber")
    for i, (shock, v) in enumerate(c.stress):
        label = x.w("base") if shock == 0 else (
            f"{x.w('revenue_shock')}{'下降' if x.zh else ' down '}{x.pct(f'stress_{i}_shock', abs(shock), T_PLAN, 0)}")
        ok = "—" if v is None or dscr_amber is None else (x.w("yes") if v >= dscr_amber else x.w("no"))
        rows.append([label, x.times(f"stress_{i}_dscr", v, T_PLAN), ok])
    head = f"≥{x.times('dscr_amber', dscr_amber, 'core.policy.CreditThresholds')}"
    blocks.append(Table(columns=[x.col("scenario"), x.col("dscr"), head], rows=rows, numeric=[1]))
    return [Section(title=x.h("repayment"), blocks=blocks)]
