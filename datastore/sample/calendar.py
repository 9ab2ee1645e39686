"""A simple SSE-like trading calendar: weekdays minus the main mainland public holidays.

The holiday list is fixed data (Spring Festival and National Day weeks, plus the one-day holidays),
so the calendar never depends on the wall clock. It is close to, not identical with, the exchange
calendar: makeup working weekends are ignored because the exchanges stay closed on weekends anyway.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import pandas as pd

START = date(2020, 1, 2)

# (first, last) inclusive closed ranges per year: 元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆.
_HOLIDAY_RANGES: list[tuple[str, str]] = [
    ("2020-01-01", "2020-01-01"), ("2020-01-24", "2020-02-02"), ("2020-04-06", "2020-04-06"),
    ("2020-05-01", "2020-05-05"), ("2020-06-25", "2020-06-26"), ("2020-10-01", "2020-10-08"),
    ("2021-01-01", "2021-01-01"), ("2021-02-11", "2021-02-17"), ("2021-04-05", "2021-04-05"),
    ("2021-05-03", "2021-05-05"), ("2021-06-14", "2021-06-14"), ("2021-09-20", "2021-09-21"),
    ("2021-10-01", "2021-10-07"),
    ("2022-01-03", "2022-01-03"), ("2022-01-31", "2022-02-04"), ("2022-04-04", "2022-04-05"),
    ("2022-05-02", "2022-05-04"), ("2022-06-03", "2022-06-03"), ("2022-09-12", "2022-09-12"),
    ("2022-10-03", "2022-10-07"),
    ("2023-01-02", "2023-01-02"), ("2023-01-23", "2023-01-27"), ("2023-04-05", "2023-04-05"),
    ("2023-05-01", "2023-05-03"), ("2023-06-22", "2023-06-23"), ("2023-09-29", "2023-10-06"),
    ("2024-01-01", "2024-01-01"), ("2024-02-09", "2024-02-16"), ("2024-04-04", "2024-04-05"),
    ("2024-05-01", "2024-05-03"), ("2024-06-10", "2024-06-10"), ("2024-09-16", "2024-09-17"),
    ("2024-10-01", "2024-10-07"),
    ("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-04"),
    ("2025-05-01", "2025-05-05"), ("2025-06-02", "2025-06-02"), ("2025-10-01", "2025-10-08"),
    ("2026-01-01", "2026-01-02"), ("2026-02-16", "2026-02-20"), ("2026-04-06", "2026-04-06"),
    ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-19"), ("2026-09-25", "2026-09-25"),
    ("2026-10-01", "2026-10-07"),
]


@lru_cache(maxsize=1)
def holidays() -> frozenset[date]:
    out: set[date] = set()
    for first, last in _HOLIDAY_RANGES:
        d, end = date.fromisoformat(first), date.fromisoformat(last)
        while d <= end:
            out.add(d)
            d += timedelta(days=1)
    return frozenset(out)


def trading_days(start: date, end: date) -> pd.DatetimeIndex:
    """Weekdays in [start, end] that are not public holidays, as a DatetimeIndex."""
    days = pd.bdate_range(start, end)
    hol = pd.DatetimeIndex(sorted(holidays()))
    return days[~days.isin(hol)]


@lru_cache(maxsize=4096)
def add_working_days(d: date, n: int) -> date:
    """``d`` plus ``n`` working days (weekdays that are not holidays); used for disclosure lags."""
    hol = holidays()
    cur = d
    while n > 0:
        cur += timedelta(days=1)
        if cur.weekday() < 5 and cur not in hol:
            n -= 1
    return cur
