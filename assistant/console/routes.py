"""Console pages (HTML shells rendered with Jinja2) and their JSON endpoints.

Pages: ``/login``, ``/`` (首页看板), ``/clients``, ``/clients/{id}``, ``/funds/{code}``. Data: ``/console/api/…``
(GET, session cookie), report jobs and the copilot (POST, session cookie + ``X-CSRF-Token``). A page that
shows one client calls the client overview service first, so another RM's client is a 403 page with no data.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from assistant.console import data, session
from assistant.console.i18n import strings
from assistant.console.session import ConsoleSession
from assistant.errors import WealthDeskError, http_status
from assistant.jobs import ReportRequest
from core.errors import ConfigurationError, InvalidInput, NotFound

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/console/api", tags=["console"], include_in_schema=False)
LOGIN_COOKIE = "wd_login"


def _page(request: Request, name: str, sess: ConsoleSession | None, status: int = 200, **extra: Any) -> HTMLResponse:
    lang = sess.lang if sess else request.cookies.get("wd_lang", "zh")
    lang = lang if lang in session.LANGS else "zh"
    ctx = {"request": request, "sess": sess, "lang": lang, "t": strings(lang), "csrf": sess.csrf if sess else "",
           "user": sess.user if sess else None, **extra}
    resp = templates.TemplateResponse(request, name, ctx, status_code=status)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _to_login(request: Request) -> RedirectResponse:
    return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)


def _error_page(request: Request, sess: ConsoleSession, exc: WealthDeskError) -> HTMLResponse:
    return _page(request, "error.html", sess, status=http_status(exc), error=exc.to_dict(), code=http_status(exc))


def _safe_next(value: str | None) -> str:
    """Only a local path (no scheme, no //host): an open redirect after sign-in would be a phishing aid."""
    return value if value and value.startswith("/") and not value.startswith("//") else "/"


# ------------------------------------------------------------------------------------------ sign-in


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None, error: str | None = None) -> Response:
    if session.current(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    token = secrets.token_urlsafe(24)  # double-submit token for the sign-in form (no session yet)
    resp = _page(request, "login.html", None, next=_safe_next(next), login_csrf=token, error=error)
    resp.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", max_age=3600, path="/login",
                    secure=request.url.scheme == "https")
    return resp


@router.post("/login")
def login(request: Request, key: str = Form(""), csrf: str = Form(""), next: str = Form("/")) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf):
        return RedirectResponse("/login?error=csrf&next=" + quote(_safe_next(next)), status_code=303)
    ctx = request.app.state.ctx
    try:
        payload = session.sign_in(ctx, key)
    except WealthDeskError as exc:
        return RedirectResponse(f"/login?error={exc.code}&next=" + quote(_safe_next(next)), status_code=303)
    payload["l"] = request.cookies.get("wd_lang", "zh") if request.cookies.get("wd_lang") in session.LANGS else "zh"
    resp = RedirectResponse(_safe_next(next), status_code=303)
    session.write_cookie(resp, ctx, payload, request)
    resp.delete_cookie(LOGIN_COOKIE, path="/login")
    return resp


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    sess = session.current(request)
    session.check_csrf(request, sess, csrf)
    resp = RedirectResponse("/login", status_code=303)
    session.clear_cookie(resp)
    return resp


@router.post("/lang")
def switch_lang(request: Request, lang: str = Form("zh"), csrf: str = Form(""), back: str = Form("/")) -> Response:
    lang = lang if lang in session.LANGS else "zh"
    resp = RedirectResponse(_safe_next(back), status_code=303)
    sess = session.current(request)
    if sess is None:  # on the sign-in page: remember the choice for after sign-in
        resp.set_cookie("wd_lang", lang, samesite="strict", max_age=365 * 86400, path="/")
        return resp
    session.check_csrf(request, sess, csrf)
    payload = dict(session.payload_of(request) or {})
    payload["l"] = lang
    session.write_cookie(resp, request.app.state.ctx, payload, request)
    resp.set_cookie("wd_lang", lang, samesite="strict", max_age=365 * 86400, path="/")
    return resp


# ------------------------------------------------------------------------------------------ pages


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request) -> Response:
    sess = session.current(request)
    if sess is None:
        return _to_login(request)
    return _page(request, "dashboard.html", sess, page="dashboard")


@router.get("/clients", response_class=HTMLResponse)
def clients_page(request: Request) -> Response:
    sess = session.current(request)
    if sess is None:
        return _to_login(request)
    return _page(request, "clients.html", sess, page="clients")


@router.get("/clients/{client_id}", response_class=HTMLResponse)
def client_page(request: Request, client_id: str) -> Response:
    sess = session.current(request)
    if sess is None:
        return _to_login(request)
    try:  # access check (and audit) before anything of the client is rendered
        ov = data.client_view(request.app.state.ctx, sess, client_id, "overview")
    except WealthDeskError as exc:
        return _error_page(request, sess, exc)
    return _page(request, "client.html", sess, page="clients", ov=ov, periods=data.PERIODS)


@router.get("/funds/{code}", response_class=HTMLResponse)
def fund_page(request: Request, code: str) -> Response:
    sess = session.current(request)
    if sess is None:
        return _to_login(request)
    try:
        prof = data.fund_view(request.app.state.ctx, sess, code, "profile")
    except WealthDeskError as exc:
        return _error_page(request, sess, exc)
    return _page(request, "fund.html", sess, page="funds", prof=prof, periods=data.FUND_PERIODS)


# ------------------------------------------------------------------------------------------ JSON


@api.get("/dashboard/{part}")
def dashboard_part(part: str, request: Request, sess: ConsoleSession = Depends(session.require)) -> Any:
    ctx = request.app.state.ctx
    parts = {"totals": data.dashboard_totals, "todo": data.dashboard_todo, "maturity": data.maturity_calendar,
             "jobs": data.recent_jobs}
    if part not in parts:
        raise NotFound(f"no dashboard part {part!r}", hint=", ".join(parts))
    return parts[part](ctx, sess)


@api.get("/book/{rule}")
def book_rule(rule: str, request: Request, page: int = 1, sess: ConsoleSession = Depends(session.require)) -> Any:
    return data.rule_findings(request.app.state.ctx, sess, rule, page)


@api.get("/clients")
def clients_json(request: Request, q: str = "", rule: str = "", risk: str = "", sort: str = "aum", page: int = 1,
                 sess: ConsoleSession = Depends(session.require)) -> Any:
    if sort not in ("aum", "loss", "name"):
        raise InvalidInput(f"unknown sort {sort!r}", field="sort", hint="aum, loss or name")
    return data.client_list(request.app.state.ctx, sess, q=q, rule=rule, risk=risk, sort=sort, page=page)


@api.get("/clients/{client_id}/{view}")
def client_json(client_id: str, view: str, request: Request, period: str | None = None,
                sess: ConsoleSession = Depends(session.require)) -> Any:
    return data.client_view(request.app.state.ctx, sess, client_id, view, period)


@api.get("/funds/{code}/{view}")
def fund_json(code: str, view: str, request: Request, period: str | None = None,
              sess: ConsoleSession = Depends(session.require)) -> Any:
    return data.fund_view(request.app.state.ctx, sess, code, view, period)


# ------------------------------------------------------------------------------------------ reports


@api.post("/reports", status_code=202)
async def submit_report(request: Request, sess: ConsoleSession = Depends(session.require)) -> Any:
    session.check_csrf(request, sess)
    body = await request.json()
    req = ReportRequest(type="proposal", client_id=str(body.get("client_id") or ""),
                        lang="en" if body.get("lang") == "en" else "zh")
    ctx = request.app.state.ctx
    job, created = await run_in_threadpool(ctx.jobs.submit, sess.caller, req)
    return JSONResponse(_job(job), status_code=202, headers={"X-Job-Reused": "false" if created else "true"})


def _job(job: Any) -> dict[str, Any]:
    from assistant.api.routes import job_view

    v = job_view(job).model_dump(mode="json")
    v["file_url"] = f"/console/reports/{job.id}/file" if job.status == "done" else None
    v["pdf_url"] = f"/console/reports/{job.id}/pdf" if job.status == "done" else None
    return v


@api.get("/reports/{job_id}")
def report_status(job_id: str, request: Request, sess: ConsoleSession = Depends(session.require)) -> Any:
    return _job(request.app.state.ctx.jobs.get(sess.caller, job_id))


def _done_file(request: Request, sess: ConsoleSession, job_id: str) -> Path:
    job = request.app.state.ctx.jobs.get(sess.caller, job_id)
    if job.status != "done":
        raise InvalidInput(f"report is {job.status}, not ready", field="id", hint="wait until it shows done")
    path = Path(job.file_path or "")
    if not path.is_file():
        raise NotFound(f"file of report {job_id!r} is gone", field="id", hint="generate the proposal again")
    return path


@router.get("/console/reports/{job_id}/file")
def report_file(job_id: str, request: Request, sess: ConsoleSession = Depends(session.require)) -> Any:
    path = _done_file(request, sess, job_id)
    return FileResponse(path, filename=path.name,
                        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@router.get("/console/reports/{job_id}/pdf")
async def report_pdf(job_id: str, request: Request, sess: ConsoleSession = Depends(session.require)) -> Any:
    path = _done_file(request, sess, job_id)
    pdf = path.with_suffix(".pdf")
    if not pdf.is_file():
        from reports.pdf import to_pdf

        try:
            pdf = await run_in_threadpool(to_pdf, path)
        except ConfigurationError:
            raise
        except Exception as exc:  # LibreOffice crashed: say so instead of a bare 500
            raise ConfigurationError(f"PDF conversion failed ({type(exc).__name__})",
                                     hint="download the .docx instead") from exc
    return FileResponse(pdf, filename=pdf.name, media_type="application/pdf")
