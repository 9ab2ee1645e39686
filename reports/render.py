"""Write a ``DocContent`` into a .docx built on the styled base template, and read docx back as text.

The base (``reports/templates/base.docx``, see ``build_base.py``) carries every style, the heading
numbering and the footer page numbers; this module only appends the cover, a TOC field and the
sections. ``outline(path)`` is the normalized view used by golden tests: one line per paragraph
(``style | text``) and per table row (``table | cell | cell``).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from core.errors import ConfigurationError, GroundingError
from reports.models import MISSING, Chart, DocContent, FigureBook, Para, ReportResult, Table
from reports.table_widths import header_lines, table_layout
from reports.templates.build_base import BASE_PATH, add_field

TOC_TITLE = {"zh": "目录", "en": "Contents"}
TOC_HINT = {
    "zh": "（在 Word 中右键“更新域”可刷新页码）",
    "en": "(right-click → Update Field in Word to refresh page numbers)",
}


def _add_text(paragraph, text: str, lang: str) -> None:  # noqa: ANN001
    """Add ``text`` as runs; the "data missing" token gets the ``WD Missing`` character style."""
    token = MISSING[lang]
    parts = text.split(token)
    for i, part in enumerate(parts):
        if part:
            paragraph.add_run(part)
        if i < len(parts) - 1:
            paragraph.add_run(token, style="WD Missing")


def _bank_header(doc, content: DocContent) -> None:  # noqa: ANN001
    """The bank's name (and logo, when the file exists) in every page header instead of the product name."""
    for section in doc.sections:
        para = section.header.paragraphs[0]
        for run in list(para.runs):
            run._r.getparent().remove(run._r)
        logo = Path(content.bank_logo) if content.bank_logo else None
        if logo is not None and logo.is_file():
            para.add_run().add_picture(str(logo), height=Cm(0.8))
            para.add_run("  ")
        para.add_run(content.bank_name or "")


def _toc(doc, content: DocContent) -> None:  # noqa: ANN001
    doc.add_paragraph(TOC_TITLE[content.lang], style="TOC Heading")
    p = doc.add_paragraph()
    # The cached result lists the section titles so a converter that does not refresh fields (LibreOffice
    # headless) still shows a useful table of contents; Word refreshes it (w:dirty) with page numbers.
    titles = [s.title for s in content.sections if s.level == 1]
    result = add_field(p, 'TOC \\o "1-2" \\h \\z \\u', "")
    for i, title in enumerate(titles, start=1):
        if i > 1:
            result.add_break()
        result.add_text(f"{i}  {title}")
    doc.add_paragraph(TOC_HINT[content.lang], style="WD Note")


def _table(doc, block: Table, lang: str) -> None:  # noqa: ANN001
    widths, pt = _widths(doc, block)
    size = Pt(pt)
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = doc.styles["WD Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    # repeat the header row on every page
    trpr = header._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    for i, name in enumerate(block.columns):
        para = header.cells[i].paragraphs[0]
        for j, line in enumerate(header_lines(name, widths[i], pt)):
            if j:
                para.runs[-1].add_break()
            para.add_run(line).font.size = size
    for row in block.rows:
        added = table.add_row()
        no_split = OxmlElement("w:cantSplit")  # keep a row on one page (no orphan half-rows)
        no_split.set(qn("w:val"), "true")
        added._tr.get_or_add_trPr().append(no_split)
        cells = added.cells
        for i, value in enumerate(row):
            para = cells[i].paragraphs[0]
            _add_text(para, value, lang)
            # the table style's 9 pt loses to the Normal paragraph style in LibreOffice: set it on the runs,
            # so both Word and the PDF use the size the column widths are measured at
            for run in para.runs:
                run.font.size = size
            if i in block.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_widths(table, widths)
    # a paragraph after every table: Word and LibreOffice merge directly adjacent tables into one
    doc.add_paragraph(block.caption or "", style="Caption")


def _widths(doc, block: Table) -> tuple[list[int], float]:  # noqa: ANN001
    """Fixed column widths over the text width and the table's font size (``reports.table_widths``)."""
    section = doc.sections[-1]
    usable = int(section.page_width - section.left_margin - section.right_margin)
    return table_layout(block.columns, block.rows, set(block.numeric), usable, block.widths)


def _set_widths(table, widths: list[int]) -> None:  # noqa: ANN001
    """Write the widths into the grid and every cell through the XML directly: python-docx's column.cells
    walks the whole table per column, which made big tables (the provenance appendix) the slowest part."""
    table.autofit = False
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=False):
        grid_col.w = width
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=False):
            tc.width = width


def render(content: DocContent, out: Path, *, base: Path = BASE_PATH) -> Path:
    """Write ``content`` to ``out`` (parent directories are created)."""
    if not base.is_file():
        raise ConfigurationError(
            f"report base template {base} is missing", hint="run: python -m reports.templates.build_base"
        )
    doc = Document(str(base))
    doc.core_properties.title = content.title
    doc.core_properties.author = "WealthDesk"
    if content.bank_name or content.bank_logo:
        _bank_header(doc, content)
    elif content.header:  # the base template's header paragraph keeps its style; only the text changes
        for section in doc.sections:
            para = section.header.paragraphs[0]
            if para.runs:
                para.runs[0].text = content.header
                for run in para.runs[1:]:
                    run.text = ""
            else:
                para.add_run(content.header)

    # cover page
    doc.add_paragraph(content.title, style="Title")
    doc.add_paragraph(content.subtitle, style="Subtitle")
    for line in content.cover_lines:
        doc.add_paragraph(line, style="WD Cover")
    badge = doc.add_paragraph(style="WD Cover")
    badge.add_run(content.badge, style="WD Flag")
    badge.runs[-1].add_break(WD_BREAK.PAGE)

    _toc(doc, content)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    for section in content.sections:
        doc.add_heading(section.title, level=section.level)
        for block in section.blocks:
            if isinstance(block, Para):
                _add_text(doc.add_paragraph(style=block.style), block.text, content.lang)
            elif isinstance(block, Table):
                _table(doc, block, content.lang)
            elif isinstance(block, Chart):
                pic = doc.add_paragraph()
                pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
                pic.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
                doc.add_paragraph(block.caption, style="Caption")
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def outline(path: Path) -> list[str]:
    """Normalized view of a docx for golden tests: ``style | text`` per paragraph, ``table | a | b`` per row.

    Images appear as ``[image]``; empty paragraphs are skipped; body order is preserved.
    """
    doc = Document(str(path))
    lines: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            from docx.text.paragraph import Paragraph

            para = Paragraph(child, doc)
            text = " / ".join(part.strip() for part in para.text.strip().splitlines())
            if child.findall(".//" + qn("w:drawing")):
                lines.append("[image]")
            if text:
                lines.append(f"{para.style.name} | {text}")
        elif child.tag == qn("w:tbl"):
            from docx.table import Table as DocxTable

            for row in DocxTable(child, doc).rows:
                lines.append(
                    "table | "
                    + " | ".join(
                        " / ".join(p.strip() for p in c.text.strip().splitlines()) for c in row.cells
                    )
                )
    return lines


def all_text(content: DocContent) -> str:
    """Every string the reader sees (cover, headings, paragraphs, table cells, captions), one per line."""
    out = [content.title, content.subtitle, *content.cover_lines]
    for section in content.sections:
        out.append(section.title)
        for block in section.blocks:
            if isinstance(block, Para):
                out.append(block.text)
            elif isinstance(block, Table):
                out.append(" ".join(block.columns))
                out.extend(block.row_text(r) for r in block.rows)
                if block.caption:
                    out.append(block.caption)
            elif isinstance(block, Chart):
                out.append(block.caption)
    return "\n".join(out)


def render_grounded(
    content: DocContent, figures: FigureBook, facts: object, out: Path, *, what: str, strict: bool = True
) -> ReportResult:
    """The one gate every report passes: each number a reader sees must be in ``facts`` (the structured
    content the tools computed). ``ungrounded_numbers`` is the verifier's own list for this text: with
    ``strict`` (every caller today) a non-empty list raises ``GroundingError`` and nothing is written, so a
    returned result carries ``[]`` because the text was checked; ``strict=False`` (a draft for review)
    writes the document and returns the list."""
    from reports.grounding import verify

    ungrounded = verify(all_text(content), facts)
    if ungrounded and strict:
        raise GroundingError(f"the {what} contains numbers that no tool computed", ungrounded)
    return ReportResult(
        path=render(content, out),
        sections=[s.title for s in content.sections if s.level == 1],
        figures=figures.figures,
        ungrounded_numbers=list(ungrounded),
    )
