"""Retention (PIPL 个人信息保护法 art. 19: keep personal data no longer than needed): delete old
conversations, finished report jobs with their files, and channel dedup rows.

``purge_before(engine, cutoff, reports_dir=...)`` deletes, in one transaction:
- messages created before ``cutoff``, and sessions last updated before it (with any messages left);
- report jobs that finished (done/failed) before it, and their generated files — only files inside
  ``reports_dir``, so a tampered ``file_path`` cannot make the purge delete anything else;
- channel message ids received before it.
Queued or running jobs are never touched. The audit log is not purged here (it holds no personal data:
digests are keyed, details carry ids and counts).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select

from datastore.schema import ChannelMessage, ChatMessage, ChatSession, ReportJob


def purge_before(engine: Engine, cutoff: datetime, *, reports_dir: Path | None = None,
                 dry_run: bool = False) -> dict[str, Any]:
    """Delete rows older than ``cutoff`` (naive UTC); returns counts per kind (see the module docstring)."""
    cutoff = cutoff.replace(tzinfo=None)
    root = reports_dir.resolve() if reports_dir is not None else None
    with engine.begin() as conn:
        old_sessions = list(conn.execute(select(ChatSession.id).where(ChatSession.updated_at < cutoff)).scalars())
        msg_filter = ChatMessage.created_at < cutoff
        n_messages = len(list(conn.execute(select(ChatMessage.id).where(msg_filter)).scalars()))
        jobs = conn.execute(select(ReportJob.id, ReportJob.file_path).where(
            ReportJob.updated_at < cutoff, ReportJob.status.in_(("done", "failed")))).all()
        n_dedup = len(list(conn.execute(select(ChannelMessage.msg_id).where(ChannelMessage.received_at < cutoff))
                           .scalars()))
        files: list[Path] = []
        for _jid, fp in jobs:
            if not fp or root is None:
                continue
            p = Path(fp).resolve()
            for candidate in (p, p.with_suffix(".pdf")):
                if candidate.is_file() and candidate.is_relative_to(root):
                    files.append(candidate)
        if not dry_run:
            conn.execute(delete(ChatMessage).where(msg_filter))
            if old_sessions:
                conn.execute(delete(ChatMessage).where(ChatMessage.session_id.in_(old_sessions)))
                conn.execute(delete(ChatSession).where(ChatSession.id.in_(old_sessions)))
            if jobs:
                conn.execute(delete(ReportJob).where(ReportJob.id.in_([j for j, _ in jobs])))
            conn.execute(delete(ChannelMessage).where(ChannelMessage.received_at < cutoff))
    removed = 0
    if not dry_run:  # after the commit: a crash leaves an orphan file, never a row pointing at nothing
        for f in files:
            try:
                f.unlink()
                removed += 1
            except FileNotFoundError:
                pass
    return {"cutoff": cutoff.isoformat(timespec="seconds"), "messages": n_messages, "sessions": len(old_sessions),
            "reports": len(jobs), "report_files": removed if not dry_run else len(files), "dedup": n_dedup,
            "dry_run": dry_run}
