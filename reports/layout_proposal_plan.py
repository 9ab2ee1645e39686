"""Proposal sections about the plan itself: 调仓方案 (trades with rationale, cost, realised gain/loss and
settlement), points to discuss, product cards, the products' risk disclosure, suitability/双录 prompts and
the review/confirmation page. Same conventions as ``reports.layout_proposal``: every number through the
``FigureBook``, sentences from ``prompts/<lang>/report_proposal.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reports import labels as L
from reports.labels_proposal import TEXT, asset_label
from reports.labels_proposal_plan import PH, P, display_name, settle
from reports.models import MONEY_UNITS, FigureBook, Para, Section, Table, money_unit, with_unit
from reports.narrative import fill

if TYPE_CHECKING:
    from reports.proposal import ProposalContent

T_REB = "analytics.rebalance.propose_rebalance"
T_FEE = "services.proposal_trades.trade_details"
T_CARD = "services.proposal_trades.product_cards"
T_DATA = "services.loading"


def _f(lang: str, key: str, **kw: str) -> str:
    return fill("report_proposal", lang, key, **kw)


def _reason(ln: Any, lang: str) -> str:
    a = ln.reason_args
    cls = asset_label(ln.asset_class, lang)
    p = P[lang]
    if ln.reason_code == "sell_above_level":
        return p["r_sell_above"].format(r=ln.risk_level, c=a.get("client_risk_level", ""))
    if ln.reason_code == "sell_over_target":
        return p["r_sell_over"].format(cls=cls)
    if ln.reason_code == "buy_under_target":
        return p["r_buy_under"].format(cls=cls)
    return p["r_other"]


def trades_section(c: ProposalContent, b: FigureBook) -> list[Any]:
    """The 调仓方案 table (one unit per money column, 合计 row) and the sentences under it."""
    lang, p = c.lang, P[c.lang]
    reb = c.rebalance
    if reb is None or not reb.lines:
        return []
    details = {i: d for i, d in enumerate(c.trades)}
    # one unit per money column, chosen from that column's values (fees are small: 元) and put in its header
    fee_of = [float(details.get(i, {}).get("fee") or 0.0) for i in range(len(reb.lines))]
    real_of = [details.get(i, {}).get("realised") for i in range(len(reb.lines))]
    u_amt = money_unit([reb.sell_total, reb.buy_total, *(ln.amount for ln in reb.lines)], lang)
    u_fee = money_unit([*fee_of, *(c.trade_totals.get(f"{a}_fee") for a in ("sell", "buy"))], lang)
    u_real = money_unit([*real_of, *(c.trade_totals.get(f"{a}_realised") for a in ("sell", "buy"))], lang)
    rows: list[list[str]] = []
    notes: list[Any] = []
    fees = 0.0
    for i, ln in enumerate(reb.lines, start=1):
        d = details.get(i - 1, {})
        b.label = f"{p[ln.action]} {display_name(ln.name, d.get('name_en'), ln.product_code, lang)}"
        fee = fee_of[i - 1]
        fees += fee
        realised = d.get("realised")
        rows.append([
            p[ln.action],
            display_name(ln.name, d.get("name_en"), ln.product_code, lang),
            ln.risk_level,
            b.money_cell(f"trade_{i}_amount", ln.amount, T_REB, c.as_of, u_amt),
            b.money_cell(f"trade_{i}_fee", fee, T_FEE, c.as_of, u_fee),
            "—" if realised is None else b.money_cell(f"trade_{i}_realised", realised, T_FEE, c.as_of, u_real),
            settle(d.get("settle_days"), lang),
            _reason(ln, lang),
        ])
        if realised is not None and abs(realised) >= 1.0:
            key = "trade_realised_loss" if realised < 0 else "trade_realised_gain"
            notes.append(Para(text=_f(lang, key, subject=display_name(ln.name, d.get("name_en"), ln.product_code, lang),
                                      value=b.money(f"trade_{i}_realised_text", abs(realised), T_FEE, c.as_of)),
                              narrative=True))
    for action, amount in (("sell", reb.sell_total), ("buy", reb.buy_total)):
        b.label = p[f"total_{action}"]
        fee_sum = c.trade_totals.get(f"{action}_fee", 0.0)
        real = c.trade_totals.get(f"{action}_realised")
        rows.append(["", p[f"total_{action}"], "",
                     b.money_cell(f"{action}_amount_total", amount, T_REB, c.as_of, u_amt),
                     b.money_cell(f"{action}_fee_total", fee_sum, T_FEE, c.as_of, u_fee),
                     "—" if real is None else b.money_cell(f"{action}_realised_total", real, T_FEE, c.as_of, u_real),
                     "", ""])
    table = Table(
        columns=[p["action"], TEXT[lang]["product"], p["risk_col"], with_unit(p["amount_col"], u_amt, lang),
                 with_unit(p["fee_col"], u_fee, lang), with_unit(p["realised_col"], u_real, lang), p["settle_col"],
                 p["reason_col"]],
        rows=rows, numeric=[3, 4, 5], widths=[0.75, 2.0, 0.6, 1.0, 1.0, 1.0, 0.95, 1.8],
        units={3: MONEY_UNITS[u_amt][1], 4: MONEY_UNITS[u_fee][1], 5: MONEY_UNITS[u_real][1]},
    )
    b.label = p["total"]
    totals = _f(lang, "trade_totals",
                sells=b.money("sells_total", reb.sell_total, T_REB, c.as_of),
                buys=b.money("buys_total", reb.buy_total, T_REB, c.as_of),
                fees=b.money("fees_total", fees, T_FEE, c.as_of),
                cash_after=b.money("cash_after", reb.cash_after, T_REB, c.as_of),
                liq_target=b.money("liquidity_target", reb.liquidity_target, T_REB, c.as_of))
    return [table, Para(text=totals, narrative=True), *notes]


def discuss_section(c: ProposalContent, b: FigureBook) -> Section | None:
    """To-discuss lines (locked above-level holdings) and the plan's findings (protection, elderly, ...)."""
    lang = c.lang
    reb = c.rebalance
    if reb is None or (not reb.to_discuss and not reb.findings):
        return None
    blocks: list[Any] = []
    for i, ln in enumerate(reb.to_discuss, start=1):
        b.label = display_name(ln.name, None, ln.product_code, lang)
        blocks.append(Para(text=_f(
            lang, "discuss_line", subject=display_name(ln.name, None, ln.product_code, lang),
            product_risk=ln.risk_level, client_risk=str(ln.reason_args.get("client_risk_level", "")),
            date=L.fmt_date(ln.reason_args.get("maturity_date"), lang) if ln.reason_args.get("maturity_date")
            else P[lang]["unknown_date"],
            value=b.money(f"discuss_{i}", ln.amount, T_REB, c.as_of)), narrative=True))
    for i, f in enumerate(reb.findings, start=1):
        key = f"rf_{f.code}"
        b.label = P[lang]["finding"] + f" {i}"
        cls = asset_label(f.asset_class or "", lang) if f.asset_class else ""
        args = {"value": b.money(f"plan_finding_{i}", f.amount, T_REB, c.as_of), "cls": cls,
                "age": str(c.elderly_age)}
        if f.code.startswith("protection_"):
            args["current"] = b.money(f"plan_finding_{i}_current", f.args.get("current"), T_REB, c.as_of)
            args["target"] = b.money(f"plan_finding_{i}_target", f.args.get("policy_target"), T_REB, c.as_of)
        try:
            text = _f(lang, key, **args)
        except Exception:  # a finding code this template set does not word yet: the analytics sentence
            text = _f(lang, "rf_other", message=f.message) if c.variant == "internal" else ""
        if text:
            blocks.append(Para(text=text, narrative=True))
    return Section(title=PH[lang]["discuss"], blocks=blocks)


def cards_section(c: ProposalContent, b: FigureBook) -> Section | None:
    lang, p = c.lang, P[c.lang]
    if not c.product_cards:
        return None
    blocks: list[Any] = []
    for i, k in enumerate(c.product_cards, start=1):
        name = display_name(k["name"], k.get("name_en"), k["product_code"], lang)
        b.label = name
        n = f"card_{i}"
        term = (p["open_ended"] if not k.get("term_days")
                else b.count(n + "_term", k["term_days"], T_CARD, c.as_of) + p["days"])
        yld = k.get("expected_yield")
        fees = [(p["sub_fee"], k.get("subscription_fee")), (p["red_fee"], k.get("redemption_fee")),
                (p["mgmt_fee"], k.get("management_fee"))]
        fee_txt = p["sep"].join(f"{lbl} {b.pct(f'{n}_{j}', v, T_CARD, c.as_of)}"
                                for j, (lbl, v) in enumerate(fees) if v is not None) or p["no_fee"]
        rows = [
            [p["card_kind"], L.label(P["kinds"], k["kind"], lang) + " · " + asset_label(k["asset_class"], lang)],
            [p["card_risk"], k["risk_level"]],
            [p["card_issuer"], k.get("issuer") or "—"],
            [p["card_term"], term],
            [p["card_liquidity"], settle(k.get("liquidity_days"), lang)],
            [p["card_min"], b.money(n + "_min", k.get("min_amount"), T_CARD, c.as_of)],
            [p["card_yield"], "—" if yld is None else b.pct(n + "_yield", yld, T_CARD, c.as_of) + p["not_promise"]],
        ]
        if k.get("benchmark"):
            rows.append([p["card_benchmark"], str(k["benchmark"])])
        rows += [[p["card_fees"], fee_txt], [p["card_amount"], b.money(n + "_amount", k["amount"], T_CARD, c.as_of)]]
        blocks.append(Table(columns=[name, ""], rows=rows, widths=[1.0, 3.0]))
    blocks.append(Para(text=_f(lang, "card_yield_note"), style="WD Note"))
    return Section(title=PH[lang]["cards"], blocks=blocks)


def disclosure_section(c: ProposalContent) -> Section:
    """The risk disclosure for the products actually proposed (not one text for every client)."""
    lang = c.lang
    kinds = {k["kind"] for k in c.product_cards}
    keys = [key for kind, key in (("fund", "disc_fund"), ("wmp", "disc_wmp"), ("deposit", "disc_deposit"))
            if kind in kinds]
    if any(k["asset_class"] == "equity" for k in c.product_cards):
        keys.append("disc_equity")
    keys.append("disc_general")
    return Section(title=PH[lang]["disclosure"],
                   blocks=[Para(text=f"{i}. {_f(lang, key)}") for i, key in enumerate(keys, start=1)])


def suitability_section(c: ProposalContent) -> Section:
    lang = c.lang
    valid = L.fmt_date(c.assessment_valid_until, lang) if c.assessment_valid_until else P[lang]["unknown_date"]
    blocks = [Para(text=_f(lang, "suitability_expired" if c.assessment_expired else "suitability_ok",
                           risk_level=str(c.client.get("risk_level")), valid_until=valid))]
    age = c.client.get("age")
    if age is not None and int(age) >= c.elderly_age:
        blocks.append(Para(text=_f(lang, "elderly_prompt", age=str(c.elderly_age)), style="WD Note"))
    if {k["kind"] for k in c.product_cards} & {"fund", "wmp"}:
        blocks.append(Para(text=_f(lang, "dual_recording_prompt")))
    return Section(title=PH[lang]["suitability"], blocks=blocks)


def review_section(c: ProposalContent) -> Section:
    lang = c.lang
    rm = c.rm
    nxt = L.fmt_date(c.next_review, lang) if c.next_review else P[lang]["unknown_date"]
    blocks = [
        Para(text=_f(lang, "review", date=nxt)),
        Para(text=_f(lang, "contact", rm=str(rm.get("name", rm.get("id", ""))), branch=str(rm.get("branch", "")))),
        Para(text=_f(lang, "confirm")),
    ]
    blocks += [Para(text=line) for line in _f(lang, "sign").splitlines() if line.strip()]
    return Section(title=PH[lang]["review"], blocks=blocks)
