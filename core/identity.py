"""Who is asking. The caller is injected by the entry point (CLI flag, API key, WeCom user), never chosen
by the model. The checks that need the database (is this client in the caller's book?) live in
``services.access``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from core.errors import InvalidInput

Role = Literal["rm", "admin", "client_channel"]


class Caller(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    role: Role
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
