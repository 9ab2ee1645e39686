"""Domain errors (defined in ``core.errors``) and the one mapping from an error to what an edge reports:
an exit code for the CLI, an HTTP status for the API. Errors themselves carry neither."""

from core.errors import (
    ConfigurationError,
    DataUnavailable,
    Forbidden,
    GroundingError,
    InvalidInput,
    NotFound,
    RateLimited,
    SuitabilityError,
    Unauthenticated,
    WealthDeskError,
)

__all__ = [
    "ConfigurationError",
    "DataUnavailable",
    "Forbidden",
    "GroundingError",
    "InvalidInput",
    "NotFound",
    "RateLimited",
    "SuitabilityError",
    "Unauthenticated",
    "WealthDeskError",
    "exit_code",
    "http_status",
]

# Most specific first: SuitabilityError before Forbidden, NotFound before InvalidInput.
_HTTP: tuple[tuple[type[WealthDeskError], int], ...] = (
    (SuitabilityError, 403),
    (Forbidden, 403),
    (Unauthenticated, 401),
    (NotFound, 404),
    (InvalidInput, 400),
    (DataUnavailable, 422),
    (GroundingError, 422),
    (RateLimited, 429),
    (ConfigurationError, 500),
)
# DESIGN.md: 0 ok, 2 bad input, 3 forbidden (not your client), 1 anything else.
_EXIT: tuple[tuple[type[WealthDeskError], int], ...] = (
    (Forbidden, 3),
    (Unauthenticated, 3),
    (InvalidInput, 2),
)


def http_status(exc: WealthDeskError) -> int:
    """The HTTP status an API response carries for ``exc`` (500 for an unmapped domain error)."""
    return next((code for kind, code in _HTTP if isinstance(exc, kind)), 500)


def exit_code(exc: WealthDeskError) -> int:
    """The CLI exit code for ``exc``: 2 bad input, 3 forbidden, 1 anything else."""
    return next((code for kind, code in _EXIT if isinstance(exc, kind)), 1)
