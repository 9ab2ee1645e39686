"""A tiny corporate data set for DD tests that do not need the full sample data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from datastore.engine import create_schema, get_engine, session_scope
from datastore.schema import (
    Corporate,
    CorporateCredit,
    CorporateFinancial,
    CorporateRiskEvent,
    CorporateShareholder,
    Industry,
    Meta,
)

FIN_2023 = dict(
    revenue=1.2e9,
    cogs=9.0e8,
    selling_expense=5e7,
    admin_expense=4e7,
    rd_expense=3e7,
    interest_expense=3.0e7,
    operating_profit=1.1e8,
    total_profit=1.0e8,
    income_tax=2.5e7,
    net_profit=7.5e7,
    cash=1.5e8,
    receivables=2.4e8,
    inventory=1.8e8,
    current_assets=6.0e8,
    fixed_assets=5.0e8,
    total_assets=1.4e9,
    short_term_debt=3.0e8,
    payables=1.6e8,
    current_liabilities=5.0e8,
    long_term_debt=2.5e8,
    total_liabilities=8.0e8,
    equity=6.0e8,
    cfo=9.0e7,
    cfi=-6.0e7,
    cff=-2.0e7,
    capex=6.0e7,
    depreciation=4.0e7,
    taxes_paid=3.0e7,
    principal_due_next_year=1.2e8,
)
FIN_2024 = {
    **FIN_2023,
    "revenue": 1.08e9,
    "cogs": 8.3e8,
    "total_profit": 6.0e7,
    "net_profit": 4.5e7,
    "equity": 6.4e8,
    "total_liabilities": 9.1e8,
    "total_assets": 1.55e9,
    "cfo": 2.0e7,
    "inventory": None,
}


@pytest.fixture(scope="session")
def dd_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path: Path = tmp_path_factory.mktemp("dd") / "dd.db"
    engine = get_engine(f"sqlite:///{path}")
    create_schema(engine)
    with session_scope(engine) as s:
        s.add(Industry(code="801030", name="基础化工", name_en="Basic Chemicals"))
        s.add(Meta(key="as_of", value="2025-06-30"))
        s.flush()  # parents first: no ORM relationships tell SQLAlchemy the insert order
        s.add(
            Corporate(
                id="E901",
                name="华东精细化工股份有限公司",
                credit_code="91350100M000100Y43",
                legal_rep="王建国",
                registered_capital=2.0e8,
                founded=date(2008, 3, 18),
                industry_code="801030",
                status="存续",
                address="福建省福州市鼓楼区五四路88号",
                business_scope="精细化学品的研发、生产与销售",
                listed=False,
            )
        )
        s.add(
            Corporate(
                id="E902",
                name="测试无效代码有限公司",
                credit_code="91350100M000100Y44",
                legal_rep="李四",
                registered_capital=1.0e7,
                founded=date(2020, 1, 2),
                industry_code="801030",
                status="存续",
                address="福州",
                business_scope="贸易",
                listed=False,
            )
        )
        s.flush()
        s.add(
            CorporateShareholder(
                corporate_id="E901", name="王建国", kind="person", share=0.55, pledged_share=0.6
            )
        )
        s.add(
            CorporateShareholder(
                corporate_id="E901", name="福州投资集团有限公司", kind="state", share=0.30, pledged_share=0.0
            )
        )
        s.add(CorporateFinancial(corporate_id="E901", year=2023, **FIN_2023))
        s.add(CorporateFinancial(corporate_id="E901", year=2024, **FIN_2024))
        s.add(
            CorporateRiskEvent(
                corporate_id="E901",
                date=date(2025, 2, 14),
                kind="lawsuit",
                role="defendant",
                amount=8.5e7,
                description="买卖合同纠纷",
                status="open",
            )
        )
        s.add(
            CorporateCredit(
                corporate_id="E901",
                lender="兴业银行福州分行",
                facility_type="流动资金贷款",
                limit_amount=2.0e8,
                balance=1.5e8,
                start_date=date(2024, 7, 1),
                maturity_date=date(2025, 6, 30),
                overdue_days=0,
                max_overdue_days_24m=35,
                classification="正常",
                guarantee="保证",
            )
        )
    return engine
