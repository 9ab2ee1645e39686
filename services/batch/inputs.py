"""Where a batch run's inputs come from: the WealthDesk database (through ``services.loading`` and the
repositories) or a bank's own tables (Parquet files / Hive-style directories with the canonical columns
of ``docs/batch.md``, read by the engine and handed here as frames).

Either way the result is the same: a ``BatchContext`` (as-of date, shelf, fund exposures computed once)
and the book tables (clients with ``rm_id``, positions valued at the as-of date, idle cash).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from analytics.exposures import build_fund_exposures
from analytics.inputs import MarketFrames, require_columns
from core.errors import InvalidInput, NotFound
from core.policy import DEFAULT_POLICY, Policy
from datastore.repositories import clients as crepo
from datastore.repositories import market as mrepo
from services import loading
from services.batch.context import BatchContext

CLIENT_COLUMNS = ("id", "name", "rm_id", "risk_level", "risk_assessed_on", "monthly_expense", "age")
POSITION_COLUMNS = ("client_id", "product_code", "shares", "cost", "market_value")
CASH_COLUMNS = ("client_id", "balance")
RM_COLUMNS = ("id", "name", "branch")
# market tables (columns of analytics.inputs.MarketFrames), for the exposures built once per run
MARKET_TABLES = ("funds", "fund_holdings", "fund_asset_allocation", "securities", "industries",
                 "fund_managers", "fund_companies")
BOOK_TABLES = ("rms", "clients", "positions", "cash", "products")


@dataclass(frozen=True)
class Selection:
    """Which RMs a run covers: one RM, one branch, or (both None) every RM."""

    rm: str | None = None
    branch: str | None = None

    def rm_ids(self, rms: pd.DataFrame) -> list[str]:
        require_columns(rms, RM_COLUMNS, "rms")
        ids = rms
        if self.branch is not None:
            ids = ids[ids["branch"].astype(str) == self.branch]
            if ids.empty:
                raise NotFound(f"no RM in branch {self.branch!r}", field="--branch",
                               hint="branches: " + ", ".join(sorted(set(rms["branch"].astype(str)))[:8]))
        if self.rm is not None:
            ids = ids[ids["id"].astype(str) == self.rm.upper()]
            if ids.empty:
                raise NotFound(f"no RM {self.rm!r}" + (f" in branch {self.branch!r}" if self.branch else ""),
                               field="--rm")
        return sorted(ids["id"].astype(str))


@dataclass(frozen=True)
class BookTables:
    clients: pd.DataFrame  # CLIENT_COLUMNS
    positions: pd.DataFrame  # POSITION_COLUMNS, valued at the as-of date
    cash: pd.DataFrame  # CASH_COLUMNS


def context_from_db(engine: Engine, as_of: date, *, policy: Policy = DEFAULT_POLICY, **options: object) -> BatchContext:
    """The shared inputs from the database (exposures through ``services.loading.fund_exposures``)."""
    funds = mrepo.list_funds(engine)
    return BatchContext.build(as_of=as_of, products=crepo.products(engine), funds=funds,
                              exposures=loading.fund_exposures(engine, as_of), policy=policy, **options)


def book_from_db(engine: Engine, as_of: date, rm_ids: list[str]) -> BookTables:
    """Clients, valued positions and idle cash of the given RMs (``services.loading.client_books``)."""
    if not rm_ids:
        raise InvalidInput("no RM selected", field="--rm")
    every = set(rm_ids) >= set(crepo.rms(engine)["id"].astype(str))
    # the whole bank in one read when every RM is selected; otherwise RM by RM (joins, no id lists)
    parts = [loading.client_books(engine, None, as_of)] if every else [
        loading.client_books(engine, None, as_of, rm_id=rm) for rm in rm_ids]
    clients = pd.concat([p.clients for p in parts], ignore_index=True)
    positions = pd.concat([p.positions for p in parts], ignore_index=True)
    cash = pd.concat([p.cash for p in parts if p.cash is not None], ignore_index=True)
    return BookTables(clients=clients[list(CLIENT_COLUMNS)], positions=positions[list(POSITION_COLUMNS)],
                      cash=cash[list(CASH_COLUMNS)] if len(cash) else pd.DataFrame(columns=list(CASH_COLUMNS)))


def rms_from_db(engine: Engine) -> pd.DataFrame:
    return crepo.rms(engine)


def check_book(tables: dict[str, pd.DataFrame]) -> None:
    """``InvalidInput`` naming the table and the missing columns of a bank's book tables."""
    for name, cols in (("rms", RM_COLUMNS), ("clients", CLIENT_COLUMNS), ("positions", POSITION_COLUMNS),
                       ("cash", CASH_COLUMNS)):
        if name in tables:
            require_columns(tables[name], cols, name)


def context_from_tables(tables: dict[str, pd.DataFrame], as_of: date, *, policy: Policy = DEFAULT_POLICY,
                        **options: object) -> BatchContext:
    """The shared inputs from a bank's tables: products plus the market tables; the fund exposures are
    completed here once (``analytics.exposures.build_fund_exposures``, only disclosures published by
    ``as_of``)."""
    missing = [t for t in ("products", "funds", "fund_holdings", "fund_asset_allocation", "securities")
               if t not in tables]
    if missing:
        raise InvalidInput(f"input has no table(s) {missing}", field="--input",
                           hint="one <table>.parquet file or <table>/ directory per table (docs/batch.md)")
    market = MarketFrames(**{t: tables[t] for t in MARKET_TABLES if t in tables})
    exposures = build_fund_exposures(market, as_of)
    return BatchContext.build(as_of=as_of, products=tables["products"], funds=tables["funds"],
                              exposures=exposures, policy=policy, **options)

