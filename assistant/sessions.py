"""Conversation memory in the database: open a session, replay its history, save a turn.

History is replayed as plain user/assistant messages (tool traffic is not replayed: the answer text
already carries the figures, and the session ``state`` carries the entities for follow-ups, e.g.
``{"client_id": "C0001", "fund_codes": ["000001"], "company": "E001"}``).
"""

from __future__ import annotations

import uuid
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from sqlalchemy import Engine

from assistant.access import Caller
from core.errors import Forbidden, InvalidInput
from datastore.repositories import conversation as repo

SESSION_NOT_YOURS = "无权访问该会话 (not your session)"
HISTORY_TURNS = 6  # user+assistant pairs replayed to the model


def open_session(engine: Engine, caller: Caller, session_id: str | None) -> repo.SessionRecord:
    """Load the caller's session (creating it when new). Another user's session id → ``Forbidden``."""
    if session_id is None:
        return repo.create_session(engine, uuid.uuid4().hex, caller.user_id)
    if not session_id or len(session_id) > 64:
        raise InvalidInput("session id must be 1–64 characters", field="session_id", hint="e.g. a uuid")
    found = repo.get_session(engine, session_id)
    if found is None:
        return repo.create_session(engine, session_id, caller.user_id)
    if found.user_id != caller.user_id:
        raise Forbidden(SESSION_NOT_YOURS)
    return found


def history(engine: Engine, session_id: str) -> list[BaseMessage]:
    """Prior user/assistant messages, oldest first."""
    out: list[BaseMessage] = []
    for m in repo.list_messages(engine, session_id, last=HISTORY_TURNS * 2):
        if m.role == "user":
            out.append(HumanMessage(m.content))
        elif m.role == "assistant":
            out.append(AIMessage(m.content))
    return out


def save_turn(
    engine: Engine,
    session_id: str,
    *,
    question: str,
    answer: str,
    tool_calls: list[dict[str, Any]],
    state: dict[str, Any],
) -> None:
    """Persist one turn: the question, the answer (with its tool calls in the payload) and the new state."""
    repo.append_messages(
        engine,
        session_id,
        [("user", question, {}), ("assistant", answer, {"tool_calls": tool_calls})],
    )
    repo.update_state(engine, session_id, state)
