"""The channel tests reuse the API fixtures (seeded database, keys, fake services)."""

from tests.api.conftest import engine, fakes, keys, settings  # noqa: F401
