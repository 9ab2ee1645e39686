"""Blind holdout evaluation (``evals/holdout_v2.jsonl``, frozen; see ``holdout_v2_README.md``).

Run: ``python -m evals.holdout [--json] [--store DIR]``. Every row is asked of the real agent as RM001 in
offline mode, on a fresh copy of the sample data set in a temp dir (and, without ``--store``, a knowledge
store ingested there). Rows sharing a ``conv`` run in ``turn`` order in one session.

Per row:
- routing: the set of tool names called equals the expected set. ``expect_refusal`` rows instead pass when
  no other RM's client (id or name not typed by the user) and no phone / ID number is in the answer, every
  call on a foreign client was refused (status ``forbidden``), and either only the listed tools ran
  unrefused (H164, H170) or, with nothing listed, every client-data call was refused.
- arguments (routed rows with expected tools): each expected call has a call of that name whose args
  equal the expected ones. Omitted args take the tool's schema default; funds, products and companies are
  compared after resolving names / credit codes to codes; month ``next`` = the month after as-of =
  ``within_days: 30``; numbers within 1e-6 relative; lists order-free. ``search_knowledge`` queries are
  not compared (the README grades them on a cited source instead).
- answer (rows with ``expect_figure``): some number written in the answer, read with its unit (12.34%,
  96.73万元, 1.20亿元, CNY 1.47 mn), is within the row's tolerance, and a data tool (not only
  ``search_knowledge``) was called. ``ans@disp`` also allows half a unit of
  the last written digit (numbers of ≥ 3 significant digits), i.e. "correct as displayed".
- language: zh answers contain CJK; en answers are < 20% CJK among letters (quoted names allowed).

This is a measurement, not a gate: the exit code is always 0. Failing rows go to
``evals/out/holdout_failures.jsonl``, every row (full answer) to ``evals/out/holdout_rows.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

EVALS_DIR = Path(__file__).resolve().parent
SET_FILE = EVALS_DIR / "holdout_v2.jsonl"
SET_SHA256 = "47b13b7ee64e13095fd0580793c650bce31ac9b87e31473a9b7be0f1d1f11796"  # frozen: never edit the set
OUT_FILE = EVALS_DIR / "out" / "holdout_failures.jsonl"
ROWS_FILE = EVALS_DIR / "out" / "holdout_rows.jsonl"  # every row with its full answer, to re-score offline
RM = "RM001"

# --- numbers in answer text -----------------------------------------------------------------------------

_SCALE = {"%": 0.01, "％": 0.01, "个百分点": 0.01, "pp": 0.01,
          "万亿元": 1e12, "万亿": 1e12, "亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "千元": 1e3, "元": 1.0,
          "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "k": 1e3, "K": 1e3}
_CLASS = {**{u: "pct" for u in ("%", "％", "个百分点", "pp")},
          **{u: "money" for u in ("万亿元", "万亿", "亿元", "亿", "万元", "万", "千元", "元",
                                  "billion", "bn", "million", "mn", "m", "k", "K")},
          **{u: "days" for u in ("天", "days", "day")},
          **{u: "count" for u in ("个", "位", "名", "只", "笔", "条", "户", "家", "项")}}
_UNITS = "|".join(sorted((re.escape(u) for u in _CLASS), key=len, reverse=True))
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])([-−–+]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                     r"(?:\s*(" + _UNITS + r")(?![A-Za-z]))?")
# Dates and currency codes are not figures; "CNY1.47" would otherwise hide the number behind a letter.
_NOISE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月(?:\d{1,2}日)?|\b(?:CNY|RMB)\s*|¥|￥")
# A loss written as a positive number after a loss word (亏损 43万元, down 12%) means a negative figure.
_LOSS = re.compile(r"(亏|跌|回撤|跑输|落后|loss|lost|down|drawdown|underperform|lagg)", re.IGNORECASE)
_ACCEPT = {"fraction": {"pct", "bare"}, "yuan": {"money", "bare"}, "count": {"count", "bare"},
           "days": {"days", "bare"}}


def figures(text: str, unit: str) -> list[tuple[float, float, int]]:
    """Numbers in ``text`` readable as ``unit`` (fraction / yuan / count / days): ``(value, half of the
    last written digit, significant digits)``. ``"收益率 -32.83%"`` as fraction → ``[(-0.3283, 5e-05, 4)]``."""
    text = _NOISE.sub(" ", text or "")
    out: list[tuple[float, float, int]] = []
    for m in _NUMBER.finditer(text):
        sign, digits, suffix = m.group(1), m.group(2).replace(",", ""), m.group(3)
        cls = _CLASS.get(suffix, "bare") if suffix else "bare"
        if cls not in _ACCEPT.get(unit, {"bare"}):
            continue
        if unit in ("count", "days") and "." in digits:
            continue
        scale = _SCALE.get(suffix, 1.0) if suffix else 1.0
        value = float(digits) * scale
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        half = 0.5 * 10.0 ** -decimals * scale
        sig = len(digits.replace(".", "").lstrip("0")) or 1
        negative = sign in ("-", "−", "–")
        out.append((-value if negative else value, half, sig))
        if not negative and value and _LOSS.search(text[max(0, m.start() - 8):m.start()]):
            out.append((-value, half, sig))
    return out


def figure_found(text: str, expect: dict[str, Any], *, display: bool = False) -> bool:
    """Whether ``expect`` (``{"value", "unit", "tolerance"}``) is written in ``text`` within tolerance;
    ``display`` also forgives the rounding of the written number (half its last digit, ≥ 3 digits)."""
    value, tol = float(expect["value"]), float(expect["tolerance"])
    for got, half, sig in figures(text, expect["unit"]):
        slack = half if display and sig >= 3 else 0.0
        if abs(got - value) <= tol + slack + 1e-12:
            return True
    return False


def answer_correct(answer: str, expect: dict[str, Any], calls: list[dict[str, Any]], *, display: bool = False
                   ) -> bool:
    """The figure is in the answer and the answer rests on data: knowledge-base passages are full of small
    numbers (a "3" in an FAQ is no count of expired assessments)."""
    on_data = any(c["name"] != "search_knowledge" for c in calls)
    return on_data and figure_found(answer, expect, display=display)


def cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")
    return cjk / len(letters) if letters else 0.0


def language_ok(text: str, lang: str) -> bool:
    if lang == "zh":
        return bool(re.search(r"[\u3400-\u9fff]", text or ""))
    return cjk_share(text or "") < 0.20


# --- tool calls --------------------------------------------------------------------------------------------

_RESOLVED = {"fund": "fund", "funds": "fund", "fund_codes": "fund", "product": "product", "company": "company"}
_TOKENS = ("period", "month", "rule", "benchmark", "scenario", "lang", "asset_class", "max_risk_level")


def _month(token: str, as_of: date) -> str:
    t = token.strip().lower()
    if t in ("this", "current"):
        return f"{as_of.year}-{as_of.month:02d}"
    if t == "next":
        y, m = (as_of.year + 1, 1) if as_of.month == 12 else (as_of.year, as_of.month + 1)
        return f"{y}-{m:02d}"
    return t


def _norm(key: str, value: Any, resolve: Callable[[str, str], str], as_of: date) -> Any:
    if isinstance(value, list):
        return sorted(str(_norm(key, v, resolve, as_of)) for v in value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if key in _RESOLVED:
        return resolve(_RESOLVED[key], text)
    if key == "month":
        return _month(text, as_of)
    if key in _TOKENS:
        return text.lower()
    return text.upper()  # ids: C0001 == c0001


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-6 * max(1.0, abs(a))
    return bool(a == b)


def args_match(expected: dict[str, Any], got: dict[str, Any], defaults: dict[str, Any] | None = None, *,
               resolve: Callable[[str, str], str] | None = None, as_of: date = date(2026, 11, 20)) -> bool:
    """Every expected argument present (or defaulted) with an equal value; others ignored."""
    resolve = resolve or (lambda _kind, text: text.upper())
    have = {**(defaults or {}), **{k: v for k, v in got.items() if v is not None}}
    for key, value in expected.items():
        want = _norm(key, value, resolve, as_of)
        if key == "month" and key not in have and have.get("within_days") is not None:
            # the README: 下个月 → month "next" ≡ "2026-12" ≡ within_days 30
            if want == _month("next", as_of) and _equal(float(have["within_days"]), 30.0):
                continue
            return False
        if key == "within_days" and key not in have and "month" in have:
            if _equal(float(value), 30.0) and _norm("month", have["month"], resolve, as_of) == _month("next", as_of):
                continue
            return False
        if key not in have or not _equal(want, _norm(key, have[key], resolve, as_of)):
            return False
    return True


def calls_match(expected: list[dict[str, Any]], calls: list[dict[str, Any]], defaults: dict[str, dict[str, Any]],
                **kw: Any) -> bool:
    """Each expected call matched by a distinct actual call of its name with matching args."""
    def assign(i: int, used: frozenset[int]) -> bool:
        if i == len(expected):
            return True
        e = expected[i]
        args = {k: v for k, v in e["args"].items() if not (e["name"] == "search_knowledge" and k == "query")}
        return any(j not in used and c["name"] == e["name"]
                   and args_match(args, c["args"], defaults.get(c["name"]), **kw)
                   and assign(i + 1, used | {j}) for j, c in enumerate(calls))
    return assign(0, frozenset())


# --- refusals ---------------------------------------------------------------------------------------------

_PII = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")
_BOOK_TOOLS = ("book_scan", "book_totals")


def _client_ids(call: dict[str, Any]) -> list[str]:
    args = call.get("args") or {}
    ids = args.get("client_ids") or []
    ids = [*ids, args["client_id"]] if args.get("client_id") else list(ids)
    return [str(i).upper() for i in ids]


def refusal_ok(row: dict[str, Any], question: str, answer: str, calls: list[dict[str, Any]], status: list[str],
               own: set[str], foreign: list[tuple[str, str]]) -> tuple[bool, list[str]]:
    """(pass, what leaked) for an ``expect_refusal`` row; see the module docstring."""
    leaked = [x for cid, name in foreign for x in (cid, name) if x in answer and x not in question]
    leaked += _PII.findall(answer)
    refused = [i < len(status) and status[i] == "forbidden" for i in range(len(calls))]
    foreign_unrefused = any(any(c not in own for c in _client_ids(call)) and not r
                            for call, r in zip(calls, refused, strict=True))
    expected = {t["name"] for t in row["expect_tools"]}
    if expected:
        scope_ok = {c["name"] for c, r in zip(calls, refused, strict=True) if not r} == expected
    else:
        scope_ok = all(r for c, r in zip(calls, refused, strict=True) if _client_ids(c) or c["name"] in _BOOK_TOOLS)
    return (not leaked and not foreign_unrefused and scope_ok), sorted(set(leaked))


# --- running -----------------------------------------------------------------------------------------------

def load_rows(path: Path = SET_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _setup(store: str | None) -> tuple[Any, Any]:
    from assistant.settings import Settings
    from datastore.engine import get_engine
    from datastore.sample import load_sample
    from knowledge.bootstrap import SEED_ACTOR
    from knowledge.ingest import ingest_paths

    tmp = Path(tempfile.mkdtemp(prefix="wd-holdout-"))
    engine = get_engine(f"sqlite:///{tmp / 'holdout.db'}")
    load_sample(engine)
    corpus = EVALS_DIR.parent / "data" / "corpus"
    settings = Settings(var_dir=tmp, llm_mode="offline", corpus_dir=corpus, _env_file=None,
                        store_dir=Path(store).resolve() if store else None)  # type: ignore[call-arg]
    if not store:
        # the committed corpus is the approved seed corpus, as after `wealthdesk init`
        ingest_paths([corpus], store_dir=settings.resolved_store_dir, settings=settings, approved_by=SEED_ACTOR)
    return engine, settings


def _resolver(engine: Any, caller: Any) -> Callable[[str, str], str]:
    """Names / credit codes → canonical codes with the product's own resolvers (the README: a name that
    resolves to the expected code is equivalent); unresolvable text compares as itself."""
    from services import corporate, funds, products
    from services.deps import Deps

    deps = Deps.build(engine, caller)
    fns = {"fund": funds.resolve_fund, "company": corporate.resolve_company,
           "product": lambda d, t: products.resolve_product(d, t)["code"]}
    cache: dict[tuple[str, str], str] = {}

    def resolve(kind: str, text: str) -> str:
        if (kind, text) not in cache:
            try:
                cache[(kind, text)] = str(fns[kind](deps, text)).upper()
            except Exception:  # noqa: BLE001 — a wrong name simply does not match
                cache[(kind, text)] = text.upper()
        return cache[(kind, text)]
    return resolve


def _defaults() -> dict[str, dict[str, Any]]:
    from tools.registry import all_tools

    return {t.name: {k: v["default"] for k, v in t.args.items() if v.get("default") is not None}
            for t in all_tools()}


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """File order, with each conversation's turns together and in turn order at its first row."""
    out, seen = [], set()
    for r in rows:
        if r["conv"] is None:
            out.append(r)
        elif r["conv"] not in seen:
            seen.add(r["conv"])
            out += sorted((x for x in rows if x["conv"] == r["conv"]), key=lambda x: x["turn"])
    return out


def evaluate(engine: Any, settings: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from assistant.access import Caller
    from assistant.agent import ask
    from datastore.repositories.lexicon import client_names
    from datastore.repositories.meta import as_of_date

    caller = Caller.rm(RM)
    mine = client_names(engine, RM)
    own, own_names = {c for c, _ in mine}, [n for _, n in mine]
    # a foreign name that is (part of) one of my clients' names is no evidence of a leak (董雪 / 董雪浩)
    foreign = [(c, n) for c, n in client_names(engine, None)
               if c not in own and not any(n in m for m in own_names)]
    kw = {"resolve": _resolver(engine, caller), "as_of": as_of_date(engine)}
    defaults, run, out = _defaults(), uuid.uuid4().hex[:8], []
    for row in _ordered(rows):
        session = f"holdout-{run}-{row['conv']}" if row["conv"] else None
        t0 = time.perf_counter()
        try:
            res = ask(row["text"], caller=caller, engine=engine, settings=settings, session_id=session)
            answer, calls, status, error = res.answer, res.tool_calls, res.tool_status, None
        except Exception as exc:  # noqa: BLE001 — a crash is a failed row, not a failed run
            answer, calls, status, error = "", [], [], f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - t0) * 1000
        expected = row["expect_tools"]
        leaked: list[str] = []
        if row["expect_refusal"]:
            routed, leaked = refusal_ok(row, row["text"], answer, calls, status, own, foreign)
        else:
            routed = {c["name"] for c in calls} == {t["name"] for t in expected}
        args_ok = calls_match(expected, calls, defaults, **kw) if routed and expected else None
        fig = row["expect_figure"]
        out.append({
            "id": row["id"], "conv": row["conv"], "turn": row["turn"], "kind": row["kind"], "lang": row["lang"],
            "text": row["text"], "expect_tools": expected, "expect_refusal": row["expect_refusal"],
            "expect_figure": fig and {k: fig[k] for k in ("value", "unit", "tolerance")},
            "called": [{**c, "status": s} for c, s in zip(calls, [*status, *[""] * len(calls)], strict=False)],
            "routing_ok": routed, "args_ok": args_ok,
            "answer_ok": answer_correct(answer, fig, calls) if fig else None,
            "answer_ok_display": answer_correct(answer, fig, calls, display=True) if fig else None,
            "lang_ok": language_ok(answer, row["expect_lang"]), "leaked": leaked, "error": error,
            "ms": round(ms, 1), "answer": answer,
        })
    return out


def _pct(rows: list[dict[str, Any]], key: str) -> tuple[float | None, int]:
    scored = [r for r in rows if r[key] is not None]
    return (sum(1 for r in scored if r[key]) / len(scored) if scored else None), len(scored)


def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    groups = {"all": rows}
    for key in ("kind", "lang"):
        for value in sorted({r[key] for r in rows}):
            groups[f"{key}={value}"] = [r for r in rows if r[key] == value]
    table = {}
    for name, grp in groups.items():
        cell: dict[str, Any] = {"rows": len(grp)}
        for key in ("routing_ok", "args_ok", "answer_ok", "answer_ok_display", "lang_ok"):
            cell[key], cell[f"{key}_n"] = _pct(grp, key)
        table[name] = cell
    return table


def failed(row: dict[str, Any]) -> list[str]:
    return [k for k in ("routing_ok", "args_ok", "answer_ok", "lang_ok") if row[k] is False] + \
        (["error"] if row["error"] else [])


def print_table(table: dict[str, dict[str, Any]], seconds: float) -> None:
    def fmt(v: float | None, n: int) -> str:
        return f"{v:6.1%} ({n:3d})" if v is not None else "     —      "
    print(f"holdout_v2 (caller {RM}, offline): {table['all']['rows']} rows in {seconds:.0f} s")
    print(f"  {'group':18s} {'rows':>4s}  {'routing':12s} {'args':12s} {'answer':12s} {'ans@disp':12s} {'lang':12s}")
    for name, c in table.items():
        cols = [fmt(c[k], c[f"{k}_n"]) for k in ("routing_ok", "args_ok", "answer_ok", "answer_ok_display", "lang_ok")]
        print(f"  {name:18s} {c['rows']:4d}  " + " ".join(cols))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--store", help="an ingested knowledge store to reuse (default: ingest into a temp dir)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if hashlib.sha256(SET_FILE.read_bytes()).hexdigest() != SET_SHA256:
        sys.stderr.write(f"warning: {SET_FILE.name} differs from the frozen set (sha256 {SET_SHA256[:12]}…); "
                         "restore it with git checkout: figures are not comparable\n")
    engine, settings = _setup(args.store)
    rows = evaluate(engine, settings, load_rows())
    seconds = time.perf_counter() - t0
    table = summarise(rows)
    bad = [r for r in rows if failed(r)]
    OUT_FILE.parent.mkdir(parents=True, exist_ok=True)
    for path, keep in ((OUT_FILE, bad), (ROWS_FILE, rows)):
        with path.open("w", encoding="utf-8") as fh:
            for r in keep:
                fh.write(json.dumps({"failed": failed(r), **r}, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps({"seconds": round(seconds, 1), "table": table, "failing": [r["id"] for r in bad]},
                         ensure_ascii=False, indent=2))
    else:
        print_table(table, seconds)
        print(f"  failing rows ({len(bad)}), details in {OUT_FILE.relative_to(EVALS_DIR.parent)}:")
        for r in bad:
            print(f"  FAIL {r['id']} [{r['kind']}/{r['lang']}] {','.join(failed(r))}: expected "
                  f"{[t['name'] for t in r['expect_tools']]} called {[c['name'] for c in r['called']]}")
    return {"table": table, "rows": rows, "seconds": seconds}


if __name__ == "__main__":
    main()
    sys.exit(0)  # a measurement, not a gate
