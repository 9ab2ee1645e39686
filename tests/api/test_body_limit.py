"""Probe: four 100 MB posts took the server from 531 to 1,271 MB before any auth. Now every endpoint refuses a
body over WEALTHDESK_MAX_BODY_BYTES with 413 before reading it (declared length) or as soon as the streamed
bytes cross the limit (no Content-Length); WeCom's callback has a 64 KiB limit of its own."""

from __future__ import annotations

import asyncio
import select
import socket
import time
from collections.abc import Iterator

from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.body_limit import BodyLimitMiddleware
from tests.api.conftest import auth
from tests.api.support import LiveServer

MB = 1024 * 1024


def test_413_for_a_large_body_with_content_length(client: TestClient, keys) -> None:
    big = b'{"message": "' + b"x" * (2 * MB) + b'"}'
    for path in ("/api/chat", "/api/faq", "/api/reports", "/v1/chat/completions", "/channels/wecom/callback"):
        r = client.post(path, content=big, headers={**auth(keys["RM001"]), "Content-Type": "application/json"})
        assert r.status_code == 413, path
        assert r.json()["error"] == "payload_too_large" and r.json()["request_id"]
    # under the limit everything works as before
    ok = client.post("/api/chat", json={"message": "你好"}, headers=auth(keys["RM001"]))
    assert ok.status_code == 200


def test_413_for_a_large_streamed_body_without_content_length(client: TestClient, keys) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"message": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    r = client.post("/api/chat", content=chunks(), headers={**auth(keys["RM001"]), "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"


def test_the_body_is_not_read_past_the_limit() -> None:
    """ASGI level: count what the app pulls from the server. 100 MB offered in 64 KiB chunks."""
    pulled = {"chunks": 0}
    sent: list[dict] = []
    app_saw = {"bytes": 0}

    async def app(scope, receive, send):  # reads the whole body, like request.body()
        while True:
            msg = await receive()
            app_saw["bytes"] += len(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        pulled["chunks"] += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": pulled["chunks"] < 1600}

    async def send(msg):
        sent.append(msg)

    mw = BodyLimitMiddleware(app, default=MB)
    scope = {"type": "http", "method": "POST", "path": "/api/chat", "headers": []}
    asyncio.run(mw(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled["chunks"] == 17  # 16 × 64 KiB = the limit, the 17th crosses it; 1,583 chunks never read
    assert app_saw["bytes"] <= MB

    # a declared Content-Length over the limit: the app is not even called, nothing is read
    pulled["chunks"], sent[:] = 0, []
    scope["headers"] = [(b"content-length", str(100 * MB).encode())]
    asyncio.run(mw(scope, receive, send))
    assert sent[0]["status"] == 413 and pulled["chunks"] == 0


def _raw_post(port: int, path: str, headers: str, body_chunks: Iterator[bytes]) -> tuple[bytes, int]:
    """Send a request over a plain socket until the server answers; returns (response head, bytes sent)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
    sent = 0
    try:
        for chunk in body_chunks:
            if select.select([s], [], [], 0)[0]:
                break  # the server has answered
            s.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    deadline = time.monotonic() + 10
    data = b""
    while b"\r\n\r\n" not in data and time.monotonic() < deadline:
        try:
            part = s.recv(65536)
        except ConnectionResetError:
            break
        if not part:
            break
        data += part
    s.close()
    return data, sent


def test_a_100_mb_unsigned_wecom_body_is_refused_over_real_http(settings, engine, fakes) -> None:
    from tests.channels.test_wecom_crypto import AES_KEY, CORP_ID, TOKEN

    s = type(settings).model_validate(
        {**settings.model_dump(), "wecom_token": TOKEN, "wecom_aes_key": AES_KEY, "wecom_corp_id": CORP_ID}
    )
    app = create_app(s, engine=engine, services=fakes.services())
    with LiveServer(app) as live:
        path = "/channels/wecom/callback?msg_signature=x&timestamp=1&nonce=2"
        block = b"<" * 65536

        def hundred_mb() -> Iterator[bytes]:
            for _ in range(1600):
                yield block

        head, sent = _raw_post(live.port, path, f"Content-Length: {100 * MB}\r\n", hundred_mb())
        assert head.startswith(b"HTTP/1.1 413"), head[:100]
        assert sent < 16 * MB  # answered long before the body could be sent (socket buffers aside)

        def chunked() -> Iterator[bytes]:
            for _ in range(1600):
                yield b"10000\r\n" + block + b"\r\n"

        head, sent = _raw_post(live.port, path, "Transfer-Encoding: chunked\r\n", chunked())
        assert head.startswith(b"HTTP/1.1 413"), head[:100]
        assert sent < 16 * MB
