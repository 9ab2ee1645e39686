"""Batch fixtures: one SparkSession per test session (local[2], no UI, loopback only), skipped with the
reason when pyspark or java is missing; a small synthetic bank as Parquet; a scratch copy of the sample DB."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))  # synthetic_bank / bench_analytics generators


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("pyspark is not installed: pip install -e '.[spark]' to run the Spark engine tests")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH: the Spark engine tests need a JDK 17+ (apt-get install openjdk-17-jre-headless)")
    from assistant.batch.spark import spark_session

    session = spark_session("local[2]", driver_memory="1g", app="wealthdesk-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic bank: 900 clients, 3 RMs of 300, 40 funds (Parquet, canonical columns)."""
    from synthetic_bank import write_bank

    return write_bank(tmp_path_factory.mktemp("bank"), 900, n_funds=40, clients_per_rm=300)


@pytest.fixture
def scratch_db(sample_db_path: Path, tmp_path: Path) -> str:
    """A writable copy of the sample database (for --write-db and reports)."""
    dst = tmp_path / "scratch.db"
    with sqlite3.connect(sample_db_path) as src, sqlite3.connect(dst) as out:
        src.backup(out)
    return f"sqlite:///{dst}"
