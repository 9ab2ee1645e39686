"""Claim-level grounding on generated proposals: each number binds to a figure of its own claim.

The mutation test perturbs one number of a generated text unit at a time (1,000 times, seeded) and
counts how often the verifier notices; the bag-of-numbers verifier (``reports.grounding.verify`` against
every fact of the document) is measured on the same mutations for comparison.
"""

from __future__ import annotations

import random

import pytest

from assistant.access import Caller
from reports.grounding import extract_numbers, verify
from reports.grounding_claims import bind, units, verify_claim, verify_claims
from reports.layout_proposal import grounding_facts, layout
from reports.models import FigureBook
from services.proposal import proposal_content

ADMIN = Caller(user_id="admin", role="admin")


@pytest.fixture(scope="module")
def generated(sample_engine):
    out = []
    for cid, lang in (("C0001", "zh"), ("C0004", "zh"), ("C0009", "en"), ("C0010", "zh")):
        content = proposal_content(sample_engine, ADMIN, cid, lang)
        book = FigureBook(lang)
        doc = layout(content, book)
        out.append((doc, bind(doc, book), grounding_facts(content)))
    return out


def test_generated_documents_bind_claim_by_claim(generated) -> None:
    for doc, claims, _ in generated:
        assert verify_claims(doc, claims) == []
        figures = sum(len(c.figures) for c in claims)
        literals = sum(len(c.literals) for c in claims)
        assert figures > 10 * literals  # nearly every number is a named figure, names/ids are the rest


def _mutate(text: str, rng: random.Random) -> str | None:
    """``text`` with one of its numbers changed (a digit, the last place ±1..9, or scaled), or None."""
    found = extract_numbers(text)
    if not found:
        return None
    m = rng.choice(found)
    start = text.find(m.text.lstrip("+-"), m.start)
    if start < 0:
        return None
    num = m.text.lstrip("+-")
    digits = [i for i, ch in enumerate(num) if ch.isdigit()]
    kind = rng.randrange(3)
    if kind == 0:
        i = rng.choice(digits)
        new = num[:i] + rng.choice([d for d in "0123456789" if d != num[i]]) + num[i + 1:]
    elif kind == 1:
        i = digits[-1]
        new = num[:i] + str((int(num[i]) + rng.randint(1, 9)) % 10) + num[i + 1:]
    else:
        core = "".join(ch for ch in num if ch.isdigit() or ch == ".")
        value = float(core) * rng.choice([0.5, 0.8, 0.9, 1.1, 1.25, 2.0])
        dec = len(core.split(".")[1]) if "." in core else 0
        shown = f"{value:,.{dec}f}" if "," in num else f"{value:.{dec}f}"
        new = shown + "".join(ch for ch in num if not (ch.isdigit() or ch in ".,"))  # keep the unit
    if new == num:
        return None
    return text[:start] + new + text[start + len(num):]


def test_mutation_of_generated_numbers_is_caught(generated) -> None:
    rng = random.Random(20261201)
    pool = [(doc, claims, facts, key, text) for doc, claims, facts in generated
            for key, text in units(doc) if extract_numbers(text)]
    by_key = [{c.key: c for c in claims} for _, claims, _ in generated]
    docs = [g[0] for g in generated]
    tried = caught = bag_caught = 0
    while tried < 1000:
        doc, claims, facts, key, text = rng.choice(pool)
        mutated = _mutate(text, rng)
        if mutated is None:
            continue
        tried += 1
        claim = by_key[docs.index(doc)].get(key)
        if verify_claim(claim, mutated):
            caught += 1
        if verify(mutated, facts):
            bag_caught += 1
    rate, bag = caught / tried, bag_caught / tried
    print(f"claim-level caught {caught}/{tried} = {rate:.1%}; bag-of-numbers caught {bag_caught}/{tried} = {bag:.1%}")
    assert rate >= 0.99
