"""Name directories for entity recognition: the caller's clients, all funds, all corporates.

Small reads (hundreds of rows) used by the offline planner and PII masking; callers cache them.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from datastore.schema import RM, Client, Corporate, Fund, Product


def client_names(engine: Engine, rm_id: str | None) -> list[tuple[str, str]]:
    """``[(client id, name), …]`` of one RM's book, or of every client when ``rm_id`` is None."""
    q = select(Client.id, Client.name).order_by(Client.id)
    if rm_id is not None:
        q = q.where(Client.rm_id == rm_id)
    with Session(engine) as s:
        return [(str(i), str(n)) for i, n in s.execute(q)]


def client_genders(engine: Engine, rm_id: str | None) -> dict[str, str]:
    """``{client id: "M" | "F"}`` of one RM's book (or every client): 他 / 她 pick the client they refer to."""
    q = select(Client.id, Client.gender)
    if rm_id is not None:
        q = q.where(Client.rm_id == rm_id)
    with Session(engine) as s:
        return {str(i): str(g or "") for i, g in s.execute(q)}


def product_names(engine: Engine) -> list[tuple[str, str]]:
    """``[(code, name), …]`` of the shelf's non-fund products (理财, deposits, insurance): "稳享两年期8号她能买吗"."""
    with Session(engine) as s:
        return [(str(c), str(n)) for c, n in s.execute(
            select(Product.code, Product.name).where(Product.kind != "fund").order_by(Product.code))]


def rm_names(engine: Engine) -> list[tuple[str, str]]:
    """``[(rm id, name), …]`` of every RM (to recognise "沈强静名下客户" as another RM's book)."""
    with Session(engine) as s:
        return [(str(i), str(n)) for i, n in s.execute(select(RM.id, RM.name).order_by(RM.id))]


def fund_names(engine: Engine) -> list[tuple[str, str, str]]:
    """``[(code, name, name_en), …]`` of every fund."""
    with Session(engine) as s:
        return [(str(c), str(n), str(e or "")) for c, n, e in s.execute(
            select(Fund.code, Fund.name, Fund.name_en).order_by(Fund.code))]


def corporate_names(engine: Engine) -> list[tuple[str, str, str]]:
    """``[(id, name, credit code), …]`` of every corporate."""
    with Session(engine) as s:
        return [(str(i), str(n), str(c)) for i, n, c in s.execute(
            select(Corporate.id, Corporate.name, Corporate.credit_code).order_by(Corporate.id))]


def names_fingerprint(engine: Engine) -> tuple[int, int, str | None]:
    """A cheap change marker for the personal-name directory: (clients, RMs, highest client id)."""
    from sqlalchemy import func

    from datastore.schema import RM

    with Session(engine) as s:
        n, top = s.execute(select(func.count(Client.id), func.max(Client.id))).one()
        return int(n), int(s.execute(select(func.count(RM.id))).scalar_one()), top
