"""The per-RM partition functions: frames in, rows out, the same pure analytics as the rest of WealthDesk.

``run_partition(kind, frame, ctx)`` is what both engines call for each RM (Spark through
``groupBy("rm_id").applyInPandas``, the local engine in a loop): it splits the partition frame
(``services.batch.schema.PARTITION``) into clients and positions, checks them, runs
``analytics.book.scan_book`` (book-scan) or ``analytics.lookthrough.lookthrough_client`` per client
(lookthrough) and returns the output rows plus one ``record = "partition"`` row with its figures.

It never raises: a partition that fails returns only its partition row with ``part_error`` set, so one
RM's bad data is reported and the other partitions complete. Inputs are sorted first, so the result does
not depend on the order in which an engine delivers the rows.
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pandas as pd

from analytics.book import BookFrames, scan_book
from analytics.inputs import SPLIT_COLS, TRANSACTION_COLS, ClientBook
from analytics.lookthrough import lookthrough_client
from core.errors import InvalidInput, WealthDeskError
from services.batch import schema
from services.batch.context import BatchContext

_RISK = {"C1", "C2", "C3", "C4", "C5"}


def partition_rows(clients: pd.DataFrame, positions: pd.DataFrame, cash: pd.DataFrame | None) -> pd.DataFrame:
    """The partition frame of a book (pandas): one client row per client (with its idle cash) and one
    position row per position, each carrying the client's ``rm_id``."""
    bal = (cash.groupby("client_id")["balance"].sum() if cash is not None and len(cash)
           else pd.Series(dtype=float))
    cl = clients.rename(columns={"id": "client_id"})
    cl = cl.assign(row_type="client", cash=cl["client_id"].map(bal).fillna(0.0).to_numpy())
    owner = cl.set_index("client_id")["rm_id"]
    pos = positions.assign(row_type="position", rm_id=positions["client_id"].map(owner).to_numpy())
    frame = pd.concat([schema.conform(cl, schema.PARTITION), schema.conform(pos, schema.PARTITION)],
                      ignore_index=True)
    return frame


def _fail(where: str, problem: str, rows: pd.DataFrame, column: str, hint: str) -> InvalidInput:
    sample = ", ".join(sorted(set(rows["client_id"].astype(str)))[:3])
    return InvalidInput(f"{where}: {problem} (client {sample})", field=column, hint=hint)


def split_partition(frame: pd.DataFrame, ctx: BatchContext) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(clients, positions, cash) of one partition frame, checked and in canonical order; ``InvalidInput``
    naming the RM, the column and a client when a row cannot be scanned."""
    f = schema.conform(frame, schema.PARTITION)
    rm = str(f["rm_id"].iloc[0]) if len(f) else "?"
    where = f"RM {rm}"
    cl = f[f["row_type"] == "client"].sort_values("client_id", kind="stable")
    pos = f[f["row_type"] == "position"].sort_values(["client_id", "product_code"], kind="stable")
    if cl["client_id"].duplicated().any():
        raise _fail(where, "client listed twice", cl[cl["client_id"].duplicated()], "clients.id",
                    "one row per client in the clients table")
    for col in ("name", "risk_level", "risk_assessed_on", "monthly_expense", "age"):
        bad = cl[cl[col].isna()]
        if len(bad):
            raise _fail(where, f"{col} is missing", bad, f"clients.{col}", "every client needs it")
    bad = cl[~cl["risk_level"].isin(_RISK)]
    if len(bad):
        raise _fail(where, f"risk level {bad['risk_level'].iloc[0]!r} is not C1..C5", bad, "clients.risk_level",
                    "use the C1–C5 scale of the risk assessment")
    bad = pos[~pos["product_code"].isin(ctx.product_codes)]
    if len(bad):
        raise _fail(where, f"held product {bad['product_code'].iloc[0]!r} is not in the product table", bad,
                    "positions.product_code", "add it to products (the whole shelf, off-shelf products included)")
    bad = pos[pos["market_value"].isna() | (pos["market_value"] < 0) | pos["cost"].isna()]
    if len(bad):
        raise _fail(where, "market value missing or negative, or cost missing", bad,
                    "positions.market_value", "value positions at the as-of date (yuan, ≥ 0)")
    orphan = pos[~pos["client_id"].isin(cl["client_id"])]
    if len(orphan):
        raise _fail(where, "position of a client that is not in the clients table", orphan,
                    "positions.client_id", "every position's client must be a client of the same RM")
    clients = cl[["client_id", "name", "risk_level", "risk_assessed_on", "monthly_expense", "age"]].rename(
        columns={"client_id": "id"}).assign(rm_id=rm, age=cl["age"].astype("int64"))
    positions = pos[list(schema.POSITION_FIELDS)].reset_index(drop=True)
    cash = cl[["client_id", "cash"]].rename(columns={"cash": "balance"}).reset_index(drop=True)
    return clients.reset_index(drop=True), positions, cash


def _args_json(d: Any) -> str:
    return json.dumps(d if isinstance(d, dict) else {}, ensure_ascii=False, sort_keys=True, default=str)


def scan_partition(clients: pd.DataFrame, positions: pd.DataFrame, cash: pd.DataFrame,
                   ctx: BatchContext) -> pd.DataFrame:
    """Book-scan findings of one RM's clients (``analytics.book.scan_book``; columns ``schema.FINDINGS``)."""
    frames = BookFrames(clients=clients, positions=positions, products=ctx.products, cash=cash, funds=ctx.funds,
                        fund_equity=ctx.fund_equity, fund_industry=ctx.fund_industry,
                        industry_names=ctx.industry_names)
    found = scan_book(frames, as_of=ctx.as_of, policy=ctx.policy, maturing_days=ctx.maturing_days)
    found = found.assign(rm_id=str(clients["rm_id"].iloc[0]) if len(clients) else None,
                         seq=np.arange(len(found)), reason_args=[_args_json(a) for a in found["reason_args"]])
    return schema.conform(found, schema.FINDINGS)


def _client_rows(lt: Any, rm: str) -> list[dict[str, Any]]:
    common = {"rm_id": rm, "client_id": lt.client_id, "coverage": lt.coverage, "uncovered": lt.uncovered,
              "total_value": lt.total_value}
    rows = [{**common, "level": "asset_class", "code": k, "name": k, "weight": v, "disclosure_as_of": None}
            for k, v in lt.asset_classes.items()]
    rows += [{**common, "level": "industry", "code": i.code, "name": i.name, "kind": "stock", "weight": i.weight,
              "share_of_equity": i.share_of_equity, "disclosure_as_of": i.disclosure_as_of} for i in lt.industries]
    rows += [{**common, "level": "security", "code": h.security_id, "name": h.name, "kind": h.kind,
              "weight": h.weight, "disclosure_as_of": h.disclosure_as_of, "via": ",".join(h.via)}
             for h in lt.top_holdings]
    return rows


def lookthrough_partition(clients: pd.DataFrame, positions: pd.DataFrame, cash: pd.DataFrame,
                          ctx: BatchContext) -> pd.DataFrame:
    """Client × asset class / industry / top-N security weights of one RM's clients, with each client's
    coverage and the disclosure dates (``lookthrough_client`` per client; columns ``schema.EXPOSURES``).
    Clients holding nothing (no positions of value, no idle cash) have no rows."""
    rm = str(clients["rm_id"].iloc[0]) if len(clients) else ""
    by_client = dict(tuple(positions.drop(columns=["client_id"]).groupby(positions["client_id"], sort=False)))
    balance = dict(zip(cash["client_id"], cash["balance"].astype(float), strict=True))
    no_pos = positions.drop(columns=["client_id"]).iloc[0:0]
    # Per-call overheads dominate a client's look-through: give every ClientBook the products this RM's
    # clients hold (not the whole shelf: a look-through needs only the held rows) and shared empty frames.
    held = ctx.products[ctx.products["code"].isin(set(positions["product_code"]))].drop_duplicates("code")
    no_txn = pd.DataFrame({c: pd.Series(dtype=object) for c in TRANSACTION_COLS})
    no_split = pd.DataFrame({c: pd.Series(dtype=object) for c in SPLIT_COLS})
    rows: list[dict[str, Any]] = []
    for rec in clients.to_dict("records"):
        cid = str(rec["id"])
        pos = by_client.get(cid, no_pos)
        cash_bal = balance.get(cid, 0.0)
        if float(pos["market_value"].clip(lower=0).sum()) + cash_bal <= 0:
            continue  # nothing to look through (lookthrough_client would refuse it)
        book = ClientBook(client=pd.Series(rec), positions=pos, products=held, as_of=ctx.as_of, cash=cash_bal,
                          transactions=no_txn, splits=no_split)
        rows += _client_rows(lookthrough_client(book, ctx.exposures, top_n=ctx.top_n,
                                                limits=ctx.policy.concentration), rm)
    out = pd.DataFrame(rows)
    return schema.conform(out.assign(seq=np.arange(len(out))) if len(out) else out, schema.EXPOSURES)


def run_partition(kind: str, frame: pd.DataFrame, ctx: BatchContext) -> pd.DataFrame:
    """Rows of ``schema.result_columns(kind)`` for one RM's partition frame; never raises (see module doc)."""
    start = time.perf_counter()
    cols = schema.result_columns(kind)
    rm = str(frame["rm_id"].iloc[0]) if len(frame) else None
    n_clients = int((frame["row_type"] == "client").sum()) if len(frame) else 0
    n_pos = int((frame["row_type"] == "position").sum()) if len(frame) else 0
    error = None
    try:
        if kind == "reports":
            from services.batch.annual import reports_partition  # reports need the database and python-docx

            out = reports_partition(frame[frame["row_type"] == "client"], ctx)
        else:
            clients, positions, cash = split_partition(frame, ctx)
            fn = scan_partition if kind == "book-scan" else lookthrough_partition
            out = fn(clients, positions, cash, ctx)
    except WealthDeskError as exc:
        out, error = schema.empty(schema.OUTPUTS[kind]), str(exc)
    except Exception as exc:  # noqa: BLE001 - one partition's failure must not stop the run; it is reported
        out, error = schema.empty(schema.OUTPUTS[kind]), f"{type(exc).__name__}: {exc}"
    stat = pd.DataFrame([{"rm_id": rm, "record": "partition", "part_clients": n_clients, "part_positions": n_pos,
                          "part_rows": len(out), "part_seconds": time.perf_counter() - start,
                          "part_error": error}])
    return schema.conform(pd.concat([out.assign(record="row"), stat], ignore_index=True), cols)
