"""Snapshot of what the model sees: each tool's name, description and argument JSON schema.

Regenerate on purpose with ``pytest tests/tools --update-golden`` (or ``UPDATE_GOLDEN=1``); review the diff
before committing. A missing golden file fails.
"""

import json
from pathlib import Path

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool

from assistant.access import Caller
from tests.golden import check_text
from tools.registry import TOOL_NAMES, all_tools, tools_for

GOLDEN = Path(__file__).parent / "golden"
TOOLS = {t.name: t for t in all_tools()}
FORBIDDEN_FIELDS = {"caller", "runtime", "engine", "settings", "rm_id", "user_id", "role", "context"}


def _schema(name: str) -> dict:
    return convert_to_openai_tool(TOOLS[name])


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_schema_snapshot(name):
    schema = _schema(name)
    check_text(GOLDEN / f"{name}.json", json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_identity_is_never_a_model_argument(name):
    params = _schema(name)["function"]["parameters"]
    assert not FORBIDDEN_FIELDS & set(params.get("properties", {}))
    for prop in params.get("properties", {}).values():
        assert prop.get("description"), f"{name}: every argument needs a description"


def test_stable_names_and_channel_subset():
    assert len(TOOL_NAMES) == 22 == len(TOOLS)
    channel = {t.name for t in tools_for(Caller.client_channel())}
    assert channel == {"search_knowledge", "fund_profile", "fund_metrics", "compare_funds"}  # public data only
