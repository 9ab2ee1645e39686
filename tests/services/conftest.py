from __future__ import annotations

import pytest

from core.identity import Caller
from services.deps import Deps


@pytest.fixture(scope="module")
def deps(sample_engine):  # type: ignore[no-untyped-def]
    return Deps.build(sample_engine, Caller.rm("RM001"))
