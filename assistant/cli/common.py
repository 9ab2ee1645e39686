"""Shared CLI plumbing: settings at the entry point, error → exit code, JSON and rich output."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import WealthDeskError, exit_code

console = Console()
err_console = Console(stderr=True)


def run_app(app: typer.Typer, argv: list[str] | None = None) -> int:
    try:
        rv = app(args=argv, standalone_mode=False)
        if isinstance(rv, int):  # click returns typer.Exit(n)'s code instead of raising without standalone mode
            return rv
    except WealthDeskError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, markup=True)
        return exit_code(exc)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 1
    except SQLAlchemyError as exc:
        err_console.print(f"[bold red]error:[/] {escape(database_error_message(exc))}", highlight=False)
        return 1
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return 2 if isinstance(exc, click.UsageError) else exc.exit_code
        raise
    return 0


def database_error_message(exc: SQLAlchemyError) -> str:
    """One line for a database failure, with the fix; never the SQL or a traceback."""
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    if "no such table" in detail or "does not exist" in detail:
        return "the database has no WealthDesk tables yet (run `wealthdesk init`, or check WEALTHDESK_DATABASE_URL)"
    return f"database error: {detail} (check WEALTHDESK_DATABASE_URL and that the database is reachable)"


def _default(o: Any) -> Any:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if hasattr(o, "model_dump"):
        return o.model_dump(mode="json")
    if hasattr(o, "item"):  # numpy scalars
        return o.item()
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def print_json(payload: Any) -> None:
    """Stable machine-readable output: UTF-8, sorted keys off (schema order), ISO dates."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=_default) + "\n")


def get_settings():  # noqa: ANN201 - imported lazily to keep `--help` fast
    from assistant.security_setup import configure_process
    from assistant.settings import get_settings as _get

    settings = _get()
    configure_process(settings)  # owner-only files, the PII and audit keys every command uses
    return settings
