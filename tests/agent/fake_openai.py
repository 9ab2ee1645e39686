"""A tiny OpenAI-compatible chat-completions server on 127.0.0.1 for tests: replies are scripted.

``FakeOpenAI().start()`` → ``.base_url`` (``http://127.0.0.1:<port>/v1``); ``.enqueue(reply)`` where
``reply`` is text or ``{"tool_calls": [(name, arguments_json_string), …]}``; ``.requests`` holds every
request body received.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAI:
    def __init__(self) -> None:
        self.replies: list[Any] = []
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                reply = fake.replies.pop(0) if fake.replies else "（脚本已用完）"
                if body.get("stream"):
                    self._stream(reply)
                    return
                payload = json.dumps(_completion(reply)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _stream(self, reply: Any) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for chunk in _chunks(reply):
                    self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def enqueue(self, *replies: Any) -> None:
        self.replies.extend(replies)


def _completion(reply: Any) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish = "stop"
    if isinstance(reply, dict):
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": args}}
            for i, (name, args) in enumerate(reply["tool_calls"])
        ]
        finish = "tool_calls"
    else:
        message["content"] = reply
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake-model",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunks(reply: Any) -> list[dict[str, Any]]:
    """The reply as chat.completion.chunk events: text in three pieces, or one tool-call delta."""
    def event(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake-model",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    if isinstance(reply, dict):
        calls = [{"index": i, "id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": a}}
                 for i, (n, a) in enumerate(reply["tool_calls"])]
        return [event({"role": "assistant", "tool_calls": calls}), event({}, "tool_calls")]
    k = max(1, len(reply) // 3)
    pieces = [reply[i : i + k] for i in range(0, len(reply), k)]
    return [event({"role": "assistant", "content": ""})] + [event({"content": p}) for p in pieces] + [
        event({}, "stop")]
