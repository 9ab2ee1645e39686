from __future__ import annotations

from pathlib import Path

import pytest

from analytics.errors import InvalidInput
from knowledge.ingest import ingest_paths
from knowledge.retrieval import get_retriever, search
from tests.knowledge.conftest import write_corpus


def test_passages_are_typed_with_citation(tiny_store: Path):
    top = search("C3客户能不能买R4产品", store_dir=tiny_store, k=3)[0]
    assert top.section == "第三条" and top.citation() == "《测试适当性办法》第三条"
    assert top.score > 0 and top.dense is not None and top.version_date == "2026-01-01"


def test_audience_filter_excludes_internal_documents(tiny_store: Path):
    # The internal manual is the best match for this wording; a client search must never see it.
    unfiltered = search("客户维护费分成比例", store_dir=tiny_store, k=3)
    assert unfiltered[0].audience == "internal"
    client = search("客户维护费分成比例", store_dir=tiny_store, k=10, audience="client")
    assert client and all(p.audience == "client" for p in client)


def test_doc_type_and_product_filters(tiny_store: Path):
    faqs = search("冷静期", store_dir=tiny_store, k=10, doc_type="faq")
    assert faqs and {p.doc_type for p in faqs} == {"faq"}
    prod = search("风险等级", store_dir=tiny_store, k=10, product_code="WM2026002")
    assert prod and all("WM2026002" in p.product_codes for p in prod)


def test_bm25_matches_codes_and_risk_labels(tiny_store: Path):
    by_code = search("000001", store_dir=tiny_store, k=3, mode="bm25")
    assert by_code and by_code[0].title.endswith("（000001）产品概要")
    wm = search("WM2026002", store_dir=tiny_store, k=3, mode="bm25")
    assert wm and "WM2026002" in wm[0].product_codes
    r4 = search("R4", store_dir=tiny_store, k=5, mode="bm25")
    assert {p.section for p in r4} >= {"第三条"}
    assert all("R4" in p.text for p in r4)  # "R4" is a token of its own, not a substring of anything else


def test_hybrid_puts_the_product_factsheet_first_for_a_code_question(tiny_store: Path):
    top = search("000001的申购费率是多少", store_dir=tiny_store, k=3)[0]
    assert "000001" in top.product_codes


def test_english_question_finds_chinese_clause(tiny_store: Path):
    r = get_retriever(tiny_store)
    hits = r.search("How long is the cooling-off period for wealth products?", k=3, lang="zh", audience="client")
    assert hits[0].section == "Q1" and "冷静期" in hits[0].text


def test_bad_filters_and_empty_query_are_domain_errors(tiny_store: Path):
    with pytest.raises(InvalidInput, match="audience"):
        search("x", store_dir=tiny_store, audience="public")
    with pytest.raises(InvalidInput, match="doc_type"):
        search("x", store_dir=tiny_store, doc_type="memo")
    with pytest.raises(InvalidInput, match="query"):
        search("  ", store_dir=tiny_store)


def test_cached_retriever_is_reloaded_after_ingest(tmp_path: Path):
    corpus = write_corpus(tmp_path / "c")
    (corpus / "internal" / "manual.md").unlink()
    store = tmp_path / "s"
    ingest_paths([corpus], store_dir=store)
    first = get_retriever(store)
    assert get_retriever(store) is first  # warm: same object
    extra = corpus / "faq" / "new.md"
    extra.write_text("---\ntitle: 新增问答\ndoc_type: faq\naudience: client\n---\n## Q1: 黄金积存怎么买？\nA: 在手机银行黄金专区购买。\n",
                     encoding="utf-8")
    ingest_paths([corpus], store_dir=store)
    second = get_retriever(store)
    assert second is not first
    assert search("黄金积存", store_dir=store, k=1)[0].title == "新增问答"
