"""/api/chat sessions, /api/faq, and the JSON log format with personal data masked."""

from __future__ import annotations

import io
import json
import logging

from fastapi.testclient import TestClient

from assistant.logging import JsonFormatter, configure_logging, get_logger, mask_text, register_names
from tests.api.conftest import auth


def test_chat_session_memory_is_per_user_and_session(client: TestClient, keys, fakes) -> None:
    h1 = auth(keys["RM001"])
    a = client.post("/api/chat", json={"message": "你好", "session_id": "s1"}, headers=h1).json()
    b = client.post("/api/chat", json={"message": "再说说", "session_id": "s1"}, headers=h1).json()
    assert a["answer"].startswith("第1轮") and b["answer"].startswith("第2轮") and b["session_id"] == "s1"
    # the same session id from another user is another session (ids are namespaced per user)
    c = client.post(
        "/api/chat", json={"message": "你好", "session_id": "s1"}, headers=auth(keys["RM002"])
    ).json()
    assert c["answer"].startswith("第1轮")
    assert set(fakes.memory) >= {"RM001:s1", "RM002:s1"}
    bad = client.post("/api/chat", json={"message": "x", "session_id": "a b/../c"}, headers=h1)
    assert bad.status_code == 400 and bad.json()["field"] == "session_id"


def test_faq_answers_with_citations(client: TestClient, keys, fakes) -> None:
    r = client.post("/api/faq", json={"question": "基金怎么赎回"}, headers=auth(keys["RM001"]))
    assert r.status_code == 200
    assert r.json() == {
        "answer": "FAQ: 基金怎么赎回",
        "citations": ["《基金销售业务规范》"],
        "confidence": 0.8,
        "handoff": False,
    }
    # repeated questions (modulo whitespace) are served from the answer cache
    again = client.post("/api/faq", json={"question": " 基金怎么赎回 "}, headers=auth(keys["RM002"]))
    assert again.json()["answer"] == "FAQ: 基金怎么赎回" and fakes.faq_calls == 1
    client.post("/api/faq", json={"question": "另一个问题"}, headers=auth(keys["RM001"]))
    assert fakes.faq_calls == 2


def test_log_lines_are_json_with_pii_masked() -> None:
    register_names(["张伟"])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = get_logger("test-pii")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    # 110101198001010010 has a valid GB 11643 check digit; …011 does not (masked in logs all the same); 6222021234567890128 passes Luhn
    log.info(
        "客户张伟 手机13812345678 身份证110101198001010010 卡号6222021234567890128 旧证110101198001010011",
        extra={"detail": {"mobile": "13912345678"}, "fund": "000001"},
    )
    line = json.loads(stream.getvalue().strip())
    text = json.dumps(line, ensure_ascii=False)
    for secret in (
        "张伟",
        "13812345678",
        "110101198001010010",
        "110101198001010011",
        "6222021234567890128",
        "13912345678",
    ):
        assert secret not in text
    assert line["level"] == "INFO" and line["logger"] == "wealthdesk.test-pii"
    assert line["fund"] == "000001"  # fund codes and amounts are left alone
    assert mask_text("基金000001涨了3.5%") == "基金000001涨了3.5%"


def test_access_log_carries_request_id(client: TestClient) -> None:
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    client.get("/healthz", headers={"X-Request-ID": "rid-77"})
    lines = [json.loads(x) for x in stream.getvalue().splitlines() if x.strip()]
    access = [x for x in lines if x["logger"] == "wealthdesk.access"]
    assert access and access[-1]["request_id"] == "rid-77" and access[-1]["status"] == 200
    assert access[-1]["path"] == "/healthz" and access[-1]["duration_ms"] >= 0
