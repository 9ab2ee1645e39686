"""Re-export of the one errors module (defined in ``analytics.errors``, the root of the dependency graph)."""

from analytics.errors import (
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
]
