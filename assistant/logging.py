"""Structured JSON logs with personal data masked, and the request id carried through a context variable.

One line per record, e.g.::

    {"ts": "2026-11-23T18:01:02.123Z", "level": "INFO", "logger": "wealthdesk.access",
     "msg": "POST /api/faq 200", "request_id": "9f1c…", "status": 200, "duration_ms": 12.5}

Masking reuses ``assistant.pii.Masker`` (ID-shaped numbers even with a wrong check digit, mobile and
card numbers also when spaced or dashed, and the client/RM names registered with ``register_names`` or
held by a ``register_name_source`` directory, which follows clients imported after start): the message
and every string field pass through it, so "客户张伟 13812345678" is logged as "客户«NAME_1» «PHONE_1»".
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from assistant.pii import Masker, NameDirectory

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_names_lock = threading.Lock()
_known_names: tuple[str, ...] = ()

# Attributes every LogRecord has; anything else came from ``extra=`` and is emitted as a field.
_STANDARD_ATTRS = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn adds an ANSI-coloured copy of msg
}


_sources: list[NameDirectory] = []


def register_names(names: Iterable[str]) -> None:
    """Add personal names (clients, RMs) that must never appear in a log line."""
    global _known_names
    with _names_lock:
        _known_names = tuple(sorted(set(_known_names) | {n for n in names if n and len(n) >= 2}))


def register_name_source(directory: NameDirectory) -> None:
    """Also mask every name the directory holds now or later (clients imported after start). One source
    per process (the service's database): a later call replaces the earlier one."""
    with _names_lock:
        _sources[:] = [directory]


def _names() -> tuple[str, ...]:
    names = _known_names
    for d in list(_sources):
        names = names + d.names()
    return names


def mask_text(text: str) -> str:
    """Mask personal data in one string (a fresh token numbering per call)."""
    return Masker(_names()).mask(text)


def _mask_value(masker: Masker, value: Any) -> Any:
    if isinstance(value, str):
        return masker.mask(value)
    if isinstance(value, dict):
        return {k: _mask_value(masker, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_value(masker, v) for v in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return masker.mask(str(value))


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object; mask personal data in the message and the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        masker = Masker(_names())  # one per record: the same value gets the same token within a line
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": masker.mask(record.getMessage()),
        }
        rid = request_id_var.get()
        if rid:
            out["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                out[key] = _mask_value(masker, value)
        if record.exc_info:
            out["exc"] = masker.mask(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", stream: Any = None) -> None:
    """Send the ``wealthdesk`` and ``uvicorn`` loggers to one JSON handler (idempotent)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.set_name("wealthdesk-json")
    for name in ("wealthdesk", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if h.get_name() != "wealthdesk-json"]
        logger.addHandler(handler)
        logger.setLevel(level.upper())
        logger.propagate = False
    # Our access middleware logs requests with ids and timings; uvicorn's own access lines would duplicate.
    logging.getLogger("uvicorn.access").disabled = True


def get_logger(name: str) -> logging.Logger:
    """A child of the ``wealthdesk`` logger, e.g. ``get_logger("jobs")`` → ``wealthdesk.jobs``."""
    return logging.getLogger(f"wealthdesk.{name}")
