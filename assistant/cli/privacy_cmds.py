"""CLI commands for personal-data protection: ``purge`` (retention) and ``pii new-key|rotate-key``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from assistant.cli.common import console, get_settings, print_json

pii_app = typer.Typer(help="Encryption of ID and mobile numbers at rest (AES-256-GCM).", no_args_is_help=True)


def _engine():  # noqa: ANN202 - Engine, imported lazily so `--help` stays fast
    from datastore.engine import create_schema, get_engine

    engine = get_engine(get_settings().resolved_database_url)
    create_schema(engine)
    return engine


def _actor() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"[:32]


def purge(
    older_than: Annotated[int | None, typer.Option("--older-than", min=0,
                                                   help="Days to keep (default WEALTHDESK_RETENTION_DAYS).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be deleted, delete nothing.")] = False,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Delete conversations, finished reports (and their files) and WeCom dedup rows older than the
    retention period (PIPL: personal data is kept no longer than needed)."""
    from assistant.audit import record_event
    from datastore.repositories.retention import purge_before

    settings = get_settings()
    days = settings.retention_days if older_than is None else older_than
    engine = _engine()
    cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days)
    res = purge_before(engine, cutoff, reports_dir=settings.resolved_reports_dir, dry_run=dry_run)
    record_event(engine, actor=_actor(), action="data.purge", detail={**res, "days": days})
    if json_out:
        print_json({**res, "days": days})
        return
    verb = "would delete" if dry_run else "deleted"
    console.print(f"{verb} (older than {days} days, before {res['cutoff']} UTC): {res['messages']} messages, "
                  f"{res['sessions']} sessions, {res['reports']} reports ({res['report_files']} files), "
                  f"{res['dedup']} channel dedup rows")


@pii_app.command("new-key")
def new_key(kid: Annotated[str | None, typer.Option("--kid", help="Key id (default kYYYYMMDD).")] = None) -> None:
    """Print a fresh `kid:base64key` entry for WEALTHDESK_PII_KEY (store it in your secret store)."""
    from datastore.crypto import new_key_spec

    typer.echo(new_key_spec(kid))


@pii_app.command("rotate-key")
def rotate_key(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Re-encrypt every ID and mobile number with the current (first) key of WEALTHDESK_PII_KEY.

    Put the new key first and keep the old one after it, run this, then drop the old key."""
    from assistant.audit import record_event
    from datastore.repositories.pii import reencrypt_clients

    engine = _engine()
    res = reencrypt_clients(engine)
    record_event(engine, actor=_actor(), action="pii.rotate_key", detail=res)
    if json_out:
        print_json(res)
        return
    console.print(f"re-encrypted {res['reencrypted']} of {res['clients']} clients with key {res['key_id']!r} "
                  f"(key ids before: {res['before']})")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("purge")(purge)
    app.add_typer(pii_app, name="pii")
