"""Names the offline planner may recognise in a question, limited to what the caller may see.

``Lexicon(clients=[("C0001", "张伟"), …], funds=[("110011", "易方达优质精选混合A", "E Fund …"), …],
companies=[("E001", "华东精密机械有限公司", "91310000…"), …])``. Client names come only from the
caller's own book, so another RM's client name is simply not recognised (nothing leaks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Lexicon:
    clients: tuple[tuple[str, str], ...] = ()  # (client id, name) visible to the caller
    funds: tuple[tuple[str, str, str], ...] = ()  # (code, name, name_en)
    companies: tuple[tuple[str, str, str], ...] = ()  # (id, name, credit code)
    other_rms: tuple[str, ...] = ()  # names of the other RMs ("沈强静名下客户有哪些" is another RM's book)
    products: tuple[tuple[str, str], ...] = ()  # (code, name) of non-fund shelf products
    genders: tuple[tuple[str, str], ...] = ()  # (client id, "M" | "F"): 他 / 她 / he / she
    as_of: str = ""  # the data set's as-of date (ISO): "12月份到期的" is the coming December

    def gender(self, client_id: str) -> str:
        return next((g for c, g in self.genders if c == client_id), "")

    @property
    def client_names(self) -> list[str]:
        return [n for _, n in self.clients]

    @cached_property
    def proper_names(self) -> tuple[str, ...]:
        """Every Chinese name the caller may type (clients, funds, companies and their short forms, shelf
        products), longest first: an English sentence quoting them is still English."""
        names = {n for _, n in self.clients} | {n for _, n, _ in self.funds} | {n for _, n in self.products}
        for _, name, _ in self.companies:
            names |= {name, _LEGAL_FORM.sub("", name), company_core(name)}
        names |= {re.sub(r"[A-C]$|(?:股票|混合|债券|指数)[A-C]?$", "", n) for _, n, _ in self.funds}
        return tuple(sorted((n for n in names if len(n) >= 2), key=len, reverse=True))

    def fund_name(self, code: str) -> str | None:
        return next((n for c, n, _ in self.funds if c == code), None)


_LEGAL_FORM = re.compile(r"(股份)?有限(责任)?公司$|集团$")
REGION = re.compile(r"^(福建|厦门|泉州|福州|漳州|莆田|三明|龙岩|宁德|南平|上海|北京|深圳)")


def company_core(name: str) -> str:
    """A company's name without its legal form and region: 三明宏达钢铁有限公司 → 宏达钢铁 (how RMs say it)."""
    return REGION.sub("", _LEGAL_FORM.sub("", name))


def load_lexicon(engine: object, caller: object) -> Lexicon:
    """The caller's lexicon: own clients (all for admin, none for the client channel), funds, companies.

    Cached per (engine, caller) for a minute: names change rarely and a warm ``ask`` must stay fast.
    """
    import time

    from datastore.repositories.lexicon import (
        client_genders,
        client_names,
        corporate_names,
        fund_names,
        product_names,
        rm_names,
    )
    from datastore.repositories.meta import data_as_of

    key = (id(engine), getattr(caller, "user_id", ""), getattr(caller, "role", ""))
    hit = _CACHE.get(key)
    if hit is not None and time.monotonic() - hit[0] < _TTL_S:
        return hit[1]
    role = getattr(caller, "role", "client_channel")
    if role == "client_channel":
        clients: list[tuple[str, str]] = []
    else:
        clients = client_names(engine, None if role == "admin" else getattr(caller, "rm_id", None))  # type: ignore[arg-type]
    lex = Lexicon(
        clients=tuple(clients),
        funds=tuple(fund_names(engine)),  # type: ignore[arg-type]
        companies=tuple(corporate_names(engine)),  # type: ignore[arg-type]
        products=tuple(product_names(engine)),  # type: ignore[arg-type]
        other_rms=tuple(n for i, n in rm_names(engine) if n and i != getattr(caller, "rm_id", None)),  # type: ignore[arg-type]
        genders=tuple(client_genders(engine, None if role == "admin" else getattr(caller, "rm_id", None)).items())  # type: ignore[arg-type]
        if clients else (),
        as_of=str(data_as_of(engine) or ""),  # type: ignore[arg-type]
    )
    _CACHE[key] = (time.monotonic(), lex)
    return lex


_TTL_S = 60.0
_CACHE: dict[tuple[int, str, str], tuple[float, Lexicon]] = {}
