"""The golden-file mechanism (tests/golden.py): a missing golden fails and is not created; only the
``--update-golden`` option or ``UPDATE_GOLDEN=1`` writes one."""

from __future__ import annotations

from pathlib import Path

import pytest

import tests.golden as golden


@pytest.fixture
def not_updating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(golden, "UPDATE", False)
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)


def test_missing_golden_fails_and_is_not_created(tmp_path: Path, not_updating: None) -> None:
    path = tmp_path / "golden" / "x.txt"
    with pytest.raises(pytest.fail.Exception, match="--update-golden"):
        golden.check_text(path, "a\n")
    assert not path.exists()


def test_different_golden_fails_and_is_kept(tmp_path: Path, not_updating: None) -> None:
    path = tmp_path / "x.txt"
    path.write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="line 2"):
        golden.check_text(path, "a\nc\n")
    with pytest.raises(pytest.fail.Exception):
        golden.check_text(path, "a\nb")  # a lost final newline is a difference too
    golden.check_text(path, "a\nb\n")
    assert path.read_text(encoding="utf-8") == "a\nb\n"


def test_update_only_on_purpose(tmp_path: Path, not_updating: None, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new" / "x.txt"
    monkeypatch.setenv("UPDATE_GOLDEN", "0")  # any value but 1 is not an update
    with pytest.raises(pytest.fail.Exception):
        golden.check_text(path, "a\n")
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    golden.check_text(path, "a\n")
    assert path.read_text(encoding="utf-8") == "a\n"
    monkeypatch.delenv("UPDATE_GOLDEN")
    monkeypatch.setattr(golden, "UPDATE", True)  # what --update-golden sets
    golden.check_text(path, "b\n")
    assert path.read_text(encoding="utf-8") == "b\n"

