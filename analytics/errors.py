"""The one errors module, grouped by who reads the message.

It lives in ``analytics`` because that package is the root of the dependency graph (it may import only
numpy/pandas/pydantic and itself); ``assistant.errors`` re-exports it for everyone else.

Every error carries a user-facing message. The CLI maps them to exit codes (``exit_code``), the API
layer maps them to HTTP statuses (``http_status``) in one handler. Nothing below the API layer raises
``HTTPException``.
"""
from __future__ import annotations


class WealthDeskError(Exception):
    """Base error: ``message`` is safe to show to the user."""

    exit_code = 1
    http_status = 500
    code = "error"

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.field = field
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [self.message]
        if self.field:
            parts.insert(0, f"{self.field}:")
        if self.hint:
            parts.append(f"({self.hint})")
        return " ".join(parts)

    def to_dict(self) -> dict[str, str | None]:
        return {"error": self.code, "message": self.message, "field": self.field, "hint": self.hint}


class InvalidInput(WealthDeskError):
    """The caller can fix it: name the field and say how."""

    exit_code = 2
    http_status = 400
    code = "invalid_input"


class NotFound(InvalidInput):
    """A named thing does not exist (put the id in with !r)."""

    http_status = 404
    code = "not_found"


class DataUnavailable(WealthDeskError):
    """The data needed is missing (e.g. no NAV before a date)."""

    exit_code = 1
    http_status = 422
    code = "data_unavailable"


class Forbidden(WealthDeskError):
    """Not yours to see. The message must not reveal whether the thing exists."""

    exit_code = 3
    http_status = 403
    code = "forbidden"


class Unauthenticated(WealthDeskError):
    exit_code = 3
    http_status = 401
    code = "unauthenticated"


class SuitabilityError(Forbidden):
    """A product is not suitable for the client (risk level, expired assessment, age rule)."""

    code = "unsuitable"


class GroundingError(WealthDeskError):
    """A generated text contains numbers that no tool computed; the document is blocked."""

    exit_code = 1
    http_status = 422
    code = "ungrounded"

    def __init__(self, message: str, ungrounded: list[str]) -> None:
        self.ungrounded = ungrounded
        super().__init__(message + ": " + ", ".join(ungrounded))


class ConfigurationError(WealthDeskError):
    exit_code = 1
    http_status = 500
    code = "configuration"


class RateLimited(WealthDeskError):
    exit_code = 1
    http_status = 429
    code = "rate_limited"
