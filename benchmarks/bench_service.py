"""Service load test, loopback only and bounded in time. Prints figures; exits 1 when a target is missed.

1. FAQ: ``--clients`` (50) concurrent clients POST /api/faq for ``--duration`` (60) s with the 160 questions
   of the sample FAQ corpus (plus whitespace variants) → errors, throughput, p50/p95/p99 latency.
   Target: 0 errors, p95 ≤ 500 ms.
2. Report jobs: ``--jobs`` (20) proposals submitted at once; the server is restarted while they run
   (SIGTERM = graceful: running jobs finish, queued stay queued; ``--kill`` = SIGKILL, a crash: running
   jobs are requeued at start) → every job must end ``done``.

The server runs as a separate ``wealthdesk serve`` process on a free 127.0.0.1 port, on a COPY of the
initialised database and vector store (``make init``); without them the sample data and the knowledge
base are built in a temp dir first (slower). Offline model, INFO JSON logs to a file, the production
code path; the per-key rate limit is raised for the bench key (the limit itself is tested in tests/api).

    .venv/bin/python benchmarks/bench_service.py [--duration 60] [--clients 50] [--jobs 20] [--kill]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(work: Path) -> tuple[dict[str, str], str, str]:
    """Copy (or build) the DB and store into ``work``; create bench users; return (env, admin key, rm key)."""
    from assistant.settings import Settings
    from datastore.engine import get_engine
    from datastore.repositories.users import add_user, get_user, issue_key

    base = Settings()
    db, store = work / "wealthdesk.db", work / "chroma"
    src_db = Path(base.resolved_database_url.removeprefix("sqlite:///"))
    if src_db.is_file() and base.resolved_store_dir.is_dir():
        shutil.copy(src_db, db)
        shutil.copytree(base.resolved_store_dir, store)
        print(f"using a copy of {src_db} and {base.resolved_store_dir}")
    else:
        print("no initialised var/ found: building sample data and knowledge base in a temp dir (slow)")
        from datastore.sample import load_sample
        from knowledge.bootstrap import init_knowledge

        load_sample(get_engine(f"sqlite:///{db}"))
        init_knowledge(Settings(var_dir=work, corpus_dir=ROOT / "data" / "corpus", store_dir=store))  # type: ignore[call-arg]
    engine = get_engine(f"sqlite:///{db}")
    for uid, role in (("benchadmin", "admin"), ("RM001", "rm")):
        if get_user(engine, uid) is None:
            add_user(engine, uid, role)
    env = {
        **os.environ,
        "WEALTHDESK_VAR_DIR": str(work),
        "WEALTHDESK_DATABASE_URL": f"sqlite:///{db}",
        "WEALTHDESK_STORE_DIR": str(store),
        "WEALTHDESK_REPORTS_DIR": str(work / "reports"),
        "WEALTHDESK_CORPUS_DIR": str(ROOT / "data" / "corpus"),
        "WEALTHDESK_LLM_MODE": "offline",
        "WEALTHDESK_RATE_LIMIT_PER_MINUTE": "1000000",
        "WEALTHDESK_JOB_QUOTA_PER_USER": "1000",  # one bench user submits all the jobs
        "WEALTHDESK_LOG_LEVEL": "INFO",
    }
    return env, issue_key(engine, "benchadmin"), issue_key(engine, "RM001")


class Server:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env, self.log_path, self.port = env, log_path, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from assistant.cli import main; main()",
                "serve",
                "--port",
                str(self.port),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}; see {self.log_path}")
            time.sleep(0.2)
        raise SystemExit("server did not become healthy in 120 s")

    def stop(self, sig: int = signal.SIGTERM) -> float:
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(sig)
        self.proc.wait(timeout=300)
        return time.monotonic() - started


def faq_questions() -> list[str]:
    qs: list[str] = []
    for f in sorted((ROOT / "data" / "corpus" / "faq").glob("*.md")):
        qs += [m.group(1).strip() for m in re.finditer(r"^## Q\d+[:：]\s*(.+)$", f.read_text("utf-8"), re.M)]
    return qs or ["冷静期有多长？"]


async def _post(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    host: str,
    path: str,
    body: dict[str, Any],
    key: str,
) -> tuple[int, bytes]:
    """One POST on a keep-alive connection; returns (status, body). Expects a Content-Length response."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n".encode()
        + data
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(
        int(v) for k, _, v in (ln.partition(":") for ln in lines[1:]) if k.lower() == "content-length"
    )
    return status, await reader.readexactly(length)


async def faq_load(url: str, key: str, clients: int, duration: float) -> dict[str, Any]:
    questions = faq_questions()
    latencies: list[float] = []
    late: list[float] = []  # requests started after the first quarter of the run (caches warm)
    errors: dict[str, int] = {}
    begin = time.monotonic()
    stop_at = begin + duration
    host, port = url.removeprefix("http://").split(":")

    async def client(i: int) -> None:
        # One keep-alive HTTP/1.1 connection per client, spoken directly over asyncio streams: the load
        # generator shares the 2 cores with the server, and httpx costs ~10× more CPU per request than this.
        rng = random.Random(i)
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.monotonic() < stop_at:
                q = rng.choice(questions)
                if rng.random() < 0.2:
                    q = f" {q} "  # same question, different whitespace
                t0 = time.perf_counter()
                t_start = time.monotonic()
                try:
                    status, body = await _post(reader, writer, host, "/api/faq", {"question": q}, key)
                    if status != 200 or "answer" not in json.loads(body):
                        errors[str(status)] = errors.get(str(status), 0) + 1
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                    continue
                latencies.append(time.perf_counter() - t0)
                if t_start - begin > duration / 4:
                    late.append(latencies[-1])
        finally:
            writer.close()

    t0 = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.monotonic() - t0
    lat, lat_late = sorted(latencies), sorted(late)

    def pct(p: float, xs: list[float] = lat) -> float:
        return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else float("nan")

    return {
        "late_requests": len(lat_late),
        "late_p50_ms": pct(0.5, lat_late),
        "late_p95_ms": pct(0.95, lat_late),
        "requests": len(lat),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "rps": len(lat) / elapsed,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": lat[-1] * 1000 if lat else 0.0,
        "mean_ms": statistics.fmean(lat) * 1000 if lat else 0.0,
    }


def jobs_with_restart(server: Server, key: str, n: int, sig: int) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    t0 = time.monotonic()
    with httpx.Client(timeout=30) as http:
        ids = []
        for i in range(n):
            r = http.post(
                server.url + "/api/reports",
                headers={**headers, "Idempotency-Key": f"bench-{t0}-{i}"},
                json={"type": "proposal", "client_id": f"C{i % 40 + 1:04d}", "lang": "zh"},
            )
            if r.status_code != 202:
                raise SystemExit(f"submit failed: {r.status_code} {r.text}")
            ids.append(r.json()["id"])
        submitted = time.monotonic() - t0
        # restart once some jobs have finished (or after 5 s), so jobs are running and queued at that moment
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            statuses = [
                http.get(f"{server.url}/api/reports/{i}", headers=headers).json()["status"] for i in ids
            ]
            if statuses.count("done") >= 2:
                break
            time.sleep(0.2)
        before = {s: statuses.count(s) for s in set(statuses)}
        stop_s = server.stop(sig)
        server.start()
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            statuses = [
                http.get(f"{server.url}/api/reports/{i}", headers=headers).json()["status"] for i in ids
            ]
            if all(s in ("done", "failed") for s in statuses):
                break
            time.sleep(0.5)
    return {
        "jobs": n,
        "submit_s": submitted,
        "at_restart": before,
        "shutdown_s": stop_s,
        "done": statuses.count("done"),
        "failed": statuses.count("failed"),
        "lost": sum(s not in ("done", "failed") for s in statuses),
        "total_s": time.monotonic() - t0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=20)
    ap.add_argument("--kill", action="store_true", help="restart with SIGKILL (crash) instead of SIGTERM")
    ap.add_argument("--skip-faq", action="store_true")
    ap.add_argument("--skip-jobs", action="store_true")
    args = ap.parse_args()
    ok = True
    print(
        f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.1f} (other processes share these cores)"
    )
    with tempfile.TemporaryDirectory(prefix="wd-bench-") as tmp:
        work = Path(tmp)
        env, admin_key, rm_key = prepare(work)
        server = Server(env, work / "server.log").start()
        try:
            if not args.skip_faq:
                f = asyncio.run(faq_load(server.url, admin_key, args.clients, args.duration))
                print(
                    f"FAQ  {args.clients} clients × {args.duration:.0f} s: {f['requests']} requests, "
                    f"{f['rps']:.0f} req/s, errors {f['errors']} {f['error_kinds'] or ''}"
                )
                print(
                    f"     latency ms: p50 {f['p50_ms']:.1f}  p95 {f['p95_ms']:.1f}  p99 {f['p99_ms']:.1f}  "
                    f"max {f['max_ms']:.1f}  mean {f['mean_ms']:.1f}   (target: 0 errors, p95 ≤ 500)"
                )
                print(
                    f"     after the first {args.duration / 4:.0f} s ({f['late_requests']} requests, answer cache warm): "
                    f"p50 {f['late_p50_ms']:.1f}  p95 {f['late_p95_ms']:.1f}"
                )
                ok &= f["errors"] == 0 and f["p95_ms"] <= 500
            if not args.skip_jobs:
                sig = signal.SIGKILL if args.kill else signal.SIGTERM
                j = jobs_with_restart(server, rm_key, args.jobs, sig)
                print(
                    f"JOBS {j['jobs']} proposals submitted in {j['submit_s']:.2f} s; restart ({sig.name}) with "
                    f"{j['at_restart']} (shutdown took {j['shutdown_s']:.1f} s)"
                )
                print(
                    f"     after restart: done {j['done']}, failed {j['failed']}, lost {j['lost']}; "
                    f"all finished {j['total_s']:.1f} s after submit   (target: all done, none lost)"
                )
                ok &= j["done"] == j["jobs"] and j["lost"] == 0
        finally:
            if server.proc and server.proc.poll() is None:
                server.stop()
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
