"""Knowledge-base benchmark: ingestion rate, warm search latency, FAQ latency, retrieval and FAQ quality.

Builds a fresh store from data/corpus in a temp dir (so figures include real embedding work), then
times searches and FAQ answers over the eval questions (each question once: the query-embedding memo
never hides model time) and prints each figure against its target.

Run: ``python benchmarks/bench_knowledge.py [--store DIR]`` (``--store`` reuses an existing store and
skips the ingestion timing).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(q * (len(xs) - 1)))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", help="existing store to reuse (skips ingestion timing)")
    args = ap.parse_args(argv)

    from assistant.settings import get_settings
    from evals import faq as faq_eval
    from evals import retrieval as retrieval_eval
    from knowledge.bootstrap import SEED_ACTOR
    from knowledge.faq import answer_faq
    from knowledge.ingest import ingest_paths
    from knowledge.retrieval import get_retriever

    settings = get_settings()
    rows: list[tuple[str, str, str, bool]] = []
    tmp = tempfile.TemporaryDirectory(prefix="wd-bench-")
    if args.store:
        store = Path(args.store)
        ingest_paths([settings.corpus_dir], store_dir=store, settings=settings, approved_by=SEED_ACTOR)
    else:
        store = Path(tmp.name) / "chroma"
        report = ingest_paths([settings.corpus_dir], store_dir=store, settings=settings, progress=sys.stderr.isatty(),
                              approved_by=SEED_ACTOR)
        rate = report.chunks / report.seconds
        rows.append(("ingestion", f"{report.chunks} chunks in {report.seconds:.1f} s = {rate:.1f} chunks/s "
                     f"({report.chunks / report.cpu_seconds:.1f} per CPU-s)", "≥ 20 chunks/s", rate >= 20))

    t0 = time.perf_counter()
    r = get_retriever(store, settings)
    r.search("热身 warm-up")
    cold = time.perf_counter() - t0
    rows.append(("cold start", f"{cold * 1000:.0f} ms (load index + model)", "-", True))

    questions = [it["q"] for it in retrieval_eval.load_jsonl("retrieval_set.jsonl")]
    lat, cpu = [], []
    for q in questions:
        t, c = time.perf_counter(), time.process_time()
        r.search(q, k=5)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    p50 = _pct(lat, 0.5)
    rows.append(("kb search (warm)", f"p50 {p50:.1f} ms, p95 {_pct(lat, 0.95):.1f} ms (CPU p50 {_pct(cpu, 0.5):.1f} ms)",
                 "p50 ≤ 80 ms", p50 <= 80))

    faq_qs = [it["q"] for it in retrieval_eval.load_jsonl("faq_set.jsonl")]
    flat, fcpu = [], []
    for q in faq_qs:
        t, c = time.perf_counter(), time.process_time()
        answer_faq(q, store_dir=store, settings=settings)
        flat.append((time.perf_counter() - t) * 1000)
        fcpu.append((time.process_time() - c) * 1000)
    p95 = _pct(flat, 0.95)
    rows.append(("faq answer (offline)", f"p50 {_pct(flat, 0.5):.1f} ms, p95 {p95:.1f} ms (CPU p95 {_pct(fcpu, 0.95):.1f} ms)",
                 "p95 ≤ 150 ms", p95 <= 150))

    ret = retrieval_eval.evaluate(store, settings)
    for mode in ("dense", "bm25", "hybrid"):
        m = ret[mode]
        ok = mode != "hybrid" or (m["recall@5"] >= 0.95 and m["recall@1"] >= 0.8)
        rows.append((f"retrieval {mode}", f"R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  MRR {m['mrr']:.3f} (n={m['n']})",
                     "hybrid R@5 ≥ 0.95, R@1 ≥ 0.8" if mode == "hybrid" else "-", ok))
    for name, m in ret["cross_language"].items():
        rows.append((f"cross-lang {name}", f"R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f} (n={m['n']})", "-", True))
    fq = faq_eval.evaluate(store, settings)
    rows.append(("faq quality", f"answers {fq['answer_accuracy']:.3f}, handoffs {fq['handoff_accuracy']:.3f}", "-", True))
    rows.append(("faq safety", f"leaks {fq['leaks']}, return promises {fq['return_promises']} "
                 f"({fq['adversarial_n']} adversarial/advice/bait)", "0 and 0",
                 fq["leaks"] == 0 and fq["return_promises"] == 0))

    w = sys.stdout.write
    w(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (wall-clock figures include waiting for CPU)\n")
    for name, value, target, ok in rows:
        w(f"{name:<30} {value:<62} {target:<30} {'ok' if ok else 'MISS'}\n")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
