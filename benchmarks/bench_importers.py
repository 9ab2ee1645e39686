"""Market-data importers: 5,000 securities (Shenwan 2021 list) and 10,000 holding lines (1,000 funds ×
10, eastmoney JSON) from synthetic files in a temp dir, into a fresh SQLite database.

Target (issue 14): both imports together ≤ 5 s on a 2-core machine. Prints figures; no assertions.

    .venv/bin/python benchmarks/bench_importers.py [--securities 5000] [--funds 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from datastore.engine import create_schema, get_engine
from datastore.importers.fund_list import import_fund_list
from datastore.importers.holdings import import_holdings
from datastore.importers.shenwan import SW2021_L1, import_sw2021
from datastore.repositories.meta import set_meta


def _codes(n: int) -> list[str]:
    prefixes = ("600", "601", "603", "000", "002", "300", "688")
    out: list[str] = []
    for i in range(n):
        p = prefixes[i % len(prefixes)]
        out.append(f"{p}{i // len(prefixes):03d}" if len(p) == 3 else p)
    return out


def write_files(d: Path, n_secs: int, n_funds: int, seed: int = 7) -> tuple[Path, Path, Path]:
    rnd = random.Random(seed)
    codes = _codes(n_secs)
    l1 = list(SW2021_L1)
    sw = d / "sw.csv"
    with sw.open("w", encoding="utf-8") as fh:
        fh.write("交易所,行业代码,股票代码,公司简称,新版一级行业,新版二级行业,新版三级行业\n")
        for k, c in enumerate(codes):
            suffix = "SH" if c[0] == "6" else "SZ"
            ind = l1[k % len(l1)]
            fh.write(f"A股,{100000 + k % 900},{c}.{suffix},公司{k},{ind},{ind}Ⅱ,{ind}Ⅲ\n")
    fl = d / "funds.csv"
    fl.write_text("".join(f'"{900000 + i:06d}","HH{i}","合成混合{i}","混合型","HEHE{i}"\n' for i in range(n_funds)),
                  encoding="utf-8")
    data = []
    for i in range(n_funds):
        picks = rnd.sample(codes, 10)
        ws = sorted((rnd.uniform(1, 9) for _ in picks), reverse=True)
        data.append({"fund_code": f"{900000 + i:06d}", "fund_name": f"合成混合{i}",
                     "holdings": [{"stock_code": c, "stock_name": f"公司{c}", "weight_pct_of_nav": f"{w:.2f}%"}
                                  for c, w in zip(picks, ws, strict=True)],
                     "stockDistribution": [{"name": "制造业", "value": f"{sum(ws):.2f}"}]})
    js = d / "holdings.json"
    js.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return sw, fl, js


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--securities", type=int, default=5000)
    ap.add_argument("--funds", type=int, default=1000, help="10 holding lines each")
    args = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix="wd-bench-imp-"))
    sw, fl, js = write_files(d, args.securities, args.funds)
    engine = get_engine(f"sqlite:///{d / 'bench.db'}")
    create_schema(engine)
    with engine.begin() as conn:
        set_meta(conn, {"as_of": "2026-11-20"})
    t0 = time.perf_counter()
    r_sw = import_sw2021(engine, sw)
    t1 = time.perf_counter()
    r_fl = import_fund_list(engine, fl)
    t2 = time.perf_counter()
    r_h = import_holdings(engine, str(js), "eastmoney-json", report_date=date(2025, 6, 30))
    t3 = time.perf_counter()
    r_again = import_holdings(engine, str(js), "eastmoney-json", report_date=date(2025, 6, 30))  # replaces
    t4 = time.perf_counter()
    print(f"securities (sw2021):   {r_sw['stocks']:>6,} rows  {t1 - t0:6.2f} s")
    print(f"fund list:             {r_fl['funds']:>6,} rows  {t2 - t1:6.2f} s")
    print(f"holdings (first time): {r_h['lines']:>6,} rows  {t3 - t2:6.2f} s  (+{r_h['sector_lines']:,} CSRC lines)")
    print(f"holdings (re-import):  {r_again['lines']:>6,} rows  {t4 - t3:6.2f} s")
    total = (t1 - t0) + (t3 - t2)
    print(f"5,000 securities + 10,000 holding lines: {total:.2f} s (target ≤ 5 s) — "
          f"{'OK' if total <= 5 else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
