"""Shared helpers for the API and channel tests: a tiny seeded database, fake services, a real uvicorn server.

The fakes keep the real contracts: ``fake_ask`` enforces ``require_client_access`` for any client id in the
question and remembers turns per session (in the DB-backed sense the agent does: by session id); the fake
builders write a real .docx and check access again, like the real builders.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import uvicorn
from docx import Document
from fastapi import FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assistant.access import Caller, require_client_access
from assistant.api.services import Services
from datastore.engine import create_schema, get_engine
from datastore.repositories.users import add_user, issue_key
from datastore.schema import RM, Client, Meta


class FakeAnswer(BaseModel):
    """Same fields as assistant.agent.AgentAnswer."""

    answer: str
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    ungrounded_numbers: list[str] = Field(default_factory=list)
    session_id: str | None = None
    attachments: list[str] = Field(default_factory=list)


class FakeResult(BaseModel):
    path: Path
    sections: list[str]
    figures: list[dict[str, Any]] = Field(default_factory=list)
    ungrounded_numbers: list[str] = Field(default_factory=list)


class FakeServices:
    """Records calls; ``builder_gate`` (an Event) lets a test hold report builders mid-run."""

    def __init__(self) -> None:
        self.memory: dict[str | None, list[str]] = defaultdict(list)
        self.build_calls: list[tuple[str, str]] = []
        self.builder_gate: threading.Event | None = None
        self.builder_delay = 0.0
        self.faq_calls = 0
        self.lock = threading.Lock()

    def ask(
        self,
        question: str,
        *,
        caller: Caller,
        engine: Engine,
        settings: Any,
        session_id: str | None = None,
        stream: Any = None,
    ) -> FakeAnswer:
        tool_calls = []
        m = re.search(r"C\d{4}", question)
        if m:
            require_client_access(engine, caller, m.group())
            tool_calls.append({"name": "lookthrough_portfolio", "args": {"client_id": m.group()}})
        with self.lock:
            self.memory[session_id].append(question)
            turn = len(self.memory[session_id])
        text = f"第{turn}轮回答: {question}"
        if stream is not None:
            for i in range(0, len(text), 4):
                stream(text[i : i + 4])
        return FakeAnswer(
            answer=text,
            tool_calls=tool_calls,
            citations=["《个人投资者适当性管理办法》第五条"],
            session_id=session_id,
        )

    def _write(self, out: Path, title: str) -> FakeResult:
        if self.builder_gate is not None:
            self.builder_gate.wait(30)
        if self.builder_delay:
            time.sleep(self.builder_delay)
        doc = Document()
        doc.add_heading(title, 0)
        out.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(out))
        return FakeResult(
            path=out, sections=["摘要"], figures=[{"name": "total", "value": 1.0, "unit": "yuan"}]
        )

    def build_proposal(
        self,
        engine: Engine,
        caller: Caller,
        client_id: str,
        out: Path,
        *,
        lang: str = "zh",
        settings: Any = None,
        llm: Any = None,
    ) -> FakeResult:
        require_client_access(engine, caller, client_id)
        with self.lock:
            self.build_calls.append(("proposal", client_id))
        return self._write(out, f"投资建议书 {client_id}")

    def build_due_diligence(
        self,
        engine: Engine,
        caller: Caller,
        company: str,
        scenario: str | None,
        out: Path,
        *,
        lang: str = "zh",
        settings: Any = None,
        llm: Any = None,
    ) -> FakeResult:
        with self.lock:
            self.build_calls.append(("due_diligence", company))
        return self._write(out, f"尽调报告 {company}")

    def answer_faq(
        self, question: str, *, store_dir: Path, settings: Any = None, llm: Any = None
    ) -> dict[str, Any]:
        self.faq_calls += 1
        return {
            "answer": f"FAQ: {question}",
            "citations": ["《基金销售业务规范》"],
            "confidence": 0.8,
            "handoff": False,
        }

    def services(self) -> Services:
        return Services(
            ask=self.ask,
            build_proposal=self.build_proposal,
            build_due_diligence=self.build_due_diligence,
            answer_faq=self.answer_faq,
        )


def seed_engine(path: Path) -> Engine:
    """RM001 owns C0001 and C0002, RM002 owns C0003; users RM001, RM002, admin with keys."""
    engine = get_engine(f"sqlite:///{path}")
    create_schema(engine)
    with Session(engine) as s:
        s.add(Meta(key="as_of", value="2026-11-20"))  # every initialised database has its as-of date
        s.add_all(
            [RM(id="RM001", name="王经理", branch="总行"), RM(id="RM002", name="李经理", branch="分行")]
        )
        s.commit()
        for cid, rm, name in (
            ("C0001", "RM001", "张伟"),
            ("C0002", "RM001", "刘洋"),
            ("C0003", "RM002", "陈静"),
        ):
            s.add(
                Client(
                    id=cid,
                    name=name,
                    rm_id=rm,
                    risk_level="C3",
                    risk_assessed_on=date(2026, 1, 1),
                    birth_date=date(1980, 1, 1),
                    age=46,
                    gender="M",
                    occupation="工程师",
                    life_stage="mature_family",
                    segment="affluent",
                    annual_income=500000.0,
                    monthly_expense=20000.0,
                    id_number="110101198001010011",
                    mobile="13812345678",
                )
            )
        s.commit()
    return engine


def make_keys(engine: Engine) -> dict[str, str]:
    add_user(engine, "RM001", "rm", wecom_user_id="wang")
    add_user(engine, "RM002", "rm")
    add_user(engine, "admin", "admin")
    return {u: issue_key(engine, u) for u in ("RM001", "RM002", "admin")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """A real uvicorn server on a free loopback port, in a thread; ``stop()`` runs the graceful shutdown."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            lifespan="on",
            timeout_graceful_shutdown=30,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(60)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
