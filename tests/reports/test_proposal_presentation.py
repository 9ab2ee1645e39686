"""Proposal presentation: the bank's name/logo in the header, one unit per money column, 合计 rows,
English documents with English product names, column widths that keep header words whole."""

from __future__ import annotations

import base64
import re
from types import SimpleNamespace

from docx import Document

from assistant.access import Caller
from reports.models import FigureBook, Table, fmt_money, money_unit
from reports.render import outline
from reports.table_widths import column_widths, header_lines, header_pieces, text_emu
from services.proposal import build_proposal

ADMIN = Caller(user_id="admin", role="admin")
# a 1×1 PNG
NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?")
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


def _money_tables(sample_engine, client_id: str, lang: str = "zh"):
    from reports.layout_proposal import layout
    from reports.models import FigureBook
    from services.proposal import proposal_content

    content = proposal_content(sample_engine, ADMIN, client_id, lang=lang, variant="client")
    doc = layout(content, FigureBook(lang))
    return [blk for sec in doc.sections for blk in sec.blocks if isinstance(blk, Table) and blk.units]


def _num(cell: str) -> float:
    return float(cell.replace(",", ""))


def test_one_unit_per_money_column_and_totals(sample_engine) -> None:
    """Holdings, three pots and trades: every money column prints bare numbers in the one unit its header
    states, and the 合计 row adds up the rows above it (to the displayed rounding)."""
    tables = _money_tables(sample_engine, "C0004")
    heads = [t.columns for t in tables]
    assert any("市值（万元）" in h for h in heads) and any("金额（万元）" in h for h in heads)
    assert any("费用（元）" in h for h in heads)  # fees are small: 元, still one unit for the column
    for t in tables:
        for i in t.units:
            unit = t.columns[i][t.columns[i].index("（") + 1:].split("，")[0].rstrip("）")
            assert unit in ("元", "万元", "亿元"), t.columns[i]
            for row in t.rows:
                assert row[i] in ("—", "") or NUMBER.fullmatch(row[i]), (t.columns[i], row[i])
    holdings = next(t for t in tables if t.columns[0] == "产品")
    total = holdings.rows[-1]
    assert total[0] == "合计" and holdings.rows[-2][0] == "活期"
    assert abs(sum(_num(r[3]) for r in holdings.rows[:-1]) - _num(total[3])) <= 0.005 * len(holdings.rows)
    assert abs(sum(_num(r[4].rstrip("%")) for r in holdings.rows[:-1]) - 100.0) <= 0.005 * len(holdings.rows)
    pots = next(t for t in tables if t.columns[0] == "账户")
    assert pots.rows[-1][0] == "合计"
    for i in (1, 2, 3):
        assert abs(sum(_num(r[i]) for r in pots.rows[:-1]) - _num(pots.rows[-1][i])) <= 0.02
    trades = next(t for t in tables if t.columns[0] == "操作")
    assert [r[1] for r in trades.rows[-2:]] == ["卖出合计", "买入合计"]
    for action, total_row in (("卖出", trades.rows[-2]), ("买入", trades.rows[-1])):
        lines = [r for r in trades.rows if r[0] == action]
        assert abs(sum(_num(r[3]) for r in lines) - _num(total_row[3])) <= 0.005 * (len(lines) + 1)


def test_money_unit_is_chosen_per_column() -> None:
    assert money_unit([2926.55, 3004.32], "zh") == "元"
    assert money_unit([2926.55, 600863.09], "zh") == "万元"
    assert money_unit([3.2e10], "zh") == "亿元"
    assert money_unit([600863.09], "en") == "CNY" and money_unit([3.9e8], "en") == "CNY mn"
    book = FigureBook("zh")
    assert book.money_cell("x", 600863.09, "t", None, "万元") == "60.09"
    assert book.figures[-1].shown == "60.09万"  # what the verifiers read with Table.units
    assert book.money_cell("x", -11.0, "t", None, "万元") == "0.00"  # rounds to zero: no "-0.00"
    assert book.money_cell("x", -1_234_500.0, "t", None, "万元") == "-123.45"
    assert book.pct("x", -0.00001, "t") == "0.00%" and book.pct("x", -0.0123, "t") == "-1.23%"
    assert fmt_money(-0.004, "zh") == "0.00元" and fmt_money(-5.0, "zh") == "-5.00元"


def test_english_document_uses_english_product_names(sample_engine, tmp_path) -> None:
    out = tmp_path / "en.docx"
    build_proposal(sample_engine, ADMIN, "C0009", out, lang="en", variant="client")
    text = "\n".join(outline(out))
    assert "Mingde Balanced Growth Equity (001111)" in text and "明德均衡成长股票" not in text


def test_header_words_are_never_split() -> None:
    """Header words (and Chinese header parts) and whole numeric cells fit their column; the widths use
    the full text width."""
    cols = ["Action", "Product", "Risk", "Amount (CNY)", "Fee (CNY)", "Realised (CNY)",
            "Cash in (business days)", "Reason"]
    rows = [["Sell", "Changtai Tech Innovation Equity (001105)", "R4", "600,863.09", "3,004.32", "285,858.78",
             "T+4", "risk R4 is above your tolerance C2; sold in full"]]
    usable = int(15.4 * 360000)
    widths = column_widths(cols, rows, {3, 4, 5}, usable, [0.75, 2.0, 0.6, 1.0, 1.0, 1.0, 0.95, 1.8])
    assert sum(widths) == usable
    for i, (name, w) in enumerate(zip(cols, widths, strict=True)):
        assert all(text_emu(p, bold=True) < w for p in header_pieces(name)), name
        if i in (3, 4, 5):
            assert text_emu(rows[0][i]) < w, rows[0][i]
    zh = ["机构", "品种", "额度（万元）", "余额（万元）", "起始/到期", "分类/逾期", "担保方式", "备注"]
    widths = column_widths(zh, [["中国工商银行福州分行", "流动资金贷款", "4,276", "2,486", "2024-03-15 至 2026-03-14",
                                 "正常 / 0天", "保证（控股股东连带责任）", "已到期未结清"]], {2, 3}, usable)
    for name, w in zip(zh, widths, strict=True):
        assert all(text_emu(p, bold=True) < w for p in header_pieces(name)), name
    assert header_pieces("金额（万元）") == ["金额", "（万元）"] and header_pieces("分类/逾期") == ["分类/", "逾期"]


def test_a_header_that_does_not_fit_wraps_between_its_parts() -> None:
    narrow = text_emu("（万元）", bold=True) + int(14 * 12700)
    assert header_lines("金额（万元）", narrow) == ["金额", "（万元）"]
    assert header_lines("到账（T+工作日）", text_emu("（T+工作日）", bold=True) + int(14 * 12700)) == ["到账", "（T+工作日）"]
    assert header_lines("金额（万元）", 10 * narrow) == ["金额（万元）"]
    assert header_lines("Cash in (business days)", text_emu("Cash in", bold=True) + int(14 * 12700)) == [
        "Cash in", "(business", "days)"]


def test_a_crowded_table_is_set_one_point_smaller_rather_than_breaking_words() -> None:
    from reports.table_widths import SMALL_PT, TABLE_PT, table_layout

    cols = ["Lender", "Facility", "Limit (CNY mn)", "Balance (CNY mn)", "Start / maturity", "Class / overdue",
            "Security", "Remark"]
    rows = [["Industrial Bank Fuzhou Branch", "working-capital loan", "50", "30", "2024-03-15 to\n2026-03-14",
             "special mention / 15d", "mortgage (plant and land), guarantee (controlling shareholder)",
             "★our bank; matured, still drawn"]]
    usable = int(15.4 * 360000)
    widths, pt = table_layout(cols, rows, {2, 3}, usable, [2.2, 1.8, 1.5, 1.5, 2.4, 1.5, 2.2, 2.0])
    assert pt == SMALL_PT and sum(widths) == usable
    for name, w in zip(cols, widths, strict=True):
        assert all(text_emu(p, bold=True, pt=pt) < w for p in header_pieces(name)), name
    assert table_layout(cols[:3], [r[:3] for r in rows], {2}, usable)[1] == TABLE_PT
