"""The one place domain errors become HTTP: ``assistant.errors.http_status(exc)`` + a JSON body.

Body shape (every error, every endpoint)::

    {"error": "forbidden", "message": "无权查看该客户信息 …", "field": null, "hint": null, "request_id": "9f1c…"}
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import GroundingError, RateLimited, WealthDeskError, http_status
from assistant.logging import get_logger, request_id_var

log = get_logger("api")


def error_body(
    code: str, message: str, *, field: str | None = None, hint: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "error": code,
        "message": message,
        "field": field,
        "hint": hint,
        "request_id": request_id_var.get(),
        **extra,
    }


def error_response(
    exc: WealthDeskError, headers: dict[str, str] | None = None, *, path: str = ""
) -> JSONResponse:
    """The JSON error response; under ``/v1/`` in OpenAI's shape ``{"error": {"message", "type", "code", "param"}}``
    so the openai client and chat UIs show the message."""
    body: dict[str, Any] = {**exc.to_dict(), "request_id": request_id_var.get()}
    if path.startswith("/v1/"):
        body = {
            "error": {"message": str(exc), "type": exc.code, "code": exc.code, "param": exc.field},
            "request_id": request_id_var.get(),
        }
    if isinstance(exc, GroundingError):
        body["ungrounded"] = exc.ungrounded
    if isinstance(exc, RateLimited) and headers is None:
        headers = {"Retry-After": str(getattr(exc, "retry_after", 60))}
    if http_status(exc) == 401 and headers is None:
        headers = {"WWW-Authenticate": "Bearer"}
    return JSONResponse(body, status_code=http_status(exc), headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WealthDeskError)
    async def _domain(request: Request, exc: WealthDeskError) -> JSONResponse:
        if http_status(exc) >= 500:
            log.error("domain error", extra={"error": exc.code, "detail": str(exc)})
        return error_response(exc, path=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Report the first problem like InvalidInput does: which field, and what is wrong with it.
        errs = exc.errors()
        first = errs[0] if errs else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "header", "path")]
        field = ".".join(loc) or None
        msg = str(first.get("msg", "invalid request"))
        return JSONResponse(
            error_body(
                "invalid_input",
                msg,
                field=field,
                hint="see /docs for the request schema",
                details=[
                    {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": e.get("type")}
                    for e in errs[:5]
                ],
            ),
            status_code=400,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 409: "conflict", 503: "unavailable"}.get(
            exc.status_code, "error"
        )
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse(
            error_body("internal", f"internal error ({type(exc).__name__}); quote the request id to support"),
            status_code=500,
        )
