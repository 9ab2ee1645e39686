"""The suitability gate (适当性): a function that raises, so it cannot be forgotten like a filter.

Rules (policy values are parameters; defaults are the example policy of ``reference/domain.md``):

1. product risk R must be ≤ client tolerance C (C1→R1 only … C5→all);
2. the client's risk assessment must be younger than ``valid_days`` (12 months); an expired assessment
   blocks every sale except deposits;
3. a client aged ``elderly_age`` (70) or more buying R3 or above needs the 双录 (audio-video recording)
   confirmation flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from analytics.constants import CLIENT_LEVELS, PRODUCT_LEVELS
from analytics.errors import InvalidInput, SuitabilityError
from core.policy import SuitabilityRules


def _get(obj: Any, key: str, field: str) -> Any:
    if isinstance(obj, pd.Series | Mapping):
        value = obj.get(key)
    else:
        value = getattr(obj, key, None)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        raise InvalidInput(f"{key} is missing", field=f"{field}.{key}")
    return value


def client_level(level: str) -> int:
    """'C3' → 3 (raises InvalidInput for anything else)."""
    if level not in CLIENT_LEVELS:
        raise InvalidInput(f"unknown client risk level {level!r}", field="client.risk_level", hint="C1..C5")
    return int(level[1])


def product_level(level: str) -> int:
    """'R4' → 4."""
    if level not in PRODUCT_LEVELS:
        raise InvalidInput(f"unknown product risk level {level!r}", field="product.risk_level", hint="R1..R5")
    return int(level[1])


def assessment_expired(assessed_on: date, as_of: date, valid_days: int = 365) -> bool:
    return (pd.Timestamp(as_of) - pd.Timestamp(assessed_on)).days > valid_days


def check_suitability(
    client: Any,
    product: Any,
    as_of: date,
    valid_days: int = 365,
    *,
    dual_recording_confirmed: bool = False,
    elderly_age: int = 70,
    elderly_min_level: int = 3,
    rules: SuitabilityRules | None = None,
) -> None:
    """Raise ``SuitabilityError`` unless ``product`` may be sold to ``client`` on ``as_of``.

    ``client``: a clients row (Series, dict or object) with risk_level, risk_assessed_on, age;
    ``product``: a products row with code, risk_level, kind. Returns None when suitable. ``rules`` (the
    policy's suitability section) overrides ``valid_days``, ``elderly_age`` and ``elderly_min_level``.
    """
    if rules is not None:
        valid_days, elderly_age = rules.assessment_valid_days, rules.elderly_age
        elderly_min_level = rules.elderly_min_product_level
    c = client_level(str(_get(client, "risk_level", "client")))
    r = product_level(str(_get(product, "risk_level", "product")))
    code = str(_get(product, "code", "product"))
    kind = str(_get(product, "kind", "product"))
    cid = _get(client, "id", "client") if _has(client, "id") else "client"
    if r > c:
        raise SuitabilityError(
            f"适当性不匹配：{code} 风险等级 R{r} 高于客户 {cid} 的风险承受能力 C{c}（C{c} 客户仅可购买 R1–R{c}）"
            f" ({code} is rated R{r}, above client {cid}'s tolerance C{c}; a C{c} client may buy R1–R{c} only)",
            hint="选择更低风险的产品或重新评估 / choose a lower-risk product or reassess the client",
        )
    assessed = pd.Timestamp(_get(client, "risk_assessed_on", "client")).date()
    if kind != "deposit" and assessment_expired(assessed, as_of, valid_days):
        raise SuitabilityError(
            f"风险测评已过期：客户 {cid} 的测评日期 {assessed.isoformat()} 已超过 {valid_days} 天"
            f" (client {cid}'s risk assessment of {assessed.isoformat()} is older than {valid_days} days)",
            hint="存款以外的销售前须重新测评 / redo the risk questionnaire before any non-deposit sale",
        )
    age = int(_get(client, "age", "client"))
    if age >= elderly_age and r >= elderly_min_level and not dual_recording_confirmed:
        raise SuitabilityError(
            f"需双录确认：客户 {cid} 年龄 {age} 岁，销售 R{r} 产品 {code} 须完成双录"
            f" (client {cid} is {age}: selling R{r} product {code} needs 双录 recorded-sale confirmation)",
            hint="完成录音录像后确认 / complete the audio-video recording and pass dual_recording_confirmed=True",
        )


def _has(obj: Any, key: str) -> bool:
    if isinstance(obj, pd.Series | Mapping):
        return obj.get(key) is not None
    return getattr(obj, key, None) is not None
