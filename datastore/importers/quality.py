"""Data-quality gates shared by every importer (NAV, bank CSV, holdings, industries, fund list, indices).

An importer parses a file into canonical rows, then runs the gates below *before* it opens a write
transaction, so a refused file leaves the database untouched. Every refusal is an ``InvalidInput`` whose
message names the file, the line (header = line 1; for JSON the line of the object), the column and the
problem, and whose ``hint`` says how to fix it. The thresholds live in one ``Limits`` object.

Gates:
- dates after the data set's as-of date (``meta['as_of']``, or the ``--as-of`` given) and before 1990;
- impossible values: daily NAV returns beyond ±50% except on a dividend or split day, negative or absurd
  units, amounts, prices and weights, birth dates in the future, risk assessments in the future;
- duplicate rows within one file (same key twice);
- sells of more units than the client holds at that date (stored + imported transactions, splits applied).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from core.errors import InvalidInput


@dataclass(frozen=True)
class Limits:
    """What no real record can exceed (one place, so a bank can tighten them)."""

    max_daily_return: float = 0.50  # |r| of one day's adjusted NAV return; no fund moves 50% without an event
    max_unit_nav: float = 1_000.0  # yuan per unit; Chinese funds start at 1.00
    max_units: float = 1e11  # units (份/股) on one row: 1,000亿
    max_amount: float = 1e11  # yuan on one row
    max_price: float = 1e5  # yuan per unit (NAV, share price)
    max_weight: float = 1.0  # one holding line, fraction of NAV
    max_report_weight: float = 2.0  # all lines of one report (leveraged bond funds reach 140%)
    earliest: date = date(1990, 1, 1)  # before the first Chinese exchange and fund
    earliest_birth: date = date(1900, 1, 1)


LIMITS = Limits()


def located(path: str | Path, line: int | None, column: str | None, problem: str,
            hint: str | None = None) -> InvalidInput:
    """The one error format: ``<file>, line <n>, column '<c>': <problem>`` (+ the fix as ``hint``)."""
    where = str(path) + (f", line {line}" if line is not None else "") + (f", column {column!r}" if column else "")
    return InvalidInput(f"{where}: {problem}", field=column or "file", hint=hint)


def resolve_as_of(engine: Engine, as_of: date | None) -> date:
    """The date imported data may not exceed: ``as_of`` when given, else the data set's ``meta['as_of']``."""
    from datastore.repositories.meta import data_as_of

    day = as_of or data_as_of(engine)
    if day is None:  # never the wall clock: what counts as "the future" must be reproducible
        raise InvalidInput("the database has no as-of date", field="as_of",
                           hint="pass --as-of YYYY-MM-DD (the date of the extract) or run `wealthdesk init`")
    return day


class Gate:
    """The gates of one import: the source file, the as-of date and the limits."""

    def __init__(self, path: str | Path, as_of: date, limits: Limits = LIMITS) -> None:
        self.path, self.as_of, self.limits = Path(path), as_of, limits

    def error(self, line: int | None, column: str | None, problem: str, hint: str | None = None) -> InvalidInput:
        return located(self.path, line, column, problem, hint)

    # ------------------------------------------------------------------------------------------ cells

    def date(self, line: int | None, column: str, d: date, *, what: str = "date") -> date:
        if d > self.as_of:
            raise self.error(line, column, f"{what} {d} is after the data as-of date {self.as_of}",
                             "fix the date, or import into a data set whose as-of date covers it (--as-of)")
        if d < self.limits.earliest:
            raise self.error(line, column, f"{what} {d} is before {self.limits.earliest}", "fix the date")
        return d

    def birth_date(self, line: int, column: str, d: date) -> date:
        if d > self.as_of:
            raise self.error(line, column, f"birth date {d} is in the future (as-of {self.as_of})",
                             "fix the birth date (it must match the ID number)")
        if d < self.limits.earliest_birth:
            raise self.error(line, column, f"birth date {d} is before {self.limits.earliest_birth}")
        return d

    def assessment_date(self, line: int, column: str, d: date) -> date:
        if d > self.as_of:
            raise self.error(line, column, f"risk assessment dated {d} is in the future (as-of {self.as_of})",
                             "use the date the client completed the questionnaire")
        if d < self.limits.earliest:
            raise self.error(line, column, f"risk assessment dated {d} is before {self.limits.earliest}")
        return d

    def _bounded(self, line: int | None, column: str, x: float, upper: float, what: str, unit: str) -> float:
        if x < 0:
            raise self.error(line, column, f"{what} {x:g} is negative", f"{what} are ≥ 0 ({unit})")
        if x > upper:
            raise self.error(line, column, f"{what} {x:,.6g} exceeds {upper:,.0f} {unit}: not a real record",
                             f"check the unit of the column ({unit})")
        return x

    def units(self, line: int | None, column: str, x: float) -> float:
        return self._bounded(line, column, x, self.limits.max_units, "units", "份/股")

    def amount(self, line: int | None, column: str, x: float) -> float:
        return self._bounded(line, column, x, self.limits.max_amount, "amount", "元")

    def price(self, line: int | None, column: str, x: float) -> float:
        if x <= 0:
            raise self.error(line, column, f"price {x:g} must be greater than 0")
        return self._bounded(line, column, x, self.limits.max_price, "price", "元 per unit")

    def unit_nav(self, line: int | None, column: str, x: float) -> float:
        if x <= 0:
            raise self.error(line, column, f"{x:g} must be greater than 0")
        return self._bounded(line, column, x, self.limits.max_unit_nav, "unit NAV", "元 per unit")

    def weight(self, line: int | None, column: str, w: float) -> float:
        """A fraction of NAV (already converted from percent)."""
        if w < 0:
            raise self.error(line, column, f"weight {w:.4%} is negative", "a share of NAV is ≥ 0")
        if w > self.limits.max_weight:
            raise self.error(line, column, f"weight {w:.2%} of NAV exceeds {self.limits.max_weight:.0%}",
                             "the column is percent of NAV (占净值比例): 9.52 means 9.52%")
        return w

    # ------------------------------------------------------------------------------------------ rows

    def unique(self, df: pd.DataFrame, key: Sequence[str], column: str, what: str = "row") -> None:
        """Refuse the same key twice in one file (``df`` carries each row's file line in ``_line``)."""
        dup = df.duplicated(list(key), keep=False)
        if not dup.any():
            return
        rows = df[dup].sort_values("_line")
        first = rows.iloc[0]
        same = rows[(rows[list(key)] == first[list(key)]).all(axis=1)]
        lines = [int(x) for x in same["_line"]]
        desc = ", ".join(f"{k}={first[k]}" for k in key)
        raise self.error(lines[1], column, f"duplicate {what} ({desc}) already on line {lines[0]}",
                         "remove the repeated row (each appears once per file)")

    def report_total(self, line: int | None, column: str, total: float, what: str) -> None:
        if total > self.limits.max_report_weight:
            raise self.error(line, column, f"the lines of {what} add up to {total:.0%} of NAV",
                             "the column is percent of NAV (占净值比例), one report per file section")

    def daily_returns(self, nav: pd.DataFrame, column: str) -> None:
        """Adjusted daily returns beyond ±``max_daily_return`` on a day without dividend or split.

        ``nav``: date, unit_nav, dividend, split_ratio, daily_return (vendor, fraction or NaN) and ``_line``
        (the file line; NaN for stored rows), ascending by date: the stored series merged with the file's
        rows, so a row is checked against its real neighbour. Only returns that touch a file row are
        checked, and NAV-to-NAV only across gaps of ≤ 14 days (a sparse file is not a daily series).
        """
        lim = self.limits.max_daily_return
        event = (nav["dividend"].fillna(0) > 0) | nav["split_ratio"].notna()
        mine = nav["_line"].notna()
        d = pd.to_datetime(nav["date"])
        k = nav["split_ratio"].fillna(1.0)
        r = (nav["unit_nav"] + nav["dividend"].fillna(0)) * k / nav["unit_nav"].shift() - 1  # DESIGN.md rule
        r = r.where((d - d.shift()).dt.days <= 14)
        touches = mine | mine.shift(fill_value=False)
        lines = nav["_line"].where(mine, nav["_line"].shift())  # a stored row is blamed on the file row before
        vendor = nav["daily_return"].where(mine) if "daily_return" in nav.columns else r * np.nan
        for series, label in ((vendor, "vendor 日增长率"), (r.where(touches), "NAV-to-NAV return")):
            bad = series.notna() & (series.abs() > lim) & ~event
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise self.error(int(lines.iloc[i]), column,
                                 f"{label} {float(series.iloc[i]):+.2%} on {nav['date'].iloc[i]} is beyond "
                                 f"±{lim:.0%} and the day has no dividend or split",
                                 "check the NAV (unit, decimal point); a real 份额折算/分红 day must say so in 分红送配")

    def sells(self, new: pd.DataFrame, stored: pd.DataFrame, splits: pd.DataFrame, column: str) -> None:
        """Refuse an imported sell of more units than held on its date.

        ``new``/``stored``: client_id, product_code, date, type, shares (``new`` also ``_line``);
        ``splits``: product_code, date, split_ratio (units held before the date are multiplied by k).
        Same order as ``derive_positions``: a split applies before that day's trades; within a day, the
        stored rows first, then the file's rows in file order.
        """
        sells = new[new["type"] == "sell"]
        if sells.empty:
            return
        keys = set(zip(sells["client_id"], sells["product_code"], strict=True))
        cols = ["client_id", "product_code", "date", "type", "shares"]
        both = pd.concat([stored[cols].assign(line=np.nan, src=0),
                          new[cols].assign(line=new["_line"].to_numpy(), src=1)], ignore_index=True)
        both = both[[k in keys for k in zip(both["client_id"], both["product_code"], strict=True)]]
        both = both.assign(day=pd.to_datetime(both["date"])).sort_values(["day", "src", "line"], kind="stable")
        split_by: dict[str, list[tuple[pd.Timestamp, float]]] = {}
        for p, d, k in splits[["product_code", "date", "split_ratio"]].itertuples(index=False):
            split_by.setdefault(str(p), []).append((pd.Timestamp(d), float(k)))
        for (client, product), grp in both.groupby(["client_id", "product_code"], sort=False):
            events = sorted(split_by.get(str(product), []))
            held, ei = 0.0, 0
            for t in grp.itertuples(index=False):
                while ei < len(events) and events[ei][0] <= t.day:
                    held = round(held * events[ei][1], 2)
                    ei += 1
                if t.type == "buy":
                    held += float(t.shares)
                elif t.type == "sell":
                    if t.src == 1 and float(t.shares) > held + 0.01:
                        raise self.error(int(t.line), column,
                                         f"sell of {float(t.shares):,.2f} units of {product} on {t.day.date()} "
                                         f"exceeds the {held:,.2f} units client {client} holds then",
                                         "check the units, or import the missing buy transactions first")
                    held = max(held - float(t.shares), 0.0)
