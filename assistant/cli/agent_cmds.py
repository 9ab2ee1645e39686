"""CLI commands for the agent area: ``ask`` (one question) and ``chat`` (interactive session)."""

from __future__ import annotations

import typer


def _runtime(as_user: str):  # noqa: ANN202 - (caller, engine, settings), imported lazily to keep --help fast
    from assistant.access import Caller
    from assistant.cli.common import get_settings
    from datastore.engine import create_schema, get_engine

    settings = get_settings()
    engine = get_engine(settings.resolved_database_url)
    create_schema(engine)  # sessions/audit tables exist even before `wealthdesk init`
    return Caller.from_cli(as_user), engine, settings


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""

    @app.command("ask")
    def ask_cmd(
        question: str = typer.Argument(..., help="The question, in Chinese or English."),
        as_user: str = typer.Option(..., "--as", help="Who is asking: an RM id (RM001) or admin."),
        json_out: bool = typer.Option(False, "--json", help="Print answer, tool_calls, citations, ungrounded_numbers."),
        session: str | None = typer.Option(None, "--session", help="Session id to continue a conversation."),
    ) -> None:
        """Ask the agent one question (offline planner unless an LLM endpoint is configured)."""
        from assistant.agent import ask
        from assistant.cli.common import console, print_json

        caller, engine, settings = _runtime(as_user)
        result = ask(question, caller=caller, engine=engine, settings=settings, session_id=session)
        if json_out:
            print_json(result.model_dump(include={"answer", "tool_calls", "citations", "ungrounded_numbers",
                                                  "session_id", "attachments"}))
        else:
            console.print(result.answer, markup=False, highlight=False)
            if result.ungrounded_numbers:
                console.print(f"[yellow]unverified numbers:[/] {', '.join(result.ungrounded_numbers)}")
            console.print(f"[dim]session {result.session_id}[/]")
        if result.refused:  # not your client: exit 3 like every other command
            raise typer.Exit(3)

    @app.command("chat")
    def chat_cmd(
        as_user: str = typer.Option(..., "--as", help="Who is asking: an RM id (RM001) or admin."),
        session: str | None = typer.Option(None, "--session", help="Session id to continue."),
    ) -> None:
        """Interactive chat; follow-ups remember the client. Empty line, 'exit' or Ctrl-D to quit."""
        from assistant.agent import ask
        from assistant.cli.common import console
        from assistant.errors import Forbidden, InvalidInput

        caller, engine, settings = _runtime(as_user)
        streaming = settings.effective_llm_mode == "openai"
        console.print(f"[bold]WealthDesk[/] ({settings.effective_llm_mode} mode) — {caller.user_id}")
        sid = session
        while True:
            try:
                line = console.input("[bold cyan]> [/]").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if not line or line.lower() in {"exit", "quit", "q"}:
                break

            def _echo(piece: str) -> None:
                console.print(piece, end="", markup=False, highlight=False)

            try:
                res = ask(line, caller=caller, engine=engine, settings=settings, session_id=sid,
                          stream=_echo if streaming else None)
            except (InvalidInput, Forbidden) as exc:
                console.print(f"[red]{exc}[/]")
                continue
            sid = res.session_id
            if streaming:
                console.print()
            else:
                console.print(res.answer, markup=False, highlight=False)
            if res.ungrounded_numbers:
                console.print(f"[yellow]unverified numbers:[/] {', '.join(res.ungrounded_numbers)}")
