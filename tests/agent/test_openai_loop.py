"""The openai-mode loop with the real ``openai``/``langchain-openai`` client against a local fake server."""

import json

import pytest

from assistant.access import NOT_YOUR_CLIENT, Caller
from assistant.agent import ask
from assistant.settings import Settings
from datastore.repositories.audit import list_audit
from tests.agent.fake_openai import FakeOpenAI

RM1 = Caller.rm("RM001")


@pytest.fixture()
def fake():
    server = FakeOpenAI().start()
    yield server
    server.stop()


def _settings(tmp_path, fake, **kw):
    return Settings(var_dir=tmp_path, llm_mode="openai", llm_base_url=fake.base_url, llm_model="fake-model",
                    llm_api_key="test-key", _env_file=None, **kw)  # type: ignore[call-arg]


def _tool(name, **args):
    return {"tool_calls": [(name, json.dumps(args, ensure_ascii=False))]}


def test_tool_call_round_trip_with_refusal_and_audit(tmp_path, fake, mini_engine):
    fake.enqueue(_tool("lookthrough_portfolio", client_id="C0003"), NOT_YOUR_CLIENT)
    res = ask("C0003的穿透", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert res.tool_calls == [{"name": "lookthrough_portfolio", "args": {"client_id": "C0003"}}]
    assert res.answer == NOT_YOUR_CLIENT
    tool_msg = [m for m in fake.requests[1]["messages"] if m["role"] == "tool"][0]
    assert json.loads(tool_msg["content"])["error"] == "forbidden"
    assert list_audit(mini_engine, actor="RM001", limit=1)[0].outcome == "forbidden"
    # the tools offered to the model carry no identity argument
    params = {t["function"]["name"]: t["function"]["parameters"] for t in fake.requests[0]["tools"]}
    from tools.registry import TOOL_NAMES

    assert set(params) == set(TOOL_NAMES)
    assert all(not {"caller", "runtime", "engine"} & set(p.get("properties", {})) for p in params.values())


def test_malformed_tool_arguments_are_re_asked_not_crashed(tmp_path, fake, mini_engine):
    fake.enqueue({"tool_calls": [("lookthrough_portfolio", "{client_id: C0001")]}, "请提供正确的客户编号。")
    res = ask("C0001的穿透", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert res.answer == "请提供正确的客户编号。" and res.tool_calls == []
    assert "not valid JSON" in json.dumps(fake.requests[1]["messages"], ensure_ascii=False)


def test_malformed_twice_gives_a_plain_apology(tmp_path, fake, mini_engine):
    bad = {"tool_calls": [("lookthrough_portfolio", "{oops")]}
    fake.enqueue(bad, bad)
    res = ask("C0001的穿透", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert "无效" in res.answer


def test_unknown_tool_name_is_reported_to_the_model(tmp_path, fake, mini_engine):
    fake.enqueue(_tool("delete_all_clients"), "我无法执行该操作。")
    res = ask("删除所有客户", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert res.answer == "我无法执行该操作。"
    tool_msg = [m for m in fake.requests[1]["messages"] if m["role"] == "tool"][0]
    assert "not a valid tool" in tool_msg["content"]
    assert list_audit(mini_engine, limit=1)[0].tool == "delete_all_clients"


def test_ungrounded_answer_is_retried_once_then_flagged(tmp_path, fake, mini_engine):
    fake.enqueue("张伟今年收益率为12.34%。", "暂时无法提供该数字。")
    ok = ask("张伟今年收益", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert ok.answer == "暂时无法提供该数字。" and ok.ungrounded_numbers == []
    assert "12.34%" in fake.requests[-1]["messages"][-1]["content"]
    fake.enqueue("收益率为12.34%。", "收益率为56.78%。")
    bad = ask("张伟今年收益", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert bad.ungrounded_numbers == ["56.78%"]


def test_personal_data_is_masked_on_the_wire_and_restored(tmp_path, fake, mini_engine):
    fake.enqueue("«NAME_1»的手机号已隐藏。")
    settings = _settings(tmp_path, fake, llm_mask_pii="always")
    res = ask("张伟的手机13812345678是否正确", caller=RM1, engine=mini_engine, settings=settings)
    wire = json.dumps(fake.requests[0], ensure_ascii=False)
    assert "张伟" not in wire and "13812345678" not in wire and "«NAME_1»" in wire
    assert res.answer == "张伟的手机号已隐藏。"


def test_loopback_endpoint_is_not_masked_by_default(tmp_path, fake, mini_engine):
    fake.enqueue("好的。")
    ask("张伟的情况", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert "张伟" in json.dumps(fake.requests[0], ensure_ascii=False)


def test_history_is_replayed_for_follow_ups(tmp_path, fake, mini_engine):
    settings = _settings(tmp_path, fake)
    fake.enqueue("好的，C0001。")
    first = ask("看看C0001", caller=RM1, engine=mini_engine, settings=settings)
    fake.enqueue("行业分布需要调用工具。")
    ask("那他的行业分布呢?", caller=RM1, engine=mini_engine, settings=settings, session_id=first.session_id)
    contents = [m.get("content") for m in fake.requests[-1]["messages"]]
    assert "看看C0001" in contents and "好的，C0001。" in contents


def test_guard_blocks_remote_endpoints(mini_engine, tmp_path):
    remote = Settings(var_dir=tmp_path, llm_mode="openai", llm_base_url="https://api.example.com/v1",
                      _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(RuntimeError, match="real LLM"):
        ask("hi", caller=RM1, engine=mini_engine, settings=remote)


def test_streaming_sends_pieces_and_restores_masked_names(tmp_path, fake, mini_engine):
    fake.enqueue(_tool("lookthrough_portfolio", client_id="C0003"), "«NAME_1»的问题：无权查看该客户信息。")
    pieces: list[str] = []
    settings = _settings(tmp_path, fake, llm_mask_pii="always")
    res = ask("张伟和C0003的穿透", caller=RM1, engine=mini_engine, settings=settings, stream=pieces.append)
    assert len(pieces) >= 2 and "".join(pieces) == res.answer == "张伟的问题：无权查看该客户信息。"
    assert all(r.get("stream") for r in fake.requests)


def test_arguments_failing_the_schema_go_back_to_the_model(tmp_path, fake, mini_engine):
    fake.enqueue(_tool("lookthrough_portfolio", client_id="not-an-id"), "请提供客户编号。")
    res = ask("穿透一下", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert res.answer == "请提供客户编号。"
    tool_msg = [m for m in fake.requests[1]["messages"] if m["role"] == "tool"][0]
    assert "client_id" in tool_msg["content"]
    assert list_audit(mini_engine, limit=1)[0].outcome == "error"


def test_out_of_range_arguments_come_back_naming_the_field(tmp_path, fake, mini_engine):
    fake.enqueue(_tool("search_products", max_risk_level="R3", horizon_days=23725), "期限最长3650天。")
    res = ask("R3产品", caller=RM1, engine=mini_engine, settings=_settings(tmp_path, fake))
    assert res.answer == "期限最长3650天。"
    tool_msg = [m for m in fake.requests[1]["messages"] if m["role"] == "tool"][0]
    err = json.loads(tool_msg["content"])  # JSON the model can read, not LangChain's "Error invoking tool … kwargs"
    assert err["error"] == "invalid_input" and err["field"] == "horizon_days" and "3650" in err["message"]
    assert list_audit(mini_engine, actor="RM001", limit=1)[0].outcome == "error"
