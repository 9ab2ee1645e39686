"""A tiny database for agent tests (two RMs, three clients, two funds, one company) and offline settings.

The full sample data set (``sample_engine``) is not needed to test planning, access, audit and memory.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assistant.settings import Settings
from datastore.engine import create_schema, get_engine
from datastore.schema import RM, Client, Corporate, Fund, FundCompany, FundManager, Industry, Meta

CLIENTS = [("C0001", "张伟", "RM001"), ("C0002", "李娜", "RM001"), ("C0003", "王芳", "RM002")]
FUNDS = [("110011", "易方达优质精选混合A", "E Fund Quality Select Hybrid A"),
         ("000001", "华夏成长混合", "ChinaAMC Growth Hybrid")]


def _client(cid: str, name: str, rm: str) -> Client:
    return Client(id=cid, name=name, rm_id=rm, risk_level="C3", risk_assessed_on=date(2026, 1, 5),
                  birth_date=date(1975, 3, 1), age=51, gender="M", occupation="engineer",
                  life_stage="mature_family", segment="affluent", annual_income=600000.0, monthly_expense=20000.0,
                  id_number="11010519491231002X", mobile="13812345678")


@pytest.fixture(scope="session")
def mini_engine(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("agentdb") / "mini.db"
    engine = get_engine(f"sqlite:///{path}")
    create_schema(engine)
    with Session(engine) as s, s.begin():
        s.add(Meta(key="as_of", value="2026-11-20"))  # every initialised database has its as-of date
        s.add_all([RM(id="RM001", name="赵敏", branch="上海分行"), RM(id="RM002", name="钱进", branch="北京分行")])
        s.add(Industry(code="801890", name="机械设备", name_en="Machinery"))
        s.add(FundCompany(id="FC01", name="示例基金管理有限公司", name_en="Example AMC", founded=date(2001, 1, 1),
                          aum=1e11))
        s.add(FundManager(id="M001", name="周明", company_id="FC01", career_start=date(2010, 1, 1), education="硕士"))
        s.flush()
        s.add_all([_client(*c) for c in CLIENTS])
        for code, name, name_en in FUNDS:
            s.add(Fund(code=code, name=name, name_en=name_en, type="hybrid", manager_id="M001", company_id="FC01",
                       benchmark="沪深300*60%+中债*40%", management_fee=0.012, custody_fee=0.002,
                       subscription_fee=0.015, redemption_fee=0.005, risk_level="R3",
                       inception_date=date(2010, 1, 1), size=5e9))
        s.add(Corporate(id="E001", name="华东精密机械有限公司", credit_code="91310000MA1FL0XX11", legal_rep="孙强",
                        registered_capital=5e7, founded=date(2005, 5, 5), industry_code="801890", status="存续",
                        address="上海市", business_scope="机械制造"))
    return engine


@pytest.fixture()
def offline_settings(tmp_path: Path) -> Settings:
    return Settings(var_dir=tmp_path, llm_mode="offline", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(autouse=True)
def _never_a_real_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Agent tests may only reach a model on loopback (the fake server); anything else fails loudly."""
    import assistant.agent as agent_mod
    from assistant.pii import is_loopback_url

    real = agent_mod.build_model

    def guarded(settings, **kwargs):  # type: ignore[no-untyped-def]
        if settings.effective_llm_mode == "openai" and not is_loopback_url(settings.llm_base_url):
            raise RuntimeError(f"tests must not call a real LLM ({settings.llm_base_url})")
        return real(settings, **kwargs)

    monkeypatch.setattr(agent_mod, "build_model", guarded)



@pytest.fixture(scope="module")
def settings(sample_settings):  # type: ignore[no-untyped-def]
    """Offline settings on the full sample book (the planner's understanding tests)."""
    return sample_settings.model_copy(update={"llm_mode": "offline"})


@pytest.fixture(scope="module")
def lex(sample_engine):  # type: ignore[no-untyped-def]
    """RM001's lexicon on the full sample book."""
    from assistant.offline.lexicon import load_lexicon
    from tests.agent.dialogue import RM

    return load_lexicon(sample_engine, RM)
