"""What the console's JSON endpoints return: service results, made JSON-safe, each with its ``as_of``.

No finance here: every figure comes from a ``services`` call (which checks access first); this module only
picks fields, groups findings for display and pages lists. Client reads are audited like the agent's tool
calls (``assistant.audit.record_tool_call``, tool ``console.<view>``).
"""

from __future__ import annotations

import json
import math
import threading
import time
from datetime import date, datetime, timedelta
from typing import Any

from assistant.audit import record_tool_call
from assistant.console.session import ConsoleSession
from core.errors import Forbidden, WealthDeskError
from datastore.repositories import clients as crepo
from datastore.repositories.jobs import list_jobs
from services import book, charts, clients, funds, loading, planning
from services.access import require_client_access
from services.deps import Deps

PERIODS = ("1m", "3m", "6m", "ytd", "1y", "3y", "since_purchase")
FUND_PERIODS = ("1m", "3m", "6m", "ytd", "1y", "3y", "since_inception")
SCAN_PAGE = 500
SCAN_MAX_PAGES = 40  # 20,000 findings; past that a list says it is incomplete


def jsonable(obj: Any) -> Any:
    """Models, frames' records, dates, NaN → plain JSON values (NaN/inf → None)."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, datetime | date):
        return obj.isoformat()[:10]
    if hasattr(obj, "item"):  # numpy scalars
        return jsonable(obj.item())
    if obj is None or isinstance(obj, str | int | bool):
        return obj
    if hasattr(obj, "isoformat"):
        return obj.isoformat()[:10]
    return str(obj)


class ViewCache:
    """Per-user results keyed by the data version: the book scan of 10,000 clients takes about a second, and
    the data changes only when an importer runs (``loading.data_version`` moves then). ``ttl_s`` bounds how
    long a result computed just before an import can be shown."""

    def __init__(self, ttl_s: float = 60.0, size: int = 4096) -> None:
        self.ttl_s, self.size = ttl_s, size
        self._data: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get_or(self, key: tuple[Any, ...], make: Any) -> Any:
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and now - hit[0] <= self.ttl_s:
                return hit[1]
        value = make()
        with self._lock:
            if len(self._data) >= self.size:
                self._data.clear()
            self._data[key] = (now, value)
        return value


def deps_of(ctx: Any, sess: ConsoleSession) -> Deps:
    return Deps.build(ctx.engine, sess.caller, settings=ctx.settings)


def _key(ctx: Any, sess: ConsoleSession, d: Deps, *parts: Any) -> tuple[Any, ...]:
    return (sess.user.id, d.as_of, loading.data_version(ctx.engine), *parts)


def audited(ctx: Any, sess: ConsoleSession, view: str, args: dict[str, Any], fn: Any) -> Any:
    """Run a read of client data and write one audit row (ok / forbidden / error), like a tool call; cached
    results are audited too (the row records the read, not the computation)."""
    try:
        result = jsonable(fn())
    except Forbidden as exc:
        record_tool_call(ctx.engine, actor=sess.user.id, tool=f"console.{view}", args=args,
                         result={"error": exc.code}, outcome="forbidden")
        raise
    except WealthDeskError as exc:
        record_tool_call(ctx.engine, actor=sess.user.id, tool=f"console.{view}", args=args,
                         result={"error": exc.code}, outcome="error")
        raise
    record_tool_call(ctx.engine, actor=sess.user.id, tool=f"console.{view}", args=args, result=result, outcome="ok")
    return result


# ------------------------------------------------------------------------------------------ book


def _findings(d: Deps, **query: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every finding of a book query (pages followed up to ``SCAN_MAX_PAGES``), and the first page's header."""
    first = book.book_query(d, book.BookQuery(page_size=SCAN_PAGE, **query))
    rows = list(first.findings)
    page = 1
    while page < min(first.pages, SCAN_MAX_PAGES):
        page += 1
        rows += book.book_query(d, book.BookQuery(page_size=SCAN_PAGE, page=page, **query)).findings
    head = jsonable(first.model_dump(exclude={"findings"}))
    head["complete"] = first.pages <= SCAN_MAX_PAGES
    return rows, head


def dashboard_totals(ctx: Any, sess: ConsoleSession) -> dict[str, Any]:
    d = deps_of(ctx, sess)
    return audited(ctx, sess, "book_totals", {}, lambda: ctx.console_cache.get_or(
        _key(ctx, sess, d, "totals"), lambda: jsonable(book.book_totals(d, top_n=5))))


def dashboard_todo(ctx: Any, sess: ConsoleSession) -> dict[str, Any]:
    """Counts by rule over the whole book (one scan), in the rules' order."""
    d = deps_of(ctx, sess)

    def make() -> dict[str, Any]:
        q = book.book_query(d, book.BookQuery(page_size=1))
        from analytics.book import RULES

        counts = [{"rule": r, "count": int(q.counts_by_rule.get(r, 0))} for r in RULES]
        return {"as_of": q.as_of.isoformat(), "clients_scanned": q.clients_scanned,
                "total_findings": sum(c["count"] for c in counts), "rules": counts}

    return audited(ctx, sess, "book_todo", {}, lambda: ctx.console_cache.get_or(_key(ctx, sess, d, "todo"), make))


def rule_findings(ctx: Any, sess: ConsoleSession, rule: str, page: int, page_size: int = 20) -> dict[str, Any]:
    d = deps_of(ctx, sess)
    return audited(ctx, sess, "book_query", {"rule": rule, "page": page},
                   lambda: book.book_query(d, book.BookQuery(rule=rule, page=page, page_size=page_size)))


def maturity_calendar(ctx: Any, sess: ConsoleSession, days: int = 90) -> dict[str, Any]:
    """book_query(rule="maturing", within_days=90) grouped by ISO week and by month (counts, amounts, clients)."""
    d = deps_of(ctx, sess)

    def make() -> dict[str, Any]:
        rows, head = _findings(d, rule="maturing", within_days=days)
        weeks: dict[str, dict[str, Any]] = {}
        months: dict[str, dict[str, Any]] = {}
        for f in rows:
            day = date.fromisoformat(str(f.get("detail_date"))[:10])
            monday = day - timedelta(days=day.weekday())
            for bucket, key in ((weeks, monday.isoformat()), (months, day.strftime("%Y-%m"))):
                b = bucket.setdefault(key, {"key": key, "count": 0, "amount": 0.0, "clients": set(), "items": []})
                b["count"] += 1
                b["amount"] += float(f.get("figure") or 0.0) if f.get("unit") == "yuan" else 0.0
                b["clients"].add(f["client_id"])
                if bucket is weeks and len(b["items"]) < 8:
                    b["items"].append(jsonable({k: f.get(k) for k in ("client_id", "client_name", "product_code",
                                                                      "detail_date", "figure", "unit")}))
        out = []
        for bucket in (weeks, months):
            out.append([{**b, "clients": len(b["clients"])} for _, b in sorted(bucket.items())])
        return {**head, "weeks": out[0], "months": out[1], "amount_unit": "yuan"}

    return audited(ctx, sess, "book_maturity", {"within_days": days},
                   lambda: ctx.console_cache.get_or(_key(ctx, sess, d, "maturity", days), make))


def recent_jobs(ctx: Any, sess: ConsoleSession, limit: int = 8) -> dict[str, Any]:
    from assistant.api.routes import job_view

    jobs = [job_view(j).model_dump(mode="json") for j in list_jobs(ctx.engine, sess.user.id, limit=limit)]
    for j in jobs:
        j["file_url"] = f"/console/reports/{j['id']}/file" if j["status"] == "done" else None
    return {"jobs": jobs}


def client_list(ctx: Any, sess: ConsoleSession, *, q: str = "", rule: str = "", risk: str = "",
                sort: str = "aum", page: int = 1, page_size: int = 25) -> dict[str, Any]:
    """The caller's clients with AUM (book_totals), the rules they trip and their loss (book_query)."""
    d = deps_of(ctx, sess)

    def make() -> dict[str, Any]:
        totals = book.book_totals(d, top_n=10**9)
        rows, head = _findings(d)
        rm = None if sess.caller.role == "admin" else sess.caller.rm_id
        recs = crepo.list_clients(ctx.engine, rm, personal=False)[["id", "name", "risk_level", "age"]].to_dict("records")
        aum = {c["client_id"]: c["total_assets"] for c in totals.largest_clients}
        rules: dict[str, set[str]] = {}
        loss: dict[str, float] = {}
        for f in rows:
            rules.setdefault(f["client_id"], set()).add(f["rule"])
            if f["rule"] == "loss" and f.get("figure") is not None:
                loss[f["client_id"]] = min(loss.get(f["client_id"], 0.0), -abs(float(f["figure"])))
        items = [{"client_id": r["id"], "name": r["name"], "risk_level": r["risk_level"], "age": int(r["age"]),
                  "aum": float(aum.get(r["id"], 0.0)), "loss": loss.get(r["id"]),
                  "rules": sorted(rules.get(r["id"], ()))} for r in recs]
        return {"as_of": totals.as_of.isoformat(), "complete": head["complete"], "items": items}

    full = audited(ctx, sess, "client_list", {"q": q, "rule": rule, "risk": risk, "sort": sort},
                   lambda: ctx.console_cache.get_or(_key(ctx, sess, d, "clients"), make))
    items = full["items"]
    text = q.strip().lower()
    if text:
        items = [i for i in items if text in i["client_id"].lower() or text in i["name"].lower()]
    if rule:
        items = [i for i in items if rule in i["rules"]]
    if risk:
        items = [i for i in items if i["risk_level"] == risk]
    if sort == "loss":
        items = sorted(items, key=lambda i: (i["loss"] is None, i["loss"] or 0.0, i["client_id"]))
    elif sort == "name":
        items = sorted(items, key=lambda i: i["client_id"])
    else:
        items = sorted(items, key=lambda i: (-i["aum"], i["client_id"]))
    pages = max(1, math.ceil(len(items) / page_size))
    page = min(max(1, page), pages)
    return {"as_of": full["as_of"], "complete": full["complete"], "total": len(items), "page": page, "pages": pages,
            "items": items[(page - 1) * page_size: page * page_size]}


# ---------------------------------------------------------------------------------------- client


def client_view(ctx: Any, sess: ConsoleSession, cid: str, view: str, period: str | None = None) -> Any:
    d = deps_of(ctx, sess)
    calls = {
        "overview": lambda: clients.client_overview(d, cid),
        "performance": lambda: clients.client_performance(d, cid, period or "since_purchase"),
        "lookthrough": lambda: clients.client_lookthrough(d, cid, top_n=15),
        "layers": lambda: charts.client_layers(d, cid),
        "allocation": lambda: planning.allocation_review(d, cid),
        "attribution": lambda: clients.client_attribution(d, cid, period or "1y"),
        "retirement": lambda: planning.retirement(d, cid),
        "health": lambda: planning.health_score(d, cid),
    }
    if view not in calls:
        from core.errors import NotFound

        raise NotFound(f"no client view {view!r}", field="view", hint=", ".join(calls))
    key = _key(ctx, sess, d, "client", cid.strip().upper(), view, period)

    def compute() -> Any:
        result = jsonable(calls[view]())
        if isinstance(result, dict):
            result.setdefault("as_of", d.as_of.isoformat())
        return result

    def cached() -> Any:
        # The access check runs on every read, cache hit or not (a client moved to another RM is refused
        # at once); the cache only saves the computation (allocation review ≈ 1 s on the sample book).
        require_client_access(ctx.engine, sess.caller, cid.strip().upper())
        return ctx.console_cache.get_or(key, compute)

    return audited(ctx, sess, f"client_{view}", {"client_id": cid, "period": period}, cached)


# ------------------------------------------------------------------------------------------ fund


def fund_view(ctx: Any, sess: ConsoleSession, code: str, view: str, period: str | None = None) -> Any:
    d = deps_of(ctx, sess)
    if view == "profile":
        return jsonable({**funds.fund_profile(d, code).model_dump(mode="json"), "as_of": d.as_of})
    if view == "metrics":
        out = []
        for p in FUND_PERIODS:
            try:
                out.append(jsonable(funds.fund_metrics(d, code, p)))
            except WealthDeskError as exc:  # a period longer than the history: say so in its row
                out.append({"period": p, "error": exc.code, "message": str(exc)})
        return {"as_of": d.as_of.isoformat(), "periods": out}
    if view == "series":
        return jsonable(charts.fund_series(d, code, period or "1y"))
    if view == "holdings":
        from assistant.cli.fund_view import fund_lookthrough_payload

        return jsonable(fund_lookthrough_payload(ctx.engine, funds.resolve_fund(d, code), d.as_of, None))
    from core.errors import NotFound

    raise NotFound(f"no fund view {view!r}", field="view", hint="profile, metrics, series, holdings")


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)
