"""CLI commands for the service area: ``serve``, ``mcp --stdio`` and
``users add|key|revoke|deactivate|activate|show|list``."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.common import console, get_settings, print_json

users_app = typer.Typer(help="Users and API keys of the HTTP API.", no_args_is_help=True)


def _engine():  # noqa: ANN202 - Engine, imported lazily so `--help` stays fast
    from datastore.engine import create_schema, get_engine

    engine = get_engine(get_settings().resolved_database_url)
    create_schema(engine)
    return engine


def _audit(engine, action: str, target: str, **detail: object) -> None:  # noqa: ANN001
    import getpass

    from assistant.audit import record_event

    record_event(engine, actor=f"cli:{getpass.getuser()}"[:32], action=action, target=target, detail=detail or None)


def serve(
    host: Annotated[
        str | None, typer.Option(help="Bind address (default from WEALTHDESK_HOST, 127.0.0.1)")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from WEALTHDESK_PORT, 8000)")] = None,
) -> None:
    """Start the HTTP API (OpenAPI docs at /docs, health at /healthz). Ctrl-C finishes running report jobs first."""
    import uvicorn

    from assistant.api import create_app
    from assistant.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    app = create_app(settings)
    console.print(f"WealthDesk API on http://{host or settings.host}:{port or settings.port}  (docs: /docs)")
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=30,
    )


@users_app.command("add")
def users_add(
    user_id: Annotated[str, typer.Argument(help="RM id (e.g. RM001) or an admin name")],
    role: Annotated[
        str, typer.Option("--role", help="rm | admin | client_channel (FAQ/knowledge only: /api/faq, /mcp)")
    ] = "rm",
    wecom_user: Annotated[
        str | None, typer.Option("--wecom-user", help="WeCom userid to link (企业微信账号)")
    ] = None,
    expires_days: Annotated[
        float | None, typer.Option("--expires-days", help="The key stops working after N days")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Create a user and print a new API key ONCE (only its SHA-256 hash is stored)."""
    from assistant.errors import InvalidInput
    from datastore.repositories.users import add_user, issue_key

    if expires_days is not None and expires_days <= 0:  # checked before the user is created
        raise InvalidInput("expiry must be a positive number of days", field="--expires-days", hint="e.g. 90")
    engine = _engine()
    user = add_user(engine, user_id, role, wecom_user_id=wecom_user)
    key = issue_key(engine, user.id, expires_days=expires_days)
    _audit(engine, "user.add", user.id, role=user.role, wecom_linked=bool(user.wecom_user_id))
    _audit(engine, "key.issue", user.id, prefix=key[:12], expires_days=expires_days)
    if json_out:
        print_json({"user": user.model_dump(), "api_key": key})
        return
    console.print(
        f"created {user.role} user [bold]{user.id}[/]"
        + (f" (WeCom {user.wecom_user_id})" if user.wecom_user_id else "")
    )
    console.print("API key (shown once, store it now):")
    typer.echo(key)


@users_app.command("key")
def users_key(
    user_id: Annotated[str, typer.Argument(help="Existing user id")],
    expires_days: Annotated[
        float | None, typer.Option("--expires-days", help="The key stops working after N days")
    ] = None,
) -> None:
    """Issue an additional API key for an existing user (printed once)."""
    from datastore.repositories.users import issue_key

    engine = _engine()
    key = issue_key(engine, user_id, expires_days=expires_days)
    _audit(engine, "key.issue", user_id, prefix=key[:12], expires_days=expires_days)
    typer.echo(key)


@users_app.command("revoke")
def users_revoke(
    user_id: Annotated[str, typer.Argument(help="User whose keys to revoke")],
    key: Annotated[
        str | None,
        typer.Option("--key", help="Revoke only the key with this 12-character prefix (see `users show`)"),
    ] = None,
) -> None:
    """Revoke every API key of a user, or one key with --key PREFIX. Servers stop accepting it within 2 s."""
    from datastore.repositories.users import revoke_keys

    engine = _engine()
    n = revoke_keys(engine, user_id, prefix=key)
    _audit(engine, "key.revoke", user_id, keys=n, prefix=key)
    console.print(f"revoked {n} key(s) of {user_id}")


@users_app.command("deactivate")
def users_deactivate(
    user_id: Annotated[str, typer.Argument(help="User to stop")],
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Stop a user at once: every API key revoked, WeCom messages refused, queued report jobs cancelled."""
    from datastore.repositories.users import deactivate_user

    engine = _engine()
    done = deactivate_user(engine, user_id)
    _audit(engine, "user.deactivate", user_id, **done)
    if json_out:
        print_json({"user": user_id, **done})
        return
    console.print(
        f"deactivated {user_id}: {done['keys_revoked']} key(s) revoked, "
        f"{done['jobs_cancelled']} queued report job(s) cancelled; WeCom messages are refused"
    )


@users_app.command("activate")
def users_activate(user_id: Annotated[str, typer.Argument(help="Deactivated user to re-enable")]) -> None:
    """Re-enable a user. Old keys stay revoked: issue a new one with `users key`."""
    from datastore.repositories.users import activate_user

    engine = _engine()
    activate_user(engine, user_id)
    _audit(engine, "user.activate", user_id)
    console.print(f"activated {user_id}; issue a key with `wealthdesk users key {user_id}`")


@users_app.command("show")
def users_show(
    user_id: Annotated[str, typer.Argument(help="User id")],
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A user's keys: prefix, created, expiry and status (never the key itself)."""
    from rich.table import Table

    from datastore.repositories.users import list_keys

    keys = list_keys(_engine(), user_id)
    if json_out:
        print_json(keys)
        return
    table = Table("prefix", "created", "expires", "status")
    for k in keys:
        table.add_row(str(k["prefix"]), str(k["created_at"]), str(k["expires_at"] or "never"), str(k["status"]))
    console.print(table)


@users_app.command("list")
def users_list(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List users, roles, linked WeCom ids and their number of active keys (never the keys)."""
    from rich.table import Table

    from datastore.repositories.users import list_users

    engine = _engine()
    rows = list_users(engine)
    _audit(engine, "admin.read", "users", rows=len(rows))
    if json_out:
        print_json(rows)
        return
    table = Table("id", "role", "rm_id", "wecom", "active", "keys")
    for r in rows:
        table.add_row(
            str(r["id"]),
            str(r["role"]),
            str(r["rm_id"] or ""),
            str(r["wecom_user_id"] or ""),
            "yes" if r["active"] else "no",
            str(r["keys"]),
        )
    console.print(table)


def mcp(
    stdio: Annotated[bool, typer.Option("--stdio", help="Serve MCP over stdin/stdout (for a local MCP host)")] = False,
    as_user: Annotated[
        str | None, typer.Option("--as", help="Identity of the host: an RM id (RM001), admin, or client_channel")
    ] = None,
) -> None:
    """MCP server for local hosts (Claude Desktop, Cursor …) over stdio. Over HTTP, `serve` already serves
    MCP at /mcp with the API keys."""
    from core.errors import InvalidInput

    if not stdio:
        raise InvalidInput("only the stdio transport is started by this command", field="--stdio",
                           hint="run `wealthdesk mcp --stdio --as RM001`; over HTTP use `wealthdesk serve` (/mcp)")
    if not as_user:
        raise InvalidInput("--as is required with --stdio", field="--as", hint="e.g. --as RM001")
    from assistant.access import Caller
    from assistant.channels.mcp_server.stdio import run_stdio
    from assistant.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)  # logs go to stderr; stdout carries only the protocol
    caller = (Caller.client_channel() if as_user.strip().lower().replace("-", "_") == "client_channel"
              else Caller.from_cli(as_user))
    run_stdio(_engine(), settings, caller)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("serve")(serve)
    app.command("mcp")(mcp)
    app.add_typer(users_app, name="users")
