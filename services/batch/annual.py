"""The annual wealth report (年度财富报告) for every client of a partition: one client-facing .docx per
client from ``services.proposal.proposal_content(variant="client")``, laid out by
``reports.layout_annual`` and grounded (every number from the content).

Idempotent by content hash: next to ``<client>.docx`` sits ``<client>.docx.sha256``; when the content's
hash equals it (and the file exists) the client is ``skipped``. A client whose report fails (no holdings,
grounding, bad data) is ``failed`` with the message; the other clients go on.

Reports read the database (transactions, NAV history, index levels), so executors connect to
``ctx.database_url`` themselves, and write under ``ctx.reports_dir`` (a shared filesystem on a cluster).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import ConfigurationError, WealthDeskError
from core.identity import Caller
from datastore.engine import get_engine
from reports.layout_annual import content_hash, render_annual
from services.batch import schema
from services.batch.context import BatchContext
from services.proposal import proposal_content

BATCH_CALLER = Caller.admin("batch")  # the nightly job reads every selected client; it is not an RM


def report_path(reports_dir: Path, rm_id: str, client_id: str, year: int) -> Path:
    return reports_dir / rm_id / f"{client_id}-annual-{year}.docx"


def _one(engine: Any, rm: str, cid: str, ctx: BatchContext, root: Path) -> dict[str, Any]:
    content = proposal_content(engine, BATCH_CALLER, cid, ctx.lang, variant="client",  # type: ignore[arg-type]
                               policy=ctx.policy)
    digest = content_hash(content)
    out = report_path(root, rm, cid, content.as_of.year)
    stamp = out.with_name(out.name + ".sha256")
    row = {"rm_id": rm, "client_id": cid, "path": str(out), "content_hash": digest}
    if out.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
        return {**row, "status": "skipped"}
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    render_annual(content, tmp)
    os.replace(tmp, out)  # atomic: a reader never sees half a file, a crash leaves the old one
    stamp.write_text(digest + "\n", encoding="utf-8")
    return {**row, "status": "rendered"}


def reports_partition(clients: pd.DataFrame, ctx: BatchContext) -> pd.DataFrame:
    """One row per client of the partition (``schema.REPORTS``): rendered | skipped | failed."""
    if not ctx.database_url or not ctx.reports_dir:
        raise ConfigurationError("the reports batch needs a database URL and an output folder")
    engine = get_engine(ctx.database_url)
    root = Path(ctx.reports_dir)
    rows = []
    for cid, rm in sorted(zip(clients["client_id"].astype(str), clients["rm_id"].astype(str), strict=True)):
        try:
            rows.append(_one(engine, rm, cid, ctx, root))
        except WealthDeskError as exc:  # a report that cannot be built is listed, not fatal
            rows.append({"rm_id": rm, "client_id": cid, "status": "failed", "error": str(exc)})
        except Exception as exc:  # noqa: BLE001 - same: one client's failure must not stop the others
            rows.append({"rm_id": rm, "client_id": cid, "status": "failed", "error": f"{type(exc).__name__}: {exc}"})
    out = pd.DataFrame(rows)
    return schema.conform(out.assign(seq=range(len(out))) if len(out) else out, schema.REPORTS)
