"""``/v1/chat/completions`` with the real agent: ``citations`` and ``tool_calls_made`` as data, read with the
official ``openai`` client, plain and streaming, in offline mode and in openai mode (a scripted local
OpenAI-compatible server drives the same tools). The text footer stays."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from pydantic import SecretStr

from assistant.api import create_app
from assistant.settings import Settings
from tests.agent.fake_openai import FakeOpenAI
from tests.api.support import LiveServer

QUESTION = "理财冷静期有多长？"


def _client(server: LiveServer, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0, timeout=120)


def _ask(server: LiveServer, key: str, question: str, *, stream: bool) -> tuple[str, dict[str, Any]]:
    """(text, extra top-level fields) of one completion, read the way an openai-client user would."""
    c = _client(server, key)
    msgs = [{"role": "user", "content": question}]
    if not stream:
        resp = c.chat.completions.create(model="wealthdesk", messages=msgs)  # type: ignore[arg-type]
        assert resp.model_extra is not None
        return resp.choices[0].message.content or "", dict(resp.model_extra)
    chunks = list(c.chat.completions.create(model="wealthdesk", messages=msgs, stream=True))  # type: ignore[arg-type]
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"  # the final chunk, right before [DONE], carries the data
    assert all("citations" not in (c.model_extra or {}) for c in chunks[:-1])
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    # attribute access works too (the client keeps unknown fields)
    assert last.citations == last.model_extra["citations"]  # type: ignore[attr-defined]
    return text, dict(last.model_extra or {})


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def openai_server(live_settings: Settings, live_engine, live_keys, fake) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    settings = live_settings.model_copy(update={"llm_mode": "openai", "llm_base_url": fake.base_url,
                                                "llm_model": "fake-model", "llm_api_key": SecretStr("test-key")})
    with LiveServer(create_app(settings, engine=live_engine, warm_up=False)) as server:
        yield server


def _tool(name: str, **args: Any) -> dict[str, Any]:
    return {"tool_calls": [(name, json.dumps(args, ensure_ascii=False))]}


@pytest.mark.parametrize("stream", [False, True])
def test_offline_mode_citations_and_tool_calls_as_data(live_server, live_keys, stream) -> None:
    text, extra = _ask(live_server, live_keys["RM001"], QUESTION, stream=stream)
    assert extra["tool_calls_made"] == [
        {"name": "search_knowledge", "arguments": {"query": QUESTION}, "status": "ok"}]
    assert "《测试常见问题》Q1" in extra["citations"]
    assert "📚 参考来源:" in text and "《测试常见问题》Q1" in text  # the footer stays for text-only UIs
    if stream:
        source = extra["event"]
        assert source["type"] == "source" and source["data"]["document"] == extra["citations"]


@pytest.mark.parametrize("stream", [False, True])
def test_offline_lookthrough_reports_the_call_and_no_citations(live_server, live_keys, own_client, stream) -> None:
    text, extra = _ask(live_server, live_keys["RM001"], f"{own_client}的组合穿透", stream=stream)
    assert extra["tool_calls_made"] == [
        {"name": "lookthrough_portfolio", "arguments": {"client_id": own_client}, "status": "ok"}]
    assert extra["citations"] == [] and "event" not in extra
    assert f"lookthrough_portfolio(client_id={own_client})" in text


@pytest.mark.parametrize("stream", [False, True])
def test_openai_mode_carries_citations_and_each_calls_status(openai_server, live_keys, fake, stream) -> None:
    fake.enqueue({"tool_calls": [("search_knowledge", json.dumps({"query": "冷静期"}, ensure_ascii=False)),
                                 ("fund_profile", json.dumps({"fund": "999999"}))]},
                 "冷静期内可以撤销购买并全额退款。")
    text, extra = _ask(openai_server, live_keys["RM001"], "冷静期是什么规定？", stream=stream)
    assert text.startswith("冷静期内可以撤销购买并全额退款。")
    assert extra["tool_calls_made"] == [
        {"name": "search_knowledge", "arguments": {"query": "冷静期"}, "status": "ok"},
        {"name": "fund_profile", "arguments": {"fund": "999999"}, "status": "not_found"},
    ]
    assert extra["citations"] and all(c.startswith("《") for c in extra["citations"])
    assert "《测试常见问题》Q1" in extra["citations"]


def test_mcp_offers_exactly_the_tools_the_openai_mode_agent_binds(openai_server, live_keys, fake) -> None:
    """The same service: what /mcp lists equals what the agent sent to the model (name, description, schema)."""
    import asyncio

    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    fake.enqueue("好的。")
    _ask(openai_server, live_keys["RM001"], "你好", stream=False)
    bound = {t["function"]["name"]: t["function"] for t in fake.requests[-1]["tools"]}

    async def listed() -> Any:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {live_keys['RM001']}"}) as http:
            async with Client(streamable_http_client(openai_server.url + "/mcp", http_client=http)) as c:  # type: ignore[arg-type]
                return (await c.list_tools()).tools

    tools = asyncio.run(listed())
    assert {t.name for t in tools} == set(bound)
    for t in tools:
        assert (t.description, t.input_schema) == (bound[t.name]["description"], bound[t.name]["parameters"])
