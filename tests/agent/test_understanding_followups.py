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
