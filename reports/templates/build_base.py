"""Build ``reports/templates/base.docx``: the styled base document every report starts from.

Run ``python -m reports.templates.build_base`` to regenerate it. Business users may instead open
``base.docx`` in Word or LibreOffice and edit styles (fonts, colours, spacing, header/footer text, margins)
and save it: the generators only rely on the *style names* below, the heading numbering and the footer,
and keep everything else from the file.

Style names used by the generators:
``Normal`` (body, 宋体 / Times New Roman 10.5 pt), ``Heading 1``–``Heading 3`` (黑体, numbered 1 / 1.1 /
1.1.1 through a multilevel list linked to the styles), ``Title``, ``Subtitle``, ``Caption``,
``WD Cover`` (cover lines), ``WD Note`` (small grey notes and sources), ``WD Missing`` (character
style for "数据缺失 / data missing"), ``WD Flag`` (character style for risk flags), ``TOC Heading``,
table style ``WD Table`` (grid, shaded header row).

East Asian typography: every style sets ``w:eastAsia`` explicitly, because Word ignores the Latin font
for CJK characters. LibreOffice maps 宋体/黑体 to whatever CJK font fontconfig offers (see
``reports.pdf`` which points it at the fonts mplfonts ships).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

BASE_PATH = Path(__file__).with_name("base.docx")
NAVY = RGBColor(0x1F, 0x4E, 0x79)
BODY_LATIN, BODY_CJK = "Times New Roman", "宋体"
HEAD_LATIN, HEAD_CJK = "Arial", "黑体"
NUMBERING_ABSTRACT_ID = 90  # high ids so they never collide with python-docx's default numbering
NUMBERING_NUM_ID = 90


def set_fonts(style_or_run, latin: str, east_asia: str) -> None:  # noqa: ANN001 - style or run
    """Set Latin and East Asian font names on a style or run (w:rFonts ascii/hAnsi/eastAsia)."""
    style_or_run.font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _paragraph_style(doc, name: str, base: str | None = None):  # noqa: ANN001, ANN202
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    return style


def _heading_numbering(doc) -> None:  # noqa: ANN001
    """A multilevel list 1 / 1.1 / 1.1.1 bound to Heading 1–3 (w:pStyle in each level + numPr in styles)."""
    numbering = doc.part.numbering_part.element
    levels = []
    for ilvl, text in enumerate(("%1", "%1.%2", "%1.%2.%3")):
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            f'<w:pStyle w:val="Heading{ilvl + 1}"/><w:suff w:val="space"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUMBERING_ABSTRACT_ID}">'
        f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>'
    )
    num = parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{NUMBERING_NUM_ID}">'
        f'<w:abstractNumId w:val="{NUMBERING_ABSTRACT_ID}"/></w:num>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # abstractNum elements must precede num elements
    else:
        numbering.append(abstract)
    numbering.append(num)
    for level in (1, 2, 3):
        ppr = doc.styles[f"Heading {level}"].element.get_or_add_pPr()
        numpr = parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="{NUMBERING_NUM_ID}"/></w:numPr>'
        )
        ppr.insert(0, numpr)


def _table_style(doc) -> None:  # noqa: ANN001
    """``WD Table``: thin grid, navy header row with white bold text, compact cell margins."""
    xml = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="WDTable">
  <w:name w:val="WD Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="8" w:space="0" w:color="1F4E79"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:bottom w:val="single" w:sz="8" w:space="0" w:color="1F4E79"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
    </w:tblBorders>
    <w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:color w:val="FFFFFF"/><w:rFonts w:eastAsia="{HEAD_CJK}"/></w:rPr>
    <w:tblPr/>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F4E79"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""
    doc.styles.element.append(parse_xml(xml))


def _footer_page_numbers(section) -> None:  # noqa: ANN001
    """Centered "PAGE / NUMPAGES" fields in the footer; Word and LibreOffice compute them at render."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, instr in enumerate(("PAGE", "NUMPAGES")):
        if i:
            para.add_run(" / ")
        add_field(para, instr, "1")


def add_field(paragraph, instruction: str, placeholder: str):  # noqa: ANN001, ANN201
    """Append a complex field (begin/instr/separate/result/end) to ``paragraph``; returns the result run."""

    def fld(kind: str) -> None:
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")  # ask Word to refresh on open
        run._r.append(el)

    fld("begin")
    instr_run = paragraph.add_run()
    instr_el = OxmlElement("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = f" {instruction} "
    instr_run._r.append(instr_el)
    fld("separate")
    result = paragraph.add_run(placeholder)
    fld("end")
    return result


def build(path: Path = BASE_PATH) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.8)
    section.header_distance = section.footer_distance = Cm(1.2)

    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_LATIN, BODY_CJK)
    normal.font.size = Pt(10.5)  # 五号
    normal.paragraph_format.line_spacing = 1.3
    normal.paragraph_format.space_after = Pt(4)

    sizes = {1: 16, 2: 13, 3: 11.5}  # 三号, 小三-ish, 小四-ish
    for level, size in sizes.items():
        h = doc.styles[f"Heading {level}"]
        set_fonts(h, HEAD_LATIN, HEAD_CJK)
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.italic = False
        h.font.color.rgb = NAVY
        h.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        h.paragraph_format.space_after = Pt(6)
        h.paragraph_format.keep_with_next = True
    _heading_numbering(doc)

    title = doc.styles["Title"]
    set_fonts(title, HEAD_LATIN, HEAD_CJK)
    title.font.size, title.font.bold, title.font.color.rgb = Pt(26), True, NAVY
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(140)
    title.paragraph_format.space_after = Pt(18)
    # python-docx's default Title has a bottom border; keep the cover clean
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)

    subtitle = doc.styles["Subtitle"]
    set_fonts(subtitle, HEAD_LATIN, HEAD_CJK)
    subtitle.font.size, subtitle.font.italic, subtitle.font.color.rgb = Pt(15), False, NAVY
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(60)

    cover = _paragraph_style(doc, "WD Cover", "Normal")
    cover.font.size = Pt(12)
    cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.paragraph_format.space_after = Pt(8)

    note = _paragraph_style(doc, "WD Note", "Normal")
    note.font.size = Pt(9)
    note.font.color.rgb = RGBColor(0x59, 0x59, 0x59)

    caption = doc.styles["Caption"]
    set_fonts(caption, BODY_LATIN, BODY_CJK)
    caption.font.size, caption.font.bold, caption.font.color.rgb = Pt(9), False, RGBColor(0x40, 0x40, 0x40)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    toc_heading = doc.styles["TOC Heading"]
    set_fonts(toc_heading, HEAD_LATIN, HEAD_CJK)
    toc_heading.font.color.rgb = NAVY
    # TOC Heading is based on Heading 1 and would inherit its number: numId 0 switches numbering off
    ppr = toc_heading.element.get_or_add_pPr()
    for numpr in ppr.findall(qn("w:numPr")):
        ppr.remove(numpr)
    ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))

    missing = doc.styles.add_style("WD Missing", WD_STYLE_TYPE.CHARACTER)
    missing.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    missing.font.italic = True
    flag = doc.styles.add_style("WD Flag", WD_STYLE_TYPE.CHARACTER)
    flag.font.color.rgb = RGBColor(0xC0, 0x50, 0x00)
    flag.font.bold = True

    _table_style(doc)

    header = section.header.paragraphs[0]
    header.text = "WealthDesk"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    _footer_page_numbers(section)

    # The body of the base is empty: generators append the cover, TOC and sections.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    doc.core_properties.author = "WealthDesk"
    doc.core_properties.title = "WealthDesk report base"
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())  # noqa: T201 - a build script reports what it wrote
