"""Entitlements: every path that reads client data goes through ``require_client_access``."""

from __future__ import annotations

from sqlalchemy import Engine

from core.errors import Forbidden
from core.identity import Caller
from datastore.repositories.clients import client_ids_of_rm, client_owner

# One message whether the client exists or not, so a refusal reveals nothing.
NOT_YOUR_CLIENT = "无权查看该客户信息 (not your client): you can only see clients in your own book"
CLIENT_CHANNEL_DENIED = "客户服务渠道不能查询客户数据 (the client FAQ channel has no access to client data)"


def require_client_access(engine: Engine, caller: Caller, client_id: str) -> None:
    """Raise ``Forbidden`` unless ``caller`` may see ``client_id``. Same message for unknown ids."""
    if caller.role == "client_channel":
        raise Forbidden(CLIENT_CHANNEL_DENIED)
    if caller.role == "admin":
        return
    if client_owner(engine, client_id) != caller.rm_id:
        raise Forbidden(NOT_YOUR_CLIENT)


def require_book_access(caller: Caller) -> None:
    """Book-level questions need an RM or an admin (the client channel sees no client data)."""
    if caller.role == "client_channel":
        raise Forbidden(CLIENT_CHANNEL_DENIED)


def visible_client_ids(engine: Engine, caller: Caller) -> list[str] | None:
    """Client ids the caller may see; None means all (admin)."""
    if caller.role == "client_channel":
        return []
    if caller.role == "admin":
        return None
    assert caller.rm_id is not None
    return client_ids_of_rm(engine, caller.rm_id)
