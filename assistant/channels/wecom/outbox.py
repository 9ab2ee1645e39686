"""The WeCom outbox sender: a background thread that delivers stored replies with retries and backoff.

The handler never calls ``message/send`` itself; it stores each reply (``datastore.repositories.outbox``)
and wakes this sender. A failed send (HTTP error, WeCom errcode, network down) is retried after
``wecom_send_backoff_s · 2^attempt`` seconds (capped at 10 minutes) up to ``wecom_send_attempts`` times, then
the row is marked failed and logged. A reply is marked delivered only after WeCom accepted it, so a crash
between the two sends it again (at least once; WeCom shows a rare duplicate rather than a lost answer).

The same thread prunes old MsgId dedup rows and old delivered/failed outbox rows every few minutes
(``wecom_dedup_retention_hours``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from assistant.channels.wecom.client import WeComClient, split_text
from assistant.logging import get_logger
from datastore.repositories import outbox as repo
from datastore.repositories.jobs import forget_messages_before, window_start

log = get_logger("wecom")
CHANNEL = "wecom"
MAX_BACKOFF_S = 600.0
PRUNE_EVERY_S = 300.0


def backoff_s(base: float, attempts_so_far: int) -> float:
    """Delay before the next try after ``attempts_so_far + 1`` failures: base, 2·base, 4·base, … ≤ 10 min.

    >>> [backoff_s(2.0, n) for n in range(4)], backoff_s(2.0, 20)
    ([2.0, 4.0, 8.0, 16.0], 600.0)
    """
    return float(min(MAX_BACKOFF_S, base * (2 ** min(attempts_so_far, 30))))


class WeComOutbox:
    def __init__(
        self,
        engine: Engine,
        client: WeComClient,
        *,
        max_attempts: int = 8,
        backoff_base_s: float = 2.0,
        retention_hours: float = 24.0,
        poll_s: float = 1.0,
        lease_s: float = 60.0,
    ) -> None:
        self.engine, self.client = engine, client
        self.max_attempts, self.backoff_base_s = max_attempts, backoff_base_s
        self.retention_hours, self.poll_s, self.lease_s = retention_hours, poll_s, lease_s
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_prune = 0.0

    @classmethod
    def from_settings(cls, engine: Engine, client: WeComClient, settings: Any) -> WeComOutbox:
        return cls(
            engine,
            client,
            max_attempts=settings.wecom_send_attempts,
            backoff_base_s=settings.wecom_send_backoff_s,
            retention_hours=settings.wecom_dedup_retention_hours,
            poll_s=min(1.0, settings.wecom_send_backoff_s),  # so a short backoff is honoured on time
        )

    # ------------------------------------------------------------------ producer side
    def text(self, to_user: str, text: str, *, msg_id: str | None = None) -> list[int]:
        """Store a text reply (one row per 2048-byte part, sent in order) and wake the sender."""
        parts = split_text(text) or [" "]
        ids = repo.enqueue(self.engine, CHANNEL, to_user, [("text", p) for p in parts], msg_id=msg_id)
        self._wake.set()
        return ids

    def file(self, to_user: str, path: Path, *, msg_id: str | None = None) -> list[int]:
        ids = repo.enqueue(self.engine, CHANNEL, to_user, [("file", str(path))], msg_id=msg_id)
        self._wake.set()
        return ids

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="wecom-outbox", daemon=True)
        self._thread.start()

    def stop(self, *, wait: bool = True) -> None:
        """Stop after the current send; undelivered rows stay in the table for the next start."""
        self._stop.set()
        self._wake.set()
        if wait and self._thread is not None:
            self._thread.join(30)

    # ------------------------------------------------------------------ sender
    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.run_once()
                self._maybe_prune()
            except Exception:  # the database may be briefly unavailable; keep the thread alive
                log.exception("wecom outbox pass failed")
                sent = 0
            if not sent:
                self._wake.wait(self.poll_s)
                self._wake.clear()

    def run_once(self) -> int:
        """Claim due rows (at most one per recipient: the claim keeps each user's replies in order) and try
        each once; returns how many were attempted."""
        items = repo.claim(self.engine, CHANNEL, self.owner, lease_s=self.lease_s)
        for item in items:
            self._send(item)  # a row claimed is always finished: delivered, retried later, or failed
        return len(items)

    def _send(self, item: repo.OutboxItem) -> None:
        try:
            if item.kind == "file":
                path = Path(item.payload)
                if not path.is_file():
                    repo.mark_failed(self.engine, item.id, self.owner, error=f"file is gone: {path.name}")
                    log.error("wecom file reply failed: file is gone", extra={"outbox_id": item.id})
                    return
                self.client.send_file(item.to_user, path)
            else:
                self.client.send_text(item.to_user, item.payload)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if item.attempts + 1 >= self.max_attempts:
                repo.mark_failed(self.engine, item.id, self.owner, error=error)
                log.error(
                    "wecom reply failed for good",
                    extra={"outbox_id": item.id, "attempts": item.attempts + 1, "error": type(exc).__name__},
                )
                return
            delay = backoff_s(self.backoff_base_s, item.attempts)
            repo.retry_later(self.engine, item.id, self.owner, delay_s=delay, error=error)
            log.warning(
                "wecom send failed, will retry",
                extra={"outbox_id": item.id, "attempts": item.attempts + 1, "retry_in_s": delay},
            )
            return
        repo.mark_delivered(self.engine, item.id, self.owner)

    def _maybe_prune(self) -> None:
        if time.monotonic() - self._last_prune < PRUNE_EVERY_S:
            return
        self._last_prune = time.monotonic()
        self.prune()

    def prune(self) -> dict[str, int]:
        cutoff = window_start(self.retention_hours * 60)
        counts = {
            "dedup_rows": forget_messages_before(self.engine, CHANNEL, cutoff),
            "outbox_rows": repo.prune_outbox(self.engine, CHANNEL, cutoff),
        }
        if any(counts.values()):
            log.info("wecom retention prune", extra=counts)
        return counts
