"""Conversation helpers for the offline planner tests on the sample book (RM001)."""

from __future__ import annotations

import uuid
from typing import Any

from assistant.access import Caller
from assistant.agent import ask

RM = Caller.rm("RM001")


def turns(engine: Any, settings: Any, questions: list[str]) -> list[Any]:
    """Ask ``questions`` in one new session, in order."""
    session = f"t-{uuid.uuid4().hex[:8]}"
    return [ask(q, caller=RM, engine=engine, settings=settings, session_id=session) for q in questions]


def calls(res: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(c["name"], c["args"]) for c in res.tool_calls]
