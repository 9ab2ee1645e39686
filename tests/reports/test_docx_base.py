"""The styled base template and the chart fonts: East Asian fonts, numbering, page fields, TOC, no tofu."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from reports import charts
from reports.models import DocContent, Para, Section, Table
from reports.render import outline, render
from reports.templates.build_base import BASE_PATH, build


def _east_asia(style) -> str | None:  # noqa: ANN001
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_base_template_styles() -> None:
    doc = Document(str(BASE_PATH))
    assert _east_asia(doc.styles["Normal"]) == "宋体"
    assert _east_asia(doc.styles["Heading 1"]) == "黑体"
    for name in ("WD Cover", "WD Note", "WD Missing", "WD Flag", "WD Table", "Caption", "TOC Heading"):
        assert name in [s.name for s in doc.styles]
    h1 = doc.styles["Heading 1"].element.pPr.find(qn("w:numPr"))
    assert h1 is not None and h1.find(qn("w:numId")).get(qn("w:val")) == "90"
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert round(doc.sections[0].page_width.cm, 2) == 21.0  # A4


def test_build_script_reproduces_the_styles(tmp_path: Path) -> None:
    fresh = Document(str(build(tmp_path / "base.docx")))
    committed = Document(str(BASE_PATH))
    assert sorted(s.name for s in fresh.styles) == sorted(s.name for s in committed.styles)


def test_render_cover_toc_sections_and_missing_marks(tmp_path: Path) -> None:
    content = DocContent(
        title="测试报告",
        subtitle="副标题",
        badge="仅供内部参考",
        cover_lines=["客户：张三"],
        lang="zh",
        sections=[
            Section(
                title="第一节",
                blocks=[
                    Para(text="收入数据缺失，未作估算"),
                    Table(columns=["项目", "2024年"], rows=[["收入", "数据缺失"]]),
                ],
            )
        ],
    )
    out = render(content, tmp_path / "t.docx")
    lines = outline(out)
    assert lines[:3] == ["Title | 测试报告", "Subtitle | 副标题", "WD Cover | 客户：张三"]
    assert "Heading 1 | 第一节" in lines and "table | 收入 | 数据缺失" in lines
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'TOC \\o "1-2"' in xml
    assert 'w:rStyle w:val="WDMissing"' in xml  # the missing mark is styled, in text and in the table
    assert xml.count('w:rStyle w:val="WDMissing"') == 2


def test_chart_font_has_cjk_glyphs() -> None:
    from matplotlib.ft2font import FT2Font

    family = charts.setup_fonts()
    path = next(p for p in charts.cjk_font_files().values() if "NotoSansCJK" in p.name)
    font = FT2Font(str(path))
    assert all(font.get_char_index(ord(ch)) != 0 for ch in "权益类固定收益行业分布回撤")
    assert "CJK" in family
    png = charts.donut(["权益类", "现金类"], [0.7, 0.3], "资产配置")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
