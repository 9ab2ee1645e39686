"""Snapshot of the rendered system prompts and the fixed replies (update on purpose: ``--update-golden``)."""

from pathlib import Path

import pytest

from assistant.agent import _system_prompt
from prompts.loader import sections
from tests.golden import check_text

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_system_prompt_snapshot(lang):
    text = _system_prompt(lang, {"client_id": "C0001", "fund_codes": ["002201"], "company": "E001"})
    check_text(GOLDEN / f"system_{lang}.md", text)
    assert "C0001" in text and "{" not in text


@pytest.mark.parametrize("name", ["answer_messages", "answer_tools", "answer_labels"])
def test_both_languages_define_the_same_replies(name):
    zh, en = sections(name, "zh"), sections(name, "en")
    if name == "answer_labels":  # English falls back to the field name, so only a subset is needed
        assert set(en) <= set(zh)
    else:
        assert set(zh) == set(en)
    assert all(v.strip() for v in zh.values())


def test_fixed_replies_contain_no_figures():
    from reports.grounding import extract_numbers

    for lang in ("zh", "en"):
        for key, text in sections("answer_messages", lang).items():
            assert extract_numbers(text) == [], (lang, key)
