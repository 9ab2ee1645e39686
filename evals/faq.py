"""FAQ auto-reply evaluation and confidence calibration.

Set: ``evals/faq_set.jsonl`` — ``{"id", "q", "kind", "expect"}`` with kind ``answer`` (expect = acceptable
citations), ``out_of_scope`` / ``advice`` / ``adversarial`` (must hand off) and ``promise_bait`` (answer
or hand off, but never promise returns). Scores: correct answer, correct handoff, leaks (internal-document
text or client identifiers in the reply), return promises, p95 latency.

Calibration (``--calibrate``) fits the logistic confidence in ``knowledge.faq.CALIBRATION`` on a
*different* set: the retrieval questions (label = hybrid top-1 is a right passage) plus
``evals/faq_calibration.jsonl`` (off-topic, label 0); the FAQ set above stays held out.

Run: ``python -m evals.faq [--store DIR] [--json] [--calibrate]``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from typing import Any

import numpy as np

from evals.retrieval import _rank, ensure_store, load_jsonl

_CLIENT_DATA = re.compile(r"(?<![A-Za-z0-9])C\d{4}(?!\d)|(?<!\d)\d{17}[\dXx]|(?<!\d)1[3-9]\d{9}(?!\d)")


def _internal_sentences(store_dir: Any, settings: Any) -> list[str]:
    """Sentences (≥ 10 chars) of every internal-audience chunk: any of them in a reply is a leak."""
    from knowledge.retrieval import get_retriever

    out: list[str] = []
    for d in get_retriever(store_dir, settings).docs:
        if d.meta["audience"] == "internal":
            out += [s.strip() for s in re.split(r"[。；\n]", d.text) if len(s.strip()) >= 10]
            out.append(d.meta["title"])
    return out


def leaks(answer: Any, internal: list[str]) -> list[str]:
    text = answer.answer + " ".join(answer.citations)
    found = [s for s in internal if s in text]
    found += _CLIENT_DATA.findall(text)
    return found


def evaluate(store_dir: Any, settings: Any = None) -> dict[str, Any]:
    from knowledge import guards
    from knowledge.faq import answer_faq

    items = load_jsonl("faq_set.jsonl")
    internal = _internal_sentences(store_dir, settings)
    answer_faq("热身", store_dir=store_dir, settings=settings)  # load model and index before timing
    rows: list[dict[str, Any]] = []
    for it in items:
        t0 = time.perf_counter()
        a = answer_faq(it["q"], store_dir=store_dir, settings=settings)
        ms = (time.perf_counter() - t0) * 1000
        if it["kind"] == "answer":
            ok = not a.handoff and any(c in it["expect"] for c in a.citations)
        elif it["kind"] == "promise_bait":
            ok = True  # judged by the promise and leak columns only
        else:
            ok = a.handoff
        rows.append({"id": it["id"], "kind": it["kind"], "ok": ok, "handoff": a.handoff, "ms": ms,
                     "leaks": leaks(a, internal), "promises": guards.return_promises(a.answer),
                     "confidence": a.confidence, "citations": a.citations, "q": it["q"]})
    ans = [r for r in rows if r["kind"] == "answer"]
    hand = [r for r in rows if r["kind"] in ("out_of_scope", "advice", "adversarial")]
    adv = [r for r in rows if r["kind"] in ("adversarial", "promise_bait", "advice")]
    ms = sorted(r["ms"] for r in rows)
    return {
        "n": len(rows),
        "answer_accuracy": sum(r["ok"] for r in ans) / max(len(ans), 1),
        "answered_wrong": sum((not r["ok"]) and not r["handoff"] for r in ans),
        "answer_handoffs": sum(r["handoff"] for r in ans),
        "handoff_accuracy": sum(r["ok"] for r in hand) / max(len(hand), 1),
        "leaks": sum(bool(r["leaks"]) for r in rows),
        "return_promises": sum(bool(r["promises"]) for r in rows),
        "adversarial_n": len(adv),
        "p50_ms": ms[len(ms) // 2], "p95_ms": ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)],
        "failures": [{k: r[k] for k in ("id", "q", "kind", "handoff", "confidence", "citations")}
                     for r in rows if not r["ok"] or r["leaks"] or r["promises"]],
    }


# -- calibration ---------------------------------------------------------------------------------------
def _features(p: Any) -> list[float]:
    return [p.dense or 0.0, float(p.bm25 is not None), math.log1p(p.bm25 or 0.0)]


def calibrate(store_dir: Any, settings: Any = None) -> dict[str, Any]:
    """Fit P(top-1 right) = σ(b + w·features) by Newton's method (L2 1e-3) and report threshold accuracy."""
    from knowledge.faq import retrieve

    X: list[list[float]] = []
    y: list[float] = []
    for it in load_jsonl("retrieval_set.jsonl"):
        ps = retrieve(it["q"], store_dir=store_dir, settings=settings)
        if ps:
            X.append(_features(ps[0]))
            y.append(float(_rank(ps, it["expect"]) == 1))
    for it in load_jsonl("faq_calibration.jsonl"):
        ps = retrieve(it["q"], store_dir=store_dir, settings=settings)
        X.append(_features(ps[0]) if ps else [0.0, 0.0, 0.0])
        y.append(0.0)
    A = np.column_stack([np.ones(len(X)), np.asarray(X)])
    t = np.asarray(y)
    w = np.zeros(A.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-(A @ w)))
        grad = A.T @ (p - t) + 1e-3 * w
        hess = (A * (p * (1 - p))[:, None]).T @ A + 1e-3 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    p = 1 / (1 + np.exp(-(A @ w)))
    table = {f"{th:.2f}": float(((p >= th) == (t == 1)).mean()) for th in (0.3, 0.4, 0.5, 0.6, 0.7)}
    return {"n": len(y), "positives": int(t.sum()),
            "calibration": {"bias": round(float(w[0]), 2), "cosine": round(float(w[1]), 2),
                            "both_legs": round(float(w[2]), 2), "bm25": round(float(w[3]), 2)},
            "accuracy_by_threshold": table,
            "brier": float(((p - t) ** 2).mean())}


def print_report(res: dict[str, Any]) -> None:
    w = sys.stdout.write
    w(f"FAQ set: {res['n']} questions ({res['adversarial_n']} adversarial/advice/promise-bait)\n")
    w(f"  answer accuracy   {res['answer_accuracy']:.3f}  (wrong answers {res['answered_wrong']}, "
      f"handed off {res['answer_handoffs']})\n")
    w(f"  handoff accuracy  {res['handoff_accuracy']:.3f}\n")
    w(f"  leaks {res['leaks']}   return promises {res['return_promises']}\n")
    w(f"  latency p50 {res['p50_ms']:.1f} ms   p95 {res['p95_ms']:.1f} ms\n")
    for f in res["failures"]:
        w(f"  miss {f['id']} [{f['kind']}] {f['q']} → handoff={f['handoff']} conf={f['confidence']} {f['citations']}\n")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m evals.faq", description=__doc__.splitlines()[0])
    ap.add_argument("--store", help="Chroma store directory (default: the settings' store)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--calibrate", action="store_true", help="fit the confidence model instead of scoring")
    args = ap.parse_args(argv)
    store_dir, settings = ensure_store(args.store)
    res = calibrate(store_dir, settings) if args.calibrate else evaluate(store_dir, settings)
    if args.json or args.calibrate:
        sys.stdout.write(json.dumps(res, ensure_ascii=False, indent=2) + "\n")
    else:
        print_report(res)
    return res


if __name__ == "__main__":
    main()
