"""Content models shared by the report builders: figures with provenance, and a generic document tree.

Builders produce a domain content model first (``ProposalContent``, ``DueDiligenceContent``), then lay
it out as a ``DocContent`` (cover + sections of blocks) that ``reports.render`` writes to .docx. Every
number printed comes from a ``Figure`` recorded in a ``FigureBook`` with the tool/function that
computed it and its data date, which feeds the provenance appendix and the grounding facts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["zh", "en"]
MISSING = {"zh": "数据缺失", "en": "data missing"}


class Figure(BaseModel):
    """One number used in a report. ``value`` in base units (fraction, yuan, times, days)."""

    name: str
    value: float | None
    unit: str  # fraction | yuan | times | days | count
    tool: str  # e.g. "analytics.corporate.ratios"
    as_of: date | None = None
    label: str | None = None  # what the reader sees it as (row/claim label), for the human appendix
    shown: str | None = None  # the text printed


class ReportResult(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: Path
    sections: list[str]
    figures: list[Figure]
    ungrounded_numbers: list[str]
    pdf_path: Path | None = None


class FigureBook:
    """Records figures as they are formatted, so what is printed and what is cited cannot diverge."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.figures: list[Figure] = []
        self.label: str | None = None  # set by a layout before it formats a row/claim's figures

    def _add(self, name: str, value: float | None, unit: str, tool: str, as_of: date | None) -> None:
        self.figures.append(Figure(name=name, value=value, unit=unit, tool=tool, as_of=as_of, label=self.label))

    def _shown(self, text: str) -> str:
        self.figures[-1].shown = text
        return text

    def pct(
        self, name: str, value: float | None, tool: str, as_of: date | None = None, digits: int = 2
    ) -> str:
        self._add(name, value, "fraction", tool, as_of)
        return self._shown(MISSING[self.lang] if value is None else _unsigned_zero(f"{value * 100:.{digits}f}") + "%")

    def money(self, name: str, value: float | None, tool: str, as_of: date | None = None) -> str:
        self._add(name, value, "yuan", tool, as_of)
        return self._shown(MISSING[self.lang] if value is None else fmt_money(value, self.lang))

    def money_in(
        self, name: str, value: float | None, tool: str, as_of: date | None, unit: str, digits: int = 2
    ) -> str:
        """Yuan in one fixed unit (``万元``/``亿元``/``mn``), so a table column never mixes 元, 万 and 亿."""
        self._add(name, value, "yuan", tool, as_of)
        if value is None:
            return MISSING[self.lang]
        scale = {"万元": 1e4, "亿元": 1e8, "mn": 1e6}[unit]
        return _fixed(value / scale, digits) + (f" {unit}" if unit == "mn" else unit)

    def money_cell(self, name: str, value: float | None, tool: str, as_of: date | None, unit: str,
                   digits: int = 2) -> str:
        """A money table cell in ``unit`` (a key of ``MONEY_UNITS``, stated once in the column header): the
        bare number. ``shown`` keeps the number with the unit's suffix, which is how the verifiers read the
        cell (``Table.units`` appends the same suffix)."""
        self._add(name, value, "yuan", tool, as_of)
        if value is None:
            return MISSING[self.lang]
        scale, suffix = MONEY_UNITS[unit]
        text = _fixed(value / scale, digits)
        self.figures[-1].shown = text + suffix
        return text

    def times(
        self, name: str, value: float | None, tool: str, as_of: date | None = None, digits: int = 2
    ) -> str:
        self._add(name, value, "times", tool, as_of)
        if value is None:
            return MISSING[self.lang]
        return f"{value:.{digits}f}" + ("倍" if self.lang == "zh" else "x")

    def days(self, name: str, value: float | None, tool: str, as_of: date | None = None) -> str:
        self._add(name, value, "days", tool, as_of)
        if value is None:
            return MISSING[self.lang]
        return f"{value:.1f}" + ("天" if self.lang == "zh" else " days")

    def count(self, name: str, value: float | None, tool: str, as_of: date | None = None) -> str:
        self._add(name, value, "count", tool, as_of)
        return self._shown(MISSING[self.lang] if value is None else f"{value:,.0f}")


def _fixed(value: float, digits: int) -> str:
    """``value`` with thousands separators and ``digits`` decimals (see ``_unsigned_zero``)."""
    return _unsigned_zero(f"{value:,.{digits}f}")


def _unsigned_zero(text: str) -> str:
    """A figure that rounds to zero reads "0.00", never "-0.00" (a three-pots gap of −11元 shown in 万元)."""
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


# a column's money unit → (yuan per unit, suffix the grounding verifiers read after a bare cell number)
MONEY_UNITS: dict[str, tuple[float, str]] = {
    "元": (1.0, "元"), "万元": (1e4, "万"), "亿元": (1e8, "亿"), "CNY": (1.0, ""), "CNY mn": (1e6, " mn"),
}


def money_unit(values: list[float | None], lang: Lang) -> str:
    """One unit for a whole money column, from its largest value: 元 / 万元 / 亿元 in Chinese (万元 up to
    a million 万, the banks' usual unit), CNY or CNY mn in English."""
    top = max((abs(v) for v in values if v is not None), default=0.0)
    if lang == "zh":
        return "元" if top < 1e4 else ("万元" if top < 1e10 else "亿元")
    return "CNY" if top < 1e7 else "CNY mn"


def with_unit(label: str, unit: str, lang: Lang) -> str:
    """A column header that states its unit: ``市值（万元）`` / ``Market value (CNY)``."""
    return f"{label}（{unit}）" if lang == "zh" else f"{label} ({unit})"


def fmt_money(value: float, lang: Lang) -> str:
    """Yuan for display: 万/亿 in Chinese, thousands-separated yuan or ``mn`` in English."""
    a = abs(value)
    if lang == "zh":
        if a >= 1e8:
            return f"{value / 1e8:.2f}亿元"
        if a >= 1e4:
            return f"{value / 1e4:.2f}万元"
        return _fixed(value, 2) + "元"
    if a >= 1e6:
        return f"{value / 1e6:,.2f} mn"
    return _fixed(value, 2)


# ------------------------------------------------------------------------------- document tree


class Para(BaseModel):
    kind: Literal["para"] = "para"
    text: str
    style: str | None = None  # a paragraph style of the base template, e.g. "WD Note"
    narrative: bool = False  # written from a template or by the LLM (verified for grounding)


class Table(BaseModel):
    kind: Literal["table"] = "table"
    columns: list[str]
    rows: list[list[str]]
    caption: str | None = None
    numeric: list[int] = Field(default_factory=list)  # right-aligned column indexes
    widths: list[float] | None = None  # relative column widths (default: from the cells' lengths)
    # column index → the money unit suffix of that column (MONEY_UNITS), for the grounding verifiers only:
    # the cells print bare numbers under a header that states the unit
    units: dict[int, str] = Field(default_factory=dict)

    def row_text(self, row: list[str]) -> str:
        """A row as the verifiers read it: each bare number of a unit column followed by its unit suffix."""
        return " | ".join(
            cell + self.units[i] if i in self.units and cell[-1:].isdigit() else cell for i, cell in enumerate(row)
        )


class Chart(BaseModel):
    kind: Literal["chart"] = "chart"
    png: bytes
    caption: str
    width_cm: float = 14.0


Block = Para | Table | Chart


class Section(BaseModel):
    title: str
    level: int = 1
    blocks: list[Block] = Field(default_factory=list)


class DocContent(BaseModel):
    title: str
    subtitle: str
    badge: str  # "仅供内部参考" / "客户版" / "内部资料"
    cover_lines: list[str]
    sections: list[Section]
    lang: Lang = "zh"
    header: str | None = None  # page header text (e.g. the bank's name); None keeps the base template's
    bank_name: str | None = None  # page header (settings.bank_name); None: no bank name in the header
    bank_logo: str | None = None  # path of a PNG/JPEG for the header (settings.bank_logo_path)


# ------------------------------------------------------------------------- provenance appendix

PROVENANCE_COLUMNS = {
    "zh": ["数字", "取值（基础单位）", "单位", "计算工具", "数据日期"],
    "en": ["Figure", "Value (base unit)", "Unit", "Computed by", "Data date"],
}


def raw_value(value: float, unit: str) -> str:
    """A figure as stored, in its base unit (yuan with 2 decimals, ratios with 4) for the appendix."""
    if unit == "yuan":
        return f"{value:,.2f}"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:.4f}"


def provenance_table(book: FigureBook) -> Table:
    """One row per distinct figure name: value as stored, unit, the tool that computed it, data date."""
    seen: set[str] = set()
    rows = []
    for fig in book.figures:
        if fig.name in seen:
            continue
        seen.add(fig.name)
        value = MISSING[book.lang] if fig.value is None else raw_value(fig.value, fig.unit)
        rows.append([fig.name, value, fig.unit, fig.tool, fig.as_of.isoformat() if fig.as_of else "—"])
    return Table(columns=PROVENANCE_COLUMNS[book.lang], rows=rows, numeric=[1])
