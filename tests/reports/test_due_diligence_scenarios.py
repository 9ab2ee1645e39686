"""Each DD scenario on the sample data: its own sections, the verdicts, flags and warnings it must show,
the bank's name in the header, and a normalized-docx golden per scenario."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from docx import Document

from assistant.access import Caller
from reports.render import outline
from services.due_diligence import build_due_diligence, dd_content
from tests.reports.golden_util import check_golden

RM = Caller.rm("RM001")
CREDIT = ["核心结论", "企业基本情况", "股权结构与实际控制人", "经营情况", "行业分析", "财务分析", "还款来源与偿债能力",
          "对外担保与关联交易", "征信与融资", "风险信息", "授信方案", "结论与风险提示", "调查人声明",
          "附录：数据来源与口径"]


@pytest.fixture(scope="module")
def docs(sample_engine, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("dd_scen")
    bank = SimpleNamespace(bank_name="海峡示范银行")
    return {key: build_due_diligence(sample_engine, RM, cid, sc, out / f"{cid}_{sc}.docx",
                                     settings=bank if key == "credit" else None)
            for key, cid, sc in (("credit", "E001", "credit"), ("opening", "E001", "account-opening"),
                                 ("change", "E009", "change"))}


def test_credit_has_the_credit_file_structure(docs) -> None:
    r = docs["credit"]
    assert r.sections == CREDIT and r.ungrounded_numbers == []
    lines = outline(r.path)
    for sub in ("资产负债表", "利润表", "现金流量表", "财务指标", "历史沿革", "管理层"):
        assert f"Heading 2 | {sub}" in lines
    assert sum(line == "[image]" for line in lines) >= 4  # trend, ratios, ownership, exposure
    assert any("实际控制人为陈建华" in line and "受益所有人（穿透持股不低于25%）为陈建华 52.00%" in line for line in lines)
    credit_rows = [line for line in lines if line.startswith("table | 中国工商银行福州分行 | 流动资金贷款")]
    # renewed on 2026-03-15 for a year: a clean file, nothing flagged, so the verdict is 建议通过
    assert credit_rows and "2026-03-15 至 / 2027-03-14" in credit_rows[0] and "已到期未结清" not in credit_rows[0]
    assert any("结论为“建议通过”" in line for line in lines)
    assert any(line.startswith("table | 合计 |  | 31,371 | 13,794") for line in lines)
    plan = next(line for line in lines if line.startswith("table | 授信金额"))
    assert plan.startswith("table | 授信金额 | 1.62亿元")  # min(10.82亿 × 15%, capacity), floor to 100万
    assert any("对外担保：系统中没有企业对外担保数据（未获取）" in line for line in lines)


def test_bank_name_in_header_and_cover(docs) -> None:
    doc = Document(str(docs["credit"].path))
    assert doc.sections[0].header.paragraphs[0].text == "海峡示范银行 · 授信尽职调查报告"
    assert "WD Cover | 海峡示范银行" in outline(docs["credit"].path)
    assert Document(str(docs["opening"].path)).sections[0].header.paragraphs[0].text.startswith("WealthDesk")


def test_partnership_label_and_plausibility_warnings(docs) -> None:
    lines = outline(docs["credit"].path)
    assert "table | 福建建华投资合伙企业(有限合伙) | 合伙企业 | 28.00% | 0.00%" in lines
    assert not any("合伙" in line and "企业法人" in line for line in lines)
    assert "table | 注册地址中的“福建市”不在福建省地级市名录中 | 调取营业执照原件核对注册地址" in lines
    assert any(line.startswith("table | 风险事件“起诉客户追讨应收账款”（2024-05-09）与其他企业记录完全相同") for line in lines)
    assert any(line.startswith("table | 资产负债率连续3年完全相同") for line in lines)


def test_account_opening_is_kyc_not_credit(docs) -> None:
    r = docs["opening"]
    assert {"客户身份识别（KYC）", "反洗钱风险评级", "账户用途", "股权结构与实际控制人"} <= set(r.sections)
    assert not {"授信方案", "财务分析", "还款来源与偿债能力"} & set(r.sections)
    assert any("反洗钱客户风险等级：中风险" in line for line in outline(r.path))


def test_change_states_what_changed(docs, sample_engine) -> None:
    r = docs["change"]
    assert r.sections[1] == "变更对比" and "授信方案" not in r.sections
    lines = outline(r.path)
    assert any("变更前快照按数据中的日期推算为2025年11月20日" in line for line in lines)
    assert "table | 新增风险事件 | 失信被执行 | 2026年7月8日 | — | 2,600.00" in lines
    c = dd_content(sample_engine, RM, "E009", "change")
    assert {ch.code for ch in c.changes} >= {"matured", "new_event", "fin_delta", "no_history"}
    # E009's 2024 net profit is a loss: the 2025 growth is computed on a negative base and says so
    assert any(line.startswith("table | 净利润增长率") and "（基数为负）" in line for line in lines)


def test_missing_year_returns_the_file(sample_engine, tmp_path) -> None:
    c = dd_content(sample_engine, RM, "E011", "credit")
    assert c.conclusion == "return" and c.plan is not None and not c.plan.offered
    lines = outline(build_due_diligence(sample_engine, RM, "E011", "credit", tmp_path / "e011.docx").path)
    assert any("结论为“退回补充资料”" in line for line in lines)
    assert not any("建议有条件通过" in line or "结论为“有条件通过”" in line for line in lines)
    assert any("资料不完整，退回补充资料后再行测算授信方案" in line for line in lines)


@pytest.mark.parametrize("key,name", [("credit", "dd_E001_credit_zh"), ("opening", "dd_E001_account-opening_zh"),
                                      ("change", "dd_E009_change_zh")])
def test_scenario_goldens(docs, key, name) -> None:
    check_golden(docs[key].path, name)


def test_english_credit_report_is_english(sample_engine, tmp_path) -> None:
    r = build_due_diligence(sample_engine, RM, "E001", "credit", tmp_path / "en.docx", lang="en")
    assert r.ungrounded_numbers == [] and r.sections[-2] == "Investigator's declaration"
    text = "\n".join(line for line in outline(r.path) if not line.startswith("table | ") or "|" in line)
    headings = [line for line in text.splitlines() if line.startswith(("Heading", "TOC", "Caption"))]
    assert not any(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in headings)


def test_matured_facility_with_a_balance_is_flagged(sample_engine) -> None:
    """E005's working-capital loan at 本行 matured on 2026-03-14 and is still drawn: the row says so, the
    flag is raised and it alone turns the verdict into 有条件通过 (the other clean companies pass)."""
    c = dd_content(sample_engine, RM, "E005", "credit")
    assert [(f.code, f.severity) for f in c.flags] == [("matured_outstanding", "amber")]
    assert c.conclusion == "conditional"
    assert dd_content(sample_engine, RM, "E012", "credit").conclusion == "pass"


def test_ownership_chain_through_intermediate_companies(sample_engine, tmp_path) -> None:
    """E013 is 60% owned by E001: 陈建华 is a beneficial owner through it (0.52 × 0.60 = 31.2%); E004 sits
    one layer further down, 陈建华 controls it through two majority holdings although his 17.2% share is
    under the 25% line, so its only beneficial owner is 吴志强 (35% directly)."""
    own = dd_content(sample_engine, RM, "E013", "credit").ownership
    ubos = {u.name: (round(u.share, 4), u.path) for u in own.ubos}
    assert ubos["陈建华"] == (0.312, ["福建华鼎精密机械股份有限公司", "陈建华"]) and ubos["唐启明"][0] == 0.25
    own4 = dd_content(sample_engine, RM, "E004", "account-opening").ownership
    assert [u.name for u in own4.ubos] == ["吴志强"] and own4.controller == "陈建华"
    assert own4.controller_path == ["厦门启明软件信息技术有限公司", "福建华鼎精密机械股份有限公司", "陈建华"]
    # the chart's edges climb the chain layer by layer, with each holding's direct share
    edges = {(e["holder"], e["company"]): (e["share"], e["layer"])
             for e in dd_content(sample_engine, RM, "E004", "account-opening").ownership_edges}
    assert edges[("厦门启明软件信息技术有限公司", "福州海川食品有限公司")] == (0.55, 1)
    assert edges[("福建华鼎精密机械股份有限公司", "厦门启明软件信息技术有限公司")] == (0.60, 2)
    assert edges[("陈建华", "福建华鼎精密机械股份有限公司")] == (0.52, 3)
    r = build_due_diligence(sample_engine, RM, "E013", "credit", tmp_path / "e13.docx")
    lines = outline(r.path)
    assert any("受益所有人（穿透持股不低于25%）为陈建华 31.20%、唐启明 25.00%" in line for line in lines)
