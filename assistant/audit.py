"""The audit trail of security-relevant events: tool calls, report submit/download, FAQ calls, failed
logins, user and key changes, imports, knowledge ingest/approve, admin reads.

Every event is one row of the keyed chain in ``datastore.repositories.audit`` (who, when, action,
target, keyed digests, outcome). Argument and result digests are HMAC-SHA256 under the audit key, not
plain SHA-256: a plain hash of ``{"client_id": "C0001"}`` can be reversed by hashing every client id,
a keyed one cannot without the key. ``detail`` holds small non-personal facts (counts, a role, a file
hash), never client data.

The key comes from ``WEALTHDESK_AUDIT_KEY``. Entry points call ``configure(settings)``; code that runs
before that reads the settings once from the environment. Unset, a fixed development key is used and a
warning is logged: the chain still detects edits and forks, but anyone can recompute it. Set a secret
key in production and keep it out of the database host's backups.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from typing import Any, Literal

from sqlalchemy import Engine

from datastore.repositories.audit import ChainReport, append_audit, verify_audit

Outcome = Literal["ok", "forbidden", "error", "denied"]
DEV_KEY_LABEL = b"wealthdesk-development-audit-key (set WEALTHDESK_AUDIT_KEY)"

log = logging.getLogger("wealthdesk.audit")
_key: bytes | None = None
_key_lock = threading.Lock()
_warned = False


def key_from_settings(settings: Any) -> bytes:
    secret = getattr(settings, "audit_key", None)
    if secret is not None and secret.get_secret_value():
        return hashlib.sha256(b"wealthdesk-audit\x00" + secret.get_secret_value().encode()).digest()
    global _warned
    if not _warned:
        _warned = True
        log.warning("WEALTHDESK_AUDIT_KEY is not set: the audit chain uses the public development key")
    return hashlib.sha256(DEV_KEY_LABEL).digest()


def configure(settings: Any) -> None:
    """Set the process's audit key from settings (called by the CLI and ``create_app``)."""
    global _key
    with _key_lock:
        _key = key_from_settings(settings)


def audit_key() -> bytes:
    global _key
    with _key_lock:
        if _key is None:
            from assistant.settings import get_settings

            _key = key_from_settings(get_settings())
        return _key


def digest(obj: Any) -> str:
    """Keyed digest (HMAC-SHA256) of the canonical JSON form of ``obj`` (sorted keys)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hmac.new(audit_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def record_event(engine: Engine, *, actor: str, action: str, target: str | None = None,
                 detail: dict[str, Any] | None = None, outcome: str = "ok") -> int:
    """Append one audit row for a security-relevant event; returns its id.

    ``action`` is a dotted name (``report.download``, ``auth.failed``, ``user.add``, ``key.revoke``,
    ``data.import``, ``kb.ingest``, ``kb.approve``, ``faq.answer``, ``admin.read``); ``target`` what it
    acted on (a job id, a user id, a file name — never a client's personal data).
    """
    return append_audit(engine, key=audit_key(), actor=actor, tool=action, outcome=outcome, target=target,
                        detail=detail, args_digest=digest(detail) if detail is not None else "")


def safe_record_event(engine: Engine, **kwargs: Any) -> None:
    """``record_event`` for paths where a failed audit write must not turn a refusal into a 500
    (e.g. a failed login on a database that has no tables yet); the failure is logged."""
    try:
        record_event(engine, **kwargs)
    except Exception as exc:  # noqa: BLE001 - logged, and the caller's own answer still goes out
        log.error("audit write failed for %s: %s", kwargs.get("action"), type(exc).__name__)


def record_tool_call(engine: Engine, *, actor: str, tool: str, args: Any, result: Any, outcome: Outcome) -> int:
    """Append one audit row for a tool call; returns the row id."""
    return append_audit(engine, key=audit_key(), actor=actor, tool=tool, args_digest=digest(args),
                        result_digest=digest(result), outcome=outcome)


def verify(engine: Engine, *, checkpoint: bool = False) -> ChainReport:
    """Verify the chain and its checkpoints with the configured key."""
    return verify_audit(engine, audit_key(), checkpoint=checkpoint)
