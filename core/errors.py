"""The one errors module, grouped by who reads the message.

It lives in ``core``, the root of the dependency graph (``analytics.errors`` and ``assistant.errors``
re-export it). Errors say what went wrong and how to fix it; they carry NO HTTP status or exit code: the
edges map them (``assistant.errors.http_status`` for the API, ``assistant.errors.exit_code`` for the CLI).
Nothing below the API layer raises ``HTTPException``.
"""
from __future__ import annotations


class WealthDeskError(Exception):
    """Base error: ``message`` is safe to show to the user."""

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

    code = "invalid_input"


class NotFound(InvalidInput):
    """A named thing does not exist (put the id in with !r)."""

    code = "not_found"


class DataUnavailable(WealthDeskError):
    """The data needed is missing (e.g. no NAV before a date)."""

    code = "data_unavailable"


class Forbidden(WealthDeskError):
    """Not yours to see. The message must not reveal whether the thing exists."""

    code = "forbidden"


class Unauthenticated(WealthDeskError):
    code = "unauthenticated"


class SuitabilityError(Forbidden):
    """A product is not suitable for the client (risk level, expired assessment, age rule)."""

    code = "unsuitable"


class GroundingError(WealthDeskError):
    """A generated text contains numbers that no tool computed; the document is blocked."""

    code = "ungrounded"

    def __init__(self, message: str, ungrounded: list[str]) -> None:
        self.ungrounded = ungrounded
        super().__init__(message + ": " + ", ".join(ungrounded))


class ConfigurationError(WealthDeskError):
    code = "configuration"


class RateLimited(WealthDeskError):
    code = "rate_limited"
