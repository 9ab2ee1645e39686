"""SQLAlchemy 2 models: market, client, corporate and app tables.

Portable types only (String, Integer, Float, Date, DateTime, Boolean, JSON, Text): the same schema runs
on SQLite (default) and PostgreSQL. Conventions: weights and rates are fractions (0–1), money is yuan
(元) as float, dates are ``date``. Nothing outside ``datastore`` issues SQL; repositories return
DataFrames or pydantic records.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from datastore.crypto import EncryptedString


class Base(DeclarativeBase):
    pass


# ============================================================================ market side


class Industry(Base):
    """Shenwan 2021 level-1 industry (31 rows)."""

    __tablename__ = "industries"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)  # e.g. "801010"
    name: Mapped[str] = mapped_column(String(32), unique=True)  # 农林牧渔
    name_en: Mapped[str] = mapped_column(String(64))


class Security(Base):
    """A stock, bond or cash instrument that funds hold."""

    __tablename__ = "securities"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # "600519.SH", "019547.IB"
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # stock | bond | cash
    industry_code: Mapped[str | None] = mapped_column(ForeignKey("industries.code"))  # stocks (and credit bonds)
    bond_type: Mapped[str | None] = mapped_column(String(16))  # government | policy_bank | credit | convertible
    rating: Mapped[str | None] = mapped_column(String(8))  # AAA, AA+, ...
    market: Mapped[str] = mapped_column(String(8))  # SH | SZ | BJ | IB | HK | US
    __table_args__ = (CheckConstraint("kind in ('stock','bond','cash')", name="ck_security_kind"),)


class SecurityPrice(Base):
    """Daily close of a security (stocks and bonds; bond 'close' is a clean-price index level)."""

    __tablename__ = "security_prices"
    security_id: Mapped[str] = mapped_column(ForeignKey("securities.id"), primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    close: Mapped[float] = mapped_column(Float)


class FundCompany(Base):
    __tablename__ = "fund_companies"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # "FC01"
    name: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(128))
    founded: Mapped[date] = mapped_column(Date)
    aum: Mapped[float] = mapped_column(Float)  # yuan


class FundManager(Base):
    __tablename__ = "fund_managers"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # "M001"
    name: Mapped[str] = mapped_column(String(32))
    company_id: Mapped[str] = mapped_column(ForeignKey("fund_companies.id"))
    career_start: Mapped[date] = mapped_column(Date)
    education: Mapped[str | None] = mapped_column(String(32))


class Fund(Base):
    __tablename__ = "funds"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # "000001"
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    # equity | hybrid | bond | money | index | qdii | fof | feeder ; an ETF is type index with is_etf
    type: Mapped[str] = mapped_column(String(8))
    is_etf: Mapped[bool] = mapped_column(Boolean, default=False)
    target_fund_code: Mapped[str | None] = mapped_column(ForeignKey("funds.code"))  # feeder → its ETF
    manager_id: Mapped[str] = mapped_column(ForeignKey("fund_managers.id"))
    company_id: Mapped[str] = mapped_column(ForeignKey("fund_companies.id"))
    benchmark: Mapped[str] = mapped_column(String(128))  # text as in the prospectus
    benchmark_index: Mapped[str | None] = mapped_column(String(16))  # index_levels.index_code of the equity leg
    benchmark_equity_share: Mapped[float] = mapped_column(Float, default=0.0)  # rest is the bond index
    management_fee: Mapped[float] = mapped_column(Float)  # per year, fraction
    custody_fee: Mapped[float] = mapped_column(Float)
    subscription_fee: Mapped[float] = mapped_column(Float)  # front-end, fraction
    redemption_fee: Mapped[float] = mapped_column(Float)  # for holding ≥ 7 days, fraction
    risk_level: Mapped[str] = mapped_column(String(2))  # R1..R5
    inception_date: Mapped[date] = mapped_column(Date)
    size: Mapped[float] = mapped_column(Float)  # net assets, yuan, latest
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    __table_args__ = (
        CheckConstraint(
            "type in ('equity','hybrid','bond','money','index','qdii','fof','feeder')", name="ck_fund_type"
        ),
        CheckConstraint("risk_level in ('R1','R2','R3','R4','R5')", name="ck_fund_risk"),
    )


class FundNav(Base):
    """Daily NAV. ``dividend`` is cash per unit paid on this ex-date; ``split_ratio`` k shares per share."""

    __tablename__ = "fund_nav"
    fund_code: Mapped[str] = mapped_column(ForeignKey("funds.code"), primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_nav: Mapped[float] = mapped_column(Float)  # 单位净值
    acc_nav: Mapped[float] = mapped_column(Float)  # 累计净值
    dividend: Mapped[float] = mapped_column(Float, default=0.0)
    split_ratio: Mapped[float | None] = mapped_column(Float)  # None = no split that day
    daily_return: Mapped[float | None] = mapped_column(Float)  # vendor's 日增长率 as fraction, if imported


class FundHolding(Base):
    """One line of a disclosed holding: a security, or for FOFs/feeders another fund."""

    __tablename__ = "fund_holdings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fund_code: Mapped[str] = mapped_column(ForeignKey("funds.code"))
    report_date: Mapped[date] = mapped_column(Date)  # period end: 03-31, 06-30, 09-30, 12-31
    published_on: Mapped[date] = mapped_column(Date)  # when the report became public
    disclosure: Mapped[str] = mapped_column(String(8))  # top10 | full
    rank: Mapped[int] = mapped_column(Integer)
    security_id: Mapped[str | None] = mapped_column(ForeignKey("securities.id"))
    held_fund_code: Mapped[str | None] = mapped_column(ForeignKey("funds.code"))
    weight: Mapped[float] = mapped_column(Float)  # fraction of NAV
    shares: Mapped[float | None] = mapped_column(Float)  # units held (股/张), when the vendor gives them
    market_value: Mapped[float | None] = mapped_column(Float)  # yuan (vendors' 万元 converted on import)
    __table_args__ = (
        CheckConstraint("disclosure in ('top10','full')", name="ck_holding_disclosure"),
        CheckConstraint(
            "(security_id IS NULL) <> (held_fund_code IS NULL)", name="ck_holding_one_target"
        ),
        Index("ix_holdings_fund_date", "fund_code", "report_date", "disclosure"),
    )


class FundAssetAllocation(Base):
    """Quarterly asset mix as fractions of NAV (report section 5.1)."""

    __tablename__ = "fund_asset_allocation"
    fund_code: Mapped[str] = mapped_column(ForeignKey("funds.code"), primary_key=True)
    report_date: Mapped[date] = mapped_column(Date, primary_key=True)
    published_on: Mapped[date] = mapped_column(Date)
    stock: Mapped[float] = mapped_column(Float)
    bond: Mapped[float] = mapped_column(Float)
    fund: Mapped[float] = mapped_column(Float)  # FOF / feeder holdings of other funds
    cash: Mapped[float] = mapped_column(Float)
    other: Mapped[float] = mapped_column(Float)


class SecurityIndustry(Base):
    """A security's place in an industry classification (Shenwan 2021: all three levels). The level-1
    code is also ``securities.industry_code``; a stock with no row here is *unclassified* (kept, counted
    in coverage, shown as 未分类)."""

    __tablename__ = "security_industries"
    security_id: Mapped[str] = mapped_column(ForeignKey("securities.id"), primary_key=True)
    system: Mapped[str] = mapped_column(String(8), primary_key=True)  # sw2021
    level1_code: Mapped[str] = mapped_column(ForeignKey("industries.code"))
    level1: Mapped[str] = mapped_column(String(32))
    level2: Mapped[str | None] = mapped_column(String(32))
    level3: Mapped[str | None] = mapped_column(String(32))
    vendor_code: Mapped[str | None] = mapped_column(String(16))  # e.g. SWS 行业代码 720902


class FundSectorAllocation(Base):
    """A fund's equity book by sector *as the report states it* (CSRC 证监会行业, report section 5.2).

    Kept apart from Shenwan look-through weights on purpose: a different classification system, and
    computed by the fund from its whole book, not from the disclosed top 10."""

    __tablename__ = "fund_sector_allocation"
    fund_code: Mapped[str] = mapped_column(ForeignKey("funds.code"), primary_key=True)
    report_date: Mapped[date] = mapped_column(Date, primary_key=True)
    system: Mapped[str] = mapped_column(String(8), primary_key=True)  # csrc
    sector: Mapped[str] = mapped_column(String(64), primary_key=True)  # 制造业
    published_on: Mapped[date] = mapped_column(Date)
    weight: Mapped[float] = mapped_column(Float)  # fraction of NAV
    market_value: Mapped[float | None] = mapped_column(Float)  # yuan


class IndexLevel(Base):
    """Daily index levels: CSI-300-like equity index, bond index, and the 31 Shenwan L1 industry indices."""

    __tablename__ = "index_levels"
    index_code: Mapped[str] = mapped_column(String(16), primary_key=True)  # "000300", "CBA00101", "801010"
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    level: Mapped[float] = mapped_column(Float)


class IndexWeight(Base):
    """Industry weights of an index at a date (fractions summing to 1)."""

    __tablename__ = "index_weights"
    index_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    industry_code: Mapped[str] = mapped_column(ForeignKey("industries.code"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)


# ============================================================================ client side


class RM(Base):
    __tablename__ = "rms"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # RM001
    name: Mapped[str] = mapped_column(String(32))
    branch: Mapped[str] = mapped_column(String(64))


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # C0001
    name: Mapped[str] = mapped_column(String(32))
    rm_id: Mapped[str] = mapped_column(ForeignKey("rms.id"), index=True)
    risk_level: Mapped[str] = mapped_column(String(2))  # C1..C5
    risk_assessed_on: Mapped[date] = mapped_column(Date)
    birth_date: Mapped[date] = mapped_column(Date)
    age: Mapped[int] = mapped_column(Integer)  # at the data set's as-of date
    gender: Mapped[str] = mapped_column(String(1))  # M | F
    occupation: Mapped[str] = mapped_column(String(32))
    life_stage: Mapped[str] = mapped_column(String(16))  # single | young_family | mature_family | pre_retirement | retired
    segment: Mapped[str] = mapped_column(String(16))  # mass | affluent | private
    annual_income: Mapped[float] = mapped_column(Float)
    monthly_expense: Mapped[float] = mapped_column(Float)
    # Encrypted at rest (AES-256-GCM, datastore/crypto.py); reads return the plain value.
    id_number: Mapped[str] = mapped_column(EncryptedString(128, purpose="clients.id_number"))  # GB 11643
    mobile: Mapped[str] = mapped_column(EncryptedString(128, purpose="clients.mobile"))
    __table_args__ = (CheckConstraint("risk_level in ('C1','C2','C3','C4','C5')", name="ck_client_risk"),)


class Product(Base):
    """The bank's shelf (and products it used to sell that clients still hold: status off_shelf)."""

    __tablename__ = "products"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)  # fund code, or "WM2026001", "TD3Y", "INS01"
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(12))  # fund | wmp (理财) | deposit | insurance
    fund_code: Mapped[str | None] = mapped_column(ForeignKey("funds.code"))
    asset_class: Mapped[str] = mapped_column(String(16))  # cash | fixed_income | equity | alternative | protection
    risk_level: Mapped[str] = mapped_column(String(2))  # R1..R5
    issuer: Mapped[str] = mapped_column(String(64))
    liquidity_days: Mapped[int] = mapped_column(Integer)  # days to cash on redemption; -1 = held to maturity
    min_amount: Mapped[float] = mapped_column(Float)
    expected_yield: Mapped[float | None] = mapped_column(Float)  # 业绩比较基准 / deposit rate, fraction per year
    issue_date: Mapped[date | None] = mapped_column(Date)
    maturity_date: Mapped[date | None] = mapped_column(Date)
    term_days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # on_shelf | off_shelf
    __table_args__ = (
        CheckConstraint("kind in ('fund','wmp','deposit','insurance')", name="ck_product_kind"),
        CheckConstraint("risk_level in ('R1','R2','R3','R4','R5')", name="ck_product_risk"),
    )


class Transaction(Base):
    """A client's cash event. ``amount`` is the gross cash amount in yuan (always ≥ 0);
    buy: cash paid incl. fee; sell: cash received net of fee; dividend: cash received; fee: cash paid."""

    __tablename__ = "transactions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), index=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))
    date: Mapped[date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(String(8))  # buy | sell | dividend | fee
    amount: Mapped[float] = mapped_column(Float)
    shares: Mapped[float] = mapped_column(Float, default=0.0)  # units bought/sold (funds); principal units for others
    price: Mapped[float | None] = mapped_column(Float)  # NAV used
    fee: Mapped[float] = mapped_column(Float, default=0.0)
    __table_args__ = (
        CheckConstraint("type in ('buy','sell','dividend','fee')", name="ck_txn_type"),
        CheckConstraint("amount >= 0", name="ck_txn_amount"),
    )


class Position(Base):
    """Derived from transactions by ``wealthdesk init`` (never edited by hand)."""

    __tablename__ = "positions"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"), primary_key=True)
    shares: Mapped[float] = mapped_column(Float)
    cost: Mapped[float] = mapped_column(Float)  # remaining cost basis, yuan (average-cost method)
    first_buy: Mapped[date] = mapped_column(Date)
    as_of: Mapped[date] = mapped_column(Date)


class ClientCash(Base):
    """Idle balance in the client's current account (活期), for idle-cash and liquidity-pot analysis."""

    __tablename__ = "client_cash"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    balance: Mapped[float] = mapped_column(Float)


# ============================================================================ corporate side


class Corporate(Base):
    __tablename__ = "corporates"
    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # E001
    name: Mapped[str] = mapped_column(String(128), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码 (GB 32100)
    legal_rep: Mapped[str] = mapped_column(String(32))
    registered_capital: Mapped[float] = mapped_column(Float)  # yuan
    founded: Mapped[date] = mapped_column(Date)
    industry_code: Mapped[str] = mapped_column(ForeignKey("industries.code"))
    status: Mapped[str] = mapped_column(String(16))  # 存续 | 在业 | 吊销 | 注销
    address: Mapped[str] = mapped_column(String(128))
    business_scope: Mapped[str] = mapped_column(Text)
    listed: Mapped[bool] = mapped_column(Boolean, default=False)


class CorporateShareholder(Base):
    __tablename__ = "corporate_shareholders"
    corporate_id: Mapped[str] = mapped_column(ForeignKey("corporates.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # person | company | state
    share: Mapped[float] = mapped_column(Float)  # fraction
    pledged_share: Mapped[float] = mapped_column(Float, default=0.0)  # fraction of their stake pledged


class CorporateFinancial(Base):
    """One fiscal year of the three statements, yuan. NULL means not reported (never 0 for missing)."""

    __tablename__ = "corporate_financials"
    corporate_id: Mapped[str] = mapped_column(ForeignKey("corporates.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    # income statement
    revenue: Mapped[float | None] = mapped_column(Float)
    cogs: Mapped[float | None] = mapped_column(Float)
    selling_expense: Mapped[float | None] = mapped_column(Float)
    admin_expense: Mapped[float | None] = mapped_column(Float)
    rd_expense: Mapped[float | None] = mapped_column(Float)
    interest_expense: Mapped[float | None] = mapped_column(Float)
    operating_profit: Mapped[float | None] = mapped_column(Float)
    total_profit: Mapped[float | None] = mapped_column(Float)
    income_tax: Mapped[float | None] = mapped_column(Float)
    net_profit: Mapped[float | None] = mapped_column(Float)
    # balance sheet (year end)
    cash: Mapped[float | None] = mapped_column(Float)
    receivables: Mapped[float | None] = mapped_column(Float)
    inventory: Mapped[float | None] = mapped_column(Float)
    current_assets: Mapped[float | None] = mapped_column(Float)
    fixed_assets: Mapped[float | None] = mapped_column(Float)
    total_assets: Mapped[float | None] = mapped_column(Float)
    short_term_debt: Mapped[float | None] = mapped_column(Float)
    payables: Mapped[float | None] = mapped_column(Float)
    current_liabilities: Mapped[float | None] = mapped_column(Float)
    long_term_debt: Mapped[float | None] = mapped_column(Float)
    total_liabilities: Mapped[float | None] = mapped_column(Float)
    equity: Mapped[float | None] = mapped_column(Float)
    # cash-flow statement
    cfo: Mapped[float | None] = mapped_column(Float)  # operating
    cfi: Mapped[float | None] = mapped_column(Float)  # investing
    cff: Mapped[float | None] = mapped_column(Float)  # financing
    capex: Mapped[float | None] = mapped_column(Float)
    depreciation: Mapped[float | None] = mapped_column(Float)
    taxes_paid: Mapped[float | None] = mapped_column(Float)
    principal_due_next_year: Mapped[float | None] = mapped_column(Float)


class CorporateRiskEvent(Base):
    __tablename__ = "corporate_risk_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    corporate_id: Mapped[str] = mapped_column(ForeignKey("corporates.id"), index=True)
    date: Mapped[date] = mapped_column(Date)
    # lawsuit | penalty | enforcement | dishonest | pledge | abnormal
    kind: Mapped[str] = mapped_column(String(16))
    role: Mapped[str | None] = mapped_column(String(16))  # defendant | plaintiff (lawsuits)
    amount: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # open | closed


class CorporateCredit(Base):
    __tablename__ = "corporate_credit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    corporate_id: Mapped[str] = mapped_column(ForeignKey("corporates.id"), index=True)
    lender: Mapped[str] = mapped_column(String(64))
    facility_type: Mapped[str] = mapped_column(String(32))  # 流动资金贷款, 银行承兑汇票, 固定资产贷款 …
    limit_amount: Mapped[float] = mapped_column(Float)
    balance: Mapped[float] = mapped_column(Float)
    start_date: Mapped[date] = mapped_column(Date)
    maturity_date: Mapped[date] = mapped_column(Date)
    overdue_days: Mapped[int] = mapped_column(Integer, default=0)  # current
    max_overdue_days_24m: Mapped[int] = mapped_column(Integer, default=0)
    classification: Mapped[str] = mapped_column(String(8))  # 正常 | 关注 | 次级 | 可疑 | 损失
    guarantee: Mapped[str | None] = mapped_column(String(64))  # 信用 | 保证 | 抵押 | 质押 (+ guarantor)


# ============================================================================ app side


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # RM001 or an admin name
    role: Mapped[str] = mapped_column(String(16))  # rm | admin | client_channel
    rm_id: Mapped[str | None] = mapped_column(ForeignKey("rms.id"))
    wecom_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ApiKey(Base):
    """API keys are stored as SHA-256 hashes; the plain key is shown once at creation."""

    __tablename__ = "api_keys"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to tell keys apart in logs
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)  # None = no expiry


class ChatSession(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. {"client_id": "C0001"} for follow-ups


class ChatMessage(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))  # user | assistant | tool
    content: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)  # serialized LangChain message
    created_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_message_seq"),)


class ReportJob(Base):
    __tablename__ = "reports"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    type: Mapped[str] = mapped_column(String(16))  # proposal | due_diligence
    params: Mapped[dict] = mapped_column(JSON)
    request_key: Mapped[str] = mapped_column(String(64), index=True)  # idempotency key or params digest
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued | running | done | failed | cancelled
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    file_path: Mapped[str | None] = mapped_column(String(512))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    facts: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Lease: the instance running the job renews lease_expires_at; an expired lease makes it claimable again.
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int | None] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)  # last claim (fair scheduling looks at it)


class AuditLog(Base):
    """Append-only: repositories expose insert and select, never update or delete."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(32))  # user id, "client-channel", "system"
    tool: Mapped[str] = mapped_column(String(64))
    args_digest: Mapped[str] = mapped_column(String(64))
    result_digest: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # ok | forbidden | error | denied
    prev_hash: Mapped[str] = mapped_column(String(64))  # the previous row's ``mac`` (GENESIS for the first)
    # HMAC-SHA256 (WEALTHDESK_AUDIT_KEY) over this row's fields and prev_hash: an edit, or a chain
    # recomputed without the key, no longer matches. NULL only on rows written before the keyed chain.
    mac: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(128))  # what the event acted on: a job id, a user id, a file
    detail: Mapped[dict | None] = mapped_column(JSON)  # small non-personal facts (counts, roles, file hashes)


class AuditCheckpoint(Base):
    """Signed checkpoints of the audit chain: (rows so far, last row id, its mac) under an HMAC.

    ``kind='head'`` is one row (id 0) rewritten in the same transaction as every append, so deleting the
    last rows is detected; ``kind='periodic'`` rows are appended every N rows and at each ``audit verify``
    and never changed, so rolling the head back to an old copy is detected too.
    """

    __tablename__ = "audit_checkpoints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(8))  # head | periodic
    at: Mapped[datetime] = mapped_column(DateTime)
    row_count: Mapped[int] = mapped_column(Integer)
    last_id: Mapped[int] = mapped_column(Integer)
    last_mac: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class KbDocument(Base):
    """Registry of ingested knowledge documents: who ingested which version, and its approval.

    A client-audience document is served to clients (FAQ, client channel, audience=client search) only
    while ``approved_hash`` equals ``file_hash``: a changed file needs a new approval.
    """

    __tablename__ = "kb_documents"
    source: Mapped[str] = mapped_column(String(512), primary_key=True)  # the store's source key
    store: Mapped[str] = mapped_column(String(512), primary_key=True)  # resolved store directory
    title: Mapped[str] = mapped_column(String(256))
    audience: Mapped[str] = mapped_column(String(16))  # client | internal
    doc_type: Mapped[str] = mapped_column(String(16))
    file_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the file bytes
    path: Mapped[str] = mapped_column(String(1024))  # absolute path it was read from
    ingested_by: Mapped[str] = mapped_column(String(32))
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12))  # pending | approved | blocked | internal | removed
    approved_hash: Mapped[str | None] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(32))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    screen_hits: Mapped[list | None] = mapped_column(JSON)  # passages blocked by the content screen


class ChannelMessage(Base):
    """Inbound channel message ids, to deduplicate WeCom's retries."""

    __tablename__ = "channel_messages"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    msg_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class ChannelOutbox(Base):
    """Replies waiting to be sent to a channel: stored first, sent by a worker with retries, marked delivered.

    One row per WeCom message (a long answer is several text rows, in ``id`` order per recipient).
    """

    __tablename__ = "channel_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    msg_id: Mapped[str | None] = mapped_column(String(64))  # the inbound message this answers (for tracing)
    to_user: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # text | file
    payload: Mapped[str] = mapped_column(Text)  # the text, or the file path
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending | sending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)


class Meta(Base):
    """Key/value facts about the loaded data (e.g. sample data set digest, as-of date)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ============================================================================ nightly batch results


class BatchRun(Base):
    """One ``wealthdesk batch`` run written back with ``--write-db`` (its ``run_summary.json``)."""

    __tablename__ = "batch_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_date: Mapped[date] = mapped_column(Date, index=True)  # the data's as-of date
    kind: Mapped[str] = mapped_column(String(16))  # book-scan | lookthrough | reports
    engine: Mapped[str] = mapped_column(String(8))  # local | spark
    finished_at: Mapped[datetime] = mapped_column(DateTime)
    clients: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict] = mapped_column(JSON)


class BatchFinding(Base):
    """Book-scan findings of a run date (replaced per run date and RM, so reruns are idempotent)."""

    __tablename__ = "batch_findings"
    run_date: Mapped[date] = mapped_column(Date, primary_key=True)
    rm_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # order within the RM (rule, severity)
    client_id: Mapped[str] = mapped_column(String(16), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    figure: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(8))  # fraction | yuan | days
    product_code: Mapped[str | None] = mapped_column(String(16))
    detail_date: Mapped[date | None] = mapped_column(Date)
    reason_args: Mapped[dict] = mapped_column(JSON)


class BatchExposure(Base):
    """Client look-through lines of a run date: asset class, industry and top-N security weights."""

    __tablename__ = "batch_exposures"
    run_date: Mapped[date] = mapped_column(Date, primary_key=True)
    rm_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(16), index=True)
    level: Mapped[str] = mapped_column(String(12))  # asset_class | industry | security
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    weight: Mapped[float] = mapped_column(Float)  # share of the client's assets
    share_of_equity: Mapped[float | None] = mapped_column(Float)
    coverage: Mapped[float] = mapped_column(Float)
    disclosure_as_of: Mapped[date | None] = mapped_column(Date)


class BatchReport(Base):
    """Annual wealth reports of a run date: one row per client (rendered | skipped | failed)."""

    __tablename__ = "batch_reports"
    run_date: Mapped[date] = mapped_column(Date, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    rm_id: Mapped[str] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(10))
    path: Mapped[str | None] = mapped_column(String(512))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
