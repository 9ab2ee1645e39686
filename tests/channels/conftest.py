"""The channel tests reuse the API fixtures (seeded database, keys, fake services)."""

from tests.api.conftest import engine, fakes, keys, settings  # noqa: F401
from tests.channels.live_sample import (  # noqa: F401
    live_db_path,
    live_engine,
    live_keys,
    live_server,
    live_settings,
    other_client,
    own_client,
    tiny_corpus,
    tiny_store,
)
