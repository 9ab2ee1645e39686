"""The report gate: ``ungrounded_numbers`` is the verifier's own list, and an ungrounded number blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.errors import GroundingError
from reports.models import DocContent, FigureBook, Para, Section, Table
from reports.render import render_grounded

FACTS = {"return": 0.1234, "market_value": 123_456.0}


def _doc(text: str) -> DocContent:
    return DocContent(
        title="测试报告",
        subtitle="仅用于测试",
        badge="内部资料",
        cover_lines=[],
        sections=[Section(title="摘要", blocks=[Para(text=text), Table(columns=["项目", "数值"],
                                                                      rows=[["市值", "12.35万元"]])])],
    )


def test_grounded_document_is_written_with_an_empty_checked_list(tmp_path: Path) -> None:
    out = tmp_path / "ok.docx"
    res = render_grounded(_doc("收益率12.34%。"), FigureBook("zh"), FACTS, out, what="test report")
    assert res.ungrounded_numbers == [] and out.is_file()


def test_ungrounded_number_blocks_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "bad.docx"
    with pytest.raises(GroundingError) as e:
        render_grounded(_doc("收益率12.34%，最大回撤8.8%。"), FigureBook("zh"), FACTS, out, what="test report")
    assert e.value.ungrounded == ["8.8%"] and not out.exists()


def test_draft_mode_reports_the_verifiers_list(tmp_path: Path) -> None:
    """The result carries what the verifier found (not a constant): a draft keeps the document and says
    which numbers no tool computed, also in table cells."""
    out = tmp_path / "draft.docx"
    doc = _doc("收益率12.34%，最大回撤8.8%。")
    doc.sections[0].blocks.append(Table(columns=["项目", "数值"], rows=[["费用", "3.21万元"]]))
    res = render_grounded(doc, FigureBook("zh"), FACTS, out, what="test report", strict=False)
    assert res.ungrounded_numbers == ["8.8%", "3.21万元"] and out.is_file()
