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
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from wechatpy.enterprise.crypto import WeChatCrypto

from assistant.api import create_app
from assistant.channels.wecom.crypto import WeComCrypto, parse_xml, signature
from datastore.repositories.outbox import list_outbox
from datastore.schema import ChannelMessage
from tests.api.support import LiveServer
from tests.channels.test_wecom_crypto import AES_KEY, CORP_ID, TOKEN, VERIFY


@dataclass
class FakeWeCom:
    """Records what our client sends; serves gettoken / message/send / media/upload."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[tuple[str, int]] = field(default_factory=list)
    token_calls: int = 0
    fail_sends: int = 0  # the next N message/send calls fail (WeCom down / busy)
    failed_sends: list[dict[str, Any]] = field(default_factory=list)
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
        async def send(request: Request, access_token: str) -> Any:
            body = await request.json()
            with self.cond:
                if self.fail_sends > 0:
                    self.fail_sends -= 1
                    self.failed_sends.append(body)
                    if len(self.failed_sends) % 2:
                        return JSONResponse({"errcode": -1, "errmsg": "system busy"})
                    return JSONResponse({"errmsg": "bad gateway"}, status_code=502)
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
            "wecom_send_backoff_s": 0.05,  # retries within the test's patience
        }
    )
    s = type(s).model_validate(s.model_dump())  # re-validate so the secrets become SecretStr
    with LiveServer(create_app(s, engine=engine, services=fakes.services())) as server:
        yield server


def _push(live: LiveServer, inner: str, *, tamper: bool = False, timestamp: str | None = None) -> httpx.Response:
    env = parse_xml(
        WeChatCrypto(TOKEN, AES_KEY, CORP_ID).encrypt_message(inner, "nonce7", timestamp or str(int(time.time())))
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


def test_url_verification(live) -> None:
    # The published vector is correctly signed but from 2014: outside the ±300 s window, so refused.
    old = httpx.get(f"{live.url}/channels/wecom/callback", params=VERIFY)
    assert old.status_code == 403 and old.json()["field"] == "timestamp" and "window" in old.json()["message"]
    crypto = WeComCrypto(TOKEN, AES_KEY, CORP_ID)
    ts, echo = str(int(time.time())), crypto.encrypt("1616140317555161061")
    fresh = {"msg_signature": signature(TOKEN, ts, "n1", echo), "timestamp": ts, "nonce": "n1", "echostr": echo}
    r = httpx.get(f"{live.url}/channels/wecom/callback", params=fresh)
    assert r.status_code == 200 and r.text == "1616140317555161061"
    bad = httpx.get(f"{live.url}/channels/wecom/callback", params={**fresh, "nonce": "1"})
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


def test_a_correctly_signed_message_from_2014_is_refused(live, wecom, fakes, engine) -> None:
    """Probe: a captured message replayed years later. Before: processed and answered."""
    fake, _ = wecom
    r = _push(live, _text("wang", "C0001的组合穿透", "9601"), timestamp="1409659813")
    assert r.status_code == 403 and r.json()["field"] == "timestamp"
    future = _push(live, _text("wang", "C0001的组合穿透", "9602"), timestamp=str(int(time.time()) + 3600))
    assert future.status_code == 403 and "in the future" in future.json()["message"]
    # inside the window it is fine (WeCom's clock may be a little off)
    ok = _push(live, _text("wang", "C0001的组合穿透", "9603"), timestamp=str(int(time.time()) - 200))
    assert ok.status_code == 200
    fake.wait_for(1)
    time.sleep(0.3)
    assert len(fake.sent) == 1 and fakes.memory["RM001:wecom"] == ["C0001的组合穿透"]
    assert _dedup_rows(engine) == 1  # the refused ones were not even recorded


def test_a_failed_send_is_retried_and_delivered_exactly_once(live, wecom, fakes, engine) -> None:
    """Probe: message/send fails. Before: the reply was lost and WeCom's retries were dropped as duplicates.
    Now: the reply waits in the outbox, is retried with backoff, and arrives once; the agent ran once."""
    fake, _ = wecom
    fake.fail_sends = 3  # errcode -1, HTTP 502, errcode -1; the 4th attempt goes through
    assert _push(live, _text("wang", "C0002的持仓", "9701")).text == ""
    # WeCom retries the same MsgId while we are failing: acknowledged, the agent does not run again
    for _ in range(3):
        assert _push(live, _text("wang", "C0002的持仓", "9701")).text == ""
    sent = fake.wait_for(1)
    time.sleep(0.5)  # would a second copy follow?
    assert len(fake.failed_sends) == 3
    assert len(fake.sent) == 1 and sent[0]["text"]["content"].startswith("第1轮回答: C0002的持仓")
    assert fakes.memory["RM001:wecom"] == ["C0002的持仓"]  # processed exactly once
    rows = list_outbox(engine, "wecom")
    assert [(r["msg_id"], r["status"], r["attempts"]) for r in rows] == [("9701", "delivered", 4)]
    assert "system busy" in (rows[0]["last_error"] or "") or "502" in (rows[0]["last_error"] or "")
    assert httpx.get(f"{live.url}/healthz").json()["wecom"]["outbox"] == {"pending": 0, "failed": 0}


def test_replies_to_one_user_keep_their_order_across_retries(live, wecom, fakes) -> None:
    fake, _ = wecom
    fake.fail_sends = 1  # the first part fails once; the later parts must wait for it
    _push(live, _text("wang", "长" * 1500, "9801"))
    parts = fake.wait_for(3)
    time.sleep(0.3)
    texts = [m["text"]["content"] for m in fake.sent]
    assert len(texts) == len(parts) >= 3 and texts[0].startswith("第1轮回答")
    assert "".join(texts).count("长") == 1500  # nothing lost, nothing doubled, in order


def test_undelivered_replies_survive_a_restart(settings, engine, fakes, keys, wecom) -> None:
    """A reply stored but not yet sent when the server stops is sent by the next start."""
    from datastore.repositories.outbox import enqueue

    fake, fake_server = wecom
    enqueue(engine, "wecom", "wang", [("text", "left over from the last run")], msg_id="9901")
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
    s = type(s).model_validate(s.model_dump())
    with LiveServer(create_app(s, engine=engine, services=fakes.services())):
        sent = fake.wait_for(1)
    assert sent[0]["text"]["content"] == "left over from the last run"
    assert list_outbox(engine, "wecom")[0]["status"] == "delivered"


def test_dedup_and_outbox_rows_are_pruned_after_the_retention(engine) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from assistant.channels.wecom.outbox import WeComOutbox
    from datastore.repositories.jobs import remember_message, window_start
    from datastore.repositories.outbox import enqueue
    from datastore.schema import ChannelOutbox

    for mid in ("old-1", "old-2", "new-1"):
        assert remember_message(engine, "wecom", mid)
    old_ids = enqueue(engine, "wecom", "wang", [("text", "a"), ("text", "b")])
    new_ids = enqueue(engine, "wecom", "wang", [("text", "c")])
    long_ago = window_start(0) - timedelta(hours=25)
    with Session(engine) as s:
        s.execute(
            update(ChannelMessage).where(ChannelMessage.msg_id.like("old-%")).values(received_at=long_ago)
        )
        s.execute(update(ChannelOutbox).values(status="delivered"))
        s.execute(update(ChannelOutbox).where(ChannelOutbox.id.in_(old_ids)).values(created_at=long_ago))
        s.commit()
    box = WeComOutbox(engine, client=None, retention_hours=24)  # type: ignore[arg-type]  # prune needs no client
    assert box.prune() == {"dedup_rows": 2, "outbox_rows": 2}
    with Session(engine) as s:
        assert [m for (m,) in s.execute(select(ChannelMessage.msg_id))] == ["new-1"]
    assert [r["id"] for r in list_outbox(engine, "wecom")] == new_ids
    # a MsgId pruned long after WeCom stopped retrying could be remembered again: that is the trade-off
    assert remember_message(engine, "wecom", "old-1")
