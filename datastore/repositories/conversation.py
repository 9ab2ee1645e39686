"""Chat sessions and their messages (tables ``sessions`` and ``messages``).

A session belongs to one user id; ``state`` holds small follow-up context such as
``{"client_id": "C0001", "fund_codes": ["000001"], "company": "E001", "lang": "zh"}``.
Messages are numbered per session (``seq`` 1, 2, …) and keep the serialized LangChain message in
``payload``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from datastore.schema import ChatMessage, ChatSession


class SessionRecord(BaseModel):
    id: str
    user_id: str
    created_at: datetime
    updated_at: datetime
    state: dict[str, Any]


class MessageRecord(BaseModel):
    seq: int
    role: str  # user | assistant | tool
    content: str
    payload: dict[str, Any]
    created_at: datetime


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def get_session(engine: Engine, session_id: str) -> SessionRecord | None:
    with Session(engine) as s:
        row = s.get(ChatSession, session_id)
        return SessionRecord.model_validate(row, from_attributes=True) if row is not None else None


def create_session(engine: Engine, session_id: str, user_id: str) -> SessionRecord:
    now = _now()
    with Session(engine) as s, s.begin():
        s.add(ChatSession(id=session_id, user_id=user_id, created_at=now, updated_at=now, state={}))
    return SessionRecord(id=session_id, user_id=user_id, created_at=now, updated_at=now, state={})


def update_state(engine: Engine, session_id: str, state: dict[str, Any]) -> None:
    with Session(engine) as s, s.begin():
        row = s.get(ChatSession, session_id)
        if row is None:
            return
        row.state = dict(state)  # a new object, so SQLAlchemy sees the JSON change
        row.updated_at = _now()


def append_messages(engine: Engine, session_id: str, messages: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Append ``(role, content, payload)`` tuples after the last ``seq`` of the session."""
    with Session(engine) as s, s.begin():
        last = s.execute(select(func.max(ChatMessage.seq)).where(ChatMessage.session_id == session_id)).scalar()
        seq = int(last or 0)
        now = _now()
        for role, content, payload in messages:
            seq += 1
            s.add(
                ChatMessage(
                    session_id=session_id, seq=seq, role=role, content=content, payload=payload, created_at=now
                )
            )


def list_messages(engine: Engine, session_id: str, *, last: int = 20) -> list[MessageRecord]:
    """The ``last`` messages of a session in order."""
    with Session(engine) as s:
        rows = s.execute(
            select(ChatMessage)
            .where(ChatMessage.session_id == session_id)
            .order_by(ChatMessage.seq.desc())
            .limit(last)
        ).scalars()
        out = [MessageRecord.model_validate(r, from_attributes=True) for r in rows]
    return list(reversed(out))
