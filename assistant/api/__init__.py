"""HTTP API: ``create_app(settings, *, engine=None, services=None)`` builds the FastAPI app."""

from assistant.api.app import create_app
from assistant.api.services import Services

__all__ = ["create_app", "Services"]
