"""Compose the offline answer from this turn's tool results, with templates from ``prompts/<lang>/``.

Every figure printed here is a value from a tool result, formatted so the grounding verifier can match
it (fractions → ``12.34%``, yuan → ``12.35万元``/``1.20亿元``/``856.00元``). A tool result is a dict such as
``{"client_id": "C0001", "as_of": "2026-06-30", "coverage": 0.93, "rows": [{"name": "贵州茅台",
"weight": 0.052}, …]}``; the tool's template (``answer_tools.md`` section) fills the header from the
top-level fields, then rows and nested sections are listed generically with translated labels.

Words are localised in one place each: field names through ``answer_labels.md``; string VALUES that are
enum codes (``"equity"``, ``"sell"``, ``"client assets"``, ``"risk_mismatch"``, ``"1y"`` …) through
``answer_values.md`` in ``fmt_value`` (also dict keys and row heads that are such codes); and a row's
English ``reason`` sentence is re-worded from ``answer_reasons.md`` keyed by the row's ``reason_code``
(or its book-scan ``rule``), filled from the row's own fields plus its ``reason_args``, e.g.
``{"rule": "risk_mismatch", "figure": 0.5569, "unit": "fraction", "reason_args": {"client_risk_level":
"C2"}}`` → ``高于客户风险等级 C2 的产品占资产 55.69%``. Without a template the English sentence is kept.
Tool names in error messages are worded through ``answer_values.md`` too.
"""

from __future__ import annotations

import json
import math
import re
import string
from functools import lru_cache
from typing import Any

from prompts.loader import load, sections

_FRACTION_HINTS = ("weight", "return", "share", "pct", "rate", "drawdown", "volatility", "exposure", "yield",
                   "overlap", "coverage", "alpha", "effect", "gap", "drift", "margin", "growth", "roe",
                   "allocation", "selection", "interaction", "active", "ratio_to_target", "target", "actual",
                   "fee", "cagr", "tracking_error", "tracking_difference", "excess", "irr", "twr", "success", "percent", "stress",
                   "probability", "contribution_share")
# whole-word tokens of a key that mean "a plain number" (ratios like Sharpe, counts, ages, days)
_PLAIN_TOKENS = {"sharpe", "sortino", "calmar", "information", "beta", "dscr", "multiple",
                 "days", "age", "years", "count", "n", "num", "rank", "months", "score", "hhi", "interest"}
_MONEY_HINTS = ("amount", "value", "market_value", "cost", "pnl", "balance", "capital", "revenue", "size",
                "income", "expense", "aum", "assets", "cash", "need", "principal", "profit", "liabilit",
                "equity_total", "min_amount", "limit", "outstanding", "spending", "saving", "contribution",
                "shortfall", "fund_needed", "net_", "gain", "loss", "dividend", "fees_paid", "invested",
                "equity", "cfo", "due", "receivable", "inventory", "debt", "wealth", "premium", "cover", "corpus",
                "projected", "savings")
_MAX_ROWS = 10


def fmt_money(v: float, lang: str) -> str:
    """Yuan as a reader of that language writes it: 147.06万元 / 1.5亿元, CNY 1.4706 mn / CNY 24,250."""
    a = abs(v)
    if lang == "zh":
        if a >= 1e8:
            return f"{v / 1e8:.2f}亿元"
        return f"{v / 1e4:.2f}万元" if a >= 1e4 else f"{v:.2f}元"
    # as precise as the Chinese 万元 with two decimals (to 100 yuan), so both languages carry the same figure
    if a >= 1e9:
        return f"CNY {v / 1e9:.6f} bn"
    if a >= 1e6:
        return f"CNY {v / 1e6:.4f} mn"
    return f"CNY {v:,.0f}" if a >= 1e4 else f"CNY {v:,.2f}"


# Exact keys whose unit the substring hints would get wrong.
_EXACT = {"fees": "money", "fee_paid": "money", "realized": "money", "unrealized": "money", "threshold": "fraction",
          "xirr": "fraction", "share": "fraction", "score": "fraction", "hhi": "plain", "value": "plain",
          "age": "plain", "retire_age": "plain", "current_ratio": "plain", "quick_ratio": "plain",
          "target": "money", "current": "money", "gap": "money", "target_low": "money", "target_high": "money", "years_to_retirement": "plain", "confidence": "fraction",
          "total": "money", "loss_threshold": "fraction", "health_score": "plain", "points": "plain",
          "max_points": "plain", "page": "plain", "page_size": "plain", "pages": "plain", "total_findings": "plain",
          "client_count": "plain", "clients_matching": "plain", "clients_scanned": "plain", "observations": "plain",
          "horizon_days": "plain", "maturity_window_days": "plain", "days_to_maturity": "plain", "min_age": "plain",
          "life_expectancy": "plain", "years_lasting": "plain", "horizon_years": "plain", "valid_days": "plain",
          "income_per_10k": "money", "weight_a": "fraction", "weight_b": "fraction", "paths": "plain", "seed": "plain",
          "liquidity_target": "money", "policy_target": "money", "cash_after": "money", "cash_before": "money",
          "sell_total": "money", "buy_total": "money"}
# Dicts whose values are all fractions (asset-class mixes) or all yuan.
_FRACTION_DICTS = ("asset_classes", "current_mix", "proposed_mix", "target_mix", "mix", "weights", "period_returns",
                   "lookthrough_mix")
_MONEY_DICTS = ("gain_by_kind", "target_by_class", "by_class", "percentiles", "by_asset_class")
# Dicts whose values are all counts.
_COUNT_DICTS = ("counts_by_rule", "excluded", "by_risk_level", "findings_by_rule")


@lru_cache(maxsize=4)
def _values(lang: str) -> dict[str, str]:
    """``answer_values.md``: ``## <exact value>`` → display text. Headings may hold spaces and brackets
    (``## fund NAV (top-10 stocks)``), which ``sections`` does not accept, hence this parser."""
    out: dict[str, str] = {}
    key: str | None = None
    body: list[str] = []
    for line in load("answer_values", lang).splitlines():
        m = re.match(r"^##\s+(.+?)\s*$", line)
        if m:
            if key is not None:
                out[key] = "\n".join(body).strip()
            key, body = m.group(1), []
        elif key is not None:
            body.append(line)
    if key is not None:
        out[key] = "\n".join(body).strip()
    return out


# value shapes worded by a pattern heading in answer_values.md (``## {n}m`` → ``近{n}个月``)
_VALUE_PATTERNS = ((re.compile(r"(\d+)m"), "{n}m"), (re.compile(r"(\d+)y"), "{n}y"),
                   (re.compile(r"since:(\d{4}-\d{2}-\d{2})"), "since:{date}"))


def value_text(v: str, lang: str) -> str:
    """An enum code as display text (``"fixed_income"`` → ``"固收"``, ``"12m"`` → ``"近12个月"``,
    ``"since:2023-01-01"`` → ``"2023-01-01以来"``); any other string unchanged."""
    values = _values(lang)
    if v in values:
        return values[v]
    for pattern, key in _VALUE_PATTERNS:
        m = pattern.fullmatch(v)
        if m and key in values:
            return values[key].format(n=m.group(1), date=m.group(1))
    return v


_BILINGUAL = re.compile(r"^(?P<zh>.*[\u4e00-\u9fff].*?)\s*[(（](?P<en>[A-Za-z0-9][^()（）]*)[)）]\s*$", re.S)


def one_language(text: str, lang: str) -> str:
    """A service message written "中文 (English)" (the suitability gate's) in the reply's language only."""
    m = _BILINGUAL.match(text)
    if not m or len(m.group("en")) < 20:
        return text
    return m.group("zh").strip() if lang == "zh" else m.group("en").strip()


def fmt_value(key: str, v: Any, lang: str) -> str:
    """Format one field by what its name says it holds."""
    if isinstance(v, str) and key in ("gate_message", "message", "blocked", "reason", "detail"):
        v = one_language(v, lang)
    exact = _EXACT.get(key.lower())
    if exact and isinstance(v, float) and math.isfinite(v):
        if exact == "money":
            return fmt_money(v, lang)
        if exact == "fraction" and abs(v) <= 10:
            return f"{v * 100:.2f}%"
        if exact == "plain":
            return f"{v:.2f}"
    if v is None:
        return "—"
    if isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if isinstance(v, int) and not isinstance(v, bool):
        k = key.lower()
        if any(h in k for h in _MONEY_HINTS) and abs(v) >= 1e4:
            return fmt_money(float(v), lang)
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return "—"
        k = key.lower()
        if _PLAIN_TOKENS & set(k.split("_")):
            return f"{v:.2f}"
        if any(h in k for h in _FRACTION_HINTS) and abs(v) <= 10:
            return f"{v * 100:.2f}%"
        if any(h in k for h in _MONEY_HINTS):
            return fmt_money(v, lang)
        return f"{v:.2f}" if abs(v) >= 1 else f"{v:.4f}"
    if isinstance(v, list):
        return "、".join(fmt_value(key, x, lang) for x in v[:_MAX_ROWS]) if lang == "zh" else ", ".join(
            fmt_value(key, x, lang) for x in v[:_MAX_ROWS])
    if isinstance(v, str):
        return value_text(v, lang)
    return str(v)


def _label(key: str, lang: str) -> str:
    """A field name, or a dict key that is an enum code (``findings_by_rule: {"idle_cash": 13}``)."""
    labels = sections("answer_labels", lang)
    return labels.get(key) or _values(lang).get(key) or key.replace("_", " ")


# row["unit"] → the key whose formatting fmt_value applies to the row's "value"/"figure"
_UNIT_KEYS = {"fraction": "share", "times": "multiple", "days": "days", "yuan": "amount"}


def _with_unit(v: Any, unit: Any, lang: str) -> str:
    """A figure formatted by its stated unit: fraction → ``55.69%``, yuan → ``43.00万元``, days → ``525``."""
    if v is None:
        return "—"
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and unit in ("days", "times"):
        v = int(v)  # 525 days, not 525.00
    text = fmt_value(_UNIT_KEYS.get(str(unit), "value"), v, lang)
    return f"{text}天" if unit == "days" and lang == "zh" else (f"{text} days" if unit == "days" else text)


def _arg_text(key: str, v: Any, lang: str) -> str:
    """One reason-template field: whole-number counts without decimals (``6`` months, ``365`` days)."""
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and (
        _EXACT.get(key) == "plain" or _PLAIN_TOKENS & set(key.lower().split("_"))
    ):
        return str(int(v))
    return fmt_value(key, v, lang)


def _reason(row: dict[str, Any], lang: str) -> tuple[str, set[str]] | None:
    """``row["reason"]`` re-worded in ``lang`` from ``answer_reasons.md`` → (text, row fields it quotes),
    or None (no template for the row's code, or a field the template needs is missing)."""
    code = row.get("reason_code") or row.get("rule")
    template = sections("answer_reasons", lang).get(str(code)) if code else None
    if not template:
        return None
    args = {k: v for k, v in row.items() if not isinstance(v, dict | list)}
    extra = row.get("reason_args")
    args |= extra if isinstance(extra, dict) else {}
    fields = {k: _arg_text(k, v, lang) for k, v in args.items() if v is not None}
    if "figure" in row:
        fields["figure"] = _with_unit(row["figure"], row.get("unit"), lang)
    used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    if not used <= fields.keys():
        return None
    return template.format_map(fields), used | ({"unit"} if "figure" in used else set())


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def _row_line(row: Any, lang: str) -> str:
    if not isinstance(row, dict):
        return f"- {fmt_value('', row, lang)}"
    name_keys = [k for k in ("name", "title", "security", "industry", "product", "client", "fund", "label",
                             "check", "kind", "segment", "asset_class", "pot", "event", "year", "citation", "metric",
                             "client_name", "rule", "fund_a")
                 if row.get(k) is not None]  # a bond has no industry: no "None" in the head
    head = " ".join(value_text(str(row[k]), lang) for k in name_keys[:2]) if name_keys else ""
    code_keys = [k for k in ("code", "client_id", "fund_code", "security_id", "id") if k in row]
    code = value_text(str(row[code_keys[0]]), lang) if code_keys else ""
    if code_keys and code not in head:
        head = f"{head}（{code}）" if lang == "zh" else f"{head} ({code})"
    shown = set(name_keys[:2]) | set(code_keys[:1]) | {"reason_code"}
    reason = _reason(row, lang) if "reason" in row else None
    if reason is not None:  # the fields the re-worded reason quotes are not listed again
        row = {**row, "reason": reason[0]}
        shown |= reason[1] - {"reason"}
    for fig in ("value", "figure"):  # {"metric": "roe", "value": 0.12, "unit": "fraction"}: one field
        if "unit" in row and fig in row:
            row = {**{k: v for k, v in row.items() if k not in ("unit", fig, "missing")},
                   fig: _with_unit(row[fig], row["unit"], lang)}
    rest = [
        f"{_label(k, lang)} {fmt_value(k, v, lang)}"
        for k, v in row.items()
        if k not in shown and not isinstance(v, dict | list) and v is not None and not _other_language(k, lang)
    ]
    sep = "，" if lang == "zh" else ", "
    return f"- {head}：{sep.join(rest)}" if lang == "zh" else f"- {head}: {sep.join(rest)}"


def _other_language(key: str, lang: str) -> bool:
    """A ``*_zh`` field (e.g. a pot's Chinese label) is a copy for Chinese readers; English answers skip it."""
    return lang == "en" and key.endswith("_zh")


def render_result(tool: str, result: dict[str, Any], lang: str) -> str:
    """One tool result as text: the template header, then scalar figures, lists and nested groups."""
    templates = sections("answer_tools", lang)
    fields = _Fields({k: fmt_value(k, v, lang) for k, v in result.items() if not isinstance(v, dict | list)})
    used = {f for _, f, _, _ in string.Formatter().parse(templates.get(tool, "")) if f}
    lines = [templates[tool].format_map(fields)] if tool in templates else []
    skip = used | {"note", "citation", "as_of"} | set(result.get("_hide", []))
    scalars = [
        f"{_label(k, lang)}：{fmt_value(k, v, lang)}" if lang == "zh" else f"{_label(k, lang)}: {fmt_value(k, v, lang)}"
        for k, v in result.items()
        if k not in skip and not k.startswith("_") and not isinstance(v, dict | list) and v is not None
        and not _other_language(k, lang)
    ]
    if scalars:
        lines.append(("；" if lang == "zh" else "; ").join(scalars))
    for k, v in result.items():
        if k.startswith("_") or k in skip:
            continue
        if isinstance(v, dict) and v:
            unit_key = "share" if k in _FRACTION_DICTS else (
                "fees" if k in _MONEY_DICTS else ("count" if k in _COUNT_DICTS else None))
            inner = ("，" if lang == "zh" else ", ").join(
                f"{_label(ik, lang)} {fmt_value(unit_key or ik, iv, lang)}"
                for ik, iv in v.items() if not isinstance(iv, dict | list)
            )
            lines.append(f"{_label(k, lang)}：{inner}" if lang == "zh" else f"{_label(k, lang)}: {inner}")
        elif isinstance(v, list) and v:
            lines.append(f"{_label(k, lang)}：" if lang == "zh" else f"{_label(k, lang)}:")
            # a paged list the RM asked for is shown whole (its page); other lists are summaries
            cap = int(result.get("page_size") or _MAX_ROWS) if k == "findings" else _MAX_ROWS
            lines.extend(_row_line(r, lang) for r in v[:cap])
            if len(v) > cap:  # no count here: every figure in the answer must come from a tool
                lines.append("- …（其余从略）" if lang == "zh" else "- … (more omitted)")
    if result.get("note"):
        lines.append(str(result["note"]))
    return "\n".join(line for line in lines if line)


def compose(results: list[tuple[str, str]], lang: str, question: str = "") -> str:
    """``results`` = ``[(tool name, ToolMessage content), …]`` of this turn → the answer text; with the
    ``question``, each result opens with the line that answers what was asked (``headline``)."""
    from assistant.offline.headline import headline

    msgs = sections("answer_messages", lang)
    parts: list[str] = []
    citations: list[str] = []
    for tool, content in results:
        try:
            data = json.loads(content)
        except (TypeError, ValueError):
            data = {"error": "error", "message": str(content)[:200]}
        if not isinstance(data, dict):
            data = {"items": data}
        if "error" in data:
            code = data.get("error")
            if code in ("forbidden", "unsuitable"):
                parts.append(str(data.get("message") or msgs["refusal"]))
            else:
                parts.append(msgs["tool_error"].format(tool=value_text(tool, lang), message=data.get("message", "")))
            continue
        citations.extend(str(c) for c in data.get("_citations", []))
        body = render_result(tool, data, lang) or msgs["no_results"]
        head = headline(tool, data, question, lang) if question else None
        parts.append(f"{head}\n{body}" if head else body)
    if citations:
        parts.append(msgs["sources"] + "\n" + "\n".join(f"[{i}] {c}" for i, c in enumerate(dict.fromkeys(citations), 1)))
    return "\n\n".join(parts)
