"""CLI commands for the report area: ``wealthdesk report proposal`` and ``wealthdesk report due-diligence``.

Both write a .docx; ``--pdf`` also converts it with LibreOffice (exit 1 with a clear message when soffice
is not installed — the .docx is still written); ``--json`` prints the path, sections, figures used and
``ungrounded_numbers`` (always empty: an ungrounded number blocks the document with exit 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from assistant.cli.common import console, get_settings, print_json

report_app = typer.Typer(
    help="Generate reports: client proposal (资产配置建议书), due diligence (尽职调查报告).",
    no_args_is_help=True,
)

LANG = typer.Option("zh", "--lang", help="zh | en")
PDF = typer.Option(False, "--pdf", help="Also convert to PDF with LibreOffice (soffice).")
JSON = typer.Option(False, "--json", help="Print a machine-readable summary.")


def _engine_and_llm() -> tuple[Any, Any, Any]:
    """Engine, settings and the commentary model from the environment (None = offline templates, else the
    OpenAI-compatible endpoint configured in settings)."""
    from assistant.models import report_llm
    from datastore.engine import get_engine

    settings = get_settings()
    return get_engine(settings.resolved_database_url), settings, report_llm(settings)


def _check_lang(lang: str) -> str:
    from core.errors import InvalidInput

    if lang not in ("zh", "en"):
        raise InvalidInput(f"unsupported language {lang!r}", field="--lang", hint="zh or en")
    return lang


def _finish(result: Any, pdf: bool, as_json: bool) -> None:
    """Optionally convert to PDF, then print. A missing soffice exits 1 after reporting the docx."""
    from core.errors import ConfigurationError
    from reports.pdf import to_pdf

    pdf_error: ConfigurationError | None = None
    if pdf:
        try:
            result.pdf_path = to_pdf(result.path)
        except ConfigurationError as exc:
            pdf_error = exc
    if as_json:
        payload = {
            "path": str(result.path),
            "pdf_path": str(result.pdf_path) if result.pdf_path else None,
            "sections": result.sections,
            "figures": [f.model_dump(mode="json") for f in result.figures],
            "ungrounded_numbers": result.ungrounded_numbers,
        }
        if pdf_error:
            payload["pdf_error"] = str(pdf_error)
        print_json(payload)
    else:
        console.print(f"wrote {result.path} ({len(result.sections)} sections, {len(result.figures)} figures)")
        if result.pdf_path:
            console.print(f"wrote {result.pdf_path}")
    if pdf_error:
        # raised after the summary so the docx path is still reported; run_app prints it and exits 1
        raise pdf_error


@report_app.command("proposal")
def proposal_cmd(
    client: str = typer.Option(..., "--client", help="Client id, e.g. C0001."),
    as_user: str = typer.Option(..., "--as", help="Your RM id (e.g. RM001) or admin."),
    out: Path = typer.Option(..., "--out", help="Output .docx path."),
    lang: str = LANG,
    variant: str = typer.Option(
        "internal", "--variant", help="internal (仅供内部参考) | client (客户版, no PII)"
    ),
    pdf: bool = PDF,
    as_json: bool = JSON,
    unmask_pii: bool = typer.Option(
        False, "--unmask-pii", help="Print full ID and mobile numbers (audited); default: last 4 digits only."
    ),
) -> None:
    """Client allocation proposal (资产配置建议书)."""
    from assistant.access import Caller
    from core.errors import InvalidInput
    from services.proposal import build_proposal

    if variant not in ("internal", "client"):
        raise InvalidInput(f"unknown variant {variant!r}", field="--variant", hint="internal or client")
    caller = Caller.from_cli(as_user)
    engine, settings, llm = _engine_and_llm()
    if unmask_pii:  # an explicit choice to print personal numbers is on the audit trail, before the build
        from assistant.audit import record_event

        record_event(engine, actor=caller.user_id, action="report.unmask_pii", target=client.strip().upper(),
                     detail={"report": "proposal", "variant": variant})
    result = build_proposal(
        engine,
        caller,
        client.strip().upper(),
        out,
        lang=_check_lang(lang),  # type: ignore[arg-type]
        variant=variant,
        settings=settings,
        llm=llm,
        unmask_pii=unmask_pii,
    )
    _finish(result, pdf, as_json)


@report_app.command("due-diligence")
def due_diligence_cmd(
    company: str = typer.Option(
        ..., "--company", help="Company name, id (E001) or unified social credit code."
    ),
    scenario: str = typer.Option(..., "--scenario", help="credit | account-opening | change"),
    out: Path = typer.Option(..., "--out", help="Output .docx path."),
    as_user: str = typer.Option("admin", "--as", help="Your RM id or admin (recorded as the author)."),
    lang: str = LANG,
    pdf: bool = PDF,
    as_json: bool = JSON,
) -> None:
    """Corporate due-diligence report (企业尽职调查报告) for a scenario."""
    from assistant.access import Caller
    from services.due_diligence import build_due_diligence

    caller = Caller.from_cli(as_user)
    engine, settings, llm = _engine_and_llm()
    result = build_due_diligence(
        engine,
        caller,
        company,
        scenario,
        out,
        lang=_check_lang(lang),  # type: ignore[arg-type]
        settings=settings,
        llm=llm,
    )
    _finish(result, pdf, as_json)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.add_typer(report_app, name="report")
