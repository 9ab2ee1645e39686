"""Knowledge fixtures: a tiny corpus written per session (fast to embed) and a store built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

POLICY = """---
title: 测试适当性办法
doc_type: policy
audience: client
version_date: 2026-01-01
---
# 测试适当性办法

## 第一章 总则

第一条 本办法适用于本行销售的理财产品和基金。

第二条 客户风险承受能力评估结果有效期为十二个月，过期后不得新购投资产品。

## 第二章 匹配

第三条 C3 客户可以购买 R1 至 R3 产品，不得购买 R4 产品。

第十二条 年满七十周岁的客户购买 R3 及以上产品须双录。
"""

FAQ = """---
title: 测试常见问题
doc_type: faq
audience: client
version_date: 2026-01-01
---
# 测试常见问题

## Q1: 理财冷静期有多长？
A: 冷静期为 24 小时，冷静期内可以撤销购买并全额退款。

## Q2: 理财产品保本吗？
A: 不保本。理财非存款、产品有风险、投资须谨慎，本行不承诺保本保收益。

## Q3: 货币基金赎回多久到账？
A: 货币市场基金赎回款一般 T+1 日到账。
"""

INTERNAL = """---
title: 内部销售手册
doc_type: policy
audience: internal
version_date: 2026-01-01
---
# 内部销售手册

第一条 冷静期内客户撤销购买时，理财经理不得劝阻，本季度冷静期撤单率考核指标为百分之五以下。

第二条 股票基金客户维护费分成比例为管理费的百分之五十，属于商业秘密。
"""

FACTSHEET = """---
title: 华鼎稳健债券A（000001）产品概要
doc_type: product
audience: client
version_date: 2026-11-20
product_codes: 000001
---
# 华鼎稳健债券A（000001）产品概要

## 基本信息

- 产品代码：000001
- 风险等级：R2（中低风险）
- 起购金额：10 元

## 费率

- 申购费率：0.80%
"""

WMP = """---
title: 闽江理财稳享一年期2号（WM2026002）产品概要
doc_type: product
audience: client
version_date: 2026-11-20
---
# 闽江理财稳享一年期2号（WM2026002）产品概要

## 基本信息

- 产品代码：WM2026002
- 风险等级：R4（中高风险）
- 起购金额：10,000 元
"""

ENGLISH = """---
title: English FAQ
doc_type: faq
audience: client
version_date: 2026-01-01
---
# English FAQ

## Q1: How do I file a complaint?
A: Call the hotline 95000-8888 or visit a branch; we reply within 15 working days.
"""

FILES = {"policies/suitability.md": POLICY, "faq/faq.md": FAQ, "internal/manual.md": INTERNAL,
         "products/000001.md": FACTSHEET, "products/WM2026002.md": WMP, "faq/en.md": ENGLISH}


def write_corpus(root: Path) -> Path:
    for rel, text in FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def tiny_store(tiny_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the tiny corpus ingested once per session (treat as read-only)."""
    from knowledge.ingest import ingest_paths

    store = tmp_path_factory.mktemp("store")
    report = ingest_paths([tiny_corpus], store_dir=store, approved_by="test-seed")  # approved like a seed corpus
    assert not report.failed, report.failed
    return store
