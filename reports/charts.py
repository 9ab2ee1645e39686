"""Report charts as PNG bytes (matplotlib, Agg), with a CJK font shipped by the ``mplfonts`` package.

The machine has no system CJK font, so Chinese labels would render as tofu boxes; we register the
Noto Sans CJK SC file that ``mplfonts`` ships (``mplfonts/fonts/*.otf``) with matplotlib's font manager
by path and put it first in ``font.sans-serif``. Every chart returns PNG bytes so the docx renderer can
embed it without temporary files.

Inputs are plain sequences/Series; values are fractions for weights and returns (shown as percent on
the axes), yuan for amounts.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: reports are built in CLI/API workers without a display

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from core.errors import ConfigurationError  # noqa: E402

# A muted bank palette (navy first); colour-blind friendly enough for 6–8 slices.
PALETTE = ["#1F4E79", "#C0504D", "#9BBB59", "#F2A93B", "#8064A2", "#4BACC6", "#7F7F7F", "#D99694"]
_DPI = 130


def cjk_font_files() -> dict[str, Path]:
    """Font files shipped by mplfonts, keyed by file name (``NotoSansCJKsc-Regular.otf`` …)."""
    import mplfonts

    folder = Path(mplfonts.__file__).parent / "fonts"
    files = {p.name: p for p in folder.glob("*.[ot]t[fc]")}
    if not files:
        raise ConfigurationError(f"mplfonts ships no font files under {folder}; reinstall mplfonts")
    return files


@lru_cache(maxsize=1)
def setup_fonts() -> str:
    """Register the CJK font with matplotlib once; returns the family name used."""
    files = cjk_font_files()
    path = files.get("NotoSansCJKsc-Regular.otf") or files.get("SimHei.ttf") or next(iter(files.values()))
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False  # CJK fonts lack U+2212; use ASCII hyphen
    return family


def _png(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    # fixed margins instead of bbox_inches="tight" (which draws the figure twice) and light PNG
    # compression: together they halve the time per chart, which dominates report build time
    fig.savefig(buf, format="png", dpi=_DPI, pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return buf.getvalue()


def _pct(x: float, _pos: int | None = None) -> str:
    v = x * 100
    return f"{v:.0f}%" if abs(v - round(v)) < 1e-9 else f"{v:.1f}%"


def donut(labels: Sequence[str], weights: Sequence[float], title: str, *, centre: str = "") -> bytes:
    """Allocation donut. ``weights`` are fractions (they need not sum to 1: the rest is not drawn)."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(6.0, 3.6))
    fig.subplots_adjust(left=0.02, right=0.58, top=0.88, bottom=0.04)
    pairs = [(lbl, w) for lbl, w in zip(labels, weights, strict=True) if w > 0]
    if pairs:
        wedges, _ = ax.pie(
            [w for _, w in pairs],
            colors=PALETTE[: len(pairs)] * (1 + len(pairs) // len(PALETTE)),
            startangle=90,
            counterclock=False,
            wedgeprops={"width": 0.38, "edgecolor": "white"},
        )
        ax.legend(
            wedges,
            [f"{lbl} {w * 100:.1f}%" for lbl, w in pairs],
            loc="center left",
            bbox_to_anchor=(1.0, 0.5),
            frameon=False,
            fontsize=9,
        )
    if centre:
        ax.text(0, 0, centre, ha="center", va="center", fontsize=10)
    ax.set_title(title, fontsize=11)
    ax.axis("equal")
    return _png(fig)


def bars(
    labels: Sequence[str], series: Mapping[str, Sequence[float]], title: str, *, percent: bool = True
) -> bytes:
    """Horizontal grouped bars (e.g. industry weights: client vs benchmark). Values are fractions if percent."""
    setup_fonts()
    n = len(labels)
    fig, ax = plt.subplots(figsize=(6.4, max(2.2, 0.32 * n + 1.0)))
    # room for the longest label at 9 pt (CJK ≈ 0.125 in, Latin ≈ 0.075 in a character), so English
    # industry names are not cut at the left edge
    longest = max((sum(0.125 if ord(ch) > 0x2E80 else 0.075 for ch in lab) for lab in labels), default=1.0)
    fig.subplots_adjust(left=min(0.45, max(0.22, (longest + 0.2) / 6.4)), right=0.97, top=0.88, bottom=0.1)
    k = max(1, len(series))
    height = 0.8 / k
    for i, (name, values) in enumerate(series.items()):
        ys = [j + i * height for j in range(n)]
        ax.barh(ys, list(values), height=height, label=name, color=PALETTE[i % len(PALETTE)])
    ax.set_yticks([j + height * (k - 1) / 2 for j in range(n)], list(labels), fontsize=9)
    ax.invert_yaxis()
    if percent:
        ax.xaxis.set_major_formatter(FuncFormatter(_pct))
    if k > 1:
        ax.legend(frameon=False, fontsize=9)
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def columns(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    title: str,
    *,
    ylabel: str = "",
    missing_label: str = "",
) -> bytes:
    """Vertical grouped columns (e.g. revenue and net profit by year). None draws no bar; a category with
    no value at all is labelled ``missing_label`` so an empty slot is not read as zero."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(6.0, 2.9))
    fig.subplots_adjust(left=0.12, right=0.97, top=0.86, bottom=0.12)
    k = max(1, len(series))
    width = 0.8 / k
    top = 0.0
    for i, (name, values) in enumerate(series.items()):
        xs = [j + (i - (k - 1) / 2) * width for j in range(len(labels))]
        ys = [float("nan") if v is None else v for v in values]
        top = max([top, *[y for y in ys if y == y]])
        ax.bar(xs, ys, width=width, label=name, color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(range(len(labels)), list(labels))
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylim(top=top * 1.35 if top > 0 else None)  # headroom for the legend row
    if missing_label:
        for j in range(len(labels)):
            if all(values[j] is None for values in series.values()):
                ax.text(j, top * 0.1, missing_label, ha="center", va="bottom", color="#C00000", fontsize=9)
    ax.axhline(0, color="#7F7F7F", linewidth=0.6)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=9)
    ax.set_title(title, fontsize=11)
    ax.legend(frameon=False, fontsize=9, ncol=k, loc="upper center")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def lines(series: Mapping[str, pd.Series], title: str, *, ylabel: str = "") -> bytes:
    """NAV / backtest lines: each Series indexed by date (values e.g. growth of 1)."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    fig.subplots_adjust(left=0.1, right=0.97, top=0.88, bottom=0.2)
    for i, (name, s) in enumerate(series.items()):
        ax.plot(s.index, s.to_numpy(), label=name, color=PALETTE[i % len(PALETTE)], linewidth=1.4)
    ax.set_title(title, fontsize=11)
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=9)
    ax.legend(frameon=False, fontsize=9)
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    return _png(fig)


def drawdown(series: Mapping[str, pd.Series], title: str) -> bytes:
    """Drawdown areas: each Series is a drawdown path (≤ 0 fractions) indexed by date."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    fig.subplots_adjust(left=0.1, right=0.97, top=0.86, bottom=0.22)
    for i, (name, s) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        ax.fill_between(s.index, s.to_numpy(), 0, alpha=0.35, color=colour, label=name)
        ax.plot(s.index, s.to_numpy(), color=colour, linewidth=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(_pct))
    ax.set_title(title, fontsize=11)
    ax.legend(frameon=False, fontsize=9, loc="lower left")
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    return _png(fig)


def drawdown_path(growth: pd.Series) -> pd.Series:
    """Drawdown from a growth-of-1 (or NAV) path: value / running peak − 1 (start counts as a peak)."""
    return growth / growth.cummax() - 1.0
