"""What every service gets: who is asking, where the data is, the bank's policy and the data's date.

``Deps.build(engine, caller, settings=settings)`` at an entry point (tool context, CLI command, API
request); services never read settings or the clock. "Today" is the data set's as-of date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.identity import Caller
from core.policy import DEFAULT_POLICY, Policy
from datastore.repositories.meta import as_of_date


@dataclass(frozen=True)
class Deps:
    caller: Caller
    engine: Engine
    policy: Policy = DEFAULT_POLICY
    as_of: date = field(default=date.min)
    # Paths a service may need (knowledge store, reports directory); never secrets.
    settings: Any = None

    @classmethod
    def build(cls, engine: Engine, caller: Caller, *, settings: Any = None, policy: Policy | None = None,
              as_of: date | None = None) -> Deps:
        pol = policy or (settings.policy if settings is not None and hasattr(settings, "policy") else DEFAULT_POLICY)
        return cls(caller=caller, engine=engine, policy=pol, as_of=as_of or as_of_date(engine), settings=settings)
