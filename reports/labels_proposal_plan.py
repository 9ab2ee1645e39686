"""Display labels (zh/en) for the plan sections of the proposal (trades, cards, prompts) and the cell
formats they share: one unit per money column, settlement time, names in the report's language."""

from __future__ import annotations

from typing import Any

PH = {
    "zh": {"discuss": "需要与您沟通的事项", "cards": "拟购产品要素", "disclosure": "风险揭示（针对本方案产品）",
           "suitability": "适当性与双录提示", "review": "定期检视、联系人与客户确认", "trades": "调仓方案"},
    "en": {"discuss": "Points to discuss with you", "cards": "Products proposed", "disclosure":
           "Risk disclosure (for the products in this plan)", "suitability": "Suitability and dual recording",
           "review": "Review, contact and client confirmation", "trades": "Trades"},
}

P: dict[str, Any] = {
    "zh": {
        "buy": "买入", "sell": "卖出", "action": "操作", "total": "合计", "total_sell": "卖出合计",
        "total_buy": "买入合计", "amount_col": "金额",
        "fee_col": "费用", "risk_col": "风险", "realised_col": "实现盈亏", "settle_col": "到账（T+工作日）", "reason_col": "理由",
        "r_sell_above": "产品风险{r}高于您的风险承受能力{c}，全部赎回", "r_sell_over": "{cls}高于目标配置，减持至目标",
        "r_buy_under": "补足{cls}目标配置", "r_other": "按目标配置调整", "unknown_date": "日期待定",
        "finding": "事项", "open_ended": "开放式（无固定期限）", "days": "天", "sub_fee": "申购费", "red_fee": "赎回费",
        "mgmt_fee": "管理费（年）", "sep": "；", "no_fee": "无申购、赎回费", "card_kind": "类型", "card_risk": "风险等级",
        "card_issuer": "发行/管理机构", "card_term": "期限", "card_liquidity": "流动性", "card_min": "起购金额",
        "card_yield": "业绩比较基准/预期收益率", "not_promise": "（非承诺）", "card_benchmark": "业绩比较基准（说明书）",
        "card_fees": "费用", "card_amount": "本方案买入金额", "held": "到期兑付", "t": "T+{n}", "t0": "T+0",
    },
    "en": {
        "buy": "Buy", "sell": "Sell", "action": "Action", "total": "Total", "total_sell": "Total sold",
        "total_buy": "Total bought", "amount_col": "Amount",
        "fee_col": "Fee", "risk_col": "Risk", "realised_col": "Realised", "settle_col": "Cash in (business days)", "reason_col": "Reason",
        "r_sell_above": "risk {r} is above your tolerance {c}; sold in full", "r_sell_over": "{cls} above target; "
        "reduced to target", "r_buy_under": "brings {cls} up to target", "r_other": "moves toward the target",
        "unknown_date": "date to be set", "finding": "Point", "open_ended": "open-ended (no fixed term)",
        "days": " days", "sub_fee": "subscription", "red_fee": "redemption", "mgmt_fee": "management (per year)",
        "sep": "; ", "no_fee": "no subscription or redemption fee", "card_kind": "Type", "card_risk": "Risk level",
        "card_issuer": "Issuer / manager", "card_term": "Term", "card_liquidity": "Liquidity",
        "card_min": "Minimum", "card_yield": "Benchmark / expected yield", "not_promise": " (not a promise)",
        "card_benchmark": "Benchmark (prospectus)", "card_fees": "Fees", "card_amount": "Amount in this plan",
        "held": "at maturity", "t": "T+{n}", "t0": "T+0",
    },
}
P["kinds"] = {
    "fund": {"zh": "基金", "en": "Fund"}, "wmp": {"zh": "理财", "en": "Wealth-management product"},
    "deposit": {"zh": "存款", "en": "Deposit"}, "insurance": {"zh": "保险", "en": "Insurance"},
}


def display_name(name: str, name_en: str | None, code: str, lang: str) -> str:
    """A product's name in the report's language: English documents use the stored English name."""
    if lang == "en":
        return f"{name_en or name} ({code})"
    return f"{name}（{code}）"




def settle(days: Any, lang: str) -> str:
    """Settlement time from ``liquidity_days`` (-1 = held to maturity)."""
    p = P[lang]
    if days is None:
        return "—"
    n = int(days)
    if n < 0:
        return p["held"]
    if n == 1 and "t1" in p:
        return p["t1"]
    return p["t0"] if n == 0 else p["t"].format(n=n)
