"""Ingestion: files → chunks with metadata → embeddings → Chroma.

Idempotent by content hash: each chunk id is a hash of (source, ordinal, chunk text) and every chunk
carries its file's hash, so a file whose hash is unchanged is skipped without embedding anything, and a
changed file has all its old chunks deleted (by source) before the new ones are added. When a
directory is ingested, files that were in the store under it but are gone from disk are removed.

Embedding cost grows with text length (~0.7 ms per token on this CPU), so the dense leg embeds a compact
view of each chunk (title, label, the first ``DENSE_CHARS`` characters; for a FAQ pair that is the
question); BM25 indexes the full text, so nothing is lost for exact terms.

Governance: a file must declare its audience (no default); symbolic links and files resolving outside
the given directory are refused; each chunk records the file's sha256, absolute path, who ingested it
and, for a client-audience file, whether it is approved (``wealthdesk kb approve``; the seed corpus is
approved by ``wealthdesk init``). Every chunk is run through ``knowledge.screen.hazards``; a hit marks
it ``blocked`` and retrieval never returns it. The caller (the CLI) writes the registry row and the
audit event from ``IngestReport.documents``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.chunking import chunk_text
from knowledge.embeddings import make_embedding_function
from knowledge.loaders import AUDIENCE_HINT, AUDIENCE_HINT_TEXT, SUPPORTED, UnreadableFile, load
from knowledge.models import AUDIENCES, DOC_TYPES, Chunk
from knowledge.screen import hazards
from knowledge.store import bump_generation, open_collection
from knowledge.tokenize import is_english, product_codes

DENSE_CHARS = 90
BATCH = 16


@dataclass(frozen=True)
class IngestedDoc:
    """What the registry records about one ingested file version (``datastore.repositories.kb_docs``)."""

    source: str
    path: str
    title: str
    audience: str
    doc_type: str
    sha256: str
    approved: bool
    blocked: tuple[str, ...]  # "section: hits" for each chunk the content screen blocked

    @property
    def status(self) -> str:
        if self.audience != "client":
            return "internal"
        return "approved" if self.approved else "pending"

    @classmethod
    def of(cls, chunks: list[Chunk]) -> IngestedDoc:
        c = chunks[0]
        return cls(source=c.source, path=c.path, title=c.title, audience=c.audience, doc_type=c.doc_type,
                   sha256=c.sha256, approved=c.approved,
                   blocked=tuple(f"{k.section or k.ordinal}: {k.screen}" for k in chunks if k.blocked))


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # sources (new or replaced)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "name: reason"
    chunks: int = 0  # chunks embedded and written
    seconds: float = 0.0  # wall clock
    cpu_seconds: float = 0.0  # this process's CPU time (the machine may be shared)
    documents: list[IngestedDoc] = field(default_factory=list)  # added or newly approved files
    approved: list[str] = field(default_factory=list)  # sources approved by this run (seed corpus)

    @property
    def blocked(self) -> list[str]:
        """"source § section: hits" for every passage the content screen blocked in this run."""
        return [f"{d.source} § {b}" for d in self.documents for b in d.blocked]

    @property
    def pending(self) -> list[str]:
        return [d.source for d in self.documents if d.status == "pending"]

    def as_dict(self) -> dict[str, Any]:
        return {"added": len(self.added), "unchanged": len(self.unchanged), "removed": len(self.removed),
                "failed": list(self.failed), "chunks": self.chunks, "pending_approval": self.pending,
                "blocked": self.blocked}


def source_key(path: Path) -> str:
    """Stable name of a file in the store: relative to the working directory when under it, else absolute."""
    p = path.resolve()
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def dense_view(chunk: Chunk) -> str:
    """The short text the dense model embeds for a chunk (see the module docstring for why short).

    A factsheet section is a key-value list that repeats its title; title plus section name carry its
    meaning for the dense leg, and its codes and figures are matched by BM25 and the code leg.
    """
    if chunk.doc_type == "product":
        return f"{chunk.title} {chunk.section}"
    body = chunk.text
    if chunk.section and body.startswith(chunk.section):
        body = body[len(chunk.section):].lstrip(" ：:（续）")
    return f"{chunk.title} {chunk.section}：{body[:DENSE_CHARS]}"


def file_chunks(path: Path, source: str | None = None, *, ingested_by: str = "",
                approved_by: str | None = None) -> list[Chunk]:
    """Load, chunk and screen one file. Raises ``UnreadableFile`` naming the file (also when it does
    not declare its audience). ``approved_by`` approves a client-audience file at once (the bank's own
    seed corpus at ``wealthdesk init``); otherwise it waits for ``wealthdesk kb approve``."""
    doc = load(path)
    source = source or source_key(path)
    file_hash = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    meta = doc.meta
    doc_type = meta.get("doc_type", "policy").lower()
    if not meta.get("audience"):
        raise UnreadableFile(
            f"{path}: no audience declared (who may read it: client or internal)", field="audience",
            hint=AUDIENCE_HINT.get(path.suffix.lower(), AUDIENCE_HINT_TEXT))
    audience = meta["audience"].lower()
    if doc_type not in DOC_TYPES or audience not in AUDIENCES:
        raise UnreadableFile(f"{path.name}: front matter doc_type={doc_type!r} audience={audience!r}",
                             field="front matter", hint=f"doc_type one of {DOC_TYPES}, audience one of {AUDIENCES}")
    doc_codes = product_codes(meta.get("product_codes", "").replace(",", " "))
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    approved = approved_by is not None and audience == "client"
    chunks: list[Chunk] = []
    for page, text in doc.pages:
        for raw in chunk_text(text, page=page):
            ordinal = len(chunks)
            cid = hashlib.sha256(f"{source}\x00{ordinal}\x00{raw.text}".encode()).hexdigest()[:24]
            codes = list(dict.fromkeys([*doc_codes, *product_codes(raw.text)]))
            hits = hazards(f"{meta['title']}\n{raw.text}")
            chunks.append(Chunk(
                id=cid, text=raw.text, title=meta["title"], source=source, section=raw.section,
                heading=raw.heading, page=raw.page, doc_type=doc_type, audience=audience, product_codes=codes,
                version_date=meta.get("version_date", ""), lang="en" if is_english(raw.text) else "zh",
                file_hash=file_hash, ordinal=ordinal, sha256=sha256, path=str(path.resolve()),
                ingested_by=ingested_by, approved=approved, approved_by=(approved_by or "") if approved else "",
                blocked=bool(hits), screen="; ".join(hits)[:500],
            ))
    return chunks


def chunk_metadata(c: Chunk) -> dict[str, Any]:
    """Chroma metadata (no None values; an empty code list is left out because Chroma rejects [])."""
    md: dict[str, Any] = {
        "title": c.title, "source": c.source, "section": c.section, "heading": c.heading,
        "page": c.page if c.page is not None else -1, "doc_type": c.doc_type, "audience": c.audience,
        "version_date": c.version_date, "lang": c.lang, "file_hash": c.file_hash, "ordinal": c.ordinal,
        "sha256": c.sha256, "path": c.path, "ingested_by": c.ingested_by, "approved": c.approved,
        "approved_by": c.approved_by, "blocked": c.blocked, "screen": c.screen,
    }
    if c.product_codes:
        md["product_codes"] = list(c.product_codes)
    return md


def _refusal(path: Path, root: Path | None) -> str | None:
    """Why ``path`` may not be ingested, or None. A symlink (to a system file, another share…) is
    refused, and so is anything that resolves outside the directory it was found under."""
    if path.is_symlink():
        return f"{path}: refused, it is a symbolic link (copy the real file into the corpus instead)"
    if root is not None:
        real_root = root.resolve()
        try:
            rel = path.relative_to(root)
        except ValueError:
            return f"{path}: refused, it is outside {root}"
        probe = root
        for part in rel.parts[:-1]:  # a symlinked sub-directory is as foreign as a symlinked file
            probe = probe / part
            if probe.is_symlink():
                return f"{path}: refused, {probe} is a symbolic link"
        if not path.resolve().is_relative_to(real_root):
            return f"{path}: refused, it resolves outside {root}"
    return None


def _expand(paths: Sequence[Path | str]) -> tuple[list[tuple[Path, Path | None]], list[str]]:
    """(file, directory it came from or None) pairs, plus names of given files we cannot or may not read."""
    files: list[tuple[Path, Path | None]] = []
    failed: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_symlink():
            failed.append(_refusal(p, None) or "")
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.suffix.lower() not in SUPPORTED or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                why = _refusal(f, p)
                if why:
                    failed.append(why)
                elif f.is_file():
                    files.append((f, p))
        elif p.is_file():
            files.append((p, None))
        else:
            failed.append(f"{p}: no such file or directory")
    return files, failed


def _progress(total: int, enabled: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    err_console = Console(stderr=True)  # progress goes to stderr, like the CLI's messages

    return Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err_console, disable=not enabled, transient=True)


def ingest_paths(paths: Iterable[Path | str], *, store_dir: Path | str, settings: Any = None,
                 progress: bool = False, ingested_by: str = "unknown",
                 approved_by: str | None = None) -> IngestReport:
    """Ingest files and directories into the store at ``store_dir``; see the module docstring.

    ``ingested_by`` is recorded on every chunk; ``approved_by`` (only for the bank's own seed corpus)
    approves client-audience documents at once, also ones already in the store unapproved."""
    t0, c0 = time.perf_counter(), time.process_time()
    report = IngestReport()
    files, report.failed = _expand(list(paths))
    collection = open_collection(store_dir, settings, create=True)
    existing: dict[str, str] = {}
    unapproved: dict[str, list[str]] = {}  # client-audience sources with chunks not approved yet
    got = collection.get(include=["metadatas"])
    for cid, md in zip(got["ids"], got["metadatas"] or [], strict=True):
        existing[str(md["source"])] = str(md["file_hash"])
        if md.get("audience") == "client" and not md.get("approved"):
            unapproved.setdefault(str(md["source"]), []).append(cid)

    pending: list[Chunk] = []
    replace: list[str] = []
    seen: set[str] = set()
    for path, _root in files:
        source = source_key(path)
        seen.add(source)
        try:
            chunks = file_chunks(path, source, ingested_by=ingested_by, approved_by=approved_by)
        except UnreadableFile as exc:
            report.failed.append(f"{exc.message} ({exc.hint})" if exc.hint else exc.message)
            continue
        if not chunks:
            report.failed.append(f"{path.name}: no text found")
            continue
        doc = IngestedDoc.of(chunks)
        if existing.get(source) == chunks[0].file_hash:
            report.unchanged.append(source)
            if approved_by is not None and unapproved.get(source):
                collection.update(ids=unapproved[source], metadatas=[
                    {"approved": True, "approved_by": approved_by} for _ in unapproved[source]])
                report.approved.append(source)
                report.documents.append(doc)
            continue
        if source in existing:
            replace.append(source)
        report.added.append(source)
        report.documents.append(doc)
        if doc.approved:
            report.approved.append(source)
        pending.extend(chunks)

    roots = {source_key(root) for _, root in files if root is not None}
    roots |= {source_key(Path(p)) for p in paths if Path(p).is_dir()}
    gone = [s for s in existing if s not in seen and any(s.startswith(r.rstrip("/") + "/") for r in roots)]

    # Embed everything first: if the model or endpoint fails half-way, the store still holds the old
    # version of every file (nothing is deleted before its replacement is ready).
    vectors: list[Any] = []
    if pending:
        ef = make_embedding_function(settings)  # the same function the collection was opened with
        with _progress(len(pending), progress) as bar:
            task = bar.add_task("embed", total=len(pending))
            for i in range(0, len(pending), BATCH):
                batch = pending[i:i + BATCH]
                vectors.extend(ef([dense_view(c) for c in batch]))
                bar.advance(task, len(batch))
    for source in [*replace, *gone]:
        collection.delete(where={"source": source})
    report.removed = gone
    for i in range(0, len(pending), 256):
        batch = pending[i:i + 256]
        collection.add(ids=[c.id for c in batch], documents=[c.text for c in batch],
                       metadatas=[chunk_metadata(c) for c in batch], embeddings=vectors[i:i + 256])
    report.chunks = len(pending)
    if pending or gone or report.approved:
        bump_generation(store_dir)
    report.seconds = time.perf_counter() - t0
    report.cpu_seconds = time.process_time() - c0
    return report
