"""All tools, built from their declarations in ``tools/specs/`` (one module per tool, each with ``SPEC``).

Adding a tool is one spec module (plus its answer template in ``prompts/<lang>/answer_tools.md``): the
registry, the offline planner's intent scorer and the openai mode's tool descriptions all read the specs.
The client FAQ channel gets only the specs marked ``public`` (no client data); RMs and admins get
everything (tools still check each client id against the caller).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from langchain_core.tools import BaseTool

import tools.specs as _specs_pkg
from core.identity import Caller
from tools.spec import ToolSpec


@lru_cache(maxsize=1)
def specs() -> tuple[ToolSpec, ...]:
    """Every declared spec, in module-name order (stable across runs)."""
    found: list[ToolSpec] = []
    for mod in sorted(m.name for m in pkgutil.iter_modules(_specs_pkg.__path__)):
        spec = getattr(importlib.import_module(f"tools.specs.{mod}"), "SPEC", None)
        if not isinstance(spec, ToolSpec):
            raise TypeError(f"tools/specs/{mod}.py must define SPEC = ToolSpec(...)")
        if spec.name != mod:
            raise ValueError(f"tools/specs/{mod}.py declares {spec.name!r}; the module is named after its tool")
        found.append(spec)
    return tuple(found)


def spec_of(name: str) -> ToolSpec:
    return next(s for s in specs() if s.name == name)


TOOL_NAMES = tuple(s.name for s in specs())
PUBLIC_TOOLS = tuple(s.name for s in specs() if s.public)


@lru_cache(maxsize=1)
def all_tools() -> tuple[BaseTool, ...]:
    """The tools with descriptions generated from their specs (what the openai mode's model sees)."""
    return tuple(s.bound() for s in specs())


def tools_for(caller: Caller) -> list[BaseTool]:
    if caller.role == "client_channel":
        return [t for t in all_tools() if t.name in PUBLIC_TOOLS]
    return list(all_tools())
