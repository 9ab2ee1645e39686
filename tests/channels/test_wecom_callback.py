"""WeCom callback round trip over real HTTP: WeCom (played by wechatpy) → our callback → a local fake of
WeCom's send API. Checks the immediate empty reply, dedup by MsgId, refusals, files and tampering."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from wechatpy.enterprise.crypto import WeChatCrypto

from assistant.api import create_app
from assistant.channels.wecom.crypto import parse_xml
from datastore.schema import ChannelMessage
from tests.api.support import LiveServer
from tests.channels.test_wecom_crypto import AES_KEY, CORP_ID, TOKEN, VERIFY


@dataclass
class FakeWeCom:
    """Records what our client sends; serves gettoken / message/send / media/upload."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[tuple[str, int]] = field(default_factory=list)
    token_calls: int = 0
    cond: threading.Condition = field(default_factory=threading.Condition)

    def app(self) -> FastAPI:
        api = FastAPI()

        @api.get("/cgi-bin/gettoken")
        def gettoken(corpid: str, corpsecret: str) -> dict[str, Any]:
            assert (corpid, corpsecret) == (CORP_ID, "s3cret")
            self.token_calls += 1
            return {
                "errcode": 0,
                "errmsg": "ok",
                "access_token": f"tok{self.token_calls}",
                "expires_in": 7200,
            }

        @api.post("/cgi-bin/message/send")
        async def send(request: Request, access_token: str) -> dict[str, Any]:
            body = await request.json()
            with self.cond:
                self.sent.append({**body, "_token": access_token})
                self.cond.notify_all()
            return {"errcode": 0, "errmsg": "ok"}

        @api.post("/cgi-bin/media/upload")
        async def upload(request: Request, access_token: str, type: str) -> dict[str, Any]:
            # Raw multipart (no python-multipart needed): the part must be named "media" and carry a filename.
            data = await request.body()
            found = re.search(rb'name="media"; filename="([^"]+)"', data)
            assert found is not None, data[:200]
            self.uploads.append((found.group(1).decode(), len(data)))
            return {"errcode": 0, "errmsg": "ok", "type": type, "media_id": f"media-{len(self.uploads)}"}

        return api

    def wait_for(self, n: int, timeout: float = 15) -> list[dict[str, Any]]:
        with self.cond:
            self.cond.wait_for(lambda: len(self.sent) >= n, timeout)
        return list(self.sent)


@pytest.fixture
def wecom() -> Iterator[tuple[FakeWeCom, LiveServer]]:
    fake = FakeWeCom()
    with LiveServer(fake.app()) as server:
        yield fake, server


@pytest.fixture
def live(settings, engine, fakes, keys, wecom) -> Iterator[LiveServer]:
    _, fake_server = wecom
    s = settings.model_copy(
        update={
            "wecom_token": TOKEN,
            "wecom_aes_key": AES_KEY,
            "wecom_corp_id": CORP_ID,
            "wecom_secret": "s3cret",
            "wecom_agent_id": 1000002,
            "wecom_api_base": fake_server.url,
        }
    )
    s = type(s).model_validate(s.model_dump())  # re-validate so the secrets become SecretStr
    with LiveServer(create_app(s, engine=engine, services=fakes.services())) as server:
        yield server


def _push(live: LiveServer, inner: str, *, tamper: bool = False) -> httpx.Response:
    env = parse_xml(
        WeChatCrypto(TOKEN, AES_KEY, CORP_ID).encrypt_message(inner, "nonce7", str(int(time.time())))
    )
    sig = env["MsgSignature"]
    if tamper:
        sig = ("0" if sig[0] != "0" else "1") + sig[1:]
    return httpx.post(
        f"{live.url}/channels/wecom/callback",
        params={"msg_signature": sig, "timestamp": env["TimeStamp"], "nonce": env["Nonce"]},
        content=f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{env['Encrypt']}]]></Encrypt>"
        "<AgentID><![CDATA[1000002]]></AgentID></xml>",
    )


def _text(user: str, content: str, msg_id: str) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>"
    )


def _dedup_rows(engine) -> int:
    with Session(engine) as s:
        return int(s.execute(select(func.count()).select_from(ChannelMessage)).scalar_one())


def test_url_verification_with_the_published_vector(live) -> None:
    r = httpx.get(f"{live.url}/channels/wecom/callback", params=VERIFY)
    assert r.status_code == 200 and r.text == "1616140317555161061"
    bad = httpx.get(f"{live.url}/channels/wecom/callback", params={**VERIFY, "nonce": "1"})
    assert bad.status_code == 403 and bad.json()["error"] == "forbidden"


def test_message_round_trip_and_duplicate_ignored(live, wecom, fakes) -> None:
    fake, _ = wecom
    started = time.monotonic()
    r = _push(live, _text("wang", "C0001的组合穿透", "9001"))
    assert r.status_code == 200 and r.text == "" and time.monotonic() - started < 5
    sent = fake.wait_for(1)
    assert sent[0]["touser"] == "wang" and sent[0]["msgtype"] == "text" and sent[0]["agentid"] == 1000002
    content = sent[0]["text"]["content"]
    assert (
        content.startswith("第1轮回答: C0001的组合穿透")
        and "🔧 调用工具: lookthrough_portfolio(client_id=C0001)" in content
    )
    # WeCom's retries of the same MsgId are acknowledged and ignored
    for _ in range(3):
        assert _push(live, _text("wang", "C0001的组合穿透", "9001")).text == ""
    second = _push(live, _text("wang", "再看看", "9002"))
    assert second.text == ""
    sent = fake.wait_for(2)
    time.sleep(0.3)
    assert len(fake.sent) == 2 and fake.sent[1]["text"]["content"].startswith(
        "第2轮"
    )  # one session per WeCom user
    assert fake.token_calls == 1  # access token cached
    assert fakes.memory["RM001:wecom"] == ["C0001的组合穿透", "再看看"]


def test_unknown_user_gets_a_polite_refusal(live, wecom, fakes) -> None:
    fake, _ = wecom
    assert _push(live, _text("stranger", "C0001的持仓", "9101")).text == ""
    sent = fake.wait_for(1)
    assert sent[0]["touser"] == "stranger" and "尚未开通" in sent[0]["text"]["content"]
    assert fakes.memory == {}  # the agent never ran


def test_forbidden_client_is_answered_with_the_refusal(live, wecom) -> None:
    fake, _ = wecom
    _push(live, _text("wang", "C0003的持仓", "9201"))
    assert "not your client" in fake.wait_for(1)[0]["text"]["content"]


def test_report_request_is_delivered_as_a_file(live, wecom, fakes) -> None:
    fake, _ = wecom
    assert _push(live, _text("wang", "给C0001写一份建议书", "9301")).text == ""
    sent = fake.wait_for(2)
    assert "正在为 C0001 生成投资建议书" in sent[0]["text"]["content"]
    assert sent[1]["msgtype"] == "file" and sent[1]["file"] == {"media_id": "media-1"}
    name, size = fake.uploads[0]
    assert name.endswith(".docx") and size > 1000
    assert fakes.build_calls == [("proposal", "C0001")]


def test_long_answers_are_split_at_2048_bytes(live, wecom, fakes) -> None:
    fake, _ = wecom
    _push(live, _text("wang", "长" * 1500, "9401"))
    fake.wait_for(3)
    time.sleep(0.2)
    parts = [m["text"]["content"] for m in fake.sent]
    assert len(parts) >= 3 and all(len(p.encode("utf-8")) <= 2048 for p in parts)


def test_tampered_and_malformed_requests_are_rejected_and_not_processed(live, wecom, engine) -> None:
    fake, _ = wecom
    r = _push(live, _text("wang", "C0001", "9501"), tamper=True)
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    params = {"msg_signature": "x", "timestamp": "1", "nonce": "2"}
    bad = httpx.post(f"{live.url}/channels/wecom/callback", params=params, content=b"<xml><Encrypt>")
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_input"
    missing = httpx.post(f"{live.url}/channels/wecom/callback", content=b"<xml/>")
    assert missing.status_code == 400
    time.sleep(0.3)
    assert fake.sent == [] and _dedup_rows(engine) == 0
