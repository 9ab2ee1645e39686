"""``python -m evals.run [NAME…]`` — run the evaluation suites and print their figures (``make evals``).

Each suite is a module with ``main(argv) -> dict`` that parses its own options and prints its report.
Register a new suite by adding one line to ``SUITES``.
"""

from __future__ import annotations

import importlib
import sys

SUITES: dict[str, str] = {
    "retrieval": "evals.retrieval",  # knowledge: recall@1/@5, MRR for dense, BM25, hybrid; cross-language
    "faq": "evals.faq",  # knowledge: FAQ answers, handoffs, leaks, return promises, latency
    "agent": "evals.agent",  # agent: routing, arguments, refusals, grounding
    "agent_dev": "evals.agent_dev",  # offline planner dev set (tuned on): same scoring as the holdout
    "agent_dev_v3": "evals.agent_dev --set v3",  # the second, blind-written dev set (tuned on)
    "agent_dev_v4": "evals.agent_dev --set v4",  # the third, blind-written dev set (tuned on after its first run)
    "agent_dev_v5": "evals.agent_dev --set v5",  # the fourth, blind-written dev set (tuned on after its first run)
    "agent_dev_v6": "evals.agent_dev --set v6",  # the fifth, blind-written dev set (follow-ups; tuned on after its first run)
    "agent_dev_v7": "evals.agent_dev --set v7",  # blind, holdout-like mix (session 3; tuned on after its first run)
    "agent_dev_v8": "evals.agent_dev --set v8",  # blind, holdout-like mix, a second author (session 3)
    "agent_dev_v9": "evals.agent_dev --set v9",  # blind, a third author, written after round 3 of tuning
    "agent_dev_v10": "evals.agent_dev --set v10",  # blind, holdout-like mix (session 4; tuned on after its first run)
    "agent_dev_v11": "evals.agent_dev --set v11",  # blind, conversation-heavy (session 4; tuned on after its first run)
    "agent_dev_v12": "evals.agent_dev --set v12",  # blind, written after the v10/v11 round (session 4)
    "agent_dev_v13": "evals.agent_dev --set v13",  # blind, written after the v12 round (session 4)
    "holdout": "evals.holdout",  # blind holdout_v2 (frozen): routing, arguments, figures, language per kind/lang
}


def main(argv: list[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        sys.stderr.write(f"unknown suite(s) {unknown}; choose from {sorted(SUITES)}\n")
        return 2
    for name in names:
        sys.stdout.write(f"\n== {name}\n")
        sys.stdout.flush()
        module, *args = SUITES[name].split()
        importlib.import_module(module).main(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
