from __future__ import annotations

from knowledge.chunking import chunk_text
from knowledge.loaders import parse_front_matter
from knowledge.tokenize import product_codes, tokens
from tests.knowledge.conftest import FAQ, POLICY


def test_clauses_keep_their_number_and_heading():
    _, body = parse_front_matter(POLICY)
    chunks = chunk_text(body)
    sections = [c.section for c in chunks]
    assert sections == ["第一条", "第二条", "第三条", "第十二条"]
    third = chunks[2]
    assert third.text.startswith("第三条") and "R4" in third.text
    assert third.heading == "第二章 匹配"


def test_faq_question_and_answer_form_one_chunk():
    _, body = parse_front_matter(FAQ)
    chunks = chunk_text(body)
    assert [c.section for c in chunks] == ["Q1", "Q2", "Q3"]
    assert "冷静期有多长" in chunks[0].text and "24 小时" in chunks[0].text
    assert not chunks[0].text.startswith("#")


def test_long_clause_is_split_but_every_part_keeps_the_label():
    long = "第五条 " + "客户应当如实填写问卷内容。" * 80
    chunks = chunk_text(long, max_chars=200)
    assert len(chunks) > 3
    assert all(c.section == "第五条" for c in chunks)
    assert all(len(c.text) <= 200 + len("第五条（续）") for c in chunks)
    assert chunks[1].text.startswith("第五条（续）")


def test_heading_sections_and_plain_paragraphs():
    text = "## 费率\n申购费 1.5%。\n\n## 风险提示\n理财非存款。\n"
    chunks = chunk_text(text)
    assert [(c.section, c.text.splitlines()[-1]) for c in chunks] == [("费率", "申购费 1.5%。"), ("风险提示", "理财非存款。")]


def test_codes_are_single_tokens():
    toks = tokens("WM2026002和000001的风险等级是R4吗？赎回T+1到账，WMCASH01")
    for code in ("wm2026002", "000001", "r4", "t+1", "wmcash01"):
        assert code in toks


def test_product_codes_skip_amounts_and_client_levels():
    assert product_codes("起购 100000 元，000001 与 WM2026002，LCD3Y，客户 C3 买 R4") == ["000001", "WM2026002", "LCD3Y"]
