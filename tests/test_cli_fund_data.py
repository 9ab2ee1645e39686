"""Real fund data through the CLI: fund list, Shenwan list, top-10 disclosures → `lookthrough --fund`; a
client created with `data import-bank` holding two of those funds → `lookthrough --client` with coverage
and dates; the CSI 300 series → a benchmark comparison from the stored levels."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from analytics.identifiers import id_check_digit
from assistant.cli import app
from assistant.cli.common import run_app
from assistant.settings import Settings
from tests.test_cli_data import settings_copy  # noqa: F401 - fixture: a private copy of the sample DB

ID = "11010519850315123" + id_check_digit("11010519850315123")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = run_app(app, list(args))
    out = capsys.readouterr()
    return rc, out.out, " ".join(out.err.split())


def _nav_file(tmp_path: Path, code: str, unit: float) -> Path:
    p = tmp_path / f"{code}.csv"
    p.write_text("净值日期,单位净值,累计净值,日增长率\n" + "".join(
        f"2026-11-{d},{unit + (d - 16) * 0.01:.4f},{unit + (d - 16) * 0.01:.4f},\n" for d in range(16, 21)), encoding="utf-8")
    return p


def test_client_holding_two_real_funds(settings_copy: Settings, realdata: Path, tmp_path: Path,  # noqa: F811
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "data", "import-funds", str(realdata / "fund_nav_piginzoo" / "fund_list_eastmoney.csv"))[0] == 0
    assert _run(capsys, "data", "import-industries", str(realdata / "sw_industry_zhangrongluo" / "sw_stock_list.csv"),
                "--format", "sw2021")[0] == 0
    rc, out, err = _run(capsys, "data", "import-holdings", str(realdata / "fund_holdings_s209392599" / "top10_holdings_2025.json"),
                        "--format", "eastmoney-json", "--report-date", "2025-06-30", "--create-funds", "--json")
    assert rc == 0, err
    assert json.loads(out)["lines"] == 91
    for code, unit in (("022365", 1.8), ("008327", 2.1)):
        assert _run(capsys, "data", "import-nav", str(_nav_file(tmp_path, code, unit)))[0] == 0
    products = tmp_path / "products.csv"
    products.write_text("产品代码,产品名称,产品类型,风险等级,发行机构\n022365,永赢科技智选混合发起C,基金,R4,永赢基金\n"
                        "008327,东财中证通信C,基金,R4,东财基金\n", encoding="utf-8")
    assert _run(capsys, "data", "import-bank", str(products), "--kind", "products")[0] == 0
    clients = tmp_path / "clients.csv"
    clients.write_text("客户号,客户姓名,客户经理,风险等级,风评日期,出生日期,性别,证件号码,手机号\n"
                       f"B0301,测试丙,RM001,C4,2026-06-01,1985-03-15,男,{ID},13800000009\n", encoding="utf-8")
    assert _run(capsys, "data", "import-bank", str(clients), "--kind", "clients")[0] == 0
    tx = tmp_path / "tx.csv"
    tx.write_text("客户号,产品代码,交易日期,交易类型,确认金额,确认份额,成交净值\n"
                  "B0301,022365,2026-11-18,申购,182000,100000,1.82\nB0301,008327,2026-11-18,申购,106000,50000,2.12\n",
                  encoding="utf-8")
    assert _run(capsys, "data", "import-bank", str(tx), "--kind", "transactions")[0] == 0

    rc, out, err = _run(capsys, "lookthrough", "--client", "B0301", "--as", "RM001", "--json")
    assert rc == 0, err
    lt = json.loads(out)
    lines = {ln["product_code"]: ln for ln in lt["lines"]}
    assert lines["022365"]["coverage"] == pytest.approx(0.8224) and lines["008327"]["coverage"] == pytest.approx(0.5281)
    for code in ("022365", "008327"):
        assert lines[code]["disclosure_as_of"] == "2025-06-30" and lines[code]["method"] == "top10"
    v = {c: lines[c]["market_value"] for c in lines}
    expected = (v["022365"] * 0.8224 + v["008327"] * 0.5281) / sum(v.values())
    assert lt["coverage"] == pytest.approx(expected) and lt["coverage"] + lt["uncovered"] == pytest.approx(1.0)
    assert {h["security_id"] for h in lt["top_holdings"]} >= {"300502.SZ", "300308.SZ"}  # held by both
    assert {i["name"] for i in lt["industries"]} >= {"通信", "电子"}
    assert all(i["disclosure_as_of"] == "2025-06-30" for i in lt["industries"])
    assert _run(capsys, "lookthrough", "--client", "B0301", "--as", "RM002")[0] == 3  # not RM002's client

    rc, out, _ = _run(capsys, "lookthrough", "--fund", "008327", "--json")
    ft = json.loads(out)
    assert rc == 0 and ft["coverage"] == pytest.approx(0.5281) and ft["published_on"] == "2025-07-21"
    assert sum(i["weight"] for i in ft["industries"]) == pytest.approx(ft["coverage"])
    rc, out, _ = _run(capsys, "lookthrough", "--fund", "008327")
    assert rc == 0 and "穿透覆盖 53% 的净值" in out and "证监会行业" in " ".join(out.split())
    assert _run(capsys, "lookthrough", "--fund", "008327", "--as-of", "2025-07-01", "--json")[0] == 0
    rc, _, err = _run(capsys, "lookthrough", "--fund", "999998")
    assert rc == 2 and "999998" in err  # NotFound is bad input
    assert _run(capsys, "lookthrough", "--fund", "008327", "--client", "B0301")[0] == 2  # one or the other


def test_csi300_benchmark_comparison(realdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from datastore.engine import create_schema, get_engine
    from datastore.repositories.meta import set_meta

    s = Settings(var_dir=tmp_path / "var", _env_file=None)  # type: ignore[call-arg]
    monkeypatch.setattr("assistant.cli.common.get_settings", lambda: s)
    e = get_engine(s.resolved_database_url)
    create_schema(e)
    with e.begin() as conn:
        set_meta(conn, {"as_of": "2021-05-31"})
    index = realdata / "fund_nav_piginzoo" / "index_000300.XSHG.csv"
    rc, out, err = _run(capsys, "data", "import-index", str(index), "--code", "000300", "--format", "jqdata", "--json")
    assert rc == 0, err
    assert json.loads(out)["rows"] == 3917
    nav = realdata / "fund_nav_piginzoo" / "000001.csv"
    rc, out, err = _run(capsys, "metrics", "--nav", str(nav), "--benchmark-index", "000300", "--json")
    assert rc == 0, err
    m = json.loads(out)
    with index.open(encoding="utf-8") as fh:  # expected figure straight from the vendor file
        levels = {r["date"]: float(r["close"]) for r in csv.DictReader(fh)}
    start, end = m["start"], m["end"]
    expected = levels[max(d for d in levels if d <= end)] / levels[max(d for d in levels if d <= start)] - 1
    assert m["benchmark_return"] == pytest.approx(expected, rel=1e-12)
    assert m["excess_return"] == pytest.approx(m["cumulative_return"] - expected)
    assert 0.3 < m["beta"] < 1.2 and m["tracking_error"] > 0  # an equity-heavy hybrid fund vs CSI 300
    assert (start, end) == ("2008-05-19", "2021-04-20")
    assert date.fromisoformat(end) <= date(2021, 5, 31)
    rc, _, err = _run(capsys, "metrics", "--nav", str(nav), "--benchmark-index", "CBA00101")
    assert rc == 2 and "import-index" in err


def test_malformed_files_exit_2_with_the_line(settings_copy: Settings, tmp_path: Path,  # noqa: F811
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "h.csv"
    bad.write_text("序号,股票代码,股票名称,占净值比例,季度\n1,600519,茅台,9.5,2025年1季度股票投资明细\n"
                   "2,600036,招行,abc,2025年1季度股票投资明细\n", encoding="utf-8")
    rc, _, err = _run(capsys, "data", "import-holdings", str(bad), "--format", "akshare-stock", "--code", "001101")
    assert rc == 2 and "line 3" in err and "占净值比例" in err
    assert _run(capsys, "data", "import-holdings", str(bad), "--format", "wind")[0] == 2
    sw = tmp_path / "sw.csv"
    sw.write_text("交易所,行业代码,股票代码,公司简称,新版一级行业\nA股,1,600519.SH,茅台,白酒\n", encoding="utf-8")
    rc, _, err = _run(capsys, "data", "import-industries", str(sw))
    assert rc == 2 and "line 2" in err and "新版一级行业" in err
    idx = tmp_path / "i.csv"
    idx.write_text("date,close\n2026-11-19,4000\n2026-11-20,x\n", encoding="utf-8")
    rc, _, err = _run(capsys, "data", "import-index", str(idx), "--code", "000300", "--format", "jqdata")
    assert rc == 2 and "line 3" in err
    fl = tmp_path / "f.csv"
    fl.write_text('"0001","A","B","混合型","C"\n', encoding="utf-8")
    rc, _, err = _run(capsys, "data", "import-funds", str(fl))
    assert rc == 2 and "line 1" in err


def test_imported_csi300_serves_the_benchmark_service(realdata: Path, tmp_path: Path) -> None:
    """The benchmark-comparison use case (services.benchmark) on the imported real CSI 300 levels."""
    from core.identity import Caller
    from datastore.engine import create_schema, get_engine
    from datastore.importers.eastmoney import import_eastmoney_nav
    from datastore.importers.index_levels import import_index
    from datastore.repositories.meta import set_meta
    from services.benchmark import compare_to_benchmark
    from services.deps import Deps

    e = get_engine(f"sqlite:///{tmp_path / 'b.db'}")
    create_schema(e)
    with e.begin() as conn:
        set_meta(conn, {"as_of": "2021-04-20"})
    index = realdata / "fund_nav_piginzoo" / "index_000300.XSHG.csv"
    import_index(e, index, "000300", "jqdata", as_of=date(2021, 5, 19))
    import_eastmoney_nav(e, realdata / "fund_nav_piginzoo" / "000001.csv", "000001", create=True, name="华夏成长混合",
                         fund_type="hybrid")
    cmp = compare_to_benchmark(Deps.build(e, Caller.rm("RM001")), fund="000001", benchmark="000300", period="1y")
    with index.open(encoding="utf-8") as fh:
        levels = {r["date"]: float(r["close"]) for r in csv.DictReader(fh)}
    on = lambda d: levels[max(k for k in levels if k <= d.isoformat())]  # noqa: E731
    assert cmp.end == date(2021, 4, 20) and cmp.benchmark_name.startswith("沪深300")
    assert cmp.benchmark_return == pytest.approx(on(cmp.end) / on(cmp.start) - 1, rel=1e-12)
    assert cmp.excess_return == pytest.approx(cmp.subject_return - cmp.benchmark_return)
