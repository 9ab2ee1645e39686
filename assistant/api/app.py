"""The FastAPI app factory: ``create_app(settings, *, engine=None, services=None)``.

Everything the endpoints need hangs off ``app.state.ctx`` (an ``AppContext``): settings, engine, the
injected ``Services``, the report ``JobQueue``, the rate limiter, and the WeCom pieces when configured.
``services=None`` wires the real agent, report builders and FAQ; tests inject fakes for unit tests.

Lifespan: start → schema check, PII names for the log masker, job queue (requeues unfinished jobs), WeCom
channel, the MCP session manager (its task group must run inside this lifespan); stop → close MCP sessions,
refuse new jobs, let running ones finish (queued ones stay queued in the DB).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fastapi_offline
import httpx
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.routing import Route

from assistant.api.body_limit import BodyLimitMiddleware
from assistant.api.errors import install_error_handlers
from assistant.api.middleware import RequestContextMiddleware
from assistant.api.routes import TTLCache
from assistant.api.routes import router as api_router
from assistant.api.security import AuthThrottle, KeyCache, RateLimiter
from assistant.api.services import Services
from assistant.channels.mcp_server.http import MCP_PATH, McpEndpoint
from assistant.channels.openai_compat import ConversationMap
from assistant.channels.openai_compat import router as openai_router
from assistant.channels.wecom.callback import WECOM_MAX_BODY_BYTES
from assistant.channels.wecom.callback import router as wecom_router
from assistant.channels.wecom.crypto import WeComCrypto
from assistant.console import install_console
from assistant.jobs import JobQueue
from assistant.logging import get_logger, register_name_source, register_names
from assistant.pii import name_directory
from assistant.settings import Settings
from datastore.engine import create_schema, get_engine
from datastore.repositories import jobs as jobs_repo
from datastore.repositories.users import list_users, person_names

log = get_logger("app")
SWAGGER_DIR = Path(fastapi_offline.__file__).parent / "static"  # swagger-ui-bundle.js, swagger-ui.css, redoc
DOCS_STATIC = "/docs-static"


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    services: Services
    jobs: JobQueue
    limiter: RateLimiter
    auth_throttle: AuthThrottle
    conversations: ConversationMap = field(default_factory=ConversationMap)
    faq_cache: TTLCache = field(default_factory=TTLCache)
    key_cache: KeyCache = field(default_factory=KeyCache)
    faq_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(4))
    wecom_crypto: WeComCrypto | None = None
    wecom: Any = None  # WeComChannel when sending is configured


def _wecom_crypto(settings: Settings) -> WeComCrypto | None:
    if settings.wecom_token and settings.wecom_aes_key and settings.wecom_corp_id:
        return WeComCrypto(
            settings.wecom_token.get_secret_value(),
            settings.wecom_aes_key.get_secret_value(),
            settings.wecom_corp_id,
        )
    return None


def _wecom_channel(settings: Settings, engine: Engine, services: Services, jobs: JobQueue) -> Any:
    if not (settings.wecom_corp_id and settings.wecom_secret and settings.wecom_agent_id):
        return None
    from assistant.channels.wecom.client import WeComClient
    from assistant.channels.wecom.handler import WeComChannel

    client = WeComClient(
        base_url=settings.wecom_api_base,
        corp_id=settings.wecom_corp_id,
        secret=settings.wecom_secret.get_secret_value(),
        agent_id=settings.wecom_agent_id,
    )
    return WeComChannel(engine=engine, settings=settings, services=services, client=client, jobs=jobs)


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    services: Services | None = None,
    warm_up: bool | None = None,
) -> FastAPI:
    """Build the app. ``warm_up`` (default: on with the real services) loads the FAQ embedding model in a
    background thread at start, so the first client question does not pay the model load (seconds)."""
    warm_up = services is None if warm_up is None else warm_up
    from assistant import audit
    from assistant.security_setup import configure_process

    configure_process(settings)  # audit key, PII key, owner-only file creation
    audit.configure(settings)
    engine = engine or get_engine(settings.resolved_database_url)
    services = services or Services.default()
    jobs = JobQueue(
        engine,
        reports_dir=settings.resolved_reports_dir,
        builders=services.report_builders(),
        workers=settings.report_workers,
        settings=settings,
    )
    ctx = AppContext(
        settings=settings,
        engine=engine,
        services=services,
        jobs=jobs,
        limiter=RateLimiter(settings.rate_limit_per_minute),
        auth_throttle=AuthThrottle(
            settings.auth_failure_limit, settings.auth_failure_window_s, settings.auth_lockout_s
        ),
        wecom_crypto=_wecom_crypto(settings),
    )
    mcp_endpoint = McpEndpoint(engine, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        create_schema(engine)  # idempotent; `wealthdesk init` normally did it already
        register_names(person_names(engine))
        register_name_source(name_directory(engine))  # follows clients imported while the service runs
        if not list_users(engine):
            log.warning(
                "no API users yet: every endpoint except /healthz will answer 401; "
                "create one with `wealthdesk users add RM001 --role rm`"
            )
        requeued = jobs.start()
        ctx.wecom = _wecom_channel(settings, engine, services, jobs)
        if ctx.wecom is not None:
            ctx.wecom.start()  # the outbox sender: delivers replies left undelivered by an earlier run too
        if warm_up and settings.resolved_store_dir.is_dir():
            threading.Thread(target=_warm_faq, args=(ctx,), name="faq-warm-up", daemon=True).start()
        log.info("service started", extra={"requeued_jobs": len(requeued), "wecom": ctx.wecom is not None})
        try:
            async with mcp_endpoint.running():
                yield
        finally:
            log.info("service stopping: waiting for running report jobs")
            jobs.stop(wait=True)
            if ctx.wecom is not None:
                ctx.wecom.stop(wait=True)
            log.info("service stopped")

    app = FastAPI(
        title="WealthDesk",
        version="0.1.0",
        description=(
            "AI copilot for bank wealth managers. Authenticate with `Authorization: Bearer <key>` or "
            "`X-API-Key: <key>` (create keys with `wealthdesk users add RM001 --role rm`)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    # inner first: the body limit runs inside the request context, so a 413 has a request id and is logged
    app.add_middleware(
        BodyLimitMiddleware,
        default=settings.max_body_bytes,
        per_prefix={"/channels/wecom/": min(settings.max_body_bytes, WECOM_MAX_BODY_BYTES)},
    )
    app.add_middleware(RequestContextMiddleware)
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(openai_router)
    app.include_router(wecom_router)
    # MCP Streamable HTTP (GET stream, POST messages, DELETE session); API-key auth inside the endpoint
    app.router.routes.append(Route(MCP_PATH, endpoint=mcp_endpoint, methods=["GET", "POST", "DELETE"]))
    if settings.docs_enabled:
        _mount_docs(app)
    install_console(app, ctx)  # the RM console at / (pages, /console/api, /console/static)

    @app.get("/healthz", tags=["ops"], summary="Database, vector store and model status (no auth)")
    def healthz(request: Request) -> JSONResponse:
        return health(request.app.state.ctx)

    return app


def _warm_faq(ctx: AppContext) -> None:
    try:
        ctx.services.answer_faq("你好", store_dir=ctx.settings.resolved_store_dir, settings=ctx.settings)
        log.info("FAQ retriever warmed up")
    except Exception as exc:  # warm-up is best effort; the first real question reports any real problem
        log.warning("FAQ warm-up failed", extra={"error": type(exc).__name__})


_PROBE_TTL_S = 30.0
_probe_cache: dict[str, tuple[float, str]] = {}


def _probe_model(ctx: AppContext) -> str:
    """GET <llm_base_url>/models (2 s timeout, result cached 30 s): "ok" or "unreachable"/"error <status>"."""
    url = (ctx.settings.llm_base_url or "").rstrip("/") + "/models"
    hit = _probe_cache.get(url)
    if hit and time.monotonic() - hit[0] < _PROBE_TTL_S:
        return hit[1]
    try:
        r = httpx.get(
            url,
            timeout=2.0,
            headers={"Authorization": f"Bearer {ctx.settings.llm_api_key.get_secret_value()}"},
        )
        result = "ok" if r.status_code == 200 else f"error {r.status_code}"
    except httpx.HTTPError:
        result = "unreachable"
    _probe_cache[url] = (time.monotonic(), result)
    return result


def health(ctx: AppContext) -> JSONResponse:
    """``{"status": "ok"|"degraded", "database": {...}, "vector_store": {...}, "model": {...}, "jobs": {...}}``;
    503 when the database is down (nothing works without it), 200 otherwise."""
    checks: dict[str, Any] = {}
    try:
        jobs_repo.ping(ctx.engine)
        checks["database"] = {"status": "ok", "dialect": ctx.engine.dialect.name}
    except Exception as exc:  # report, don't raise: this endpoint exists to describe failures
        checks["database"] = {"status": "error", "detail": type(exc).__name__}
    from knowledge.store import store_status

    vs = store_status(ctx.settings.resolved_store_dir, ctx.settings)
    has_store = vs["status"] == "ok"
    checks["vector_store"] = {
        **vs,
        "hint": None if has_store else "run `wealthdesk init` (or `wealthdesk kb ingest`) to rebuild the store",
    }
    mode = ctx.settings.effective_llm_mode
    checks["model"] = {
        "status": "ok" if mode == "offline" else _probe_model(ctx),
        "mode": mode,
        "model": "offline-rules" if mode == "offline" else ctx.settings.llm_model,
        "endpoint": ctx.settings.llm_base_url if mode == "openai" else None,
    }
    checks["jobs"] = {"accepting": ctx.jobs.accepting, "workers": ctx.jobs.workers}
    checks["wecom"] = {"callback": ctx.wecom_crypto is not None, "sending": ctx.wecom is not None}
    if ctx.wecom is not None and checks["database"]["status"] == "ok":
        from datastore.repositories.outbox import count_by_status

        box = count_by_status(ctx.engine, "wecom")
        checks["wecom"]["outbox"] = {"pending": box["pending"] + box["sending"], "failed": box["failed"]}
    db_ok = checks["database"]["status"] == "ok"
    status = "ok" if db_ok and has_store and checks["model"]["status"] == "ok" else "degraded"
    return JSONResponse({"status": status, **checks}, status_code=200 if db_ok else 503)


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from files shipped in the fastapi-offline wheel: /docs works without internet."""
    app.mount(DOCS_STATIC, StaticFiles(directory=SWAGGER_DIR), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="WealthDesk API",
            swagger_js_url=f"{DOCS_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_STATIC}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="WealthDesk API",
            redoc_js_url=f"{DOCS_STATIC}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_STATIC}/favicon.png",
            with_google_fonts=False,
        )
