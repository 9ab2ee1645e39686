"""What every tool gets from the agent's runtime context (never from the model).

``AgentContext`` is passed as ``context=`` to the agent and reaches tools as ``runtime.context``; the
LLM-visible argument schemas therefore never contain the caller, the engine or settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from core.identity import Caller

if TYPE_CHECKING:
    from assistant.settings import Settings


@dataclass
class AgentContext:
    caller: Caller
    engine: Engine
    settings: Settings
    # Filled by tools: docx paths generated during the turn (returned as AgentAnswer.attachments).
    attachments: list[str] = field(default_factory=list)
    # Filled by tools: citations of passages used in the turn.
    citations: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
