"""Ownership through the shareholder chain: 实际控制人 and 受益所有人 (pure, no I/O).

Input: every company's shareholder rows (``corporate_shareholders``: corporate_id, name, kind, share) and
a name → corporate id map, so a corporate shareholder that is itself in the data set is looked through.
Effective share of a holder = product of the shares along the path (A holds 60% of B, B holds 50% of the
target → A holds 30%), summed over paths. A corporate holder not in the data cannot be looked through: its
effective share is reported as *unresolved* (the officer must collect its register), never assumed.

受益所有人 (PBOC 银发〔2018〕164号): natural persons with an effective share ≥ ``ubo_share`` (25%); when there
is none, the senior manager (法定代表人) is named with basis ``senior_manager``. 实际控制人: the person or state
holder at the end of the majority chain (largest holder at each level); ties go to the first listed.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import BaseModel

EntityKind = Literal["person", "company", "partnership", "state"]
MAX_DEPTH = 8  # a chain deeper than this is reported unresolved (cycles or data errors)


def entity_kind(name: str, kind: str) -> EntityKind:
    """The holder's legal form: a 合伙企业 is not a 企业法人 even when stored as kind "company"."""
    if kind == "person":
        return "person"
    if kind == "state":
        return "state"
    return "partnership" if "合伙" in name else "company"


class Holding(BaseModel):
    name: str
    kind: EntityKind
    share: float  # effective share in the target (fraction)
    path: list[str]  # target's direct holder first … this holder last
    resolved: bool  # False: a corporate holder whose own shareholders are not in the data


class Ownership(BaseModel):
    holdings: list[Holding]  # terminal holders (persons, state, unresolved entities), largest first
    ubos: list[Holding]
    ubo_basis: Literal["share", "senior_manager"]
    controller: str | None
    controller_path: list[str]
    unresolved_share: float


def look_through(
    target: str, holders: pd.DataFrame, ids_by_name: dict[str, str], *, ubo_share: float, legal_rep: str = ""
) -> Ownership:
    """Effective ownership of ``target`` (a corporate id) down the chain; see the module docstring."""
    by_company = {cid: g for cid, g in holders.groupby("corporate_id")} if len(holders) else {}
    acc: dict[str, Holding] = {}

    def walk(cid: str, factor: float, path: list[str], depth: int) -> None:
        for row in by_company.get(cid, pd.DataFrame()).itertuples():
            name, share = str(row.name), factor * float(row.share)
            kind = entity_kind(name, str(row.kind))
            sub = ids_by_name.get(name)
            if (
                kind in ("company", "partnership") and sub is not None and sub in by_company
                and depth < MAX_DEPTH and sub != target
            ):
                walk(sub, share, [*path, name], depth + 1)
                continue
            resolved = kind in ("person", "state")
            prev = acc.get(name)
            if prev:
                prev.share += share
            else:
                acc[name] = Holding(name=name, kind=kind, share=share, path=[*path, name], resolved=resolved)

    walk(target, 1.0, [], 0)
    holdings = sorted(acc.values(), key=lambda h: -h.share)
    ubos = [h for h in holdings if h.kind == "person" and h.share >= ubo_share - 1e-12]
    basis: Literal["share", "senior_manager"] = "share"
    if not ubos and legal_rep:
        basis = "senior_manager"
        ubos = [Holding(name=legal_rep, kind="person", share=0.0, path=[legal_rep], resolved=True)]
    controller, cpath = _controller(target, by_company, ids_by_name)
    unresolved = sum(h.share for h in holdings if not h.resolved)
    return Ownership(
        holdings=holdings, ubos=ubos, ubo_basis=basis, controller=controller, controller_path=cpath,
        unresolved_share=unresolved,
    )


def _controller(
    target: str, by_company: dict[str, pd.DataFrame], ids_by_name: dict[str, str]
) -> tuple[str | None, list[str]]:
    cid, path = target, list[str]()
    for _ in range(MAX_DEPTH):
        rows = by_company.get(cid)
        if rows is None or not len(rows):
            return (path[-1] if path else None), path
        top = rows.sort_values("share", ascending=False, kind="stable").iloc[0]
        path.append(str(top["name"]))
        sub = ids_by_name.get(str(top["name"]))
        if top["kind"] in ("person", "state") or sub not in by_company:
            return str(top["name"]), path
        cid = sub
    return None, path
