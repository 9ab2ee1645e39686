"""Lay a ``DueDiligenceContent`` out as sections, tables and narrative (no I/O).

Every number goes through the ``FigureBook`` (so it is cited in the provenance appendix); narrative
comes from ``prompts/<lang>/report_dd.md`` or, with an LLM, from ``reports.narrative.llm_commentary``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reports import charts
from reports import labels as L
from reports.models import MISSING, Chart, DocContent, FigureBook, Para, Section, Table, provenance_table
from reports.narrative import fill, llm_commentary

if TYPE_CHECKING:
    from reports.due_diligence import DueDiligenceContent

from reports.labels import COLS, REG_ROWS
from reports.labels import DD_HEADINGS as H

T_RATIOS = "analytics.corporate.ratios"
T_FLAGS = "analytics.corporate.evaluate_flags"
T_DATA = "datastore.repositories.corporate"


def _fmt_ratio(book: FigureBook, name: str, unit: str, value: float | None, as_of: Any) -> str:
    if unit == "fraction":
        return book.pct(name, value, T_RATIOS, as_of)
    if unit == "days":
        return book.days(name, value, T_RATIOS, as_of)
    return book.times(name, value, T_RATIOS, as_of)


def _trend(value: float | None, lang: str) -> tuple[str, float | None]:
    """Direction word and absolute value: the sign is said in words (see reports.grounding)."""
    if value is None:
        return ("", None)
    if lang == "zh":
        return ("增长" if value >= 0 else "下降", abs(value))
    return ("up" if value >= 0 else "down", abs(value))


def _narrate(key: str, text: str, c: DueDiligenceContent, facts: Any, llm: Any) -> Para:
    if llm is not None:
        text = llm_commentary(llm, lang=c.lang, topic=key, facts=facts, offline_text=text)
    c.narrative[key] = text
    return Para(text=text, narrative=True)


def layout(c: DueDiligenceContent, book: FigureBook, *, llm: Any = None) -> DocContent:
    lang, h, col = c.lang, H[c.lang], COLS[c.lang]
    miss = MISSING[lang]
    sc_name = L.SCENARIO_NAMES[c.scenario][lang]
    as_of = c.as_of
    ratio = {(r.year, r.metric): r for r in c.ratios}
    present = [y for y in c.years if y not in c.missing_years]
    latest = max(present) if present else None
    sections: list[Section] = []

    # --- summary / conclusion up front
    concl = L.CONCLUSION[c.conclusion][lang]
    n_red = sum(f.severity == "red" for f in c.flags)
    n_amber = sum(f.severity == "amber" for f in c.flags)
    summary = [
        Para(
            text=fill(
                "report_dd", lang, "intro", name=c.name, scenario_name=sc_name, as_of=L.fmt_date(as_of, lang)
            ),
            narrative=True,
        ),
        Para(text=("结论：" if lang == "zh" else "Conclusion: ") + concl),
    ]
    sections.append(Section(title=h["summary"], blocks=summary))

    # --- registration
    reg = c.registration
    rows = []
    for key, lbl in REG_ROWS[lang]:
        v = reg.get(key)
        if key == "registered_capital":
            shown = book.money("registered_capital", v, T_DATA, as_of) if v is not None else miss
        elif key == "credit_code":
            ok = (
                ("校验通过" if lang == "zh" else "check digit valid")
                if c.credit_code_valid
                else ("校验失败" if lang == "zh" else "check digit INVALID")
            )
            shown = f"{v}（{ok}）" if lang == "zh" else f"{v} ({ok})"
        else:
            shown = miss if v in (None, "") else L.fmt_date(v, lang)
        rows.append([lbl, shown])
    code_check = (
        ("正确" if c.credit_code_valid else "错误")
        if lang == "zh"
        else ("valid" if c.credit_code_valid else "invalid")
    )
    capital = rows[3][1]
    reg_text = fill(
        "report_dd",
        lang,
        "registration",
        credit_code=reg.get("credit_code", miss),
        code_check=code_check,
        status=reg.get("status", miss),
        founded=L.fmt_date(reg.get("founded", miss), lang),
        capital=capital,
        legal_rep=reg.get("legal_rep", miss),
    )
    sections.append(
        Section(
            title=h["registration"],
            blocks=[
                Table(columns=[col["item"], col["value"]], rows=rows),
                Para(text=reg_text, narrative=True),
            ],
        )
    )

    # --- shareholders
    blocks: list[Any] = []
    if c.shareholders:
        hrows = []
        for i, s in enumerate(sorted(c.shareholders, key=lambda s: -float(s["share"]))):
            hrows.append(
                [
                    str(s["name"]),
                    L.label(L.HOLDER_KINDS, str(s.get("kind") or ""), lang) if s.get("kind") else miss,
                    book.pct(f"shareholder_{i + 1}_share", s["share"], T_DATA, as_of),
                    book.pct(f"shareholder_{i + 1}_pledged", s.get("pledged_share"), T_DATA, as_of),
                ]
            )
        blocks.append(
            Table(
                columns=[col["holder"], col["kind"], col["share"], col["pledge"]], rows=hrows, numeric=[2, 3]
            )
        )
        top = hrows[0]
        blocks.append(
            Para(
                text=fill(
                    "report_dd", lang, "shareholders", top_holder=top[0], top_share=top[2], top_pledge=top[3]
                ),
                narrative=True,
            )
        )
    else:
        blocks.append(Para(text=fill("report_dd", lang, "shareholders_missing"), narrative=True))
    sections.append(Section(title=h["shareholders"], blocks=blocks))

    # --- financials: statement items and ratios by year; a missing year is marked, not invented
    ycols = [f"{y}{'年' if lang == 'zh' else ''}" for y in c.years]
    fin_rows = []
    for item in L.FIN_ITEMS:
        row = [L.label(L.FIN_ITEMS, item, lang)]
        for f in c.financials:
            row.append(book.money(f"{item}_{f['year']}", f.get(item), T_DATA, as_of))
        fin_rows.append(row)
    ratio_rows = []
    for metric in L.RATIO_LABELS:
        row = [L.label(L.RATIO_LABELS, metric, lang)]
        for y in c.years:
            r = ratio.get((y, metric))
            row.append(
                _fmt_ratio(book, f"{metric}_{y}", r.unit if r else "times", r.value if r else None, as_of)
            )
        ratio_rows.append(row)
    blocks = [
        Table(
            columns=[col["item"], *ycols],
            rows=fin_rows,
            numeric=list(range(1, len(ycols) + 1)),
        ),
        Table(columns=[col["metric"], *ycols], rows=ratio_rows, numeric=list(range(1, len(ycols) + 1))),
    ]
    if present:
        blocks.append(_trend_chart(c))
    if c.missing_years:
        blocks.append(
            Para(
                text=fill(
                    "report_dd",
                    lang,
                    "missing_years",
                    years="、".join(str(y) for y in c.missing_years)
                    if lang == "zh"
                    else ", ".join(str(y) for y in c.missing_years),
                ),
                narrative=True,
            )
        )
    if latest is not None:

        def rv(metric: str) -> float | None:
            r = ratio.get((latest, metric))
            return r.value if r else None

        fin_latest = next(f for f in c.financials if f["year"] == latest)
        trend_word, growth = _trend(rv("revenue_growth"), lang)
        text = fill(
            "report_dd",
            lang,
            "fin_summary",
            latest=str(latest),
            revenue=book.money(f"revenue_{latest}", fin_latest.get("revenue"), T_DATA, as_of),
            revenue_trend=trend_word,
            revenue_growth=book.pct(f"revenue_growth_{latest}_abs", growth, T_RATIOS, as_of),
            net_profit=book.money(f"net_profit_{latest}", fin_latest.get("net_profit"), T_DATA, as_of),
            net_margin=book.pct(f"net_margin_{latest}", rv("net_margin"), T_RATIOS, as_of),
            roe=book.pct(f"roe_{latest}", rv("roe"), T_RATIOS, as_of),
            debt_to_asset=book.pct(f"debt_to_asset_{latest}", rv("debt_to_asset"), T_RATIOS, as_of),
            current_ratio=book.times(f"current_ratio_{latest}", rv("current_ratio"), T_RATIOS, as_of),
            quick_ratio=book.times(f"quick_ratio_{latest}", rv("quick_ratio"), T_RATIOS, as_of),
            receivable_days=book.days(f"receivable_days_{latest}", rv("receivable_days"), T_RATIOS, as_of),
            inventory_days=book.days(f"inventory_days_{latest}", rv("inventory_days"), T_RATIOS, as_of),
        )
        facts = {"year": latest, "financials": fin_latest, "ratios": {m: rv(m) for m in L.RATIO_LABELS}}
        blocks.append(_narrate("fin_summary", text, c, facts, llm))
    sections.append(Section(title=h["financials"], blocks=blocks))

    # --- cross-checks
    blocks = []
    if latest is not None:
        cc = {
            m: ratio[(latest, m)].value
            for m in ("cfo_to_net_profit", "interest_coverage", "dscr", "dscr_stressed")
        }
        text = fill(
            "report_dd",
            lang,
            "crosscheck",
            cfo_np=book.times(f"cfo_to_net_profit_{latest}", cc["cfo_to_net_profit"], T_RATIOS, as_of),
            icr=book.times(f"interest_coverage_{latest}", cc["interest_coverage"], T_RATIOS, as_of),
            dscr=book.times(f"dscr_{latest}", cc["dscr"], T_RATIOS, as_of),
            dscr_stressed=book.times(f"dscr_stressed_{latest}", cc["dscr_stressed"], T_RATIOS, as_of),
            stress=book.pct(
                "revenue_stress", abs(c.revenue_stress), "analytics.corporate.REVENUE_STRESS", as_of, 0
            ),
        )
        blocks.append(
            _narrate("crosscheck", text, c, {"year": latest, **cc, "revenue_stress": c.revenue_stress}, llm)
        )
    else:
        blocks.append(Para(text=miss))
    sections.append(Section(title=h["crosscheck"], blocks=blocks))

    # --- risk events
    blocks = []
    if c.risk_events:
        erows = [
            [
                L.fmt_date(e["date"], lang),
                L.label(L.EVENT_KINDS, str(e["kind"]), lang),
                L.label(L.EVENT_ROLES, str(e["role"]), lang) if e.get("role") else "—",
                book.money(f"event_{i + 1}_amount", e.get("amount"), T_DATA, as_of)
                if e.get("amount") is not None
                else "—",
                str(e["description"]),
                L.label(L.EVENT_STATUS, str(e["status"]), lang),
            ]
            for i, e in enumerate(c.risk_events)
        ]
        blocks.append(
            Table(
                columns=[col["date"], col["event"], col["role"], col["amount"], col["desc"], col["status"]],
                rows=erows,
                numeric=[3],
            )
        )
        blocks.append(
            Para(
                text=fill(
                    "report_dd",
                    lang,
                    "risk_events",
                    n_events=book.count("risk_events", c.credit_totals["events"], T_DATA, as_of),
                    n_open=book.count("open_risk_events", c.credit_totals["open_events"], T_DATA, as_of),
                ),
                narrative=True,
            )
        )
    else:
        blocks.append(Para(text=fill("report_dd", lang, "risk_events_none"), narrative=True))
    sections.append(Section(title=h["events"], blocks=blocks))

    # --- credit
    blocks = []
    if c.credit:
        crow = [
            [
                str(x["lender"]),
                str(x["facility_type"]),
                book.money(f"credit_{i + 1}_limit", x["limit_amount"], T_DATA, as_of),
                book.money(f"credit_{i + 1}_balance", x["balance"], T_DATA, as_of),
                book.count(f"credit_{i + 1}_overdue_days", x["overdue_days"], T_DATA, as_of),
                book.count(f"credit_{i + 1}_max_overdue_24m", x["max_overdue_days_24m"], T_DATA, as_of),
                str(x["classification"]),
                str(x.get("guarantee") or "—"),
            ]
            for i, x in enumerate(c.credit)
        ]
        blocks.append(
            Table(
                columns=[
                    col["lender"],
                    col["facility"],
                    col["limit"],
                    col["balance"],
                    col["overdue"],
                    col["max24"],
                    col["class"],
                    col["guarantee"],
                ],
                rows=crow,
                numeric=[2, 3, 4, 5],
            )
        )
        t = c.credit_totals
        blocks.append(
            Para(
                text=fill(
                    "report_dd",
                    lang,
                    "credit",
                    n_lenders=book.count("lenders", t["lenders"], T_DATA, as_of),
                    limit=book.money("credit_limit_total", t["limit"], T_DATA, as_of),
                    balance=book.money("credit_balance_total", t["balance"], T_DATA, as_of),
                    overdue=book.count("overdue_days_now", t["overdue_days"], T_DATA, as_of),
                    max24=book.count("max_overdue_days_24m", t["max_overdue_days_24m"], T_DATA, as_of),
                ),
                narrative=True,
            )
        )
    else:
        blocks.append(Para(text=fill("report_dd", lang, "credit_none"), narrative=True))
    sections.append(Section(title=h["credit"], blocks=blocks))

    # --- conclusion with the flags that drove it
    key = f"conclusion_{c.conclusion}"
    blocks = [
        Para(
            text=fill(
                "report_dd",
                lang,
                key,
                scenario_name=sc_name,
                n_red=book.count("red_flags", n_red, T_FLAGS, as_of),
                n_amber=book.count("amber_flags", n_amber, T_FLAGS, as_of),
            ),
            narrative=True,
        )
    ]
    if c.flags:
        frows = []
        for i, f in enumerate(c.flags):
            value = _flag_value(book, f.code, f"flag_{i + 1}_value", f.value, as_of)
            threshold = _flag_value(book, f.code, f"flag_{i + 1}_threshold", f.threshold, as_of)
            frows.append([L.flag_label(f.code, lang), L.SEVERITY[f.severity][lang], value, threshold])
        blocks.append(
            Table(
                columns=[col["flag"], col["severity"], col["value"], col["threshold"]],
                rows=frows,
                numeric=[2, 3],
            )
        )
    blocks.append(Para(text=fill("report_dd", lang, "disclaimer"), style="WD Note"))
    sections.append(Section(title=h["conclusion"], blocks=blocks))

    # --- provenance appendix
    sections.append(Section(title=h["provenance"], blocks=[provenance_table(book)]))

    title = fill("report_dd", lang, "title")
    subtitle = fill("report_dd", lang, "subtitle", name=c.name, scenario_name=sc_name)
    cover = [
        f"{'统一社会信用代码' if lang == 'zh' else 'Credit code'}：{reg.get('credit_code', miss)}",
        f"{'数据截至' if lang == 'zh' else 'Data as of'}：{L.fmt_date(as_of, lang)}",
    ]
    return DocContent(
        title=title,
        subtitle=subtitle,
        badge="内部资料 · 仅供内部参考" if lang == "zh" else "Internal use only",
        cover_lines=cover,
        sections=sections,
        lang=lang,
    )


def _trend_chart(c: DueDiligenceContent) -> Chart:
    """Revenue, net profit and operating cash flow by year in 亿元 / CNY mn; a missing year stays empty."""
    zh = c.lang == "zh"
    scale, unit = (1e8, "亿元") if zh else (1e6, "CNY mn")
    names = {
        "revenue": "营业收入" if zh else "Revenue",
        "net_profit": "净利润" if zh else "Net profit",
        "cfo": "经营现金流" if zh else "Operating cash flow",
    }
    series = {
        label: [None if f.get(key) is None else f[key] / scale for f in c.financials]
        for key, label in names.items()
    }
    title = "近三年收入、利润与经营现金流" if zh else "Revenue, profit and operating cash flow"
    png = charts.columns(
        [str(f["year"]) for f in c.financials], series, title, ylabel=unit, missing_label=MISSING[c.lang]
    )
    return Chart(png=png, caption=title + (f"（单位：{unit}）" if zh else f" ({unit})"), width_cm=13)


_TIMES_FLAGS = ("dscr", "dscr_stressed", "interest_coverage", "current_ratio", "cfo_to_net_profit")
_COUNT_FLAGS = (
    "overdue_now",
    "overdue_24m",
    "open_dishonest",
    "open_enforcement",
    "open_abnormal",
    "recent_risk_events",
)


def _flag_value(book: FigureBook, code: str, name: str, v: Any, as_of: Any) -> str:
    """A flag's value or threshold in the unit of the metric it tests."""
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if code in _TIMES_FLAGS:
        return book.times(name, v, T_FLAGS, as_of)
    if code in _COUNT_FLAGS:
        return book.count(name, v, T_FLAGS, as_of)
    return book.pct(name, v, T_FLAGS, as_of)
