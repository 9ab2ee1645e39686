"""The console end to end in a real headless browser: Debian's chromium driven by Playwright, against uvicorn
serving the app with the REAL services (agent in offline mode, proposal builder), on a copy of the sample DB.

Skipped only when /usr/bin/chromium is absent (``make test`` installs it as root). Set
``WEALTHDESK_SCREENS_DIR`` to also save the dashboard and a client page at 375 and 1280 px.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parents[2]
MINI_CORPUS_FILE = REPO / "data" / "corpus" / "faq" / "faq_wmp.md"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium): "
                                "run `make browser` as root, or apt-get install -y --no-install-recommends chromium")

# Non-transparent pixels on the chart's canvas: the chart was drawn, not just its container laid out.
INK = """(sel) => { const c = document.querySelector(sel + ' canvas'); if (!c || !c.width) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 3; i < d.length; i += 16) if (d[i] > 0) n++; return n; }"""


@pytest.fixture(scope="module")
def live(console_env: dict[str, Any]) -> Iterator[Any]:
    from assistant.api import create_app
    from knowledge.bootstrap import init_knowledge
    from tests.api.support import LiveServer

    settings = console_env["settings"]
    corpus = settings.corpus_dir / "faq"
    corpus.mkdir(parents=True, exist_ok=True)
    shutil.copy(MINI_CORPUS_FILE, corpus / MINI_CORPUS_FILE.name)  # one FAQ file: sources without a long ingest
    init_knowledge(settings)
    with LiveServer(create_app(settings, engine=console_env["engine"], warm_up=False)) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _page(browser: Any, live: Any, key: str, width: int = 1280) -> Any:
    ctx = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(live.url + "/")
    assert page.url.startswith(live.url + "/login")
    page.fill("#key", key)
    page.click("[data-testid=signin]")
    page.wait_for_url(live.url + "/")
    return page


def _drawn(page: Any, sel: str) -> None:
    page.wait_for_function(f"({INK})({sel!r}) > 200")


def test_sign_in_dashboard_client_charts_and_fund(browser: Any, live: Any, console_env: dict[str, Any]) -> None:
    page = _page(browser, live, console_env["keys"]["RM001"])
    page.wait_for_function("document.getElementById('totals').dataset.state === 'ok'")
    assert page.inner_text("#kpi-count") == "40"
    page.wait_for_selector("[data-testid=todo-list] li")
    _drawn(page, "#chart-book-mix")
    _drawn(page, "#chart-maturity")
    page.click("[data-rule=idle_cash] .rule-head")  # the to-do list opens onto the clients of a rule
    page.wait_for_selector("[data-rule=idle_cash] .rule-items a")
    page.click(".nav a[href=\"/clients\"]")
    page.fill("[data-testid=client-search]", "C0001")
    page.wait_for_function("document.querySelectorAll('[data-testid=client-table] tr').length === 2")
    page.click("[data-testid=client-table] a")
    page.wait_for_url(live.url + "/clients/C0001")
    assert "林辉静" in page.inner_text("#overview")
    for chart in ("#chart-classes", "#chart-industries", "#chart-layers", "#chart-allocation", "#chart-attribution"):
        _drawn(page, chart)
    page.wait_for_selector("[data-testid=positions] tr >> nth=1")
    page.wait_for_selector("[data-testid=retirement]")
    assert not page.query_selector("[data-testid=state-error]")
    # hover shows the value: the tooltip of the asset-class donut
    box = page.query_selector("#chart-classes canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.44 - box["height"] * 0.25)
    page.wait_for_function("[...document.querySelectorAll('#chart-classes div')].some(d => /%/.test(d.innerText))")
    page.click("[data-testid=positions] a >> nth=0")  # a fund position opens the fund page
    page.wait_for_url(live.url + "/funds/*")
    _drawn(page, "#chart-nav")
    _drawn(page, "#chart-drawdown")
    page.wait_for_selector("[data-testid=fund-metrics] tr >> nth=1")
    page.context.close()


def test_generate_and_download_a_proposal(browser: Any, live: Any, console_env: dict[str, Any], tmp_path: Path) -> None:
    page = _page(browser, live, console_env["keys"]["RM001"])
    page.goto(live.url + "/clients/C0002")
    page.click("[data-testid=proposal]")
    link = page.wait_for_selector("[data-testid=download-docx]", timeout=90_000)
    with page.expect_download() as dl:
        link.click()
    out = tmp_path / "proposal.docx"
    dl.value.save_as(out)
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "C0002" in body or "客户" in body
    page.goto(live.url + "/")  # the dashboard lists it under recent reports
    page.wait_for_selector("#jobs a[href$='/file']")
    page.context.close()


def test_copilot_streams_an_answer_with_tools_and_sources(browser: Any, live: Any, console_env: dict[str, Any]) -> None:
    page = _page(browser, live, console_env["keys"]["RM001"])
    page.goto(live.url + "/clients/C0001")
    page.click("[data-testid=open-copilot]")
    page.fill("[data-testid=copilot-input]", "组合穿透一下")  # no client named: the pane's client is the subject
    page.click("[data-testid=copilot-send]")
    chips = page.wait_for_selector("[data-testid=copilot-chips] .chip.tool", timeout=60_000)
    assert "lookthrough" in chips.inner_text()
    answer = page.inner_text("[data-testid=copilot-answer] >> nth=0")
    assert "C0001" in answer or "林辉静" in answer
    page.fill("[data-testid=copilot-input]", "理财产品的冷静期有多长？")
    page.click("[data-testid=copilot-send]")
    page.wait_for_selector("[data-testid=copilot-answer] >> nth=1 >> .chip.src", timeout=60_000)
    page.reload()  # the conversation is kept for this sign-in and client
    page.click("[data-testid=open-copilot]")
    page.wait_for_function("document.querySelectorAll('#copilot-log .msg.old').length === 4")
    page.context.close()


def test_another_rms_client_is_a_403_page_and_posts_need_the_token(browser: Any, live: Any,
                                                                   console_env: dict[str, Any]) -> None:
    page = _page(browser, live, console_env["keys"]["RM002"])
    resp = page.goto(live.url + "/clients/C0001")
    assert resp.status == 403
    assert page.query_selector("[data-testid=error-page]") and "林辉静" not in page.content()
    status = page.evaluate("""async () => (await fetch('/console/api/reports', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({client_id: 'C0101'})})).status""")
    assert status == 403  # signed in, but no CSRF token
    page.click("[data-testid=lang-switch]")  # English switch (a POST with the token) keeps the page
    page.wait_for_selector("text=Not allowed")
    assert page.url.endswith("/clients/C0001") and page.query_selector(".nav >> text=Dashboard")
    page.context.close()


@pytest.mark.skipif(not os.environ.get("WEALTHDESK_SCREENS_DIR"), reason="set WEALTHDESK_SCREENS_DIR to save screenshots")
def test_screenshots(browser: Any, live: Any, console_env: dict[str, Any]) -> None:
    out = Path(os.environ["WEALTHDESK_SCREENS_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page = _page(browser, live, console_env["keys"]["RM001"], width=width)
        page.wait_for_function("document.getElementById('totals').dataset.state === 'ok'")
        _drawn(page, "#chart-maturity")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(out / f"dashboard-{width}.png"), full_page=True)
        page.goto(live.url + "/clients/C0001")
        for chart in ("#chart-classes", "#chart-layers", "#chart-attribution"):
            _drawn(page, chart)
        page.wait_for_selector("[data-testid=retirement]")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(out / f"client-{width}.png"), full_page=True)
        page.context.close()
