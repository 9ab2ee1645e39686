"""The console over HTTP (no browser): sign-in and its cookie, CSRF, access control and audit, the JSON views."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from datastore.repositories.audit import list_audit
from tests.console.conftest import login_token, sign_in


def test_signin_sets_a_strict_httponly_cookie_and_signout_clears_it(http: TestClient, console_env: dict[str, Any]) -> None:
    http.cookies.clear()
    assert http.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
    page = http.get("/login")
    token = login_token(page.text)
    r = http.post("/login", data={"key": console_env["keys"]["RM001"], "csrf": token}, follow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert "wd_console=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert console_env["keys"]["RM001"] not in cookie  # the key never travels back
    home = http.get("/")
    assert home.status_code == 200 and "RM001" in home.text
    csrf = home.text.split('name="csrf-token" content="')[1].split('"')[0]
    assert http.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert http.get("/", follow_redirects=False).status_code == 303


def test_wrong_key_and_client_channel_key_cannot_sign_in(http: TestClient, console_env: dict[str, Any]) -> None:
    for key, code in (("wd_not-a-key", "unauthenticated"), (console_env["keys"]["FAQBOT"], "forbidden")):
        http.cookies.clear()
        token = login_token(http.get("/login").text)
        r = http.post("/login", data={"key": key, "csrf": token}, follow_redirects=False)
        assert r.headers["location"].startswith(f"/login?error={code}")
        assert "wd_console" not in r.headers.get("set-cookie", "")


def test_login_form_needs_its_csrf_token(http: TestClient, console_env: dict[str, Any]) -> None:
    http.cookies.clear()
    http.get("/login")
    r = http.post("/login", data={"key": console_env["keys"]["RM001"], "csrf": "forged"}, follow_redirects=False)
    assert r.headers["location"].startswith("/login?error=csrf")


def test_posts_without_the_csrf_token_are_rejected(http: TestClient, console_env: dict[str, Any], fakes: Any) -> None:
    csrf = sign_in(http, console_env["keys"]["RM001"])
    before = len(fakes.build_calls)
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        r = http.post("/console/api/reports", json={"client_id": "C0001"}, headers=headers)
        assert r.status_code == 403 and r.json()["field"] == "csrf"
        r = http.post("/console/api/copilot", json={"message": "hi", "client_id": "C0001"}, headers=headers)
        assert r.status_code == 403
    assert http.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert len(fakes.build_calls) == before  # nothing was queued
    ok = http.post("/console/api/reports", json={"client_id": "C0001"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 202


def test_another_rms_client_is_a_403_page_without_data_and_is_audited(http: TestClient, console_env: dict[str, Any]) -> None:
    sign_in(http, console_env["keys"]["RM002"])
    page = http.get("/clients/C0001")
    assert page.status_code == 403 and 'data-testid="error-page"' in page.text
    assert "林辉静" not in page.text and "967" not in page.text  # C0001's name and assets
    for view in ("overview", "performance", "lookthrough", "layers", "allocation"):
        r = http.get(f"/console/api/clients/C0001/{view}")
        assert r.status_code == 403 and "林辉静" not in r.text
    rows = [a for a in list_audit(console_env["engine"], actor="RM002", limit=20) if a.tool.startswith("console.")]
    assert rows and rows[0].outcome == "forbidden"


def test_json_needs_a_session(http: TestClient) -> None:
    http.cookies.clear()
    r = http.get("/console/api/dashboard/totals")
    assert r.status_code == 401 and "sign in" in r.json()["hint"]


def test_dashboard_parts_come_from_the_book_services(http: TestClient, console_env: dict[str, Any]) -> None:
    from core.identity import Caller
    from services import book
    from services.deps import Deps

    sign_in(http, console_env["keys"]["RM001"])
    d = Deps.build(console_env["engine"], Caller.rm("RM001"))
    totals = http.get("/console/api/dashboard/totals").json()
    assert totals["client_count"] == book.book_totals(d).client_count == 40
    assert abs(totals["aum"] - book.book_totals(d).aum) < 1e-6 and totals["as_of"] == d.as_of.isoformat()
    todo = http.get("/console/api/dashboard/todo").json()
    counts = book.book_query(d, book.BookQuery()).counts_by_rule
    assert {r["rule"]: r["count"] for r in todo["rules"] if r["count"]} == counts
    cal = http.get("/console/api/dashboard/maturity").json()
    maturing = book.book_query(d, book.BookQuery(rule="maturing", within_days=90, page_size=500))
    assert sum(w["count"] for w in cal["weeks"]) == sum(m["count"] for m in cal["months"]) == maturing.total_findings
    assert all(w["key"] <= m["items"][0]["detail_date"] for w in cal["weeks"] for m in [w] if m["items"])


def test_client_list_filters_and_sorts(http: TestClient, console_env: dict[str, Any]) -> None:
    sign_in(http, console_env["keys"]["RM001"])
    everyone = http.get("/console/api/clients?page=1").json()
    assert everyone["total"] == 40 and len(everyone["items"]) == 25
    aums = [c["aum"] for c in everyone["items"]]
    assert aums == sorted(aums, reverse=True)
    one = http.get("/console/api/clients?q=c0001").json()
    assert [c["client_id"] for c in one["items"]] == ["C0001"]
    c3 = http.get("/console/api/clients?risk=C3").json()
    assert c3["total"] and all(c["risk_level"] == "C3" for c in c3["items"])
    idle = http.get("/console/api/clients?rule=idle_cash").json()
    assert idle["total"] and all("idle_cash" in c["rules"] for c in idle["items"])
    by_loss = http.get("/console/api/clients?sort=loss").json()["items"]
    assert by_loss[0]["loss"] is not None and by_loss[0]["loss"] < 0
    assert http.get("/console/api/clients?sort=bogus").status_code == 400
    other = sign_in(http, console_env["keys"]["RM002"]) and http.get("/console/api/clients?q=C0001").json()
    assert other["total"] == 0  # RM002's list never holds RM001's clients


def test_client_views_are_service_results_with_as_of(http: TestClient, console_env: dict[str, Any]) -> None:
    sign_in(http, console_env["keys"]["RM001"])
    for view in ("overview", "performance", "lookthrough", "layers", "allocation", "attribution", "retirement"):
        r = http.get(f"/console/api/clients/C0001/{view}")
        assert r.status_code == 200, (view, r.text)
        assert r.json()["as_of"], view
    look = http.get("/console/api/clients/C0001/lookthrough").json()
    assert abs(sum(look["asset_classes"].values()) - 1.0) < 1e-9
    layers = http.get("/console/api/clients/C0001/layers").json()
    out_of_client = sum(li["value"] for li in layers["links"] if li["source"] == "c:C0001")
    assert abs(out_of_client - sum(li["weight"] for li in look["lines"] if li["weight"] > 0)) < 1e-9
    funds_in = sum(li["value"] for li in layers["links"] if li["source"].startswith("f:"))
    assert abs(funds_in - sum(li["value"] for li in layers["links"] if li["source"].startswith("m:"))) < 1e-9
    assert {n["layer"] for n in layers["nodes"]} >= {"client", "fund", "manager", "company"}
    assert http.get("/console/api/clients/C0001/performance?period=bogus").status_code == 400
    rows = [a for a in list_audit(console_env["engine"], actor="RM001", limit=50) if a.tool == "console.client_layers"]
    assert rows and rows[0].outcome == "ok"


def test_fund_views(http: TestClient, console_env: dict[str, Any]) -> None:
    sign_in(http, console_env["keys"]["RM001"])
    page = http.get("/funds/001101")
    assert page.status_code == 200 and "001101" in page.text
    s = http.get("/console/api/funds/001101/series?period=1y").json()
    assert s["fund"][0] == 1.0 and s["bench"][0] == 1.0 and max(s["drawdown"]) <= 0.0
    assert len(s["dates"]) == len(s["fund"]) == len(s["drawdown"])
    m = http.get("/console/api/funds/001101/metrics").json()
    assert [p["period"] for p in m["periods"]][:3] == ["1m", "3m", "6m"]
    h = http.get("/console/api/funds/001101/holdings").json()
    assert h["holdings"] and 0 < h["coverage"] <= 1
    assert http.get("/funds/999999").status_code == 404


def test_copilot_streams_the_agent_answer_as_sse(http: TestClient, console_env: dict[str, Any]) -> None:
    csrf = sign_in(http, console_env["keys"]["RM001"])
    with http.stream("POST", "/console/api/copilot", json={"message": "C0001 组合穿透一下", "client_id": "C0001"},
                     headers={"X-CSRF-Token": csrf}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = [(b.split("\n")[0][7:], json.loads(b.split("\n")[1][6:])) for b in text.split("\n\n") if b.startswith("event:")]
    deltas = [p["text"] for e, p in events if e == "delta"]
    done = [p for e, p in events if e == "done"][0]
    assert len(deltas) > 1 and "".join(deltas) == done["answer"]
    assert done["tool_calls"][0]["name"] == "lookthrough_portfolio" and done["citations"]
    assert http.get("/console/api/copilot/C0001/history").status_code == 200  # turns: see the browser test


def test_copilot_on_another_rms_client_is_refused_before_the_agent(http: TestClient, console_env: dict[str, Any],
                                                                   fakes: Any) -> None:
    csrf = sign_in(http, console_env["keys"]["RM002"])
    r = http.post("/console/api/copilot", json={"message": "组合穿透一下", "client_id": "C0001"},
                  headers={"X-CSRF-Token": csrf})
    assert r.status_code == 403
    assert http.get("/console/api/copilot/C0001/history").status_code == 403
