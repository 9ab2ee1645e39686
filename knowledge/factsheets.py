"""Product factsheets (产品概要) rendered from the product table, so corpus numbers equal table numbers.

``render_factsheets(products, funds, out_dir)`` writes one Markdown file per on-shelf product,
``<code>.md``, with front matter (doc_type product, audience client, the product code) and sections
基本信息 / 费率 / 基金信息 / 风险提示. Rendering is deterministic: the same frames give byte-identical
files, which a test checks against the committed ``data/corpus/products/``.

Input frames use the schema's columns (``datastore/schema.py``): ``products`` (code, name, name_en,
kind, fund_code, asset_class, risk_level, issuer, liquidity_days, min_amount, expected_yield,
issue_date, maturity_date, term_days, status) and ``funds`` (code, type, benchmark, management_fee,
custody_fee, subscription_fee, redemption_fee, inception_date, size, …). Fractions are shown as percent.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import InvalidInput

RISK_NAMES = {"R1": "低风险", "R2": "中低风险", "R3": "中风险", "R4": "中高风险", "R5": "高风险"}
CLIENT_FOR_RISK = {"R1": "C1 保守型", "R2": "C2 稳健型", "R3": "C3 平衡型", "R4": "C4 成长型", "R5": "C5 进取型"}
KIND_NAMES = {"fund": "公募基金", "wmp": "银行理财产品", "deposit": "存款产品", "insurance": "保险产品"}
FUND_TYPES = {"equity": "股票型基金", "hybrid": "混合型基金", "bond": "债券型基金", "money": "货币市场基金",
              "index": "指数型基金", "qdii": "QDII 基金", "fof": "基金中基金（FOF）", "feeder": "ETF 联接基金"}
ASSET_CLASSES = {"cash": "现金管理类", "fixed_income": "固定收益类", "equity": "权益类", "alternative": "另类",
                 "protection": "保障类"}
_REQUIRED = ("code", "name", "kind", "risk_level", "issuer", "liquidity_days", "min_amount", "status")


def _pct(x: Any, digits: int = 2) -> str:
    return f"{float(x) * 100:.{digits}f}%"


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT or (pd.isna(x) if not isinstance(x, str) else False)


def _day(x: Any) -> str:
    return pd.Timestamp(x).date().isoformat()


def _liquidity(days: int, kind: str) -> str:
    if kind == "deposit":
        if days < 0:
            return "到期支取；可提前支取，提前支取部分按支取日活期利率计息"
        return f"支取前须提前 {days} 天通知" if days > 1 else "可随时支取"
    if days < 0:
        return "持有到期，到期前不可赎回" if kind != "insurance" else "长期保障，提前退保按现金价值领取"
    if days == 0:
        return "可随时支取，实时到账"
    return f"开放期可赎回，赎回款一般 T+{days} 日到账"


def render_one(p: pd.Series, fund: pd.Series | None, as_of: date | None, issuer: str | None = None) -> str:
    """Markdown text of one product's factsheet; ``issuer`` overrides the table's issuer id with a name."""
    code, name, risk, kind = str(p["code"]), str(p["name"]), str(p["risk_level"]), str(p["kind"])
    lines = ["---", f"title: {name}（{code}）产品概要", "doc_type: product", "audience: client",
             f"version_date: {as_of.isoformat() if as_of else ''}", f"product_codes: {code}", "---",
             f"# {name}（{code}）产品概要", "", "## 基本信息", "",
             f"- 产品名称：{name}", f"- 英文名称：{p.get('name_en', '') or ''}", f"- 产品代码：{code}",
             f"- 产品类型：{KIND_NAMES.get(kind, kind)}"]
    if not _missing(p.get("asset_class")):
        lines.append(f"- 资产类别：{ASSET_CLASSES.get(str(p['asset_class']), str(p['asset_class']))}")
    lines += [f"- 风险等级：{risk}（{RISK_NAMES.get(risk, '')}）",
              f"- 适合客户：风险承受能力为 {CLIENT_FOR_RISK.get(risk, '')} 及以上的客户",
              f"- 发行/管理机构：{issuer or p['issuer']}", f"- 起购金额：{float(p['min_amount']):,.0f} 元",
              f"- 流动性：{_liquidity(int(p['liquidity_days']), kind)}"]
    if not _missing(p.get("expected_yield")):
        label = {"deposit": "存款年利率", "insurance": "预定利率（年化，以保险合同为准）"}.get(
            kind, "业绩比较基准（年化，不代表实际收益）")
        lines.append(f"- {label}：{_pct(p['expected_yield'])}")
    if not _missing(p.get("term_days")):
        lines.append(f"- 产品期限：{int(p['term_days'])} 天")
    if not _missing(p.get("issue_date")):
        lines.append(f"- 成立/起息日：{_day(p['issue_date'])}")
    if not _missing(p.get("maturity_date")):
        lines.append(f"- 到期日：{_day(p['maturity_date'])}")
    if fund is not None:
        lines += ["", "## 费率", "",
                  f"- 申购费率（前端，标准费率）：{_pct(fund['subscription_fee'])}",
                  f"- 赎回费率（持有满 7 日）：{_pct(fund['redemption_fee'])}；持有少于 7 日：1.50%",
                  f"- 管理费率：{_pct(fund['management_fee'])}/年", f"- 托管费率：{_pct(fund['custody_fee'])}/年",
                  "", "## 基金信息", "",
                  f"- 基金代码：{fund['code']}", f"- 基金类型：{FUND_TYPES.get(str(fund['type']), str(fund['type']))}",
                  f"- 业绩比较基准：{fund['benchmark']}", f"- 成立日期：{_day(fund['inception_date'])}",
                  f"- 基金规模：{float(fund['size']) / 1e8:.2f} 亿元"]
    lines += ["", "## 风险提示", ""]
    if kind == "deposit":
        lines.append("本产品为存款产品，受《存款保险条例》保护，同一存款人在本行的存款本息合计最高偿付 50 万元。")
    elif kind == "insurance":
        lines.append("本产品为保险产品，不是存款，不属于存款保险保障范围；犹豫期后退保可能损失本金。")
    else:
        lines.append("理财非存款、产品有风险、投资须谨慎。本产品不保证本金和收益，业绩比较基准和过往业绩不代表未来表现。"
                     f"本产品风险等级为 {risk}，仅适合风险承受能力为 {CLIENT_FOR_RISK.get(risk, '')} 及以上的客户购买。")
    return "\n".join(lines) + "\n"


def render_factsheets(products: pd.DataFrame, funds: pd.DataFrame, out_dir: Path | str, *,
                      as_of: date | None = None, companies: pd.DataFrame | None = None) -> list[Path]:
    """Write ``<code>.md`` for every product with ``status == "on_shelf"``; return the paths, sorted.

    ``companies`` (fund_companies: id, name) turns issuer ids such as ``FC01`` into company names.

    Stale ``*.md`` files in ``out_dir`` (products no longer on the shelf) are deleted so the directory
    mirrors the table.
    """
    missing = [c for c in _REQUIRED if c not in products.columns]
    if missing:
        raise InvalidInput(f"products frame lacks columns {missing}", field="products", hint="use datastore.schema column names")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fund_by_code = {str(r["code"]): r for _, r in funds.iterrows()} if len(funds) else {}
    company_names = dict(zip(companies["id"], companies["name"], strict=True)) if companies is not None else {}
    shelf = products[products["status"] == "on_shelf"].sort_values("code")
    written: list[Path] = []
    for _, p in shelf.iterrows():
        fund_code = p.get("fund_code")
        fund = fund_by_code.get(str(fund_code if not _missing(fund_code) else p["code"])) if p["kind"] == "fund" else None
        path = out / f"{p['code']}.md"
        path.write_text(render_one(p, fund, as_of, company_names.get(str(p["issuer"]))), encoding="utf-8")
        written.append(path)
    keep = {p.name for p in written}
    for stale in out.glob("*.md"):
        if stale.name not in keep:
            stale.unlink()
    return sorted(written)
