"""Engines of the nightly batch (``wealthdesk batch``): the local in-process engine and the PySpark engine
run the same per-RM partition functions of ``services.batch``. pyspark is imported only here (and only
when ``--engine spark`` is asked for): ``pip install -e '.[spark]'`` plus a JDK 17+."""
