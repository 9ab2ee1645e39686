"""RM console latency: server time of the dashboard and a client page (the HTML page plus every JSON part the
page loads), for RM001's 40-client sample book and for a 10,000-client book, and first paint in chromium.

Targets (issue 15): dashboard and client page ≤ 150 ms warm for 40 clients, ≤ 500 ms for 10,000; first paint
≤ 1 s on loopback.

Run: ``python benchmarks/bench_console.py [--clients 10000] [--rounds 10]``. The app runs under uvicorn on a
loopback port with the real services (offline model) on a temp copy of the sample data; the large book appends
synthetic clients to RM001 exactly like ``bench_services.py``. "page total" = the HTML page and its JSON parts
fetched one after another (the browser fetches them in parallel, so this is an upper bound). "warm" = after one
call of each (service caches and the console's per-user view cache filled); "recomputed" = the console's view
cache switched off, so the dashboard re-runs the book scan on every request.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
DASHBOARD = ["/", "/console/api/dashboard/totals", "/console/api/dashboard/todo", "/console/api/dashboard/maturity",
             "/console/api/dashboard/jobs"]
CLIENT = ["/clients/C0001"] + [f"/console/api/clients/C0001/{v}" for v in
                               ("performance", "lookthrough", "layers", "allocation", "attribution", "retirement")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _grow(engine: Any, n: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_services", HERE / "bench_services.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod._grow(engine, n)


def _signed_in(url: str, key: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=120, follow_redirects=True)
    page = c.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page.split('action="/login"')[1]).group(1)
    r = c.post("/login", data={"key": key, "csrf": token, "next": "/"})
    assert r.status_code == 200, r.text[:200]
    return c


def _time(c: httpx.Client, paths: list[str], rounds: int) -> tuple[dict[str, float], float, float]:
    """(per-path p50 ms, page-total p50, page-total of the first, cold call)."""
    t0 = time.perf_counter()
    for p in paths:
        assert c.get(p).status_code == 200, p
    cold = (time.perf_counter() - t0) * 1000
    per: dict[str, list[float]] = {p: [] for p in paths}
    totals = []
    for _ in range(rounds):
        s = 0.0
        for p in paths:
            t = time.perf_counter()
            c.get(p)
            dt = (time.perf_counter() - t) * 1000
            per[p].append(dt)
            s += dt
        totals.append(s)
    return {p: statistics.median(v) for p, v in per.items()}, statistics.median(totals), cold


def _serve(settings: Any, engine: Any, *, cache: bool) -> Any:
    import sys

    sys.path.insert(0, str(HERE.parent))
    from assistant.api import create_app
    from assistant.console.data import ViewCache
    from tests.api.support import LiveServer

    app = create_app(settings, engine=engine, warm_up=False)
    server = LiveServer(app).start()
    if not cache:
        app.state.ctx.console_cache = ViewCache(ttl_s=-1.0)
    return server


def _report(label: str, c: httpx.Client, rounds: int) -> None:
    for name, paths in (("dashboard", DASHBOARD), ("client page C0001", CLIENT)):
        per, total, cold = _time(c, paths, rounds)
        print(f"{label:34s} {name:18s} page total p50 {total:7.1f} ms  (cold {cold:7.1f} ms)")
        for p, v in per.items():
            print(f"{'':34s}   {p:45s} {v:7.1f} ms")


def _first_paint(url: str, key: str) -> None:
    if not Path("/usr/bin/chromium").exists():
        print("first paint: skipped (no /usr/bin/chromium; run `make browser` as root)")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = b.new_context(viewport={"width": 375, "height": 800}).new_page()
        page.goto(url + "/login")
        page.fill("#key", key)
        page.click("[data-testid=signin]")
        page.wait_for_url(url + "/")
        for path in ("/", "/clients/C0001", "/login"):
            fps = []
            for _ in range(7):  # a fresh tab each time (same signed-in context); the paint entry is buffered
                tab = page.context.new_page()
                tab.goto(url + path)
                fps.append(tab.evaluate(
                    "() => new Promise(r => new PerformanceObserver((l, o) => { const e = l.getEntries()"
                    ".find(x => x.name === 'first-contentful-paint'); if (e) { o.disconnect(); r(e.startTime); } })"
                    ".observe({type: 'paint', buffered: true}))"))
                tab.close()
            print(f"first contentful paint {path:18s} median {statistics.median(fps):6.1f} ms  (runs: "
                  + ", ".join(f"{x:.0f}" for x in fps) + ")")
        b.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()

    from assistant.settings import Settings
    from datastore.engine import get_engine
    from datastore.repositories.meta import clear_cache
    from datastore.repositories.users import add_user, issue_key
    from datastore.sample import load_sample

    work = Path(tempfile.mkdtemp())
    settings = Settings(var_dir=work / "var", database_url=f"sqlite:///{work / 'bench.db'}", llm_mode="offline",  # type: ignore[call-arg]
                        rate_limit_per_minute=1_000_000, _env_file=None)
    engine = get_engine(settings.resolved_database_url)
    load_sample(engine)
    add_user(engine, "RM001", "rm")
    key = issue_key(engine, "RM001")

    for cache in (True, False):
        server = _serve(settings, engine, cache=cache)
        c = _signed_in(server.url, key)
        _report("40 clients, " + ("warm" if cache else "recomputed"), c, args.rounds)
        c.close()
        if cache:
            _first_paint(server.url, key)
        server.stop()
    _grow(engine, args.clients)
    clear_cache()  # what an importer does: no cache keyed by the data version serves the 40-client book
    for cache in (True, False):
        server = _serve(settings, engine, cache=cache)
        c = _signed_in(server.url, key)
        _report(f"{args.clients + 40} clients, " + ("warm" if cache else "recomputed"), c, max(3, args.rounds // 3))
        c.close()
        server.stop()


if __name__ == "__main__":
    main()
