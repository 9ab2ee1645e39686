"""Claim-level grounding: every number in a text unit binds to one named figure of THAT unit.

``reports.grounding.verify`` checks a number against every fact anywhere, so in a document of ~200
figures a random 1-decimal percent often "matches" something. Here a document is cut into claims (a
paragraph, a table row, a cover line); at layout time each claim is bound to the figures the layout
printed in it (``FigureBook`` records each figure's value, unit, name and the text it printed). The
check then requires, claim by claim, a one-to-one assignment of the numbers found in the claim's text to
its bound figures, each number reproducing its figure's value at the displayed precision under the
figure's unit (a fraction as %, yuan as 元/万/亿/mn). A changed number no longer reproduces its figure and
cannot borrow another claim's figure; a number twice where the figure was printed once is caught too.

``bind(doc, book)`` → claims (do it on the generated document); ``verify_claims(doc, claims)`` → the
numbers (``"<claim>: <number>"``) that do not bind, ``[]`` when every number is grounded in its claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.grounding import Mention, extract_numbers
from reports.models import Chart, DocContent, Figure, FigureBook, Para, Table

# figure unit → scales a mention of each display unit may apply to the figure's base value
_SCALES: dict[str, dict[str, tuple[float, ...]]] = {
    "fraction": {"%": (100.0,), "pp": (100.0,), "bp": (10000.0,)},
    "yuan": {"": (1.0,), "元": (1.0,), "万": (1e-4,), "亿": (1e-8,), "百万": (1e-6,), "千": (1e-3,)},
    "count": {"": (1.0,)},
    "times": {"倍": (1.0,), "": (1.0,)},
    "days": {"": (1.0,)},
}


@dataclass
class Claim:
    """One text unit and the figures printed in it (by name, value and unit)."""

    key: str
    text: str
    figures: list[Figure] = field(default_factory=list)
    # digits that are part of a name or identifier, not a figure (a bond "18中汇PPN001", "沪深300", a masked
    # "****8223"): bound to their exact text, so changing them is caught as well
    literals: list[str] = field(default_factory=list)


def units(doc: DocContent) -> list[tuple[str, str]]:
    """The document's text units in reading order: (key, text)."""
    out = [("title", doc.title), ("subtitle", doc.subtitle)]
    out += [(f"cover.{i}", line) for i, line in enumerate(doc.cover_lines)]
    for si, sec in enumerate(doc.sections):
        out.append((f"s{si}.title", sec.title))
        for bi, block in enumerate(sec.blocks):
            k = f"s{si}.b{bi}"
            if isinstance(block, Para):
                out.append((k, block.text))
            elif isinstance(block, Table):
                out.append((k + ".head", " | ".join(block.columns)))
                out += [(f"{k}.r{ri}", block.row_text(row)) for ri, row in enumerate(block.rows)]
                if block.caption:
                    out.append((k + ".caption", block.caption))
            elif isinstance(block, Chart):
                out.append((k + ".caption", block.caption))
    return out


def reproduces(m: Mention, fig: Figure) -> bool:
    """True when ``fig`` displayed in ``m``'s unit and precision gives ``m``'s number."""
    if fig.value is None:
        return False
    scales = _SCALES.get(fig.unit, {}).get(m.unit)
    if scales is None:
        return False
    half = 0.5 * 10.0 ** (-m.decimals)
    for s in scales:
        shown = fig.value * s
        if m.signed and m.value != 0 and shown * m.value < 0:
            continue
        if abs(abs(shown) - abs(m.value)) <= half * (1 + 1e-9) + 1e-9 * abs(m.value):
            return True
    return False


def _assign(mentions: list[Mention], figs: list[Figure]) -> list[Mention]:
    """Mentions left without a figure under a one-to-one assignment (augmenting paths; claims are small)."""
    owner: dict[int, int] = {}

    def take(mi: int, seen: set[int]) -> bool:
        for fi, fig in enumerate(figs):
            if fi in seen or not reproduces(mentions[mi], fig):
                continue
            seen.add(fi)
            if fi not in owner or take(owner[fi], seen):
                owner[fi] = mi
                return True
        return False

    return [m for mi, m in enumerate(mentions) if not take(mi, set())]


def bind(doc: DocContent, book: FigureBook) -> list[Claim]:
    """Bind each text unit to the figures the layout printed in it (their printed text occurs in the unit
    and their value reproduces a number there). Run on the generated document, before anyone edits it."""
    printed = [f for f in book.figures if f.shown and f.value is not None]
    claims: list[Claim] = []
    for key, text in units(doc):
        mentions = extract_numbers(text)
        if not mentions:
            claims.append(Claim(key, text))
            continue
        cands = [f for f in printed if f.shown in text and any(reproduces(m, f) for m in mentions)]
        # one figure per printed occurrence: a value printed twice in a unit binds two figures
        bound: list[Figure] = []
        for m in mentions:
            for f in cands:
                if reproduces(m, f) and f not in bound:
                    bound.append(f)
                    break
            else:
                match = next((f for f in cands if reproduces(m, f)), None)
                if match is not None:
                    bound.append(match)
        literals = [m.text for m in _assign(mentions, bound)]
        claims.append(Claim(key, text, bound, literals))
    return claims


def verify_claim(claim: Claim | None, text: str) -> list[str]:
    """Numbers of ``text`` (the unit's current text) that do not bind to ``claim``'s figures or literals."""
    figs = claim.figures if claim is not None else []
    left = list(claim.literals) if claim is not None else []
    missing: list[str] = []
    for m in _assign(extract_numbers(text), figs):
        if m.text in left:
            left.remove(m.text)
        else:
            missing.append(m.text)
    return missing


def verify_claims(doc: DocContent, claims: list[Claim]) -> list[str]:
    """Numbers of ``doc`` that do not bind one-to-one to their claim's figures (``[]``: grounded)."""
    by_key = {c.key: c for c in claims}
    return [f"{key}: {n}" for key, text in units(doc) for n in verify_claim(by_key.get(key), text)]
