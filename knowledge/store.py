"""The Chroma store: one persistent collection per store directory, cosine space, our embedding function.

A small ``generation`` file next to the Chroma data changes whenever ingestion changes the collection;
cached retrievers compare it on each search and reload (BM25 index, metadata) when it moved.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

from core.errors import ConfigurationError, DataUnavailable
from knowledge.embeddings import make_embedding_function

COLLECTION = "wealthdesk_kb"
_GENERATION_FILE = "kb_generation.txt"
_clients: dict[str, Any] = {}
_lock = threading.Lock()


def get_client(store_dir: Path | str) -> Any:
    """One ``chromadb.PersistentClient`` per directory for the process (opening one costs ~100 ms)."""
    key = str(Path(store_dir).resolve())
    with _lock:
        if key not in _clients:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            Path(key).mkdir(parents=True, exist_ok=True)
            _clients[key] = chromadb.PersistentClient(
                path=key, settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            )
        return _clients[key]


def open_collection(store_dir: Path | str, settings: Any = None, *, create: bool = False) -> Any:
    """The knowledge collection, always with our embedding function passed explicitly.

    ``create=False`` on a store that was never ingested raises ``DataUnavailable`` telling the user to
    run ``wealthdesk kb ingest`` (or ``wealthdesk init``). A store built with a different embedding
    function raises ``ConfigurationError`` instead of silently mixing vector spaces.
    """
    client = get_client(store_dir)
    ef = make_embedding_function(settings)
    try:
        if create:
            return client.get_or_create_collection(
                COLLECTION, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}}
            )
        return client.get_collection(COLLECTION, embedding_function=ef)
    except ValueError as exc:
        raise ConfigurationError(
            f"the knowledge store at {store_dir} does not match the configured embeddings: {exc}",
            field="WEALTHDESK_EMBEDDING_MODE", hint="use the mode the store was built with, or re-ingest into a new --store",
        ) from exc
    except Exception as exc:
        if type(exc).__name__ in ("NotFoundError", "InvalidCollectionException"):
            raise DataUnavailable(
                f"no knowledge base in {store_dir}", field="store",
                hint="run `wealthdesk init` or `wealthdesk kb ingest data/corpus --store DIR`",
            ) from exc
        raise


_written: dict[str, set[str]] = {}  # generation tokens this process wrote, per store


def reset_client(store_dir: Path | str) -> None:
    """Forget this process's Chroma client for ``store_dir`` so the next open reads the files afresh.

    The old client is not stopped (another thread may still hold it); Chroma's per-path system cache is
    cleared for that path only, so the next ``PersistentClient`` builds a new system."""
    key = str(Path(store_dir).resolve())
    with _lock:
        _clients.pop(key, None)
        try:
            from chromadb.api.shared_system_client import SharedSystemClient

            SharedSystemClient._identifier_to_system.pop(key, None)
            SharedSystemClient._identifier_to_refcount.pop(key, None)
        except ImportError:  # pragma: no cover - chromadb layout changed; a restart still works
            pass


def written_here(store_dir: Path | str, token: str) -> bool:
    return token in _written.get(str(Path(store_dir).resolve()), set())


def generation(store_dir: Path | str) -> str:
    """An opaque token that changes whenever the collection changes ("" for a never-written store)."""
    p = Path(store_dir) / _GENERATION_FILE
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def bump_generation(store_dir: Path | str) -> None:
    p = Path(store_dir) / _GENERATION_FILE
    p.parent.mkdir(parents=True, exist_ok=True)
    token = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
    with _lock:
        _written.setdefault(str(Path(store_dir).resolve()), set()).add(token)
    p.write_text(token, encoding="utf-8")


def store_status(store_dir: Path | str, settings: Any = None) -> dict[str, Any]:
    """Health of the store for ``/healthz``: ``{"status": "ok"|"missing"|"error", "chunks": n, "detail"}``.

    Opens the collection and counts its chunks (cheap; no embedding, no search), so a deleted, corrupt
    or foreign store is reported instead of "ok" because the folder exists."""
    path = Path(store_dir)
    if not path.is_dir() or not any(path.iterdir()):
        return {"status": "missing", "chunks": 0, "detail": f"no store at {path}"}
    try:
        n = int(open_collection(path, settings).count())
    except DataUnavailable:
        return {"status": "missing", "chunks": 0, "detail": "the store has no knowledge collection"}
    except Exception as exc:  # noqa: BLE001 - this function exists to describe failures
        reset_client(path)  # a later probe (after a repair or re-ingest) starts from a fresh client
        return {"status": "error", "chunks": 0, "detail": type(exc).__name__}
    if n == 0:
        return {"status": "missing", "chunks": 0, "detail": "the knowledge collection is empty"}
    return {"status": "ok", "chunks": n, "detail": None}
