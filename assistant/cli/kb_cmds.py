"""CLI commands for the knowledge area: ``kb ingest``, ``kb search``, ``faq``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

kb_app = typer.Typer(help="Knowledge base: ingest documents, search them.", no_args_is_help=True)


def _store(store: Path | None, settings: Any) -> Path:
    return store if store is not None else settings.resolved_store_dir


@kb_app.command("ingest")
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files (.md .txt .docx .pdf) or directories to ingest."),
    store: Path | None = typer.Option(None, "--store", help="Chroma store directory (default: var/chroma)."),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary."),
) -> None:
    """Ingest documents; unchanged files are skipped, changed ones replaced. Unreadable files are listed."""
    from assistant.cli.common import console, get_settings, print_json
    from knowledge.ingest import ingest_paths

    settings = get_settings()
    report = ingest_paths(paths, store_dir=_store(store, settings), settings=settings,
                          progress=sys.stderr.isatty() and not json_out)
    summary = {**report.as_dict(), "seconds": round(report.seconds, 2)}
    if json_out:
        print_json(summary)
    else:
        console.print(f"added {summary['added']} file(s) ({summary['chunks']} chunks), unchanged {summary['unchanged']}, "
                      f"removed {summary['removed']} in {summary['seconds']} s")
        for name in report.failed:
            console.print(f"[yellow]skipped[/] {name}", highlight=False)
    if report.failed and not (report.added or report.unchanged):
        raise typer.Exit(2)


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
