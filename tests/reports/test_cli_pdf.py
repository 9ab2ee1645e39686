"""`wealthdesk report due-diligence` end to end (JSON output, exit codes) and PDF conversion."""

from __future__ import annotations

import json

import pytest

from assistant.cli import app
from assistant.cli.common import run_app
from reports import pdf


@pytest.fixture()
def dd_env(dd_engine, monkeypatch):
    from assistant.settings import get_settings

    monkeypatch.setenv("WEALTHDESK_DATABASE_URL", str(dd_engine.url))
    monkeypatch.setenv("WEALTHDESK_LLM_MODE", "offline")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_cli_due_diligence_json(dd_env, tmp_path, capsys) -> None:
    out = tmp_path / "dd.docx"
    code = run_app(
        app,
        [
            "report",
            "due-diligence",
            "--company",
            "华东精细化工股份有限公司",
            "--scenario",
            "credit",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["path"] == str(out) and out.is_file()
    assert payload["ungrounded_numbers"] == []
    assert payload["sections"][5] == "财务分析"
    assert {"name", "value", "unit", "tool", "as_of"} <= set(payload["figures"][0])


def test_cli_bad_scenario_exit_2(dd_env, tmp_path) -> None:
    code = run_app(
        app,
        [
            "report",
            "due-diligence",
            "--company",
            "E901",
            "--scenario",
            "merger",
            "--out",
            str(tmp_path / "x.docx"),
        ],
    )
    assert code == 2


def test_cli_pdf_without_soffice_says_so(dd_env, tmp_path, monkeypatch, capfd) -> None:
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    out = tmp_path / "dd.docx"
    code = run_app(
        app,
        ["report", "due-diligence", "--company", "E901", "--scenario", "change", "--out", str(out), "--pdf"],
    )
    assert code == 1 and out.is_file()
    assert "soffice" in capfd.readouterr().err


@pytest.mark.skipif(pdf.soffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_conversion_with_cjk_fonts(dd_env, tmp_path) -> None:
    import subprocess

    out = tmp_path / "dd.docx"
    assert (
        run_app(
            app,
            [
                "report",
                "due-diligence",
                "--company",
                "E901",
                "--scenario",
                "credit",
                "--out",
                str(out),
                "--pdf",
            ],
        )
        == 0
    )
    made = out.with_suffix(".pdf")
    assert made.is_file() and made.stat().st_size > 10_000
    fonts = subprocess.run(["pdffonts", str(made)], capture_output=True, text=True, check=False).stdout
    if fonts:  # poppler-utils present: Chinese text must use a real CJK font, not a fallback box
        assert "CJK" in fonts or "SimHei" in fonts or "SourceHan" in fonts


@pytest.mark.skipif(
    pdf.soffice_path() is None or pdf.uno_python() is None,
    reason="LibreOffice (soffice) with python3-uno is not installed",
)
def test_pdf_toc_has_the_page_of_each_heading(dd_env, tmp_path) -> None:
    """The TOC is updated before export: every level-1 entry ends with the page its heading is on."""
    import re

    import pypdf

    out = tmp_path / "dd.docx"
    args = ["report", "due-diligence", "--company", "E901", "--scenario", "credit", "--out", str(out), "--pdf"]
    assert run_app(app, args) == 0
    pages = [p.extract_text() or "" for p in pypdf.PdfReader(str(out.with_suffix(".pdf"))).pages]
    toc = {int(m[1]): (m[2].strip(), int(m[3]))
           for m in re.finditer(r"^(\d+) (\S[^\n]*?)\.{3,}\s*(\d+)\s*$", pages[1], re.M)}
    assert len(toc) >= 10 and sorted(toc) == list(range(1, len(toc) + 1))
    for n, (title, page) in toc.items():
        assert 3 <= page <= len(pages), (n, title, page)
        body = pages[page - 1]
        assert re.search(rf"^{n} ?{re.escape(title)}\s*$", body, re.M), (n, title, page, body[:300])
