"""Re-export of ``core.errors`` (analytics raises the project's one set of domain errors)."""

from core.errors import (  # noqa: F401
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
