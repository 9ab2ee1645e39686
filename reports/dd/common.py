"""Shared helpers of the DD layout: the context (content, figure book, language) and formatters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reports import labels as L
from reports.dd import text as X
from reports.models import MISSING, MONEY_UNITS, FigureBook, Para
from reports.narrative import fill, llm_commentary

if TYPE_CHECKING:
    from reports.due_diligence import DueDiligenceContent

T_RATIOS = "analytics.corporate.ratios"
T_FLAGS = "analytics.corporate.evaluate_flags"
T_DATA = "datastore.repositories.corporate"
T_OWN = "analytics.corporate_ownership.look_through"
T_PLAN = "analytics.credit_plan"
T_POLICY = "core.policy.CreditThresholds"
T_CHECKS = "analytics.corporate_checks"
T_MARKET = "datastore.repositories.market"


@dataclass
class Ctx:
    c: DueDiligenceContent
    book: FigureBook
    llm: Any = None

    @property
    def lang(self) -> str:
        return self.c.lang

    @property
    def zh(self) -> bool:
        return self.c.lang == "zh"

    @property
    def miss(self) -> str:
        return MISSING[self.c.lang]

    @property
    def unit(self) -> str:
        """The one money unit of the statement and credit tables."""
        return "万元" if self.zh else "CNY mn"

    @property
    def suffix(self) -> str:
        """What the grounding verifiers read after a bare number of a money column."""
        return MONEY_UNITS[self.unit][1]

    def h(self, key: str) -> str:
        return X.t(X.HEADINGS, key, self.lang)

    def col(self, key: str) -> str:
        return X.t(X.COL, key, self.lang)

    def w(self, key: str, **kw: object) -> str:
        return X.t(X.WORDS, key, self.lang, **kw)

    def money(self, name: str, v: float | None, tool: str = T_DATA) -> str:
        return self.book.money(name, v, tool, self.c.as_of)

    def amt(self, name: str, v: float | None, tool: str = T_DATA, digits: int = 2) -> str:
        """Money in the table unit (万元 / CNY mn) as a bare number: the column header states the unit."""
        return self.book.money_cell(name, v, tool, self.c.as_of, self.unit, digits)

    def pct(self, name: str, v: float | None, tool: str = T_RATIOS, digits: int = 2) -> str:
        return self.book.pct(name, v, tool, self.c.as_of, digits)

    def times(self, name: str, v: float | None, tool: str = T_RATIOS) -> str:
        return self.book.times(name, v, tool, self.c.as_of)

    def count(self, name: str, v: float | None, tool: str = T_DATA) -> str:
        return self.book.count(name, v, tool, self.c.as_of)

    def date(self, d: Any) -> str:
        return self.miss if d in (None, "") else L.fmt_date(d, self.lang)

    def fill(self, key: str, **kw: str) -> str:
        return fill("report_dd", self.lang, key, **kw)

    def para(self, key: str, **kw: str) -> Para:
        return Para(text=self.fill(key, **kw), narrative=True)

    def narrate(self, key: str, facts: Any, **kw: str) -> Para:
        text = self.fill(key, **kw)
        if self.llm is not None:
            text = llm_commentary(self.llm, lang=self.lang, topic=key, facts=facts, offline_text=text)
        self.c.narrative[key] = text
        return Para(text=text, narrative=True)

    def join(self, items: list[str]) -> str:
        return ("、" if self.zh else ", ").join(items) if items else self.miss

    def col_unit(self, label: str) -> str:
        return f"{label}（{self.unit}）" if self.zh else f"{label} ({self.unit})"
