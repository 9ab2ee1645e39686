"""Audit every tool call: who, when, which tool, a digest of the arguments and of the result, outcome.

Digests are sha256 over canonical JSON (sorted keys), so the log proves what was asked and answered
without storing client data in it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from sqlalchemy import Engine

from datastore.repositories.audit import append_audit

Outcome = Literal["ok", "forbidden", "error"]


def digest(obj: Any) -> str:
    """sha256 of the canonical JSON form of ``obj`` (strings are hashed as JSON strings too)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_tool_call(engine: Engine, *, actor: str, tool: str, args: Any, result: Any, outcome: Outcome) -> int:
    """Append one audit row for a tool call; returns the row id."""
    return append_audit(
        engine, actor=actor, tool=tool, args_digest=digest(args), result_digest=digest(result), outcome=outcome
    )
