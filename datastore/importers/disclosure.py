"""Fund report periods and publication dates (《公开募集证券投资基金信息披露管理办法》 deadlines).

A disclosure is used by look-through only once it was public (``published_on <= as_of``). Vendors give
the period ("2025年1季度股票投资明细", ``end_date``) and sometimes the announcement date (tushare
``ann_date``). When the publication date is absent it is *estimated* as the legal deadline, the latest
day the report may appear, so an estimate never lets a report be used before it could have been public:

- quarterly report (top-10 stocks; every quarter end): within 15 working days after the quarter end;
- semi-annual report (full holdings; period 06-30): within 2 months after the period end (08-31);
- annual report (full holdings; period 12-31): within 3 months after the period end (03-31).

Working days are mainland China's (``chinese_calendar``: weekends, public holidays and the weekend
make-up days, years 2004–2026); for years the package does not cover, Monday–Friday.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))
QUARTERLY_WORKING_DAYS = 15
SEMIANNUAL_MONTHS = 2
ANNUAL_MONTHS = 3

_QUARTER = re.compile(r"(\d{4})\s*年\s*([1-4一二三四])\s*季度")
_HALF = re.compile(r"(\d{4})\s*年\s*(?:中期|半年度|半年报|中报)")
_YEAR = re.compile(r"(\d{4})\s*年\s*(?:年度|年报)")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4}


def quarter_end(year: int, quarter: int) -> date:
    m, d = QUARTER_ENDS[quarter - 1]
    return date(year, m, d)


def is_quarter_end(d: date) -> bool:
    return (d.month, d.day) in QUARTER_ENDS


def report_date_from_label(label: str) -> date | None:
    """The period end named by a vendor label, or None.

    >>> report_date_from_label("2025年1季度股票投资明细")
    datetime.date(2025, 3, 31)
    >>> report_date_from_label("2024年中期报告")
    datetime.date(2024, 6, 30)
    """
    t = (label or "").strip()
    if m := _QUARTER.search(t):
        q = m.group(2)
        return quarter_end(int(m.group(1)), _CN.get(q) or int(q))
    if m := _HALF.search(t):
        return date(int(m.group(1)), 6, 30)
    if m := _YEAR.search(t):
        return date(int(m.group(1)), 12, 31)
    return None


@lru_cache(maxsize=8192)
def is_working_day(d: date) -> bool:
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(d))
    except (NotImplementedError, ImportError):  # year outside the package's table: plain weekdays
        return d.weekday() < 5


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after ``d`` (``d`` itself not counted)."""
    out = d
    while n > 0:
        out += timedelta(days=1)
        if is_working_day(out):
            n -= 1
    return out


def add_months(d: date, months: int) -> date:
    """``months`` later; a month end stays a month end (06-30 + 2 months = 08-31, 12-31 + 3 = 03-31)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    day = last if d.day == calendar.monthrange(d.year, d.month)[1] else min(d.day, last)
    return date(year, month, day)


@lru_cache(maxsize=1024)
def publication_deadline(report_date: date, disclosure: str) -> date:
    """Latest legal publication date of a report on ``report_date`` with ``disclosure`` top10 | full."""
    if disclosure == "full" and (report_date.month, report_date.day) == (6, 30):
        return add_months(report_date, SEMIANNUAL_MONTHS)
    if disclosure == "full" and (report_date.month, report_date.day) == (12, 31):
        return add_months(report_date, ANNUAL_MONTHS)
    return add_working_days(report_date, QUARTERLY_WORKING_DAYS)
