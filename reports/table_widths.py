"""Column widths for report tables: headers never break inside a word, numbers never wrap.

Word and LibreOffice wrap a fixed-width cell wherever its text runs out of room, including inside a Latin
word ("Limi t") or a number ("288,863.0 9"). So each column gets at least the width of its longest
*unbreakable* piece — a header word (Chinese headers break only at a ``/`` or before a bracket), a whole
numeric cell, a Latin word or code in a text cell — and the remaining room goes to the columns whose
text is longest (or by the layout's explicit ``widths``), like a browser's automatic table layout.

Widths are measured with the DejaVu fonts matplotlib ships: LibreOffice substitutes DejaVu for Times New
Roman when that font is absent, and DejaVu is the wider of the two, so a column that fits here also fits
in Word. CJK and full-width characters are one em each.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from docx.shared import Pt

TABLE_PT = 9.0  # the WD Table style's font size (w:sz 18)
_PAD = int(Pt(8 + 5))  # cell margins 2 × 80 twips (8 pt) plus room for borders, bold and rounding
_PREF_CAP = int(Pt(170))  # a long text column asks for at most ~6 cm before others are served
_CJK_RUN_MIN = 4  # a Chinese text column keeps room for at least four characters a line
_LATIN = r"[A-Za-z0-9()\[\]/%.,:;+\-*'’&#★]+"
_TOKEN = re.compile(rf"（?{_LATIN}）?|\S")


def _is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or "\uff00" <= ch <= "\uffef"


@functools.lru_cache(maxsize=2)
def _font(bold: bool):  # noqa: ANN202 - a PIL FreeTypeFont
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), 100)


SMALL_PT = 8.0  # a table whose unbreakable pieces do not fit at 9 pt is set one point smaller


@functools.lru_cache(maxsize=20_000)
def text_emu(text: str, bold: bool = False, pt: float = TABLE_PT) -> int:
    """Width of ``text`` on one line at ``pt`` (the table font size), in EMU."""
    wide = sum(1 for ch in text if _is_wide(ch))
    latin = "".join(ch for ch in text if not _is_wide(ch))
    pts = wide * pt + (_font(bold).getlength(latin) * pt / 100 if latin else 0.0)
    return int(Pt(pts))


def header_pieces(header: str) -> list[str]:
    """The parts a header may wrap between: Latin words; Chinese words split only after ``/`` and before
    an opening bracket (``金额（万元）`` → ``金额`` · ``（万元）``)."""
    parts: list[str] = []
    for word in header.split():
        parts += [p for p in re.split(r"(?<=/)|(?=[（(])", word) if p]
    return parts or [header]


def header_lines(header: str, width: int, pt: float = TABLE_PT) -> list[str]:
    """``header`` packed into lines that fit ``width`` (EMU), breaking only between ``header_pieces``.

    LibreOffice and Word may break Chinese text between any two characters (``市值（万`` / ``元）``), so a
    header that does not fit on one line gets explicit line breaks at its piece boundaries instead."""
    lines: list[str] = []
    for wi, word in enumerate(header.split()):
        for pi, piece in enumerate(p for p in re.split(r"(?<=/)|(?=[（(])", word) if p):
            glue = " " if wi and pi == 0 else ""
            if lines and text_emu(lines[-1] + glue + piece, bold=True, pt=pt) + _PAD <= width:
                lines[-1] += glue + piece
            else:
                lines.append(piece)
    return lines or [header]


def _cell_min(cell: str, numeric: bool, pt: float = TABLE_PT) -> int:
    cell = cell.strip()
    if not cell:
        return 0
    if numeric:
        return text_emu(cell, pt=pt)
    # a hyphen between letters is a break opportunity (working-/capital); one inside a date or code is not
    tokens = [p for t in _TOKEN.findall(cell) for p in re.split(r"(?<=[A-Za-z]-)(?=[A-Za-z])", t)]
    widest = max((text_emu(t, pt=pt) for t in tokens if not (len(t) == 1 and _is_wide(t))), default=0)
    run = max((len(r) for r in re.findall(r"[\u2e80-\uffef]+", cell)), default=0)
    return max(widest, int(Pt(pt)) * min(run, _CJK_RUN_MIN))


def _needs(columns: list[str], cells: list[list[str]], numeric: set[int], pt: float) -> list[int]:
    return [
        _PAD + max([max(text_emu(p, bold=True, pt=pt) for p in header_pieces(columns[i]))]
                   + [_cell_min(c, i in numeric, pt) for c in cells[i]])
        for i in range(len(columns))
    ]


def table_layout(
    columns: list[str], rows: list[list[str]], numeric: set[int], usable: int, weights: list[float] | None = None
) -> tuple[list[int], float]:
    """(widths, font size): the table's unbreakable pieces at 9 pt, or at 8 pt when they do not fit."""
    cells = [[r[i] for r in rows if i < len(r)] for i in range(len(columns))]
    pt = TABLE_PT if sum(_needs(columns, cells, numeric, TABLE_PT)) < usable else SMALL_PT
    return column_widths(columns, rows, numeric, usable, weights, pt=pt), pt


def column_widths(
    columns: list[str], rows: list[list[str]], numeric: set[int], usable: int, weights: list[float] | None = None,
    *, pt: float = TABLE_PT,
) -> list[int]:
    """Widths in EMU summing to ``usable``; explicit ``weights`` set the preferred split, but never below a
    column's unbreakable minimum (measured at ``pt``)."""
    n = len(columns)
    cells = [[r[i] for r in rows if i < len(r)] for i in range(n)]
    need = _needs(columns, cells, numeric, pt)
    if weights:
        total_w = sum(weights) or 1.0
        pref = [usable * w / total_w for w in weights]
    else:
        pref = [
            max(need[i], min(_PREF_CAP, _PAD + max([text_emu(columns[i], bold=True, pt=pt)]
                                                   + [text_emu(c.strip(), pt=pt) for c in cells[i]])))
            for i in range(n)
        ]
    if sum(need) >= usable:  # cannot fit every unbreakable piece: shrink evenly (a crowded table wraps)
        return _scale(need, usable)
    if weights:
        return _floor_at(pref, need, usable)
    if sum(pref) <= usable:
        return _scale(pref, usable)
    spare = usable - sum(need)
    give = [p - m for p, m in zip(pref, need, strict=True)]
    total_give = sum(give) or 1.0
    return _fix_total([int(m + spare * g / total_give) for m, g in zip(need, give, strict=True)], usable)


def _floor_at(pref: list[float], need: list[int], usable: int) -> list[int]:
    """``pref`` with every column raised to ``need``, the room taken from columns above their need."""
    out = [max(p, m) for p, m in zip(pref, need, strict=True)]
    over = sum(out) - usable
    surplus = [o - m for o, m in zip(out, need, strict=True)]
    total = sum(surplus) or 1.0
    return _fix_total([int(o - over * s / total) for o, s in zip(out, surplus, strict=True)], usable)


def _scale(widths: list[float] | list[int], usable: int) -> list[int]:
    total = sum(widths) or 1.0
    return _fix_total([int(w * usable / total) for w in widths], usable)


def _fix_total(widths: list[int], usable: int) -> list[int]:
    widths[-1] += usable - sum(widths)
    return widths
