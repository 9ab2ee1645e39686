"""The ``wealthdesk`` command line. Each area registers its commands from its own module.

Exit codes: 0 ok, 2 bad input, 3 forbidden (not your client), 1 anything else.
"""

from __future__ import annotations

import sys

import typer

from assistant.cli import (
    agent_cmds,
    analytics_cmds,
    audit_cmds,
    batch_cmds,
    data_cmds,
    kb_cmds,
    privacy_cmds,
    report_cmds,
    service_cmds,
)

app = typer.Typer(
    name="wealthdesk",
    help="WealthDesk: AI copilot for bank wealth managers (理财经理).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (data_cmds, analytics_cmds, kb_cmds, agent_cmds, report_cmds, service_cmds, audit_cmds,
                privacy_cmds, batch_cmds):
    _module.register(app)


def main() -> None:
    """Console-script entry: domain errors become a one-line message and their exit code, never a traceback."""
    from assistant.cli.common import run_app

    sys.exit(run_app(app))
