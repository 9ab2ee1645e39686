"""A tool's declaration: what it is for, how people ask for it, which slots it needs and how to ask for them.

One ``ToolSpec`` per tool, in ``tools/specs/<tool name>.py`` beside the tool bodies; the registry is built
from these declarations (``tools.registry``), the offline planner scores intents over the exemplars and
fills the slots with its entity grammar, and the openai mode's tool descriptions are generated from the
same spec (``ToolSpec.description``), so both modes improve together. The answer's opening line per
language lives in ``prompts/<lang>/answer_tools.md`` under the tool's name (one place per tool).

A slot names the entity-grammar extractor that fills it (``client``, ``fund``, ``funds``, ``period``,
``amount`` …; the grammar itself is in the offline planner, which may import this module but not the other
way round) and its default when the question does not say.

>>> ToolSpec(name="client_overview", tool=client_overview, needs="client",
...          exemplars_zh=("林辉静总资产多少", …), exemplars_en=("total AUM of C0002", …),
...          slots=(Slot("client_id", "client", required=True),),
...          clarify={"zh": "请问是哪位客户？", "en": "Which client?"})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.tools import BaseTool

Needs = Literal["client", "fund", "funds", "company", "book", "none"]
MIN_ZH, MIN_EN = 20, 10


@dataclass(frozen=True)
class Slot:
    arg: str  # the tool argument it fills
    extractor: str  # entity-grammar extractor name (assistant.offline.slots.EXTRACTORS)
    required: bool = False
    default: Any = None  # used when the question does not say (None: the schema default applies)


@dataclass(frozen=True)
class ToolSpec:
    name: str
    tool: BaseTool
    needs: Needs
    exemplars_zh: tuple[str, ...]
    exemplars_en: tuple[str, ...]
    slots: tuple[Slot, ...] = ()
    clarify: dict[str, str] = field(default_factory=dict)  # the question asked when a required slot is missing
    public: bool = False  # usable by the client FAQ channel (no client data)
    label: dict[str, str] = field(default_factory=dict)  # short action name for "did you mean A or B?"

    def __post_init__(self) -> None:
        if self.tool.name != self.name:
            raise ValueError(f"spec {self.name!r} declares tool {self.tool.name!r}")
        if len(self.exemplars_zh) < MIN_ZH or len(self.exemplars_en) < MIN_EN:
            raise ValueError(f"spec {self.name!r}: need ≥{MIN_ZH} zh and ≥{MIN_EN} en exemplars, have "
                             f"{len(self.exemplars_zh)} / {len(self.exemplars_en)}")

    @property
    def exemplars(self) -> tuple[str, ...]:
        return self.exemplars_zh + self.exemplars_en

    def description(self) -> str:
        """The tool description an LLM sees: the docstring plus a few ways RMs ask for it."""
        base = (self.tool.description or "").strip()
        examples = "; ".join([*self.exemplars_zh[:4], *self.exemplars_en[:3]])
        return f"{base}\nExamples of requests: {examples}"

    def bound(self) -> BaseTool:
        """The tool with its generated description (a copy; the module-level tool stays as declared)."""
        return self.tool.model_copy(update={"description": self.description()})
