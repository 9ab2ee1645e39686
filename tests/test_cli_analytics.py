"""CLI: wealthdesk lookthrough / metrics / book-scan (exit codes, JSON shape, access control)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from assistant.cli import app
from assistant.cli.common import run_app


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run_app(app, argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def cli_env(monkeypatch: pytest.MonkeyPatch, sample_settings):  # type: ignore[no-untyped-def]
    import assistant.cli.common as common

    monkeypatch.setattr(common, "get_settings", lambda: sample_settings)
    return sample_settings


@pytest.fixture(scope="module")
def two_rms(sample_engine):  # type: ignore[no-untyped-def]
    from datastore.repositories.clients import client_ids_of_rm

    return client_ids_of_rm(sample_engine, "RM001"), client_ids_of_rm(sample_engine, "RM002")


def test_metrics_json_on_real_eastmoney_file(realdata: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = realdata / "fund_nav_piginzoo" / "161725.csv"
    code, out, _ = _run(["metrics", "--nav", str(f), "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    for key in (
        "annual_return",
        "annual_volatility",
        "max_drawdown",
        "sharpe_ratio",
        "sortino_ratio",
        "calmar_ratio",
        "value_at_risk",
        "period_returns",
    ):
        assert key in data
    assert data["start"] == "2017-05-11" and -1 < data["max_drawdown"] < 0  # fraction, not percent
    assert 0 < data["annual_volatility"] < 1 and data["risk_free"] == 0.0
    code, out, _ = _run(
        [
            "metrics",
            "--nav",
            str(f),
            "--json",
            "--risk-free",
            "0.02",
            "--benchmark",
            str(realdata / "fund_nav_piginzoo" / "index_000300.XSHG.csv"),
        ],
        capsys,
    )
    bench = json.loads(out)
    assert code == 0 and bench["sharpe_ratio"] < data["sharpe_ratio"] and 0 < bench["beta"] < 2


def test_metrics_csv_hand_computed(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "nav.csv"
    pd.DataFrame({"date": ["2024-01-02", "2024-01-03", "2024-01-04"], "nav": [1.0, 1.1, 0.99]}).to_csv(
        f, index=False
    )
    code, out, _ = _run(["metrics", "--nav", str(f), "--format", "csv", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["max_drawdown"] == pytest.approx(-0.1)
    assert data["cumulative_return"] == pytest.approx(-0.01) and data["max_drawdown_trough"] == "2024-01-04"


def test_metrics_bad_input_exit_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(["metrics", "--nav", str(tmp_path / "missing.csv"), "--json"], capsys)
    assert code == 2 and "--nav" in err
    f = tmp_path / "neg.csv"
    pd.DataFrame({"date": ["2024-01-02", "2024-01-03"], "nav": [1.0, -1.0]}).to_csv(f, index=False)
    code, _, err = _run(["metrics", "--nav", str(f), "--format", "csv"], capsys)
    assert code == 2 and "nav" in err


def test_lookthrough_own_client_json(cli_env, two_rms, capsys) -> None:  # type: ignore[no-untyped-def]
    mine = two_rms[0][0]
    code, out, _ = _run(["lookthrough", "--client", mine, "--as", "RM001", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["client_id"] == mine
    assert data["coverage"] + data["uncovered"] == pytest.approx(1.0, abs=1e-9)
    assert sum(data["asset_classes"].values()) == pytest.approx(1.0, abs=1e-9)
    assert all(0 <= h["weight"] <= 1 for h in data["top_holdings"])
    code, out, _ = _run(["lookthrough", "--client", mine, "--as", "RM001"], capsys)
    assert code == 0 and "Top underlying holdings" in out


def test_lookthrough_other_rms_client_exit_3(cli_env, two_rms, capsys) -> None:  # type: ignore[no-untyped-def]
    theirs = two_rms[1][0]
    code, out, err = _run(["lookthrough", "--client", theirs, "--as", "RM001", "--json"], capsys)
    assert code == 3 and "not your client" in err and out == ""
    code, _, err = _run(["lookthrough", "--client", "C9999", "--as", "RM001"], capsys)
    assert code == 3 and "not your client" in err  # same refusal whether the client exists or not
    code, _, err = _run(["lookthrough", "--client", theirs, "--as", "nobody"], capsys)
    assert code == 2


def test_book_scan_only_own_clients(cli_env, two_rms, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _run(["book-scan", "--as", "RM001", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["findings"], "the sample book should have something to follow up"
    assert {f["client_id"] for f in data["findings"]} <= set(two_rms[0])
    assert all(f["reason"] and f["figure"] is not None for f in data["findings"])
    code, out, _ = _run(["book-scan", "--as", "RM001"], capsys)
    assert code == 0 and "Book scan" in out


def test_admin_unknown_client_is_not_found(cli_env, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(["lookthrough", "--client", "C9999", "--as", "admin"], capsys)
    assert code == 2 and "C9999" in err


def test_sample_book_invariants(sample_engine) -> None:  # type: ignore[no-untyped-def]
    """Look-through and P&L invariants on a spread of real sample clients (feeders, FOFs, deposits, wmp)."""
    from analytics.lookthrough import lookthrough_client
    from analytics.pnl import client_performance
    from datastore.repositories.meta import data_as_of
    from services import loading as ai

    day = data_as_of(sample_engine)
    exp = ai.fund_exposures(sample_engine, day)
    assert {"feeder", "fof"} <= set(exp.fund_meta["type"])
    feeder = exp.rows([str(exp.fund_meta.index[exp.fund_meta["type"] == "feeder"][0])])[0]
    assert exp.coverage[feeder] > 0.5  # looked through its ETF, not stuck at the feeder's own top-10
    ids = [f"C{i:04d}" for i in range(1, 201, 17)]
    for cid in ids:
        book = ai.client_book(sample_engine, cid, day)
        lt = lookthrough_client(book, exp)
        assert lt.coverage + lt.uncovered == pytest.approx(1.0, abs=1e-9)
        assert sum(lt.asset_classes.values()) == pytest.approx(1.0, abs=1e-9)
        perf = client_performance(book, ai.nav_frame(sample_engine, book, day), period="1y", as_of=day)
        rows = pd.DataFrame(perf.pnl.positions)
        assert perf.gain == pytest.approx(rows["gain"].sum(), abs=1e-6)
        # positions store units to 2 dp; the P&L re-derives units from trades, so allow a few fen
    assert perf.pnl.total.market_value == pytest.approx(book.positions["market_value"].sum(), rel=1e-7)
