"""DD sections about who the company is: 核心结论, 企业基本情况, 股权结构, KYC, AML rating, account purpose."""

from __future__ import annotations

from analytics.corporate_ownership import entity_kind
from reports import labels as L
from reports.dd import charts as dc
from reports.dd import text as X
from reports.dd.common import T_DATA, T_FLAGS, T_OWN, T_PLAN, T_POLICY, Ctx
from reports.models import Chart, Section, Table


def core(x: Ctx) -> list[Section]:
    c = x.c
    verdict = L.CONCLUSION[c.conclusion][x.lang]
    reasons = [L.flag_label(f.code, x.lang) for f in c.flags if f.severity in ("red", "return")]
    reasons += [L.flag_label(f.code, x.lang) for f in c.flags if f.severity == "amber"]
    if c.plan is not None and c.plan.offered:
        plan_line = x.fill(
            "core_plan", amount=x.money("plan_amount", c.plan.amount, T_PLAN),
            term=x.count("plan_term_months", c.plan.term_months, T_PLAN),
            rate=x.pct("plan_rate", c.plan.rate, T_PLAN),
        )
    else:
        plan_line = x.fill("core_noplan") if c.scenario == "credit" else ""
    no_reason = "未触发预警信号" if x.zh else "no warning signal"
    blocks: list = [
        x.para("intro", name=c.name, scenario_name=L.SCENARIO_NAMES[c.scenario][x.lang], as_of=x.date(c.as_of)),
        x.para("core", name=c.name, verdict=verdict, plan_line=plan_line, reasons=x.join(reasons[:6]) if reasons
               else no_reason),
    ]
    n = {s: sum(f.severity == s for f in c.flags) for s in ("red", "return", "amber")}
    rows = [[L.SEVERITY[s][x.lang], x.count(f"flags_{s}", n[s], T_FLAGS)] for s in ("red", "return", "amber")]
    rows.append([x.w("total"), x.count("flags_total", sum(n.values()), T_FLAGS)])
    blocks.append(Table(columns=[x.col("severity"), x.col("count")], rows=rows, numeric=[1]))
    return [Section(title=x.h("summary"), blocks=blocks)]


def basics(x: Ctx) -> list[Section]:
    c, reg = x.c, x.c.registration
    rows = []
    for key, lbl in L.REG_ROWS[x.lang]:
        v = reg.get(key)
        if key == "registered_capital":
            shown = x.money("registered_capital", v)
        elif key == "credit_code":
            shown = f"{v}（{x.w('code_ok' if c.credit_code_valid else 'code_bad')}）"
        else:
            shown = x.miss if v in (None, "") else x.date(v)
        rows.append([lbl.replace(" (CNY)", ""), shown])
    listed = ("上市公司" if reg.get("listed") else "非上市公司") if x.zh else ("listed" if reg.get("listed") else "unlisted")
    history = x.para("history", founded=x.date(reg.get("founded")), years=x.count(
        "years_in_operation", c.years_in_operation, T_DATA), capital=x.money("registered_capital",
        reg.get("registered_capital")), status=str(reg.get("status") or x.miss), listed=listed)
    return [
        Section(title=x.h("basics"), blocks=[Table(columns=[x.col("item"), x.col("value")], rows=rows)]),
        Section(title=X.t(X.SUB, "history", x.lang), level=2, blocks=[history]),
        Section(title=X.t(X.SUB, "management", x.lang), level=2, blocks=[
            x.para("management", legal_rep=str(reg.get("legal_rep") or x.miss))]),
    ]


def ownership(x: Ctx) -> list[Section]:
    c, own = x.c, x.c.ownership
    blocks: list = []
    if not c.shareholders:
        return [Section(title=x.h("ownership"), blocks=[x.para("shareholders_missing")])]
    direct = sorted(c.shareholders, key=lambda s: -float(s["share"]))
    rows = []
    for i, s in enumerate(direct):
        kind = entity_kind(str(s["name"]), str(s.get("kind") or ""))
        rows.append([str(s["name"]), L.label(L.HOLDER_KINDS, kind, x.lang),
                     x.pct(f"shareholder_{i + 1}_share", s["share"], T_DATA),
                     x.pct(f"shareholder_{i + 1}_pledged", s.get("pledged_share"), T_DATA)])
    rows.append([x.w("total"), "", x.pct("shareholder_share_total", c.share_total, T_DATA), ""])
    blocks.append(Table(columns=[x.col("holder"), x.col("kind"), x.col("share"), x.col("pledge")], rows=rows,
                        numeric=[2, 3]))
    if own is None:
        return [Section(title=x.h("ownership"), blocks=blocks)]
    kinds = {k: L.label(L.HOLDER_KINDS, k, x.lang) for k in ("person", "company", "partnership", "state")}
    edges = c.ownership_edges or [{"holder": s["name"], "kind": s.get("kind"), "company": c.name,
                                   "share": s["share"], "layer": 1} for s in direct]
    png = dc.ownership_chart(
        c.name, edges, own, kinds, kind_of=entity_kind,
        controller_label="实际控制人" if x.zh else "controller", ubo_label="受益所有人" if x.zh else "UBO",
        title="股权结构图" if x.zh else "Ownership chart",
    )
    blocks.append(Chart(png=png, caption="股权结构图（逐层穿透，箭头旁为直接持股比例）" if x.zh else
                        "Ownership chart (layer by layer; direct shares on the arrows)", width_cm=15))
    ubo_names = {u.name for u in own.ubos}
    lrows = []
    for i, hd in enumerate(own.holdings):
        lrows.append([hd.name, L.label(L.HOLDER_KINDS, hd.kind, x.lang), x.pct(f"effective_share_{i + 1}", hd.share,
                      T_OWN), " → ".join([*hd.path[::-1][1:], c.name]) if len(hd.path) > 1 else "—",
                      x.w("yes") if hd.name in ubo_names else (x.w("unresolved") if not hd.resolved else x.w("no"))])
    blocks.append(Table(columns=[x.col("terminal"), x.col("kind"), x.col("effective"), x.col("path"), x.col("ubo")],
                        rows=lrows, numeric=[2]))
    if own.ubo_basis == "senior_manager":
        ubos = f"{own.ubos[0].name}（{x.w('senior_manager')}）" if x.zh else f"{own.ubos[0].name} ({x.w('senior_manager')})"
    else:
        ubos = x.join([f"{u.name} {x.pct(f'ubo_{i + 1}_share', u.share, T_OWN)}" for i, u in enumerate(own.ubos)])
    unresolved = (x.fill("ownership_unresolved", share=x.pct("unresolved_share", own.unresolved_share, T_OWN))
                  if own.unresolved_share > 0 else "")
    blocks.append(x.para("ownership", controller=own.controller or x.miss,
                         ubo_share=x.pct("ubo_threshold", c.thresholds.get("ubo_share"), T_POLICY, 0),
                         ubos=ubos, unresolved=unresolved))
    top = direct[0]
    blocks.append(x.para("shareholders", top_holder=str(top["name"]), top_share=rows[0][2], top_pledge=rows[0][3]))
    return [Section(title=x.h("ownership"), blocks=blocks)]


def kyc(x: Ctx) -> list[Section]:
    c, reg = x.c, x.c.registration
    city_issue = any(w.code in ("unknown_city", "city_region_mismatch") for w in c.warnings)
    ok, bad, chk = x.w("pass"), x.w("fail"), x.w("check")
    rows = [
        [x.w("credit_code"), str(reg.get("credit_code")), ok if c.credit_code_valid else bad],
        ["登记状态" if x.zh else "Status", str(reg.get("status")),
         ok if reg.get("status") in ("存续", "在业") else bad],
        ["注册地址" if x.zh else "Address", str(reg.get("address")), chk if city_issue else ok],
        ["法定代表人" if x.zh else "Legal representative", str(reg.get("legal_rep")), chk],
        ["受益所有人" if x.zh else "Beneficial owners",
         x.join([u.name for u in c.ownership.ubos]) if c.ownership else x.miss,
         chk if (c.ownership is None or c.ownership.unresolved_share > 0) else ok],
    ]
    code_check = x.w("pass") if c.credit_code_valid else x.w("fail")
    return [Section(title=x.h("kyc"), blocks=[
        Table(columns=[x.col("check"), x.col("value"), x.col("result")], rows=rows),
        x.para("kyc", code_check=code_check, status=str(reg.get("status")), legal_rep=str(reg.get("legal_rep"))),
    ])]


def aml(x: Ctx) -> list[Section]:
    c = x.c
    level = X.t(X.AML_LEVELS, c.aml_rating or "medium", x.lang)
    reasons = [X.t(X.AML_REASONS, r, x.lang) if r in X.AML_REASONS else L.flag_label(r, x.lang)
               for r in c.aml_reasons]
    return [Section(title=x.h("aml"), blocks=[x.para("aml", level=level, reasons=x.join(reasons))])]


def purpose(x: Ctx) -> list[Section]:
    return [Section(title=x.h("purpose"), blocks=[x.para("purpose")])]


def declaration(x: Ctx) -> list[Section]:
    rows = [[x.w(k), "", ""] for k in ("investigator", "reviewer", "approver")]
    return [Section(title=x.h("declaration"), blocks=[
        x.para("declaration"),
        Table(columns=[x.col("item"), x.w("signature"), x.w("sign_date")], rows=rows, widths=[2, 4, 3]),
    ])]

