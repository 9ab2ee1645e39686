"""WeCom server API client: access token (cached until expiry), message/send (text, file), media/upload.

The base URL comes from ``settings.wecom_api_base`` so tests point it at a local fake. Endpoints used::

    GET  /cgi-bin/gettoken?corpid=…&corpsecret=…            → {"errcode":0,"access_token":"…","expires_in":7200}
    POST /cgi-bin/message/send?access_token=…               ← {"touser","msgtype":"text","agentid","text":{"content"}}
    POST /cgi-bin/media/upload?access_token=…&type=file     ← multipart "media" → {"errcode":0,"media_id":"…"}
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx

from core.errors import ConfigurationError, DataUnavailable

TEXT_LIMIT_BYTES = 2048  # message/send text content limit, in UTF-8 bytes
TOKEN_EXPIRED = {40014, 42001}  # invalid / expired access_token: refresh once and retry


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Split into chunks of at most ``limit`` UTF-8 bytes, never inside a character; prefer line breaks.

    >>> [len(c.encode()) for c in split_text("你" * 1000)]  # 3 bytes each
    [2046, 954]
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for ch in text:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            joined = "".join(current)
            cut = joined.rfind("\n")
            # Break at the last newline when it keeps at least half the chunk, so paragraphs stay whole.
            if cut >= len(joined) // 2 and cut > 0:
                chunks.append(joined[:cut])
                current = list(joined[cut + 1 :])
            else:
                chunks.append(joined)
                current = []
            size = len("".join(current).encode("utf-8"))
        current.append(ch)
        size += n
    if current:
        chunks.append("".join(current))
    return [c for c in chunks if c]


class WeComClient:
    """Thread-safe: the token cache is guarded by a lock; one ``httpx.Client`` is shared."""

    def __init__(
        self,
        *,
        base_url: str,
        corp_id: str,
        secret: str,
        agent_id: int,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not (corp_id and secret and agent_id):
            raise ConfigurationError(
                "WeCom sending needs WEALTHDESK_WECOM_CORP_ID, WEALTHDESK_WECOM_SECRET and WEALTHDESK_WECOM_AGENT_ID"
            )
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent_id
        self.http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ token
    def access_token(self, *, force: bool = False) -> str:
        with self._lock:
            # Refresh a minute early so a token never expires between fetch and use.
            if force or self._token is None or time.monotonic() >= self._expires_at - 60:
                data = self._check(
                    self.http.get(
                        "/cgi-bin/gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}
                    )
                )
                self._token = str(data["access_token"])
                self._expires_at = time.monotonic() + float(data.get("expires_in", 7200))
            return self._token

    @staticmethod
    def _check(resp: httpx.Response) -> dict[str, Any]:
        if resp.status_code != 200:
            raise DataUnavailable(f"WeCom API HTTP {resp.status_code}")
        data: dict[str, Any] = resp.json()
        if data.get("errcode", 0) != 0:
            err = DataUnavailable(f"WeCom API error {data.get('errcode')}: {data.get('errmsg')}")
            err.errcode = data.get("errcode")  # type: ignore[attr-defined]
            raise err
        return data

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """Call with the cached token; on an expired-token error, refresh once and retry."""
        for attempt in (0, 1):
            params = {**kwargs.pop("params", {}), "access_token": self.access_token(force=attempt == 1)}
            try:
                return self._check(self.http.request(method, path, params=params, **kwargs))
            except DataUnavailable as exc:
                if attempt == 0 and getattr(exc, "errcode", None) in TOKEN_EXPIRED:
                    kwargs["params"] = {k: v for k, v in params.items() if k != "access_token"}
                    continue
                raise
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ messages
    def send_text(self, to_user: str, text: str) -> int:
        """Send ``text`` (split at 2048 bytes) to one WeCom user; returns the number of messages sent."""
        parts = split_text(text) or [" "]
        for part in parts:
            self._call(
                "POST",
                "/cgi-bin/message/send",
                json={
                    "touser": to_user,
                    "msgtype": "text",
                    "agentid": self.agent_id,
                    "text": {"content": part},
                },
            )
        return len(parts)

    def upload_file(self, path: Path) -> str:
        """media/upload (type=file) → media_id (valid three days on WeCom's side)."""
        with Path(path).open("rb") as f:
            data = self._call(
                "POST",
                "/cgi-bin/media/upload",
                params={"type": "file"},
                files={"media": (Path(path).name, f, "application/octet-stream")},
            )
        return str(data["media_id"])

    def send_file(self, to_user: str, path: Path) -> str:
        """Upload ``path`` and send it as a file message; returns the media id."""
        media_id = self.upload_file(path)
        self._call(
            "POST",
            "/cgi-bin/message/send",
            json={
                "touser": to_user,
                "msgtype": "file",
                "agentid": self.agent_id,
                "file": {"media_id": media_id},
            },
        )
        return media_id
