"""Re-export: ``Caller`` lives in ``core.identity``, the access checks in ``services.access``."""

from core.identity import Caller
from services.access import (
    CLIENT_CHANNEL_DENIED,
    NOT_YOUR_CLIENT,
    require_book_access,
    require_client_access,
    visible_client_ids,
)

__all__ = [
    "CLIENT_CHANNEL_DENIED",
    "NOT_YOUR_CLIENT",
    "Caller",
    "require_book_access",
    "require_client_access",
    "visible_client_ids",
]
