"""A slice of the real corpus (cooling-off, suitability, two FAQ files, the internal manual) in a temp store:
cross-language retrieval and the client-audience wall on real documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.faq import answer_faq
from knowledge.ingest import ingest_paths
from knowledge.retrieval import get_retriever

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
SLICE = ["policies/cooling_off.md", "policies/suitability.md", "faq/faq_wmp.md", "faq/faq_en.md",
         "internal/rm_sales_manual.md"]


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("real-store")
    report = ingest_paths([CORPUS / s for s in SLICE], store_dir=store, approved_by="test-seed")
    assert report.failed == [] and len(report.added) == len(SLICE)
    return store


@pytest.mark.parametrize(("question", "lang", "expected"), [
    ("How many hours is the cooling-off period?", "zh", {"Q3", "Q4", "第一条", "第二条"}),
    ("Can a balanced C3 client buy an R4 product?", "zh", {"第七条"}),
    ("Do clients over 70 need extra confirmation for R3 products?", "zh", {"第十条"}),
    ("冷静期内撤销购买能全额退款吗", "en", {"Q5"}),
    ("理财产品保本吗", "en", {"Q6"}),
])
def test_question_finds_the_passage_in_the_other_language(real_store: Path, question: str, lang: str,
                                                          expected: set[str]):
    hits = get_retriever(real_store).search(question, k=3, lang=lang, audience="client")
    assert {p.section for p in hits} & expected, [p.citation() for p in hits]


def test_client_faq_never_draws_on_the_internal_manual(real_store: Path):
    for q in ("冷静期内客户要撤销，理财经理应该怎么做", "高龄客户买R3产品要注意什么", "推介产品时哪些话不能说"):
        a = answer_faq(q, store_dir=real_store)
        assert "内部" not in a.answer and all("内部" not in c for c in a.citations), a
