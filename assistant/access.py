"""Identity and entitlements. The caller is injected by the entry point (CLI flag, API key, WeCom user),
never chosen by the model. Every path that reads client data goes through ``require_client_access``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import Engine

from analytics.errors import Forbidden, InvalidInput
from datastore.repositories.clients import client_ids_of_rm, client_owner

# One message whether the client exists or not, so a refusal reveals nothing.
NOT_YOUR_CLIENT = "无权查看该客户信息 (not your client): you can only see clients in your own book"
CLIENT_CHANNEL_DENIED = "客户服务渠道不能查询客户数据 (the client FAQ channel has no access to client data)"


class Caller(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    role: Literal["rm", "admin", "client_channel"]
    rm_id: str | None = None

    @model_validator(mode="after")
    def _rm_has_book(self) -> Caller:
        if self.role == "rm" and not self.rm_id:
            raise InvalidInput("an RM caller needs an rm_id", field="rm_id", hint="e.g. RM001")
        return self

    @classmethod
    def rm(cls, rm_id: str) -> Caller:
        return cls(user_id=rm_id, role="rm", rm_id=rm_id)

    @classmethod
    def admin(cls, user_id: str = "admin") -> Caller:
        return cls(user_id=user_id, role="admin")

    @classmethod
    def client_channel(cls) -> Caller:
        return cls(user_id="client-channel", role="client_channel")

    @classmethod
    def from_cli(cls, as_user: str) -> Caller:
        """``--as RM001`` → an RM; ``--as admin`` → an administrator."""
        value = as_user.strip()
        if value.lower() == "admin":
            return cls.admin()
        if value.upper().startswith("RM") and value[2:].isdigit():
            return cls.rm(value.upper())
        raise InvalidInput(f"unknown identity {as_user!r}", field="--as", hint="use an RM id such as RM001, or admin")


def require_client_access(engine: Engine, caller: Caller, client_id: str) -> None:
    """Raise ``Forbidden`` unless ``caller`` may see ``client_id``. Same message for unknown ids."""
    if caller.role == "client_channel":
        raise Forbidden(CLIENT_CHANNEL_DENIED)
    if caller.role == "admin":
        return
    if client_owner(engine, client_id) != caller.rm_id:
        raise Forbidden(NOT_YOUR_CLIENT)


def visible_client_ids(engine: Engine, caller: Caller) -> list[str] | None:
    """Client ids the caller may see; None means all (admin)."""
    if caller.role == "client_channel":
        return []
    if caller.role == "admin":
        return None
    assert caller.rm_id is not None
    return client_ids_of_rm(engine, caller.rm_id)
