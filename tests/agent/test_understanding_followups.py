"""Follow-ups and held-fund asks of the offline planner on the sample book (RM001), each taken from a turn an RM
typed in the conversation-heavy blind dev set v11 or the mixed set v10 (session 4)."""

from __future__ import annotations

import pytest

from assistant.offline.entities import extract
from assistant.offline.understand import plan

HE = {"client_id": "C0009", "last_tool": "client_overview"}  # 彭娟 (male in the sample data)
SHE = {"client_id": "C0034", "last_tool": "client_overview"}  # 曹建 (female)


@pytest.mark.parametrize("text,state,call", [
    # a metric of a fund the client holds is the fund's metric, not the client's portfolio
    ("他那只明德均衡成长近一年收益", HE, ("fund_metrics", {"fund": "001111", "period": "1y"})),
    ("他那只东岳新能源产业 今年回撤多少", HE, ("fund_metrics", {"fund": "001103", "period": "ytd"})),
    ("她持有的沪深300指数A 今年以来多少", SHE, ("fund_metrics", {"fund": "005501", "period": "ytd"})),
    ("is the 嘉禾医疗服务混合 he holds any good? 1y return", HE, ("fund_metrics", {"fund": "002208", "period": "1y"})),
    # the client's own portfolio is still the client's
    ("他近一年收益", HE, ("portfolio_performance", {"client_id": "C0009", "period": "1y"})),
])
def test_a_metric_of_a_held_fund(lex, text, state, call):
    assert plan(text, lex, state).calls == [call]


@pytest.mark.parametrize("text,fund", [
    ("沪深300指数A", "005501"),  # the type word said (指数) breaks the tie with 华鼎沪深300ETF
    ("沪深300ETF费率", "515301"), ("沪深300联接", "008801"),
])
def test_type_words_break_a_tie_between_funds_of_one_index(lex, text, fund):
    assert extract(text, lex).fund_codes == [fund]


def test_a_company_id_with_its_own_name_is_not_the_fund_of_that_brand(lex):
    ent = extract("E006 星河新能源 2025年毛利率", lex)
    assert (ent.company, ent.fund_codes) == ("E006", [])
    assert extract("005501跑赢沪深300了吗", lex).text_wo_funds.strip() == "跑赢沪深300了吗"  # the benchmark stays


@pytest.mark.parametrize("text,state,call", [
    ("那她的风险承受能力是啥等级来着", SHE, ("client_overview", {"client_id": "C0034"})),
    ("what level is she", SHE, ("client_overview", {"client_id": "C0034"})),
    ("她那个理财啥时候到期", SHE, ("client_overview", {"client_id": "C0034"})),
    ("他的保险是哪款", HE, ("client_overview", {"client_id": "C0009"})),
    ("his 大额存单 when does that come due", HE, ("client_overview", {"client_id": "C0009"})),
    ("how much is Lin Huijing's 515303 position worth today", {}, ("client_overview", {"client_id": "C0001"})),
])
def test_what_a_client_holds_and_her_risk_level_are_the_overview(lex, text, state, call):
    assert plan(text, lex, state).calls == [call]


def test_a_named_products_terms_are_its_document_and_the_next_turn_checks_it_for_a_client(lex):
    ask = "闽江理财固收增强一年期10号 产品详情"
    assert plan(ask, lex, {}).calls == [("search_knowledge", {"query": ask})]  # not a shelf search on 固收 + 一年期
    assert plan("七天通知存款起存金额", lex, {}).calls == [("search_knowledge", {"query": "七天通知存款起存金额"})]
    state = {"last_question": ask, "last_tool": "search_knowledge"}
    assert plan("叶红秀能买吗 买20万", lex, state).calls == [
        ("check_suitability", {"client_id": "C0013", "product": "WM2026010", "amount": 200000.0})]


def test_the_two_funds_or_clients_just_compared(lex):
    funds = {"fund_codes": ["003301", "003308"], "period": "1y", "last_tool": "compare_funds",
             "last_calls": [{"name": "compare_funds", "args": {"funds": ["003301", "003308"], "period": "1y"}}]}
    assert plan("两只重合度高不高", lex, funds).calls == [("fund_overlap", {"fund_codes": ["003301", "003308"]})]
    assert plan("哪个回撤小 具体数", lex, funds).calls == [
        ("compare_funds", {"funds": ["003301", "003308"], "period": "1y"})]
    clients = {"client_id": "C0034", "recent_clients": ["C0034", "C0037"], "last_tool": "compare_clients"}
    assert plan("what do they both hold", lex, clients).calls == [("compare_clients", {"client_ids": ["C0037", "C0034"]})]


@pytest.mark.parametrize("text,cids", [("lhj 的健康度打个分", ["C0001"]), ("lml 现金余额多少", ["C0023"]),
                                       ("LHJ ytd", ["C0001"]), ("ytd of the XYZ fund", []), ("ok thx", [])])
def test_a_client_typed_as_pinyin_initials(lex, text, cids):
    assert extract(text, lex).client_ids == cids
