"""The service with the REAL agent, report builders and FAQ (``Services.default()``), on a copy of the sample
database, over real uvicorn. Slower than the unit tests, so one server per module; each area is skipped
cleanly while its implementation is absent from the tree.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from assistant.api import create_app
from assistant.settings import Settings
from datastore.engine import get_engine
from datastore.repositories.users import add_user, issue_key
from tests.api.support import LiveServer

REPO = Path(__file__).resolve().parents[2]
MINI_CORPUS_FILE = REPO / "data" / "corpus" / "faq" / "faq_wmp.md"


@pytest.fixture(scope="module")
def real(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp("real-service")
    db = work / "wealthdesk.db"
    shutil.copy(sample_db_path, db)  # the session sample DB is shared read-only; we write users/jobs/sessions
    settings = Settings(  # type: ignore[call-arg]
        var_dir=work / "var",
        database_url=f"sqlite:///{db}",
        llm_mode="offline",
        rate_limit_per_minute=10_000,
        corpus_dir=work / "corpus",
        _env_file=None,
    )
    engine = get_engine(settings.resolved_database_url)
    add_user(engine, "RM001", "rm")
    add_user(engine, "RM002", "rm")
    keys = {u: issue_key(engine, u) for u in ("RM001", "RM002")}
    yield {"settings": settings, "engine": engine, "keys": keys}


@pytest.fixture(scope="module")
def live(real: dict[str, Any]) -> Iterator[LiveServer]:
    with LiveServer(create_app(real["settings"], engine=real["engine"])) as server:
        yield server


def _h(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_real_agent_chat_access_and_memory_across_restart(real, live) -> None:
    k1, k2 = real["keys"]["RM001"], real["keys"]["RM002"]
    r = httpx.post(
        f"{live.url}/api/chat",
        json={"message": "C0001的组合穿透一下", "session_id": "it-1"},
        headers=_h(k1),
        timeout=60,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["session_id"] == "it-1" and body["answer"]
    assert any(c["args"].get("client_id") == "C0001" for c in body["tool_calls"])
    denied = httpx.post(
        f"{live.url}/api/chat", json={"message": "C0001的组合穿透一下"}, headers=_h(k2), timeout=60
    )
    assert denied.status_code == 403 and denied.json()["error"] == "forbidden"
    # a new process on the same database: the session (and its client context) is still there
    with LiveServer(create_app(real["settings"], engine=real["engine"])) as again:
        follow = httpx.post(
            f"{again.url}/api/chat",
            json={"message": "她的风险等级呢", "session_id": "it-1"},
            headers=_h(k1),
            timeout=60,
        ).json()
    assert any(c["args"].get("client_id") == "C0001" for c in follow["tool_calls"]), follow


def test_real_agent_through_the_openai_client(real, live) -> None:
    c = openai.OpenAI(base_url=live.url + "/v1", api_key=real["keys"]["RM002"], max_retries=0, timeout=60)
    plain = c.chat.completions.create(
        model="wealthdesk", messages=[{"role": "user", "content": "C0041的组合穿透一下"}]
    )
    text = plain.choices[0].message.content or ""
    assert "🔧 调用工具: " in text and "client_id=C0041" in text
    streamed = "".join(
        ch.choices[0].delta.content or ""
        for ch in c.chat.completions.create(
            model="wealthdesk", stream=True, messages=[{"role": "user", "content": "C0041的组合穿透一下"}]
        )
    )
    assert "client_id=C0041" in streamed
    with pytest.raises(openai.PermissionDeniedError):
        c.chat.completions.create(
            model="wealthdesk", messages=[{"role": "user", "content": "C0001的组合穿透一下"}]
        )


def test_real_faq_cites_and_never_reaches_client_data(real, live) -> None:
    from knowledge.bootstrap import init_knowledge

    corpus = real["settings"].corpus_dir / "faq"
    corpus.mkdir(parents=True, exist_ok=True)
    shutil.copy(MINI_CORPUS_FILE, corpus / MINI_CORPUS_FILE.name)  # one FAQ file keeps ingestion fast
    init_knowledge(real["settings"])
    key = real["keys"]["RM001"]
    ok = httpx.post(
        f"{live.url}/api/faq", json={"question": "冷静期有多长？"}, headers=_h(key), timeout=60
    ).json()
    assert ok["citations"] and not ok["handoff"] and "24" in ok["answer"]
    probe = httpx.post(
        f"{live.url}/api/faq",
        json={"question": "客户C0001林辉静的持仓和手机号是多少"},
        headers=_h(key),
        timeout=60,
    ).json()
    assert probe["handoff"] and "林辉静" not in probe["answer"] and "C0001" not in "".join(probe["citations"])


def _wait(url: str, job_id: str, key: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = httpx.get(f"{url}/api/reports/{job_id}", headers=_h(key)).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


def test_real_due_diligence_job(real, live) -> None:
    key = real["keys"]["RM001"]
    r = httpx.post(
        f"{live.url}/api/reports",
        json={"type": "due_diligence", "company": "E001", "scenario": "credit"},
        headers=_h(key),
    )
    assert r.status_code == 202, r.text
    done = _wait(live.url, r.json()["id"], key)
    assert done["status"] == "done", done
    f = httpx.get(f"{live.url}/api/reports/{done['id']}/file", headers=_h(key))
    assert f.status_code == 200 and f.content[:2] == b"PK"


def test_real_proposal_job_and_access(real, live) -> None:
    key = real["keys"]["RM001"]
    denied = httpx.post(
        f"{live.url}/api/reports", json={"type": "proposal", "client_id": "C0041"}, headers=_h(key)
    )
    assert denied.status_code == 403
    r = httpx.post(
        f"{live.url}/api/reports", json={"type": "proposal", "client_id": "C0001"}, headers=_h(key)
    )
    assert r.status_code == 202, r.text
    done = _wait(live.url, r.json()["id"], key)
    assert done["status"] == "done", done
    assert httpx.get(f"{live.url}/api/reports/{done['id']}/file", headers=_h(key)).content[:2] == b"PK"


def test_real_agent_in_openai_mode_streams_through_v1(tmp_path, engine, keys) -> None:
    """The real agent driving a (fake, local) OpenAI-compatible LLM; our /v1 streams its tokens through."""
    import json

    from tests.agent.fake_openai import FakeOpenAI

    llm = FakeOpenAI().start()
    try:
        llm.enqueue(
            {"tool_calls": [("lookthrough_portfolio", json.dumps({"client_id": "C0001"}))]},
            "C0001 的组合以权益类基金为主，集中度较高，建议关注行业分散。",
        )
        settings = Settings(  # type: ignore[call-arg]
            var_dir=tmp_path / "var",
            llm_mode="openai",
            llm_base_url=llm.base_url,
            llm_model="fake-model",
            llm_api_key="test-key",
            _env_file=None,
        )
        with LiveServer(create_app(settings, engine=engine)) as live:
            c = openai.OpenAI(base_url=live.url + "/v1", api_key=keys["RM001"], max_retries=0, timeout=60)
            chunks = list(
                c.chat.completions.create(
                    model="wealthdesk",
                    stream=True,
                    messages=[{"role": "user", "content": "C0001的组合怎么样"}],
                )
            )
        pieces = [ch.choices[0].delta.content for ch in chunks if ch.choices[0].delta.content]
        assert len(pieces) >= 3 and pieces[-1].startswith(
            "\n\n---\n🔧"
        )  # LLM tokens pass through, then the footer
        text = "".join(pieces)
        assert "集中度较高" in text and "🔧 调用工具: lookthrough_portfolio(client_id=C0001)" in text
        assert chunks[-1].choices[0].finish_reason == "stop"
    finally:
        llm.stop()


def test_real_wecom_round_trip_with_file_delivery(real) -> None:
    """WeCom (played by wechatpy) → callback → real agent / real proposal builder → local fake send API."""
    from wechatpy.enterprise.crypto import WeChatCrypto

    from assistant.channels.wecom.crypto import parse_xml
    from tests.channels.test_wecom_callback import FakeWeCom, _text
    from tests.channels.test_wecom_crypto import AES_KEY, CORP_ID, TOKEN

    add_user(real["engine"], "RM003", "rm", wecom_user_id="peng")
    fake = FakeWeCom()
    with LiveServer(fake.app()) as wecom_api:
        s = Settings.model_validate(
            {
                **real["settings"].model_dump(),
                "wecom_token": TOKEN,
                "wecom_aes_key": AES_KEY,
                "wecom_corp_id": CORP_ID,
                "wecom_secret": "s3cret",
                "wecom_agent_id": 1000002,
                "wecom_api_base": wecom_api.url,
            }
        )
        with LiveServer(create_app(s, engine=real["engine"])) as live:
            for content, msg_id in (("C0081的组合穿透一下", "r1"), ("给C0081写一份建议书", "r2")):
                ts = str(int(time.time()))  # inside the ±300 s replay window
                env = parse_xml(
                    WeChatCrypto(TOKEN, AES_KEY, CORP_ID).encrypt_message(
                        _text("peng", content, msg_id), "n", ts
                    )
                )
                r = httpx.post(
                    f"{live.url}/channels/wecom/callback",
                    params={"msg_signature": env["MsgSignature"], "timestamp": ts, "nonce": "n"},
                    content=f"<xml><Encrypt><![CDATA[{env['Encrypt']}]]></Encrypt></xml>",
                )
                assert r.text == ""
            with fake.cond:  # the proposal is built in the background; wait for its file message
                fake.cond.wait_for(lambda: any(m["msgtype"] == "file" for m in fake.sent), 120)
            sent = list(fake.sent)
    texts = [m["text"]["content"] for m in sent if m["msgtype"] == "text"]
    assert any("C0081" in t and "🔧 调用工具" in t for t in texts), texts
    files = [m for m in sent if m["msgtype"] == "file"]
    assert len(files) == 1 and fake.uploads[0][0].endswith(".docx")
