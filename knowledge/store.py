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
    p.write_text(f"{time.time_ns()}-{uuid.uuid4().hex[:8]}", encoding="utf-8")
