"""The RM console: a mobile-first web app served by the API process at ``/``.

``install_console(app, ctx)`` adds the pages, the JSON endpoints, the static assets (our CSS/JS, the
ECharts build copied from npm by ``make console-assets``, the CJK webfont from mplfonts) and the per-user view
cache. Screens call ``services`` only; sign-in, CSRF and the session cookie are in ``session``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"
ECHARTS = STATIC_DIR / "vendor" / "echarts.min.js"


def font_dir() -> Path:
    """mplfonts' bundled Noto Sans CJK SC (installed with the project): Chinese renders on a bare machine."""
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts"


def install_console(app: FastAPI, ctx: Any) -> None:
    from assistant.console.copilot import router as copilot_router
    from assistant.console.data import ViewCache
    from assistant.console.routes import api, router
    from assistant.console.session import warn_if_dev_secret
    from assistant.logging import get_logger

    ctx.console_cache = ViewCache()
    warn_if_dev_secret(ctx.settings)
    if not ECHARTS.is_file():
        get_logger("console").warning(
            "console charts library missing: run `make console-assets` (copies echarts from npm)")
    app.include_router(api)
    app.include_router(copilot_router)
    app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    app.mount("/console/fonts", StaticFiles(directory=font_dir()), name="console-fonts")
