"""CLI commands for the audit trail: ``audit verify``, ``audit export --since DATE``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from assistant.cli.common import console, err_console, get_settings, print_json

audit_app = typer.Typer(help="Tamper-evident audit log: verify the chain, export rows.", no_args_is_help=True)


def _engine():  # noqa: ANN202 - Engine, imported lazily so `--help` stays fast
    from datastore.engine import create_schema, get_engine

    engine = get_engine(get_settings().resolved_database_url)
    create_schema(engine)
    return engine


@audit_app.command("verify")
def verify_cmd(json_out: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False) -> None:
    """Check every row's HMAC link and the signed checkpoints; exit 0 intact, 1 naming the first bad row.

    An intact log gets a new signed checkpoint, so later truncation below this point is caught too."""
    from assistant import audit

    engine = _engine()
    report = audit.verify(engine, checkpoint=True)
    if report.ok:
        audit.record_event(engine, actor="cli", action="audit.verify", detail={"rows": report.rows})
    if json_out:
        print_json({"ok": report.ok, "rows": report.rows, "first_bad_id": report.first_bad_id,
                    "reason": report.reason})
    elif report.ok:
        console.print(f"audit log intact: {report.rows} row(s), chain and checkpoints verified")
    else:
        where = f"first bad row: {report.first_bad_id}; " if report.first_bad_id is not None else ""
        err_console.print(f"[bold red]audit log BROKEN:[/] {where}{report.reason}", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


def _parse_since(text: str) -> datetime:
    from assistant.errors import InvalidInput

    try:
        return datetime.fromisoformat(text) if "T" in text or " " in text else datetime.combine(
            date.fromisoformat(text), datetime.min.time())
    except ValueError:
        raise InvalidInput(f"--since {text!r} is not a date", field="--since",
                           hint="use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)") from None


@audit_app.command("export")
def export_cmd(
    since: Annotated[str, typer.Option("--since", help="First day (UTC), YYYY-MM-DD[THH:MM]")],
    json_out: Annotated[bool, typer.Option("--json", help="JSON array instead of a table")] = False,
) -> None:
    """Print the audit rows from a date on (the digests are keyed: they prove, they do not reveal)."""
    from rich.table import Table

    from assistant import audit
    from datastore.repositories.audit import audit_since

    engine = _engine()
    rows = audit_since(engine, _parse_since(since))
    audit.record_event(engine, actor="cli", action="audit.export", detail={"since": since, "rows": len(rows)})
    if json_out:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    table = Table("id", "at (UTC)", "actor", "action", "target", "outcome")
    for r in rows:
        table.add_row(str(r.id), r.at.isoformat(timespec="seconds"), r.actor, r.tool, r.target or "", r.outcome)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.add_typer(audit_app, name="audit")
