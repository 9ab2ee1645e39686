"""English documents are in English: stored Chinese names appear in English where one exists (or can be
built from a known structure), otherwise as the Chinese name followed by an English descriptor."""

from __future__ import annotations

import re

import pytest

from assistant.access import Caller
from reports.names_en import Translator, english
from reports.render import outline
from services.due_diligence import build_due_diligence
from services.proposal import build_proposal

ADMIN = Caller(user_id="admin", role="admin")
# a Chinese name (possibly with digits/codes) followed by a Latin descriptor: 陈建华 (Chen Jianhua), 18中汇时装PPN001 (bond)
NAMED = re.compile(r"[\w·（）()\-]*[\u4e00-\u9fff][\w·（）()\-]* \([A-Za-z][^()\u4e00-\u9fff]*\)")
CJK = re.compile(r"[\u4e00-\u9fff]")
CODES = re.compile(r"\b(?:mature_family|young_family|pre_retirement|fixed_income|single|mass|wmp)\b")


def _leftover(lines: list[str]) -> list[str]:
    return [ln for ln in lines if CJK.search(NAMED.sub("", ln))]


def test_translations_of_stored_names() -> None:
    assert english("龙岩锦程环保科技有限公司") == "Longyan Jincheng Environmental Technology Co., Ltd."
    assert english("龙岩锦程投资合伙企业(有限合伙)") == "Longyan Jincheng Investment Partnership (LP)"
    assert english("中国工商银行福州分行") == "ICBC Fuzhou Branch"
    assert english("福州鼓楼支行") == "Fuzhou Gulou Sub-branch"
    assert english("福建省龙岩市高新区创业路204号") == "204 Chuangye Road, High-tech Zone, Longyan, Fujian"
    assert english("电子") == "Electronics" and english("金融从业者") == "financial professional"
    assert english("陈建华", "person") == "陈建华 (Chen Jianhua)"
    assert english("和光芯片", "stock") == "和光芯片 (Heguang Xinpian)"
    assert english("沪深300指数收益率×20%+中债综合指数收益率×80%") == (
        "CSI 300 index return × 20% + ChinaBond Composite index return × 80%")
    # the data's own English name wins over a rendering (长 is read "chang" in 长泰, not "zhang")
    assert Translator({"长泰基金管理有限公司": "Changtai Fund Management Co., Ltd."})("长泰基金管理有限公司") == (
        "Changtai Fund Management Co., Ltd.")


@pytest.mark.parametrize("client_id", ["C0001", "C0004", "C0009"])
def test_english_proposal_has_no_untranslated_chinese(sample_engine, tmp_path, client_id) -> None:
    out = tmp_path / f"{client_id}.docx"
    build_proposal(sample_engine, ADMIN, client_id, out, lang="en", variant="internal")
    lines = outline(out)
    assert _leftover(lines) == []
    assert not any(CODES.search(ln) for ln in lines)


@pytest.mark.parametrize("scenario", ["credit", "account-opening", "change"])
def test_english_due_diligence_has_no_untranslated_chinese(sample_engine, tmp_path, scenario) -> None:
    out = tmp_path / f"{scenario}.docx"
    build_due_diligence(sample_engine, ADMIN, "E005", scenario, out, lang="en")
    lines = outline(out)
    assert _leftover(lines) == []
    text = "\n".join(lines)
    assert "Zhangzhou Jiahe Agricultural Development Co., Ltd." in text
    if scenario == "credit":
        assert "★ our bank | working-capital loan" in text and "matured, still drawn" in text
