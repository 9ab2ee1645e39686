"""The MCP channel with the SDK's own client: Streamable HTTP against a real uvicorn server, and stdio
against a spawned ``wealthdesk mcp --stdio`` process. Real tools on the sample data set, a tiny knowledge
store, real API keys."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from langchain.tools import ToolRuntime
from langchain_core.utils.function_calling import convert_to_openai_tool
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from assistant.access import CLIENT_CHANNEL_DENIED, NOT_YOUR_CLIENT, Caller
from assistant.channels.mcp_server.server import META_KEY
from datastore.repositories.audit import list_audit
from tests.api.support import LiveServer
from tools.context import AgentContext
from tools.registry import PUBLIC_TOOLS, TOOL_NAMES, all_tools


def _http(live_server: LiveServer, key: str | None, mode: str = "legacy") -> tuple[httpx2.AsyncClient, Client]:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"} if key else {}, timeout=60)
    return http, Client(streamable_http_client(live_server.url + "/mcp", http_client=http), mode=mode)  # type: ignore[arg-type]


def run(live_server: LiveServer, key: str, steps: Any, mode: str = "legacy") -> Any:
    async def go() -> Any:
        http, client = _http(live_server, key, mode)
        async with http, client:
            return await steps(client)

    return asyncio.run(go())


def _direct(live_engine, live_settings, name: str, **args):  # type: ignore[no-untyped-def]
    """The same tool called the way the agent's tool node calls it."""
    ctx = AgentContext(caller=Caller.rm("RM001"), engine=live_engine, settings=live_settings)
    rt = ToolRuntime(state={}, context=ctx, config={}, stream_writer=lambda _: None, tool_call_id="t", store=None)
    return {t.name: t for t in all_tools()}[name].invoke({**args, "runtime": rt})


# ------------------------------------------------------------------------------------------ tools/list
@pytest.mark.parametrize("mode", ["legacy", "auto"])  # 2025 handshake, and the SDK's default negotiation
def test_lists_the_agents_tools_with_the_same_schemas(live_server, live_keys, mode) -> None:
    listed = run(live_server, live_keys["RM001"], lambda c: c.list_tools(), mode).tools
    assert [t.name for t in listed] == list(TOOL_NAMES)
    agent_side = {t.name: convert_to_openai_tool(t)["function"] for t in all_tools()}
    for t in listed:
        assert t.description == agent_side[t.name]["description"]
        assert t.input_schema == agent_side[t.name]["parameters"]
        assert not {"runtime", "caller", "rm_id", "user_id"} & set(t.input_schema.get("properties", {}))


# ------------------------------------------------------------------------------------------ tools/call
@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_lookthrough_of_an_own_client_returns_the_tools_figures(live_server, live_keys, live_engine, live_settings, own_client, mode) -> None:
    res = run(live_server, live_keys["RM001"], lambda c: c.call_tool("lookthrough_portfolio", {"client_id": own_client}), mode)
    assert not res.is_error
    data = res.structured_content
    assert data["client_id"] == own_client and 0 < data["coverage"] <= 1 and data["total_value"] > 0
    assert data["top_holdings"] and all(0 < h["weight"] <= 1 for h in data["top_holdings"])
    assert json.loads(res.content[0].text) == data
    direct = _direct(live_engine, live_settings, "lookthrough_portfolio", client_id=own_client)
    assert data == {k: v for k, v in direct.items() if not k.startswith("_")}  # the same numbers as the agent's
    grounding = res.meta[META_KEY]
    assert grounding["outcome"] == "ok" and grounding["as_of"] == data["as_of"] == "2026-11-20"
    row = next(r for r in list_audit(live_engine, actor="RM001") if r.id == grounding["audit_id"])
    assert (row.tool, row.outcome) == ("lookthrough_portfolio", "ok")


def test_another_rms_client_is_an_mcp_error_that_leaks_nothing(live_server, live_keys, live_engine, other_client) -> None:
    cid, name = other_client

    async def steps(c: Client) -> Any:
        return (await c.call_tool("lookthrough_portfolio", {"client_id": cid}),
                await c.call_tool("portfolio_performance", {"client_id": "C9999"}))

    other, unknown = run(live_server, live_keys["RM001"], steps)
    for res in (other, unknown):
        assert res.is_error and res.structured_content is None
        assert [b.text for b in res.content] == [NOT_YOUR_CLIENT]  # same refusal: existence not revealed
    wire = other.model_dump_json()
    assert name not in wire and "total_value" not in wire and "top_holdings" not in wire
    row = next(r for r in list_audit(live_engine, actor="RM001") if r.id == other.meta[META_KEY]["audit_id"])
    assert (row.tool, row.outcome) == ("lookthrough_portfolio", "forbidden")


def test_the_suitability_gate_applies_as_in_chat(live_server, live_keys, live_engine, live_settings) -> None:
    """C0005 (RM001's) has an expired risk assessment: only deposits pass the gate, and no rebalance."""
    async def steps(c: Client) -> Any:
        return (await c.call_tool("search_products", {"client_id": "C0005", "limit": 10}),
                await c.call_tool("allocation_review", {"client_id": "C0005"}))

    shelf, review = run(live_server, live_keys["RM001"], steps)
    assert shelf.structured_content["products"] and all(
        p["kind"] == "deposit" for p in shelf.structured_content["products"])
    assert "风险测评已过期" in review.structured_content["blocked"] and "proposal" not in review.structured_content
    direct = _direct(live_engine, live_settings, "search_products", client_id="C0005", limit=10)
    assert shelf.structured_content == {k: v for k, v in direct.items() if not k.startswith("_")}


def test_bad_arguments_and_unknown_tools_are_clear_errors(live_server, live_keys) -> None:
    async def steps(c: Client) -> Any:
        bad = await c.call_tool("lookthrough_portfolio", {"client_id": "not-an-id"})
        with pytest.raises(MCPError) as unknown:
            await c.call_tool("drop_tables", {})
        return bad, unknown.value

    bad, unknown = run(live_server, live_keys["RM001"], steps)
    assert bad.is_error and "client_id" in bad.content[0].text
    assert "unknown tool 'drop_tables'" in str(unknown)


def test_a_client_channel_key_gets_only_faq_and_knowledge(live_server, live_keys, live_engine, own_client) -> None:
    async def steps(c: Client) -> Any:
        tools = await c.list_tools()
        refused = await c.call_tool("lookthrough_portfolio", {"client_id": own_client})
        hits = await c.call_tool("search_knowledge", {"query": "冷静期有多长"})
        return tools, refused, hits

    tools, refused, hits = run(live_server, live_keys["faq-bot"], steps)
    assert sorted(t.name for t in tools.tools) == sorted(PUBLIC_TOOLS)
    assert refused.is_error and [b.text for b in refused.content] == [CLIENT_CHANNEL_DENIED]
    assert "total_value" not in refused.model_dump_json()
    row = next(r for r in list_audit(live_engine, actor="faq-bot") if r.id == refused.meta[META_KEY]["audit_id"])
    assert (row.tool, row.outcome) == ("lookthrough_portfolio", "forbidden")
    assert not hits.is_error and hits.meta[META_KEY]["citations"]
    assert all("内部销售手册" not in c for c in hits.meta[META_KEY]["citations"])  # client audience only


# ------------------------------------------------------------------------------------------ resources
def test_resources_are_the_documents_the_caller_may_read(live_server, live_keys) -> None:
    async def listing(c: Client) -> Any:
        return (await c.list_resources()).resources

    rm_docs = {r.title: r.uri for r in run(live_server, live_keys["RM001"], listing)}
    faq_docs = {r.title: r.uri for r in run(live_server, live_keys["faq-bot"], listing)}
    assert "内部销售手册" in rm_docs and "测试常见问题" in rm_docs
    assert "内部销售手册" not in faq_docs and set(faq_docs) == set(rm_docs) - {"内部销售手册"}

    internal = rm_docs["内部销售手册"]
    text = run(live_server, live_keys["RM001"], lambda c: c.read_resource(internal)).contents[0].text
    assert "商业秘密" in text

    async def forbidden_read(c: Client) -> str:
        with pytest.raises(MCPError) as err:
            await c.read_resource(internal)
        return str(err.value)

    assert "商业秘密" not in run(live_server, live_keys["faq-bot"], forbidden_read)


# ------------------------------------------------------------------------------------------ auth
def test_no_key_or_a_wrong_key_is_401(live_server, live_keys) -> None:
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "t", "version": "0"}}}
    headers = {"Accept": "application/json, text/event-stream"}
    for extra in ({}, {"Authorization": "Bearer wd_wrong"}, {"X-API-Key": "wd_wrong"}):
        r = httpx.post(live_server.url + "/mcp", json=init, headers={**headers, **extra})
        assert r.status_code == 401 and r.json()["error"] == "unauthenticated"
        assert r.headers["www-authenticate"] == "Bearer"

    ok = httpx.post(live_server.url + "/mcp", json=init, headers={**headers, "X-API-Key": live_keys["RM001"]})
    assert ok.status_code == 200 and ok.headers["mcp-session-id"]  # the API's other key header works too

    async def sdk_without_key() -> None:
        http, client = _http(live_server, None)
        async with http:
            with pytest.raises(Exception):  # noqa: B017 - the SDK surfaces the 401 as its own error type
                async with client:
                    await client.list_tools()

    asyncio.run(sdk_without_key())


def test_a_session_opened_with_one_key_is_not_usable_with_another(live_server, live_keys) -> None:
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "t", "version": "0"}}}
    accept = {"Accept": "application/json, text/event-stream"}
    opened = httpx.post(live_server.url + "/mcp", json=init, headers={**accept, "Authorization": f"Bearer {live_keys['RM001']}"})
    sid = opened.headers["mcp-session-id"]
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    hijack = httpx.post(live_server.url + "/mcp", json=listing, headers={
        **accept, "Authorization": f"Bearer {live_keys['faq-bot']}", "mcp-session-id": sid,
        "mcp-protocol-version": "2025-06-18"})
    assert hijack.status_code == 404


# ------------------------------------------------------------------------------------------ stdio
def test_stdio_round_trip(live_settings, live_engine, own_client, other_client) -> None:
    exe = Path(sys.executable).with_name("wealthdesk")
    params = StdioServerParameters(
        command=str(exe), args=["mcp", "--stdio", "--as", "RM001"],
        env={"WEALTHDESK_DATABASE_URL": live_settings.database_url or "", "WEALTHDESK_STORE_DIR": str(live_settings.store_dir),
             "WEALTHDESK_VAR_DIR": str(live_settings.var_dir), "WEALTHDESK_LLM_MODE": "offline", "HF_HUB_OFFLINE": "1"},
    )

    async def go() -> Any:
        async with Client(params, mode="legacy") as c:
            return (await c.list_tools(), await c.call_tool("lookthrough_portfolio", {"client_id": own_client}),
                    await c.call_tool("lookthrough_portfolio", {"client_id": other_client[0]}))

    tools, own, other = asyncio.run(go())
    assert [t.name for t in tools.tools] == list(TOOL_NAMES)
    assert not own.is_error and own.structured_content["client_id"] == own_client
    assert own.structured_content["coverage"] > 0
    assert other.is_error and [b.text for b in other.content] == [NOT_YOUR_CLIENT]
    rows = {r.id: r for r in list_audit(live_engine, actor="RM001")}
    assert rows[other.meta[META_KEY]["audit_id"]].outcome == "forbidden"
