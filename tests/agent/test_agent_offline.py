"""The full offline loop through ``ask()``: access control, audit, memory across turns, sessions."""

import pytest

from analytics.errors import Forbidden, InvalidInput
from assistant.access import NOT_YOUR_CLIENT, Caller
from assistant.agent import ask
from assistant.audit import audit_key
from datastore.repositories.audit import list_audit, verify_chain

RM1 = Caller.rm("RM001")


def _ask(q, engine, settings, caller=RM1, session=None):
    return ask(q, caller=caller, engine=engine, settings=settings, session_id=session)


def test_other_rms_client_and_unknown_client_get_the_same_refusal(mini_engine, offline_settings):
    other = _ask("帮我穿透一下C0003的持仓", mini_engine, offline_settings)  # RM002's client
    unknown = _ask("帮我穿透一下C0999的持仓", mini_engine, offline_settings)  # does not exist
    assert other.tool_calls == [{"name": "lookthrough_portfolio", "args": {"client_id": "C0003"}}]
    assert other.answer == unknown.answer.replace("C0999", "C0003") == NOT_YOUR_CLIENT
    assert "王芳" not in other.answer and other.ungrounded_numbers == []


def test_every_tool_call_is_audited_with_its_outcome(mini_engine, offline_settings):
    _ask("C0003的行业分布", mini_engine, offline_settings)
    row = list_audit(mini_engine, actor="RM001", limit=1)[0]
    assert (row.tool, row.outcome) == ("industry_exposure", "forbidden")
    assert verify_chain(mini_engine, audit_key()) is None


def test_admin_passes_the_access_check(mini_engine, offline_settings):
    res = _ask("C0003的行业分布", mini_engine, offline_settings, caller=Caller.admin())
    assert res.answer != NOT_YOUR_CLIENT
    assert list_audit(mini_engine, actor="admin", limit=1)[0].outcome != "forbidden"


def test_client_channel_has_no_client_tools(mini_engine, offline_settings):
    res = _ask("C0001的持仓穿透", mini_engine, offline_settings, caller=Caller.client_channel())
    assert res.tool_calls == [] and "客户数据" in res.answer


def test_memory_resolves_the_pronoun_to_the_previous_client(mini_engine, offline_settings):
    first = _ask("张伟的穿透", mini_engine, offline_settings)
    assert first.tool_calls[0]["args"]["client_id"] == "C0001"
    second = _ask("那他的行业分布呢?", mini_engine, offline_settings, session=first.session_id)
    assert second.tool_calls == [{"name": "industry_exposure", "args": {"client_id": "C0001"}}]
    third = _ask("那C0002呢？", mini_engine, offline_settings, session=first.session_id)
    assert third.tool_calls == [{"name": "industry_exposure", "args": {"client_id": "C0002"}}]


def test_a_refused_client_is_not_remembered(mini_engine, offline_settings):
    first = _ask("C0003的穿透", mini_engine, offline_settings)
    follow = _ask("那他的行业分布呢?", mini_engine, offline_settings, session=first.session_id)
    assert follow.tool_calls == [] and "客户" in follow.answer  # asks which client


def test_someone_elses_session_is_refused(mini_engine, offline_settings):
    mine = _ask("张伟的穿透", mini_engine, offline_settings)
    with pytest.raises(Forbidden):
        _ask("那他的行业分布呢?", mini_engine, offline_settings, caller=Caller.rm("RM002"), session=mine.session_id)


def test_empty_question_is_invalid_input(mini_engine, offline_settings):
    with pytest.raises(InvalidInput):
        _ask("   ", mini_engine, offline_settings)


def test_out_of_scope_and_clarification_have_no_tool_calls(mini_engine, offline_settings):
    assert _ask("今天天气怎么样", mini_engine, offline_settings).tool_calls == []
    clar = _ask("收益怎么样", mini_engine, offline_settings)
    assert clar.tool_calls == [] and "客户" in clar.answer and clar.ungrounded_numbers == []
