"""English documents: a copy of the content whose stored Chinese names are shown in English.

The services compute in Chinese (rules compare stored names such as ``本行``); only what the reader sees
is translated, on a copy, just before layout (``reports.names_en`` says how). The copy is also what the
grounding verifier reads, so a translated name that carries digits (an address's house number) is still
backed by the content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reports.names_en import Translator

if TYPE_CHECKING:
    from reports.due_diligence import DueDiligenceContent
    from reports.proposal import ProposalContent


def _holder_kind(kind: str) -> str:
    return "person" if kind == "person" else ""


def proposal_in_english(c: ProposalContent, known: dict[str, str] | None = None) -> ProposalContent:
    """``c`` with occupations, the RM, look-through securities/industries/managers/companies, finding
    subjects and product-card issuers and benchmarks in English (``known``: the data's English names)."""
    en = Translator(known)
    out = c.model_copy(deep=True)
    out._paths = c._paths
    out.client = {**c.client, "occupation": en(c.client.get("occupation")),
                  "name": en(c.client.get("name"), "person")}
    out.rm = {**c.rm, "name": en(c.rm.get("name"), "person"), "branch": en(c.rm.get("branch"))}
    lk = out.lookthrough
    lk.top_holdings = [h.model_copy(update={"name": en(h.name, h.kind), "industry": en(h.industry) if h.industry
                                            else h.industry}) for h in lk.top_holdings]
    lk.industries = [i.model_copy(update={"name": en(i.name)}) for i in lk.industries]
    lk.managers = [m.model_copy(update={"name": en(m.name, "person")}) for m in lk.managers]
    lk.companies = [m.model_copy(update={"name": en(m.name)}) for m in lk.companies]
    out.findings = [f.model_copy(update={"subject": en(f.subject)}) for f in out.findings]
    out.product_cards = [{**k, "issuer": en(k.get("issuer")) if k.get("issuer") else k.get("issuer"),
                          "benchmark": en(k.get("benchmark")) if k.get("benchmark") else k.get("benchmark")}
                         for k in out.product_cards]
    if out.rebalance is not None:
        out.rebalance.to_discuss = [ln.model_copy(update={"name": en(ln.name)}) for ln in out.rebalance.to_discuss]
    return out


def dd_in_english(c: DueDiligenceContent) -> DueDiligenceContent:
    """``c`` with the company, registration texts, holders, lenders, facility terms, risk events and peers
    in English. ``本行`` becomes "our bank" (the layout recognises both)."""
    en = Translator()
    out = c.model_copy(deep=True)
    out.name = en(c.name)
    reg = dict(c.registration)
    for key in ("name", "status", "address", "business_scope", "industry"):
        if reg.get(key):
            reg[key] = en(reg[key])
    if reg.get("legal_rep"):
        reg["legal_rep"] = en(reg["legal_rep"], "person")
    out.registration = reg
    out.shareholders = [{**s, "name": en(s["name"], _holder_kind(str(s.get("kind") or "")))} for s in c.shareholders]
    if out.ownership is not None:
        own = out.ownership
        name = lambda n: en(n, "person" if not any(w in n for w in ("公司", "企业", "合伙")) else "")  # noqa: E731
        own.holdings = [h.model_copy(update={"name": name(h.name), "path": [name(p) for p in h.path]})
                        for h in own.holdings]
        own.ubos = [u.model_copy(update={"name": name(u.name), "path": [name(p) for p in u.path]}) for u in own.ubos]
        own.controller = name(own.controller) if own.controller else own.controller
        own.controller_path = [name(p) for p in own.controller_path]
    out.ownership_edges = [{**e, "holder": en(e["holder"], _holder_kind(str(e.get("kind") or ""))),
                            "company": en(e["company"])} for e in c.ownership_edges]
    out.credit = [{**f, **{k: en(f[k]) for k in ("lender", "facility_type", "guarantee", "classification")
                           if f.get(k)}} for f in c.credit]
    out.risk_events = [{**e, "description": en(e.get("description"))} for e in c.risk_events]
    out.peers = [{**p, "name": en(p.get("name"))} for p in c.peers]
    out.warnings = [w.model_copy(update={"subject": en(w.subject, "city" if "city" in w.code else ""),
                                         "detail": en(w.detail, "city") if "city" in w.code else w.detail})
                    for w in c.warnings]
    out.changes = [ch.model_copy(update={"subject": " · ".join(en(p) for p in ch.subject.split(" · "))})
                   for ch in c.changes]
    return out
