"""Retrieval evaluation: recall@1, recall@5 and MRR for dense-only, BM25-only and hybrid search, plus
cross-language recall (English question → Chinese passages only, and vice versa) with and without the
bilingual glossary.

Set: ``evals/retrieval_set.jsonl``, one ``{"id", "q", "lang", "cross", "expect": [[source, section], …]}``
per line; a hit is a passage whose source ends with ``source`` and whose section equals ``section``
(any acceptable pair counts). Run: ``python -m evals.retrieval [--store DIR] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EVALS_DIR = Path(__file__).resolve().parent


def load_jsonl(name: str) -> list[dict[str, Any]]:
    with (EVALS_DIR / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def ensure_store(store: str | None) -> tuple[Path, Any]:
    """The store to evaluate (``--store`` or the settings' store), with the corpus ingested (a no-op when
    it is already up to date). Returns (store_dir, settings)."""
    from assistant.settings import get_settings
    from knowledge.bootstrap import SEED_ACTOR
    from knowledge.ingest import ingest_paths

    settings = get_settings()
    store_dir = Path(store) if store else settings.resolved_store_dir
    # the committed corpus is the seed corpus: approved like `wealthdesk init` does
    ingest_paths([settings.corpus_dir], store_dir=store_dir, settings=settings, approved_by=SEED_ACTOR)
    return store_dir, settings

EN_SOURCES = ("faq/faq_en.md", "policies/suitability_summary_en.md")
K = 5


def _rank(passages: list[Any], expect: list[list[str]]) -> int | None:
    for i, p in enumerate(passages):
        if any(p.source.endswith(src) and (not sec or p.section == sec) for src, sec in expect):
            return i + 1
    return None


def _metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {"n": len(ranks), "recall@1": sum(r == 1 for r in ranks) / n,
            "recall@5": sum(r is not None and r <= K for r in ranks) / n,
            "mrr": sum(1.0 / r for r in ranks if r) / n}


def evaluate(store_dir: Any, settings: Any = None, items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """All figures as a dict: ``{"dense": {...}, "bm25": {...}, "hybrid": {...}, "hybrid_no_glossary": {...},
    "cross_language": {"glossary": {...}, "no_glossary": {...}}, "misses": [...]}``."""
    from knowledge.retrieval import get_retriever
    from knowledge.tokenize import product_codes

    r = get_retriever(store_dir, settings)
    items = items or load_jsonl("retrieval_set.jsonl")
    out: dict[str, Any] = {}
    misses: list[dict[str, Any]] = []
    for name, mode, gloss in (("dense", "dense", True), ("bm25", "bm25", True), ("hybrid", "hybrid", True),
                              ("dense_no_glossary", "dense", False), ("hybrid_no_glossary", "hybrid", False)):
        ranks = []
        for it in items:
            rank = _rank(r.search(it["q"], k=K, mode=mode, glossary=gloss), it["expect"])
            ranks.append(rank)
            if name == "hybrid" and rank != 1:
                misses.append({"id": it["id"], "q": it["q"], "rank": rank})
        out[name] = _metrics(ranks)
        coded = [rk for rk, it in zip(ranks, items, strict=True) if product_codes(it["q"])]
        out[f"{name}_code_questions"] = _metrics(coded)
    # Cross-language: search only the other language's chunks, expect only those sources.
    cross: dict[str, Any] = {}
    for gloss in (True, False):
        for mode in ("dense", "hybrid"):
            ranks = []
            for it in items:
                is_en = it["lang"] == "en"
                other = [e for e in it["expect"] if e[0].endswith(EN_SOURCES) != is_en]
                if not other:
                    continue
                ranks.append(_rank(r.search(it["q"], k=K, mode=mode, glossary=gloss, lang="zh" if is_en else "en"), other))
            cross[f"{mode}_{'glossary' if gloss else 'no_glossary'}"] = _metrics(ranks)
    out["cross_language"] = cross
    out["misses"] = misses
    return out


def print_report(res: dict[str, Any]) -> None:
    w = sys.stdout.write
    w(f"{'retrieval':<28}{'n':>4}{'R@1':>8}{'R@5':>8}{'MRR':>8}\n")
    rows = [(k, v) for k, v in res.items() if k not in ("cross_language", "misses")]
    rows += [(f"cross-lang {k}", v) for k, v in res["cross_language"].items()]
    for name, m in rows:
        w(f"{name:<28}{m['n']:>4}{m['recall@1']:>8.3f}{m['recall@5']:>8.3f}{m['mrr']:>8.3f}\n")
    if res["misses"]:
        w("hybrid not at rank 1: " + "; ".join(f"{m['id']}({m['rank']})" for m in res["misses"]) + "\n")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m evals.retrieval", description=__doc__.splitlines()[0])
    ap.add_argument("--store", help="Chroma store directory (default: the settings' store)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    store_dir, settings = ensure_store(args.store)
    res = evaluate(store_dir, settings)
    if args.json:
        sys.stdout.write(json.dumps(res, ensure_ascii=False, indent=2) + "\n")
    else:
        print_report(res)
    return res


if __name__ == "__main__":
    main()
