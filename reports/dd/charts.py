"""Due-diligence charts (PNG bytes): ownership chain, ratio trends, exposure by lender.

Fonts, palette and PNG settings are those of ``reports.charts`` (CJK font from mplfonts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt

from analytics.corporate_ownership import Ownership
from reports import charts
from reports.charts import PALETTE, setup_fonts

_KIND_COLOURS = {"person": "#1F4E79", "state": "#548235", "company": "#C55A11", "partnership": "#C55A11"}


def ownership_chart(
    target: str, edges: Sequence[Mapping], own: Ownership, kind_names: Mapping[str, str],
    *, controller_label: str, ubo_label: str, title: str, kind_of: Callable[[str, str], str],
) -> bytes:
    """The shareholding tree above the company, one row per layer (direct holders just above it, their
    own holders above them when they are companies in our data), arrows labelled with the direct share;
    the actual controller and the beneficial owners are outlined in red and labelled."""
    setup_fonts()
    layers = max((int(e["layer"]) for e in edges), default=1)
    height = 1.0 + 1.25 * layers
    fig, ax = plt.subplots(figsize=(6.4, height))
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.45 / height, bottom=0.02)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, layers + 0.6)
    ax.axis("off")
    ubo_names = {u.name for u in own.ubos}
    pos: dict[tuple[str, int], tuple[float, float]] = {(target, 0): (0.5, 0.3)}
    ax.text(0.5, 0.3, _wrap(target, 30), ha="center", va="center", fontsize=8, color="white",
            bbox=dict(boxstyle="round,pad=0.4", fc="#404040", ec="none"))
    for layer in range(1, layers + 1):
        row = [e for e in edges if int(e["layer"]) == layer]
        # order a layer by where the company it holds sits, so arrows do not cross
        row.sort(key=lambda e: next((xy[0] for (n, lv), xy in pos.items() if n == e["company"] and lv == layer - 1),
                                    0.5))
        for i, e in enumerate(row):
            x, y = (i + 0.5) / len(row), layer + 0.15
            name, kind = str(e["holder"]), kind_of(str(e["holder"]), str(e.get("kind") or ""))
            pos[(name, layer)] = (x, y)
            marks = ([controller_label] if name == own.controller else []) + ([ubo_label] if name in ubo_names else [])
            label = _wrap(name, 10 if any(ord(ch) > 0x2E80 for ch in name) else 20) + f"\n{kind_names.get(kind, kind)}"
            if marks:
                label += "\n" + " · ".join(marks)
            ax.text(x, y, label, ha="center", va="center", fontsize=6.5 if len(row) > 3 else 7, color="white",
                    bbox=dict(boxstyle="round,pad=0.35", fc=_KIND_COLOURS.get(kind, "#7F7F7F"),
                              ec="#C00000" if marks else "none", lw=2))
            cx, cy = next((xy for (n, lv), xy in pos.items() if n == e["company"] and lv == layer - 1), (0.5, 0.3))
            ax.annotate("", xy=(cx, cy + 0.2), xytext=(x, y - 0.32),
                        arrowprops=dict(arrowstyle="->", color="#7F7F7F", lw=1))
            ax.text((x + cx) / 2, (y - 0.32 + cy + 0.2) / 2, f"{float(e['share']) * 100:.2f}%", fontsize=7,
                    ha="center", va="center", color="#1F4E79", bbox=dict(fc="white", ec="none", pad=0.5))
    ax.set_title(title, fontsize=11)
    return charts._png(fig)


def _wrap(text: str, width: int) -> str:
    """Chinese wraps every ``width`` characters; Latin text between words; ``陈建华 (Chen Jianhua)`` keeps
    the name and its reading on a line each."""
    if " (" in text and any(ord(ch) > 0x2E80 for ch in text.split(" (", 1)[0]):
        head, tail = text.split(" (", 1)
        return _wrap(head, width) + "\n(" + tail
    if not any(ord(ch) > 0x2E80 for ch in text):
        import textwrap

        return "\n".join(textwrap.wrap(text, width)) or text
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def ratio_lines(
    years: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str, *, percent: bool
) -> bytes:
    """One line per ratio across the years; a missing year leaves a gap."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(6.0, 2.7))
    fig.subplots_adjust(left=0.12, right=0.97, top=0.86, bottom=0.12)
    for i, (name, vals) in enumerate(series.items()):
        ys = [float("nan") if v is None else v for v in vals]
        ax.plot(list(years), ys, marker="o", label=name, color=PALETTE[i % len(PALETTE)])
    if percent:
        ax.yaxis.set_major_formatter(plt.FuncFormatter(charts._pct))
    ax.set_title(title, fontsize=11)
    ax.legend(frameon=False, fontsize=8, ncol=len(series), loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    return charts._png(fig)


def exposure_bars(lenders: Sequence[str], limits: Sequence[float], balances: Sequence[float], *, own: str,
                  title: str, names: tuple[str, str], unit_scale: float, unit: str) -> bytes:
    """Limit and balance by lender; our bank's bars are highlighted."""
    setup_fonts()
    height = max(2.2, 0.45 * len(lenders) + 1.0)
    fig, ax = plt.subplots(figsize=(6.2, height))
    # room for the longest lender name at 8 pt and for the unit under the axis (0.5 in)
    longest = max((sum(0.11 if ord(ch) > 0x2E80 else 0.065 for ch in s) for s in lenders), default=1.0)
    fig.subplots_adjust(left=min(0.5, max(0.32, (longest + 0.2) / 6.2)), right=0.97, top=0.86, bottom=0.5 / height)
    ys = range(len(lenders))
    for j, (vals, name, colour) in enumerate(((limits, names[0], "#BFBFBF"), (balances, names[1], PALETTE[0]))):
        cols = ["#C00000" if (lenders[k] == own and j == 1) else colour for k in ys]
        ax.barh([y + j * 0.38 for y in ys], [v / unit_scale for v in vals], height=0.38, color=cols,
                label=name)
    ax.set_yticks([y + 0.19 for y in ys], list(lenders), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(unit, fontsize=8)
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return charts._png(fig)
