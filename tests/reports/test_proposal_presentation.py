"""Proposal presentation: the bank's name/logo in the header, one unit per money column, 合计 rows,
English documents with English product names, column widths that keep header words whole."""

from __future__ import annotations

import base64
from types import SimpleNamespace

from docx import Document

from assistant.access import Caller
from reports.render import _CHAR_EMU, _no_word_breaks, _text_width, outline
from services.proposal import build_proposal

ADMIN = Caller(user_id="admin", role="admin")
# a 1×1 PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_bank_name_and_logo_in_the_header(sample_engine, tmp_path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    settings = SimpleNamespace(bank_name="闽江银行", bank_logo_path=logo)
    out = tmp_path / "p.docx"
    build_proposal(sample_engine, ADMIN, "C0004", out, settings=settings)
    header = Document(str(out)).sections[0].header
    assert header.paragraphs[0].text.strip() == "闽江银行"
    assert header._element.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing")
    plain = tmp_path / "q.docx"
    build_proposal(sample_engine, ADMIN, "C0004", plain)
    assert Document(str(plain)).sections[0].header.paragraphs[0].text.strip() == "WealthDesk"


def test_one_unit_per_money_column_and_totals(sample_engine, tmp_path) -> None:
    out = tmp_path / "p.docx"
    build_proposal(sample_engine, ADMIN, "C0004", out, variant="client")
    rows = [ln.split(" | ")[1:] for ln in outline(out)
            if ln.startswith(("table | 卖出", "table | 买入", "table |  | 卖出合计", "table |  | 买入合计"))]
    assert any(r[1] == "卖出合计" for r in rows) and any(r[1] == "买入合计" for r in rows)
    for r in rows:
        assert r[3].endswith("万") and r[4].endswith("元") and not r[4].endswith("万元")


def test_english_document_uses_english_product_names(sample_engine, tmp_path) -> None:
    out = tmp_path / "en.docx"
    build_proposal(sample_engine, ADMIN, "C0009", out, lang="en", variant="client")
    text = "\n".join(outline(out))
    assert "Mingde Balanced Growth Equity (001111)" in text and "明德均衡成长股票" not in text


def test_header_words_are_never_split() -> None:
    cols = ["Action", "Product", "Risk", "Amount (CNY)", "Fee (CNY)", "Realised (CNY)", "Settlement", "Reason"]
    usable = 16 * 360000
    weights = (0.7, 2.6, 0.6, 1.1, 0.9, 1.1, 0.9, 2.2)
    widths = _no_word_breaks([usable * w / sum(weights) for w in weights], cols, usable)
    for name, w in zip(cols, widths, strict=True):
        assert all(_text_width(word) * _CHAR_EMU < w for word in name.split()), name
    assert sum(widths) <= usable
