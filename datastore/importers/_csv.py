"""CSV plumbing shared by importers: robust reading, header aliases, cell parsers that raise
``InvalidInput`` naming file, line, column and the problem."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from core.errors import InvalidInput


class CsvFile:
    """A CSV read as strings; ``line(i)`` is the 1-based file line of data row ``i`` (header = line 1)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InvalidInput(f"{self.path}: file not found", field="file", hint="give the path of a CSV file")
        raw = self.path.read_bytes()
        text = None
        for enc in ("utf-8-sig", "gb18030"):  # eastmoney/bank exports are UTF-8 (BOM) or GBK
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise InvalidInput(f"{self.path}: not UTF-8 or GBK text", field="file", hint="save the file as UTF-8 CSV")
        from io import StringIO

        try:
            self.df = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InvalidInput(f"{self.path}: not a readable CSV ({exc})", field="file") from None
        self.df.columns = [str(c).strip() for c in self.df.columns]

    def line(self, i: int) -> int:
        return i + 2

    def error(self, i: int | None, column: str, problem: str, hint: str | None = None) -> InvalidInput:
        from datastore.importers.quality import located

        return located(self.path, self.line(i) if i is not None else None, column, problem, hint)

    def resolve(self, aliases: Mapping[str, Sequence[str]], required: Sequence[str]) -> dict[str, str]:
        """Map canonical names to the file's header names. Missing required column → InvalidInput."""
        found: dict[str, str] = {}
        for canon, names in aliases.items():
            for n in (canon, *names):
                if n in self.df.columns:
                    found[canon] = n
                    break
        for canon in required:
            if canon not in found:
                names = " / ".join(dict.fromkeys([*aliases.get(canon, ()), canon]))
                raise InvalidInput(f"{self.path}, line 1: missing column {names!r}", field=canon,
                                   hint=f"the header has {list(self.df.columns)}")
        return found


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")


def parse_date(f: CsvFile, i: int, column: str, value: str) -> date:
    v = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    raise f.error(i, column, f"{value!r} is not a date", hint="use YYYY-MM-DD")


_NUM_CLEAN = re.compile(r"[,\s¥元]")


def parse_number(f: CsvFile, i: int, column: str, value: str, *, minimum: float | None = None,
                 strictly_positive: bool = False, allow_empty: bool = False) -> float | None:
    v = _NUM_CLEAN.sub("", value or "")
    if v in ("", "--", "-"):
        if allow_empty:
            return None
        raise f.error(i, column, "is empty", hint="give a number")
    try:
        x = float(v)
    except ValueError:
        raise f.error(i, column, f"{value!r} is not a number") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise f.error(i, column, f"{value!r} is not a finite number")
    if strictly_positive and x <= 0:
        raise f.error(i, column, f"{value!r} must be greater than 0")
    if minimum is not None and x < minimum:
        raise f.error(i, column, f"{value!r} must be ≥ {minimum:g}")
    return x
