"""What the HTTP layer calls, bundled so tests can inject small fakes and production gets the real thing.

``Services.default()`` wires the real implementations, each imported on first call (the app starts fast
and a missing optional area fails only the endpoint that needs it, with a clear error).

Signatures (docs/contracts.md)::

    ask(question, *, caller, engine, settings, session_id=None, stream=None) -> AgentAnswer
    build_proposal(engine, caller, client_id, out, *, lang="zh", settings=None) -> ReportResult
    build_due_diligence(engine, caller, company, scenario, out, *, lang="zh", settings=None) -> ReportResult
    answer_faq(question, *, store_dir, settings=None) -> FaqAnswer
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _ask(*args: Any, **kwargs: Any) -> Any:
    from assistant.agent import ask

    return ask(*args, **kwargs)


def _with_llm(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The report builders get the commentary model from the entry point (here), built from settings."""
    if kwargs.get("llm") is None:
        from assistant.models import report_llm

        kwargs["llm"] = report_llm(kwargs.get("settings"))
    return kwargs


def _build_proposal(*args: Any, **kwargs: Any) -> Any:
    from services.proposal import build_proposal

    return build_proposal(*args, **_with_llm(kwargs))


def _build_due_diligence(*args: Any, **kwargs: Any) -> Any:
    from services.due_diligence import build_due_diligence

    return build_due_diligence(*args, **_with_llm(kwargs))


def _answer_faq(*args: Any, **kwargs: Any) -> Any:
    from knowledge.faq import answer_faq

    return answer_faq(*args, **kwargs)


@dataclass(frozen=True)
class Services:
    ask: Callable[..., Any]
    build_proposal: Callable[..., Any]
    build_due_diligence: Callable[..., Any]
    answer_faq: Callable[..., Any]

    @classmethod
    def default(cls) -> Services:
        return cls(
            ask=_ask,
            build_proposal=_build_proposal,
            build_due_diligence=_build_due_diligence,
            answer_faq=_answer_faq,
        )

    def report_builders(self) -> dict[str, Callable[..., Any]]:
        return {"proposal": self.build_proposal, "due_diligence": self.build_due_diligence}


def as_dict(obj: Any) -> dict[str, Any]:
    """A pydantic model / dataclass / dict result as a plain dict (the services return pydantic models)."""
    if isinstance(obj, dict):
        return obj
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")}
