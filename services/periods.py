"""Period tokens as RMs ask for them, resolved against the data's as-of date.

``since_purchase`` (持有以来/从买入到现在) and ``since_inception`` (成立以来) start at the beginning (None);
``ytd`` on 2026-11-20 → (2025-12-31, 2026-11-20); ``last_year`` → (2024-12-31, 2025-12-31);
``6m`` → (2026-05-20, 2026-11-20); ``since:2023-01-01`` → (2023-01-01, 2026-11-20); ``year:2024``.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from core.errors import InvalidInput

PERIOD_HELP = (
    "Period: since_purchase (持有以来, the default for 亏了多少/赚了多少), ytd (今年以来), last_year (去年), "
    "1m, 3m, 6m, 1y, 3y, since_inception (成立以来), since:YYYY-MM-DD or year:YYYY."
)
FROM_START = ("since_purchase", "since_inception", "all")


def resolve_period(period: str | None, today: date, *, default: str = "since_purchase") -> tuple[date | None, date]:
    """``(start, end)``: the window is (start, end]; ``None`` start = from the beginning."""
    token = (period or default).strip().lower()
    m = re.fullmatch(r"(\d+)\s*([ymw])", token)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        offset = {"y": pd.DateOffset(years=n), "m": pd.DateOffset(months=n), "w": pd.DateOffset(weeks=n)}[unit]
        return (pd.Timestamp(today) - offset).date(), today
    if token == "ytd":
        return date(today.year - 1, 12, 31), today
    if token == "last_year":
        return date(today.year - 2, 12, 31), date(today.year - 1, 12, 31)
    if token in FROM_START:
        return None, today
    m = re.fullmatch(r"since:(\d{4})-(\d{2})-(\d{2})", token)
    if m:
        start = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if start < today:
            return start, today
    m = re.fullmatch(r"year:(\d{4})", token)
    if m and int(m.group(1)) <= today.year:
        y = int(m.group(1))
        return date(y - 1, 12, 31), min(date(y, 12, 31), today)
    raise InvalidInput(f"unknown period {period!r}", field="period", hint=PERIOD_HELP)
