"""The official ``openai`` client against a real uvicorn server: models, plain and streaming chat, errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest

from assistant.api import create_app
from tests.api.support import LiveServer


@pytest.fixture
def live(settings, engine, fakes, keys) -> Iterator[LiveServer]:
    with LiveServer(create_app(settings, engine=engine, services=fakes.services())) as server:
        yield server


def _client(live: LiveServer, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=live.url + "/v1", api_key=key, max_retries=0, timeout=20)


def test_models_lists_wealthdesk(live, keys) -> None:
    assert [m.id for m in _client(live, keys["RM001"]).models.list()] == ["wealthdesk"]


def test_plain_completion_shows_tools_and_sources(live, keys) -> None:
    resp = _client(live, keys["RM001"]).chat.completions.create(
        model="wealthdesk", messages=[{"role": "user", "content": "C0001的组合穿透"}]
    )
    text = resp.choices[0].message.content or ""
    assert resp.model == "wealthdesk" and resp.choices[0].finish_reason == "stop"
    assert text.startswith("第1轮回答: C0001的组合穿透")
    assert "🔧 调用工具: lookthrough_portfolio(client_id=C0001)" in text
    assert "📚 参考来源:\n1. 《个人投资者适当性管理办法》第五条" in text


def test_streaming_matches_plain_and_ends_with_done(live, keys) -> None:
    stream = _client(live, keys["RM001"]).chat.completions.create(
        model="wealthdesk", messages=[{"role": "user", "content": "C0002怎么样"}], stream=True
    )
    chunks = list(stream)
    deltas = [c.choices[0].delta.content or "" for c in chunks]
    assert len([d for d in deltas if d]) > 3  # really streamed in pieces
    text = "".join(deltas)
    assert (
        text.startswith("第1轮回答: C0002怎么样")
        and "🔧 调用工具: lookthrough_portfolio(client_id=C0002)" in text
    )
    assert chunks[-1].choices[0].finish_reason == "stop"
    # raw wire format: SSE data lines and the final [DONE]
    raw = httpx.post(
        live.url + "/v1/chat/completions",
        headers={"Authorization": f"Bearer {keys['RM001']}"},
        json={"model": "wealthdesk", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
    )
    assert raw.headers["content-type"].startswith("text/event-stream")
    events = [e for e in raw.text.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events) and events[-1] == "data: [DONE]"


def test_history_maps_to_one_session(live, keys, fakes) -> None:
    c = _client(live, keys["RM001"])
    first = [{"role": "system", "content": "你是助手"}, {"role": "user", "content": "你好"}]
    a1 = c.chat.completions.create(model="wealthdesk", messages=first).choices[0].message.content
    assert a1 is not None and a1.startswith("第1轮")
    second = [*first, {"role": "assistant", "content": a1}, {"role": "user", "content": "继续"}]
    a2 = c.chat.completions.create(model="wealthdesk", messages=second).choices[0].message.content
    assert a2 is not None and a2.startswith("第2轮")  # same agent session as turn 1
    # a new conversation with the same opener is a new session
    a3 = c.chat.completions.create(model="wealthdesk", messages=first).choices[0].message.content
    assert a3 is not None and a3.startswith("第1轮")
    # explicit session via the `user` field
    for expected in ("第1轮", "第2轮"):
        r = c.chat.completions.create(
            model="wealthdesk", user="sess-42", messages=[{"role": "user", "content": "x"}]
        )
        assert (r.choices[0].message.content or "").startswith(expected)
    assert "RM001:sess-42" in fakes.memory


def test_forbidden_client_raises_permission_denied(live, keys) -> None:
    c = _client(live, keys["RM002"])
    with pytest.raises(openai.PermissionDeniedError) as err:
        c.chat.completions.create(model="wealthdesk", messages=[{"role": "user", "content": "C0001的持仓"}])
    assert "not your client" in str(err.value)
    with pytest.raises(openai.PermissionDeniedError):
        list(
            c.chat.completions.create(
                model="wealthdesk", stream=True, messages=[{"role": "user", "content": "C0001的持仓"}]
            )
        )
    with pytest.raises(openai.AuthenticationError):
        _client(live, "wd_wrong").models.list()
    with pytest.raises(openai.BadRequestError):
        c.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "hi"}])
