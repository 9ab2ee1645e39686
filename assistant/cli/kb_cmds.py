"""CLI commands for the knowledge area: ``kb ingest``, ``kb approve``, ``kb list``, ``kb search``, ``faq``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

kb_app = typer.Typer(help="Knowledge base: ingest, approve, list and search documents.", no_args_is_help=True)


def _store(store: Path | None, settings: Any) -> Path:
    return store if store is not None else settings.resolved_store_dir


def _default_actor() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"[:32]


def _engine(settings: Any):  # noqa: ANN202 - Engine; the registry and audit tables
    from datastore.engine import create_schema, get_engine

    engine = get_engine(settings.resolved_database_url)
    create_schema(engine)
    return engine


@kb_app.command("ingest")
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files (.md .txt .docx .pdf) or directories to ingest."),
    store: Path | None = typer.Option(None, "--store", help="Chroma store directory (default: var/chroma)."),
    as_user: str | None = typer.Option(None, "--as", help="Who is ingesting (recorded; default cli:<OS user>)."),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary."),
) -> None:
    """Ingest documents; unchanged files are skipped, changed ones replaced. Unreadable files are listed.

    Every file must declare its audience. New client-audience documents wait for `kb approve`; passages
    the content screen flags (promises of return, requests for codes/passwords/transfers, embedded
    instructions) are stored blocked and never served."""
    from assistant.audit import record_event
    from assistant.cli.common import console, get_settings, print_json
    from datastore.repositories.kb_docs import record_ingest, record_removed
    from knowledge.ingest import ingest_paths

    settings = get_settings()
    actor = as_user or _default_actor()
    store_dir = _store(store, settings)
    report = ingest_paths(paths, store_dir=store_dir, settings=settings,
                          progress=sys.stderr.isatty() and not json_out, ingested_by=actor)
    refused = [f for f in report.failed if ": refused," in f]
    if report.documents or report.removed or refused:
        engine = _engine(settings)
        key = str(Path(store_dir).resolve())
        record_ingest(engine, key, report.documents, by=actor)
        record_removed(engine, key, report.removed)
        for d in report.documents:
            record_event(engine, actor=actor, action="kb.ingest", target=d.source[-128:],
                         detail={"sha256": d.sha256, "audience": d.audience, "status": d.status,
                                 "blocked_passages": len(d.blocked)})
        for f in refused:
            record_event(engine, actor=actor, action="kb.ingest", target=f.split(": refused,")[0][-128:],
                         detail={"reason": f.split(": refused,", 1)[1].strip()[:200]}, outcome="denied")
    summary = {**report.as_dict(), "seconds": round(report.seconds, 2)}
    if json_out:
        print_json(summary)
    else:
        console.print(f"added {summary['added']} file(s) ({summary['chunks']} chunks), unchanged {summary['unchanged']}, "
                      f"removed {summary['removed']} in {summary['seconds']} s")
        for name in report.failed:
            console.print(f"[yellow]skipped[/] {name}", highlight=False)
        for name in report.blocked:
            console.print(f"[red]blocked passage[/] {name}", highlight=False)
        if report.pending:
            console.print(f"{len(report.pending)} client document(s) wait for approval: "
                          "`wealthdesk kb list --pending`, then `wealthdesk kb approve DOC --as ADMIN`")
    if report.failed and not (report.added or report.unchanged):
        raise typer.Exit(2)


APPROVER_ROLES = ("admin", "compliance")


@kb_app.command("approve")
def approve_cmd(
    doc: str = typer.Argument(..., help="Document source as shown by `kb list --pending` (or its path)."),
    as_user: str = typer.Option(..., "--as", help="An active admin (or compliance) user id."),
    sha256: str | None = typer.Option(None, "--sha256", help="Approve only if the stored version has this hash (prefix)."),
    store: Path | None = typer.Option(None, "--store", help="Chroma store directory (default: var/chroma)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Approve a client-audience document for clients (FAQ, client channel). Blocked passages stay blocked."""
    from assistant.audit import record_event
    from assistant.cli.common import console, get_settings, print_json
    from assistant.errors import Forbidden
    from datastore.repositories.kb_docs import record_approval
    from datastore.repositories.users import get_user
    from knowledge.governance import approve

    settings = get_settings()
    engine = _engine(settings)
    user = get_user(engine, as_user)
    if user is None or not user.active or user.role not in APPROVER_ROLES:
        record_event(engine, actor=as_user[:32], action="kb.approve", target=doc[-128:],
                     detail={"reason": "not an active admin/compliance user"}, outcome="forbidden")
        raise Forbidden(f"{as_user!r} may not approve documents", field="--as",
                        hint="approve as an active admin user (`wealthdesk users add NAME --role admin`)")
    store_dir = _store(store, settings)
    status = approve(store_dir, doc, by=user.id, settings=settings, expected_sha256=sha256)
    record_approval(engine, str(Path(store_dir).resolve()), status.source, status.sha256, by=user.id)
    record_event(engine, actor=user.id, action="kb.approve", target=status.source[-128:],
                 detail={"sha256": status.sha256, "blocked_passages": status.blocked})
    if json_out:
        print_json({"source": status.source, "status": status.status, "sha256": status.sha256,
                    "approved_by": user.id, "blocked_passages": status.blocked})
        return
    console.print(f"approved {status.source} ({status.sha256[:12]}…) for clients as {user.id}", highlight=False)
    if status.blocked:
        console.print(f"[yellow]{status.blocked} passage(s) stay blocked by the content screen[/]")


@kb_app.command("list")
def list_cmd(
    pending: bool = typer.Option(False, "--pending", help="Only client documents waiting for approval."),
    store: Path | None = typer.Option(None, "--store", help="Chroma store directory (default: var/chroma)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Documents in the knowledge base with audience, status, hash, who ingested/approved, blocked passages."""
    from rich.table import Table

    from assistant.cli.common import console, get_settings, print_json
    from knowledge.governance import documents

    settings = get_settings()
    docs = [d for d in documents(_store(store, settings), settings) if not pending or d.status == "pending"]
    if json_out:
        print_json([{"source": d.source, "title": d.title, "audience": d.audience, "doc_type": d.doc_type,
                     "status": d.status, "sha256": d.sha256, "ingested_by": d.ingested_by,
                     "approved_by": d.approved_by, "chunks": d.chunks, "blocked_passages": d.blocked,
                     "screen": list(d.screen)} for d in docs])
        return
    table = Table("source", "audience", "status", "sha256", "ingested by", "approved by", "blocked")
    for d in docs:
        table.add_row(d.source, d.audience, d.status, d.sha256[:12], d.ingested_by, d.approved_by, str(d.blocked or ""))
    console.print(table)


@kb_app.command("search")
def search_cmd(
    query: str = typer.Argument(..., help="Question or keywords, Chinese or English."),
    store: Path | None = typer.Option(None, "--store", help="Chroma store directory (default: var/chroma)."),
    k: int = typer.Option(5, "-k", "--top", min=1, max=50, help="Number of passages."),
    audience: str | None = typer.Option(None, "--audience", help="client | internal"),
    doc_type: str | None = typer.Option(None, "--type", help="product | policy | faq | research"),
    product: str | None = typer.Option(None, "--product", help="Only passages mentioning this product code."),
    json_out: bool = typer.Option(False, "--json", help="Print passages as JSON."),
) -> None:
    """Hybrid (dense + BM25) search with citations."""
    from assistant.cli.common import console, get_settings, print_json
    from knowledge.retrieval import search

    settings = get_settings()
    passages = search(query, store_dir=_store(store, settings), k=k, audience=audience, doc_type=doc_type,
                      product_code=product, settings=settings)
    if json_out:
        print_json([{**p.model_dump(), "citation": p.citation()} for p in passages])
        return
    if not passages:
        console.print("no passages found")
    for i, p in enumerate(passages, 1):
        console.print(f"[bold]{i}. {p.citation()}[/]  score {p.score:.4f}  [{p.doc_type}/{p.audience}]", highlight=False)
        console.print(p.text[:300] + ("…" if len(p.text) > 300 else ""), highlight=False)


def faq_cmd(
    question: str = typer.Argument(..., help="A client's question."),
    store: Path | None = typer.Option(None, "--store", help="Chroma store directory (default: var/chroma)."),
    json_out: bool = typer.Option(False, "--json", help='Print {"answer","citations","confidence","handoff"}.'),
) -> None:
    """Answer a client FAQ from client-facing documents, with citations; hands off when unsure."""
    from assistant.cli.common import console, get_settings, print_json
    from knowledge.faq import answer_faq

    settings = get_settings()
    llm = None
    if settings.effective_llm_mode == "openai":  # offline mode answers extractively, no model needed
        from assistant.models import build_model

        llm = build_model(settings)
    ans = answer_faq(question, store_dir=_store(store, settings), settings=settings, llm=llm)
    if json_out:
        print_json(ans.model_dump())
        return
    console.print(ans.answer, highlight=False)
    console.print(f"[dim]confidence {ans.confidence:.2f}{' · handed off' if ans.handoff else ''}[/]")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.add_typer(kb_app, name="kb")
    app.command("faq")(faq_cmd)
