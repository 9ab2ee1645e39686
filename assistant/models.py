"""Model factory: the offline planner or an OpenAI-compatible chat model, chosen by settings.

``build_model(settings, lexicon=…, state=…)`` → ``OfflineChatModel`` (mode offline) or
``ChatOpenAI(base_url, model, api_key, use_responses_api=False)`` (mode openai: chat-completions API,
which every OpenAI-compatible server implements; tool calling, not native JSON schema).
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.offline.lexicon import Lexicon
from assistant.offline.model import OfflineChatModel
from assistant.pii import is_loopback_url
from assistant.settings import Settings
from core.errors import ConfigurationError


def build_model(
    settings: Settings, *, lexicon: Lexicon | None = None, state: dict[str, Any] | None = None, streaming: bool = False
) -> BaseChatModel:
    if settings.effective_llm_mode == "offline":
        return OfflineChatModel(lexicon=lexicon or Lexicon(), state=dict(state or {}))
    if not settings.llm_base_url:
        raise ConfigurationError("openai mode needs WEALTHDESK_LLM_BASE_URL (an OpenAI-compatible /v1 URL)")
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout_s,
        max_retries=1,
        temperature=0,
        streaming=streaming,
        use_responses_api=False,
    )


def should_mask(settings: Settings) -> bool:
    """Mask personal data unless the endpoint is loopback (policy ``auto``) or masking is forced/off."""
    if settings.effective_llm_mode == "offline":
        return False
    if settings.llm_mask_pii == "always":
        return True
    if settings.llm_mask_pii == "never":
        return False
    return not is_loopback_url(settings.llm_base_url)


def report_llm(settings: Settings | None) -> BaseChatModel | None:
    """The chat model for report commentary: the OpenAI-compatible one when the settings select it, else None
    (offline templates). Entry points build it and pass it to the report builders (reports never build a
    model). Only a section's numeric facts and the template draft are sent — no name, id or contact data."""
    if settings is None or settings.effective_llm_mode != "openai":
        return None
    return build_model(settings)
