"""The OpenAI-compatible embedding mode, exercised with the real ``openai`` client against a tiny fake
embeddings server on loopback (no network, no model)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from analytics.errors import ConfigurationError
from assistant.settings import Settings
from knowledge.ingest import ingest_paths
from knowledge.retrieval import search
from tests.knowledge.conftest import FAQ, POLICY

DIM = 64


def _vector(text: str) -> list[float]:
    """Hashed character bigrams: similar texts get similar vectors, deterministically."""
    v = np.zeros(DIM)
    for a, b in zip(text, text[1:], strict=False):
        v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % DIM] += 1.0
    return list(v)


class _Handler(BaseHTTPRequestHandler):
    calls: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        self.calls.append(body["model"])
        payload = json.dumps({"object": "list", "model": body["model"], "usage": {"prompt_tokens": 0, "total_tokens": 0},
                              "data": [{"object": "embedding", "index": i, "embedding": _vector(t)}
                                       for i, t in enumerate(texts)]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def fake_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_openai_mode_ingests_and_searches_over_http(tmp_path: Path, fake_server: str):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "policy.md").write_text(POLICY, encoding="utf-8")
    (tmp_path / "c" / "faq.md").write_text(FAQ, encoding="utf-8")
    settings = Settings(embedding_mode="openai", embedding_base_url=fake_server, embedding_model="bge-m3",
                        _env_file=None)  # type: ignore[call-arg]
    store = tmp_path / "s"
    report = ingest_paths([tmp_path / "c"], store_dir=store, settings=settings)
    assert report.chunks == 7 and set(_Handler.calls) == {"bge-m3"}
    hits = search("货币市场基金赎回款", store_dir=store, k=1, settings=settings)
    assert hits[0].section == "Q3"

    # The store remembers its embedding function: opening it in bundled mode is a configuration error.
    with pytest.raises(ConfigurationError, match="EMBEDDING_MODE"):
        search("冷静期", store_dir=store, settings=Settings(_env_file=None))  # type: ignore[call-arg]


def test_unreachable_endpoint_is_a_configuration_error(tmp_path: Path):
    (tmp_path / "faq.md").write_text(FAQ, encoding="utf-8")
    settings = Settings(embedding_mode="openai", embedding_base_url="http://127.0.0.1:9/v1",
                        _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ConfigurationError, match="embeddings endpoint"):
        ingest_paths([tmp_path / "faq.md"], store_dir=tmp_path / "s", settings=settings)
