from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analytics.errors import InvalidInput
from assistant.cli import app
from assistant.settings import Settings
from knowledge.bootstrap import init_knowledge
from tests.knowledge.conftest import write_corpus

runner = CliRunner()


def test_init_knowledge_is_idempotent(tmp_path: Path):
    corpus = write_corpus(tmp_path / "c")
    settings = Settings(var_dir=tmp_path / "var", corpus_dir=corpus, _env_file=None)  # type: ignore[call-arg]
    first = init_knowledge(settings)
    assert first["added"] == 6 and first["failed"] == [] and first["chunks"] > 10
    second = init_knowledge(settings)
    assert (second["added"], second["unchanged"], second["removed"]) == (0, 6, 0)
    with pytest.raises(InvalidInput, match="CORPUS_DIR"):
        init_knowledge(Settings(var_dir=tmp_path, corpus_dir=tmp_path / "nope", _env_file=None))  # type: ignore[call-arg]


def test_cli_search_and_faq_json(tiny_store: Path):
    res = runner.invoke(app, ["kb", "search", "000001", "--store", str(tiny_store), "--json", "--type", "product"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert rows[0]["citation"].startswith("《华鼎稳健债券A（000001）产品概要》") and {r["doc_type"] for r in rows} == {"product"}
    res = runner.invoke(app, ["faq", "理财产品保本吗？", "--store", str(tiny_store), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert list(out) == ["answer", "citations", "confidence", "handoff"] and out["citations"] == ["《测试常见问题》Q2"]


def test_cli_ingest_reports_unreadable_file(tmp_path: Path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    res = runner.invoke(app, ["kb", "ingest", str(bad), "--store", str(tmp_path / "s"), "--json"])
    assert res.exit_code == 2
    assert "bad.pdf" in json.loads(res.output)["failed"][0]
