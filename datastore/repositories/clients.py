"""Client-side repositories: RMs, clients, transactions, positions, cash, products."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from datastore.schema import Client


def client_owner(engine: Engine, client_id: str) -> str | None:
    """The RM id that owns ``client_id``, or None when no such client exists."""
    with Session(engine) as s:
        return s.execute(select(Client.rm_id).where(Client.id == client_id)).scalar_one_or_none()


def client_ids_of_rm(engine: Engine, rm_id: str) -> list[str]:
    with Session(engine) as s:
        return list(s.execute(select(Client.id).where(Client.rm_id == rm_id).order_by(Client.id)).scalars())
