"""The PySpark engine: ``groupBy("rm_id").applyInPandas(run_partition, schema)`` with the shared context
(fund exposures, shelf, policy) broadcast once to the executors.

The partition frame is either built in Spark from a bank's Parquet tables (``partition_frame``: clients
with their idle cash, positions tagged with their client's RM, one union) or sent from the driver
(database input). Results are persisted once, the small per-partition rows are collected for the run
summary, and the output rows are written by Spark as a Parquet directory (``findings.parquet/part-*``),
so no bank-sized result passes through the driver.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import ConfigurationError
from services.batch import schema
from services.batch.context import BatchContext
from services.batch.partition import run_partition

try:  # the optional extra: pip install -e '.[spark]'
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError:  # pragma: no cover - exercised only without the extra
    SparkSession = None  # type: ignore[assignment,misc]



def _require() -> None:
    if SparkSession is None:
        raise ConfigurationError("--engine spark needs PySpark", hint="pip install -e '.[spark]' (and a JDK 17+)")


def struct(cols: schema.Columns) -> Any:
    _require()
    kinds = {"string": T.StringType(), "double": T.DoubleType(), "long": T.LongType(), "date": T.DateType()}
    return T.StructType([T.StructField(c, kinds[t], True) for c, t in cols.items()])


def spark_session(master: str = "local[2]", *, app: str = "wealthdesk-batch", driver_memory: str = "1g",
                  shuffle_partitions: int = 4) -> Any:
    """A SparkSession (reused when one is running). Local masters bind to 127.0.0.1 and run no UI: the
    batch must work on an air-gapped machine. Executors run this interpreter (same venv)."""
    _require()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    b = (SparkSession.builder.master(master).appName(app)
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
         .config("spark.driver.memory", driver_memory)
         .config("spark.sql.execution.arrow.pyspark.enabled", "true")
         .config("spark.sql.session.timeZone", "UTC"))
    if master.startswith("local"):
        b = b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    try:
        spark = b.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - no JVM, no java on PATH, bad master URL
        raise ConfigurationError(f"cannot start Spark ({master}): {str(exc).splitlines()[0][:300]}",
                                 field="--master", hint="install a JDK 17+ (java -version) or check the master URL") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _conformed(df: Any, cols: schema.Columns) -> Any:
    kinds = {"string": "string", "double": "double", "long": "bigint", "date": "date"}
    return df.select(*[(F.col(c) if c in df.columns else F.lit(None)).cast(kinds[t]).alias(c)
                       for c, t in cols.items()])


def partition_frame(clients: Any, positions: Any, cash: Any | None, rm_ids: list[str] | None) -> Any:
    """The partition frame (``schema.PARTITION``) built in Spark from the bank's tables: client rows with
    their summed idle cash, position rows carrying the client's ``rm_id`` (null for a position whose client
    is missing: that group fails and is reported). ``rm_ids`` None = every RM."""
    cl = clients.withColumnRenamed("id", "client_id")
    if cash is not None:
        bal = cash.groupBy("client_id").agg(F.sum(F.col("balance").cast("double")).alias("cash"))
        cl = cl.join(bal, "client_id", "left")
    cl = cl.withColumn("cash", F.coalesce(F.col("cash") if "cash" in cl.columns else F.lit(None), F.lit(0.0)))
    cl = cl.withColumn("row_type", F.lit("client"))
    pos = (positions.join(cl.select("client_id", "rm_id"), "client_id", "left")
           .withColumn("row_type", F.lit("position")))
    frame = _conformed(cl, schema.PARTITION).unionByName(_conformed(pos, schema.PARTITION))
    return frame.filter(F.col("rm_id").isin(rm_ids)) if rm_ids is not None else frame


def from_pandas(spark: Any, frame: pd.DataFrame) -> Any:
    """A driver-side partition frame (database input) as a Spark DataFrame."""
    pdf = schema.conform(frame, schema.PARTITION)
    return spark.createDataFrame(pdf.astype(object).where(pdf.notna(), None), schema=struct(schema.PARTITION))


def run_spark(spark: Any, kind: str, frame: Any, ctx: BatchContext, out: Path) -> tuple[pd.DataFrame, int]:
    """Run ``kind`` over the Spark partition frame; write the output rows under ``out`` (a Parquet
    directory) and return (partition rows as pandas, number of output rows)."""
    bc = spark.sparkContext.broadcast(ctx)  # exposures etc. shipped once per executor, not per task

    def fn(pdf: pd.DataFrame) -> pd.DataFrame:
        return run_partition(kind, pdf, bc.value)

    res = frame.groupBy("rm_id").applyInPandas(fn, schema=struct(schema.result_columns(kind)))
    res = res.persist()  # computed once: read for the partition rows, then for the output
    try:
        stats = res.filter(F.col("record") == "partition").select("rm_id", *schema.STATS).toPandas()
        rows = res.filter(F.col("record") == "row").select(*schema.OUTPUTS[kind])
        from assistant.batch.io import clear

        clear(out)
        rows.orderBy("rm_id", "seq").write.mode("overwrite").parquet(str(out))
        n = int(stats["part_rows"].fillna(0).sum())
    finally:
        res.unpersist()
        bc.unpersist()
    return schema.conform(stats, {"rm_id": "string", **schema.STATS}), n


def read_tables(spark: Any, root: Path, names: tuple[str, ...]) -> dict[str, Any]:
    """Spark DataFrames of the bank's book tables (absent optional tables are skipped)."""
    from assistant.batch.io import table_path

    out = {}
    for name in names:
        p = table_path(root, name)
        if p is not None:
            out[name] = spark.read.parquet(str(p))
    return out
